"""Neurons for the Clopath rule, and ``clopath_synapse`` (Clopath et al. 2010).

``aeif_psc_delta_clopath``: an AdEx neuron with voltage jumps as input, a
spike-triggered depolarising current ``z`` and an adaptive threshold ``V_th``:

    C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T) - w + z + I_e + I_stim
    tau_w dw/dt = a (V - E_L) - w,   tau_z dz/dt = -z,   tau_V_th dV_th/dt = V_th_rest - V_th

When V reaches ``V_peak`` (``V_th`` if ``Delta_T`` is 0) it spikes: V is clamped to
``V_clamp`` for ``t_clamp``, then reset to ``V_reset`` and held for ``t_ref``; w grows by
``b``, z jumps to ``I_sp``, ``V_th`` to ``V_th_max``. ``hh_psc_alpha_clopath``: the
``hh_psc_alpha`` neuron. Both carry three filtered voltages,

    tau_u_bar_plus du_bar_plus/dt = V - u_bar_plus,   tau_u_bar_minus du_bar_minus/dt = V - u_bar_minus,
    tau_u_bar_bar du_bar_bar/dt = u_bar_minus - u_bar_bar,

integrated with the rest by the adaptive Runge-Kutta-Fehlberg kernel (AdEx: NEST's error
bound relative to the slope, first internal step 0.01 ms; HH: absolute 1e-3), and after
every step hand (V, u_bar_plus, u_bar_minus, u_bar_bar) to the Clopath archive
(``engine/plasticity_voltage.py``) that ``clopath_synapse`` reads.

The clamp counter lives in the state vector (a component with zero derivative) so that the
right-hand side knows whether V is clamped or refractory.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import Param
from ..synapses.voltage import CLOPATH
from ._adaptive import AdaptiveModel, p
from ._rk45 import adaptive_kernel
from .aeif import _adex_params
from .hh import HhPscAlpha, _checks, _hh_outer, _hh_receive, _hh_rhs


def _pv():
    # Imported when first used: the engine's plasticity module imports the synapse models.
    from ...engine import plasticity_voltage

    return plasticity_voltage


# ------------------------------------------------------------------ the Clopath archive
# The filtered voltages (state columns) and the parameters the archive reads.
U_BARS = ("u_bar_plus", "u_bar_minus", "u_bar_bar")


def _clopath_params() -> dict[str, Param]:
    return {
        "A_LTD": p(14.0e-5, "Amplitude of depression"),
        "A_LTP": p(8.0e-5, "Amplitude of facilitation"),
        "A_LTD_const": Param(True, kind="bool", doc="Constant A_LTD (else scaled by u_bar_bar**2 / u_ref_squared)"),
        "theta_plus": p(-45.3, "Threshold for u in potentiation", "mV"),
        "theta_minus": p(-70.6, "Threshold for u_bar_[plus/minus]", "mV"),
        "u_ref_squared": p(60.0, "Reference value for u_bar_bar squared", "mV^2"),
        "delay_u_bars": p(5.0, "Delay of the filtered voltages the rule reads", "ms"),
    }


class ClopathNeuron(AdaptiveModel):
    """What both Clopath neurons share: the archive written after each slice.

    The kernel records V and the filtered voltages of every node for every step of the
    slice (beside what multimeters ask for), and the archive turns them into history.
    """

    archive = "clopath"
    first_step = None  # first internal step (ms); None: the resolution

    def check(self, v, n, gid):
        super().check(v, n, gid)
        from ..base import require

        require(np.asarray(v["u_ref_squared"]) > 0, self, gid, "Ensure that u_ref_squared > 0")

    def prepare(self, group, kernel):
        a = group.aux
        fresh = a.get("H") is None or len(a["H"]) != group.n
        super().prepare(group, kernel)
        if fresh:
            self.fresh_state(group, kernel)
        cols = [0] + [self.state_names.index(k) for k in U_BARS]
        a["clop_cols"] = np.concatenate([a["rec_cols"], np.array(cols, dtype=np.int64)])
        a["clop_rows"] = np.arange(group.n, dtype=np.int64)
        a["clop_out"] = np.zeros((group.n, len(a["clop_cols"]), kernel.slice_steps))
        _pv().archive(kernel).sync(kernel, group)

    def fresh_state(self, group, kernel):
        if self.first_step is not None:
            group.aux["H"][:] = min(self.first_step, kernel.h)

    def update(self, group, kernel, t0, m):
        a = group.aux
        if m == 0 or not any(s.model.family == CLOPATH for s in kernel.plastic_stores.values()):
            super().update(group, kernel, t0, m)
            return
        # Record every node's voltages for the archive, then give the multimeters theirs.
        rec = (a["rec_cols"], a["rec_row"], a["rec_out"])
        a["rec_cols"], a["rec_row"], a["rec_out"] = a["clop_cols"], a["clop_rows"], a["clop_out"]
        try:
            super().update(group, kernel, t0, m)
        finally:
            a["rec_cols"], a["rec_row"], a["rec_out"] = rec
        out = a["clop_out"]
        q = len(rec[0])
        rows = rec[1]
        sel = rows >= 0
        if sel.any():
            rec[2][rows[sel], :, :m] = out[sel, :q, :m]
        _pv().archive(kernel).write(kernel, group.offset, group.n, out[:, q:, :], t0, m)


# ------------------------------------------------------------ aeif_psc_delta_clopath
# State: V, w, z, V_th, u_bar_plus, u_bar_minus, u_bar_bar, clamp steps left.
S_V, S_W, S_Z, S_VTH, S_UBP, S_UBM, S_UBB, S_CLAMP = range(8)
(V_PEAK, V_RESET, E_L, G_L, C_M, I_E, DELTA_T, A, B, TAU_W, TAU_Z, TAU_VTH, VTH_REST, VTH_MAX, TAU_P, TAU_M, TAU_BB,
 I_SP, V_CLAMP, CLAMP_STEPS) = range(20)  # fmt: skip


@njit(cache=True)
def _aeif_rhs(y, f, p, i, refr, i_stim):
    clamped = y[S_CLAMP] > 0.0
    if clamped:
        V = p[i, V_CLAMP]
    elif refr:
        V = p[i, V_RESET]
    else:
        V = min(y[S_V], p[i, V_PEAK])
    w = y[S_W]
    i_spike = 0.0
    if p[i, DELTA_T] != 0.0:
        i_spike = p[i, G_L] * p[i, DELTA_T] * np.exp((V - y[S_VTH]) / p[i, DELTA_T])
    if refr or clamped:
        f[S_V] = 0.0
    else:
        f[S_V] = (-p[i, G_L] * (V - p[i, E_L]) + i_spike - w + y[S_Z] + p[i, I_E] + i_stim) / p[i, C_M]
    f[S_W] = 0.0 if clamped else (p[i, A] * (V - p[i, E_L]) - w) / p[i, TAU_W]
    f[S_Z] = -y[S_Z] / p[i, TAU_Z]
    f[S_VTH] = -(y[S_VTH] - p[i, VTH_REST]) / p[i, TAU_VTH]
    f[S_UBP] = (-y[S_UBP] + V) / p[i, TAU_P]
    f[S_UBM] = (-y[S_UBM] + V) / p[i, TAU_M]
    f[S_UBB] = (-y[S_UBB] + y[S_UBM]) / p[i, TAU_BB]
    f[S_CLAMP] = 0.0


@njit(cache=True)
def _aeif_receive(y, p, i, r, w_exc, w_inh):
    # Input arriving while clamped or refractory is lost.
    if r == 0 and y[S_CLAMP] == 0.0:
        y[S_V] += w_exc + w_inh


@njit(cache=True)
def _aeif_inner(y, p, i, r, ref):
    """After every internal step: spike and clamp, end the clamp, hold V while refractory.

    Returns event 3 when the state changed without a spike (the slope must be recomputed).
    """
    if y[S_V] < -1e3 or y[S_W] < -1e6 or y[S_W] > 1e6:
        return r, 2
    v_peak = y[S_VTH] if p[i, DELTA_T] == 0.0 else p[i, V_PEAK]
    ev = 0
    if y[S_V] >= v_peak and y[S_CLAMP] == 0.0:
        y[S_V] = p[i, V_CLAMP]
        y[S_W] += p[i, B]
        y[S_Z] = p[i, I_SP]
        y[S_VTH] = p[i, VTH_MAX]
        # One more than the clamp's steps: the count goes down at the end of this step too.
        c = p[i, CLAMP_STEPS]
        y[S_CLAMP] = c + 1.0 if c > 0.0 else 0.0
        ev = 1
    elif y[S_CLAMP] == 1.0:
        y[S_V] = p[i, V_RESET]
        y[S_CLAMP] = 0.0
        r = ref + 1 if ref > 0 else 0
        ev = 3
    if r > 0 and y[S_V] != p[i, V_RESET]:
        y[S_V] = p[i, V_RESET]
        if ev == 0:
            ev = 3
    return r, ev


@njit(cache=True)
def _aeif_outer(y, p, i, r, ref, v_old):
    if y[S_CLAMP] > 0.0:
        y[S_CLAMP] -= 1.0
    if r > 0:
        r -= 1
    return r, 0


_AEIF_CLOPATH_KERNEL = adaptive_kernel(
    "aeif_psc_delta_clopath", 8, _aeif_rhs, _aeif_inner, _aeif_outer, _aeif_receive, slope_rel=True,
    receive_in_loop=True,
)  # fmt: skip

_MAX_EXP_ARG = float(np.log(np.finfo(np.float64).max / 1e20))


def _overflow_ok(v):
    d = np.asarray(v["Delta_T"], dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (d <= 0) | ((np.asarray(v["V_peak"]) - v["V_th_rest"]) / d < _MAX_EXP_ARG)


_ALL_TAUS = "All time constants must be strictly positive."


class AeifPscDeltaClopath(ClopathNeuron):
    """AdEx neuron with clamped spikes, spike-afterdepolarisation and adaptive threshold,
    for the Clopath rule (Clopath et al. 2010)."""

    name = "aeif_psc_delta_clopath"
    elementsize = 1056
    status_note = (
        "adaptive RKF45 as NEST (clamp, spike test per internal step); Clopath archive as NEST's "
        "(`tests/test_models_clopath.py`)"
    )
    spikes_per_step = 4
    first_step = 0.01
    params = {
        # AdEx's entries, with a threshold that adapts (V_th_rest, V_th_max) instead of V_th.
        **{k: v for k, v in _adex_params().items() if k != "V_th"},
        **_clopath_params(),
        "u_bar_plus": p(-70.6, "Low-pass filtered membrane potential", "mV", state=True),
        "u_bar_minus": p(-70.6, "Low-pass filtered membrane potential", "mV", state=True),
        "u_bar_bar": p(-70.6, "Low-pass filtered u_bar_minus", "mV", state=True),
        "I_sp": p(400.0, "Depolarizing spike afterpotential current", "pA"),
        "tau_z": p(40.0, "Spike afterpotential current time constant", "ms"),
        "tau_V_th": p(50.0, "Adaptive threshold time constant", "ms"),
        "V_th_max": p(30.4, "Value of V_th after a spike", "mV"),
        "V_th_rest": p(-50.4, "Resting value of V_th", "mV"),
        "tau_u_bar_plus": p(7.0, "Time constant of u_bar_plus", "ms"),
        "tau_u_bar_minus": p(10.0, "Time constant of u_bar_minus", "ms"),
        "tau_u_bar_bar": p(500.0, "Time constant of u_bar_bar", "ms"),
        "V_peak": p(33.0, "Spike detection threshold", "mV"),
        "V_clamp": p(33.0, "Membrane potential while clamped after a spike", "mV"),
        "t_clamp": p(2.0, "Duration of the clamp after a spike", "ms"),
    }
    recordables = ("V_m", "V_th", "u_bar_bar", "u_bar_minus", "u_bar_plus", "w", "z")
    state_names = ("V_m", "w", "z", "V_th", "u_bar_plus", "u_bar_minus", "u_bar_bar", "clamp")
    checks = (
        (lambda v: v["V_reset"] < v["V_peak"], "Ensure that V_reset < V_peak ."),
        (lambda v: v["Delta_T"] >= 0, "Delta_T must be greater than or equal to zero."),
        (
            _overflow_ok,
            "The current combination of V_peak, V_th_rest and Delta_T will lead to numerical overflow at spike "
            "time; tryfor instance to increase Delta_T or to reduce V_peakto avoid this problem.",
        ),
        (lambda v: v["V_th_max"] >= v["V_th_rest"], "V_th_max >= V_th_rest required."),
        (lambda v: v["V_peak"] >= v["V_th_rest"], "V_peak >= V_th_rest required."),
        (lambda v: v["C_m"] > 0, "Ensure that C_m > 0"),
        (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
        (lambda v: v["t_clamp"] >= 0, "Ensure that t_clamp >= 0"),
        (
            lambda v: np.all(
                [
                    np.asarray(v[k]) > 0
                    for k in ("tau_w", "tau_V_th", "tau_z", "tau_u_bar_plus", "tau_u_bar_minus", "tau_u_bar_bar")
                ],
                axis=0,
            ),
            _ALL_TAUS,
        ),  # fmt: skip
        (lambda v: v["gsl_error_tol"] > 0, "The gsl_error_tol must be strictly positive."),
    )
    kernel = _AEIF_CLOPATH_KERNEL

    def error_bound(self, v):
        return np.asarray(v["gsl_error_tol"], dtype=np.float64)

    def fresh_state(self, group, kernel):
        super().fresh_state(group, kernel)
        # V_th and z have no status entry: they start at rest.
        group.aux["S"][:, S_VTH] = group.values["V_th_rest"]

    def param_matrix(self, v, h):
        n = len(v["V_m"])
        clamp = np.rint(np.asarray(v["t_clamp"]) / h)
        cols = [v["V_peak"], v["V_reset"], v["E_L"], v["g_L"], v["C_m"], v["I_e"], v["Delta_T"], v["a"], v["b"],
                v["tau_w"], v["tau_z"], v["tau_V_th"], v["V_th_rest"], v["V_th_max"], v["tau_u_bar_plus"],
                v["tau_u_bar_minus"], v["tau_u_bar_bar"], v["I_sp"], v["V_clamp"], clamp]  # fmt: skip
        return np.column_stack([np.broadcast_to(np.asarray(c, dtype=np.float64), (n,)) for c in cols])


# -------------------------------------------------------------- hh_psc_alpha_clopath
# State: V, m, h, n, dI_ex, I_ex, dI_in, I_in (as hh_psc_alpha), u_bar_plus, u_bar_minus, u_bar_bar.
HH_TAU_P, HH_TAU_M, HH_TAU_BB = 15, 16, 17


@njit(cache=True)
def _hh_clopath_rhs(y, f, p, i, refr, i_stim):
    _hh_rhs(y, f, p, i, refr, i_stim)
    V = y[0]
    f[8] = (-y[8] + V) / p[i, HH_TAU_P]
    f[9] = (-y[9] + V) / p[i, HH_TAU_M]
    f[10] = (-y[10] + y[9]) / p[i, HH_TAU_BB]


@njit(cache=True)
def _no_event(y, p, i, r, ref):
    return r, 0


class HhPscAlphaClopath(ClopathNeuron):
    """Hodgkin-Huxley neuron with alpha-shaped synaptic currents, for the Clopath rule."""

    name = "hh_psc_alpha_clopath"
    elementsize = 1056
    alpha = True
    status_note = "adaptive RKF45 as NEST (as hh_psc_alpha); Clopath archive as NEST's (`tests/test_models_clopath.py`)"
    params = {
        **{k: v for k, v in HhPscAlpha.params.items()},
        **_clopath_params(),
        "u_bar_plus": p(0.0, "Low-pass filtered membrane potential", "mV", state=True),
        "u_bar_minus": p(0.0, "Low-pass filtered membrane potential", "mV", state=True),
        "u_bar_bar": p(0.0, "Low-pass filtered u_bar_minus", "mV", state=True),
        "tau_u_bar_plus": p(114.0, "Time constant of u_bar_plus", "ms"),
        "tau_u_bar_minus": p(10.0, "Time constant of u_bar_minus", "ms"),
        "tau_u_bar_bar": p(500.0, "Time constant of u_bar_bar", "ms"),
    }
    recordables = (
        "Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "V_m", "u_bar_bar", "u_bar_minus", "u_bar_plus",
    )  # fmt: skip
    state_names = (
        "V_m", "Act_m", "Inact_h", "Act_n", "dI_syn_ex", "I_syn_ex", "dI_syn_in", "I_syn_in",
        "u_bar_plus", "u_bar_minus", "u_bar_bar",
    )  # fmt: skip
    checks = (
        *_checks(conductances=True)[:2],
        (
            lambda v: np.all(
                [
                    np.asarray(v[k]) > 0
                    for k in ("tau_syn_ex", "tau_syn_in", "tau_u_bar_plus", "tau_u_bar_minus", "tau_u_bar_bar")
                ],
                axis=0,
            ),
            _ALL_TAUS,
        ),  # fmt: skip
        _checks(conductances=True)[3],
        (
            lambda v: (np.asarray(v["Act_m"]) >= 0) & (np.asarray(v["Inact_h"]) >= 0) & (np.asarray(v["Act_n"]) >= 0),
            "All (in)activation variables must be non-negative.",
        ),
    )
    kernel = adaptive_kernel("hh_psc_alpha_clopath", 11, _hh_clopath_rhs, _no_event, _hh_outer, _hh_receive)

    def param_matrix(self, v, h):
        base = HhPscAlpha.param_matrix(self, v, h)
        extra = np.column_stack(
            [np.broadcast_to(np.asarray(v[k], dtype=np.float64), (base.shape[0],)) for k in
             ("tau_u_bar_plus", "tau_u_bar_minus", "tau_u_bar_bar")]
        )  # fmt: skip
        return np.hstack([base, extra])
