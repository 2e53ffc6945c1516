"""Leaky integrate-and-fire neurons with precise spike times.

``iaf_psc_delta_ps``, ``iaf_psc_exp_ps`` and ``iaf_psc_alpha_ps`` integrate exactly
between input events, also inside a step: a step is split at the times of the events
that arrive during it (each event a spike with its offset, ``engine/precise.py``; spikes
on the grid arrive at the end of their step), and at the end of the refractory period.
After each piece the membrane is checked against the threshold; a crossing is located
inside the piece (analytically for the delta model's drift, otherwise by an Illinois
regula falsi on the exact solution, to machine precision), and the spike is emitted
with its offset. A spike starts a refractory period of ``t_ref`` that ends at the same
offset ``t_ref`` later; the membrane is held at ``V_reset`` during it.

Weights as in the grid models: a jump of ``V_m`` in mV (delta), a jump of the synaptic
current in pA (exp), an alpha current peaking at the weight (alpha). Current generators
act as in the grid models (the current of a step is latched for the next).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...errors import UnaccessedDictionaryEntry
from ..base import DBL_MAX, Model, Param, require
from .iaf_psc import _common_params

DELTA, EXP, ALPHA = 0, 1, 2


class _IafPscPs(Model):
    """What the three precise models share: parameters, checks and the update."""

    kind = DELTA
    precise_input = True
    recordables = ("V_m",)

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(self.refractory_steps(v["t_ref"]) >= 1, self, gid, "Refractory time must be at least one time step.")
        require(v["tau_m"] > 0, self, gid, "All time constants must be strictly positive.")
        for key in ("tau_syn_ex", "tau_syn_in"):
            if key in v:
                require(v[key] > 0, self, gid, "All time constants must be strictly positive.")

    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            # V (relative to E_L), latched current, then (dI, I) excitatory and inhibitory.
            a["S"] = np.zeros((group.n, 6))
            a["ref_stamp"] = np.full(group.n, -1, dtype=np.int64)  # stamp at which refractoriness ends
            a["ref_off"] = np.zeros(group.n)
        S = a["S"]
        changed = S[:, 0] + a.get("E_L", v["E_L"]) != v["V_m"]
        S[changed, 0] = v["V_m"][changed] - v["E_L"][changed]
        self.state_to_kernel(group)
        a["E_L"] = v["E_L"].copy()
        ones = np.ones(group.n)
        a["Q"] = np.column_stack(
            [
                v["E_L"],
                v["V_th"] - v["E_L"],
                v["V_reset"] - v["E_L"],
                v["V_min"] - v["E_L"],
                v["I_e"],
                v["C_m"],
                v["tau_m"],
                v.get("tau_syn_ex", ones),
                v.get("tau_syn_in", ones),
            ]
        )
        a["R"] = self.refractory_steps(v["t_ref"])
        # A spike needs a refractory period of at least one step: at most one per step.
        kernel.reserve_spikes(group, kernel.slice_steps + 1)

    @staticmethod
    def refractory_steps(t_ref):
        """``t_ref`` in whole steps, rounded up (measured: NEST 3.10 takes 0.05 ms at 0.1 ms as one step)."""
        from ...engine.kernel import kernel

        tics = np.rint(np.asarray(t_ref, dtype=float) * kernel.tics_per_ms).astype(np.int64)
        return -(-tics // kernel.tics_per_step)

    def state_to_kernel(self, group):
        """Synaptic state set by the user into the kernel's matrix (exp and alpha)."""

    def update(self, group, kernel, t0, m):
        a = group.aux
        ptr, st, of, w = kernel.precise.take(group.offset, group.n, t0, m)
        kernel.grow_spikes(group, group.n * (m + 1))
        count = _ps_update(self.kind, t0, m, kernel.h, kernel.slots, group.offset, kernel.buf, kernel.cur,
                           a["S"], a["Q"], a["R"], a["ref_stamp"], a["ref_off"], ptr, st, of, w,
                           a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_o"])  # fmt: skip
        kernel.collect_spikes(group, np.array([count]))

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            return
        v["V_m"][:] = a["S"][:, 0] + a["Q"][:, 0]
        a["E_L"] = v["E_L"].copy()
        v["is_refractory"][:] = a["ref_stamp"] > kernel.t
        self.state_from_kernel(group)

    def state_from_kernel(self, group):
        pass


def _ps_params() -> dict[str, Param]:
    p = _common_params()
    p["is_refractory"] = Param(False, kind="bool", state=True, readonly=True, doc="Whether the neuron is refractory")
    return p


class IafPscDeltaPs(_IafPscPs):
    """``iaf_psc_delta_ps``: input spikes make ``V_m`` jump at their precise times."""

    name = "iaf_psc_delta_ps"
    elementsize = 664
    kind = DELTA
    params = {
        **_ps_params(),
        "V_min": Param(-DBL_MAX, doc="Absolute lower bound of the membrane potential", unit="mV"),
        "refractory_input": Param(False, kind="bool", doc="Keep input arriving during refractoriness"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        if np.any(v["refractory_input"]):
            # NEST 3.10 lists the key in the defaults but never reads it when set.
            raise UnaccessedDictionaryEntry(
                "Unaccessed elements in params, in function NodeManager::set_status:  refractory_input"
            )


class IafPscExpPs(_IafPscPs):
    """``iaf_psc_exp_ps``: exponential synaptic currents, jumps at precise times."""

    name = "iaf_psc_exp_ps"
    elementsize = 904
    kind = EXP
    params = {
        **_ps_params(),
        "I_syn_ex": Param(0.0, state=True, doc="Excitatory synaptic current", unit="pA"),
        "I_syn_in": Param(0.0, state=True, doc="Inhibitory synaptic current", unit="pA"),
        "tau_syn_ex": Param(2.0, doc="Excitatory synaptic time constant", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Inhibitory synaptic time constant", unit="ms"),
    }
    _state_cols = {"I_syn_ex": 3, "I_syn_in": 5}

    def state_to_kernel(self, group):
        a, v = group.aux, group.values
        seen = a.setdefault("seen", {})
        for key, col in self._state_cols.items():
            # Only values the user changed since the last run replace the kernel's.
            if key not in seen or not np.array_equal(seen[key], v[key]):
                a["S"][:, col] = v[key]

    def state_from_kernel(self, group):
        a, v = group.aux, group.values
        seen = a.setdefault("seen", {})
        for key, col in self._state_cols.items():
            v[key][:] = a["S"][:, col]
            seen[key] = v[key].copy()


class IafPscAlphaPs(IafPscExpPs):
    """``iaf_psc_alpha_ps``: alpha-shaped synaptic currents starting at precise times."""

    name = "iaf_psc_alpha_ps"
    elementsize = 1000
    kind = ALPHA
    recordables = ("I_syn_ex", "I_syn_in", "V_m")
    # NEST 3.10 reports the synaptic state but does not take it from SetStatus (measured).
    params = {
        **IafPscExpPs.params,
        "I_syn_ex": Param(0.0, state=True, readonly=True, doc="Excitatory synaptic current", unit="pA"),
        "I_syn_in": Param(0.0, state=True, readonly=True, doc="Inhibitory synaptic current", unit="pA"),
        "dI_syn_ex": Param(
            0.0, state=True, readonly=True, doc="Slope of the excitatory synaptic current", unit="pA/ms"
        ),
        "dI_syn_in": Param(
            0.0, state=True, readonly=True, doc="Slope of the inhibitory synaptic current", unit="pA/ms"
        ),
        "tau_syn_ex": Param(2.0, doc="Rise time of the excitatory synaptic alpha function", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Rise time of the inhibitory synaptic alpha function", unit="ms"),
    }
    _state_cols = {"dI_syn_ex": 2, "I_syn_ex": 3, "dI_syn_in": 4, "I_syn_in": 5}


@njit(inline="always", cache=True)
def _syn_to_v(kind, slope, cur, tau_s, tau_m, C, dt, e_m, e_s):
    """Contribution to V after ``dt`` of a synaptic current ``cur`` (alpha: and its ``slope``)."""
    a = 1.0 / tau_s - 1.0 / tau_m
    if kind == EXP:
        if abs(a) * dt < 1e-12:
            return cur * dt * e_m / C
        return cur * (e_m - e_s) / (a * C)
    if abs(a) * dt < 1e-12:
        return e_m * (cur * dt + 0.5 * slope * dt * dt) / C
    return (cur * (e_m - e_s) / a + slope * (e_m - e_s * (1.0 + a * dt)) / (a * a)) / C


@njit(inline="always", cache=True)
def _v_after(kind, dt, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin):
    """V relative to E_L after ``dt`` ms from the given state (not refractory)."""
    return _v_from(kind, dt, math.exp(-dt / tm), math.expm1(-dt / tm), math.exp(-dt / tex), math.exp(-dt / tin),
                   v, y0, dex, iex, din, iin, ie, C, tm, tex, tin)  # fmt: skip


@njit(inline="always", cache=True)
def _v_from(kind, dt, e_m, em1, e_ex, e_in, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin):
    """``_v_after`` with the decay factors over ``dt`` given (and ``em1 = expm1(-dt / tm)``)."""
    out = v * e_m - tm * (ie + y0) / C * em1
    if kind != DELTA:
        out += _syn_to_v(kind, dex, iex, tex, tm, C, dt, e_m, e_ex)
        out += _syn_to_v(kind, din, iin, tin, tm, C, dt, e_m, e_in)
    return out


@njit(cache=True)
def _crossing(kind, dt, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin, theta):
    """Time in (0, dt] at which V first reaches ``theta`` (V(0) < theta <= V(dt))."""
    if kind == DELTA:
        inf = tm * (ie + y0) / C
        if inf > theta:
            return min(max(tm * math.log((inf - v) / (inf - theta)), 0.0), dt)
        return dt
    # Illinois variant of regula falsi on the exact solution, bracketed in [a, b].
    a, fa = 0.0, v - theta
    b, fb = dt, _v_after(kind, dt, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin) - theta
    side = 0
    for _ in range(200):
        c = (a * fb - b * fa) / (fb - fa)
        if not (a < c < b):
            c = 0.5 * (a + b)
        fc = _v_after(kind, c, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin) - theta
        if fc == 0.0:
            return c
        if fc > 0.0:
            b, fb = c, fc
            if side == 1:
                fa *= 0.5
            side = 1
        else:
            a, fa = c, fc
            if side == -1:
                fb *= 0.5
            side = -1
        if b - a <= 4e-16 * dt:
            break
    return b


@njit(inline="always", cache=True)
def _spike(i, stamp, offset, cnt, spk_i, spk_t, spk_o, ref_stamp, ref_off, R):
    """Emit a spike of node ``i`` and start its refractory period (ending at the same offset)."""
    spk_i[cnt] = i
    spk_t[cnt] = stamp
    spk_o[cnt] = offset
    ref_stamp[i] = stamp + R[i]
    ref_off[i] = offset
    return cnt + 1


@njit(cache=True)
def _ps_update(kind, t0, m, h, slots, off, buf, cur, S, Q, R, ref_stamp, ref_off, ptr, ev_stamp, ev_off, ev_w,
               rec_row, rec_out, spk_i, spk_t, spk_o):  # fmt: skip
    cnt = 0
    n = S.shape[0]
    for i in range(n):
        gi = off + i
        theta, v_reset, v_min, ie = Q[i, 1], Q[i, 2], Q[i, 3], Q[i, 4]
        C, tm, tex, tin = Q[i, 5], Q[i, 6], Q[i, 7], Q[i, 8]
        full = (math.exp(-h / tm), math.expm1(-h / tm), math.exp(-h / tex), math.exp(-h / tin))
        v, y0, dex, iex, din, iin = S[i, 0], S[i, 1], S[i, 2], S[i, 3], S[i, 4], S[i, 5]
        p = ptr[i]
        slot = t0 % slots
        for k in range(m):
            stamp = t0 + k + 1
            last = h  # time left in the step, as an offset: h at its start, 0 at its end
            grid_ex = buf[0, slot, gi]
            grid_in = buf[1, slot, gi]
            buf[0, slot, gi] = 0.0
            buf[1, slot, gi] = 0.0
            grid_done = False
            while True:
                # The next thing to happen in this step: the end of refractoriness, an
                # input event (all of one offset together), or the grid input at its end.
                is_ref = False
                w_ex = 0.0
                w_in = 0.0
                if ref_stamp[i] == stamp and (p >= ptr[i + 1] or ev_stamp[p] != stamp or ref_off[i] >= ev_off[p]):
                    at = ref_off[i]
                    is_ref = True
                elif p < ptr[i + 1] and ev_stamp[p] == stamp:
                    at = ev_off[p]
                    while p < ptr[i + 1] and ev_stamp[p] == stamp and ev_off[p] == at:
                        if ev_w[p] >= 0.0:
                            w_ex += ev_w[p]
                        else:
                            w_in += ev_w[p]
                        p += 1
                elif not grid_done:
                    at = 0.0
                    w_ex, w_in = grid_ex, grid_in
                    grid_done = True
                else:
                    break
                dt = last - at
                refractory = ref_stamp[i] >= 0
                if dt > 0.0:
                    if dt == h:
                        # A whole step without events: the factors computed once.
                        e_m, em1, e_ex, e_in = full[0], full[1], full[2], full[3]
                    else:
                        e_m, em1 = math.exp(-dt / tm), math.expm1(-dt / tm)
                        e_ex, e_in = math.exp(-dt / tex), math.exp(-dt / tin)
                    if not refractory:
                        v_end = _v_from(kind, dt, e_m, em1, e_ex, e_in, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin)
                        if v_end < v_min:
                            v_end = v_min
                        if v_end >= theta:
                            tc = _crossing(kind, dt, v, y0, dex, iex, din, iin, ie, C, tm, tex, tin, theta)
                            cnt = _spike(i, stamp, last - tc, cnt, spk_i, spk_t, spk_o, ref_stamp, ref_off, R)
                            v_end = v_reset
                            refractory = True
                        v = v_end
                    if kind != DELTA:
                        if kind == ALPHA:
                            iex = (iex + dex * dt) * e_ex
                            iin = (iin + din * dt) * e_in
                        else:
                            iex *= e_ex
                            iin *= e_in
                        dex *= e_ex
                        din *= e_in
                last = at
                if is_ref:
                    ref_stamp[i] = -1
                    continue
                if kind == DELTA:
                    if not refractory and (w_ex != 0.0 or w_in != 0.0):
                        v += w_ex + w_in
                        if v < v_min:
                            v = v_min
                        if v >= theta:
                            # The jump crosses the threshold: a spike at the event's time.
                            cnt = _spike(i, stamp, at, cnt, spk_i, spk_t, spk_o, ref_stamp, ref_off, R)
                            v = v_reset
                elif kind == EXP:
                    iex += w_ex
                    iin += w_in
                else:
                    dex += w_ex * math.e / tex
                    din += w_in * math.e / tin
            y0 = cur[slot, gi]
            cur[slot, gi] = 0.0
            slot += 1
            if slot == slots:
                slot = 0
            row = rec_row[i]
            if row >= 0:
                if kind == ALPHA:
                    rec_out[row, 0, k] = iex
                    rec_out[row, 1, k] = iin
                    rec_out[row, 2, k] = v + Q[i, 0]
                else:
                    rec_out[row, 0, k] = v + Q[i, 0]
        S[i, 0], S[i, 1], S[i, 2], S[i, 3], S[i, 4], S[i, 5] = v, y0, dex, iex, din, iin
    return cnt


MODELS = [IafPscAlphaPs, IafPscDeltaPs, IafPscExpPs]
