"""Leaky integrate-and-fire neurons with current-based synapses, integrated exactly.

``iaf_psc_alpha`` (alpha-shaped currents), ``iaf_psc_exp`` (exponential currents) and
``iaf_psc_delta`` (voltage jumps). The subthreshold dynamics are linear, so each step
applies precomputed propagators (Rotter & Diesmann 1999) and the results equal NEST's to
rounding. Within a step the order is NEST's: membrane first (unless refractory), then
the synaptic currents decay and take this step's input, then the threshold is checked,
then the external current of this step is latched for the next one.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

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

    # NEST 3.10 keeps V_th, V_reset and V_min absolute when E_L changes (measured).
    relative_to_E_L = ()
    recordables = ("I_syn_ex", "I_syn_in", "V_m")
    # Internal state kept beside the user-visible values: name -> initial value.
    internal_state: dict[str, float] = {}

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        require(v["C_m"] > 0, self, gid, "Capacitance must be > 0.")
        require(v["t_ref"] >= 0, self, gid, "The refractory time t_ref can't be negative.")
        require(v["tau_m"] > 0, self, gid, "Membrane time constant must be > 0.")
        for key in ("tau_syn_ex", "tau_syn_in", "tau_syn"):
            if key in v:
                require(v[key] > 0, self, gid, "All time constants must be strictly positive.")

    def init_internal(self, group):
        for key, val in self.internal_state.items():
            if key not in group.aux:
                group.aux[key] = np.full(group.n, val)
        if "r" not in group.aux:
            group.aux["r"] = np.zeros(group.n, dtype=np.int64)

    def prepare(self, group, kernel):
        self.init_internal(group)
        h = kernel.h
        v = group.values
        ref = np.rint(v["t_ref"] / h).astype(np.int64)
        group.aux["ref_counts"] = ref
        group.aux["P"] = self.propagators(v, h)
        # At most one spike per refractory period fits into a slice.
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (ref + 1)))

    def recorded_value(self, group, key, i):
        return group.aux[key][i]

    def extra_status(self, group, i):
        return {}


class IafPscAlpha(_IafPsc):
    """Leaky integrate-and-fire neuron with alpha-shaped postsynaptic currents.

    Positive weights go to the excitatory synapse (``tau_syn_ex``), negative ones to
    the inhibitory synapse (``tau_syn_in``); a weight of 1 pA gives a current peaking
    at 1 pA ``tau_syn`` after arrival.
    """

    name = "iaf_psc_alpha"
    elementsize = 736
    params = {
        **_common_params(),
        "tau_syn_ex": Param(2.0, doc="Rise time of the excitatory synaptic alpha function", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Rise time of the inhibitory synaptic alpha function", unit="ms"),
    }
    internal_state = {"dI_ex": 0.0, "I_syn_ex": 0.0, "dI_in": 0.0, "I_syn_in": 0.0, "y0": 0.0}

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

    def update(self, group, kernel, t0, m):
        a, v = group.aux, group.values
        counts = _alpha_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.buf, kernel.cur,
            v["V_m"], v["E_L"], v["I_e"], v["V_th"], v["V_reset"], v["V_min"],
            a["y0"], a["dI_ex"], a["I_syn_ex"], a["dI_in"], a["I_syn_in"], a["r"], a["ref_counts"], a["P"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)


@njit(parallel=True, cache=True)
def _alpha_update(n_chunks, t0, m, slots, off, buf, cur, V_m, E_L, I_e, V_th, V_reset, V_min,
                  y0, dIex, Iex, dIin, Iin, r, ref, P, rec_row, rec_out, spk_i, spk_t, spk_off):  # fmt: skip
    n = V_m.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        for i in range(lo, hi):
            el = E_L[i]
            y3 = V_m[i] - el
            theta = V_th[i] - el
            vreset = V_reset[i] - el
            vmin = V_min[i] - el
            ie = I_e[i]
            yy0 = y0[i]
            a_ex = dIex[i]
            b_ex = Iex[i]
            a_in = dIin[i]
            b_in = Iin[i]
            rr = r[i]
            expm1_m = P[i, 0]
            p30 = P[i, 1]
            p11e = P[i, 2]
            p21e = P[i, 3]
            p31e = P[i, 4]
            p32e = P[i, 5]
            w0e = P[i, 6]
            p11i = P[i, 7]
            p21i = P[i, 8]
            p31i = P[i, 9]
            p32i = P[i, 10]
            w0i = P[i, 11]
            row = rec_row[i]
            gi = off + i
            for k in range(m):
                slot = (t0 + k) % slots
                if rr == 0:
                    y3 = (p30 * (yy0 + ie) + p31e * a_ex + p32e * b_ex + p31i * a_in + p32i * b_in
                          + expm1_m * y3 + y3)  # fmt: skip
                    if y3 < vmin:
                        y3 = vmin
                else:
                    rr -= 1
                b_ex = p21e * a_ex + p11e * b_ex
                a_ex *= p11e
                a_ex += w0e * buf[0, slot, gi]
                b_in = p21i * a_in + p11i * b_in
                a_in *= p11i
                a_in += w0i * buf[1, slot, gi]
                buf[0, slot, gi] = 0.0
                buf[1, slot, gi] = 0.0
                if y3 >= theta:
                    rr = ref[i]
                    y3 = vreset
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                yy0 = cur[slot, gi]
                cur[slot, gi] = 0.0
                if row >= 0:
                    rec_out[row, 0, k] = b_ex
                    rec_out[row, 1, k] = b_in
                    rec_out[row, 2, k] = y3 + el
            V_m[i] = y3 + el
            y0[i] = yy0
            dIex[i] = a_ex
            Iex[i] = b_ex
            dIin[i] = a_in
            Iin[i] = b_in
            r[i] = rr
        counts[c] = cnt
    return counts


class IafPscExp(_IafPsc):
    """Leaky integrate-and-fire neuron with exponentially decaying postsynaptic currents.

    A weight of 1 pA makes the synaptic current jump by 1 pA on arrival, then decay with
    ``tau_syn_ex`` (positive weights) or ``tau_syn_in`` (negative weights).
    """

    name = "iaf_psc_exp"
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
    internal_state = {"I_syn_ex": 0.0, "I_syn_in": 0.0, "i_0": 0.0}

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

    def update(self, group, kernel, t0, m):
        a, v = group.aux, group.values
        counts = _exp_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.buf, kernel.cur,
            v["V_m"], v["E_L"], v["I_e"], v["V_th"], v["V_reset"],
            a["i_0"], a["I_syn_ex"], a["I_syn_in"], a["r"], a["ref_counts"], a["P"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)


@njit(parallel=True, cache=True)
def _exp_update(n_chunks, t0, m, slots, off, buf, cur, V_m, E_L, I_e, V_th, V_reset,
                i0, Iex, Iin, r, ref, P, rec_row, rec_out, spk_i, spk_t, spk_off):  # fmt: skip
    n = V_m.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        for i in range(lo, hi):
            el = E_L[i]
            v = V_m[i] - el
            theta = V_th[i] - el
            vreset = V_reset[i] - el
            ie = I_e[i]
            ii0 = i0[i]
            ie_syn = Iex[i]
            ii_syn = Iin[i]
            rr = r[i]
            p22 = P[i, 0]
            p20 = P[i, 1]
            p11e = P[i, 2]
            p21e = P[i, 3]
            p11i = P[i, 4]
            p21i = P[i, 5]
            row = rec_row[i]
            gi = off + i
            for k in range(m):
                slot = (t0 + k) % slots
                if rr == 0:
                    v = v * p22 + (ie + ii0) * p20 + ie_syn * p21e + ii_syn * p21i
                else:
                    rr -= 1
                ie_syn = ie_syn * p11e + buf[0, slot, gi]
                ii_syn = ii_syn * p11i + buf[1, slot, gi]
                buf[0, slot, gi] = 0.0
                buf[1, slot, gi] = 0.0
                if v >= theta:
                    rr = ref[i]
                    v = vreset
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                ii0 = cur[slot, gi]
                cur[slot, gi] = 0.0
                if row >= 0:
                    rec_out[row, 0, k] = ie_syn
                    rec_out[row, 1, k] = ii_syn
                    rec_out[row, 2, k] = v + el
            V_m[i] = v + el
            i0[i] = ii0
            Iex[i] = ie_syn
            Iin[i] = ii_syn
            r[i] = rr
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
    internal_state = {"y0": 0.0, "refr_spikes": 0.0}

    def propagators(self, v, h):
        P = np.empty((len(v["C_m"]), 3))
        P[:, 0] = membrane_decay(v["tau_m"], h)[0]
        P[:, 1] = current_to_voltage(v["tau_m"], v["C_m"], h)
        P[:, 2] = h / v["tau_m"]
        return P

    def update(self, group, kernel, t0, m):
        a, v = group.aux, group.values
        counts = _delta_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.buf, kernel.cur,
            v["V_m"], v["E_L"], v["I_e"], v["V_th"], v["V_reset"], v["V_min"], v["refractory_input"],
            a["y0"], a["refr_spikes"], a["r"], a["ref_counts"], a["P"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)


@njit(parallel=True, cache=True)
def _delta_update(n_chunks, t0, m, slots, off, buf, cur, V_m, E_L, I_e, V_th, V_reset, V_min,
                  refr_input, y0, refr_spikes, r, ref, P, rec_row, rec_out, spk_i, spk_t, spk_off):  # fmt: skip
    n = V_m.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        for i in range(lo, hi):
            el = E_L[i]
            v = V_m[i] - el
            theta = V_th[i] - el
            vreset = V_reset[i] - el
            vmin = V_min[i] - el
            ie = I_e[i]
            yy0 = y0[i]
            held = refr_spikes[i]
            keep = refr_input[i]
            rr = r[i]
            p33 = P[i, 0]
            p30 = P[i, 1]
            h_over_tau = P[i, 2]
            row = rec_row[i]
            gi = off + i
            for k in range(m):
                slot = (t0 + k) % slots
                inp = buf[0, slot, gi] + buf[1, slot, gi]
                buf[0, slot, gi] = 0.0
                buf[1, slot, gi] = 0.0
                if rr == 0:
                    v = p30 * (yy0 + ie) + p33 * v + inp + held
                    held = 0.0
                    if v < vmin:
                        v = vmin
                else:
                    if keep:
                        # Decay the held input to the end of the refractory period.
                        held += inp * np.exp(-rr * h_over_tau)
                    rr -= 1
                if v >= theta:
                    rr = ref[i]
                    v = vreset
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                yy0 = cur[slot, gi]
                cur[slot, gi] = 0.0
                if row >= 0:
                    rec_out[row, 0, k] = v + el
            V_m[i] = v + el
            y0[i] = yy0
            refr_spikes[i] = held
            r[i] = rr
        counts[c] = cnt
    return counts
