"""Leaky integrate-and-fire neurons with current-based synapses, integrated exactly.

``iaf_psc_alpha`` (alpha-shaped currents), ``iaf_psc_exp`` (exponential currents) and
``iaf_psc_delta`` (voltage jumps). The subthreshold dynamics are linear, so each step
applies precomputed propagators (Rotter & Diesmann 1999) and the results equal NEST's to
rounding. Within a step the order is NEST's: membrane first (unless refractory), then
the synaptic currents decay and take this step's input, then the threshold is checked,
then the external current of this step is latched for the next one.

The kernels loop over steps outside and neurons inside: a slice reads one contiguous row
of each ring buffer per step and the state of a neuron is one row of ``aux["S"]``, which
keeps the inner loop free of strided access. The membrane potential lives in ``S[:, 0]``
relative to ``E_L``; ``V_m`` is refreshed from it after every slice.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ...engine.jit import threaded_kernel
from ..base import DBL_MAX, Model, Param, archiving_params, require
from .propagators import (
    alpha_slope_to_voltage,
    current_to_voltage,
    exp_current_to_voltage,
    membrane_decay,
)

_NEG_INF = -np.inf


def _common_params(C_m=250.0, tau_m=10.0, V_min=_NEG_INF) -> dict[str, Param]:
    params = {
        **archiving_params(),
        "C_m": Param(C_m, doc="Capacitance of the membrane", unit="pF"),
        "E_L": Param(-70.0, doc="Resting membrane potential", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "V_m": Param(-70.0, state=True, doc="Membrane potential", unit="mV"),
        "V_min": Param(V_min, doc="Absolute lower bound of the membrane potential", unit="mV"),
        "V_reset": Param(-70.0, doc="Reset potential after a spike", unit="mV"),
        "V_th": Param(-55.0, doc="Spike threshold", unit="mV"),
        "t_ref": Param(2.0, doc="Duration of the refractory period", unit="ms"),
        "tau_m": Param(tau_m, doc="Membrane time constant", unit="ms"),
    }
    return params


class _IafPsc(Model):
    """What the three current-based LIF models share: parameters, checks, bookkeeping."""

    # NEST 3.10 keeps V_th, V_reset and V_min absolute when E_L changes (measured): the
    # values are stored as given and made relative to E_L only for the kernel.
    recordables = ("I_syn_ex", "I_syn_in", "V_m")
    # Columns of the state matrix aux["S"] after the membrane potential, with initial values.
    state_columns: dict[str, float] = {}
    # What the kernel reads per node: neighbouring groups of one model are updated together.
    batch_keys = ("S", "Q", "P", "r", "ref_counts")
    # NEST's words for a bad capacitance, refractory time, membrane and synaptic time
    # constant differ between the three models (measured: tests/reference/bad_params.json).
    words = {
        "C_m": "Capacitance must be > 0.",
        "t_ref": "Refractory time must not be negative.",
        "tau_m": "Membrane time constant must be > 0.",
        "tau_syn": "All synaptic time constants must be > 0.",
    }

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        require(v["C_m"] > 0, self, gid, self.words["C_m"])
        require(v["t_ref"] >= 0, self, gid, self.words["t_ref"])
        require(v["tau_m"] > 0, self, gid, self.words["tau_m"])
        for key in ("tau_syn_ex", "tau_syn_in", "tau_syn"):
            if key in v:
                require(v[key] > 0, self, gid, self.words["tau_syn"])

    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            a["S"] = np.zeros((group.n, 1 + len(self.state_columns)))
            a["S"][:, 1:] = list(self.state_columns.values())
            a["r"] = np.zeros(group.n, dtype=np.int64)
        S = a["S"]
        # Take V_m from the user's value unless it is what the kernel left there.
        changed = S[:, 0] + v["E_L"] != v["V_m"]
        S[changed, 0] = v["V_m"][changed] - v["E_L"][changed]
        a["Q"] = np.column_stack(
            [v["E_L"], v["V_th"] - v["E_L"], v["V_reset"] - v["E_L"], v.get("V_min", v["V_th"]) - v["E_L"], v["I_e"]]
            + self.extra_q(v)
        )
        h = kernel.h
        ref = np.rint(v["t_ref"] / h).astype(np.int64)
        a["ref_counts"] = ref
        a["P"] = self.propagators(v, h)
        # At most one spike per refractory period fits into a slice.
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (ref + 1)))

    def extra_q(self, v) -> list:
        return []

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = self.kernel_function(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.buf, kernel.cur,
            a["S"], a["Q"], a["P"], a["r"], a["ref_counts"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a = group.aux
        if "S" in a:
            group.values["V_m"][:] = a["S"][:, 0] + a["Q"][:, 0]


class IafPscAlpha(_IafPsc):
    """Leaky integrate-and-fire neuron with alpha-shaped postsynaptic currents.

    Positive weights go to the excitatory synapse (``tau_syn_ex``), negative ones to
    the inhibitory synapse (``tau_syn_in``); a weight of 1 pA gives a current peaking
    at 1 pA ``tau_syn`` after arrival.
    """

    name = "iaf_psc_alpha"
    words = {**_IafPsc.words, "t_ref": "The refractory time t_ref can't be negative."}
    elementsize = 736
    params = {
        **_common_params(),
        "tau_syn_ex": Param(2.0, doc="Rise time of the excitatory synaptic alpha function", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Rise time of the inhibitory synaptic alpha function", unit="ms"),
    }
    # y0: the external current latched last step; dI/I: slope and value of each alpha current.
    state_columns = {"y0": 0.0, "dI_ex": 0.0, "I_syn_ex": 0.0, "dI_in": 0.0, "I_syn_in": 0.0}

    def propagators(self, v, h):
        P = np.empty((len(v["C_m"]), 12))
        C, tm = v["C_m"], v["tau_m"]
        P[:, 0], P[:, 1] = membrane_decay(tm, h)[1], current_to_voltage(tm, C, h)
        for col, key in ((2, "tau_syn_ex"), (7, "tau_syn_in")):
            ts = v[key]
            decay = np.exp(-h / ts)
            P[:, col] = decay  # dI -> dI and I -> I
            P[:, col + 1] = h * decay  # dI -> I
            P[:, col + 2] = alpha_slope_to_voltage(ts, tm, C, h)
            P[:, col + 3] = exp_current_to_voltage(ts, tm, C, h)
            P[:, col + 4] = np.e / ts  # weight -> initial slope
        return P

    @staticmethod
    def kernel_function(*args):
        return _alpha_update(*args)


@threaded_kernel
def _alpha_update(n_chunks, t0, m, slots, off, buf, cur, S, Q, P, r, ref, rec_row, rec_out, spk_i, spk_t, spk_off):
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
            for ii in range(lo, hi):
                # Unsigned indices: Numba then skips its check for negative ones (40 % of
                # this loop, measured).
                i = np.uint64(ii)
                gi = np.uint64(off + ii)
                y3 = S[i, 0]
                a_ex = S[i, 2]
                b_ex = S[i, 3]
                a_in = S[i, 4]
                b_in = S[i, 5]
                rr = r[i]
                if rr == 0:
                    y3 = (P[i, 1] * (S[i, 1] + Q[i, 4]) + P[i, 4] * a_ex + P[i, 5] * b_ex + P[i, 9] * a_in
                          + P[i, 10] * b_in + P[i, 0] * y3 + y3)  # fmt: skip
                    if y3 < Q[i, 3]:
                        y3 = Q[i, 3]
                else:
                    r[i] = rr - 1
                b_ex = P[i, 3] * a_ex + P[i, 2] * b_ex
                a_ex *= P[i, 2]
                a_ex += P[i, 6] * b_exc[gi]
                b_in = P[i, 8] * a_in + P[i, 7] * b_in
                a_in *= P[i, 7]
                a_in += P[i, 11] * b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                if y3 >= Q[i, 1]:
                    r[i] = ref[i]
                    y3 = Q[i, 2]
                    spk_i[base + cnt] = ii
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                S[i, 0] = y3
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                S[i, 2] = a_ex
                S[i, 3] = b_ex
                S[i, 4] = a_in
                S[i, 5] = b_in
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = b_ex
                    rec_out[row, 1, k] = b_in
                    rec_out[row, 2, k] = y3 + Q[i, 0]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts


class IafPscExp(_IafPsc):
    """Leaky integrate-and-fire neuron with exponentially decaying postsynaptic currents.

    A weight of 1 pA makes the synaptic current jump by 1 pA on arrival, then decay with
    ``tau_syn_ex`` (positive weights) or ``tau_syn_in`` (negative weights).
    """

    name = "iaf_psc_exp"
    words = {
        "C_m": "Capacitance must be strictly positive.",
        "t_ref": "Refractory time must not be negative.",
        "tau_m": "Membrane and synapse time constants must be strictly positive.",
        "tau_syn": "Membrane and synapse time constants must be strictly positive.",
    }
    elementsize = 672
    params = {
        **{k: p for k, p in _common_params().items() if k != "V_min"},
        "rho": Param(0.01, doc="Stochastic firing intensity at threshold", unit="1/s"),
        "delta": Param(
            0.0, doc="Width of the threshold region (0: deterministic; others not supported yet)", unit="mV"
        ),
        "tau_syn_ex": Param(2.0, doc="Excitatory synaptic time constant", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Inhibitory synaptic time constant", unit="ms"),
    }
    # i_0: the external current latched last step.
    state_columns = {"i_0": 0.0, "I_syn_ex": 0.0, "I_syn_in": 0.0}

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(np.asarray(v["delta"]) == 0.0, self, gid, "Stochastic firing (delta > 0) is not supported yet.")

    def propagators(self, v, h):
        P = np.empty((len(v["C_m"]), 6))
        C, tm = v["C_m"], v["tau_m"]
        P[:, 0], P[:, 1] = membrane_decay(tm, h)[0], current_to_voltage(tm, C, h)
        P[:, 2] = np.exp(-h / v["tau_syn_ex"])
        P[:, 3] = exp_current_to_voltage(v["tau_syn_ex"], tm, C, h)
        P[:, 4] = np.exp(-h / v["tau_syn_in"])
        P[:, 5] = exp_current_to_voltage(v["tau_syn_in"], tm, C, h)
        return P

    @staticmethod
    def kernel_function(*args):
        return _exp_update(*args)


@threaded_kernel
def _exp_update(n_chunks, t0, m, slots, off, buf, cur, S, Q, P, r, ref, rec_row, rec_out, spk_i, spk_t, spk_off):
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
            for ii in range(lo, hi):
                # Unsigned indices: Numba then skips its check for negative ones (40 % of
                # this loop, measured).
                i = np.uint64(ii)
                gi = np.uint64(off + ii)
                v = S[i, 0]
                ie_syn = S[i, 2]
                ii_syn = S[i, 3]
                rr = r[i]
                if rr == 0:
                    v = v * P[i, 0] + (Q[i, 4] + S[i, 1]) * P[i, 1] + ie_syn * P[i, 3] + ii_syn * P[i, 5]
                else:
                    r[i] = rr - 1
                ie_syn = ie_syn * P[i, 2] + b_exc[gi]
                ii_syn = ii_syn * P[i, 4] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                if v >= Q[i, 1]:
                    r[i] = ref[i]
                    v = Q[i, 2]
                    spk_i[base + cnt] = ii
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                S[i, 2] = ie_syn
                S[i, 3] = ii_syn
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = ie_syn
                    rec_out[row, 1, k] = ii_syn
                    rec_out[row, 2, k] = v + Q[i, 0]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts


class IafPscDelta(_IafPsc):
    """Leaky integrate-and-fire neuron whose input spikes make the membrane jump.

    A weight of 1 mV raises ``V_m`` by 1 mV at arrival. Spikes arriving while the neuron
    is refractory are discarded unless ``refractory_input`` is True, in which case they
    are added, decayed, when the refractory period ends.
    """

    name = "iaf_psc_delta"
    recordables = ("V_m",)
    params = {
        **_common_params(V_min=-DBL_MAX),
        "refractory_input": Param(False, kind="bool", doc="Keep input arriving during refractoriness"),
    }
    # y0: the external current latched last step; held: input kept during refractoriness.
    state_columns = {"y0": 0.0, "held": 0.0}

    def extra_q(self, v):
        return [v["refractory_input"].astype(np.float64)]

    def propagators(self, v, h):
        P = np.empty((len(v["C_m"]), 3))
        P[:, 0] = membrane_decay(v["tau_m"], h)[0]
        P[:, 1] = current_to_voltage(v["tau_m"], v["C_m"], h)
        P[:, 2] = h / v["tau_m"]
        return P

    @staticmethod
    def kernel_function(*args):
        return _delta_update(*args)


@threaded_kernel
def _delta_update(n_chunks, t0, m, slots, off, buf, cur, S, Q, P, r, ref, rec_row, rec_out, spk_i, spk_t, spk_off):
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
            for ii in range(lo, hi):
                # Unsigned indices: Numba then skips its check for negative ones (40 % of
                # this loop, measured).
                i = np.uint64(ii)
                gi = np.uint64(off + ii)
                v = S[i, 0]
                inp = b_exc[gi] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                rr = r[i]
                if rr == 0:
                    v = P[i, 1] * (S[i, 1] + Q[i, 4]) + P[i, 0] * v + inp + S[i, 2]
                    S[i, 2] = 0.0
                    if v < Q[i, 3]:
                        v = Q[i, 3]
                else:
                    if Q[i, 5] != 0.0:
                        # Decay the held input to the end of the refractory period.
                        S[i, 2] += inp * np.exp(-rr * P[i, 2])
                    r[i] = rr - 1
                if v >= Q[i, 1]:
                    r[i] = ref[i]
                    v = Q[i, 2]
                    spk_i[base + cnt] = ii
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = v + Q[i, 0]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts
