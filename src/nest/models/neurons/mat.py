"""Non-resetting neurons with multi-timescale adaptive thresholds (Kobayashi et al. 2009).

``mat2_psc_exp``: a leaky integrator with exponential synaptic currents whose membrane
potential is never reset; a spike raises two threshold components by ``alpha_1`` and
``alpha_2``, which decay back with ``tau_1`` and ``tau_2`` towards ``omega``.
``amat2_psc_exp`` adds a voltage-dependent component ``V_th_v``: the membrane
potential's rate of change filtered by the kernel ``beta * s * exp(-s / tau_v)``, i.e.
``V_th_v'' + 2 V_th_v' / tau_v + V_th_v / tau_v**2 = beta V_m'``.

All of it is linear between spikes, so each step applies exact propagators: the
membrane's are those of ``iaf_psc_exp``; ``V_th_v`` and its derivative are propagated
with the matrix exponential of the joint system, computed once per run. Within a step
(NEST's order, checked against NEST 3.10): all variables advance from the start-of-step
state, the synaptic currents take this step's spikes, and a neuron that is not
refractory fires if ``V_m >= omega + V_th_alpha_1 + V_th_alpha_2 (+ V_th_v)``. It stays
refractory for ``t_ref`` (no spikes, the membrane keeps integrating), so spikes are at
least ``t_ref + h`` apart.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ...engine.jit import threaded_kernel
from ..base import Param, archiving_params, require
from ._exact import ExactNeuron, ref_steps
from .propagators import current_to_voltage, exp_current_to_voltage
from .propagators import matrix_exp as expm

# Order of the quantities the kernel can record; REC_INDEX maps a model's recordables.
_QUANTITIES = ("I_syn_ex", "I_syn_in", "V_m", "V_th", "V_th_v")


def _mat_params(C_m, tau_m, omega, alpha_1, alpha_2):
    return {
        **archiving_params(),
        "C_m": Param(C_m, doc="Capacitance of the membrane", unit="pF"),
        "E_L": Param(-70.0, doc="Resting membrane potential", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "V_m": Param(-70.0, state=True, doc="Membrane potential", unit="mV"),
        "V_th": Param(omega, readonly=True, doc="Current threshold (omega plus its components)", unit="mV"),
        "V_th_alpha_1": Param(0.0, state=True, doc="Threshold component with tau_1", unit="mV"),
        "V_th_alpha_2": Param(0.0, state=True, doc="Threshold component with tau_2", unit="mV"),
        "alpha_1": Param(alpha_1, doc="Threshold jump of the tau_1 component at a spike", unit="mV"),
        "alpha_2": Param(alpha_2, doc="Threshold jump of the tau_2 component at a spike", unit="mV"),
        "omega": Param(omega, doc="Resting spike threshold (absolute)", unit="mV"),
        "t_ref": Param(2.0, doc="Refractory period (no spikes, V_m integrates)", unit="ms"),
        "tau_1": Param(10.0, doc="Time constant of the first threshold component", unit="ms"),
        "tau_2": Param(200.0, doc="Time constant of the second threshold component", unit="ms"),
        "tau_m": Param(tau_m, doc="Membrane time constant", unit="ms"),
        "tau_syn_ex": Param(1.0, doc="Excitatory synaptic time constant", unit="ms"),
        "tau_syn_in": Param(3.0, doc="Inhibitory synaptic time constant", unit="ms"),
    }


class Mat2PscExp(ExactNeuron):
    """Non-resetting leaky integrate-and-fire neuron with a two-timescale adaptive threshold."""

    name = "mat2_psc_exp"
    elementsize = 728
    params = _mat_params(100.0, 5.0, -51.0, 37.0, 2.0)
    recordables = ("V_m", "V_th")
    # i_0: the external current latched last step; dV_th_v: the derivative of V_th_v.
    state_columns = ("V_m", "i_0", "I_syn_ex", "I_syn_in", "V_th_alpha_1", "V_th_alpha_2", "V_th_v", "dV_th_v")
    visible = ("V_m", "V_th_alpha_1", "V_th_alpha_2")

    def check(self, v, n, gid):
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        for key in ("tau_m", "tau_syn_ex", "tau_syn_in", "tau_1", "tau_2", "t_ref", "tau_v"):
            if key in v:
                require(v[key] > 0, self, gid, "All time constants must be strictly positive.")
        self.check_distinct(v, gid)
        if isinstance(v.get("V_th"), np.ndarray):
            # The threshold shown follows its parts as soon as they are set (as NEST's).
            v["V_th"][:] = v["omega"] + v["V_th_alpha_1"] + v["V_th_alpha_2"] + v.get("V_th_v", 0.0)

    def check_distinct(self, v, gid):
        differ = (v["tau_m"] != v["tau_syn_ex"]) & (v["tau_m"] != v["tau_syn_in"])
        require(differ, self, gid, "Membrane and synapse time constant(s) must differ.See note in documentation.")

    def constants(self, v, kernel):
        return np.column_stack([v["E_L"], v["I_e"], v["omega"] - v["E_L"], v["alpha_1"], v["alpha_2"],
                                ref_steps(v["t_ref"], kernel.h)])  # fmt: skip

    def propagators(self, v, h):
        C, tm = v["C_m"], v["tau_m"]
        P = np.zeros((len(C), 20))
        P[:, 0] = np.exp(-h / tm)
        P[:, 1] = current_to_voltage(tm, C, h)
        P[:, 2] = np.exp(-h / v["tau_syn_ex"])
        P[:, 3] = exp_current_to_voltage(v["tau_syn_ex"], tm, C, h)
        P[:, 4] = np.exp(-h / v["tau_syn_in"])
        P[:, 5] = exp_current_to_voltage(v["tau_syn_in"], tm, C, h)
        P[:, 6] = np.exp(-h / v["tau_1"])
        P[:, 7] = np.exp(-h / v["tau_2"])
        P[:, 8:20] = self.threshold_propagators(v, h)
        return P

    def threshold_propagators(self, v, h):
        """Rows of V_th_v and dV_th_v over (I, I_syn_ex, I_syn_in, V_m, V_th_v, dV_th_v)."""
        return np.zeros((len(v["C_m"]), 12))

    def sync_status(self, group, kernel):
        v = group.values
        v["V_th"][:] = v["omega"] + v["V_th_alpha_1"] + v["V_th_alpha_2"] + v.get("V_th_v", 0.0)

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _mat_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.buf, kernel.cur, a["S"], a["Q"],
            a["P"], a["r"], self.rec_index, a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    @property
    def rec_index(self):
        return np.array([_QUANTITIES.index(r) for r in self.recordables], dtype=np.int64)

    def max_spikes(self, v, kernel):
        return -(-kernel.slice_steps // (ref_steps(v["t_ref"], kernel.h) + 1))


class Amat2PscExp(Mat2PscExp):
    """``mat2_psc_exp`` with a threshold component that follows the membrane's rate of change."""

    name = "amat2_psc_exp"
    elementsize = 856
    params = {
        **_mat_params(200.0, 10.0, -65.0, 10.0, 0.0),
        "V_th_v": Param(0.0, state=True, doc="Voltage-dependent threshold component", unit="mV"),
        "beta": Param(0.0, doc="Scale of the voltage-dependent threshold component", unit="1/ms"),
        "tau_v": Param(5.0, doc="Time constant of the voltage-dependent threshold component", unit="ms"),
    }
    recordables = ("I_syn_ex", "I_syn_in", "V_m", "V_th", "V_th_v")
    visible = ("V_m", "V_th_alpha_1", "V_th_alpha_2", "V_th_v")

    def check_distinct(self, v, gid):
        tm = v["tau_m"]
        differ = (tm != v["tau_syn_ex"]) & (tm != v["tau_syn_in"]) & (tm != v["tau_v"])
        require(
            differ, self, gid, "tau_m must differ from tau_syn_ex, tau_syn_in and tau_v. See note in documentation."
        )

    def threshold_propagators(self, v, h):
        n = len(v["C_m"])
        out = np.empty((n, 12))
        cols = ("C_m", "tau_m", "tau_syn_ex", "tau_syn_in", "beta", "tau_v")
        table = np.column_stack([v[k] for k in cols])
        # One matrix exponential per distinct parameter set.
        uniq, inverse = np.unique(table, axis=0, return_inverse=True)
        for j, (C, tm, tse, tsi, beta, tv) in enumerate(uniq):
            A = np.zeros((6, 6))
            A[1, 1], A[2, 2] = -1.0 / tse, -1.0 / tsi
            A[3, :4] = 1.0 / C, 1.0 / C, 1.0 / C, -1.0 / tm  # V_m' from I, I_syn_ex, I_syn_in, V_m
            A[4, 5] = 1.0
            A[5] = beta * A[3]
            A[5, 4] -= 1.0 / (tv * tv)
            A[5, 5] -= 2.0 / tv
            E = expm(A * h)
            out[np.ravel(inverse) == j] = np.concatenate([E[4], E[5]])
        return out


@threaded_kernel
def _mat_update(n_chunks, t0, m, slots, off, buf, cur, S, Q, P, r, rec_index, rec_row, rec_out, spk_i, spk_t,
                spk_off):  # fmt: skip
    n = S.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    quantities = np.empty(5)
    n_rec = rec_index.shape[0]
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        q = quantities.copy()
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                v = S[i, 0]
                current = S[i, 1] + Q[i, 1]
                ie = S[i, 2]
                ii = S[i, 3]
                tv = S[i, 6]
                dtv = S[i, 7]
                # Everything advances from the state at the start of the step.
                S[i, 6] = (P[i, 8] * current + P[i, 9] * ie + P[i, 10] * ii + P[i, 11] * v + P[i, 12] * tv
                           + P[i, 13] * dtv)  # fmt: skip
                S[i, 7] = (P[i, 14] * current + P[i, 15] * ie + P[i, 16] * ii + P[i, 17] * v + P[i, 18] * tv
                           + P[i, 19] * dtv)  # fmt: skip
                v = P[i, 0] * v + P[i, 1] * current + P[i, 3] * ie + P[i, 5] * ii
                ie = ie * P[i, 2] + b_exc[gi]
                ii = ii * P[i, 4] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                th1 = S[i, 4] * P[i, 6]
                th2 = S[i, 5] * P[i, 7]
                if r[i, 0] == 0:
                    if v >= Q[i, 2] + th1 + th2 + S[i, 6]:
                        r[i, 0] = np.int64(Q[i, 5])
                        th1 += Q[i, 3]
                        th2 += Q[i, 4]
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        cnt += 1
                else:
                    r[i, 0] -= 1
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                S[i, 2] = ie
                S[i, 3] = ii
                S[i, 4] = th1
                S[i, 5] = th2
                row = rec_row[i]
                if row >= 0:
                    q[0] = ie
                    q[1] = ii
                    q[2] = v + Q[i, 0]
                    q[3] = Q[i, 2] + Q[i, 0] + th1 + th2 + S[i, 6]
                    q[4] = S[i, 6]
                    for j in range(n_rec):
                        rec_out[row, j, k] = q[rec_index[j]]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts
