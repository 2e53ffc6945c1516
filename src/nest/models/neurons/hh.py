"""Hodgkin-Huxley neurons.

``hh_psc_alpha``: the squid-axon sodium, potassium and leak currents of Hodgkin & Huxley
(1952) with alpha-shaped synaptic currents. ``hh_cond_exp_traub``: Traub & Miles' (1991)
rate functions as modified by Brette et al. (2007), with exponentially decaying
conductances. Both are integrated by the adaptive Runge-Kutta-Fehlberg kernel
(absolute error 1e-3). A spike is a local maximum of V_m above a level (0 mV, resp.
``V_T + 30``): V_m above it at the end of a step and lower than at the start; no spike is
detected for ``t_ref`` after one. V_m is never reset.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import archiving_params
from ._adaptive import AdaptiveModel, p, positive
from ._rk45 import adaptive_kernel, no_event

# Columns of the parameter row p (C_m divides: this stiff system amplifies the rounding
# of a reciprocal to 1e-6 mV where dividing stays within 1e-7 of NEST).
E_NA, E_K, E_L, G_NA, G_K, G_L, C_M, I_E, INV_TAU_EX, INV_TAU_IN, G0_EX, G0_IN, E_EX, E_IN, V_T = range(15)


def _hh_params(**specific):
    return {
        **archiving_params(),
        "t_ref": p(2.0, "Duration of the refractory period (no spike detected)", "ms"),
        "I_e": p(0.0, "Constant input current", "pA"),
        **specific,
    }


def _checks(conductances: bool):
    checks = [
        (lambda v: v["C_m"] > 0, "Capacitance must be strictly positive."),
        (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
        (positive("tau_syn_ex", "tau_syn_in"), "All time constants must be strictly positive."),
    ]
    if conductances:
        checks.append(
            (lambda v: (v["g_K"] >= 0) & (v["g_Na"] >= 0) & (v["g_L"] >= 0), "All conductances must be non-negative.")
        )
    return tuple(checks)


class _Hh(AdaptiveModel):
    def param_matrix(self, v, h):
        n = len(v["V_m"])
        te, ti = v["tau_syn_ex"], v["tau_syn_in"]
        g0e, g0i = (np.e / te, np.e / ti) if self.alpha else (np.ones(n), np.ones(n))
        zero = np.zeros(n)
        cols = [v["E_Na"], v["E_K"], v["E_L"], v["g_Na"], v["g_K"], v["g_L"], v["C_m"], v["I_e"],
                1.0 / te, 1.0 / ti, g0e, g0i, v.get("E_ex", zero), v.get("E_in", zero), v.get("V_T", zero)]  # fmt: skip
        return np.column_stack([np.broadcast_to(np.asarray(c, dtype=np.float64), (n,)) for c in cols])


@njit(cache=True, inline="always")
def _ionic(V, m, h, n, p, i):
    """Sodium, potassium and leak currents (pA) flowing out of the cell."""
    return (
        p[i, G_NA] * m * m * m * h * (V - p[i, E_NA])
        + p[i, G_K] * n * n * n * n * (V - p[i, E_K])
        + p[i, G_L] * (V - p[i, E_L])
    )


# -------------------------------------------------------------------- hh_psc_alpha
def _hh_rates(V):
    """(alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n) in 1/ms of the 1952 model."""
    a_m = 0.1 * (V + 40.0) / (1.0 - np.exp(-(V + 40.0) / 10.0))
    b_m = 4.0 * np.exp(-(V + 65.0) / 18.0)
    a_h = 0.07 * np.exp(-(V + 65.0) / 20.0)
    b_h = 1.0 / (1.0 + np.exp(-(V + 35.0) / 10.0))
    a_n = 0.01 * (V + 55.0) / (1.0 - np.exp(-(V + 55.0) / 10.0))
    b_n = 0.125 * np.exp(-(V + 65.0) / 80.0)
    return a_m, b_m, a_h, b_h, a_n, b_n


_hh_rates_jit = njit(cache=True, inline="always")(_hh_rates)


@njit(cache=True, error_model="numpy")
def _hh_rhs(y, f, p, i, refr, i_stim):
    # State: V, m, h, n, dI_ex, I_ex, dI_in, I_in (the inhibitory current is negative).
    V, m, h, n = y[0], y[1], y[2], y[3]
    a_m, b_m, a_h, b_h, a_n, b_n = _hh_rates_jit(V)
    f[0] = (-_ionic(V, m, h, n, p, i) + i_stim + p[i, I_E] + y[5] + y[7]) / p[i, C_M]
    f[1] = a_m * (1.0 - m) - b_m * m
    f[2] = a_h * (1.0 - h) - b_h * h
    f[3] = a_n * (1.0 - n) - b_n * n
    f[4] = -y[4] * p[i, INV_TAU_EX]
    f[5] = y[4] - y[5] * p[i, INV_TAU_EX]
    f[6] = -y[6] * p[i, INV_TAU_IN]
    f[7] = y[6] - y[7] * p[i, INV_TAU_IN]


@njit(cache=True, error_model="numpy")
def _hh_outer(y, p, i, r, ref, v_old):
    if r > 0:
        return r - 1, 0
    if y[0] >= 0.0 and v_old > y[0]:
        return ref, 1
    return r, 0


@njit(cache=True, error_model="numpy")
def _hh_receive(y, p, i, r, w_exc, w_inh):
    y[4] += w_exc * p[i, G0_EX]
    y[6] += w_inh * p[i, G0_IN]


def _steady(rates, V):
    a_m, b_m, a_h, b_h, a_n, b_n = rates(V)
    return a_m / (a_m + b_m), a_h / (a_h + b_h), a_n / (a_n + b_n)


_M0, _H0, _N0 = _steady(_hh_rates, -65.0)


class HhPscAlpha(_Hh):
    """Hodgkin-Huxley neuron with alpha-shaped synaptic currents (peak |w| pA at ``tau_syn``)."""

    name = "hh_psc_alpha"
    elementsize = 768
    alpha = True
    params = _hh_params(
        V_m=p(-65.0, "Membrane potential", "mV", state=True),
        Act_m=p(_M0, "Activation variable m of the sodium current", state=True),
        Inact_h=p(_H0, "Inactivation variable h of the sodium current", state=True),
        Act_n=p(_N0, "Activation variable n of the potassium current", state=True),
        E_L=p(-54.402, "Leak reversal potential", "mV"),
        C_m=p(100.0, "Capacitance of the membrane", "pF"),
        g_L=p(30.0, "Leak conductance", "nS"),
        g_Na=p(12000.0, "Sodium peak conductance", "nS"),
        g_K=p(3600.0, "Potassium peak conductance", "nS"),
        E_Na=p(50.0, "Sodium reversal potential", "mV"),
        E_K=p(-77.0, "Potassium reversal potential", "mV"),
        tau_syn_ex=p(0.2, "Rise time of the excitatory synaptic alpha function", "ms"),
        tau_syn_in=p(2.0, "Rise time of the inhibitory synaptic alpha function", "ms"),
    )
    recordables = ("Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "V_m")
    state_names = ("V_m", "Act_m", "Inact_h", "Act_n", "dI_syn_ex", "I_syn_ex", "dI_syn_in", "I_syn_in")
    checks = _checks(conductances=True)
    kernel = adaptive_kernel("hh_psc_alpha", 8, _hh_rhs, no_event, _hh_outer, _hh_receive)


# --------------------------------------------------------------- hh_cond_exp_traub
def _traub_rates(u):
    """Rates (1/ms) at ``u = V - V_T``: (alpha_m, beta_m, alpha_h, beta_h, alpha_n, beta_n)."""
    a_m = 0.32 * (13.0 - u) / (np.exp((13.0 - u) / 4.0) - 1.0)
    b_m = 0.28 * (u - 40.0) / (np.exp((u - 40.0) / 5.0) - 1.0)
    a_h = 0.128 * np.exp((17.0 - u) / 18.0)
    b_h = 4.0 / (1.0 + np.exp((40.0 - u) / 5.0))
    a_n = 0.032 * (15.0 - u) / (np.exp((15.0 - u) / 5.0) - 1.0)
    b_n = 0.5 * np.exp((10.0 - u) / 40.0)
    return a_m, b_m, a_h, b_h, a_n, b_n


_traub_rates_jit = njit(cache=True, inline="always")(_traub_rates)


@njit(cache=True, error_model="numpy")
def _traub_rhs(y, f, p, i, refr, i_stim):
    # State: V, m, h, n, g_ex, g_in.
    V, m, h, n = y[0], y[1], y[2], y[3]
    a_m, b_m, a_h, b_h, a_n, b_n = _traub_rates_jit(V - p[i, V_T])
    i_syn = y[4] * (V - p[i, E_EX]) + y[5] * (V - p[i, E_IN])
    f[0] = (-_ionic(V, m, h, n, p, i) - i_syn + i_stim + p[i, I_E]) / p[i, C_M]
    f[1] = a_m * (1.0 - m) - b_m * m
    f[2] = a_h * (1.0 - h) - b_h * h
    f[3] = a_n * (1.0 - n) - b_n * n
    f[4] = -y[4] * p[i, INV_TAU_EX]
    f[5] = -y[5] * p[i, INV_TAU_IN]


@njit(cache=True, error_model="numpy")
def _traub_outer(y, p, i, r, ref, v_old):
    if r > 0:
        return r - 1, 0
    if y[0] > p[i, V_T] + 30.0 and v_old > y[0]:
        return ref, 1
    return r, 0


@njit(cache=True, error_model="numpy")
def _traub_receive(y, p, i, r, w_exc, w_inh):
    y[4] += w_exc
    y[5] -= w_inh


# NEST's initial gating variables: the steady state at V_m = -60 mV of the rate
# functions taken with V_T = 0 (as its defaults are).
_TM0, _TH0, _TN0 = _steady(_traub_rates, -60.0)


class HhCondExpTraub(_Hh):
    """Hodgkin-Huxley neuron after Traub & Miles (1991) with exponential conductances
    (jump of |w| nS per spike; negative weights to the inhibitory conductance)."""

    name = "hh_cond_exp_traub"
    elementsize = 768
    alpha = False
    params = _hh_params(
        V_m=p(-60.0, "Membrane potential", "mV", state=True),
        Act_m=p(_TM0, "Activation variable m of the sodium current", state=True),
        Inact_h=p(_TH0, "Inactivation variable h of the sodium current", state=True),
        Act_n=p(_TN0, "Activation variable n of the potassium current", state=True),
        V_T=p(-63.0, "Voltage offset of the rate functions (threshold)", "mV"),
        E_L=p(-60.0, "Leak reversal potential", "mV"),
        C_m=p(200.0, "Capacitance of the membrane", "pF"),
        g_L=p(10.0, "Leak conductance", "nS"),
        g_Na=p(20000.0, "Sodium peak conductance", "nS"),
        g_K=p(6000.0, "Potassium peak conductance", "nS"),
        E_Na=p(50.0, "Sodium reversal potential", "mV"),
        E_K=p(-90.0, "Potassium reversal potential", "mV"),
        E_ex=p(0.0, "Excitatory reversal potential", "mV"),
        E_in=p(-80.0, "Inhibitory reversal potential", "mV"),
        tau_syn_ex=p(5.0, "Decay time of the excitatory synaptic conductance", "ms"),
        tau_syn_in=p(10.0, "Decay time of the inhibitory synaptic conductance", "ms"),
    )
    recordables = ("Act_m", "Act_n", "Inact_h", "V_m", "g_ex", "g_in")
    state_names = ("V_m", "Act_m", "Inact_h", "Act_n", "g_ex", "g_in")
    checks = _checks(conductances=False)
    kernel = adaptive_kernel("hh_cond_exp_traub", 6, _traub_rhs, no_event, _traub_outer, _traub_receive)


# ----------------------------------------------------------- hh_cond_beta_gap_traub
INV_DECAY_EX, INV_DECAY_IN = 15, 16


@njit(cache=True, error_model="numpy")
def _beta_traub_rhs(y, f, p, i, refr, i_stim):
    # State: V, m, h, n, dg_ex, g_ex, dg_in, g_in.
    V, m, h, n = y[0], y[1], y[2], y[3]
    a_m, b_m, a_h, b_h, a_n, b_n = _traub_rates_jit(V - p[i, V_T])
    i_syn = y[5] * (V - p[i, E_EX]) + y[7] * (V - p[i, E_IN])
    f[0] = (-_ionic(V, m, h, n, p, i) - i_syn + i_stim + p[i, I_E]) / p[i, C_M]
    f[1] = a_m * (1.0 - m) - b_m * m
    f[2] = a_h * (1.0 - h) - b_h * h
    f[3] = a_n * (1.0 - n) - b_n * n
    f[4] = -y[4] * p[i, INV_TAU_EX]
    f[5] = y[4] - y[5] * p[i, INV_DECAY_EX]
    f[6] = -y[6] * p[i, INV_TAU_IN]
    f[7] = y[6] - y[7] * p[i, INV_DECAY_IN]


@njit(cache=True, error_model="numpy")
def _beta_traub_receive(y, p, i, r, w_exc, w_inh):
    y[4] += w_exc * p[i, G0_EX]
    y[6] -= w_inh * p[i, G0_IN]


class HhCondBetaGapTraub(_Hh):
    """``hh_cond_exp_traub`` with beta-shaped conductances (rise and decay times,
    normalised to peak at |w| nS). The registered model is its subclass in ``hh_gap.py``,
    which adds the gap junctions."""

    name = "hh_cond_beta_gap_traub"
    elementsize = 880
    node_uses_wfr = True  # NEST reports it: gap junctions use waveform relaxation
    alpha = False
    params = {
        **{k: v for k, v in HhCondExpTraub.params.items() if not k.startswith("tau_syn")},
        "V_T": p(-50.0, "Voltage offset of the rate functions (threshold)", "mV"),
        "tau_rise_ex": p(0.5, "Rise time of the excitatory synaptic conductance", "ms"),
        "tau_decay_ex": p(5.0, "Decay time of the excitatory synaptic conductance", "ms"),
        "tau_rise_in": p(0.5, "Rise time of the inhibitory synaptic conductance", "ms"),
        "tau_decay_in": p(10.0, "Decay time of the inhibitory synaptic conductance", "ms"),
    }
    recordables = HhCondExpTraub.recordables
    state_names = ("V_m", "Act_m", "Inact_h", "Act_n", "dg_ex", "g_ex", "dg_in", "g_in")
    checks = (
        (lambda v: v["C_m"] > 0, "Capacitance must be strictly positive."),
        (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
        (
            positive("tau_rise_ex", "tau_decay_ex", "tau_rise_in", "tau_decay_in"),
            "All time constants must be strictly positive.",
        ),
        (lambda v: (v["g_K"] >= 0) & (v["g_Na"] >= 0) & (v["g_L"] >= 0), "All conductances must be non-negative."),
    )
    kernel = adaptive_kernel("hh_cond_beta_gap_traub", 8, _beta_traub_rhs, no_event, _traub_outer, _beta_traub_receive)

    def param_matrix(self, v, h):
        from .iaf_cond import beta_peak_factor

        w = dict(v, tau_syn_ex=v["tau_rise_ex"], tau_syn_in=v["tau_rise_in"])
        P = super().param_matrix(w, h)
        P[:, G0_EX] = beta_peak_factor(v["tau_rise_ex"], v["tau_decay_ex"])
        P[:, G0_IN] = beta_peak_factor(v["tau_rise_in"], v["tau_decay_in"])
        return np.column_stack([P, 1.0 / v["tau_decay_ex"], 1.0 / v["tau_decay_in"]])
