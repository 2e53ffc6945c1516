"""e-prop neurons of NEST 3.10: ``eprop_iaf`` (recurrent) and ``eprop_readout``.

Both integrate ``v = exp(-h / tau_m) v + tau_m / C_m (1 - exp(-h / tau_m)) I + sum w z`` with
``v`` relative to ``E_L``; the current ``I`` (``I_e`` plus input currents) is latched after the
step and used in the next one (measured: ``I_e`` acts from the second step). ``eprop_iaf``:
bounded below by ``V_min``; while refractory (the ``t_ref`` steps after a spike, counted from
the step after it, the last one free again) no spike and a zero surrogate gradient; else the
surrogate gradient of ``v`` and, at ``v >= V_th``, a spike and ``v -= V_th - E_L`` in the same
step (the recorded ``V_m`` is after it). The surrogate gradients are those of NEST's
documentation except the piecewise-linear one, ``gamma max(0, 1 - beta |v - V_th|)`` (NEST
3.10 does not divide by ``V_th``; measured) and the arctan derivative, ``gamma / (1 + (beta (v -
V_th))^2)`` (no pi; measured). The firing rate for regularisation is
``f = kappa_reg f + (1 - kappa_reg) z / h``.

``eprop_readout``: the same membrane without spikes; its learning window (port 1) and target
(port 2) come from ``step_rate_generator`` s along ``rate_connection_delayed`` (the value of
``t - delay``); ``readout_signal = window V_m``, ``target_signal = window target``,
``error_signal`` their difference, sent along ``eprop_learning_signal_connection`` to the
recurrent neurons (``engine/eprop.py``).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...engine import eprop as ep
from ...errors import NESTErrors
from ..base import DBL_MAX, Param, require
from ._exact import ExactNeuron

SURROGATES = ("piecewise_linear", "exponential", "fast_sigmoid_derivative", "arctan_derivative")


def _cutoff_steps(cutoff_ms, h) -> np.ndarray:
    c = np.asarray(cutoff_ms, dtype=float) / h
    return np.where(np.isfinite(c), np.rint(np.minimum(c, 2.0**62)), 2.0**62).astype(np.int64)


def _common_params() -> dict[str, Param]:
    return {
        "C_m": Param(250.0, doc="Capacitance of the membrane", unit="pF"),
        "I_e": Param(0.0, doc="Constant external input current", unit="pA"),
        "V_min": Param(-DBL_MAX, doc="Absolute lower bound of the membrane voltage", unit="mV"),
        "eprop_isi_trace_cutoff": Param(math.inf, doc="Cutoff of the e-prop update between two spikes", unit="ms"),
        "tau_m": Param(10.0, doc="Time constant of the membrane", unit="ms"),
    }


class _Eprop(ExactNeuron):
    """What the e-prop neurons share: the membrane, the checks, the history rows."""

    elementsize = 632
    vm_relative = True
    readout = False
    adaptive = False
    archive = ep.EPROP

    def check(self, v, n, gid):
        require(v["C_m"] > 0, self, gid, "C_m > 0 required.")
        require(v["tau_m"] > 0, self, gid, "tau_m > 0 required.")
        require(v["eprop_isi_trace_cutoff"] >= 0, self, gid, "eprop_isi_trace_cutoff ≥ 0 required.")

    def propagators(self, v, h):
        p33 = np.exp(-h / v["tau_m"])
        return np.column_stack([p33, v["tau_m"] / v["C_m"] * (1.0 - p33)])

    def prepare(self, group, kernel):
        super().prepare(group, kernel)
        hist = ep.history(kernel)
        rows = hist.rows(kernel, group)
        group.aux["hrow"] = rows
        alpha = np.exp(-kernel.h / group.values["tau_m"])
        kappa = np.zeros(group.n) if self.readout else group.values["kappa"]
        beta = group.values["adapt_beta"] if self.adaptive else 0.0
        rho = np.exp(-kernel.h / group.values["adapt_tau"]) if self.adaptive else 0.0
        cutoff = _cutoff_steps(group.values["eprop_isi_trace_cutoff"], kernel.h)
        kappa_reg = np.zeros(group.n) if self.readout else group.values["kappa_reg"]
        hist.set_params(rows, alpha, kappa, kappa_reg, cutoff, self.readout, beta, rho)

    def _history(self, group, kernel, t0, m):
        """The history ready for the slice; the first step of each node's history when recorded."""
        hist = ep.history(kernel)
        if hist.now != t0 + m:
            hist.room(kernel, t0, m)
            hist.clear(t0, m)
            if np.any(group.aux["rec_row"] >= 0):
                hist.refresh_start(kernel)
            hist.now = t0 + m
        if len(hist.start) < kernel.n_nodes:
            hist.start = np.concatenate([hist.start, np.zeros(kernel.n_nodes - len(hist.start), dtype=np.int64)])
        return hist


class EpropIaf(_Eprop):
    """Leaky integrate-and-fire neuron for e-prop: delta currents, reset by subtraction."""

    name = "eprop_iaf"
    status_note = "exact integration, NEST's step order; traces and learned weights equal NEST 3.10's (`tests/test_models_eprop.py`)"
    params = {
        **_common_params(),
        "E_L": Param(-70.0, doc="Leak / resting membrane potential", unit="mV"),
        "V_m": Param(-70.0, state=True, doc="Membrane voltage", unit="mV"),
        "V_th": Param(-55.0, doc="Spike threshold voltage", unit="mV"),
        "c_reg": Param(0.0, doc="Coefficient of firing rate regularization"),
        "f_target": Param(0.01, doc="Target firing rate of rate regularization (set in Hz, shown in 1/ms)"),
        "flush_event_send_interval": Param(math.inf, doc="Interval after which a flush event is sent", unit="ms"),
        "ignore_and_spike": Param(False, kind="bool", doc="Ignore input and spike regularly"),
        "ignore_and_spike_interval": Param(100.0, doc="Interval of ignore_and_spike", unit="ms"),
        "ignore_and_spike_offset": Param(1.0, doc="Offset of ignore_and_spike", unit="ms"),
        "kappa": Param(0.97, doc="Low-pass filter of the eligibility trace"),
        "kappa_reg": Param(0.97, doc="Low-pass filter of the firing rate for regularization"),
        "learning_signal": Param(0.0, state=True, doc="Learning signal", unit="pA"),
        "surrogate_gradient": Param(0.0, state=True, doc="Surrogate gradient / pseudo-derivative"),
        "surrogate_gradient_function": Param("piecewise_linear", kind="str", doc="Surrogate gradient function"),
        "surrogate_gradient_height": Param(0.3, doc="Height scaling of the surrogate gradient"),
        "surrogate_gradient_width": Param(1.0, doc="Width scaling of the surrogate gradient"),
        "t_ref": Param(2.0, doc="Duration of the refractory period", unit="ms"),
    }
    recordables = ("V_m", "eprop_history_duration", "learning_signal", "surrogate_gradient")
    state_columns = ("V_m", "I_in", "surrogate_gradient", "learning_signal", "f_ema", "adaptation", "I_refr")
    visible = ("V_m", "surrogate_gradient", "learning_signal")
    secondary_in = (ep.EPROP_LS,)

    def base(self, v, key):
        return v["E_L"] if key == "V_m" else 0.0

    def translate_params(self, params):
        # NEST takes f_target in Hz and shows it per ms (measured: 10.0 reads back as 0.01).
        if isinstance(params, dict) and "f_target" in params:
            params = dict(params)
            params["f_target"] = np.asarray(params["f_target"], dtype=float) / 1000.0
        return params

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["t_ref"] >= 0, self, gid, "t_ref ≥ 0 required.")
        require(v["c_reg"] >= 0, self, gid, "c_reg ≥ 0 required.")
        require(v["f_target"] >= 0, self, gid, "f_target ≥ 0 required.")
        require((v["kappa"] >= 0) & (v["kappa"] <= 1), self, gid, "0 ≤ kappa ≤ 1 required.")
        require((v["kappa_reg"] >= 0) & (v["kappa_reg"] <= 1), self, gid, "0 ≤ kappa_reg ≤ 1 required.")
        require(v["eprop_isi_trace_cutoff"] >= 0, self, gid, "eprop_isi_trace_cutoff ≥ 0 required.")
        names = ", ".join(f'"{s}"' for s in sorted(SURROGATES))
        fn = np.asarray(v["surrogate_gradient_function"], dtype=object)
        require(
            np.isin(fn, SURROGATES),
            self,
            gid,
            f"Surrogate gradient / pseudo-derivate function surrogate_gradient_function from [ {names} ] required.",
        )
        require(v["surrogate_gradient_height"] > 0, self, gid, "surrogate_gradient_height > 0 required.")
        require(v["surrogate_gradient_width"] > 0, self, gid, "surrogate_gradient_width > 0 required.")
        require(v["V_th"] >= v["V_min"], self, gid, "V_th ≥ V_min required.")
        require(v["flush_event_send_interval"] > 0, self, gid, "flush_event_send_interval > 0 required.")
        require(v["ignore_and_spike_interval"] > 0, self, gid, "ignore_and_spike_interval > 0 required.")

    # Variants (subclasses): V_reset, clamping while refractory, adaptive threshold.
    psc_delta = False
    adaptive = False
    # Whether a spike raises the adaptation (NEST 3.10's eprop_iaf_psc_delta_adapt never does; measured).
    spike_adapts = True

    def constants(self, v, kernel):
        fn = np.array([SURROGATES.index(str(f)) for f in np.atleast_1d(v["surrogate_gradient_function"])], float)
        n = len(fn)
        v_reset = v["V_reset"] - v["E_L"] if self.psc_delta else np.zeros(n)
        refr_in = v["refractory_input"].astype(float) if self.psc_delta else np.zeros(n)
        beta = v["adapt_beta"] if self.adaptive else np.zeros(n)
        rho = np.exp(-kernel.h / v["adapt_tau"]) if self.adaptive else np.zeros(n)
        return np.column_stack([
            v["I_e"], v["V_th"] - v["E_L"], v["V_min"] - v["E_L"], np.rint(v["t_ref"] / kernel.h),
            v["c_reg"], v["f_target"], v["kappa_reg"], fn,
            v["surrogate_gradient_height"], 1.0 / v["surrogate_gradient_width"], v["E_L"],
            np.full(n, float(self.psc_delta)), v_reset, refr_in, beta, rho, np.exp(-kernel.h / v["tau_m"]),
            np.full(n, float(self.spike_adapts)),
        ])  # fmt: skip

    def prepare(self, group, kernel):
        v = group.values
        if np.any(v["ignore_and_spike"]) or np.any(np.isfinite(v["flush_event_send_interval"])):
            raise NESTErrors.NotImplemented(
                f"{self.name}: ignore_and_spike and a finite flush_event_send_interval are not supported by nestling."
            )
        super().prepare(group, kernel)

    def update(self, group, kernel, t0, m):
        a = group.aux
        hist = self._history(group, kernel, t0, m)
        cols = np.array([self.recordables.index(k) if k in self.recordables else -1 for k in _REC_KEYS])
        counts = _iaf_update(t0, m, kernel.slots, group.offset, kernel.h, kernel.buf, kernel.cur, a["S"], a["Q"],
                             a["P"], a["r"], a["hrow"], hist.psi, hist.reg, hist.lsig, hist.width, hist.start,
                             a["rec_row"], a["rec_out"], cols, a["spk_i"], a["spk_t"])  # fmt: skip
        kernel.collect_spikes(group, np.array([counts]))


@njit(cache=True)
def surrogate(fn, v, vth, gamma, beta):
    """psi(v) of NEST's four surrogate gradient functions (``v``, ``vth`` relative to E_L)."""
    if fn == 0:
        return gamma * max(0.0, 1.0 - beta * abs(v - vth))
    if fn == 1:
        return gamma * math.exp(-beta * abs(v - vth))
    if fn == 2:
        return gamma / (1.0 + beta * abs(v - vth)) ** 2
    # (NEST 3.10 computes gamma / (1 + (beta (v - vth))^2), without the documented pi; measured.)
    x = beta * (v - vth)
    return gamma / (1.0 + x * x)


_REC_KEYS = ("V_m", "eprop_history_duration", "learning_signal", "surrogate_gradient", "V_th_adapt", "adaptation")


@njit(cache=True)
def _iaf_update(t0, m, slots, off, h, buf, cur, S, Q, P, R, hrow, psi_h, reg_h, lsig, width, start, rec_row, rec_out,
                cols, spk_i, spk_t):  # fmt: skip
    # S columns: v (relative to E_L), latched current, psi, learning signal, f_ema, adaptation,
    # input held while refractory.
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        t = t0 + k + 1
        for i in range(S.shape[0]):
            gi = off + i
            inp = buf[0, slot, gi] + buf[1, slot, gi]
            buf[0, slot, gi] = 0.0
            buf[1, slot, gi] = 0.0
            delta = Q[i, 11] != 0.0
            clamped = delta and R[i, 0] > 0
            if R[i, 0] > 0:
                R[i, 0] -= 1
            if clamped:
                v = Q[i, 12]
                if Q[i, 13] != 0.0:
                    # Input during refractoriness arrives afterwards, decayed by the steps it waited.
                    S[i, 6] += inp * Q[i, 16] ** (R[i, 0] + 1)
            else:
                i_now = Q[i, 0] if delta else 0.0
                v = P[i, 0] * S[i, 0] + P[i, 1] * (S[i, 1] + i_now) + inp + S[i, 6]
                S[i, 6] = 0.0
                if v < Q[i, 2]:
                    v = Q[i, 2]
            # eprop_iaf latches I_e with the input current; the psc_delta models apply it at once.
            S[i, 1] = cur[slot, gi] + (0.0 if delta else Q[i, 0])
            cur[slot, gi] = 0.0
            thr = Q[i, 1] + Q[i, 14] * S[i, 5]
            psi = 0.0
            z = 0.0
            if R[i, 0] == 0:
                psi = surrogate(np.int64(Q[i, 7]), v, thr, Q[i, 8], Q[i, 9])
                if v >= thr:
                    v = Q[i, 12] if delta else v - Q[i, 1]
                    R[i, 0] = np.int64(Q[i, 3])
                    z = 1.0
                    spk_i[cnt] = i
                    spk_t[cnt] = t
                    cnt += 1
            S[i, 0] = v
            S[i, 2] = psi
            S[i, 4] = Q[i, 6] * S[i, 4] + (1.0 - Q[i, 6]) * z / h
            rw = hrow[i]
            c = t % width
            psi_h[rw, c] = psi
            reg_h[rw, c] = Q[i, 4] * (S[i, 4] - Q[i, 5])
            # The signal of the previous step, as NEST shows it: gone (0) once no incoming synapse
            # reads that step any more (measured with a single incoming synapse).
            S[i, 3] = lsig[rw, (t - 1) % width] if t - 1 > start[gi] else 0.0
            row = rec_row[i]
            if row >= 0:
                rec_out[row, cols[0], k] = v + Q[i, 10]
                rec_out[row, cols[1], k] = (t - start[gi] + 1) * h if start[gi] > 0 else 0.0
                rec_out[row, cols[2], k] = S[i, 3]
                rec_out[row, cols[3], k] = psi
                if cols[4] >= 0:
                    rec_out[row, cols[4], k] = thr + Q[i, 10]
                    rec_out[row, cols[5], k] = S[i, 5]
            # The adaptation of the next step: a = rho a + z.
            S[i, 5] = Q[i, 15] * S[i, 5] + Q[i, 17] * z
        slot += 1
        if slot == slots:
            slot = 0
    return cnt


class EpropReadout(_Eprop):
    """Readout neuron for e-prop: a leaky integrator whose error is the learning signal."""

    name = "eprop_readout"
    elementsize = 488
    readout = True
    status_note = "exact integration, NEST's step order; traces and learned weights equal NEST 3.10's (`tests/test_models_eprop.py`)"
    params = {
        **_common_params(),
        "E_L": Param(0.0, doc="Leak / resting membrane potential", unit="mV"),
        "V_m": Param(0.0, state=True, doc="Membrane voltage", unit="mV"),
        "error_signal": Param(0.0, state=True, doc="Error signal", unit="mV"),
        "readout_signal": Param(0.0, state=True, doc="Readout signal", unit="mV"),
        "target_signal": Param(0.0, state=True, doc="Target signal", unit="mV"),
    }
    recordables = ("V_m", "eprop_history_duration", "error_signal", "readout_signal", "target_signal")
    receptor_types = {"eprop_learning_window": 1, "target_signal": 2}
    state_columns = ("V_m", "I_in", "error_signal", "readout_signal", "target_signal")
    visible = ("V_m", "error_signal", "readout_signal", "target_signal")
    secondary_out = (ep.EPROP_LS,)
    secondary_in = ("delayed_rate",)

    def base(self, v, key):
        return v["E_L"] if key == "V_m" else 0.0

    def extra_status(self, group, i):
        return {"receptor_types": dict(self.receptor_types)}

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        # Ports 1 and 2 take the rates of step_rate_generators (which Connect reports as currents).
        if port not in ((0, 1, 2) if event == "CurrentEvent" else (0,)):
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")

    def constants(self, v, kernel):
        return np.column_stack([v["I_e"], v["V_min"] - v["E_L"], v["E_L"]])

    def update(self, group, kernel, t0, m):
        a = group.aux
        hist = self._history(group, kernel, t0, m)
        lk = ep.links(kernel, hist)
        window, target = _rate_inputs(kernel, group, t0, m)
        _readout_update(t0, m, kernel.slots, group.offset, kernel.h, kernel.buf, kernel.cur, a["S"], a["Q"], a["P"],
                        window, target, a["hrow"], hist.lsig, hist.width, hist.start, lk.src, lk.tgt_row, lk.w,
                        a["rec_row"], a["rec_out"])  # fmt: skip


def _rate_inputs(kernel, group, t0, m):
    """(n, m) learning window and target of the slice's steps: the sum of weight times the
    value each ``step_rate_generator`` source held ``delay`` steps earlier."""
    window = np.zeros((group.n, m))
    target = np.zeros((group.n, m))
    cache = getattr(kernel, "_eprop_rates", None)
    key = (id(kernel.blocks), len(kernel.blocks), sum(len(b) for b in kernel.blocks))
    if cache is None or cache[0] != key:
        conns = []
        for b in kernel.blocks:
            if b.released or not len(b) or b.synapse_model not in kernel.registry.synapses:
                continue
            if getattr(kernel.registry.synapses[b.synapse_model], "secondary", None) != "delayed_rate":
                continue
            src = np.asarray(b.source, dtype=np.int64)
            tgt = np.asarray(b.target, dtype=np.int64)
            w = np.broadcast_to(b.weights(), (len(b),)).astype(float)
            d = np.broadcast_to(b.delays(), (len(b),)).astype(np.int64)
            conns.append((src, tgt, w, d, int(b.receptor)))
        cache = kernel._eprop_rates = (key, conns)
    steps = np.arange(t0 + 1, t0 + m + 1)
    for src, tgt, w, d, port in cache[1]:
        sel = (tgt > group.offset) & (tgt <= group.offset + group.n)
        if not sel.any() or port not in (1, 2):
            continue
        out = window if port == 1 else target
        for s, tg, wc, dc in zip(src[sel], tgt[sel], w[sel], d[sel]):
            g, li = kernel.group_of(int(s))
            vals = _step_values(g, li, steps - dc, kernel.h)
            out[tg - 1 - group.offset] += wc * vals
    return window, target


def _step_values(g, li, steps, h) -> np.ndarray:
    """The amplitude a ``step_rate_generator`` holds at each step (0 before its first time)."""
    times = np.asarray(g.values["amplitude_times"][li], dtype=float)
    vals = np.asarray(g.values["amplitude_values"][li], dtype=float)
    if not len(times):
        return np.zeros(len(steps))
    at = np.rint(times / h).astype(np.int64)
    idx = np.searchsorted(at, steps, side="right") - 1
    return np.where(idx >= 0, vals[np.maximum(idx, 0)], 0.0)


@njit(cache=True)
def _readout_update(t0, m, slots, off, h, buf, cur, S, Q, P, window, target, hrow, lsig, width, start, ls_src, ls_row,
                    ls_w, rec_row, rec_out):  # fmt: skip
    slot = t0 % slots
    n = S.shape[0]
    err = np.zeros(n)
    for k in range(m):
        t = t0 + k + 1
        for i in range(n):
            gi = off + i
            inp = buf[0, slot, gi] + buf[1, slot, gi]
            buf[0, slot, gi] = 0.0
            buf[1, slot, gi] = 0.0
            v = P[i, 0] * S[i, 0] + P[i, 1] * S[i, 1] + inp
            if v < Q[i, 1]:
                v = Q[i, 1]
            S[i, 1] = Q[i, 0] + cur[slot, gi]
            cur[slot, gi] = 0.0
            S[i, 0] = v
            S[i, 3] = window[i, k] * (v + Q[i, 2])
            S[i, 4] = window[i, k] * target[i, k]
            S[i, 2] = S[i, 3] - S[i, 4]
            err[i] = S[i, 2]
            row = rec_row[i]
            if row >= 0:
                rec_out[row, 0, k] = v + Q[i, 2]
                rec_out[row, 1, k] = (t - start[gi] + 1) * h if start[gi] > 0 else 0.0
                rec_out[row, 2, k] = S[i, 2]
                rec_out[row, 3, k] = S[i, 3]
                rec_out[row, 4, k] = S[i, 4]
        ep.send_errors(t, width, off, n, err, ls_src, ls_row, ls_w, lsig, hrow)
        slot += 1
        if slot == slots:
            slot = 0


class EpropIafPscDelta(EpropIaf):
    """``eprop_iaf`` with ``V_reset``: clamped there while refractory (input then dropped or, with
    ``refractory_input``, added afterwards decayed by the steps it waited), ``I_e`` acting at once."""

    name = "eprop_iaf_psc_delta"
    elementsize = 640
    psc_delta = True
    params = {
        **EpropIaf.params,
        "V_reset": Param(-70.0, doc="Reset voltage", unit="mV"),
        "refractory_input": Param(False, kind="bool", doc="Keep the input that arrives while refractory"),
    }

    def check(self, v, n, gid):
        require(v["V_reset"] < v["V_th"], self, gid, "V_reset < V_th required.")
        super().check(v, n, gid)


class EpropIafAdapt(EpropIaf):
    """``eprop_iaf`` with an adaptive threshold ``V_th + adapt_beta a``, ``a = rho a + z``."""

    name = "eprop_iaf_adapt"
    elementsize = 672
    adaptive = True
    params = {
        **EpropIaf.params,
        "V_th_adapt": Param(-55.0, state=True, doc="Adapting spike threshold voltage", unit="mV"),
        "adapt_beta": Param(1.0, doc="Prefactor of the threshold adaptation"),
        "adapt_tau": Param(10.0, doc="Time constant of the threshold adaptation", unit="ms"),
        "adaptation": Param(0.0, state=True, doc="Threshold adaptation"),
    }
    recordables = ("V_m", "V_th_adapt", "adaptation", "eprop_history_duration", "learning_signal",
                   "surrogate_gradient")  # fmt: skip
    visible = ("V_m", "surrogate_gradient", "learning_signal", "adaptation")

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["adapt_tau"] > 0, self, gid, "adapt_tau > 0 required.")
        require(v["adapt_beta"] >= 0, self, gid, "adapt_beta ≥ 0 required.")

    def sync_status(self, group, kernel):
        v = group.values
        v["V_th_adapt"][:] = v["V_th"] + v["adapt_beta"] * v["adaptation"]


class EpropIafPscDeltaAdapt(EpropIafAdapt):
    """``eprop_iaf_psc_delta`` with the adaptive threshold of ``eprop_iaf_adapt``."""

    name = "eprop_iaf_psc_delta_adapt"
    elementsize = 688
    psc_delta = True
    spike_adapts = False
    params = {**EpropIafAdapt.params, **EpropIafPscDelta.params}

    def check(self, v, n, gid):
        require(v["V_reset"] < v["V_th"], self, gid, "V_reset < V_th required.")
        super().check(v, n, gid)
