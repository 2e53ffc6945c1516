"""Voltage-based plasticity: the Clopath archive and the delivery kernel of ``clopath_synapse``.

Clopath et al. (2010) potentiate a synapse by the postsynaptic voltage ``u`` above
``theta_plus`` while the filtered voltage ``u_bar_plus`` is above ``theta_minus``, weighted by
the presynaptic trace ``x_bar``, and depress it at a presynaptic spike by how far the filtered
``u_bar_minus`` is above ``theta_minus``. As in NEST, the neuron writes after every step:

- the filtered voltages into a ring of ``delay_u_bars / h + 1`` steps, from which it reads
  the values of ``delay_u_bars`` earlier (the delay of the authors' code);
- when ``u > theta_plus`` and the delayed ``u_bar_plus > theta_minus``, an LTP entry
  ``(t, A_LTP (u - theta_plus)(u_bar_plus - theta_minus) h)``, kept until every incoming
  synapse has read it;
- when the delayed ``u_bar_minus > theta_minus``, an LTD entry ``(t, A_LTD (u_bar_minus -
  theta_minus))`` (times ``u_bar_bar**2 / u_ref_squared`` without ``A_LTD_const``) into a ring
  of ``max_delay + 1`` entries.

Entries are written only for neurons with incoming Clopath connections. A synapse, at a
presynaptic spike at ``t`` with delay ``d``, adds ``dw x_bar exp((t_last - t_e - d) / tau_x)``
for every LTP entry with ``t_last - d < t_e <= t - d`` (capped at ``Wmax``), subtracts the LTD
entry at ``t - d`` (if the ring still holds one; floored at ``Wmin``), sends the weight, then
updates ``x_bar = x_bar exp((t_last - t) / tau_x) + 1 / tau_x``.

The archive has a row per node of a Clopath model (``row[node]``, -1 elsewhere). Models
hand it every step's ``(u, u_bar_plus, u_bar_minus, u_bar_bar)`` of a slice at once
(:meth:`ClopathArchive.write`), so the neuron kernels stay those of the adaptive integrator.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..models.synapses.voltage import CLOPATH
from .jit import threaded_kernel
from .plasticity import _at, _prune, _send

# NEST's margin when reading LTP entries (t1, t2] and when matching the LTD entry's time.
LTP_EPS = 1.0e-6
STDP_EPS = 1.0e-6
# Parameter columns the writer reads, per row.
A_LTP, A_LTD, THETA_PLUS, THETA_MINUS, U_REF2, LTD_CONST = range(6)


class ClopathArchive:
    """Per node of a Clopath model: the delayed filtered voltages and the LTP/LTD history."""

    def __init__(self, kernel):
        self.groups = kernel.groups
        self.row = np.full(0, -1, dtype=np.int64)
        self.n_rows = 0
        self.params = np.zeros((0, 6))
        self.delay_len = np.zeros(0, dtype=np.int64)
        self.delay_idx = np.zeros(0, dtype=np.int64)
        self.delayed = np.zeros((0, 2, 1))
        self.ltd_t = np.zeros((0, 1))
        self.ltd_w = np.zeros((0, 1))
        self.ltd_idx = np.zeros(0, dtype=np.int64)
        self.ltd_len = np.zeros(0, dtype=np.int64)
        self.ltp_t = np.zeros((0, 8))
        self.ltp_w = np.zeros((0, 8))
        self.ltp_len = np.zeros(0, dtype=np.int64)
        self.incoming = np.zeros(0, dtype=np.bool_)
        self._stores_key = None

    def sync(self, kernel, group) -> None:
        """Rows for the nodes of ``group`` (new ones start with empty buffers), their parameters."""
        n_nodes = kernel.n_nodes
        if len(self.row) < n_nodes:
            self.row = np.concatenate([self.row, np.full(n_nodes - len(self.row), -1, dtype=np.int64)])
        nodes = np.arange(group.offset, group.offset + group.n)
        fresh = nodes[self.row[nodes] < 0]
        if len(fresh):
            self.row[fresh] = self.n_rows + np.arange(len(fresh))
            self._grow(self.n_rows + len(fresh), kernel.max_delay_steps + 1)
        rows = self.row[nodes]
        v = group.values
        for col, key in ((A_LTP, "A_LTP"), (A_LTD, "A_LTD"), (THETA_PLUS, "theta_plus"),
                         (THETA_MINUS, "theta_minus"), (U_REF2, "u_ref_squared"), (LTD_CONST, "A_LTD_const")):  # fmt: skip
            self.params[rows, col] = np.asarray(v[key], dtype=np.float64)
        # NEST sizes the ring of delayed values once, when the node is first prepared.
        steps = np.maximum(np.rint(np.asarray(v["delay_u_bars"]) / kernel.h).astype(np.int64), 0) + 1
        new = self.delay_len[rows] == 0
        self.delay_len[rows[new]] = steps[new]
        if self.delayed.shape[2] < self.delay_len.max(initial=1):
            grown = np.zeros((self.n_rows, 2, int(self.delay_len.max())))
            grown[:, :, : self.delayed.shape[2]] = self.delayed
            self.delayed = grown

    def _grow(self, n_rows: int, ltd_len: int) -> None:
        old = self.n_rows

        def more(a, fill=0.0, cols=None):
            shape = (n_rows,) + (a.shape[1:] if cols is None else (cols,))
            out = np.full(shape, fill, dtype=a.dtype)
            out[:old, ...] = a[:old] if cols is None else a[:old, :cols]
            return out

        self.params = more(self.params)
        self.delay_len = more(self.delay_len, 0)
        self.delay_idx = more(self.delay_idx, 0)
        self.delayed = more(self.delayed)
        cols = max(self.ltd_t.shape[1], ltd_len) if old else ltd_len
        for name in ("ltd_t", "ltd_w"):
            arr = np.zeros((n_rows, cols))
            prev = getattr(self, name)
            arr[:old, : prev.shape[1]] = prev[:old]
            setattr(self, name, arr)
        self.ltd_idx = more(self.ltd_idx, 0)
        self.ltp_t = more(self.ltp_t)
        self.ltp_w = more(self.ltp_w)
        self.ltp_len = more(self.ltp_len, 0)
        self.incoming = more(self.incoming, False)
        # Rows keep the ring length they started with (NEST: max_delay + 1 at their first Prepare).
        self.ltd_len = np.concatenate([self.ltd_len[:old], np.full(n_rows - old, ltd_len, dtype=np.int64)])
        self.n_rows = n_rows

    def refresh_incoming(self, kernel) -> None:
        """Which rows have incoming Clopath connections (NEST writes history only for those)."""
        stores = [s for s in kernel.plastic_stores.values() if s.model.family == CLOPATH]
        key = tuple((id(s), s.nnz) for s in stores)
        if key == self._stores_key:
            return
        self._stores_key = key
        self.incoming[:] = False
        for s in stores:
            rows = self.row[np.unique(s.target)]
            self.incoming[rows[rows >= 0]] = True

    def write(self, kernel, offset: int, n: int, rec: np.ndarray, t0: int, m: int) -> None:
        """Steps ``t0 .. t0 + m`` of nodes ``offset .. offset + n``: ``rec[i, 0:4, k]`` holds u,
        u_bar_plus, u_bar_minus, u_bar_bar after step ``t0 + k`` of node ``offset + i``."""
        self.refresh_incoming(kernel)
        rows = self.row[offset : offset + n]
        need = int(self.ltp_len[rows].max(initial=0)) + m
        if need > self.ltp_t.shape[1]:
            self._make_room(kernel, need)
        _write_history(rows, rec, t0, m, kernel.tics_per_step, kernel.ms_per_tic, kernel.h, self.params,
                       self.incoming, self.delay_len, self.delay_idx, self.delayed, self.ltd_t, self.ltd_w,
                       self.ltd_idx, self.ltd_len, self.ltp_t, self.ltp_w, self.ltp_len)  # fmt: skip

    def _make_room(self, kernel, need: int) -> None:
        # Drop the LTP entries no incoming synapse can read again (before min(t_last - d)).
        keep_after = np.full(self.n_rows, np.inf)
        for s in kernel.plastic_stores.values():
            if s.model.family == CLOPATH and s.nnz:
                d_ms = (s.delay.astype(np.int64) * kernel.tics_per_step).astype(np.float64) * kernel.ms_per_tic
                rows = self.row[s.target]
                np.minimum.at(keep_after, rows, s.cols["t_lastspike"] - d_ms)
        # (The spike archive's pruning, with the weights as both of its traces: it also keeps the
        # latest entry before keep_after, which no synapse reads.)
        longest = _prune(self.ltp_t, self.ltp_w, self.ltp_w, self.ltp_len, keep_after - LTP_EPS)
        cap = self.ltp_t.shape[1]
        if longest + (need - int(self.ltp_len.max(initial=0))) > cap:
            new_cap = max(2 * cap, need)
            for name in ("ltp_t", "ltp_w"):
                arr = np.zeros((self.n_rows, new_cap))
                arr[:, :cap] = getattr(self, name)
                setattr(self, name, arr)


def archive(kernel) -> ClopathArchive:
    """The kernel's Clopath archive (a new one after ``ResetKernel``)."""
    a = getattr(kernel, "_clopath_archive", None)
    if a is None or a.groups is not kernel.groups:
        a = ClopathArchive(kernel)
        kernel._clopath_archive = a
    return a


@njit(cache=True)
def _write_history(rows, rec, t0, m, tps, mpt, h, params, incoming, delay_len, delay_idx, delayed, ltd_t, ltd_w,
                   ltd_idx, ltd_len, ltp_t, ltp_w, ltp_len):  # fmt: skip
    for i in range(rows.shape[0]):
        rw = rows[i]
        a_ltp = params[rw, A_LTP]
        a_ltd = params[rw, A_LTD]
        th_p = params[rw, THETA_PLUS]
        th_m = params[rw, THETA_MINUS]
        u_ref2 = params[rw, U_REF2]
        ltd_const = params[rw, LTD_CONST] != 0.0
        dl = delay_len[rw]
        for k in range(m):
            t_ms = float((t0 + k + 1) * tps) * mpt
            u = rec[i, 0, k]
            # Write this step's filtered voltages, then read those of delay_u_bars ago.
            j = delay_idx[rw]
            delayed[rw, 0, j] = rec[i, 1, k]
            delayed[rw, 1, j] = rec[i, 2, k]
            j = (j + 1) % dl
            delay_idx[rw] = j
            ubp = delayed[rw, 0, j]
            ubm = delayed[rw, 1, j]
            if not incoming[rw]:
                continue
            if u > th_p and ubp > th_m:
                e = ltp_len[rw]
                ltp_t[rw, e] = t_ms
                ltp_w[rw, e] = a_ltp * (u - th_p) * (ubp - th_m) * h
                ltp_len[rw] = e + 1
            if ubm > th_m:
                if ltd_const:
                    dw = a_ltd * (ubm - th_m)
                else:
                    ubb = rec[i, 3, k]
                    dw = a_ltd * ubb * ubb * (ubm - th_m) / u_ref2
                c = ltd_idx[rw]
                ltd_t[rw, c] = t_ms
                ltd_w[rw, c] = dw
                ltd_idx[rw] = (c + 1) % ltd_len[rw]


def deliver(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
    """Presynaptic spikes through a store of ``clopath_synapse`` connections."""
    a = archive(kernel)
    rows = a.row if len(a.row) >= kernel.n_nodes else np.full(kernel.n_nodes, -1, dtype=np.int64)
    _deliver_clopath(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, store.target, store.weight, store.delay,
                     store.cols["t_lastspike"], store.cols["x_bar"], store.param("tau_x"), store.param("Wmin"),
                     store.param("Wmax"), rows, a.ltp_t, a.ltp_w, a.ltp_len, a.ltd_t, a.ltd_w, a.ltd_len, tps, mpt,
                     store.out(kernel), kernel.slots)  # fmt: skip


@threaded_kernel
def _deliver_clopath(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, x_bar,
                     tau_x, w_min, w_max, row, ltp_t, ltp_w, ltp_len, ltd_t, ltd_w, ltd_len, tps, mpt, out, slots):  # fmt: skip
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                rw = row[tg]
                d_ms = float(delay[j] * tps) * mpt
                tx = _at(tau_x, j)
                lo = _at(w_min, j)
                hi = _at(w_max, j)
                t1 = t_last[j] - d_ms
                t2 = t_spike - d_ms
                w = weight[j]
                if rw >= 0:
                    # Potentiation by the LTP entries in (t1, t2].
                    for e in range(ltp_len[rw]):
                        te = ltp_t[rw, e]
                        if te - LTP_EPS < t1:
                            continue
                        if te - LTP_EPS >= t2:
                            break
                        w += ltp_w[rw, e] * x_bar[j] * math.exp((t_last[j] - (te + d_ms)) / tx)
                        if w > hi:
                            w = hi
                    # Depression by the LTD entry at t2, if the ring still holds it.
                    dw = 0.0
                    if t2 >= 0.0:
                        for c in range(ltd_len[rw]):
                            if abs(t2 - ltd_t[rw, c]) < STDP_EPS:
                                dw = ltd_w[rw, c]
                                break
                    w -= dw
                    if w < lo:
                        w = lo
                weight[j] = w
                x_bar[j] = x_bar[j] * math.exp((t_last[j] - t_spike) / tx) + 1.0 / tx
                t_last[j] = t_spike
                _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off[r],
                      stamp + delay[j], j, (stamp + delay[j] - 1) % slots, tg, w * mult, mult)  # fmt: skip
