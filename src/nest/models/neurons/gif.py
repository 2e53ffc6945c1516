"""``gif_psc_exp``: generalized integrate-and-fire neuron with escape noise (Mensi et al.
2012, Pozzorini et al. 2015) and exponential synaptic currents, integrated exactly.

The membrane leaks with ``g_L`` towards ``E_L``; spike-triggered currents ``I_stc``
(kernels ``q_stc``, ``tau_stc``) are subtracted from the input, and the firing
threshold ``E_sfa = V_T_star + sum of kernels (q_sfa, tau_sfa)`` adapts. Outside the
refractory period the neuron fires with probability ``1 - exp(-lambda h)``,
``lambda = lambda_0 exp((V_m - E_sfa) / Delta_V)`` (1/s). Within a step (NEST 3.10's
order, measured): ``I_stc`` and ``E_sfa`` are summed (and recorded) before their kernels
decay; the synaptic currents take the step's spikes before the membrane advances
(their effect shows in the same step) and decay after it; then the neuron may fire,
adding ``q_stc`` and ``q_sfa`` to the kernels. ``V_m`` is held at ``V_reset`` from the
next step on for ``t_ref`` (spikes are at least ``t_ref + h`` apart).

Random draws: per-neuron counter-based streams (``pp.py``), so spike trains agree with
NEST's in distribution.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ...engine import rng
from ...engine.jit import threaded_kernel
from ..base import Model, Param, archiving_params, require
from .pp import check_kernel_lists, kernel_lists, stream_keys
from .propagators import current_to_voltage, exp_current_to_voltage

_FIXED = 6  # columns of S before the kernels: V_m, i_0, I_syn_ex, I_syn_in, E_sfa, I_stc


class GifPscExp(Model):
    """Generalized integrate-and-fire neuron with exponential postsynaptic currents (pA)."""

    name = "gif_psc_exp"
    elementsize = 912
    params = {
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
        "lambda_0": Param(1.0, doc="Escape rate at threshold", unit="1/s"),
        "q_sfa": Param(np.zeros(0), kind="floats", doc="Jumps of the threshold kernels", unit="mV"),
        "q_stc": Param(np.zeros(0), kind="floats", doc="Jumps of the spike-triggered currents", unit="pA"),
        "t_ref": Param(4.0, doc="Refractory period", unit="ms"),
        "tau_sfa": Param(np.zeros(0), kind="floats", doc="Time constants of the threshold kernels", unit="ms"),
        "tau_stc": Param(np.zeros(0), kind="floats", doc="Time constants of the spike-triggered currents", unit="ms"),
        "tau_syn_ex": Param(2.0, doc="Excitatory synaptic time constant", unit="ms"),
        "tau_syn_in": Param(2.0, doc="Inhibitory synaptic time constant", unit="ms"),
    }
    recordables = ("E_sfa", "I_stc", "I_syn_ex", "I_syn_in", "V_m")

    def check(self, v, n, gid):
        tau_sfa = check_kernel_lists(self, v, gid, "tau_sfa", "q_sfa", "dimensions")
        tau_stc = check_kernel_lists(self, v, gid, "tau_stc", "q_stc", "dimensions")
        require(v["g_L"] > 0, self, gid, "Membrane conductance must be strictly positive.")
        require(v["Delta_V"] > 0, self, gid, "Delta_V must be strictly positive.")
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(v["lambda_0"] >= 0, self, gid, "lambda_0 must not be negative.")
        require((v["tau_syn_ex"] > 0) & (v["tau_syn_in"] > 0), self, gid,
                "Synapse time constants must be strictly positive.")  # fmt: skip
        require(np.all(tau_sfa > 0) & np.all(tau_stc > 0), self, gid, "All time constants must be strictly positive.")

    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        d_stc, q_stc = kernel_lists(v, "tau_stc", "q_stc", group.n, h)
        d_sfa, q_sfa = kernel_lists(v, "tau_sfa", "q_sfa", group.n, h)
        k_stc = d_stc.shape[1]
        width = _FIXED + k_stc + d_sfa.shape[1]
        if "S" not in a or a["S"].shape[1] != width or a["k_stc"] != k_stc:
            a["S"] = np.zeros((group.n, width))
            a["S"][:, 4] = v["V_T_star"]
            a["r"] = np.zeros((group.n, 1), dtype=np.int64)
            a["keys"] = stream_keys(kernel, group)
            a["k_stc"] = k_stc
        a["S"][:, 0] = v["V_m"]
        tau_m = v["C_m"] / v["g_L"]
        a["Q"] = np.column_stack([v["E_L"], v["I_e"], v["V_reset"], v["V_T_star"], v["lambda_0"], v["Delta_V"],
                                  np.rint(v["t_ref"] / h), q_stc, q_sfa])  # fmt: skip
        a["P"] = np.column_stack([
            np.exp(-h / tau_m), current_to_voltage(tau_m, v["C_m"], h),
            np.exp(-h / v["tau_syn_ex"]), exp_current_to_voltage(v["tau_syn_ex"], tau_m, v["C_m"], h),
            np.exp(-h / v["tau_syn_in"]), exp_current_to_voltage(v["tau_syn_in"], tau_m, v["C_m"], h),
            d_stc, d_sfa,
        ])  # fmt: skip
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (np.rint(v["t_ref"] / h).astype(np.int64) + 1)))

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _gif_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, a["k_stc"], kernel.buf,
            kernel.cur, a["S"], a["Q"], a["P"], a["r"], a["keys"], a["rec_row"], a["rec_out"], a["spk_i"],
            a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" in a:
            v["V_m"][:] = a["S"][:, 0]
            v["E_sfa"][:] = a["S"][:, 4]
            v["I_stc"][:] = a["S"][:, 5]


@threaded_kernel
def _gif_update(n_chunks, t0, m, slots, off, h, k_stc, buf, cur, S, Q, P, r, keys, rec_row, rec_out, spk_i, spk_t,
                spk_off):  # fmt: skip
    n = S.shape[0]
    n_kernels = S.shape[1] - _FIXED
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                stc = 0.0
                sfa = Q[i, 3]
                for j in range(n_kernels):
                    if j < k_stc:
                        stc += S[i, _FIXED + j]
                    else:
                        sfa += S[i, _FIXED + j]
                    S[i, _FIXED + j] *= P[i, 6 + j]
                ie = S[i, 2] + b_exc[gi]
                ii = S[i, 3] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                v = S[i, 0]
                if r[i, 0] == 0:
                    v = (P[i, 0] * (v - Q[i, 0]) + P[i, 1] * (Q[i, 1] + S[i, 1] - stc) + P[i, 3] * ie
                         + P[i, 5] * ii + Q[i, 0])  # fmt: skip
                    lam = Q[i, 4] * math.exp((v - sfa) / Q[i, 5])
                    if lam > 0.0:
                        if rng.uniform(rng.counter_key(keys[i], t0 + k), 0) < -math.expm1(-lam * h * 1e-3):
                            for j in range(n_kernels):
                                S[i, _FIXED + j] += Q[i, 7 + j]
                            r[i, 0] = np.int64(Q[i, 6])
                            spk_i[base + cnt] = i
                            spk_t[base + cnt] = t0 + k + 1
                            cnt += 1
                else:
                    r[i, 0] -= 1
                    v = Q[i, 2]
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                S[i, 2] = ie * P[i, 2]
                S[i, 3] = ii * P[i, 4]
                S[i, 4] = sfa
                S[i, 5] = stc
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = sfa
                    rec_out[row, 1, k] = stc
                    rec_out[row, 2, k] = ie
                    rec_out[row, 3, k] = ii
                    rec_out[row, 4, k] = v
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts
