"""Leaky integrate-and-fire neurons with conductance-based synapses.

``iaf_cond_exp`` (exponential conductances), ``iaf_cond_alpha`` (alpha-shaped),
``iaf_cond_beta`` (difference of exponentials) and ``iaf_cond_exp_sfa_rr`` (exponential,
plus spike-frequency adaptation and relative refractoriness). The membrane equation is

    C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) + I_e + I_stim

integrated by the adaptive Runge-Kutta-Fehlberg kernel (absolute error 1e-3). At the end
of every step a neuron at or above ``V_th`` spikes and is held at ``V_reset`` for
``t_ref``. A spike of positive weight w (nS) raises the excitatory conductance, one of
negative weight raises the inhibitory conductance by |w|; alpha and beta conductances
are normalised to peak at |w|.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import archiving_params
from ._adaptive import AdaptiveModel, p, positive
from ._rk45 import adaptive_kernel, iaf_outer, no_event

# Columns of the parameter row p every model here shares.
V_TH, V_RESET, E_L, G_L, C_M, E_EX, E_IN, I_E, TAU_EX, TAU_IN, G0_EX, G0_IN = range(12)


def _membrane_params(E_in=-85.0, C_m=250.0, g_L=16.6667, V_reset=-60.0, V_th=-55.0, t_ref=2.0):
    return {
        **archiving_params(),
        "V_m": p(-70.0, "Membrane potential", "mV", state=True),
        "E_L": p(-70.0, "Leak reversal potential", "mV"),
        "C_m": p(C_m, "Capacitance of the membrane", "pF"),
        "t_ref": p(t_ref, "Duration of the refractory period", "ms"),
        "V_th": p(V_th, "Spike threshold", "mV"),
        "V_reset": p(V_reset, "Reset potential of the membrane", "mV"),
        "E_ex": p(0.0, "Excitatory reversal potential", "mV"),
        "E_in": p(E_in, "Inhibitory reversal potential", "mV"),
        "g_L": p(g_L, "Leak conductance", "nS"),
        "I_e": p(0.0, "Constant input current", "pA"),
        "g_ex": p(0.0, "Excitatory synaptic conductance", "nS", state=True),
        "g_in": p(0.0, "Inhibitory synaptic conductance", "nS", state=True),
    }


_IAF_CHECKS = (
    (lambda v: v["V_reset"] < v["V_th"], "Reset potential must be smaller than threshold."),
    (lambda v: v["C_m"] > 0, "Capacitance must be strictly positive."),
    (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
    (
        positive(
            "tau_syn_ex",
            "tau_syn_in",
            "tau_rise_ex",
            "tau_decay_ex",
            "tau_rise_in",
            "tau_decay_in",
            "tau_sfa",
            "tau_rr",
        ),  # fmt: skip
        "All time constants must be strictly positive.",
    ),
)


def beta_peak_factor(tau_rise, tau_decay):
    """Initial slope that makes a beta conductance (rise ``tau_rise``, decay
    ``tau_decay``) peak at 1; the alpha function's e/tau when the two are equal."""
    tau_rise = np.asarray(tau_rise, dtype=np.float64)
    tau_decay = np.asarray(tau_decay, dtype=np.float64)
    out = np.e / tau_decay
    eps = np.finfo(np.float64).eps
    diff = tau_decay - tau_rise
    distinct = np.abs(diff) > eps
    with np.errstate(divide="ignore", invalid="ignore"):
        t_peak = tau_decay * tau_rise * np.log(tau_decay / tau_rise) / diff
        peak = np.exp(-t_peak / tau_decay) - np.exp(-t_peak / tau_rise)
        use = distinct & (np.abs(peak) >= eps)
        out = np.where(use, (1.0 / tau_rise - 1.0 / tau_decay) / np.where(use, peak, 1.0), out)
    return out


class _IafCond(AdaptiveModel):
    checks = _IAF_CHECKS

    def base_matrix(self, v, g0_ex, g0_in, tau_ex, tau_in, *extra):
        cols = [v["V_th"], v["V_reset"], v["E_L"], v["g_L"], v["C_m"], v["E_ex"], v["E_in"], v["I_e"],
                tau_ex, tau_in, g0_ex, g0_in, *extra]  # fmt: skip
        return np.column_stack([np.broadcast_to(np.asarray(c, dtype=np.float64), v["V_m"].shape) for c in cols])


@njit(cache=True)
def _leak_and_synapses(V, y, p, i, i_ex, i_in, i_stim):
    return -p[i, G_L] * (V - p[i, E_L]) - y[i_ex] * (V - p[i, E_EX]) - y[i_in] * (V - p[i, E_IN]) + p[i, I_E] + i_stim


# ---------------------------------------------------------------------------- exp
@njit(cache=True)
def _exp_rhs(y, f, p, i, refr, i_stim):
    V = p[i, V_RESET] if refr else y[0]
    f[0] = 0.0 if refr else _leak_and_synapses(V, y, p, i, 1, 2, i_stim) / p[i, C_M]
    f[1] = -y[1] / p[i, TAU_EX]
    f[2] = -y[2] / p[i, TAU_IN]


@njit(cache=True)
def _exp_receive(y, p, i, r, w_exc, w_inh):
    y[1] += w_exc
    y[2] -= w_inh


class IafCondExp(_IafCond):
    """Leaky integrate-and-fire neuron with exponentially decaying conductances."""

    name = "iaf_cond_exp"
    elementsize = 712
    params = {
        **_membrane_params(),
        "tau_syn_ex": p(0.2, "Decay time of excitatory synaptic conductance", "ms"),
        "tau_syn_in": p(2.0, "Decay time of inhibitory synaptic conductance", "ms"),
    }
    recordables = ("V_m", "g_ex", "g_in")
    state_names = ("V_m", "g_ex", "g_in")
    kernel = adaptive_kernel("iaf_cond_exp", 3, _exp_rhs, no_event, iaf_outer, _exp_receive)

    def param_matrix(self, v, h):
        return self.base_matrix(v, 1.0, 1.0, v["tau_syn_ex"], v["tau_syn_in"])


# ---------------------------------------------------------------------- alpha, beta
@njit(cache=True)
def _beta_rhs(y, f, p, i, refr, i_stim):
    # State: V, dg_ex, g_ex, dg_in, g_in; rise and decay times in columns 8, 9, 12, 13
    # (alpha: the same time constant twice).
    V = p[i, V_RESET] if refr else y[0]
    f[0] = 0.0 if refr else _leak_and_synapses(V, y, p, i, 2, 4, i_stim) / p[i, C_M]
    f[1] = -y[1] / p[i, TAU_EX]
    f[2] = y[1] - y[2] / p[i, 12]
    f[3] = -y[3] / p[i, TAU_IN]
    f[4] = y[3] - y[4] / p[i, 13]


@njit(cache=True)
def _beta_receive(y, p, i, r, w_exc, w_inh):
    y[1] += w_exc * p[i, G0_EX]
    y[3] -= w_inh * p[i, G0_IN]


# Slopes of the alpha and beta conductances (state).
_DG = {
    "dg_ex": p(0.0, "First derivative of g_ex", "nS/ms", state=True),
    "dg_in": p(0.0, "First derivative of g_in", "nS/ms", state=True),
}
_BETA_KERNEL = adaptive_kernel("iaf_cond_beta", 5, _beta_rhs, no_event, iaf_outer, _beta_receive)


class IafCondAlpha(_IafCond):
    """Leaky integrate-and-fire neuron with alpha-shaped conductances.

    A weight of w nS gives a conductance peaking at |w| nS ``tau_syn`` after arrival.
    """

    name = "iaf_cond_alpha"
    elementsize = 744
    params = {
        **_membrane_params(),
        "tau_syn_ex": p(0.2, "Rise time of the excitatory synaptic alpha function", "ms"),
        "tau_syn_in": p(2.0, "Rise time of the inhibitory synaptic alpha function", "ms"),
        **_DG,
    }
    recordables = ("V_m", "g_ex", "g_in", "t_ref_remaining")
    state_names = ("V_m", "dg_ex", "g_ex", "dg_in", "g_in")
    kernel = _BETA_KERNEL

    def param_matrix(self, v, h):
        te, ti = v["tau_syn_ex"], v["tau_syn_in"]
        return self.base_matrix(v, np.e / te, np.e / ti, te, ti, te, ti)


class IafCondBeta(_IafCond):
    """Leaky integrate-and-fire neuron with beta-shaped conductances (difference of
    exponentials with rise and decay times), normalised to peak at |w| nS."""

    name = "iaf_cond_beta"
    elementsize = 760
    params = {
        **_membrane_params(),
        "tau_rise_ex": p(0.2, "Rise time of excitatory synaptic conductance", "ms"),
        "tau_decay_ex": p(0.2, "Decay time of excitatory synaptic conductance", "ms"),
        "tau_rise_in": p(2.0, "Rise time of inhibitory synaptic conductance", "ms"),
        "tau_decay_in": p(2.0, "Decay time of inhibitory synaptic conductance", "ms"),
        **_DG,
    }
    recordables = IafCondAlpha.recordables
    state_names = IafCondAlpha.state_names
    kernel = _BETA_KERNEL

    def param_matrix(self, v, h):
        g0e = beta_peak_factor(v["tau_rise_ex"], v["tau_decay_ex"])
        g0i = beta_peak_factor(v["tau_rise_in"], v["tau_decay_in"])
        return self.base_matrix(v, g0e, g0i, v["tau_rise_ex"], v["tau_rise_in"], v["tau_decay_ex"], v["tau_decay_in"])


# ------------------------------------------------------------------------ sfa_rr
E_SFA, E_RR, TAU_SFA, TAU_RR, Q_SFA, Q_RR = range(12, 18)


@njit(cache=True)
def _sfa_rr_rhs(y, f, p, i, refr, i_stim):
    # State: V, g_ex, g_in, g_sfa, g_rr.
    V = p[i, V_RESET] if refr else y[0]
    i_adapt = y[3] * (V - p[i, E_SFA]) + y[4] * (V - p[i, E_RR])
    f[0] = 0.0 if refr else (_leak_and_synapses(V, y, p, i, 1, 2, i_stim) - i_adapt) / p[i, C_M]
    f[1] = -y[1] / p[i, TAU_EX]
    f[2] = -y[2] / p[i, TAU_IN]
    f[3] = -y[3] / p[i, TAU_SFA]
    f[4] = -y[4] / p[i, TAU_RR]


@njit(cache=True)
def _sfa_rr_outer(y, p, i, r, ref, v_old):
    r, ev = iaf_outer(y, p, i, r, ref, v_old)
    if ev == 1:
        y[3] += p[i, Q_SFA]
        y[4] += p[i, Q_RR]
    return r, ev


class IafCondExpSfaRr(_IafCond):
    """``iaf_cond_exp`` with two more conductances a spike raises: spike-frequency
    adaptation (``q_sfa``, ``tau_sfa``, ``E_sfa``) and relative refractoriness (``q_rr``,
    ``tau_rr``, ``E_rr``)."""

    name = "iaf_cond_exp_sfa_rr"
    elementsize = 776
    params = {
        **_membrane_params(E_in=-75.0, C_m=289.5, g_L=28.95, V_reset=-70.0, V_th=-57.0, t_ref=0.5),
        "tau_syn_ex": p(1.5, "Decay time of excitatory synaptic conductance", "ms"),
        "tau_syn_in": p(10.0, "Decay time of inhibitory synaptic conductance", "ms"),
        "tau_sfa": p(110.0, "Time constant of the adaptation conductance", "ms"),
        "tau_rr": p(1.97, "Time constant of the relative refractory conductance", "ms"),
        "E_sfa": p(-70.0, "Reversal potential of the adaptation conductance", "mV"),
        "E_rr": p(-70.0, "Reversal potential of the relative refractory conductance", "mV"),
        "q_sfa": p(14.48, "Increment of g_sfa per spike", "nS"),
        "q_rr": p(3214.0, "Increment of g_rr per spike", "nS"),
        "g_sfa": p(0.0, "Adaptation conductance", "nS", state=True),
        "g_rr": p(0.0, "Relative refractory conductance", "nS", state=True),
    }
    recordables = ("V_m", "g_ex", "g_in", "g_rr", "g_sfa")
    state_names = ("V_m", "g_ex", "g_in", "g_sfa", "g_rr")
    kernel = adaptive_kernel("iaf_cond_exp_sfa_rr", 5, _sfa_rr_rhs, no_event, _sfa_rr_outer, _exp_receive)

    def param_matrix(self, v, h):
        return self.base_matrix(
            v, 1.0, 1.0, v["tau_syn_ex"], v["tau_syn_in"],
            v["E_sfa"], v["E_rr"], v["tau_sfa"], v["tau_rr"], v["q_sfa"], v["q_rr"],
        )  # fmt: skip
