"""``hh_psc_alpha_gap``: a Hodgkin-Huxley neuron with gap junctions.

The currents of Mancilla et al. (2007): sodium ``g_Na m^3 h (V - E_Na)``, potassium
``(g_Kv1 n^4 + g_Kv3 p^2)(V - E_K)`` and leak, with alpha-shaped synaptic currents (peak
|w| pA at ``tau_syn``), integrated by NEST's adaptive Runge-Kutta-Fehlberg 4(5) step
(``_rk45.evolve``, absolute error 1e-3). A spike is a local maximum of V_m at or above
0 mV, none for ``t_ref`` after one; V_m is never reset.

Gap junctions (``gap_junction``, conductance ``g_ij`` nS) add ``I_gap = sum_j g_ij (V_j(t) -
V_i)`` to the membrane current. Within a step V_j(t) is the neighbour's trajectory as a
polynomial in the fraction ``tau`` of the step (kernel property
``wfr_interpolation_order``: 0 constant, 1 linear, 3 the cubic Hermite through V and
``h dV/dt`` at both ends), taken from the previous waveform-relaxation iteration
(``engine/secondary.py``, ``GapSystem``). The kernel integrates ``tau`` as an extra
state component (``dtau/dt = 1/h``, integrated exactly by any Runge-Kutta step), so the
right-hand side sees the time within the step without changing the integrator.
"""

from __future__ import annotations

import math
import types
from types import SimpleNamespace

import numpy as np
from numba import njit

from ..base import archiving_params
from ._adaptive import AdaptiveModel, p, positive
from ._rk45 import _source_key, evolve
from .hh import C_M as TRAUB_C_M
from .hh import HhCondBetaGapTraub, _beta_traub_receive, _beta_traub_rhs, _hh_outer, _traub_outer

# Parameter columns; C0-C3 and G_SUM are rewritten before every step (the gap input).
E_NA, E_K, E_L, G_NA, G_KV1, G_KV3, G_L, C_M, I_E, INV_TAU_EX, INV_TAU_IN, G0_EX, G0_IN, INV_DT = range(14)
C0, C1, C2, C3, G_SUM, N_P = 14, 15, 16, 17, 18, 19
DIM = 10  # V, m, h, n, p, dI_ex, I_ex, dI_in, I_in, tau (fraction of the step)
# hh_cond_beta_gap_traub: its 17 parameter columns (hh.py), then c0..c3, g_sum, 1 / h.
TRAUB_GAP0 = 17


@njit(cache=True, inline="always")
def _rates(V):
    a_m = 40.0 * (V - 75.5) / (1.0 - math.exp(-(V - 75.5) / 13.5))
    b_m = 1.2262 / math.exp(V / 42.248)
    a_h = 0.0035 / math.exp(V / 24.186)
    b_h = 0.017 * (51.25 + V) / (1.0 - math.exp(-(51.25 + V) / 5.2))
    a_p = (V - 95.0) / (1.0 - math.exp(-(V - 95.0) / 11.8))
    b_p = 0.025 / math.exp(V / 22.222)
    a_n = 0.014 * (V + 44.0) / (1.0 - math.exp(-(V + 44.0) / 2.3))
    b_n = 0.0043 / math.exp((V + 44.0) / 34.0)
    return a_m, b_m, a_h, b_h, a_p, b_p, a_n, b_n


@njit(cache=True)
def gap_rhs(y, f, P, i, refr, i_stim):
    V, m, h, n, q = y[0], y[1], y[2], y[3], y[4]
    a_m, b_m, a_h, b_h, a_p, b_p, a_n, b_n = _rates(V)
    tau = y[9]
    i_gap = -P[i, G_SUM] * V + P[i, C0] + tau * (P[i, C1] + tau * (P[i, C2] + tau * P[i, C3]))
    ionic = (
        P[i, G_NA] * m * m * m * h * (V - P[i, E_NA])
        + (P[i, G_KV1] * n * n * n * n + P[i, G_KV3] * q * q) * (V - P[i, E_K])
        + P[i, G_L] * (V - P[i, E_L])
    )
    f[0] = (-ionic + i_stim + P[i, I_E] + y[6] + y[8] + i_gap) / P[i, C_M]
    f[1] = a_m * (1.0 - m) - b_m * m
    f[2] = a_h * (1.0 - h) - b_h * h
    f[3] = a_n * (1.0 - n) - b_n * n
    f[4] = a_p * (1.0 - q) - b_p * q
    f[5] = -y[5] * P[i, INV_TAU_EX]
    f[6] = y[5] - y[6] * P[i, INV_TAU_EX]
    f[7] = -y[7] * P[i, INV_TAU_IN]
    f[8] = y[7] - y[8] * P[i, INV_TAU_IN]
    f[9] = P[i, INV_DT]


def _gap_template(t0, m, slots, off, dt, eps, buf, cur, S, P, H, Ist, r, ref, rec_cols, rec_row, rec_out, spk_i, spk_t,
               coeff_in, g_sum, final, order, y_out, coeff_out):  # fmt: skip
    """Advance the group ``m`` steps from ``t0`` with gap input ``coeff_in[i, k]`` (the sums of
    ``g_ij`` times the neighbours' polynomial coefficients) and ``g_sum[i]``.

    ``final``: the real update (spikes, recording, input buffers emptied); otherwise a
    waveform-relaxation iteration that reads the input buffers without emptying them.
    Writes V_m at the end of each step into ``y_out`` and each step's interpolation
    coefficients of V_m into ``coeff_out``; returns the number of spikes.
    """
    n = S.shape[0]
    dim = DIM
    y = np.empty(DIM)
    f = np.empty(DIM)
    k0, k1, k2, k3, k4, k5 = np.empty(DIM), np.empty(DIM), np.empty(DIM), np.empty(DIM), np.empty(DIM), np.empty(DIM)
    y0, yt = np.empty(DIM), np.empty(DIM)
    cnt = 0
    for k in range(m):
        slot = (t0 + k) % slots
        for i in range(n):
            gi = off + i
            for j in range(4):
                P[i, GAP0 + j] = coeff_in[i, k, j]
            P[i, GAP0 + 4] = g_sum[i]
            for j in range(DIM):
                y[j] = S[i, j]
            y[dim - 1] = 0.0
            v_start = y[0]
            RHS(y, f, P, i, False, Ist[i])
            hf_start = dt * f[0]
            rr = r[i]
            h = H[i]
            t = 0.0
            while t < dt:
                t, h = evolve(RHS, DIM, y, k0, k1, k2, k3, k4, k5, y0, yt, P, i, rr > 0, Ist[i], t, dt, h, eps[i],
                              False, False)  # fmt: skip
            y[dim - 1] = 1.0
            RHS(y, f, P, i, False, Ist[i])
            hf_end = dt * f[0]
            v_end = y[0]
            # Threshold and refractoriness, then the step's input spikes (the model's hooks).
            rr, ev = OUTER(y, P, i, rr, ref[i], v_start)
            if ev == 1 and final:
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                cnt += 1
            RECEIVE(y, P, i, rr, buf[0, slot, gi], buf[1, slot, gi])
            i_next = cur[slot, gi]
            if final:
                buf[0, slot, gi] = 0.0
                buf[1, slot, gi] = 0.0
                cur[slot, gi] = 0.0
            y_out[i, k] = v_end
            coeff_out[i, k, 0] = v_start
            coeff_out[i, k, 1] = 0.0
            coeff_out[i, k, 2] = 0.0
            coeff_out[i, k, 3] = 0.0
            if order == 1:
                coeff_out[i, k, 1] = v_end - v_start
            elif order == 3:
                coeff_out[i, k, 1] = hf_start
                coeff_out[i, k, 2] = -3.0 * v_start + 3.0 * v_end - 2.0 * hf_start - hf_end
                coeff_out[i, k, 3] = 2.0 * v_start - 2.0 * v_end + hf_start + hf_end
            for j in range(DIM):
                S[i, j] = y[j]
            S[i, dim - 1] = 0.0
            r[i] = rr
            H[i] = h
            Ist[i] = i_next
            if final:
                row = rec_row[i]
                if row >= 0:
                    for q in range(rec_cols.shape[0]):
                        rec_out[row, q, k] = y[rec_cols[q]]
    return cnt


# The hooks _gap_template calls; each model's kernel is the template compiled with its own.
RHS = OUTER = RECEIVE = None
GAP0 = 0


def gap_kernel(name: str, dim: int, rhs, outer, receive, gap0: int):
    """The gap-junction group kernel of model ``name``: ``_gap_template`` with its hooks
    (``rhs`` with the gap current, ``outer`` and ``receive`` as for ``_rk45.adaptive_kernel``)
    and the first of its five gap columns of ``P`` (c0..c3, g_sum) compiled in."""
    glb = dict(_gap_template.__globals__)
    glb.update(RHS=rhs, OUTER=outer, RECEIVE=receive, DIM=dim, GAP0=gap0)
    f = types.FunctionType(_gap_template.__code__, glb, f"gap_{name}_{_source_key(rhs, outer, receive)}")
    f.__qualname__ = f.__name__
    f.__module__ = __name__
    return njit(cache=True)(f)


@njit(cache=True)
def _alpha_gap_receive(y, P, i, r, w_exc, w_inh):
    y[5] += w_exc * P[i, G0_EX]
    y[7] += w_inh * P[i, G0_IN]


class GapNeuron:
    """What the neurons with gap junctions share: the gap kernel (``gap_kernel``, a static
    attribute), one pass over a slice (``run``, also called by ``engine/secondary.py`` for
    the waveform-relaxation iterations) and the real update."""

    node_uses_wfr = True
    secondary_out = ("gap_junction",)
    secondary_in = ("gap_junction",)
    gap_kernel = None

    def run(self, group, kernel, t0, m, final, coeff_in, g_sum, order, y_out, coeff_out) -> int:
        a = group.aux
        return self.gap_kernel(t0, m, kernel.slots, group.offset, kernel.h, a["eps"], kernel.buf, kernel.cur, a["S"],
                               a["P"], a["H"], a["I"], a["r"], a["ref_counts"], a["rec_cols"], a["rec_row"],
                               a["rec_out"], a["spk_i"], a["spk_t"], coeff_in, g_sum, final, order, y_out,
                               coeff_out)  # fmt: skip

    def update(self, group, kernel, t0, m):
        gaps = kernel.secondary.gaps if kernel.secondary is not None else None
        coeff_in, g_sum, order = gaps.input_of(group, m) if gaps is not None else _no_gap(group.n, m)
        y_out = np.empty((group.n, m))
        coeff_out = np.empty((group.n, m, 4))
        cnt = self.run(group, kernel, t0, m, True, coeff_in, g_sum, order, y_out, coeff_out)
        kernel.collect_spikes(group, np.array([cnt]))


class HhPscAlphaGap(GapNeuron, AdaptiveModel):
    """Hodgkin-Huxley neuron (Mancilla et al. 2007) with alpha-shaped synaptic currents and
    gap junctions."""

    name = "hh_psc_alpha_gap"
    elementsize = 848
    params = {
        **archiving_params(),
        "t_ref": p(2.0, "Duration of the refractory period (no spike detected)", "ms"),
        "I_e": p(0.0, "Constant input current", "pA"),
        "V_m": p(-69.60401191631222, "Membrane potential", "mV", state=True),
        "Act_m": p(0.019198766985083732, "Activation variable m of the sodium current", state=True),
        "Inact_h": p(0.868462041294399, "Inactivation variable h of the sodium current", state=True),
        "Act_n": p(0.0005741576228359767, "Activation variable n of the Kv1 potassium current", state=True),
        "Inact_p": p(0.0002511318227150632, "Activation variable p of the Kv3 potassium current", state=True),
        "C_m": p(40.0, "Capacitance of the membrane", "pF"),
        "E_L": p(-70.0, "Leak reversal potential", "mV"),
        "E_Na": p(74.0, "Sodium reversal potential", "mV"),
        "E_K": p(-90.0, "Potassium reversal potential", "mV"),
        "g_L": p(10.0, "Leak conductance", "nS"),
        "g_Na": p(4500.0, "Sodium peak conductance", "nS"),
        "g_Kv1": p(9.0, "Kv1 potassium peak conductance", "nS"),
        "g_Kv3": p(9000.0, "Kv3 potassium peak conductance", "nS"),
        "tau_syn_ex": p(0.2, "Rise time of the excitatory synaptic alpha function", "ms"),
        "tau_syn_in": p(2.0, "Rise time of the inhibitory synaptic alpha function", "ms"),
    }
    recordables = ("Act_m", "Act_n", "I_syn_ex", "I_syn_in", "Inact_h", "Inact_p", "V_m")
    state_names = ("V_m", "Act_m", "Inact_h", "Act_n", "Inact_p", "dI_syn_ex", "I_syn_ex", "dI_syn_in", "I_syn_in",
                   "_tau")  # fmt: skip
    kernel = SimpleNamespace(dim=DIM)
    gap_kernel = staticmethod(gap_kernel("hh_psc_alpha_gap", DIM, gap_rhs, _hh_outer, _alpha_gap_receive, C0))
    checks = (
        (lambda v: v["C_m"] > 0, "Capacitance must be strictly positive."),
        (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
        (positive("tau_syn_ex", "tau_syn_in"), "All time constants must be strictly positive."),
        (
            lambda v: (v["g_Kv1"] >= 0) & (v["g_Kv3"] >= 0) & (v["g_Na"] >= 0) & (v["g_L"] >= 0),
            "All conductances must be non-negative.",
        ),
    )
    status_note = (
        "RKF45 as NEST, gap junctions by waveform relaxation with cubic interpolation (`tests/test_models_rate.py`)"
    )

    def param_matrix(self, v, h):
        n = len(v["V_m"])
        P = np.zeros((n, N_P))
        for col, key in ((E_NA, "E_Na"), (E_K, "E_K"), (E_L, "E_L"), (G_NA, "g_Na"), (G_KV1, "g_Kv1"),
                         (G_KV3, "g_Kv3"), (G_L, "g_L"), (C_M, "C_m"), (I_E, "I_e")):  # fmt: skip
            P[:, col] = v[key]
        P[:, INV_TAU_EX] = 1.0 / v["tau_syn_ex"]
        P[:, INV_TAU_IN] = 1.0 / v["tau_syn_in"]
        P[:, G0_EX] = np.e / v["tau_syn_ex"]
        P[:, G0_IN] = np.e / v["tau_syn_in"]
        P[:, INV_DT] = 1.0 / h
        return P


@njit(cache=True)
def _traub_gap_rhs(y, f, P, i, refr, i_stim):
    _beta_traub_rhs(y, f, P, i, refr, i_stim)
    tau = y[8]
    i_gap = (
        -P[i, TRAUB_GAP0 + 4] * y[0]
        + P[i, TRAUB_GAP0]
        + tau * (P[i, TRAUB_GAP0 + 1] + tau * (P[i, TRAUB_GAP0 + 2] + tau * P[i, TRAUB_GAP0 + 3]))
    )
    f[0] += i_gap / P[i, TRAUB_C_M]
    f[8] = P[i, TRAUB_GAP0 + 5]


class HhCondBetaGapTraubGap(GapNeuron, HhCondBetaGapTraub):
    """``hh_cond_beta_gap_traub`` (``hh.py``) with its gap junctions: the same equations plus
    the gap current, integrated by the gap kernel."""

    state_names = (*HhCondBetaGapTraub.state_names, "_tau")
    kernel = SimpleNamespace(dim=9)
    gap_kernel = staticmethod(
        gap_kernel("hh_cond_beta_gap_traub", 9, _traub_gap_rhs, _traub_outer, _beta_traub_receive, TRAUB_GAP0)
    )
    status_note = "RKF45 as NEST, gap junctions by waveform relaxation (`tests/test_adaptive_models.py`, `tests/test_models_rate.py`)"

    def param_matrix(self, v, h):
        P = super().param_matrix(v, h)
        assert P.shape[1] == TRAUB_GAP0, "hh.py's parameter columns changed"
        gap = np.zeros((P.shape[0], 6))
        gap[:, 5] = 1.0 / h
        return np.column_stack([P, gap])


def _no_gap(n, m):
    return np.zeros((n, m, 4)), np.zeros(n), 0
