"""Leaky integrate-and-fire neurons with exponential currents and extra refractory or
synaptic state, integrated exactly with ``iaf_psc_exp``'s propagators.

``iaf_psc_exp_htum`` (Hill & Tononi 2005) has an absolute refractory period
``t_ref_abs`` (``V_m`` clamped at ``V_reset``) inside a total one ``t_ref_tot`` (the
membrane integrates, no spikes). NEST 3.10's multimeter reads its ``V_m`` relative to
``E_L``, and so does nestling's.

``iaf_tum_2000`` is ``iaf_psc_exp`` with the Tsodyks-Markram (2000) release dynamics
of its outgoing synapses kept in the neuron: at each spike the facilitation ``u``, the
available fraction ``x`` and the released fraction ``y`` are advanced exactly over the
time since the previous spike and the amount released now, ``u x``, travels with the
spike as its offset, as in NEST 3.10 (a spike recorder shows it as the spike's time
minus that amount; targets receive the connection's weight at the spike's step).
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from ...engine.jit import threaded_kernel
from ...errors import NESTErrors
from ..base import Param, archiving_params, require
from ._exact import ExactNeuron, ref_steps
from .propagators import current_to_voltage, exp_current_to_voltage


def _lif_params():
    return {
        **archiving_params(),
        "C_m": Param(250.0, doc="Capacitance of the membrane", unit="pF"),
        "E_L": Param(-70.0, doc="Resting membrane potential", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "V_m": Param(-70.0, state=True, doc="Membrane potential", unit="mV"),
        "V_reset": Param(-70.0, doc="Reset potential after a spike", unit="mV"),
        "V_th": Param(-55.0, doc="Spike threshold", unit="mV"),
        "tau_m": Param(10.0, doc="Membrane time constant", unit="ms"),
        "tau_syn_ex": Param(2.0, doc="Excitatory synaptic time constant", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Inhibitory synaptic time constant", unit="ms"),
    }


class IafPscExpHtum(ExactNeuron):
    """Leaky integrate-and-fire neuron with absolute and total refractory periods."""

    name = "iaf_psc_exp_htum"
    elementsize = 680
    params = {
        **_lif_params(),
        "t_ref_abs": Param(2.0, doc="Absolute refractory period (V_m clamped)", unit="ms"),
        "t_ref_tot": Param(2.0, doc="Total refractory period (no spikes)", unit="ms"),
    }
    recordables = ("I_syn_ex", "I_syn_in", "V_m")
    # i_0: the external current latched last step; x, y, u, t_last: iaf_tum_2000's release state.
    state_columns = ("V_m", "i_0", "I_syn_ex", "I_syn_in", "x", "y", "u", "t_last")
    n_counters = 2
    record_absolute = 0.0  # NEST 3.10 records htum's V_m relative to E_L
    time_constants_msg = "All time constants must be strictly positive."

    def check(self, v, n, gid):
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        self.check_times(v, gid)
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")

    def check_times(self, v, gid):
        # NEST tests the order of the two refractory times before t_ref_tot's sign (a
        # positive t_ref_abs then implies it).
        for key in ("tau_m", "tau_syn_ex", "tau_syn_in", "t_ref_abs"):
            require(v[key] > 0, self, gid, self.time_constants_msg)
        require(v["t_ref_tot"] >= v["t_ref_abs"], self, gid,
                "Total refractory period must be larger or equal than absolute refractory time.")  # fmt: skip

    def refractory(self, v, h):
        return ref_steps(v["t_ref_abs"], h), ref_steps(v["t_ref_tot"], h)

    def release(self, v) -> list:
        """Columns of Q after the refractory counts: (U, tau_fac, tau_psc, tau_rec), 0 if none."""
        n = len(v["C_m"])
        return [np.zeros(n)] * 4

    def constants(self, v, kernel):
        ra, rt = self.refractory(v, kernel.h)
        return np.column_stack([v["E_L"], v["I_e"], v["V_th"] - v["E_L"], v["V_reset"] - v["E_L"], ra, rt]
                               + self.release(v) + [np.full(len(ra), self.record_absolute)])  # fmt: skip

    def propagators(self, v, h):
        C, tm = v["C_m"], v["tau_m"]
        return np.column_stack([
            np.exp(-h / tm), current_to_voltage(tm, C, h),
            np.exp(-h / v["tau_syn_ex"]), exp_current_to_voltage(v["tau_syn_ex"], tm, C, h),
            np.exp(-h / v["tau_syn_in"]), exp_current_to_voltage(v["tau_syn_in"], tm, C, h),
        ])  # fmt: skip

    def max_spikes(self, v, kernel):
        return -(-kernel.slice_steps // (self.refractory(v, kernel.h)[1] + 1))

    def prepare(self, group, kernel):
        super().prepare(group, kernel)
        if self.sends_offsets:
            group.aux["spk_o"] = np.zeros(group.aux["spk_cap"])

    sends_offsets = False

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _lif_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, kernel.buf, kernel.cur,
            a["S"], a["Q"], a["P"], a["r"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
            a.get("spk_o", _NO_OFFSETS),
        )  # fmt: skip
        kernel.collect_spikes(group, counts)


_NO_OFFSETS = np.zeros(0)


class IafTum2000(IafPscExpHtum):
    """``iaf_psc_exp`` carrying the Tsodyks-Markram release state of its outgoing synapses."""

    name = "iaf_tum_2000"
    elementsize = 728
    params = {
        **{k: p for k, p in _lif_params().items()},
        "t_ref": Param(2.0, doc="Duration of the refractory period", unit="ms"),
        "rho": Param(0.01, doc="Stochastic firing intensity at threshold", unit="1/s"),
        "delta": Param(0.0, doc="Width of the threshold region (0: deterministic; others not supported)", unit="mV"),
        "U": Param(0.5, doc="Utilisation increment of the release probability at a spike"),
        "tau_fac": Param(1000.0, doc="Facilitation time constant (0: none)", unit="ms"),
        "tau_psc": Param(2.0, doc="Time constant of the released fraction y", unit="ms"),
        "tau_rec": Param(400.0, doc="Recovery time constant of the available fraction x", unit="ms"),
        "u": Param(0.0, state=True, doc="Release probability"),
        "x": Param(0.0, state=True, doc="Fraction of resources available"),
        "y": Param(0.0, state=True, doc="Fraction of resources released"),
    }
    visible = ("V_m", "x", "y", "u")
    record_absolute = 1.0
    sends_offsets = True
    # A batch's spike buffers carry no offsets: each group is updated on its own.
    batch_keys = None

    def check(self, v, n, gid):
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        for key in ("tau_m", "tau_syn_ex", "tau_syn_in", "tau_psc", "tau_rec"):
            require(v[key] > 0, self, gid, "Membrane and synapse time constants must be strictly positive.")
        require(v["tau_fac"] >= 0, self, gid, "'tau_fac' must be >= 0.")
        require((v["U"] >= 0) & (v["U"] <= 1), self, gid, "'U' must be in [0,1].")
        require(np.asarray(v["delta"]) == 0.0, self, gid, "Stochastic firing (delta > 0) is not supported yet.")

    def refractory(self, v, h):
        r = ref_steps(v["t_ref"], h)
        return r, r

    # Port 1 takes spikes of other iaf_tum_2000 neurons: each weight times the release its
    # sender computed, carried as the spike's offset (engine/plasticity.py, RELEASE_PORT).
    release_port = True
    offsets_are_times = False  # its spikes' offsets carry the release (engine/plasticity.py)

    def check_receptor(self, group, local, port) -> None:
        """Port 0 takes spikes as ``iaf_psc_exp`` does, port 1 release-scaled ones."""
        if port in (0, 1):
            return
        raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")

    def check_sources(self, port: int, source_models) -> None:
        """NEST refuses iaf_tum_2000 to iaf_tum_2000 on port 0 (measured)."""
        if port == 0 and any(isinstance(m, IafTum2000) for m in source_models):
            raise NESTErrors.IllegalConnection(
                "Creation of connection is not possible because:\niaf_tum_2000 neurons must be connected via "
                "receptor_type 1."
            )
        if port == 1 and any(m.role == "poisson_source" for m in source_models):
            # NEST takes it and adds nothing (the spikes carry no release); nestling's Poisson
            # path has no such port.
            raise NESTErrors.NotImplemented(
                "A poisson_generator on receptor type 1 of iaf_tum_2000 adds nothing in NEST; nestling refuses it."
            )

    def sync_status(self, group, kernel):
        # The spike recorder shows a spike at its step minus the released amount, but
        # t_spike is the step's time (as in NEST 3.10): kept in the t_last column.
        v = group.values
        spiked = v["t_spike"] >= 0.0
        v["t_spike"][spiked] = group.aux["S"][spiked, 7]

    def release(self, v):
        return [v["U"], v["tau_fac"], v["tau_psc"], v["tau_rec"]]


@njit(inline="always", cache=True)
def _release(S, Q, i, t):
    """Advance x, y, u (columns 4-6) of node ``i`` to its spike at ``t`` ms; the amount released."""
    dt = t - S[i, 7]
    S[i, 7] = t
    tau_fac, tau_psc, tau_rec = Q[i, 7], Q[i, 8], Q[i, 9]
    p_uu = np.exp(-dt / tau_fac) if tau_fac > 0.0 else 0.0
    p_yy = np.exp(-dt / tau_psc)
    p_zz = np.exp(-dt / tau_rec)
    p_xy = ((p_zz - 1.0) * tau_rec - (p_yy - 1.0) * tau_psc) / (tau_psc - tau_rec)
    x, y, u = S[i, 4], S[i, 5], S[i, 6]
    z = 1.0 - x - y
    u *= p_uu
    x += p_xy * y + (1.0 - p_zz) * z
    y *= p_yy
    u += Q[i, 6] * (1.0 - u)
    released = u * x
    S[i, 4] = x - released
    S[i, 5] = y + released
    S[i, 6] = u
    return released


@threaded_kernel
def _lif_update(n_chunks, t0, m, slots, off, h, buf, cur, S, Q, P, r, rec_row, rec_out, spk_i, spk_t, spk_off,
                spk_o):  # fmt: skip
    n = S.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                v = S[i, 0]
                ie = S[i, 2]
                ii = S[i, 3]
                if r[i, 0] == 0:
                    v = v * P[i, 0] + (Q[i, 1] + S[i, 1]) * P[i, 1] + ie * P[i, 3] + ii * P[i, 5]
                else:
                    r[i, 0] -= 1
                ie = ie * P[i, 2] + b_exc[gi]
                ii = ii * P[i, 4] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                if r[i, 1] == 0:
                    if v >= Q[i, 2]:
                        r[i, 0] = np.int64(Q[i, 4])
                        r[i, 1] = np.int64(Q[i, 5])
                        v = Q[i, 3]
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        if spk_o.shape[0] > 0:
                            spk_o[base + cnt] = _release(S, Q, i, (t0 + k + 1) * h)
                        cnt += 1
                else:
                    r[i, 1] -= 1
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                S[i, 2] = ie
                S[i, 3] = ii
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = ie
                    rec_out[row, 1, k] = ii
                    rec_out[row, 2, k] = v + Q[i, 0] * Q[i, 10]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts
