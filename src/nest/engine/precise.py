"""Spikes off the grid: the input events of precise models.

A precise spike at time ``t`` is stamped with the step at whose end it is delivered,
``S = ceil(t / h)``, and carries its offset ``S * h - t`` in ``[0, h)`` (the register's
``reg_off``). Grid models ignore offsets, so their input stays in the ring buffers.
Precise models (``precise_input`` set on the model) instead receive every spike that has
an offset as an event (target, arrival stamp, offset, weight) in :class:`PreciseEvents`;
spikes without an offset reach them through the ring buffers as usual and count as events
at the end of their step. Before a precise group is updated it takes the events of its
nodes that arrive during the slice, sorted by node, stamp and time within the step.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from . import rng


class PreciseEvents:
    """Pending input events of precise targets (one flat, growable list)."""

    def __init__(self, n_nodes: int):
        self.mask = np.zeros(n_nodes, dtype=np.bool_)
        self.node = np.zeros(64, dtype=np.int64)
        self.stamp = np.zeros(64, dtype=np.int64)
        self.off = np.zeros(64)
        self.w = np.zeros(64)
        self.n = 0

    def resize(self, n_nodes: int) -> None:
        if self.mask.shape[0] != n_nodes:
            self.mask = np.zeros(n_nodes, dtype=np.bool_)
        else:
            self.mask[:] = False

    def reserve(self, extra: int) -> None:
        need = self.n + extra
        cap = self.node.shape[0]
        if need <= cap:
            return
        cap = max(need, 2 * cap)
        for name in ("node", "stamp", "off", "w"):
            old = getattr(self, name)
            new = np.zeros(cap, dtype=old.dtype)
            new[: self.n] = old[: self.n]
            setattr(self, name, new)

    def add(self, nodes, stamps, offs, ws) -> None:
        """Append events (node index, arrival stamp, offset, weight)."""
        k = len(nodes)
        self.reserve(k)
        sl = slice(self.n, self.n + k)
        self.node[sl], self.stamp[sl], self.off[sl], self.w[sl] = nodes, stamps, offs, ws
        self.n += k

    def deliver(self, kernel, n_reg: int) -> None:
        """The register through the CSR: events for precise targets of spikes with an
        offset, the ring buffers for everything else (single-threaded)."""
        csr = kernel.csr
        src = kernel.reg_src[:n_reg]
        lengths = csr.indptr[src + 1] - csr.indptr[src]
        self.reserve(int(lengths[kernel.reg_off[:n_reg] != 0.0].sum()))
        w, d = csr.weight, csr.delay
        self.n = _deliver_precise(kernel.reg_src, kernel.reg_stamp, kernel.reg_mult, kernel.reg_off, n_reg,
                                  csr.indptr, csr.target, w.mode, w.const, w.row, w.full, d.mode, d.const, d.row,
                                  d.full, kernel.buf, kernel.slots, self.mask, self.node, self.stamp, self.off,
                                  self.w, self.n)  # fmt: skip

    def take(self, first: int, count: int, t0: int, m: int):
        """The events of nodes ``first .. first + count - 1`` arriving at stamps up to
        ``t0 + m``, removed from the list: (pointer per node, stamps, offsets, weights),
        each node's events by stamp, then latest offset first (earliest time)."""
        if self.n == 0:
            return _EMPTY_PTR[count] if count in _EMPTY_PTR else _empty(count)
        ptr, st, of, w, k = _take(self.node, self.stamp, self.off, self.w, self.n, first, count, t0 + m)
        self.n = k
        return ptr, st, of, w


_EMPTY_PTR: dict[int, tuple] = {}


def _empty(count: int):
    out = (np.zeros(count + 1, dtype=np.int64), np.zeros(0, dtype=np.int64), np.zeros(0), np.zeros(0))
    if len(_EMPTY_PTR) < 64:
        _EMPTY_PTR[count] = out
    return out


def precise_stamps(times, h: float, tics_per_ms: float):
    """Stamps and offsets of spike times in ms: ``S = ceil(t / h)`` counted in tics (as
    NEST does: 1.1 ms at 0.1 ms is stamp 11, offset 0), offset ``S * h - t``."""
    times = np.asarray(times, dtype=np.float64)
    tics_per_step = round(h * tics_per_ms)
    tics = np.ceil(times / (1.0 / tics_per_ms)).astype(np.int64)  # as NEST: t / ms_per_tic
    stamps = -(-tics // tics_per_step)
    stamp_ms = (stamps * tics_per_step).astype(np.float64) * (1.0 / tics_per_ms)
    offsets = stamp_ms - times
    # A time equal to its step's end up to rounding (two ulps) is on the grid (measured
    # in NEST 3.10: 5.1 ms is stamp 51 with offset 0, not 8.9e-16).
    offsets[np.abs(offsets) <= np.finfo(float).eps * np.abs(stamp_ms + times) * 2] = 0.0
    return stamps, offsets


@njit(cache=True)
def _deliver_precise(reg_src, reg_stamp, reg_mult, reg_off, n_reg, indptr, target,
                     w_mode, w_const, w_row, w_full, d_mode, d_const, d_row, d_full, buf, slots,
                     mask, ev_node, ev_stamp, ev_off, ev_w, n_ev):  # fmt: skip
    for r in range(n_reg):
        s = reg_src[r]
        stamp = reg_stamp[r]
        mult = reg_mult[r]
        off = reg_off[r]
        for j in range(indptr[s], indptr[s + 1]):
            if w_mode == 0:
                w = w_const * mult
            elif w_mode == 1:
                w = w_row[s] * mult
            else:
                w = w_full[j] * mult
            if d_mode == 0:
                dd = d_const
            elif d_mode == 1:
                dd = d_row[s]
            else:
                dd = d_full[j]
            tg = target[j]
            if off != 0.0 and mask[tg]:
                ev_node[n_ev] = tg
                ev_stamp[n_ev] = stamp + dd
                ev_off[n_ev] = off
                ev_w[n_ev] = w
                n_ev += 1
            else:
                slot = (stamp + dd - 1) % slots
                if w >= 0.0:
                    buf[0, slot, tg] += w
                else:
                    buf[1, slot, tg] += w
    return n_ev


def poisson_ps_spikes(t0, m, h, tics_per_ms, params, gen, keys, t_next, n_draw):
    """Spikes of poisson_generator_ps connections during steps ``t0 .. t0 + m``.

    ``params[g]`` is (start, stop, rate of the exponential part in 1/ms, dead time) of
    generator ``g``; each connection keeps its next spike time and its number of draws.
    Returns (connection, stamp, offset) of every spike, in connection order.
    """
    tps = round(h * tics_per_ms)
    return _poisson_ps(t0, m, h, float(tics_per_ms), tps, params, gen, keys, t_next, n_draw)


@njit(cache=True)
def _poisson_ps(t0, m, h, tics_per_ms, tps, params, gen, keys, t_next, n_draw):
    cap = 64
    conn = np.empty(cap, dtype=np.int64)
    stamps = np.empty(cap, dtype=np.int64)
    offs = np.empty(cap)
    cnt = 0
    t_lo = t0 * h
    t_hi = (t0 + m) * h
    for c in range(gen.shape[0]):
        start, stop, lam, dead = params[gen[c]]
        if lam <= 0.0 or stop <= t_lo:
            continue
        t = t_next[c]
        if np.isnan(t):
            # A stationary train from max(start, now): in its dead time with
            # probability dead / (mean interval), then an exponential wait.
            t = max(start, t_lo)
            u = rng.uniform(keys[c], n_draw[c])
            if u < dead / (dead + 1.0 / lam):
                t += dead * rng.uniform(keys[c], n_draw[c] + 1)
            t += -math.log1p(-rng.uniform(keys[c], n_draw[c] + 2)) / lam
            n_draw[c] += 3
        while t <= t_hi:
            if t > stop:
                break
            if cnt == cap:
                cap *= 2
                conn = _grown(conn, cap)
                stamps = _grown(stamps, cap)
                offs = _grown(offs, cap)
            stamp = -(-int(math.ceil(t * tics_per_ms)) // tps)
            conn[cnt] = c
            stamps[cnt] = stamp
            offs[cnt] = float(stamp * tps) * (1.0 / tics_per_ms) - t
            cnt += 1
            t += dead - math.log1p(-rng.uniform(keys[c], n_draw[c])) / lam
            n_draw[c] += 1
        t_next[c] = t
    return conn[:cnt], stamps[:cnt], offs[:cnt]


@njit(cache=True)
def _grown(a, cap):
    out = np.empty(cap, dtype=a.dtype)
    out[: a.shape[0]] = a
    return out


@njit(cache=True)
def _take(node, stamp, off, w, n, first, count, last_stamp):
    # A counting sort by node (O(n), stable), then each node's few events sorted by
    # time in place; the events left behind are compacted in order.
    ptr = np.zeros(count + 1, dtype=np.int64)
    for j in range(n):
        nd = node[j] - first
        if 0 <= nd < count and stamp[j] <= last_stamp:
            ptr[nd + 1] += 1
    for i in range(count):
        ptr[i + 1] += ptr[i]
    total = ptr[count]
    st = np.empty(total, dtype=np.int64)
    of = np.empty(total)
    ww = np.empty(total)
    fill = ptr[:-1].copy()
    k = 0
    for j in range(n):
        nd = node[j] - first
        if 0 <= nd < count and stamp[j] <= last_stamp:
            q = fill[nd]
            fill[nd] = q + 1
            st[q], of[q], ww[q] = stamp[j], off[j], w[j]
        else:
            node[k], stamp[k], off[k], w[k] = node[j], stamp[j], off[j], w[j]
            k += 1
    for i in range(count):
        for a in range(ptr[i] + 1, ptr[i + 1]):
            s0, o0, w0 = st[a], of[a], ww[a]
            b = a - 1
            while b >= ptr[i] and (st[b] > s0 or (st[b] == s0 and of[b] < o0)):
                st[b + 1], of[b + 1], ww[b + 1] = st[b], of[b], ww[b]
                b -= 1
            st[b + 1], of[b + 1], ww[b + 1] = s0, o0, w0
    return ptr, st, of, ww, k
