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

from ..models.synapses.voltage import CLOPATH, URBANCZIK
from .jit import threaded_kernel
from .plasticity import _at, _prune, _send

# NEST's margin when reading LTP entries (t1, t2] and when matching the LTD entry's time.
LTP_EPS = 1.0e-6
STDP_EPS = 1.0e-6
# Parameter columns the writers and synapses read, per row (Clopath, Urbanczik).
A_LTP, A_LTD, THETA_PLUS, THETA_MINUS, U_REF2, LTD_CONST = range(6)
G_SP, GL_S, EL_S, PHI_MAX, SLOPE, BETA, THETA, GL_D, C_D, TAU_EX_D, TAU_IN_D = range(11)


class HistoryArchive:
    """Rows of per-step history (time, amount) for the nodes of one plasticity family.

    ``row[node]`` is a node's row (-1: none); ``params[row]`` the values its writer reads;
    ``hist_t``/``hist_w``/``hist_len`` the entries written since the oldest one an incoming
    synapse can still read (pruned when room runs out). Entries are written only for rows with
    incoming connections of the family (``incoming``), as NEST's archiving nodes do.
    """

    family = ""
    n_params = 0

    def __init__(self, kernel):
        self.groups = kernel.groups
        self.row = np.full(0, -1, dtype=np.int64)
        self.n_rows = 0
        self.params = np.zeros((0, self.n_params))
        self.hist_t = np.zeros((0, 8))
        self.hist_w = np.zeros((0, 8))
        self.hist_len = np.zeros(0, dtype=np.int64)
        self.incoming = np.zeros(0, dtype=np.bool_)
        self._stores_key = None

    def rows(self, kernel, group) -> np.ndarray:
        """The rows of ``group``'s nodes, new ones added (their history empty)."""
        n_nodes = kernel.n_nodes
        if len(self.row) < n_nodes:
            self.row = np.concatenate([self.row, np.full(n_nodes - len(self.row), -1, dtype=np.int64)])
        nodes = np.arange(group.offset, group.offset + group.n)
        fresh = nodes[self.row[nodes] < 0]
        if len(fresh):
            self.row[fresh] = self.n_rows + np.arange(len(fresh))
            self._grow(kernel, self.n_rows + len(fresh))
        return self.row[nodes]

    def _grow(self, kernel, n_rows: int) -> None:
        for name in ("params", "hist_t", "hist_w", "hist_len", "incoming"):
            setattr(self, name, _more_rows(getattr(self, name), n_rows))
        self.n_rows = n_rows

    def stores(self, kernel) -> list:
        return [s for s in kernel.plastic_stores.values() if s.model.family == self.family and s.nnz]

    def refresh_incoming(self, kernel) -> None:
        """Which rows have incoming connections of the family."""
        stores = self.stores(kernel)
        key = tuple((id(s), s.nnz) for s in stores)
        if key == self._stores_key:
            return
        self._stores_key = key
        self.incoming[:] = False
        for s in stores:
            rows = self.row[np.unique(s.target)]
            self.incoming[rows[rows >= 0]] = True

    def room(self, kernel, rows: np.ndarray, m: int) -> None:
        """Room for ``m`` more entries in ``rows``, dropping what no synapse reads again."""
        self.refresh_incoming(kernel)
        need = int(self.hist_len[rows].max(initial=0)) + m
        if need <= self.hist_t.shape[1]:
            return
        # Entries before min(t_last - d) over a row's incoming synapses are never read again.
        keep_after = np.full(self.n_rows, np.inf)
        for s in self.stores(kernel):
            d_ms = (s.delay.astype(np.int64) * kernel.tics_per_step).astype(np.float64) * kernel.ms_per_tic
            np.minimum.at(keep_after, self.row[s.target], s.cols["t_lastspike"] - d_ms)
        # (The spike archive's pruning, with the amounts as both of its traces: it also keeps
        # the latest entry before keep_after, which no synapse reads.)
        longest = _prune(self.hist_t, self.hist_w, self.hist_w, self.hist_len, keep_after - LTP_EPS)
        cap = self.hist_t.shape[1]
        if longest + (need - int(self.hist_len.max(initial=0))) > cap:
            new_cap = max(2 * cap, need)
            for name in ("hist_t", "hist_w"):
                arr = np.zeros((self.n_rows, new_cap))
                arr[:, :cap] = getattr(self, name)
                setattr(self, name, arr)


def _more_rows(a: np.ndarray, n_rows: int, fill=0) -> np.ndarray:
    out = np.full((n_rows,) + a.shape[1:], fill, dtype=a.dtype)
    out[: len(a)] = a
    return out


class ClopathArchive(HistoryArchive):
    """Per node of a Clopath model: the delayed filtered voltages, the LTP history (the
    base's) and the ring of LTD values."""

    family = CLOPATH
    n_params = 6

    def __init__(self, kernel):
        super().__init__(kernel)
        self.delay_len = np.zeros(0, dtype=np.int64)
        self.delay_idx = np.zeros(0, dtype=np.int64)
        self.delayed = np.zeros((0, 2, 1))
        self.ltd_t = np.zeros((0, 1))
        self.ltd_w = np.zeros((0, 1))
        self.ltd_idx = np.zeros(0, dtype=np.int64)
        self.ltd_len = np.zeros(0, dtype=np.int64)

    def sync(self, kernel, group) -> None:
        """Rows for the nodes of ``group`` (new ones start with empty buffers), their parameters."""
        rows = self.rows(kernel, group)
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

    def _grow(self, kernel, n_rows: int) -> None:
        old = self.n_rows
        super()._grow(kernel, n_rows)
        for name in ("delay_len", "delay_idx", "delayed", "ltd_idx"):
            setattr(self, name, _more_rows(getattr(self, name), n_rows))
        # Rows keep the ring length they started with (NEST: max_delay + 1 at their first Prepare).
        ltd_len = kernel.max_delay_steps + 1
        self.ltd_len = np.concatenate([self.ltd_len[:old], np.full(n_rows - old, ltd_len, dtype=np.int64)])
        cols = max(self.ltd_t.shape[1] if old else 1, ltd_len)
        for name in ("ltd_t", "ltd_w"):
            arr = np.zeros((n_rows, cols))
            prev = getattr(self, name)
            arr[:old, : prev.shape[1]] = prev[:old]
            setattr(self, name, arr)

    def write(self, kernel, offset: int, n: int, rec: np.ndarray, t0: int, m: int) -> None:
        """Steps ``t0 .. t0 + m`` of nodes ``offset .. offset + n``: ``rec[i, 0:4, k]`` holds u,
        u_bar_plus, u_bar_minus, u_bar_bar after step ``t0 + k`` of node ``offset + i``."""
        rows = self.row[offset : offset + n]
        self.room(kernel, rows, m)
        _write_history(rows, rec, t0, m, kernel.tics_per_step, kernel.ms_per_tic, kernel.h, self.params,
                       self.incoming, self.delay_len, self.delay_idx, self.delayed, self.ltd_t, self.ltd_w,
                       self.ltd_idx, self.ltd_len, self.hist_t, self.hist_w, self.hist_len)  # fmt: skip


class UrbanczikArchive(HistoryArchive):
    """Per node of ``pp_cond_exp_mc_urbanczik``: the history of the dendritic prediction error
    ``(n_spikes - phi(V*) h) h'(V*)`` per step, ``V*`` the somatic potential the dendrite
    predicts, ``(E_L g_L + V_d g_sp) / (g_L + g_sp)`` with the soma's leak."""

    family = URBANCZIK
    n_params = 11

    def sync(self, kernel, group, columns: dict) -> None:
        """Rows of ``group``'s nodes and the parameters (``columns``: column -> values)."""
        rows = self.rows(kernel, group)
        for col, values in columns.items():
            self.params[rows, col] = values

    def write(self, kernel, offset: int, n: int, v_d: np.ndarray, n_spikes: np.ndarray, t0: int, m: int) -> None:
        """Steps ``t0 .. t0 + m`` of nodes ``offset .. offset + n``: dendritic potential
        ``v_d[i, k]`` and spike count ``n_spikes[i, k]`` after step ``t0 + k``."""
        rows = self.row[offset : offset + n]
        self.room(kernel, rows, m)
        _write_urbanczik(rows, v_d, n_spikes, t0, m, kernel.tics_per_step, kernel.ms_per_tic, kernel.h, self.params,
                         self.incoming, self.hist_t, self.hist_w, self.hist_len)  # fmt: skip


@njit(inline="always", cache=True)
def urbanczik_phi(u, phi_max, slope, beta, theta):
    """Firing rate (1/ms) at somatic potential u."""
    return phi_max / (1.0 + slope * math.exp(beta * (theta - u)))


@njit(cache=True)
def _write_urbanczik(rows, v_d, n_spikes, t0, m, tps, mpt, h, params, incoming, hist_t, hist_w, hist_len):
    for i in range(rows.shape[0]):
        rw = rows[i]
        if not incoming[rw]:
            continue
        g_d = params[rw, G_SP]
        g_l = params[rw, GL_S]
        e_l = params[rw, EL_S]
        beta = params[rw, BETA]
        slope = params[rw, SLOPE]
        theta = params[rw, THETA]
        for k in range(m):
            v_star = (e_l * g_l + v_d[i, k] * g_d) / (g_d + g_l)
            phi = urbanczik_phi(v_star, params[rw, PHI_MAX], slope, beta, theta)
            dphi = 15.0 * beta / (1.0 + (1.0 / slope) * math.exp(-beta * (theta - v_star)))
            e = hist_len[rw]
            hist_t[rw, e] = float((t0 + k + 1) * tps) * mpt
            hist_w[rw, e] = (n_spikes[i, k] - phi * h) * dphi
            hist_len[rw] = e + 1


def archive(kernel, kind=None):
    """The kernel's archive of one family (Clopath by default; a new one after ``ResetKernel``)."""
    kind = kind or ClopathArchive
    archives = getattr(kernel, "_voltage_archives", None)
    if archives is None or archives.get("groups") is not kernel.groups:
        archives = kernel._voltage_archives = {"groups": kernel.groups}
    if kind.family not in archives:
        archives[kind.family] = kind(kernel)
    return archives[kind.family]


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
                     store.param("Wmax"), rows, a.hist_t, a.hist_w, a.hist_len, a.ltd_t, a.ltd_w, a.ltd_len, tps, mpt,
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


def deliver_urbanczik(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
    """Presynaptic spikes through a store of ``urbanczik_synapse`` connections."""
    a = archive(kernel, UrbanczikArchive)
    rows = a.row if len(a.row) >= kernel.n_nodes else np.full(kernel.n_nodes, -1, dtype=np.int64)
    c = store.cols
    _deliver_urbanczik(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, store.target, store.weight, store.delay,
                       c["t_lastspike"], c["init_weight"], c["PI_integral"], c["PI_exp_integral"], c["tau_L_trace"],
                       c["tau_s_trace"], store.param("eta"), store.param("tau_Delta"), store.param("Wmin"),
                       store.param("Wmax"), rows, a.params, a.hist_t, a.hist_w, a.hist_len, tps, mpt,
                       store.out(kernel), kernel.slots)  # fmt: skip


@threaded_kernel
def _deliver_urbanczik(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last,
                       init_w, pi_int, pi_exp, tl_trace, ts_trace, eta, tau_delta, w_min, w_max, row, params, hist_t,
                       hist_w, hist_len, tps, mpt, out, slots):  # fmt: skip
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
                w = weight[j]
                if rw >= 0:
                    d_ms = float(delay[j] * tps) * mpt
                    t1 = t_last[j] - d_ms
                    t2 = t_spike - d_ms
                    g_l = params[rw, GL_D]
                    c_m = params[rw, C_D]
                    tau_l = c_m / g_l
                    tau_s = params[rw, TAU_EX_D] if w > 0.0 else params[rw, TAU_IN_D]
                    td = _at(tau_delta, j)
                    d_exp = 0.0
                    # The prediction errors in (t1, t2], weighted by the presynaptic PSP's shape.
                    for e in range(hist_len[rw]):
                        te = hist_t[rw, e]
                        if te - LTP_EPS < t1:
                            continue
                        if te - LTP_EPS >= t2:
                            break
                        t_up = te + d_ms
                        m_dt = t_last[j] - t_up
                        pi = (tl_trace[j] * math.exp(m_dt / tau_l) - ts_trace[j] * math.exp(m_dt / tau_s)) * hist_w[
                            rw, e
                        ]
                        pi_int[j] += pi
                        d_exp += math.exp((t_up - t_spike) / td) * pi
                    pi_exp[j] = math.exp((t_last[j] - t_spike) / td) * pi_exp[j] + d_exp
                    w = init_w[j] + (pi_int[j] - pi_exp[j]) * 15.0 * c_m * tau_s * _at(eta, j) / (g_l * (tau_l - tau_s))
                    hi = _at(w_max, j)
                    lo = _at(w_min, j)
                    if w > hi:
                        w = hi
                    elif w < lo:
                        w = lo
                    weight[j] = w
                    tl_trace[j] = tl_trace[j] * math.exp((t_last[j] - t_spike) / tau_l) + 1.0
                    ts_trace[j] = ts_trace[j] * math.exp((t_last[j] - t_spike) / tau_s) + 1.0
                t_last[j] = t_spike
                _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off[r],
                      stamp + delay[j], j, (stamp + delay[j] - 1) % slots, tg, w * mult, mult)  # fmt: skip
