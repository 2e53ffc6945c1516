"""Adaptive exponential integrate-and-fire neurons (AdEx; Brette & Gerstner 2005).

``aeif_cond_alpha``, ``aeif_cond_exp`` (conductance-based synapses), ``aeif_psc_alpha``,
``aeif_psc_exp`` (current-based) and ``aeif_psc_delta`` (voltage jumps):

    C_m dV/dt = -g_L (V - E_L) + g_L Delta_T exp((V - V_th) / Delta_T) - w + I_syn + I_e + I_stim
    tau_w dw/dt = a (V - E_L) - w

integrated by the adaptive Runge-Kutta-Fehlberg kernel with the absolute error bound
``gsl_error_tol``. As in NEST, spikes are detected after every internal step, not only at
the end of a step of resolution: when V reaches ``V_peak`` (``V_th`` if ``Delta_T`` is 0)
it is reset to ``V_reset``, w grows by ``b`` and V is held for ``t_ref``. Within the
right-hand side V is capped at ``V_peak`` so the exponential cannot overflow.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import Param, archiving_params
from ._adaptive import AdaptiveModel, p, positive
from ._rk45 import adaptive_kernel

# Columns of the parameter row p; time constants, C_m and Delta_T as reciprocals (a
# division costs several multiplications in the right-hand side).
V_SPIKE, V_RESET, E_L, G_L, INV_C, E_EX, E_IN, I_E, INV_TAU_EX, INV_TAU_IN, G0_EX, G0_IN = range(12)
DELTA_T, V_TH, A, B, INV_TAU_W, V_PEAK, INV_DELTA_T = range(12, 19)
# exp((V_peak - V_th) / Delta_T) must stay this far below the largest double.
MAX_EXP_ARG = float(np.log(np.finfo(np.float64).max / 1e20))


def _adex_params(**synapses) -> dict[str, Param]:
    return {
        **archiving_params(),
        "V_m": p(-70.6, "Membrane potential", "mV", state=True),
        "w": p(0.0, "Spike-adaptation current", "pA", state=True),
        "C_m": p(281.0, "Capacitance of the membrane", "pF"),
        "t_ref": p(0.0, "Duration of the refractory period", "ms"),
        "V_reset": p(-60.0, "Reset value for V_m after a spike", "mV"),
        "E_L": p(-70.6, "Leak reversal potential", "mV"),
        "g_L": p(30.0, "Leak conductance", "nS"),
        "I_e": p(0.0, "Constant external input current", "pA"),
        "a": p(4.0, "Subthreshold adaptation", "nS"),
        "b": p(80.5, "Spike-triggered adaptation", "pA"),
        "Delta_T": p(2.0, "Slope factor", "mV"),
        "tau_w": p(144.0, "Adaptation time constant", "ms"),
        "V_th": p(-50.4, "Spike initiation threshold", "mV"),
        "V_peak": p(0.0, "Spike detection threshold", "mV"),
        "gsl_error_tol": p(1e-6, "Error bound of the adaptive integration"),
        **synapses,
    }


def _cond_synapses(alpha: bool) -> dict[str, Param]:
    shape = "Rise time of the {} synaptic alpha function" if alpha else "Decay time of the {} synaptic conductance"
    out = {
        "E_ex": p(0.0, "Excitatory reversal potential", "mV"),
        "E_in": p(-85.0, "Inhibitory reversal potential", "mV"),
        "tau_syn_ex": p(0.2, shape.format("excitatory"), "ms"),
        "tau_syn_in": p(2.0, shape.format("inhibitory"), "ms"),
        "g_ex": p(0.0, "Excitatory synaptic conductance", "nS", state=True),
        "g_in": p(0.0, "Inhibitory synaptic conductance", "nS", state=True),
    }
    if alpha:
        out["dg_ex"] = p(0.0, "First derivative of g_ex", "nS/ms", state=True)
        out["dg_in"] = p(0.0, "First derivative of g_in", "nS/ms", state=True)
    return out


def _current_synapses(alpha: bool) -> dict[str, Param]:
    shape = "Rise time of the {} synaptic alpha function" if alpha else "Decay time of the {} synaptic current"
    out = {
        "tau_syn_ex": p(0.2, shape.format("excitatory"), "ms"),
        "tau_syn_in": p(2.0, shape.format("inhibitory"), "ms"),
        "I_syn_ex": p(0.0, "Excitatory synaptic current", "pA", state=True),
        "I_syn_in": p(0.0, "Inhibitory synaptic current", "pA", state=True),
    }
    if alpha:
        out["dI_syn_ex"] = p(0.0, "First derivative of I_syn_ex", "pA/ms", state=True)
        out["dI_syn_in"] = p(0.0, "First derivative of I_syn_in", "pA/ms", state=True)
    return out


_OVERFLOW = (
    "The current combination of V_peak, V_th and Delta_T will lead to numerical overflow at spike time; "
    "try for instance to increase Delta_T or to reduce V_peak to avoid this problem."
)


def _overflow_ok(v):
    d = np.asarray(v["Delta_T"])
    with np.errstate(divide="ignore", invalid="ignore"):
        return (d <= 0) | ((np.asarray(v["V_peak"]) - v["V_th"]) / d < MAX_EXP_ARG)


def _adex_checks(reset_first: bool, reset_msg: str, c_msg: str, tau_msg: str, tau_keys) -> tuple:
    """NEST's checks of one AdEx model, in its order and with its wording."""
    reset = (lambda v: v["V_reset"] < v["V_peak"], reset_msg)
    peak = (lambda v: v["V_peak"] >= v["V_th"], "V_peak >= V_th required.")
    return (
        *((reset, peak) if reset_first else (peak, reset)),
        (lambda v: v["Delta_T"] >= 0, "Delta_T must be positive."),
        (_overflow_ok, _OVERFLOW),
        (lambda v: v["C_m"] > 0, c_msg),
        (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
        (positive(*tau_keys), tau_msg),
        (lambda v: v["gsl_error_tol"] > 0, "The gsl_error_tol must be strictly positive."),
    )


_ALL_TAUS = "All time constants must be strictly positive."


# ------------------------------------------------------------------- shared hooks
@njit(cache=True, inline="always")
def _dv_dw(V, refr, y, p, i, i_syn, i_stim, f):
    """Write dV/dt and dw/dt (the last state entry) for the capped V and synaptic current."""
    w = y[y.shape[0] - 1]
    if refr:
        f[0] = 0.0
    else:
        i_spike = 0.0
        if p[i, DELTA_T] != 0.0:
            i_spike = p[i, G_L] * p[i, DELTA_T] * np.exp((V - p[i, V_TH]) * p[i, INV_DELTA_T])
        f[0] = (-p[i, G_L] * (V - p[i, E_L]) + i_spike + i_syn - w + p[i, I_E] + i_stim) * p[i, INV_C]
    f[y.shape[0] - 1] = (p[i, A] * (V - p[i, E_L]) - w) * p[i, INV_TAU_W]


@njit(cache=True, inline="always")
def _capped_v(y, p, i, refr):
    if refr:
        return p[i, V_RESET]
    return min(y[0], p[i, V_PEAK])


@njit(cache=True, inline="always")
def _adex_inner(y, p, i, r, ref):
    """After every internal step: hold V while refractory, or spike at ``V_peak``."""
    last = y.shape[0] - 1
    if y[0] < -1e3 or y[last] < -1e6 or y[last] > 1e6:
        return r, 2
    if r > 0:
        y[0] = p[i, V_RESET]
        return r, 0
    if y[0] >= p[i, V_SPIKE]:
        y[0] = p[i, V_RESET]
        y[last] += p[i, B]
        # The count is decreased at the end of this step too, hence ref + 1.
        return (ref + 1 if ref > 0 else 0), 1
    return r, 0


@njit(cache=True, inline="always")
def _adex_outer(y, p, i, r, ref, v_old):
    if r > 0:
        return r - 1, 0
    return r, 0


@njit(cache=True, inline="always")
def _alpha_receive(y, p, i, r, w_exc, w_inh):
    y[1] += w_exc * p[i, G0_EX]
    y[3] -= w_inh * p[i, G0_IN]


@njit(cache=True, inline="always")
def _exp_receive(y, p, i, r, w_exc, w_inh):
    y[1] += w_exc
    y[2] -= w_inh


# ------------------------------------------------------------------- right-hand sides
@njit(cache=True, inline="always")
def _cond_alpha_rhs(y, f, p, i, refr, i_stim):
    # State: V, dg_ex, g_ex, dg_in, g_in, w.
    V = _capped_v(y, p, i, refr)
    _dv_dw(V, refr, y, p, i, -y[2] * (V - p[i, E_EX]) - y[4] * (V - p[i, E_IN]), i_stim, f)
    f[1] = -y[1] * p[i, INV_TAU_EX]
    f[2] = y[1] - y[2] * p[i, INV_TAU_EX]
    f[3] = -y[3] * p[i, INV_TAU_IN]
    f[4] = y[3] - y[4] * p[i, INV_TAU_IN]


@njit(cache=True, inline="always")
def _cond_exp_rhs(y, f, p, i, refr, i_stim):
    # State: V, g_ex, g_in, w.
    V = _capped_v(y, p, i, refr)
    _dv_dw(V, refr, y, p, i, -y[1] * (V - p[i, E_EX]) - y[2] * (V - p[i, E_IN]), i_stim, f)
    f[1] = -y[1] * p[i, INV_TAU_EX]
    f[2] = -y[2] * p[i, INV_TAU_IN]


@njit(cache=True, inline="always")
def _psc_alpha_rhs(y, f, p, i, refr, i_stim):
    # State: V, dI_ex, I_ex, dI_in, I_in, w; the inhibitory current is kept positive.
    V = _capped_v(y, p, i, refr)
    _dv_dw(V, refr, y, p, i, y[2] - y[4], i_stim, f)
    f[1] = -y[1] * p[i, INV_TAU_EX]
    f[2] = y[1] - y[2] * p[i, INV_TAU_EX]
    f[3] = -y[3] * p[i, INV_TAU_IN]
    f[4] = y[3] - y[4] * p[i, INV_TAU_IN]


@njit(cache=True, inline="always")
def _psc_exp_rhs(y, f, p, i, refr, i_stim):
    # State: V, I_ex, I_in, w; the inhibitory current is kept positive.
    V = _capped_v(y, p, i, refr)
    _dv_dw(V, refr, y, p, i, y[1] - y[2], i_stim, f)
    f[1] = -y[1] * p[i, INV_TAU_EX]
    f[2] = -y[2] * p[i, INV_TAU_IN]


class _Adex(AdaptiveModel):
    spikes_per_step = 4
    alpha = False

    def error_bound(self, v):
        return np.asarray(v["gsl_error_tol"], dtype=np.float64)

    def param_matrix(self, v, h):
        n = len(v["V_m"])
        te = v.get("tau_syn_ex", np.ones(n))
        ti = v.get("tau_syn_in", np.ones(n))
        g0e, g0i = (np.e / te, np.e / ti) if self.alpha else (np.ones(n), np.ones(n))
        zero = np.zeros(n)
        v_spike = np.where(v["Delta_T"] > 0, v["V_peak"], v["V_th"])
        d = np.asarray(v["Delta_T"], dtype=np.float64)
        inv_d = np.divide(1.0, d, out=np.zeros(n), where=d != 0)
        cols = [v_spike, v["V_reset"], v["E_L"], v["g_L"], 1.0 / v["C_m"], v.get("E_ex", zero), v.get("E_in", zero),
                v["I_e"], 1.0 / te, 1.0 / ti, g0e, g0i, d, v["V_th"], v["a"], v["b"], 1.0 / v["tau_w"], v["V_peak"],
                inv_d]  # fmt: skip
        return np.column_stack([np.broadcast_to(np.asarray(c, dtype=np.float64), (n,)) for c in cols])


class AeifCondAlpha(_Adex):
    """AdEx neuron with alpha-shaped conductances peaking at |w| nS ``tau_syn`` after arrival."""

    name = "aeif_cond_alpha"
    elementsize = 808
    alpha = True
    params = _adex_params(**_cond_synapses(alpha=True))
    recordables = ("V_m", "g_ex", "g_in", "w")
    state_names = ("V_m", "dg_ex", "g_ex", "dg_in", "g_in", "w")
    checks = _adex_checks(
        True, "Ensure that: V_reset < V_peak .", "Capacitance must be strictly positive.", _ALL_TAUS,
        ("tau_syn_ex", "tau_syn_in", "tau_w"),
    )  # fmt: skip
    kernel = adaptive_kernel(
        "aeif_cond_alpha", 6, _cond_alpha_rhs, _adex_inner, _adex_outer, _alpha_receive, slope_rel=True
    )


class AeifCondExp(_Adex):
    """AdEx neuron with exponentially decaying conductances (jump of |w| nS per spike)."""

    name = "aeif_cond_exp"
    elementsize = 776
    params = _adex_params(**_cond_synapses(alpha=False))
    recordables = ("V_m", "g_ex", "g_in", "w")
    state_names = ("V_m", "g_ex", "g_in", "w")
    checks = _adex_checks(
        False, "Ensure that: V_reset < V_peak .", "Ensure that C_m >0", _ALL_TAUS, ("tau_syn_ex", "tau_syn_in", "tau_w")
    )
    kernel = adaptive_kernel("aeif_cond_exp", 4, _cond_exp_rhs, _adex_inner, _adex_outer, _exp_receive, slope_rel=True)


class AeifPscAlpha(_Adex):
    """AdEx neuron with alpha-shaped currents peaking at |w| pA ``tau_syn`` after arrival."""

    name = "aeif_psc_alpha"
    elementsize = 792
    alpha = True
    params = _adex_params(**_current_synapses(alpha=True))
    recordables = ("I_syn_ex", "I_syn_in", "V_m", "w")
    state_names = ("V_m", "dI_syn_ex", "I_syn_ex", "dI_syn_in", "I_syn_in", "w")
    checks = _adex_checks(
        True, "Ensure that V_reset < V_peak .", "Capacitance must be strictly positive.", _ALL_TAUS,
        ("tau_syn_ex", "tau_syn_in", "tau_w"),
    )  # fmt: skip
    kernel = adaptive_kernel(
        "aeif_psc_alpha", 6, _psc_alpha_rhs, _adex_inner, _adex_outer, _alpha_receive, slope_rel=True
    )


class AeifPscExp(_Adex):
    """AdEx neuron with exponentially decaying currents (jump of |w| pA per spike)."""

    name = "aeif_psc_exp"
    elementsize = 760
    params = _adex_params(**_current_synapses(alpha=False))
    recordables = ("I_syn_ex", "I_syn_in", "V_m", "w")
    state_names = ("V_m", "I_syn_ex", "I_syn_in", "w")
    checks = _adex_checks(
        True, "Ensure that V_reset < V_peak .", "Ensure that C_m > 0", _ALL_TAUS, ("tau_syn_ex", "tau_syn_in", "tau_w")
    )
    kernel = adaptive_kernel("aeif_psc_exp", 4, _psc_exp_rhs, _adex_inner, _adex_outer, _exp_receive, slope_rel=True)


# ------------------------------------------------------------------------ delta
@njit(cache=True, inline="always")
def _psc_delta_rhs(y, f, p, i, refr, i_stim):
    # State: V, w; input spikes act on V directly.
    V = _capped_v(y, p, i, refr)
    _dv_dw(V, refr, y, p, i, 0.0, i_stim, f)


@njit(cache=True, inline="always")
def _delta_receive(y, p, i, r, w_exc, w_inh):
    # Input arriving while refractory is lost.
    if r == 0:
        y[0] += w_exc + w_inh


class AeifPscDelta(_Adex):
    """AdEx neuron whose input spikes make the membrane jump by the weight (mV).

    As in NEST, the jump comes after the first internal step of the step the spikes
    arrive in, before the spike check; input arriving while refractory is dropped.
    """

    name = "aeif_psc_delta"
    elementsize = 744
    params = _adex_params(
        refractory_input=Param(False, kind="bool", doc="Keep input arriving during refractoriness (not supported yet)")
    )
    recordables = ("V_m", "w")
    state_names = ("V_m", "w")
    checks = (
        *_adex_checks(
            True,
            "Ensure that V_reset < V_peak .",
            "Ensure that C_m > 0",
            "tau_w must be strictly positive.",
            ("tau_w",),
        ),
        (lambda v: ~np.asarray(v["refractory_input"], dtype=bool), "refractory_input is not supported yet."),
    )
    kernel = adaptive_kernel(
        "aeif_psc_delta",
        2,
        _psc_delta_rhs,
        _adex_inner,
        _adex_outer,
        _delta_receive,
        slope_rel=True,
        receive_in_loop=True,
    )
