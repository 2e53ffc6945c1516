"""e-prop plasticity (NEST 3.10's event-based e-prop): the neurons' history and the synapse rule.

Every node of an e-prop model has a row in :class:`EpropHistory`, a ring over time steps of

- ``psi``: the surrogate gradient at the end of each step (1 for readouts, whose trace is the
  filtered presynaptic spikes alone);
- ``reg``: the firing-rate regularisation, ``c_reg (f_ema - f_target)``, of each step (0 for
  readouts);
- ``lsig``: the learning signal of each step: a readout's error, and for a recurrent neuron
  the sum of ``B_jk`` times the errors of its readouts (the neuron shows it one step later as
  ``learning_signal``, the delay of ``eprop_learning_signal_connection``).

An ``eprop_synapse`` keeps the step of its last presynaptic spike's arrival ``ta``, the
filtered presynaptic spikes ``zbar`` (at ``ta``) and the eligibility trace ``ebar`` (at
``ta - 1``). At the next arrival ``ta'`` it runs over the steps ``t`` from ``ta`` to
``min(ta + cutoff, ta')``, each step giving the gradient ``lsig[t] ebar + reg[t - 1] ebar_reg`` and
advancing ``e = psi[t] (zbar - beta eps)``, ``eps = e + rho eps``, ``ebar = kappa ebar + e``, ``ebar_reg = kappa_reg ebar_reg + (1 - kappa_reg) e``,
``zbar = alpha zbar`` (``beta``, ``rho``: the threshold adaptation of the target, 0 without); beyond the cutoff both
decay by ``kappa`` and ``alpha`` per step; then the spike is added to ``zbar``. ``alpha`` is
``exp(-h / tau_m)`` of the target, ``kappa`` its ``kappa`` (0 for readouts). The indices and
the factors (no ``1 - kappa`` on the learning-signal trace, ``1 - kappa_reg`` on the
regularisation's) were measured on NEST 3.10's weights step by step (weight_recorder), not
taken from its code. Gradient descent: ``w -= eta g`` each step (``optimize_each_step``) or
once for the interval, bounded by ``Wmin`` and ``Wmax``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from .plasticity import _send
from .plasticity_voltage import HistoryArchive

EPROP = "eprop"


class EpropHistory(HistoryArchive):
    """Rows of per-step history for the nodes of e-prop models."""

    family = EPROP
    initial_width = 64  # steps; doubled when the oldest step still read would be overwritten

    def __init__(self, kernel):
        super().__init__(kernel)
        self.width = self.initial_width
        self.psi = np.zeros((0, self.width))
        self.reg = np.zeros((0, self.width))
        self.lsig = np.zeros((0, self.width))
        # Per row: alpha (zbar decay), kappa (ebar decay), cutoff (steps), readout flag.
        self.alpha = np.zeros(0)
        self.kappa = np.zeros(0)
        self.kappa_reg = np.zeros(0)
        # Threshold adaptation (eprop_iaf_adapt): adapt_beta and exp(-h / adapt_tau); 0 elsewhere.
        self.beta = np.zeros(0)
        self.rho = np.zeros(0)
        self.cutoff = np.zeros(0, dtype=np.int64)
        self.readout = np.zeros(0, dtype=np.bool_)
        # First step of each node's history (eprop_history_duration); 0: no incoming e-prop synapse.
        self.start = np.zeros(0, dtype=np.int64)
        self.now = 0

    # -------------------------------------------------------------- rows
    # (``rows`` is HistoryArchive's: new nodes get rows at the end, through ``_grow``.)
    def _grow(self, kernel, n_rows: int) -> None:
        for name in ("psi", "reg", "lsig"):
            old = getattr(self, name)
            new = np.zeros((n_rows, self.width))
            new[: len(old)] = old
            setattr(self, name, new)
        for name in ("alpha", "kappa", "kappa_reg", "beta", "rho", "cutoff", "readout"):
            old = getattr(self, name)
            new = np.zeros(n_rows, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        self.n_rows = n_rows

    def set_params(self, rows, alpha, kappa, kappa_reg, cutoff, readout: bool, beta=0.0, rho=0.0) -> None:
        self.alpha[rows] = alpha
        self.kappa[rows] = kappa
        self.kappa_reg[rows] = kappa_reg
        self.beta[rows] = beta
        self.rho[rows] = rho
        self.cutoff[rows] = cutoff
        self.readout[rows] = readout
        if readout:
            self.psi[rows] = 1.0

    # -------------------------------------------------------------- the ring
    def room(self, kernel, t0: int, m: int) -> None:
        """Room for the steps up to ``t0 + m`` while keeping every step a synapse still reads."""
        last = t0 + m
        # The oldest step read only moves forward: scan the synapses only when the ring looks full.
        if last - getattr(self, "oldest", 0) + 2 <= self.width:
            return
        oldest = last
        for s in stores(kernel):
            ta = s.cols["ta_last"]
            seen = ta[ta > 0]
            if len(seen):
                oldest = min(oldest, int(seen.min()) - 1)
        self.oldest = oldest
        need = last - oldest + 2
        if need <= self.width:
            return
        width = self.width
        while width < need:
            width *= 2
        steps = np.arange(oldest, last + 1)
        for name in ("psi", "reg", "lsig"):
            old = getattr(self, name)
            new = np.zeros((self.n_rows, width))
            if name == "psi":
                new[self.readout] = 1.0
            new[:, steps % width] = old[:, steps % self.width]
            setattr(self, name, new)
        self.width = width

    def clear(self, t0: int, m: int) -> None:
        """Empty the learning signals of the slots the slice's steps take."""
        cols = np.arange(t0 + 1, t0 + m + 1) % self.width
        self.lsig[:, cols] = 0.0

    def refresh_start(self, kernel) -> None:
        """First history step per node (``eprop_history_duration``): the step before the oldest
        last arrival of its incoming synapses, step 1 while one has seen no spike."""
        big = np.iinfo(np.int64).max
        first = np.full(kernel.n_nodes, big, dtype=np.int64)
        for s in stores(kernel):
            ta = s.cols["ta_last"]
            np.minimum.at(first, s.target.astype(np.int64), np.where(ta > 0, ta - 1, 1).astype(np.int64))
        self.start = np.where(first < big, first, 0)


def history(kernel) -> EpropHistory:
    """The kernel's e-prop history (a new one after ``ResetKernel``)."""
    h = getattr(kernel, "_eprop_history", None)
    if h is None or h.groups is not kernel.groups:
        h = kernel._eprop_history = EpropHistory(kernel)
    return h


def stores(kernel) -> list:
    return [s for s in kernel.plastic_stores.values() if s.model.family == EPROP and s.nnz]


# ------------------------------------------------------------------ learning signals
class LearningLinks:
    """The ``eprop_learning_signal_connection`` s of the kernel's blocks: readout -> recurrent."""

    def __init__(self, kernel, hist: EpropHistory):
        from .secondary import kind_of

        blocks = [b for b in kernel.blocks if not b.released and len(b) and kind_of(kernel, b) == EPROP_LS]
        if blocks:
            src = np.concatenate([np.asarray(b.source, dtype=np.int64) - 1 for b in blocks])
            tgt = np.concatenate([np.asarray(b.target, dtype=np.int64) - 1 for b in blocks])
            w = np.concatenate([np.broadcast_to(b.weights(), (len(b),)).astype(np.float64) for b in blocks])
        else:
            src = tgt = np.zeros(0, dtype=np.int64)
            w = np.zeros(0)
        self.src = src
        self.tgt_row = hist.row[tgt] if len(tgt) else tgt
        self.w = w


EPROP_LS = "eprop_learning_signal"


def links(kernel, hist) -> LearningLinks:
    key = (id(kernel.blocks), len(kernel.blocks), sum(len(b) for b in kernel.blocks), hist.n_rows)
    cached = getattr(kernel, "_eprop_links", None)
    if cached is None or cached[0] != key:
        cached = kernel._eprop_links = (key, LearningLinks(kernel, hist))
    return cached[1]


@njit(cache=True)
def send_errors(t, width, off, n, err, src, tgt_row, w, lsig, own_rows):
    """A readout group's errors of step ``t``: into its own rows and, weighted, into its targets'."""
    c = t % width
    for i in range(n):
        lsig[own_rows[i], c] = err[i]
    for j in range(src.shape[0]):
        i = src[j] - off
        if 0 <= i < n:
            lsig[tgt_row[j], c] += w[j] * err[i]


# ------------------------------------------------------------------ the synapse
def deliver(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
    """Presynaptic spikes through a store of ``eprop_synapse`` connections."""
    h = history(kernel)
    model = store.model
    opt = model.optimizer
    rows = h.row if len(h.row) >= kernel.n_nodes else np.full(kernel.n_nodes, -1, dtype=np.int64)
    c = store.cols
    adam = opt["optimizer"] == "adam"
    hyper = np.array([float(opt["eta"]), float(opt["Wmin"]), float(opt["Wmax"]), float(opt.get("beta_1", 0.0)),
                      float(opt.get("beta_2", 0.0)), float(opt.get("epsilon", 0.0))])  # fmt: skip
    _deliver_eprop(reg_src, reg_stamp, reg_mult, n_reg, splits, store.target, store.weight, store.delay,
                   c["ta_last"], c["zbar"], c["ebar"], c["ebar_reg"], c["eps"], c["gsum"], c["adam_m"], c["adam_v"], rows, h.psi,
                   h.reg, h.lsig, h.alpha, h.kappa, h.kappa_reg, h.beta, h.rho, h.cutoff, h.readout, h.width, hyper, adam,
                   bool(opt["optimize_each_step"]), int(opt["batch_size"]), store.out(kernel), kernel.slots)  # fmt: skip


@njit(cache=True)
def _optimize(w, g, n, m, v, hyper, adam):
    """One optimizer step with gradient ``g`` (the ``n``-th step of the optimizer's clock)."""
    if adam:
        b1 = hyper[3]
        b2 = hyper[4]
        m = b1 * m + (1.0 - b1) * g
        v = b2 * v + (1.0 - b2) * g * g
        w -= hyper[0] * math.sqrt(1.0 - b2**n) / (1.0 - b1**n) * m / (math.sqrt(v) + hyper[5])
    else:
        w -= hyper[0] * g
    return min(max(w, hyper[1]), hyper[2]), m, v


@njit(cache=True)
def _deliver_eprop(reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, ta_last, zbar, ebar, ebar_reg,
                   eps, gsum, adam_m, adam_v, row, psi, reg, lsig, alpha, kappa, kappa_reg, beta, rho, cutoff, readout, width, hyper, adam,
                   each_step, batch, out, slots):  # fmt: skip
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    n_threads = splits.shape[1] - 1
    for r in range(n_reg):
        s = reg_src[r]
        stamp = reg_stamp[r]
        mult = reg_mult[r]
        for j in range(splits[s, 0], splits[s, n_threads]):
            tg = target[j]
            rw = row[tg]
            ta1 = stamp + delay[j]
            w = weight[j]
            if rw >= 0:
                ta0 = np.int64(ta_last[j])
                if ta0 > 0:
                    end = min(ta0 + cutoff[rw], ta1)
                    eb = ebar[j]
                    er = ebar_reg[j]
                    zb = zbar[j]
                    ep = eps[j]
                    kr = kappa_reg[rw]
                    a = alpha[rw]
                    k = kappa[rw]
                    b = beta[rw]
                    q = rho[rw]
                    m1 = adam_m[j]
                    m2 = adam_v[j]
                    # A readout's own error enters one step later than the signal it sends (measured).
                    lag = 1 if readout[rw] else 0
                    total = gsum[j]
                    for t in range(ta0, end):
                        total += lsig[rw, (t - lag) % width] * eb + reg[rw, (t - 1) % width] * er
                        # The optimizer's clock is the step: a batch closes where (t - 1) % batch == 0.
                        if each_step and (t - 1) % batch == 0:
                            w, m1, m2 = _optimize(w, total / batch, (t - 1) // batch, m1, m2, hyper, adam)
                            total = 0.0
                        e = psi[rw, t % width] * (zb - b * ep)
                        ep = e + q * ep
                        eb = k * eb + e
                        er = kr * er + (1.0 - kr) * e
                        zb = a * zb
                    if not each_step:
                        w, m1, m2 = _optimize(w, total, 1, m1, m2, hyper, adam)
                        total = 0.0
                    p = ta1 - end
                    if p > 0:
                        eb *= math.pow(k, p)
                        zb *= math.pow(a, p)
                        ep *= math.pow(q, p)
                        er *= math.pow(kr, p)
                    ebar[j] = eb
                    ebar_reg[j] = er
                    eps[j] = ep
                    zbar[j] = zb + 1.0
                    gsum[j] = total
                    adam_m[j] = m1
                    adam_v[j] = m2
                else:
                    ebar[j] = 0.0
                    ebar_reg[j] = 0.0
                    eps[j] = 0.0
                    zbar[j] = 1.0
                ta_last[j] = ta1
                weight[j] = w
            _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off[r],
                  ta1, j, (ta1 - 1) % slots, tg, w * mult, mult)  # fmt: skip
