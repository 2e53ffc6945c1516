"""``gif_cond_exp`` and ``gif_cond_exp_multisynapse``: generalized integrate-and-fire neurons
with escape noise (Mensi et al. 2012, Pozzorini et al. 2015) and exponentially decaying
conductances, integrated by the adaptive RKF45 kernel (absolute error ``gsl_error_tol``).

The membrane, the spike-triggered currents ``I_stc`` (kernels ``q_stc``, ``tau_stc``) and
the adaptive threshold ``E_sfa = V_T_star + sum of kernels (q_sfa, tau_sfa)`` are those of
``gif_psc_exp`` (gif.py); the synaptic input is a conductance per excitatory and
inhibitory synapse (``gif_cond_exp``: positive weights to ``g_ex``, negative ones to
``g_in``) or per receptor port (``gif_cond_exp_multisynapse``: ``E_rev``, ``tau_syn``;
negative weights refused, as NEST). Within a step: the kernels are summed (``I_stc``,
``E_sfa``, as recorded) and decay; the membrane and conductances are integrated with
``I_stc`` constant; the step's spikes raise the conductances; then, outside the refractory
period, the neuron fires with probability ``1 - exp(-lambda h)``,
``lambda = lambda_0 exp((V_m - E_sfa) / Delta_V)`` (1/s); while refractory V_m is held at
``V_reset``. Random draws come from per-neuron counter-based streams (``pp.py``), so
spike trains agree with NEST's in distribution; with the noise switched off (``lambda_0``
0, or so large that the neuron fires whenever it may) traces agree to the integrator's
precision.

ODE state per node: ``V_m``, ``I_stc``, ``E_sfa`` (constant within the step: slope 0),
then the conductances; the kernels follow in ``S`` (not integrated).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..base import Param, archiving_params, require
from ._adaptive_ports import PortedModel, PortLists, ported_kernel
from .pp import check_kernel_lists, kernel_lists

# Parameter row: these columns, then (E_rev, 1/tau) per conductance, then the kernels'
# decay factors and jumps.
E_L, G_L, INV_C, I_E, V_RESET, V_T_STAR, LAM_H, INV_DELTA_V, N_STC = range(9)
_FIRST = 9
_FIXED = 3  # V_m, I_stc, E_sfa


@njit(cache=True, inline="always")
def _rhs(y, f, p, i, refr, i_stim):
    V = y[0]
    n_g = y.shape[0] - _FIXED
    i_syn = 0.0
    for q in range(n_g):
        g = y[_FIXED + q]
        i_syn += g * (V - p[i, _FIRST + 2 * q])
        f[_FIXED + q] = -g * p[i, _FIRST + 2 * q + 1]
    f[1] = 0.0
    f[2] = 0.0
    if refr:
        f[0] = 0.0
    else:
        f[0] = (-p[i, G_L] * (V - p[i, E_L]) - i_syn + p[i, I_E] + i_stim - y[1]) * p[i, INV_C]


@njit(cache=True, inline="always")
def _kernels(S, p, i, dim):
    """(first column of the kernels in the parameter row, number of stc kernels, all)."""
    n_k = S.shape[1] - dim
    return _FIRST + 2 * (dim - _FIXED), int(p[i, N_STC]), n_k


@njit(cache=True, inline="always")
def _pre(y, S, p, i):
    dim = y.shape[0]
    col, n_stc, n_k = _kernels(S, p, i, dim)
    stc = 0.0
    sfa = p[i, V_T_STAR]
    for j in range(n_k):
        if j < n_stc:
            stc += S[i, dim + j]
        else:
            sfa += S[i, dim + j]
        S[i, dim + j] *= p[i, col + j]
    y[1] = stc
    y[2] = sfa


@njit(cache=True, inline="always")
def _inner(y, p, i, r, ref):
    if y[0] < -1e3:
        return r, 2
    return r, 0


@njit(cache=True, inline="always")
def _outer(y, S, p, i, r, ref, u):
    if r > 0:
        y[0] = p[i, V_RESET]
        return r - 1, 0
    lam = p[i, LAM_H] * math.exp((y[0] - y[2]) * p[i, INV_DELTA_V])
    if lam > 0.0 and u < -math.expm1(-lam):
        dim = y.shape[0]
        col, n_stc, n_k = _kernels(S, p, i, dim)
        for j in range(n_k):
            S[i, dim + j] += p[i, col + n_k + j]
        return ref, 1
    return r, 0


@njit(cache=True, inline="always")
def _receive_signed(y, p, i, q, w):
    # q 0: the sum of positive weights (g_ex), q 1: of negative ones (g_in).
    y[_FIXED + q] += w if q == 0 else -w
    return True


@njit(cache=True, inline="always")
def _receive_port(y, p, i, q, w):
    if w < 0.0:
        return False
    y[_FIXED + q] += w
    return True


_KERNEL = ported_kernel("gif_cond_exp", _rhs, _pre, _inner, _outer, _receive_signed, noise=True)
_KERNEL_PORTS = ported_kernel("gif_cond_exp_ms", _rhs, _pre, _inner, _outer, _receive_port, ports=True, noise=True)


def _gif_params(**synapses) -> dict[str, Param]:
    floats = dict(kind="floats")
    return {
        **archiving_params(),
        "C_m": Param(80.0, doc="Capacitance of the membrane", unit="pF"),
        "Delta_V": Param(0.5, doc="Stochasticity level of the escape rate", unit="mV"),
        "E_L": Param(-70.0, doc="Leak reversal potential", unit="mV"),
        "E_sfa": Param(0.0, state=True, readonly=True, doc="Adaptive threshold", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "I_stc": Param(0.0, state=True, readonly=True, doc="Spike-triggered current", unit="pA"),
        "V_T_star": Param(-35.0, doc="Base threshold", unit="mV"),
        "V_m": Param(-70.0, state=True, doc="Membrane potential", unit="mV"),
        "V_reset": Param(-55.0, doc="Reset potential", unit="mV"),
        "g_L": Param(4.0, doc="Leak conductance", unit="nS"),
        "gsl_error_tol": Param(1e-3, doc="Error bound of the adaptive integration"),
        "lambda_0": Param(1.0, doc="Escape rate at threshold", unit="1/s"),
        "q_sfa": Param(np.zeros(0), doc="Jumps of the threshold kernels", unit="mV", **floats),
        "q_stc": Param(np.zeros(0), doc="Jumps of the spike-triggered currents", unit="pA", **floats),
        "t_ref": Param(4.0, doc="Refractory period", unit="ms"),
        "tau_sfa": Param(np.zeros(0), doc="Time constants of the threshold kernels", unit="ms", **floats),
        "tau_stc": Param(np.zeros(0), doc="Time constants of the spike-triggered currents", unit="ms", **floats),
        **synapses,
    }


class _GifCond(PortedModel):
    """What the two models share: kernels, checks, noise, state layout."""

    uses_noise = True

    def check_gif(self, v, gid):
        tau_sfa = check_kernel_lists(self, v, gid, "tau_sfa", "q_sfa", "dimensions")
        tau_stc = check_kernel_lists(self, v, gid, "tau_stc", "q_stc", "dimensions")
        require(v["g_L"] > 0, self, gid, "Membrane conductance must be strictly positive.")
        require(v["Delta_V"] > 0, self, gid, "Delta_V must be strictly positive.")
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(v["lambda_0"] >= 0, self, gid, "lambda_0 must not be negative.")
        return tau_sfa, tau_stc

    def conductances(self, group) -> tuple[np.ndarray, np.ndarray]:
        """(E_rev, tau) per node and conductance, padded with (0, 1)."""
        raise NotImplementedError

    def layout(self, group):
        e, _ = self.conductances(group)
        dim = _FIXED + e.shape[1]
        v, n = group.values, group.n
        n_k = max((len(t) for t in v["tau_stc"]), default=0) + max((len(t) for t in v["tau_sfa"]), default=0)
        S = np.zeros((n, dim + n_k))
        S[:, 2] = v["V_T_star"]
        old = group.aux.get("S")
        if old is not None and old.shape == S.shape:
            S[:] = old
        return dim, S

    def param_matrix(self, group, h):
        v, n = group.values, group.n
        e, tau = self.conductances(group)
        d_stc, q_stc = kernel_lists(v, "tau_stc", "q_stc", n, h)
        d_sfa, q_sfa = kernel_lists(v, "tau_sfa", "q_sfa", n, h)
        # Kernels sit in S as all stc kernels (padded) then all sfa kernels.
        decay = np.hstack([d_stc, d_sfa])
        jump = np.hstack([q_stc, q_sfa])
        n_stc = np.full(n, d_stc.shape[1], dtype=float)
        ports = np.empty((n, 2 * e.shape[1]))
        ports[:, 0::2] = e
        ports[:, 1::2] = 1.0 / tau
        cols = [v["E_L"], v["g_L"], 1.0 / v["C_m"], v["I_e"], v["V_reset"], v["V_T_star"], v["lambda_0"] * 1e-3 * h,
                1.0 / v["Delta_V"], n_stc]  # fmt: skip
        return np.hstack([np.column_stack(cols), ports, decay, jump])

    def record_columns(self, group):
        cols = {"V_m": 0, "I_stc": 1, "E_sfa": 2, "g_ex": _FIXED, "g_in": _FIXED + 1}
        return [cols[r] for r in self.recordables]

    def write_back(self, group):
        S, v = group.aux["S"], group.values
        v["V_m"][:] = S[:, 0]
        v["I_stc"][:] = S[:, 1]
        v["E_sfa"][:] = S[:, 2]


class GifCondExp(_GifCond):
    """Generalized integrate-and-fire neuron with exponential conductances (nS)."""

    name = "gif_cond_exp"
    elementsize = 952
    status_note = (
        "adaptive RKF45 as NEST, escape noise from counter-based streams (`tests/test_models_multisyn_adaptive.py`)"
    )
    kernel = _KERNEL
    params = _gif_params(
        E_ex=Param(0.0, doc="Excitatory reversal potential", unit="mV"),
        E_in=Param(-85.0, doc="Inhibitory reversal potential", unit="mV"),
        g_ex=Param(0.0, state=True, doc="Excitatory synaptic conductance", unit="nS"),
        g_in=Param(0.0, state=True, doc="Inhibitory synaptic conductance", unit="nS"),
        tau_syn_ex=Param(2.0, doc="Excitatory synaptic time constant", unit="ms"),
        tau_syn_in=Param(2.0, doc="Inhibitory synaptic time constant", unit="ms"),
    )
    recordables = ("E_sfa", "I_stc", "V_m", "g_ex", "g_in")

    def check(self, v, n, gid):
        tau_sfa, tau_stc = self.check_gif(v, gid)
        require((v["tau_syn_ex"] > 0) & (v["tau_syn_in"] > 0), self, gid,
                "Synapse time constants must be strictly positive.")  # fmt: skip
        require(np.all(tau_sfa > 0) & np.all(tau_stc > 0), self, gid, "All time constants must be strictly positive.")
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")

    def conductances(self, group):
        v = group.values
        return (np.column_stack([v["E_ex"], v["E_in"]]), np.column_stack([v["tau_syn_ex"], v["tau_syn_in"]]))

    def load_state(self, group, S):
        v = group.values
        S[:, 0] = v["V_m"]
        S[:, _FIXED] = v["g_ex"]
        S[:, _FIXED + 1] = v["g_in"]

    def write_back(self, group):
        super().write_back(group)
        S, v = group.aux["S"], group.values
        v["g_ex"][:] = S[:, _FIXED]
        v["g_in"][:] = S[:, _FIXED + 1]


class GifCondExpMultisynapse(PortLists, _GifCond):
    """Generalized integrate-and-fire neuron with an exponential conductance per receptor port."""

    name = "gif_cond_exp_multisynapse"
    elementsize = 952
    status_note = GifCondExp.status_note
    kernel = _KERNEL_PORTS
    uses_ports = True
    refused_input = "Synaptic weights for conductance-based multisynapse models must be non-negative."
    params = _gif_params(
        E_rev=Param(np.array([0.0]), kind="floats", doc="Reversal potential of each receptor port", unit="mV"),
        tau_syn=Param(np.array([2.0]), kind="floats", doc="Decay time of each port's conductance", unit="ms"),
        n_receptors=Param(1, kind="int", readonly=True, doc="Number of receptor ports"),
        has_connections=Param(False, kind="bool", readonly=True, doc="Whether the node has incoming connections"),
        g=Param(np.zeros(2), kind="floats", state=True, readonly=True, doc="Conductance of each port", unit="nS"),
    )
    port_lists = ("E_rev", "tau_syn")
    size_message = "The reversal potential, and synaptic time constant arrays must have the same size."

    def port_recordables(self, k):
        return ("E_sfa", "I_stc", "V_m")

    def check(self, v, n, gid):
        lists = self.check_port_lists(v, gid)
        tau_sfa, tau_stc = self.check_gif(v, gid)
        require(np.all(lists[1] > 0), self, gid, "All synaptic time constants must be strictly positive")
        require(np.all(tau_sfa > 0) & np.all(tau_stc > 0), self, gid, "All time constants must be strictly positive.")
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")

    def conductances(self, group):
        v = group.values
        k = max(int(self.receptor_ports(group).max(initial=0)), 1)
        e = np.zeros((group.n, k))
        tau = np.ones((group.n, k))
        for i in range(group.n):
            q = len(v["E_rev"][i])
            e[i, :q] = v["E_rev"][i]
            tau[i, :q] = v["tau_syn"][i]
        return e, tau

    def load_state(self, group, S):
        S[:, 0] = group.values["V_m"]

    def extra_status(self, group, i):
        ports = len(group.values["E_rev"][i])
        a = group.aux
        if "S" not in a:
            # NEST's state vector before a run is at least two long.
            return {"g": np.zeros(max(ports, 2))}
        return {"g": a["S"][i, _FIXED : a["dim"]][:ports].copy()}


MODELS = [GifCondExp, GifCondExpMultisynapse]
