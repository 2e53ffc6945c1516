"""``gif_psc_exp_multisynapse``: ``gif_psc_exp`` (gif.py) with one exponentially decaying
current per receptor port, integrated exactly.

Port ``q`` (``receptor_type`` q, 1 to ``n_receptors``) has the time constant
``tau_syn[q-1]``; weights of either sign are added to its current (pA). The step order is
``gif_psc_exp``'s: kernels summed (and recorded) then decayed, the ports' currents take the
step's spikes before the membrane advances and decay after it, then the escape-noise
draw from the node's counter-based stream (``pp.py``); V_m is held at ``V_reset`` for
``t_ref`` after a spike.
"""

from __future__ import annotations

import math

import numpy as np
from numba import prange

from ...engine import rng
from ...engine.jit import threaded_kernel
from ..base import Model, Param, require
from ._adaptive_ports import PortLists
from .gif import GifPscExp
from .pp import check_kernel_lists, kernel_lists, stream_keys
from .propagators import current_to_voltage, exp_current_to_voltage

_FIXED = 4  # columns of S before the ports' currents: V_m, i_0, E_sfa, I_stc
_Q_FIXED = 7  # columns of Q before the kernels' jumps


class GifPscExpMultisynapse(PortLists, Model):
    """Generalized integrate-and-fire neuron with an exponential current per receptor port."""

    name = "gif_psc_exp_multisynapse"
    elementsize = 928
    status_note = "exact integration, gif_psc_exp's step order, escape noise from counter-based streams " + (
        "(`tests/test_models_multisyn_adaptive.py`)"
    )
    params = {
        **{k: v for k, v in GifPscExp.params.items() if k not in ("tau_syn_ex", "tau_syn_in")},
        "tau_syn": Param(np.array([2.0]), kind="floats", doc="Time constant of each port's current", unit="ms"),
        "n_receptors": Param(1, kind="int", readonly=True, doc="Number of receptor ports"),
        "has_connections": Param(False, kind="bool", readonly=True, doc="Whether the node has incoming connections"),
    }
    port_lists = ("tau_syn",)
    readonly_unaccessed = True  # NEST reports a set of E_sfa or n_receptors as unaccessed

    def port_recordables(self, k):
        return ("E_sfa", "I_stc", "V_m")

    def check(self, v, n, gid):
        lists = self.check_port_lists(v, gid)
        tau_sfa = check_kernel_lists(self, v, gid, "tau_sfa", "q_sfa", "dimensions")
        tau_stc = check_kernel_lists(self, v, gid, "tau_stc", "q_stc", "dimensions")
        require(v["g_L"] > 0, self, gid, "Membrane conductance must be strictly positive.")
        require(v["Delta_V"] > 0, self, gid, "Delta_V must be strictly positive.")
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(v["lambda_0"] >= 0, self, gid, "lambda_0 must not be negative.")
        require(np.all(lists[0] > 0), self, gid, "All synaptic time constants must be > 0.")
        require(np.all(tau_sfa > 0) & np.all(tau_stc > 0), self, gid, "All time constants must be strictly positive.")
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")

    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        ports = self.receptor_ports(group)
        k = int(ports.max(initial=0))
        d_stc, q_stc = kernel_lists(v, "tau_stc", "q_stc", group.n, h)
        d_sfa, q_sfa = kernel_lists(v, "tau_sfa", "q_sfa", group.n, h)
        k_stc = d_stc.shape[1]
        width = _FIXED + k + k_stc + d_sfa.shape[1]
        if "S" not in a or a["S"].shape[1] != width or a["k_stc"] != k_stc or a["k"] != k:
            a["S"] = np.zeros((group.n, width))
            a["S"][:, 2] = v["V_T_star"]
            a["r"] = np.zeros(group.n, dtype=np.int64)
            a["keys"] = stream_keys(kernel, group)
            a["k_stc"], a["k"] = k_stc, k
        a["S"][:, 0] = v["V_m"]
        a["ports"] = ports
        tau_m = v["C_m"] / v["g_L"]
        ref = np.rint(v["t_ref"] / h)
        a["Q"] = np.column_stack([v["E_L"], v["I_e"], v["V_reset"], v["V_T_star"], v["lambda_0"] * 1e-3 * h,
                                  v["Delta_V"], ref, q_stc, q_sfa])  # fmt: skip
        syn = np.zeros((group.n, 2 * k))
        for i, t in enumerate(v["tau_syn"]):
            t = np.asarray(t, dtype=float)
            syn[i, 0 : 2 * len(t) : 2] = np.exp(-h / t)
            syn[i, 1 : 2 * len(t) : 2] = exp_current_to_voltage(t, tau_m[i], v["C_m"][i], h)
        a["P"] = np.column_stack(
            [np.exp(-h / tau_m), current_to_voltage(tau_m, v["C_m"], h), syn, d_stc, d_sfa]
        ).astype(np.float64)
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (ref.astype(np.int64) + 1)))

    def update(self, group, kernel, t0, m):
        a = group.aux
        row0 = int(kernel.ridx[group.offset]) if len(kernel.ridx) > group.offset else -1
        rbuf, ports = kernel.rbuf, a["ports"]
        if row0 < 0 or rbuf.shape[1] != kernel.slots:
            ports, row0 = np.zeros_like(ports), 0
        counts = _update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, a["k"], a["k_stc"], rbuf, row0, ports,
            kernel.cur, a["S"], a["Q"], a["P"], a["r"], a["keys"], a["rec_row"], a["rec_out"], a["spk_i"],
            a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" in a:
            v["V_m"][:] = a["S"][:, 0]
            v["E_sfa"][:] = a["S"][:, 2]
            v["I_stc"][:] = a["S"][:, 3]


@threaded_kernel
def _update(n_chunks, t0, m, slots, off, k_ports, k_stc, rbuf, row0, ports, cur, S, Q, P, r, keys, rec_row, rec_out,
            spk_i, spk_t, spk_off):  # fmt: skip
    n = S.shape[0]
    first_kernel = _FIXED + k_ports
    n_kernels = S.shape[1] - first_kernel
    p_kernel = 2 + 2 * k_ports
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                stc = 0.0
                sfa = Q[i, 3]
                for j in range(n_kernels):
                    if j < k_stc:
                        stc += S[i, first_kernel + j]
                    else:
                        sfa += S[i, first_kernel + j]
                    S[i, first_kernel + j] *= P[i, p_kernel + j]
                # The membrane sees the ports' currents as they were; then they decay and
                # take this step's spikes.
                i_syn_v = 0.0
                for q in range(ports[i]):
                    x = S[i, _FIXED + q]
                    i_syn_v += P[i, 3 + 2 * q] * x
                    S[i, _FIXED + q] = x * P[i, 2 + 2 * q] + rbuf[q, slot, row0 + i]
                    rbuf[q, slot, row0 + i] = 0.0
                v = S[i, 0]
                if r[i] == 0:
                    v = P[i, 0] * (v - Q[i, 0]) + P[i, 1] * (Q[i, 1] + S[i, 1] - stc) + i_syn_v + Q[i, 0]
                    lam = Q[i, 4] * math.exp((v - sfa) / Q[i, 5])
                    if lam > 0.0:
                        if rng.uniform(rng.counter_key(keys[i], t0 + k), 0) < -math.expm1(-lam):
                            for j in range(n_kernels):
                                S[i, first_kernel + j] += Q[i, _Q_FIXED + j]
                            r[i] = np.int64(Q[i, 6])
                            spk_i[base + cnt] = i
                            spk_t[base + cnt] = t0 + k + 1
                            cnt += 1
                else:
                    r[i] -= 1
                    v = Q[i, 2]
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                S[i, 2] = sfa
                S[i, 3] = stc
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = sfa
                    rec_out[row, 1, k] = stc
                    rec_out[row, 2, k] = v
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts


MODELS = [GifPscExpMultisynapse]
