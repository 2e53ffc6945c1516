"""``glif_cond``: the generalized leaky integrate-and-fire neuron (Teeter et al. 2018; levels
1-5 as in ``glif.py``) with alpha-shaped conductances, one per receptor port.

The membrane and the conductances form the ODE

    C_m dV/dt = -g_m (V - E_L) - sum_k g_k (V - E_rev_k) + I + ASCurrents_sum
    dg_k/dt = dg_k - g_k / tau_syn_k,    d(dg_k)/dt = -dg_k / tau_syn_k

integrated over each step by the adaptive Runge-Kutta-Fehlberg 4(5) of ``_rk45.py``
(absolute error 1e-3, each neuron keeping its internal step size), with ``I`` (latched at
the end of the previous step) and the after-spike currents' mean over the step held
constant. A spike of weight w (nS) on port k adds ``e w / tau_syn_k`` to ``dg_k`` (the
conductance peaks at w). Threshold, reset and after-spike currents follow the step order of
``glif_psc`` (measured against NEST 3.10): while refractory the conductances are still
integrated and the membrane is held.
"""

from __future__ import annotations

import numpy as np
from numba import carray, njit, prange

from ...engine.jit import threaded_kernel
from ..base import Param, require
from ._rk45 import _address_as_pointer, _unowned, integrate_step
from ._rk45_ports import receptor_row
from .glif import _FIXED as _PSC_FIXED
from .glif import ASC_SUM, I_EXT, T_REF, TH_SPIKE, TH_VOLT, GlifBase, as_lists, glif_params, padded

# S: the ODE state (V_m - E_L, then dg_k, g_k per port), then the columns glif.py's
# kernel keeps (I, threshold components, ASC mean, refractory time; column U unused),
# then the after-spike currents.
_EXTRA = _PSC_FIXED
# P: g_m, C_m, then per port E_rev - E_L, tau_syn, e / tau_syn.
_PORT0 = 2
# T: threshold and after-spike current constants (glif.py's threshold_columns, P33, ASCs).
_T_ASC = 7
# Recorded quantities besides the conductances, in the columns of a node's value vector.
_REC_NAMES = ("ASCurrents_sum", "I", "V_m", "threshold", "threshold_spike", "threshold_voltage")


@njit(cache=True, inline="always")
def _rhs(y, f, p, i, refr, i_stim):
    u = y[0]
    i_syn = 0.0
    for q in range((y.shape[0] - 1) // 2):
        b = _PORT0 + 3 * q
        g = y[2 + 2 * q]
        i_syn += g * (u - p[i, b])
        f[1 + 2 * q] = -y[1 + 2 * q] / p[i, b + 1]
        f[2 + 2 * q] = y[1 + 2 * q] - g / p[i, b + 1]
    f[0] = (-p[i, 0] * u - i_syn + i_stim) / p[i, 1]


@threaded_kernel
def _glif_cond_update(n_chunks, t0, m, slots, off, dt, rbuf, row0, cur, S, dim, k_asc, P, T, Q, H, ports, rec_cols,
                      rec_row, rec_out, spk_i, spk_t, spk_off):  # fmt: skip
    n = S.shape[0]
    cap = spk_i.shape[0]
    e0 = dim
    a0 = dim + _EXTRA
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        end = spk_off[c + 1] if c + 1 < n_chunks else cap
        scratch = np.empty(9 * dim)
        vals = np.empty(len(_REC_NAMES) + (dim - 1) // 2)
        Pu = carray(_address_as_pointer(P.ctypes.data), P.shape)
        y = _unowned(scratch, 0, dim)
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                for j in range(dim):
                    y[j] = S[i, j]
                v_old = y[0]
                refr = S[i, e0 + T_REF] > 0.0
                if refr:
                    S[i, e0 + T_REF] -= dt
                # The membrane sees the after-spike currents' mean of the previous step.
                i_ext = S[i, e0 + I_EXT]
                i_stim = i_ext + S[i, e0 + ASC_SUM]
                H[i] = integrate_step(_rhs, dim, y, scratch, 1, Pu, i, refr, i_stim, dt, H[i], 1e-3)
                if refr:
                    y[0] = v_old
                else:
                    asc_sum = 0.0
                    for j in range(k_asc):
                        if j < Q[i, 10]:
                            b = _T_ASC + 5 * j
                            asc_sum += T[i, b + 1] * S[i, a0 + j]
                            S[i, a0 + j] *= T[i, b]
                    S[i, e0 + ASC_SUM] = asc_sum
                    if Q[i, 9] != 0.0:
                        beta = (i_ext + S[i, e0 + ASC_SUM]) / T[i, 5]
                        phi = T[i, 2]
                        d = v_old - beta
                        S[i, e0 + TH_VOLT] = (phi * d * T[i, 6] + T[i, 3] * (S[i, e0 + TH_VOLT] - phi * d - T[i, 4] * beta)
                                              + T[i, 4] * beta)  # fmt: skip
                    if Q[i, 7] != 0.0:
                        S[i, e0 + TH_SPIKE] *= T[i, 0]
                    if y[0] > S[i, e0 + TH_SPIKE] + S[i, e0 + TH_VOLT] + Q[i, 1]:
                        S[i, e0 + T_REF] = Q[i, 6]
                        for j in range(k_asc):
                            if j < Q[i, 10]:
                                b = _T_ASC + 5 * j
                                S[i, a0 + j] = T[i, b + 3] + S[i, a0 + j] * T[i, b + 4] * T[i, b + 2]
                        if Q[i, 7] != 0.0:
                            y[0] = Q[i, 3] * v_old + Q[i, 4]
                            S[i, e0 + TH_SPIKE] = S[i, e0 + TH_SPIKE] * T[i, 1] + Q[i, 5]
                        else:
                            y[0] = Q[i, 2]
                        if base + cnt < end:
                            spk_i[base + cnt] = i
                            spk_t[base + cnt] = t0 + k + 1
                            cnt += 1
                if row0 >= 0:
                    for q in range(ports[i]):
                        w = rbuf[q, slot, row0 + i]
                        if w != 0.0:
                            rbuf[q, slot, row0 + i] = 0.0
                            y[1 + 2 * q] += P[i, _PORT0 + 3 * q + 2] * w
                S[i, e0 + I_EXT] = b_cur[gi]
                b_cur[gi] = 0.0
                for j in range(dim):
                    S[i, j] = y[j]
                row = rec_row[i]
                if row >= 0:
                    vals[0] = S[i, e0 + ASC_SUM]
                    vals[1] = S[i, e0 + I_EXT]
                    vals[2] = y[0] + Q[i, 0]
                    vals[3] = S[i, e0 + TH_SPIKE] + S[i, e0 + TH_VOLT] + Q[i, 1] + Q[i, 0]
                    vals[4] = S[i, e0 + TH_SPIKE]
                    vals[5] = S[i, e0 + TH_VOLT]
                    for q in range((dim - 1) // 2):
                        vals[len(_REC_NAMES) + q] = y[2 + 2 * q]
                    for q in range(rec_cols.shape[0]):
                        rec_out[row, q, k] = vals[rec_cols[q]]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts


class GlifCond(GlifBase):
    """Generalized leaky integrate-and-fire neuron (five levels) with alpha-shaped
    conductances, one per receptor port."""

    name = "glif_cond"
    elementsize = 1104
    g_name = "g_m"
    port_key = "tau_syn"
    documents = "documents"
    status_note = "adaptive RKF45 as NEST's GSL integration, levels 1-5 (`tests/test_models_glif.py`)"
    params = {
        **glif_params("g_m"),
        "tau_syn": Param(np.array([0.2, 2.0]), kind="floats", doc="Rise time of each port's conductance", unit="ms"),
        "E_rev": Param(np.array([0.0, -85.0]), kind="floats", doc="Reversal potential of each port", unit="mV"),
        # NEST's defaults show one entry, a node as many as it has ports (read-only).
        "g": Param(np.zeros(1), kind="floats", state=True, readonly=True, doc="Conductance of each port", unit="nS"),
        "dg": Param(
            np.zeros(1), kind="floats", state=True, readonly=True, doc="Slope of each port's conductance", unit="nS/ms"
        ),  # fmt: skip
    }

    @property
    def recordables(self) -> tuple[str, ...]:
        from ...engine.kernel import kernel

        k = len(self.defaults["tau_syn"])
        for g in kernel.groups:
            if g.model is self:
                k = max(k, int(self.receptor_ports(g).max(initial=0)))
        # NEST lists them sorted by name (g_10 before g_2).
        return tuple(sorted((*_REC_NAMES, *(f"g_{q + 1}" for q in range(k)))))

    def check(self, v, n, gid):
        self.check_glif(v, gid)
        tau, e_rev = as_lists(v["tau_syn"]), as_lists(v["E_rev"])
        require(all(len(t) == len(e) for t, e in zip(tau, e_rev)), self, gid,
                f"The reversal potential and synaptic time constant arrays, i.e., E_rev ({len(e_rev[0])}) and "
                f"tau_syn ({len(tau[0])}), must have the same size.")  # fmt: skip
        require(all(np.all(t > 0) for t in tau), self, gid, "All synaptic time constants must be strictly positive.")

    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        n = group.n
        ports = self.receptor_ports(group)
        k = int(ports.max(initial=0))
        dim = 1 + 2 * k
        counts, S_asc, T_asc = self.asc_tables(v, n, h)
        k_asc = S_asc.shape[1]
        width = dim + _EXTRA + k_asc
        if "S" not in a or a["S"].shape[1] != width or a["dim"] != dim:
            a["S"] = np.zeros((n, width))
            # NEST starts every neuron's internal step at the resolution.
            a["H"] = np.full(n, h)
            a["dim"] = dim
        S = a["S"]
        S[:, 0] = v["V_m"] - v["E_L"]
        S[:, dim + _EXTRA :] = S_asc
        tau = padded(v["tau_syn"], n, k)
        e_rev = padded(v["E_rev"], n, k)
        ok = np.isfinite(tau)
        tau = np.where(ok, tau, 1.0)
        ports_block = np.stack([e_rev - v["E_L"][:, None], tau, np.e / tau], axis=2)
        ports_block = np.where(ok[:, :, None], ports_block, 0.0).reshape(n, 3 * k)
        a["P"] = np.ascontiguousarray(np.column_stack([v["g_m"], v["C_m"], ports_block]))
        tau_m = v["C_m"] / v["g_m"]
        a["T"] = np.ascontiguousarray(np.column_stack([*self.threshold_columns(v, h), np.exp(-h / tau_m), T_asc]))
        a["Q"] = np.ascontiguousarray(np.column_stack([self.constants(v), counts]))
        a["n_asc"] = counts
        a["ports"] = ports
        names = self.recordables
        order = {name: j for j, name in enumerate(_REC_NAMES)}
        a["rec_cols"] = np.array([order[r] if r in order else len(_REC_NAMES) + int(r[2:]) - 1 for r in names])
        ref = np.maximum(np.floor(v["t_ref"] / h).astype(np.int64), 0)
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (ref + 1)))

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _glif_cond_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, kernel.rbuf,
            receptor_row(kernel, group), kernel.cur, a["S"],
            a["dim"], a["S"].shape[1] - a["dim"] - _EXTRA, a["P"], a["T"], a["Q"], a["H"], a["ports"], a["rec_cols"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            return
        S, dim = a["S"], a["dim"]
        v["V_m"][:] = S[:, 0] + v["E_L"]
        ports = a["ports"]
        dg, g = S[:, 1:dim:2], S[:, 2:dim:2]
        v["dg"][:] = [row[:q].copy() for row, q in zip(dg, ports)]
        v["g"][:] = [row[:q].copy() for row, q in zip(g, ports)]
        counts = a["n_asc"]
        for i in np.flatnonzero(counts):
            v["ASCurrents"][i] = S[i, dim + _EXTRA : dim + _EXTRA + counts[i]].copy()


MODELS = [GlifCond]
