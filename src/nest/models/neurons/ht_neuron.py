"""``ht_neuron``: the neuron model of Hill and Tononi (2005), as NEST 3.10 has it.

The membrane integrates leak, synaptic and intrinsic currents with one time constant,

    tau_m dV/dt = I_Na,L + I_K,L + I_syn + I_NaP + I_KNa + I_T + I_h + I_stim
                  (+ tau_m * I_spike while refractory),

where every current is ``-g (V - E)``. The threshold ``theta`` relaxes to ``theta_eq``
with ``tau_theta``. A spike (checked after every internal step while not refractory,
``V >= theta``) sets both ``V`` and ``theta`` to ``E_Na``; for ``t_ref`` a repolarising
potassium current ``-(V - E_K) / tau_spike`` is on instead of a hard reset.

Four conductance-based receptors (ports ``AMPA`` 1, ``NMDA`` 2, ``GABA_A`` 3, ``GABA_B``
4) have beta-shaped time courses normalised to peak at ``g_peak * weight``; NMDA is
unblocked by magnesium through a fast and a slow gate (or instantly). The intrinsic
currents: persistent sodium ``I_NaP`` (instantaneous activation), depolarisation-
activated potassium ``I_KNa`` (through the sodium concentration ``D``), low-threshold
calcium ``I_T`` (gates ``m_T``, ``h_T``) and pacemaker ``I_h`` (gate ``m_h``).

Integration: the adaptive Runge-Kutta-Fehlberg kernel with absolute error 1e-3
(:mod:`._rk45_ports`). Within a step NEST's order: after each internal step the NMDA
gates are clipped to their equilibrium value, then the threshold is checked; after the
step the refractory count goes down, the input spikes are added to the conductances'
slopes and the external current is latched. The recorded intrinsic currents are those of
the last evaluation of the right-hand side (the state right after the last internal step).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...errors import NESTErrors
from ..base import Param, archiving_params
from ._adaptive import p
from ._rk45_ports import PortModel, port_kernel
from .iaf_cond import beta_peak_factor

# Parameter columns.
(E_NA, E_K, G_NAL, G_KL, TAU_M, THETA_EQ, TAU_THETA, TAU_SPIKE,
 TR_AMPA, TD_AMPA, E_AMPA,
 TR_NMDA, TD_NMDA, E_NMDA, V_ACT, S_ACT, TAU_MG_SLOW, TAU_MG_FAST, INSTANT,
 TR_GA, TD_GA, E_GA, TR_GB, TD_GB, E_GB,
 G_NAP, E_NAP, N_NAP, G_KNA, E_KNA, TAU_D, G_T, E_T, N_T, G_H, E_H,
 CLAMP, V_CLAMP, STEP_AMPA, STEP_NMDA, STEP_GA, STEP_GB, I_STIM) = range(43)  # fmt: skip
# State columns (NEST's order: the receptors' slopes at 2, 4, 6, 8).
V, THETA, DG_AMPA, G_AMPA, DG_NMDA, G_NMDA, DG_GA, G_GA, DG_GB, G_GB, M_FAST, M_SLOW, M_IH, D_KNA, M_IT, H_IT = range(
    16
)

_PARAM_KEYS = (
    "E_Na", "E_K", "g_NaL", "g_KL", "tau_m", "theta_eq", "tau_theta", "tau_spike",
    "tau_rise_AMPA", "tau_decay_AMPA", "E_rev_AMPA",
    "tau_rise_NMDA", "tau_decay_NMDA", "E_rev_NMDA", "V_act_NMDA", "S_act_NMDA", "tau_Mg_slow_NMDA",
    "tau_Mg_fast_NMDA", "instant_unblock_NMDA",
    "tau_rise_GABA_A", "tau_decay_GABA_A", "E_rev_GABA_A", "tau_rise_GABA_B", "tau_decay_GABA_B", "E_rev_GABA_B",
    "g_peak_NaP", "E_rev_NaP", "N_NaP", "g_peak_KNa", "E_rev_KNa", "tau_D_KNa", "g_peak_T", "E_rev_T", "N_T",
    "g_peak_h", "E_rev_h", "voltage_clamp",
)  # fmt: skip
_RECEPTORS = ("AMPA", "NMDA", "GABA_A", "GABA_B")


# ----------------------------------------------------------- gating functions
@njit(cache=True, inline="always")
def _m_eq_nmda(v, p, i):
    return 1.0 / (1.0 + math.exp(-p[i, S_ACT] * (v - p[i, V_ACT])))


@njit(cache=True, inline="always")
def _m_nmda(v, m_eq, m_fast, m_slow, p, i):
    if p[i, INSTANT] != 0.0:
        return m_eq
    a1 = 0.51 - 0.0028 * v
    return a1 * m_fast + (1.0 - a1) * m_slow


@njit(cache=True, inline="always")
def _m_eq_h(v):
    return 1.0 / (1.0 + math.exp((v + 75.0) / 5.5))


@njit(cache=True, inline="always")
def _m_eq_t(v):
    return 1.0 / (1.0 + math.exp(-(v + 59.0) / 6.2))


@njit(cache=True, inline="always")
def _h_eq_t(v):
    return 1.0 / (1.0 + math.exp((v + 83.0) / 4.0))


@njit(cache=True, inline="always")
def _d_eq_kna(v, tau_d):
    # Sodium influx above about -10 mV, 0.025 at its peak, on a floor of 0.001.
    return tau_d * 0.025 / (1.0 + math.exp(-(v + 10.0) / 5.0)) + 0.001


@njit(cache=True, inline="always")
def _intrinsic(y, v, p, i):
    """(I_NaP, I_KNa, I_T, I_h) at state ``y`` and membrane potential ``v``."""
    m_nap = 1.0 / (1.0 + math.exp(-(v + 55.7) / 7.7))
    i_nap = -p[i, G_NAP] * m_nap ** p[i, N_NAP] * (v - p[i, E_NAP])
    m_kna = 1.0 / (1.0 + (0.25 / y[D_KNA]) ** 3.5)
    i_kna = -p[i, G_KNA] * m_kna * (v - p[i, E_KNA])
    i_t = -p[i, G_T] * y[M_IT] ** p[i, N_T] * y[H_IT] * (v - p[i, E_T])
    i_h = -p[i, G_H] * y[M_IH] * (v - p[i, E_H])
    return i_nap, i_kna, i_t, i_h


# ----------------------------------------------------------------------- hooks
@njit(cache=True)
def _rhs(y, f, p, i, refr, i_stim):
    v = p[i, V_CLAMP] if p[i, CLAMP] != 0.0 else y[V]
    # The gates above their equilibrium count as at it (NEST clips them after the step;
    # the right-hand side may be evaluated at any trial state before that).
    m_eq = _m_eq_nmda(v, p, i)
    m_fast = min(m_eq, y[M_FAST])
    m_slow = min(m_eq, y[M_SLOW])
    m = _m_nmda(v, m_eq, m_fast, m_slow, p, i)
    i_syn = (
        -y[G_AMPA] * (v - p[i, E_AMPA])
        - y[G_NMDA] * m * (v - p[i, E_NMDA])
        - y[G_GA] * (v - p[i, E_GA])
        - y[G_GB] * (v - p[i, E_GB])
    )
    i_spike = -(v - p[i, E_K]) / p[i, TAU_SPIKE] if refr else 0.0
    i_leak = -p[i, G_NAL] * (v - p[i, E_NA]) - p[i, G_KL] * (v - p[i, E_K])
    i_nap, i_kna, i_t, i_h = _intrinsic(y, v, p, i)
    f[V] = (i_leak + i_syn + i_nap + i_kna + i_t + i_h + p[i, I_STIM]) / p[i, TAU_M] + i_spike
    f[THETA] = -(y[THETA] - p[i, THETA_EQ]) / p[i, TAU_THETA]
    f[DG_AMPA] = -y[DG_AMPA] / p[i, TR_AMPA]
    f[G_AMPA] = y[DG_AMPA] - y[G_AMPA] / p[i, TD_AMPA]
    f[DG_NMDA] = -y[DG_NMDA] / p[i, TR_NMDA]
    f[G_NMDA] = y[DG_NMDA] - y[G_NMDA] / p[i, TD_NMDA]
    f[M_FAST] = (m_eq - m_fast) / p[i, TAU_MG_FAST]
    f[M_SLOW] = (m_eq - m_slow) / p[i, TAU_MG_SLOW]
    f[DG_GA] = -y[DG_GA] / p[i, TR_GA]
    f[G_GA] = y[DG_GA] - y[G_GA] / p[i, TD_GA]
    f[DG_GB] = -y[DG_GB] / p[i, TR_GB]
    f[G_GB] = y[DG_GB] - y[G_GB] / p[i, TD_GB]
    f[D_KNA] = (_d_eq_kna(v, p[i, TAU_D]) - y[D_KNA]) / p[i, TAU_D]
    tau_m_t = 0.22 / (math.exp(-(v + 132.0) / 16.7) + math.exp((v + 16.8) / 18.2)) + 0.13
    tau_h_t = 8.2 + (56.6 + 0.27 * math.exp((v + 115.2) / 5.0)) / (1.0 + math.exp((v + 86.0) / 3.2))
    f[M_IT] = (_m_eq_t(v) - y[M_IT]) / tau_m_t
    f[H_IT] = (_h_eq_t(v) - y[H_IT]) / tau_h_t
    tau_m_h = 1.0 / (math.exp(-14.59 - 0.086 * v) + math.exp(-1.87 + 0.0701 * v))
    f[M_IH] = (_m_eq_h(v) - y[M_IH]) / tau_m_h


@njit(cache=True)
def _inner(y, p, i, r, ref):
    if p[i, CLAMP] != 0.0:
        y[V] = p[i, V_CLAMP]
    m_eq = _m_eq_nmda(y[V], p, i)
    y[M_FAST] = min(m_eq, y[M_FAST])
    y[M_SLOW] = min(m_eq, y[M_SLOW])
    if r == 0 and y[V] >= y[THETA]:
        y[V] = p[i, E_NA]
        y[THETA] = p[i, E_NA]
        # One more than t_ref in steps: the count goes down at the end of this step.
        return ref + 1, 1
    return r, 0


@njit(cache=True)
def _outer(y, p, i, r, ref, v_old):
    return (r - 1 if r > 0 else r), 0


@njit(cache=True)
def _receive(y, p, i, r, w):
    y[DG_AMPA] += p[i, STEP_AMPA] * w[0]
    y[DG_NMDA] += p[i, STEP_NMDA] * w[1]
    y[DG_GA] += p[i, STEP_GA] * w[2]
    y[DG_GB] += p[i, STEP_GB] * w[3]


@njit(cache=True)
def _record(y, y_last, p, i, r, dt, out, row, k):
    # Recordables in NEST's (sorted) order: I_KNa, I_NaP, I_T, I_h, V_m, g_AMPA,
    # g_GABA_A, g_GABA_B, g_NMDA, theta.
    v_last = p[i, V_CLAMP] if p[i, CLAMP] != 0.0 else y_last[V]
    i_nap, i_kna, i_t, i_h = _intrinsic(y_last, v_last, p, i)
    out[row, 0, k] = i_kna
    out[row, 1, k] = i_nap
    out[row, 2, k] = i_t
    out[row, 3, k] = i_h
    out[row, 4, k] = y[V]
    out[row, 5, k] = y[G_AMPA]
    out[row, 6, k] = y[G_GA]
    out[row, 7, k] = y[G_GB]
    m_eq = _m_eq_nmda(y[V], p, i)
    out[row, 8, k] = y[G_NMDA] * _m_nmda(y[V], m_eq, y[M_FAST], y[M_SLOW], p, i)
    out[row, 9, k] = y[THETA]


def _initial_gates() -> np.ndarray:
    """The hidden state of a new node: every gate at its equilibrium for NEST's built-in
    parameters at the resting potential (NEST computes it once, for the prototype)."""
    v = (0.2 * 30.0 + 1.0 * -90.0) / (0.2 + 1.0)
    m_nmda = 1.0 / (1.0 + math.exp(-0.081 * (v + 25.57)))
    return np.array([
        m_nmda, m_nmda,
        1.0 / (1.0 + math.exp((v + 75.0) / 5.5)),
        1250.0 * 0.025 / (1.0 + math.exp(-(v + 10.0) / 5.0)) + 0.001,
        1.0 / (1.0 + math.exp(-(v + 59.0) / 6.2)),
        1.0 / (1.0 + math.exp((v + 83.0) / 4.0)),
    ])  # fmt: skip


def _params() -> dict[str, Param]:
    def b(default, doc):
        return Param(default, kind="bool", doc=doc)

    return {
        **archiving_params(),
        "V_m": p(-70.0, "Membrane potential", "mV", state=True),
        "theta": p(-51.0, "Threshold", "mV", state=True),
        "E_Na": p(30.0, "Sodium reversal potential (leak, and V and theta after a spike)", "mV"),
        "E_K": p(-90.0, "Potassium reversal potential", "mV"),
        "g_NaL": p(0.2, "Sodium leak conductance"),
        "g_KL": p(1.0, "Potassium leak conductance"),
        "tau_m": p(16.0, "Membrane time constant of all currents but the post-spike one", "ms"),
        "theta_eq": p(-51.0, "Equilibrium threshold", "mV"),
        "tau_theta": p(2.0, "Threshold time constant", "ms"),
        "tau_spike": p(1.75, "Time constant of the post-spike potassium current", "ms"),
        "t_ref": p(2.0, "Duration of the post-spike potassium current", "ms"),
        "g_peak_AMPA": p(0.1, "Peak conductance of AMPA per unit weight"),
        "tau_rise_AMPA": p(0.5, "AMPA rise time", "ms"),
        "tau_decay_AMPA": p(2.4, "AMPA decay time", "ms"),
        "E_rev_AMPA": p(0.0, "AMPA reversal potential", "mV"),
        "g_peak_NMDA": p(0.075, "Peak conductance of NMDA per unit weight"),
        "tau_rise_NMDA": p(4.0, "NMDA rise time", "ms"),
        "tau_decay_NMDA": p(40.0, "NMDA decay time", "ms"),
        "E_rev_NMDA": p(0.0, "NMDA reversal potential", "mV"),
        "V_act_NMDA": p(-25.57, "Half-activation potential of the NMDA unblock", "mV"),
        "S_act_NMDA": p(0.081, "Slope of the NMDA unblock", "1/mV"),
        "tau_Mg_slow_NMDA": p(22.7, "Time constant of the slow NMDA unblock", "ms"),
        "tau_Mg_fast_NMDA": p(0.68, "Time constant of the fast NMDA unblock", "ms"),
        "instant_unblock_NMDA": b(False, "Unblock NMDA instantly (no fast and slow gates)"),
        "g_peak_GABA_A": p(0.33, "Peak conductance of GABA_A per unit weight"),
        "tau_rise_GABA_A": p(1.0, "GABA_A rise time", "ms"),
        "tau_decay_GABA_A": p(7.0, "GABA_A decay time", "ms"),
        "E_rev_GABA_A": p(-70.0, "GABA_A reversal potential", "mV"),
        "g_peak_GABA_B": p(0.0132, "Peak conductance of GABA_B per unit weight"),
        "tau_rise_GABA_B": p(60.0, "GABA_B rise time", "ms"),
        "tau_decay_GABA_B": p(200.0, "GABA_B decay time", "ms"),
        "E_rev_GABA_B": p(-90.0, "GABA_B reversal potential", "mV"),
        "g_peak_NaP": p(1.0, "Peak conductance of the persistent sodium current"),
        "E_rev_NaP": p(30.0, "Reversal potential of I_NaP", "mV"),
        "N_NaP": p(3.0, "Exponent of the I_NaP activation"),
        "g_peak_KNa": p(1.0, "Peak conductance of the depolarisation-activated potassium current"),
        "E_rev_KNa": p(-90.0, "Reversal potential of I_KNa", "mV"),
        "tau_D_KNa": p(1250.0, "Time constant of the sodium concentration of I_KNa", "ms"),
        "g_peak_T": p(1.0, "Peak conductance of the low-threshold calcium current"),
        "E_rev_T": p(0.0, "Reversal potential of I_T", "mV"),
        "N_T": p(2.0, "Exponent of the I_T activation"),
        "g_peak_h": p(1.0, "Peak conductance of the pacemaker current"),
        "E_rev_h": p(-40.0, "Reversal potential of I_h", "mV"),
        "voltage_clamp": b(False, "Clamp V_m at its value at the start of the simulation"),
    }


# NEST's checks, in its order: (failing condition, message).
_CHECKS = (
    *((lambda v, k=k: v[k] < 0, f"{k} >= 0 required.") for k in (
        "g_peak_AMPA", "g_peak_GABA_A", "g_peak_GABA_B", "g_peak_KNa", "S_act_NMDA", "g_peak_NMDA", "g_peak_T",
        "g_peak_h", "g_peak_NaP", "g_KL", "g_NaL", "t_ref")),
    *((lambda v, k=k: v[k] <= 0, f"{k} > 0 required.") for k in (
        "tau_rise_AMPA", "tau_decay_AMPA", "tau_rise_GABA_A", "tau_decay_GABA_A", "tau_rise_GABA_B",
        "tau_decay_GABA_B", "tau_rise_NMDA", "tau_decay_NMDA", "tau_Mg_fast_NMDA", "tau_Mg_slow_NMDA", "tau_spike",
        "tau_theta", "tau_m", "tau_D_KNa")),
    *((lambda v, a=a, b=b: v[a] >= v[b], f"{a} < {b} required.") for a, b in (
        ("tau_rise_AMPA", "tau_decay_AMPA"), ("tau_rise_GABA_A", "tau_decay_GABA_A"),
        ("tau_rise_GABA_B", "tau_decay_GABA_B"), ("tau_rise_NMDA", "tau_decay_NMDA"),
        ("tau_Mg_fast_NMDA", "tau_Mg_slow_NMDA"))),
)  # fmt: skip


class HtNeuron(PortModel):
    """Hill-Tononi (2005) neuron: adaptive threshold, repolarising potassium current,
    AMPA/NMDA/GABA_A/GABA_B receptors and intrinsic currents I_NaP, I_KNa, I_T, I_h."""

    name = "ht_neuron"
    elementsize = 1104
    status_note = "adaptive RKF45 (NEST's steps), receptor ports (`tests/test_models_ht.py`)"
    params = _params()
    recordables = ("I_KNa", "I_NaP", "I_T", "I_h", "V_m", "g_AMPA", "g_GABA_A", "g_GABA_B", "g_NMDA", "theta")
    receptor_types = {"AMPA": 1, "NMDA": 2, "GABA_A": 3, "GABA_B": 4}
    state_names = ("V_m", "theta", "dg_AMPA", "g_AMPA", "dg_NMDA", "g_NMDA_timecourse", "dg_GABA_A", "g_GABA_A",
                   "dg_GABA_B", "g_GABA_B", "m_fast_NMDA", "m_slow_NMDA", "m_Ih", "D_IKNa", "m_IT", "h_IT")  # fmt: skip
    spike_ports = 4
    cur_col = I_STIM
    kernel = port_kernel("ht_neuron", 16, _rhs, _inner, _outer, _receive, _record, 4, 0, I_STIM)

    def check(self, v, n, gid):
        if np.any(np.asarray(v["ignore_and_spike"])):
            super().check(v, n, gid)
        for cond, msg in _CHECKS:
            if np.any(cond(v)):
                raise NESTErrors.BadParameter(msg)

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        """NEST's answer to a connection: spikes to ports 1-4, anything else to port 0."""
        ok = 1 <= port <= 4 if event == "SpikeEvent" else port == 0
        if not ok:
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")

    def param_matrix(self, v, h):
        n = len(v["V_m"])
        cols = [np.broadcast_to(np.asarray(v[k], dtype=np.float64), (n,)) for k in _PARAM_KEYS]
        # The clamp holds V_m at its value when the simulation is prepared.
        cols.append(np.asarray(v["V_m"], dtype=np.float64))
        for r in _RECEPTORS:
            cols.append(v[f"g_peak_{r}"] * beta_peak_factor(v[f"tau_rise_{r}"], v[f"tau_decay_{r}"]))
        cols.append(np.zeros(n))  # the latched current
        return np.column_stack(cols)

    # ``SetStatus({"equilibrate": True})`` puts the gates at their equilibrium for V_m.
    set_only = ("equilibrate",)

    def set_extra(self, group, idx, key, value) -> bool:
        if key != "equilibrate":
            return False
        pending = group.aux.setdefault("equilibrate", np.zeros(group.n, dtype=bool))
        pending[idx] = bool(value)
        return True

    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        if a.get("S") is None or a["S"].shape[0] != group.n:
            s = np.zeros((group.n, len(self.state_names)))
            s[:, M_FAST:] = _initial_gates()
            a["S"] = s
        super().prepare(group, kernel)
        pending = a.pop("equilibrate", None)
        if pending is not None and pending.any():
            vm = a["S"][pending, V]
            m_nmda = 1.0 / (1.0 + np.exp(-v["S_act_NMDA"][pending] * (vm - v["V_act_NMDA"][pending])))
            a["S"][pending, M_FAST] = m_nmda
            a["S"][pending, M_SLOW] = m_nmda
            a["S"][pending, M_IH] = 1.0 / (1.0 + np.exp((vm + 75.0) / 5.5))
            tau_d = v["tau_D_KNa"][pending]
            a["S"][pending, D_KNA] = tau_d * 0.025 / (1.0 + np.exp(-(vm + 10.0) / 5.0)) + 0.001
            a["S"][pending, M_IT] = 1.0 / (1.0 + np.exp(-(vm + 59.0) / 6.2))
            a["S"][pending, H_IT] = 1.0 / (1.0 + np.exp((vm + 83.0) / 4.0))


MODELS = [HtNeuron]
