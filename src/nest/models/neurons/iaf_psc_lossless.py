"""``iaf_psc_exp_ps_lossless``: the precise exponential-current neuron that does not miss
spikes (Krishnan, Porta Mana, Helias, Diesmann, Di Napoli 2018), as NEST 3.10 has it.

Between input events the state is propagated exactly, as in ``iaf_psc_exp_ps``. Where
that model looks for a threshold crossing only when ``V_m`` ends a piece above threshold,
this one decides from the state at the start of the piece whether the trajectory reaches
the threshold anywhere inside it, also when it comes back down before the piece ends
(a "missed" spike). The decision is a comparison of ``V_m`` with three curves of the
synaptic current: above ``f`` the neuron is above threshold at the end of the piece;
below both ``f`` and the line ``g`` it stays below; in between, below ``b`` (the
trajectories that touch the threshold exactly once) it stays below, otherwise it crossed
the threshold before the time of its maximum, which bounds the search. The crossing is
then located by NEST's Illinois regula falsi (stopping at a distance below 1e-14 mV) on
the exact solution. Both synaptic time constants must be equal.

As in NEST: a potential set above threshold fires at the start of the next slice (offset
``h (1 - eps)``); the no-input step bounds ``V_m`` below by ``V_min``, steps with input
do not; the threshold test is not gated by refractoriness; with ``t_ref`` 0 the neuron
never leaves its refractory state.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...errors import NESTErrors
from ..base import Param, require
from .iaf_psc_ps import IafPscExpPs, _spike

_EPS = float(np.finfo(np.float64).eps)
# Refractory steps that never end (t_ref 0: NEST's end-of-refractoriness test never holds).
_NEVER = 2**62


@njit(inline="always", cache=True)
def _p21(t, ts, tm, C):
    """Membrane response after ``t`` to a unit current decaying with ``ts`` (NEST's
    choice between the regular and the near-singular form)."""
    regular = -tm / (C * (1.0 - tm / ts)) * math.exp(-t / ts) * math.expm1(t * (1.0 / ts - 1.0 / tm))
    singular = t / C * math.exp(-t / tm)
    linear = t * t * (ts - tm) * math.exp(-t / tm) / (2.0 * C * tm * tm)
    if tm == ts or (abs(tm - ts) < 0.1 and abs(regular - singular) > 2.0 * abs(linear)):
        return singular
    return regular


@njit(inline="always", cache=True)
def _v_at(t, v0, iex0, iin0, ie, C, tm, ts):
    """V relative to E_L ``t`` after a start at ``v0`` with currents ``iex0``, ``iin0``."""
    p20 = -tm / C * math.expm1(-t / tm)
    p21 = _p21(t, ts, tm, C)
    return p20 * ie + p21 * iex0 + p21 * iin0 + v0 * math.exp(-t / tm)


@njit(cache=True)
def _crossing_time(dt, v0, iex0, iin0, ie, C, tm, ts, theta):
    """Time in [0, dt] at which V reaches ``theta`` (Illinois regula falsi, NEST's
    stopping rule); -1 when the bracket does not hold a crossing, -2 when it fails."""
    a, b = 0.0, dt
    fa = _v_at(a, v0, iex0, iin0, ie, C, tm, ts) - theta
    fb = _v_at(b, v0, iex0, iin0, ie, C, tm, ts) - theta
    if fa * fb > 0.0:
        return -1.0
    side = 0
    root = b
    for _ in range(500):
        root = (a * fb - b * fa) / (fb - fa)
        fr = _v_at(root, v0, iex0, iin0, ie, C, tm, ts) - theta
        if abs(fr) < 1e-14:
            break
        if fa * fr > 0.0:
            a, fa = root, fr
            if side == 1:
                fb /= 2.0
            side = 1
        elif fb * fr > 0.0:
            b, fb = root, fr
            if side == -1:
                fa /= 2.0
            side = -1
        else:
            return -2.0
    return root


@njit(inline="always", cache=True)
def _constants(C, tm, ts, theta):
    """The coefficients of the crossing test, once per node (NEST's a, b and c)."""
    d = tm - ts
    return (
        tm * ts, tm * d, C * theta * d, C * d,
        -tm * tm, tm * ts, tm * C * theta, -C * d,
        tm / C, (-tm * ts) / (C * d), (tm * tm) / (C * d), ts / tm, (C * theta) / tm, 1.0 - ts / tm,
    )  # fmt: skip


@njit(cache=True)
def _spike_within(dt, v0, i0, ie, tm, ts, k):
    """Whether V, starting at ``v0`` with total synaptic current ``i0`` and constant
    current ``ie``, reaches the threshold within ``dt``: the end of the interval to search
    (``dt``, or the time of the maximum for a crossing followed by a return), else NaN.
    ``k`` holds the coefficients of :func:`_constants`."""
    a1, a2, a3, a4, b1, b2, b3, b4, c1, c2, c3, c4, c5, c6 = k
    es = math.expm1(dt / ts)
    em = math.expm1(dt / tm)
    ems = math.expm1(dt / tm - dt / ts)
    # f: the potential that just reaches the threshold at the end of the interval.
    f = (a1 * i0 * ems + em * (a3 - ie * a2) + a3) / a4
    # g: the line below which (and below f) no trajectory reaches the threshold.
    if v0 < ((i0 + ie) * (b1 * em + b2 * es) + b3 * (em - es)) / (b4 * es) and v0 <= f:
        return math.nan
    if v0 >= f:
        return dt
    # b: the trajectories that touch the threshold once; below it none reaches it.
    if v0 < c1 * ie + c2 * i0 + c3 * i0**c4 * (c5 - ie) ** c6:
        return math.nan
    # Crossed and came back: the crossing lies before the maximum, whose time bounds the search.
    return (a1 / tm * ts) * math.log(b1 * i0 / (a2 * ie - a1 * i0 - a4 * v0))


@njit(inline="always", cache=True)
def _propagate(dt, refractory, v, iex, iin, ie, C, tm, ts):
    """The exact state ``dt`` later (V held while refractory)."""
    if not refractory:
        p21 = _p21(dt, ts, tm, C)
        v = -tm / C * math.expm1(-dt / tm) * ie + p21 * iex + p21 * iin + v * math.exp(-dt / tm)
    decay = math.exp(-dt / ts)
    return v, iex * decay, iin * decay


@njit(cache=True)
def _lossless_update(t0, m, h, slots, off, buf, cur, S, Q, R, ref_stamp, ref_off, ptr, ev_stamp, ev_off, ev_w,
                     rec_row, rec_out, spk_i, spk_t, spk_o):  # fmt: skip
    cnt = 0
    status = 0
    cap = spk_i.shape[0]
    n = S.shape[0]
    for i in range(n):
        gi = off + i
        theta, v_reset, v_min, i_e = Q[i, 1], Q[i, 2], Q[i, 3], Q[i, 4]
        C, tm, ts = Q[i, 5], Q[i, 6], Q[i, 7]
        k_test = _constants(C, tm, ts, theta)
        e_s = math.exp(-h / ts)
        em1_m = math.expm1(-h / tm)
        p20 = -tm / C * em1_m
        p21 = _p21(h, ts, tm, C)
        v, y0, iex, iin = S[i, 0], S[i, 1], S[i, 3], S[i, 5]
        p = ptr[i]
        if m > 0 and v >= theta and cnt < cap:
            # Set above threshold by the user: a spike at the start of the slice.
            cnt = _spike(i, t0 + 1, h * (1.0 - _EPS), cnt, spk_i, spk_t, spk_o, ref_stamp, ref_off, R)
            v = v_reset
        slot = t0 % slots
        for k in range(m):
            stamp = t0 + k + 1
            ie = i_e + y0
            grid_ex = buf[0, slot, gi]
            grid_in = buf[1, slot, gi]
            buf[0, slot, gi] = 0.0
            buf[1, slot, gi] = 0.0
            grid_done = grid_ex == 0.0 and grid_in == 0.0
            last = h  # the start of the current piece, as an offset before the step's end
            while True:
                # The state at the start of the piece: the crossing test reads it.
                vb, exb, inb = v, iex, iin
                # The next event: the end of refractoriness (0), an input spike with an
                # offset (1), the grid input at the step's end (2), or none (3).
                if ref_stamp[i] == stamp and (p >= ptr[i + 1] or ev_stamp[p] != stamp or ref_off[i] >= ev_off[p]):
                    what, at = 0, ref_off[i]
                elif p < ptr[i + 1] and ev_stamp[p] == stamp:
                    what, at = 1, ev_off[p]
                elif not grid_done:
                    what, at = 2, 0.0
                else:
                    what, at = 3, 0.0
                dt = last - at
                if dt > 0.0:
                    if what == 3 and last == h:
                        # A step without events: the fixed propagators and the lower bound.
                        if ref_stamp[i] < 0:
                            v = p20 * ie + p21 * iex + p21 * iin + em1_m * v + v
                            if v < v_min:
                                v = v_min
                        iex *= e_s
                        iin *= e_s
                    else:
                        v, iex, iin = _propagate(dt, ref_stamp[i] >= 0, v, iex, iin, ie, C, tm, ts)
                    tmax = _spike_within(dt, vb, exb + inb, ie, tm, ts, k_test)
                    if not math.isnan(tmax):
                        tc = _crossing_time(tmax, vb, exb, inb, ie, C, tm, ts, theta)
                        if tc < 0.0:
                            status = 1
                        elif cnt < cap:
                            cnt = _spike(i, stamp, last - tc, cnt, spk_i, spk_t, spk_o, ref_stamp, ref_off, R)
                        v = v_reset
                if what == 3:
                    break
                if what == 0:
                    ref_stamp[i] = -1
                elif what == 1:
                    # One input spike at a time, its weight to the current of its sign.
                    w = ev_w[p]
                    p += 1
                    if w >= 0.0:
                        iex += w
                    else:
                        iin += w
                else:
                    grid_done = True
                    iex += grid_ex
                    iin += grid_in
                last = at
            y0 = cur[slot, gi]
            cur[slot, gi] = 0.0
            slot += 1
            if slot == slots:
                slot = 0
            row = rec_row[i]
            if row >= 0:
                rec_out[row, 0, k] = iex + iin
                rec_out[row, 1, k] = iex
                rec_out[row, 2, k] = iin
                rec_out[row, 3, k] = v + Q[i, 0]
        S[i, 0], S[i, 1], S[i, 3], S[i, 5] = v, y0, iex, iin
    return cnt, status


class IafPscExpPsLossless(IafPscExpPs):
    """``iaf_psc_exp_ps_lossless``: ``iaf_psc_exp_ps`` with a threshold test that also
    finds crossings within an interval that end below threshold (equal synaptic time
    constants only)."""

    name = "iaf_psc_exp_ps_lossless"
    elementsize = 1016
    status_note = "exact integration between precise events, NEST's crossing test (`tests/test_models_ht.py`)"
    recordables = ("I_syn", "I_syn_ex", "I_syn_in", "V_m")
    params = {
        **IafPscExpPs.params,
        "V_min": Param(-np.inf, doc="Absolute lower bound of the membrane potential", unit="mV"),
        "I_syn": Param(0.0, state=True, readonly=True, doc="Total synaptic current", unit="pA"),
        "offset": Param(
            0.0, state=True, readonly=True, doc="Offset of the last spike before its step's end", unit="ms"
        ),
    }

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        require(
            v["V_reset"] >= v["V_min"], self, gid, "Reset potential must be greater than or equal to minimum potential."
        )
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(
            v["tau_syn_ex"] == v["tau_syn_in"],
            self,
            gid,
            "tau_syn_ex == tau_syn_in is required in the current implementation. If you need unequal time "
            "constants, use iaf_psc_exp_ps for now. See note in documentation, and github issue #921",
        )
        require(
            (v["tau_m"] > 0) & (v["tau_syn_ex"] > 0) & (v["tau_syn_in"] > 0),
            self,
            gid,
            "All time constants must be strictly positive.",
        )
        require(
            v["tau_m"] != v["tau_syn_ex"],
            self,
            gid,
            "Membrane and synapse time constant(s) must differ.See note in documentation.",
        )

    def prepare(self, group, kernel):
        super().prepare(group, kernel)
        a = group.aux
        a["R"] = np.where(a["R"] == 0, _NEVER, a["R"])

    def update(self, group, kernel, t0, m):
        a = group.aux
        ptr, st, of, w = kernel.precise.take(group.offset, group.n, t0, m)
        kernel.grow_spikes(group, group.n * (m + 1))
        count, status = _lossless_update(t0, m, kernel.h, kernel.slots, group.offset, kernel.buf, kernel.cur,
                                         a["S"], a["Q"], a["R"], a["ref_stamp"], a["ref_off"], ptr, st, of, w,
                                         a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_o"])  # fmt: skip
        if status:
            raise NESTErrors.NumericalInstability(
                "NEST detected a numerical instability while updating regula_falsi: time step too short to reach "
                "threshold.."
            )
        kernel.collect_spikes(group, np.array([count]))

    def finish_run(self, group, kernel):
        super().finish_run(group, kernel)
        a, v = group.aux, group.values
        if "S" in a:
            v["I_syn"][:] = v["I_syn_ex"] + v["I_syn_in"]
            v["offset"][:] = a["ref_off"]


MODELS = [IafPscExpPsLossless]
