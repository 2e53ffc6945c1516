"""``iaf_chxk_2008``: conductance-based leaky integrate-and-fire neuron with an
afterhyperpolarizing (AHP) conductance (Casti et al. 2008).

    C_m dV/dt = -g_L (V - E_L) - g_ex (V - E_ex) - g_in (V - E_in) - g_ahp (V - E_ahp) + I_e + I_stim

The excitatory, inhibitory and AHP conductances are alpha functions (time constants
``tau_syn_ex``, ``tau_syn_in``, ``tau_ahp``); a spike of weight w nS (positive to
``g_ex``, negative to ``g_in``) peaks at |w| nS. Integrated by the adaptive RKF45
kernel (absolute error 1e-3). There is no reset and no refractory time: the neuron fires
when V crosses ``V_th`` from below within a step, at the time found by linear
interpolation between the step's start and end values, and its spike carries that time
off the grid (as NEST, whose spike recorder shows it). The spike starts an AHP
conductance of peak ``g_ahp`` at that time (so by the step's end it has run for the
spike's offset); with ``ahp_bug`` it replaces the AHP conductance then present, as in the
original Fortran code. Recorded currents are ``g (V - E)`` of each conductance.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..base import Param, archiving_params, require
from ._adaptive_ports import PortedModel, ported_kernel

E_L, G_L, INV_C, I_E, E_EX, E_IN, E_AHP, V_TH, H = range(9)
INV_TAU_EX, INV_TAU_IN, INV_TAU_AHP, G0_EX, G0_IN, G0_AHP, AHP_BUG = range(9, 16)
_DIM = 7  # V, dg_ex, g_ex, dg_in, g_in, dg_ahp, g_ahp
# Columns of S after the ODE state: V at the step's start, the recorded currents, and
# the offset of the step's spike (last, where the kernel reads it).
V_PREV, I_SYN_EX, I_SYN_IN, I_AHP, OFFSET = range(_DIM, _DIM + 5)


@njit(cache=True, inline="always")
def _rhs(y, f, p, i, refr, i_stim):
    V = y[0]
    i_syn = y[2] * (V - p[i, E_EX]) + y[4] * (V - p[i, E_IN]) + y[6] * (V - p[i, E_AHP])
    f[0] = (-p[i, G_L] * (V - p[i, E_L]) - i_syn + p[i, I_E] + i_stim) * p[i, INV_C]
    f[1] = -y[1] * p[i, INV_TAU_EX]
    f[2] = y[1] - y[2] * p[i, INV_TAU_EX]
    f[3] = -y[3] * p[i, INV_TAU_IN]
    f[4] = y[3] - y[4] * p[i, INV_TAU_IN]
    f[5] = -y[5] * p[i, INV_TAU_AHP]
    f[6] = y[5] - y[6] * p[i, INV_TAU_AHP]


@njit(cache=True, inline="always")
def _pre(y, S, p, i):
    S[i, V_PREV] = y[0]


@njit(cache=True, inline="always")
def _inner(y, p, i, r, ref):
    if y[0] < -1e3:
        return r, 2
    return r, 0


@njit(cache=True, inline="always")
def _outer(y, S, p, i, r, ref, u):
    v_prev = S[i, V_PREV]
    V = y[0]
    ev = 0
    if v_prev < p[i, V_TH] <= V:
        # Linear interpolation of the crossing; the offset is counted back from the step's end.
        offset = p[i, H] * (V - p[i, V_TH]) / (V - v_prev)
        S[i, OFFSET] = offset
        decay = math.exp(-offset * p[i, INV_TAU_AHP])
        dg = p[i, G0_AHP] * decay
        g = p[i, G0_AHP] * offset * decay
        if p[i, AHP_BUG] != 0.0:
            y[5] = dg
            y[6] = g
        else:
            y[5] += dg
            y[6] += g
        ev = 1
    S[i, I_SYN_EX] = y[2] * (V - p[i, E_EX])
    S[i, I_SYN_IN] = y[4] * (V - p[i, E_IN])
    S[i, I_AHP] = y[6] * (V - p[i, E_AHP])
    return r, ev


@njit(cache=True, inline="always")
def _receive(y, p, i, q, w):
    # q 0: the sum of positive weights, q 1: of negative ones.
    if q == 0:
        y[1] += w * p[i, G0_EX]
    else:
        y[3] -= w * p[i, G0_IN]
    return True


_KERNEL = ported_kernel("iaf_chxk_2008", _rhs, _pre, _inner, _outer, _receive, precise=True)


def _p(default, doc, unit="", state=False):
    return Param(default, state=state, doc=doc, unit=unit)


class IafChxk2008(PortedModel):
    """Conductance-based leaky integrate-and-fire neuron with AHP and precise spike times."""

    name = "iaf_chxk_2008"
    elementsize = 776
    status_note = (
        "adaptive RKF45 as NEST, spike times interpolated off the grid (`tests/test_models_multisyn_adaptive.py`)"
    )
    kernel = _KERNEL
    precise_output = True
    params = {
        **archiving_params(),
        "V_m": _p(-60.0, "Membrane potential", "mV", state=True),
        "V_th": _p(-45.0, "Spike threshold", "mV"),
        "g_L": _p(100.0, "Leak conductance", "nS"),
        "C_m": _p(1000.0, "Capacitance of the membrane", "pF"),
        "E_ex": _p(20.0, "Excitatory reversal potential", "mV"),
        "E_in": _p(-90.0, "Inhibitory reversal potential", "mV"),
        "E_L": _p(-60.0, "Leak reversal potential", "mV"),
        "tau_syn_ex": _p(1.0, "Rise time of the excitatory synaptic alpha function", "ms"),
        "tau_syn_in": _p(1.0, "Rise time of the inhibitory synaptic alpha function", "ms"),
        "I_e": _p(0.0, "Constant input current", "pA"),
        "tau_ahp": _p(0.5, "Rise time of the AHP conductance's alpha function", "ms"),
        "g_ahp": _p(443.8, "Peak AHP conductance", "nS"),
        "E_ahp": _p(-95.0, "AHP reversal potential", "mV"),
        "ahp_bug": Param(False, kind="bool", doc="A spike replaces the AHP conductance (original Fortran code)"),
    }
    recordables = ("I_ahp", "I_syn_ex", "I_syn_in", "V_m", "g_ahp", "g_ex", "g_in")

    def check(self, v, n, gid):
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require((v["tau_syn_ex"] > 0) & (v["tau_syn_in"] > 0) & (v["tau_ahp"] > 0), self, gid,
                "All time constants must be strictly positive.")  # fmt: skip
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")

    def error_bound(self, v):
        return np.full(len(v["V_m"]), 1e-3)

    def refractory_steps(self, v, h):
        return np.zeros(len(v["V_m"]), dtype=np.int64)

    def layout(self, group):
        S = np.zeros((group.n, OFFSET + 1))
        old = group.aux.get("S")
        if old is not None and old.shape == S.shape:
            S[:] = old
        return _DIM, S

    def param_matrix(self, group, h):
        v = group.values
        te, ti, ta = v["tau_syn_ex"], v["tau_syn_in"], v["tau_ahp"]
        cols = [v["E_L"], v["g_L"], 1.0 / v["C_m"], v["I_e"], v["E_ex"], v["E_in"], v["E_ahp"], v["V_th"],
                np.full(group.n, h), 1.0 / te, 1.0 / ti, 1.0 / ta, np.e / te, np.e / ti, np.e * v["g_ahp"] / ta,
                v["ahp_bug"].astype(float)]  # fmt: skip
        return np.column_stack(cols)

    def record_columns(self, group):
        cols = {"V_m": 0, "g_ex": 2, "g_in": 4, "g_ahp": 6, "I_syn_ex": I_SYN_EX, "I_syn_in": I_SYN_IN, "I_ahp": I_AHP}
        return [cols[r] for r in self.recordables]


MODELS = [IafChxk2008]
