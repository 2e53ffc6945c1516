"""Plastic connections: a store per plastic synapse model, the postsynaptic spike archive,
and the jitted delivery kernels that change weights as spikes pass.

A plastic model's connections are kept apart from the static CSR, in rows by source (each
row sorted by target, so threads split delivery by target range as in the static CSR), with
one array per synapse for the weight, the delay, every per-connection parameter, the state
(``Kplus``, ``x``, ``u`` ...) and the time of the last presynaptic spike. The model's common
parameters (``_hom`` models) are length-1 arrays read from its defaults at each ``Prepare``.

Spike-timing rules read the postsynaptic spike history: :class:`SpikeArchive` keeps, per
node, the times of its recent spikes and its trace ``K_minus`` just after each (NEST's
archiving node). Entries are dropped once no incoming plastic synapse can read them again:
a synapse reads the post spikes after ``t_last - d`` and the last one before it, so for each
node everything older than the latest entry before ``min(t_last - d)`` over its incoming
synapses goes.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ..models.synapses.plastic import (
    BERNOULLI,
    CONT_DELAY,
    DOPAMINE,
    FACETSHW,
    HT,
    QUANTAL,
    STATIC,
    STDP,
    STDP_PL,
    TRIPLET,
    TSODYKS,
    TSODYKS2,
    VOGELS,
)
from . import rng
from .connections import Block, SpikeCSR
from .jit import threaded_kernel

# NEST's tolerance when comparing spike times in the history (ms).
STDP_EPS = 1.0e-6
# No precise targets: an empty event list (mask, nodes, stamps, offsets, weights, count, offsets).
_NO_EVENTS = (np.zeros(1, dtype=np.bool_), np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), np.zeros(1),
              np.zeros(1), np.zeros(1, dtype=np.int64), np.zeros(1))  # fmt: skip
# Rules that read the postsynaptic spike history.
TIMING = (STDP, STDP_PL, TRIPLET, VOGELS, DOPAMINE, FACETSHW)
_NONE = np.zeros(1)
# Hidden per-synapse state: the time of the last presynaptic spike (ms).
T_LAST = "t_lastspike"


class PlasticStore:
    """The connections of one plastic synapse model."""

    def __init__(self, model, n_nodes: int, blocks: list[Block]):
        self.model = model
        self.synapse_model = model.name
        self.n_nodes = n_nodes
        src = np.concatenate([b.source for b in blocks]).astype(np.int64)
        tgt = np.concatenate([b.target for b in blocks]).astype(np.int64)
        order = np.lexsort((tgt, src))
        # Where each connection of the blocks went, for collections read before the move.
        self.inverse = np.empty(len(order), dtype=np.int64)
        self.inverse[order] = np.arange(len(order))
        self.moved = None
        counts = np.bincount(src - 1, minlength=n_nodes)[:n_nodes]
        self.indptr = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
        self.target = (tgt[order] - 1).astype(np.int32)
        self.weight = np.concatenate([b.weights() for b in blocks])[order].astype(np.float64)
        self.delay = np.concatenate([b.delays() for b in blocks])[order].astype(np.int32)
        self.cols: dict[str, np.ndarray] = {}
        for key in (*model.per_connection, *getattr(model, "hidden", ()), T_LAST):
            parts = []
            for b in blocks:
                v = b.extra.get("params", {}).get(key, model.defaults.get(key, 0.0))
                parts.append(np.broadcast_to(np.asarray(v, dtype=np.float64), (len(b),)))
            self.cols[key] = np.concatenate(parts)[order].copy()
        port_parts = [np.asarray(b.extra.get("ports", b.receptor), dtype=np.int64) for b in blocks]
        ports = np.concatenate([np.broadcast_to(pp, (len(b),)) for pp, b in zip(port_parts, blocks)])[order]
        self.port = ports if ports.any() else np.zeros(1, dtype=np.int64)
        self._splits: dict[int, np.ndarray] = {}
        self.keys = None  # random streams of stochastic synapses, one per synapse
        self._events = _NO_EVENTS

    @property
    def nnz(self) -> int:
        return len(self.target)

    def param(self, key: str) -> np.ndarray:
        """Per-synapse values of ``key``, or one value (length 1) for a common parameter."""
        if key in self.cols:
            return self.cols[key]
        return np.array([float(self.model.defaults[key])])

    def columns(self):
        """(source ids, target ids, weights, delays in steps), as ``SpikeCSR.columns``."""
        counts = np.diff(self.indptr)
        source = np.repeat(np.arange(1, self.n_nodes + 1, dtype=np.int64), counts)
        return source, self.target.astype(np.int64) + 1, self.weight, self.delay

    def values(self, key: str, pos: np.ndarray) -> np.ndarray:
        if key == "weight":
            return self.weight[pos]
        col = self.param(key)
        return col[pos] if len(col) > 1 else np.full(len(pos), col[0])

    def set_values(self, key: str, pos: np.ndarray, values: np.ndarray) -> None:
        if key == "weight":
            self.weight[pos] = values
        elif key == "delay":
            self.delay[pos] = values
        else:
            self.cols[key][pos] = values

    def to_block(self) -> Block:
        """The connections as one block, their parameters and state included."""
        source, target, w, d = self.columns()
        b = Block(source.astype(np.int32), target.astype(np.int32), w.copy(), d.astype(np.int64),
                  self.synapse_model)  # fmt: skip
        if self.port.any():
            b.extra["ports"] = self.port.copy()
        b.extra["params"] = {k: v.copy() for k, v in self.cols.items()}
        return b

    def out(self, kernel) -> tuple:
        """Where the store's events go: the ring buffers (excitatory/inhibitory, receptor ports per
        row of ``ridx``), the ports, the parrots (which count spikes), and for precise targets an
        event list of (node, arrival stamp, offset, weight) with its length (``ev_n[0]``), taken
        for spikes with an offset (``reg_off``)."""
        return (kernel.buf, kernel.rbuf, kernel.ridx, self.port, kernel._counts_spikes) + self._events

    row_splits = SpikeCSR.row_splits

    def keep_after(self, n_nodes: int, tics_per_step: int, ms_per_tic: float) -> np.ndarray:
        """Per node: the earliest time any incoming synapse of this store reads from (ms)."""
        out = np.full(n_nodes, np.inf)
        if self.model.family in TIMING and self.nnz:
            d_ms = (self.delay.astype(np.int64) * tics_per_step).astype(np.float64) * ms_per_tic
            np.minimum.at(out, self.target, self.cols[T_LAST] - d_ms)
        return out

    def deliver(self, kernel, reg_src, reg_stamp, reg_mult, reg_off=None) -> None:
        """Send spikes (node indices, stamps, multiplicities, offsets) through the store's synapses.

        Spikes with an offset reach precise targets as events with that offset (NEST keeps it);
        the kernels then run on one thread, as the event list is shared.
        """
        k = kernel
        n_reg = len(reg_src)
        tps, mpt = k.tics_per_step, k.ms_per_tic
        threads = k.threads
        # No precise target: an empty event list (a one-element mask that _send never reads).
        offsets = reg_off if reg_off is not None and len(reg_off) == n_reg else np.zeros(n_reg)
        self._events = _NO_EVENTS[:6] + (offsets,)
        precise = k.precise
        to_events = False
        # A continuous delay gives every spike an offset (its own plus the synapse's).
        own_off = self.model.family == CONT_DELAY and bool(np.any(self.cols["delay_offset"] != 0.0))
        if own_off and reg_off is None:
            reg_off = offsets
        shifted = reg_off is not None and (own_off or np.any(reg_off != 0.0))
        if precise is not None and shifted and n_reg and precise.mask.any():
            lengths = self.indptr[reg_src + 1] - self.indptr[reg_src]
            cap = int(lengths[(reg_off != 0.0) | own_off].sum()) + 1
            self._events = (precise.mask, np.zeros(cap, dtype=np.int64), np.zeros(cap, dtype=np.int64),
                            np.zeros(cap), np.zeros(cap), np.zeros(1, dtype=np.int64), reg_off)  # fmt: skip
            to_events = True
            threads = 1
        splits = self.row_splits(threads)
        self._deliver_kernels(k, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)
        if to_events:
            _, node, stamp, off, w, n, _ = self._events
            m = int(n[0])
            if m:
                precise.add(node[:m], stamp[:m], off[:m], w[:m])

    def _deliver_kernels(self, k, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
        if getattr(self.model, "deliver_store", None) is not None:
            # Rules kept in their own modules (plasticity_voltage.py) deliver by themselves.
            self.model.deliver_store(self, k, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)
        elif self.model.family == STATIC:
            _deliver_static(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target, self.weight,
                            self.delay, self.out(k), k.slots)  # fmt: skip
        elif self.model.family == STDP:
            a = k.archive
            _deliver_stdp(threads, self.model.rule, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target,
                          self.weight, self.delay, self.cols[T_LAST], self.cols.get("Kplus", _NONE),
                          self.param("tau_plus"), self.param("lambda"), self.param("alpha"),
                          self.param("mu_plus"), self.param("mu_minus"), self.param("Wmax"),
                          self.param("beta") if self.model.rule == 4 else _NONE,
                          a.t, a.k, a.length, a.tau_minus_inv, STDP_EPS, tps, mpt,
                          self.out(k), k.slots)  # fmt: skip
        elif self.model.family == TRIPLET:
            a = k.archive
            _deliver_triplet(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target,
                             self.weight, self.delay, self.cols[T_LAST], self.cols["Kplus"], self.cols["Kplus_triplet"],
                             self.param("tau_plus"), self.param("tau_plus_triplet"), self.param("Aplus"),
                             self.param("Aminus"), self.param("Aplus_triplet"), self.param("Aminus_triplet"),
                             self.param("Wmax"), a.t, a.k, a.k3, a.length, a.tau_minus_inv, STDP_EPS, tps, mpt,
                             self.out(k), k.slots)  # fmt: skip
        elif self.model.family == VOGELS:
            a = k.archive
            _deliver_vogels(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target,
                            self.weight, self.delay, self.cols[T_LAST], self.cols["Kplus"], self.param("tau"),
                            self.param("eta"), self.param("alpha"), self.param("Wmax"), a.t, a.k, a.length,
                            a.tau_minus_inv, STDP_EPS, tps, mpt, self.out(k), k.slots)  # fmt: skip
        elif self.model.family == STDP_PL:
            a = k.archive
            _deliver_stdp_pl(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target,
                             self.weight, self.delay, self.cols[T_LAST], self.cols["Kplus"],
                             self.param("tau_plus"), self.param("lambda"), self.param("alpha"), self.param("mu"),
                             a.t, a.k, a.length, a.tau_minus_inv, STDP_EPS, tps, mpt,
                             self.out(k), k.slots)  # fmt: skip
        elif self.model.family == TSODYKS:
            _deliver_tsodyks(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target,
                             self.weight, self.delay, self.cols[T_LAST], self.param("U"), self.param("tau_rec"),
                             self.param("tau_fac"), self.param("tau_psc"), self.cols["u"], self.cols["x"],
                             self.cols["y"], tps, mpt, self.out(k), k.slots)  # fmt: skip
        elif self.model.family == DOPAMINE:
            self._dopamine(k, reg_src, reg_stamp, reg_mult, None, threads)
        elif self.model.family == FACETSHW:
            self._facetshw(k, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)
        elif self.model.family == CONT_DELAY:
            _deliver_cont_delay(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target, self.weight,
                                self.delay, self.cols["delay_offset"], float(tps) * mpt, self.out(k),
                                k.slots)  # fmt: skip
        elif self.model.family == HT:
            _deliver_ht(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target, self.weight,
                        self.delay, self.cols[T_LAST], self.cols["P"], self.param("delta_P"), self.param("tau_P"),
                        tps, mpt, self.out(k), k.slots)  # fmt: skip
        elif self.model.family in (BERNOULLI, QUANTAL):
            if self.keys is None or len(self.keys) != self.nnz:
                self.keys = rng.stream_keys(np.uint64(k.rng_seed), np.uint64(rng.PURPOSE_SYNAPSE),
                                            np.arange(self.nnz, dtype=np.uint64))  # fmt: skip
            if self.model.family == BERNOULLI:
                _deliver_bernoulli(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target, self.weight,
                                   self.delay, self.param("p_transmit"), self.keys, self.out(k), k.slots,
                                   )  # fmt: skip
            else:
                _deliver_quantal(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target, self.weight,
                                 self.delay, self.cols[T_LAST], self.param("U"), self.param("tau_rec"),
                                 self.param("tau_fac"), self.cols["u"], self.cols["a"], self.cols["n"], self.keys,
                                 tps, mpt, self.out(k), k.slots)  # fmt: skip
        elif self.model.family == TSODYKS2:
            _deliver_tsodyks2(threads, reg_src, reg_stamp, reg_mult, n_reg, splits, self.target,
                              self.weight, self.delay, self.cols[T_LAST], self.param("U"), self.param("tau_rec"),
                              self.param("tau_fac"), self.cols["u"], self.cols["x"], tps, mpt,
                              self.out(k), k.slots)  # fmt: skip

    def _facetshw(self, k, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
        """FACETS hardware STDP: one thread, as synapses are numbered in the order they first
        pass a spike; the model's counters (common properties) are updated here."""
        d = self.model.defaults
        a = k.archive
        counters = np.array([float(d["no_synapses"]), float(d["readout_cycle_duration"])])
        table = np.stack([np.asarray(d[f"lookuptable_{i}"], dtype=np.int64) for i in range(3)])
        bits = np.stack([np.asarray(d[f"configbit_{i}"], dtype=np.float64) for i in range(2)])
        c = self.cols
        fresh = c["init_flag"] == 0.0 if n_reg else None
        _deliver_facetshw(1, reg_src, reg_stamp, reg_mult, n_reg, self.row_splits(1), self.target, self.weight,
                          self.delay, c[T_LAST], c["a_causal"], c["a_acausal"], c["a_thresh_th"], c["a_thresh_tl"],
                          c["init_flag"], c["synapse_id"], c["next_readout_time"], counters,
                          float(d["synapses_per_driver"]), float(d["driver_readout_time"]),
                          float(d["weight_per_lut_entry"]), float(d["tau_plus"]), float(d["tau_minus_stdp"]), table,
                          bits, np.asarray(d["reset_pattern"], dtype=np.float64), a.t, a.length, STDP_EPS, tps, mpt,
                          self.out(k), k.slots)  # fmt: skip
        if n_reg:
            d["no_synapses"] = int(counters[0])
            d["readout_cycle_duration"] = float(counters[1])
            # NEST reports each synapse as it is numbered, on standard output.
            new = np.flatnonzero(fresh & (c["init_flag"] != 0.0))
            for i in np.sort(c["synapse_id"][new], kind="stable").astype(np.int64):
                first = int(i / d["synapses_per_driver"]) * d["driver_readout_time"]
                print(f"init synapse {i} - first readout time: {first:g}")

    def delay_bounds(self) -> tuple[int, int]:
        """The smallest and largest delay in steps (what min_delay and max_delay see)."""
        return int(self.delay.min()), int(self.delay.max())

    def _dopamine(self, k, reg_src, reg_stamp, reg_mult, t_trig, threads=1) -> None:
        """Pre spikes through the synapses (``t_trig`` None), or the volume transmitter's update."""
        vt = self.model.volume_transmitter_id()
        group, i = k.group_of(vt)
        times, mults = group.aux["dopa"][i] if "dopa" in group.aux else (np.zeros(1), np.zeros(1))
        a = k.archive
        p = self.param
        args = (self.target, self.weight, self.delay, self.cols[T_LAST], self.cols["Kplus"], self.cols["c"],
                self.cols["n"], self.cols["dopa_idx"], p("A_plus"), p("A_minus"), p("tau_plus"), p("tau_c"),
                p("tau_n"), p("b"), p("Wmin"), p("Wmax"), times, mults, a.t, a.k, a.length, a.tau_minus_inv,
                STDP_EPS, k.tics_per_step, k.ms_per_tic)  # fmt: skip
        if t_trig is None:
            _deliver_dopamine(threads, reg_src, reg_stamp, reg_mult, len(reg_src), self.row_splits(threads),
                              *args, self.out(k), k.slots)  # fmt: skip
        else:
            _trigger_dopamine(self.indptr, self.n_nodes, t_trig, *args)


def store_name(model) -> str:
    """The store of a model's connections: its own name, or for a static model (whose
    connections to receptor ports are the only ones kept in a store) a name apart."""
    return model.name if model.plastic else f"{model.name} (receptors)"


def receptor_buffers(kernel, rbuf: np.ndarray, ridx: np.ndarray):
    """Ring buffers for the receptor ports of the nodes that have them, kept across preparations.

    A model with ports says how many each node has (``receptor_ports(group)``); the buffer
    has a row per such node and a plane per port, ``slots`` long like ``kernel.buf``.
    """
    ports, rows = 0, []
    release = np.zeros(max(kernel.n_nodes, 1), dtype=bool)
    for g in kernel.groups:
        count = getattr(g.model, "receptor_ports", None)
        if count is not None:
            ports = max(ports, int(np.max(count(g), initial=0)))
            rows.append(np.arange(g.offset, g.offset + g.n))
        if getattr(g.model, "release_port", False):
            release[g.offset : g.offset + g.n] = True
    if not rows or ports == 0:
        index = np.zeros(max(kernel.n_nodes, 1), dtype=np.int64)
        index[release] = RELEASE_PORT
        return np.zeros((1, 1, 1)), index
    nodes = np.concatenate(rows)
    index = np.full(kernel.n_nodes, -1, dtype=np.int64)
    index[nodes] = np.arange(len(nodes))
    index[release[: kernel.n_nodes]] = RELEASE_PORT
    shape = (ports, kernel.slots, len(nodes))
    if rbuf.shape == shape and np.array_equal(index, ridx):
        return rbuf, ridx
    fresh = np.zeros(shape)
    if rbuf.shape[1] == kernel.slots and len(ridx) <= len(index):
        # Keep what is in flight for the nodes that had ports before.
        old = np.flatnonzero(ridx[: len(ridx)] >= 0) if len(ridx) == kernel.n_nodes else np.zeros(0, dtype=np.int64)
        if len(old):
            k = min(rbuf.shape[0], ports)
            fresh[:k, :, index[old]] = rbuf[:k, :, ridx[old]]
    return fresh, index


def trigger_dopamine(kernel, vt_gid: int, times, mults, t_trig: float) -> None:
    """A volume transmitter hands its dopamine spikes to the synapses that name it."""
    for store in kernel.plastic_stores.values():
        if store.model.family == DOPAMINE and store.model.volume_transmitter_id() == vt_gid:
            group, i = kernel.group_of(vt_gid)
            group.aux["dopa"][i] = (times, mults)
            store._dopamine(kernel, None, None, None, t_trig)


class SpikeArchive:
    """Recent spike times of every node with the postsynaptic trace after each (NEST's
    archiving node), for the spike-timing rules."""

    def __init__(self, n_nodes: int, cap: int = 16):
        self.t = np.zeros((n_nodes, cap))
        self.k = np.zeros((n_nodes, cap))
        self.k3 = np.zeros((n_nodes, cap))
        self.length = np.zeros(n_nodes, dtype=np.int64)
        self.kminus = np.zeros(n_nodes)
        self.kminus3 = np.zeros(n_nodes)
        self.last = np.full(n_nodes, -1.0)
        self.tau_minus_inv = np.full(n_nodes, 1.0 / 20.0)
        self.tau_minus3_inv = np.full(n_nodes, 1.0 / 110.0)
        self.longest = 0

    def resize(self, n_nodes: int) -> None:
        """Room for nodes created since (their history starts empty)."""
        old = len(self.length)
        if n_nodes == old:
            return
        cap = self.t.shape[1]
        for name, fill in (("t", 0.0), ("k", 0.0), ("k3", 0.0)):
            arr = np.full((n_nodes, cap), fill)
            arr[:old] = getattr(self, name)
            setattr(self, name, arr)
        for name, fill, dtype in (
            ("length", 0, np.int64),
            ("kminus", 0.0, float),
            ("kminus3", 0.0, float),
            ("last", -1.0, float),
            ("tau_minus_inv", 1.0 / 20.0, float),
            ("tau_minus3_inv", 1.0 / 110.0, float),
        ):
            arr = np.full(n_nodes, fill, dtype=dtype)
            arr[:old] = getattr(self, name)
            setattr(self, name, arr)

    def add(self, kernel, n_reg: int, room: int) -> None:
        """Archive the slice's spikes, first making room for ``room`` more per node (and the extra
        copies of spikes with a multiplicity: NEST archives a parrot's spike once per copy)."""
        if n_reg:
            room += max(0, int(kernel.reg_mult[:n_reg].sum() + 0.5) - n_reg)
        if self.longest + room > self.t.shape[1]:
            self._make_room(kernel, room)
        time_off = getattr(self, "time_off", None)
        if time_off is None or len(time_off) != kernel.n_nodes:
            # 1 where a spike's offset is a time before the step's end (precise models), 0 where
            # it carries something else (iaf_tum_2000's release, iaf_bw_2001's NMDA jump): NEST
            # archives those at the step's time.
            time_off = np.ones(max(kernel.n_nodes, 1))
            for g in kernel.groups:
                if not getattr(g.model, "offsets_are_times", True):
                    time_off[g.offset : g.offset + g.n] = 0.0
            self.time_off = time_off
        self.longest = _archive_spikes(kernel.reg_src, kernel.reg_stamp, kernel.reg_off, time_off, kernel.reg_mult,
                                       n_reg, self.t,
                                       self.k, self.k3,
                                       self.length, self.kminus, self.kminus3, self.last, self.tau_minus_inv,
                                       self.tau_minus3_inv, kernel.tics_per_step, kernel.ms_per_tic,
                                       self.longest)  # fmt: skip

    def _make_room(self, kernel, room: int) -> None:
        n = len(self.length)
        keep_after = np.full(n, np.inf)
        for store in kernel.plastic_stores.values():
            keep_after = np.minimum(keep_after, store.keep_after(n, kernel.tics_per_step, kernel.ms_per_tic))
        self.longest = _prune(self.t, self.k, self.k3, self.length, keep_after - STDP_EPS)
        cap = self.t.shape[1]
        if self.longest + room > cap:
            new_cap = max(2 * cap, self.longest + room)
            for name in ("t", "k", "k3"):
                arr = np.zeros((n, new_cap))
                arr[:, :cap] = getattr(self, name)
                setattr(self, name, arr)


@njit(cache=True)
def _archive_spikes(reg_src, reg_stamp, reg_off, time_off, reg_mult, n_reg, t, k, k3, length, kminus, kminus3,
                    last, tau_minus_inv, tau3_inv, tps, mpt, longest):  # fmt: skip
    # ``longest``: the longest history before these spikes; only the nodes that spike can grow it.
    for r in range(n_reg):
        s = reg_src[r]
        # A precise spike is archived at its time (NEST); the synapses' own spikes count by stamp.
        ts = float(reg_stamp[r] * tps) * mpt - reg_off[r] * time_off[s]
        for _ in range(max(1, int(reg_mult[r] + 0.5))):
            km = kminus[s] * math.exp((last[s] - ts) * tau_minus_inv[s]) + 1.0
            km3 = kminus3[s] * math.exp((last[s] - ts) * tau3_inv[s]) + 1.0
            kminus[s] = km
            kminus3[s] = km3
            last[s] = ts
            j = length[s]
            t[s, j] = ts
            k[s, j] = km
            k3[s, j] = km3
            length[s] = j + 1
            if j + 1 > longest:
                longest = j + 1
    return longest


@njit(cache=True)
def _prune(t, k, k3, length, keep_after):
    longest = 0
    for s in range(length.shape[0]):
        n = length[s]
        # Keep the latest entry before keep_after (its trace is still read) and all after.
        first = 0
        while first + 1 < n and t[s, first + 1] < keep_after[s]:
            first += 1
        if first > 0:
            for j in range(first, n):
                t[s, j - first] = t[s, j]
                k[s, j - first] = k[s, j]
                k3[s, j - first] = k3[s, j]
            n -= first
            length[s] = n
        if n > longest:
            longest = n
    return longest


# ``ridx`` of a node whose port 1 scales each spike by its offset (iaf_tum_2000), not a buffer row.
RELEASE_PORT = -2


@njit(inline="always", cache=True)
def _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, off, arrive, j, slot, tg, w,
          mult):  # fmt: skip
    """Add synapse j's event to its target's buffer: a receptor port's own one, the
    excitatory or inhibitory one by the sign of the weight, or a parrot's spike count; a spike
    with an offset reaches a precise target as an event keeping the offset."""
    p = port[j] if port.shape[0] > 1 else port[0]
    if off != 0.0 and p == 0 and pmask.shape[0] > 1 and pmask[tg]:
        e = ev_n[0]
        ev_node[e] = tg
        ev_stamp[e] = arrive
        ev_off[e] = off
        ev_w[e] = mult if counts[tg] else w
        ev_n[0] = e + 1
        return
    if p > 0:
        q = ridx[tg]
        if q <= RELEASE_PORT:
            # iaf_tum_2000's port 1: the weight times the release its sender's spike carries
            # as its offset, into the excitatory or inhibitory current by sign (NEST 3.10).
            wr = w * off
            if wr >= 0.0:
                buf[0, slot, tg] += wr
            else:
                buf[1, slot, tg] += wr
        else:
            rbuf[p - 1, slot, q] += w
    elif counts[tg]:
        # A parrot counts spikes: it gets the multiplicity, whatever the weight.
        buf[0, slot, tg] += mult
    elif w >= 0.0:
        buf[0, slot, tg] += w
    else:
        buf[1, slot, tg] += w


@njit(inline="always", cache=True)
def _at(a, j):
    return a[j] if a.shape[0] > 1 else a[0]


@threaded_kernel
def _deliver_stdp(n_threads, rule, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last,
                  kplus, tau_plus, lam, alpha, mu_plus, mu_minus, wmax, beta, arch_t, arch_k, arch_len,
                  tau_minus_inv, eps, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    # rule: 0 all-to-all pairing (stdp_synapse), 1 symmetric nearest-neighbour, 2 presynaptic-centred,
    # 3 restricted symmetric nearest-neighbour, 4 all-to-all with jonke_synapse's exponential weight
    # dependence and offset beta (lambda 0 leaves the weight as it is, beyond Wmax too).
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                d_ms = float(delay[j] * tps) * mpt
                t_prev = t_last[j]
                t1 = t_prev - d_ms
                t2 = t_spike - d_ms
                w = weight[j]
                kp = kplus[j] if rule == 0 or rule == 2 or rule == 4 else 1.0
                tp = _at(tau_plus, j)
                W = _at(wmax, j)
                la = _at(lam, j)
                n = arch_len[tg]
                # Potentiation by the postsynaptic spikes since the last presynaptic one.
                for e in range(n):
                    te = arch_t[tg, e]
                    if te < t1 + eps:
                        continue
                    if te >= t2 + eps:
                        break
                    kp_e = kp * math.exp((t_prev - (te + d_ms)) / tp)
                    if rule == 4:
                        if la != 0.0:
                            w = min(w + la * (math.exp(_at(mu_plus, j) * w) * kp_e - beta[0]), W)
                        continue
                    nw = w / W + la * (1.0 - w / W) ** _at(mu_plus, j) * kp_e
                    w = nw * W if nw < 1.0 else W
                    if rule == 2:
                        kp = 0.0  # the presynaptic spikes so far are paired with this post spike only
                    elif rule == 3:
                        break  # only the first post spike after the last pre spike
                # Depression by the postsynaptic trace just before this spike arrives.
                if rule == 0 or rule == 4:
                    km = _trace_before(arch_t, arch_k, n, tg, t2, tau_minus_inv, eps)
                else:
                    km = _nearest_before(arch_t, n, tg, t2, t1 if rule == 3 else -np.inf, tau_minus_inv, eps)
                if rule == 4:
                    if la != 0.0:
                        w = max(w + la * (-_at(alpha, j) * math.exp(_at(mu_minus, j) * w) * km - beta[0]), 0.0)
                else:
                    nw = w / W - _at(alpha, j) * la * (w / W) ** _at(mu_minus, j) * km
                    w = nw * W if nw > 0.0 else 0.0
                weight[j] = w
                if rule == 0 or rule == 2 or rule == 4:
                    kplus[j] = kp * math.exp((t_prev - t_spike) / tp) + 1.0
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    tg,
                    w * mult,
                    mult,
                )


@threaded_kernel
def _deliver_tsodyks2(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, U,
                      tau_rec, tau_fac, u, x, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                xj = x[j]
                uj = u[j]
                # The first spike finds x and u as set (NEST: no spike before it to relax from).
                if t_last[j] > 0.0:
                    h = t_spike - t_last[j]
                    x_decay = math.exp(-h / _at(tau_rec, j))
                    tf = _at(tau_fac, j)
                    u_decay = 0.0 if tf < 1.0e-10 else math.exp(-h / tf)
                    uu = _at(U, j)
                    # Resources recover from what the previous spike left; use relaxes to U.
                    xj = 1.0 + (xj - xj * uj - 1.0) * x_decay
                    uj = uu + uj * (1.0 - uu) * u_decay
                    x[j] = xj
                    u[j] = uj
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    target[j],
                    xj * uj * weight[j] * mult,
                    mult,
                )


@njit(inline="always", cache=True)
def _trace_before(arch_t, arch_k, n, tg, t, tau_minus_inv, eps):
    """The postsynaptic trace K_minus just before ``t``: decayed from the last spike earlier than ``t``."""
    for e in range(n - 1, -1, -1):
        te = arch_t[tg, e]
        if t - te > eps:
            return arch_k[tg, e] * math.exp((te - t) * tau_minus_inv[tg])
    return 0.0


@njit(inline="always", cache=True)
def _nearest_before(arch_t, n, tg, t, after, tau_minus_inv, eps):
    """exp(-(t - t_post) / tau_minus) for the last post spike before ``t``, if it came after ``after``."""
    for e in range(n - 1, -1, -1):
        te = arch_t[tg, e]
        if t - te > eps:
            if te < after + eps:
                return 0.0
            return math.exp((te - t) * tau_minus_inv[tg])
    return 0.0


@threaded_kernel
def _deliver_triplet(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, kplus,
                     kplus3, tau_plus, tau_plus3, a_plus, a_minus, a_plus3, a_minus3, wmax, arch_t, arch_k, arch_k3,
                     arch_len, tau_minus_inv, eps, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                d_ms = float(delay[j] * tps) * mpt
                t_prev = t_last[j]
                t1 = t_prev - d_ms
                t2 = t_spike - d_ms
                w = weight[j]
                kp = kplus[j]
                W = _at(wmax, j)
                n = arch_len[tg]
                for e in range(n):
                    te = arch_t[tg, e]
                    if te < t1 + eps:
                        continue
                    if te >= t2 + eps:
                        break
                    # The post triplet trace just before this post spike, the pre trace at it.
                    ky = arch_k3[tg, e] - 1.0
                    kk = kp * math.exp((t_prev - (te + d_ms)) / _at(tau_plus, j))
                    w = w + kk * (_at(a_plus, j) + _at(a_plus3, j) * ky)
                    if w > W:
                        w = W
                kx = kplus3[j] * math.exp((t_prev - t_spike) / _at(tau_plus3, j))
                km = _trace_before(arch_t, arch_k, n, tg, t2, tau_minus_inv, eps)
                w = w - km * (_at(a_minus, j) + _at(a_minus3, j) * kx)
                if w < 0.0:
                    w = 0.0
                weight[j] = w
                kplus3[j] = kx + 1.0
                kplus[j] = kp * math.exp((t_prev - t_spike) / _at(tau_plus, j)) + 1.0
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    tg,
                    w * mult,
                    mult,
                )


@threaded_kernel
def _deliver_vogels(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, kplus,
                    tau, eta, alpha, wmax, arch_t, arch_k, arch_len, tau_minus_inv, eps, tps, mpt, out, slots,
                    ):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                d_ms = float(delay[j] * tps) * mpt
                t_prev = t_last[j]
                t1 = t_prev - d_ms
                t2 = t_spike - d_ms
                w = weight[j]
                kp = kplus[j]
                W = _at(wmax, j)
                et = _at(eta, j)
                tu = _at(tau, j)
                n = arch_len[tg]
                # Magnitudes change; the sign is Wmax's (inhibitory synapses have negative weights).
                for e in range(n):
                    te = arch_t[tg, e]
                    if te < t1 + eps:
                        continue
                    if te >= t2 + eps:
                        break
                    nw = abs(w) + et * kp * math.exp((t_prev - (te + d_ms)) / tu)
                    w = math.copysign(nw if nw < abs(W) else W, W)
                nw = abs(w) + et * _trace_before(arch_t, arch_k, n, tg, t2, tau_minus_inv, eps)
                w = math.copysign(nw if nw < abs(W) else W, W)
                nw = abs(w) - _at(alpha, j) * et
                w = math.copysign(nw if nw > 0.0 else 0.0, W)
                weight[j] = w
                kplus[j] = kp * math.exp((t_prev - t_spike) / tu) + 1.0
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    tg,
                    w * mult,
                    mult,
                )


@threaded_kernel
def _deliver_stdp_pl(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, kplus,
                     tau_plus, lam, alpha, mu, arch_t, arch_k, arch_len, tau_minus_inv, eps, tps, mpt,
                     out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    tp_inv = 1.0 / tau_plus[0]
    la = lam[0]
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                d_ms = float(delay[j] * tps) * mpt
                t_prev = t_last[j]
                t1 = t_prev - d_ms
                t2 = t_spike - d_ms
                w = weight[j]
                kp = kplus[j]
                n = arch_len[tg]
                for e in range(n):
                    te = arch_t[tg, e]
                    if te < t1 + eps:
                        continue
                    if te >= t2 + eps:
                        break
                    w = w + la * w ** mu[0] * kp * math.exp((t_prev - (te + d_ms)) * tp_inv)
                w = w - la * alpha[0] * w * _trace_before(arch_t, arch_k, n, tg, t2, tau_minus_inv, eps)
                if w < 0.0:
                    w = 0.0
                weight[j] = w
                kplus[j] = kp * math.exp((t_prev - t_spike) * tp_inv) + 1.0
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    tg,
                    w * mult,
                    mult,
                )


@threaded_kernel
def _deliver_tsodyks(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, U,
                     tau_rec, tau_fac, tau_psc, u, x, y, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                h = t_spike - t_last[j]
                tf = _at(tau_fac, j)
                tr = _at(tau_rec, j)
                ts = _at(tau_psc, j)
                p_uu = 0.0 if tf == 0.0 else math.exp(-h / tf)
                p_yy = math.exp(-h / ts)
                p_zz = math.exp(-h / tr)
                # Active resources return to the recovered pool through the inactive one.
                p_xy = ((p_zz - 1.0) * tr - (p_yy - 1.0) * ts) / (ts - tr)
                p_xz = 1.0 - p_zz
                z = 1.0 - x[j] - y[j]
                uj = u[j] * p_uu
                xj = x[j] + p_xy * y[j] + p_xz * z
                yj = y[j] * p_yy
                uu = _at(U, j)
                uj += uu * (1.0 - uj)
                used = uj * xj
                x[j] = xj - used
                y[j] = yj + used
                u[j] = uj
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    target[j],
                    used * weight[j] * mult,
                    mult,
                )


@threaded_kernel
def _deliver_static(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, out, slots,
                    ):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            mult = reg_mult[r]
            for j in range(splits[s, th], splits[s, th + 1]):
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    reg_stamp[r] + delay[j],
                    j,
                    (reg_stamp[r] + delay[j] - 1) % slots,
                    target[j],
                    weight[j] * mult,
                    mult,
                )


@threaded_kernel
def _deliver_ht(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, P, delta_P,
                tau_P, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                # Recover towards 1 since the last spike, send, then deplete.
                p = 1.0 - (1.0 - P[j]) * math.exp(-(t_spike - t_last[j]) / _at(tau_P, j))
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    target[j],
                    p * weight[j] * mult,
                    mult,
                )
                P[j] = p * (1.0 - _at(delta_P, j))
                t_last[j] = t_spike


@threaded_kernel
def _deliver_bernoulli(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, p_transmit,
                       keys, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            m = int(reg_mult[r] + 0.5)
            for j in range(splits[s, th], splits[s, th + 1]):
                # Each of the spike's m copies passes on its own.
                key = rng.counter_key(keys[j], stamp)
                p = _at(p_transmit, j)
                k = 0
                for i in range(m):
                    if rng.uniform(key, i) < p:
                        k += 1
                if k > 0:
                    _send(
                        buf,
                        rbuf,
                        ridx,
                        port,
                        counts,
                        pmask,
                        ev_node,
                        ev_stamp,
                        ev_off,
                        ev_w,
                        ev_n,
                        reg_off[r],
                        stamp + delay[j],
                        j,
                        (stamp + delay[j] - 1) % slots,
                        target[j],
                        weight[j] * k,
                        float(k),
                    )


@threaded_kernel
def _deliver_quantal(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, U,
                     tau_rec, tau_fac, u, a, n, keys, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                h = t_spike - t_last[j]
                p_decay = math.exp(-h / _at(tau_rec, j))
                uj = u[j]
                # As in tsodyks2_synapse, the first spike finds u as set.
                if t_last[j] > 0.0:
                    tf = _at(tau_fac, j)
                    u_decay = 0.0 if tf < 1.0e-10 else math.exp(-h / tf)
                    uu = _at(U, j)
                    uj = uu + uj * (1.0 - uu) * u_decay
                    u[j] = uj
                key = rng.counter_key(keys[j], stamp)
                draw = 0
                ready = int(a[j] + 0.5)
                # Depleted sites recover independently, then every ready site releases with use u.
                for _ in range(int(n[j] + 0.5) - ready):
                    if rng.uniform(key, draw) < 1.0 - p_decay:
                        ready += 1
                    draw += 1
                released = 0
                for _ in range(ready):
                    if rng.uniform(key, draw) < uj:
                        released += 1
                    draw += 1
                if released > 0:
                    _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off[r], stamp + delay[j], j, (stamp + delay[j] - 1) % slots, target[j], weight[j] * released, float(released))  # fmt: skip
                a[j] = float(ready - released)
                t_last[j] = t_spike


@njit(inline="always", cache=True)
def _dopa_weight(w, c0, n0, minus_dt, tau_c, tau_n, b, w_min, w_max):
    # dw/dt = c (n - b) with c and n decaying from c0, n0: the exact integral over -minus_dt.
    taus = (tau_c + tau_n) / (tau_c * tau_n)
    w = w - c0 * (n0 / taus * math.expm1(taus * minus_dt) - b * tau_c * math.expm1(minus_dt / tau_c))
    if w < w_min:
        return w_min
    if w > w_max:
        return w_max
    return w


@njit(cache=True)
def _dopa_advance(j, t0, t1, weight, c, n, idx, times, mults, tau_c, tau_n, b, w_min, w_max):
    """Weight, eligibility c and dopamine n of synapse j from t0 to t1, through the dopamine
    spikes in (t0, t1]; n is kept at the time of the last dopamine spike passed."""
    k = int(idx[j])
    w = weight[j]
    if times.shape[0] > k + 1 and times[k + 1] <= t1:
        n0 = n[j] * math.exp((times[k] - t0) / tau_n)
        w = _dopa_weight(w, c[j], n0, t0 - times[k + 1], tau_c, tau_n, b, w_min, w_max)
        n[j] = n[j] * math.exp((times[k] - times[k + 1]) / tau_n) + mults[k + 1] / tau_n
        k += 1
        while times.shape[0] > k + 1 and times[k + 1] <= t1:
            cd = c[j] * math.exp((t0 - times[k]) / tau_c)
            w = _dopa_weight(w, cd, n[j], times[k] - times[k + 1], tau_c, tau_n, b, w_min, w_max)
            n[j] = n[j] * math.exp((times[k] - times[k + 1]) / tau_n) + mults[k + 1] / tau_n
            k += 1
        cd = c[j] * math.exp((t0 - times[k]) / tau_c)
        w = _dopa_weight(w, cd, n[j], times[k] - t1, tau_c, tau_n, b, w_min, w_max)
    else:
        n0 = n[j] * math.exp((times[k] - t0) / tau_n)
        w = _dopa_weight(w, c[j], n0, t0 - t1, tau_c, tau_n, b, w_min, w_max)
    weight[j] = w
    idx[j] = k
    c[j] = c[j] * math.exp((t0 - t1) / tau_c)


@njit(cache=True)
def _dopa_pairs(j, tg, t_until, d_ms, t_last, weight, kplus, c, n, idx, a_plus, tau_plus, tau_c, tau_n, b, w_min,
                w_max, times, mults, arch_t, arch_len, eps, skip_coincident, t_spike):  # fmt: skip
    """Advance synapse j through the post spikes in (t_last - d, t_until - d], each raising c."""
    t0 = t_last[j]
    lo = t0 - d_ms
    hi = t_until - d_ms
    for e in range(arch_len[tg]):
        te = arch_t[tg, e]
        if te < lo + eps:
            continue
        if te >= hi + eps:
            break
        _dopa_advance(j, t0, te + d_ms, weight, c, n, idx, times, mults, tau_c, tau_n, b, w_min, w_max)
        t0 = te + d_ms
        # A post spike at the same time as the pre spike does not potentiate.
        if not skip_coincident or t_spike - te > eps:
            c[j] += a_plus * kplus[j] * math.exp((t_last[j] - t0) / tau_plus)
    return t0


@threaded_kernel
def _deliver_dopamine(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last, kplus,
                      c, n, idx, a_plus, a_minus, tau_plus, tau_c, tau_n, b, w_min, w_max, times, mults, arch_t,
                      arch_k, arch_len, tau_minus_inv, eps, tps, mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    tp, tc, tn, bb, lo_w, hi_w = tau_plus[0], tau_c[0], tau_n[0], b[0], w_min[0], w_max[0]
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                d_ms = float(delay[j] * tps) * mpt
                t0 = _dopa_pairs(j, tg, t_spike, d_ms, t_last, weight, kplus, c, n, idx, a_plus[0], tp, tc, tn, bb,
                                 lo_w, hi_w, times, mults, arch_t, arch_len, eps, True, t_spike)  # fmt: skip
                _dopa_advance(j, t0, t_spike, weight, c, n, idx, times, mults, tc, tn, bb, lo_w, hi_w)
                c[j] -= a_minus[0] * _trace_before(arch_t, arch_k, arch_len[tg], tg, t_spike - d_ms, tau_minus_inv,
                                                   eps)  # fmt: skip
                kplus[j] = kplus[j] * math.exp((t_last[j] - t_spike) / tp) + 1.0
                t_last[j] = t_spike
                _send(
                    buf,
                    rbuf,
                    ridx,
                    port,
                    counts,
                    pmask,
                    ev_node,
                    ev_stamp,
                    ev_off,
                    ev_w,
                    ev_n,
                    reg_off[r],
                    stamp + delay[j],
                    j,
                    (stamp + delay[j] - 1) % slots,
                    tg,
                    weight[j] * mult,
                    mult,
                )


@njit(cache=True)
def _trigger_dopamine(indptr, n_nodes, t_trig, target, weight, delay, t_last, kplus, c, n, idx, a_plus, a_minus,
                      tau_plus, tau_c, tau_n, b, w_min, w_max, times, mults, arch_t, arch_k, arch_len, tau_minus_inv,
                      eps, tps, mpt):  # fmt: skip
    tp, tc, tn, bb, lo_w, hi_w = tau_plus[0], tau_c[0], tau_n[0], b[0], w_min[0], w_max[0]
    for j in range(target.shape[0]):
        tg = target[j]
        d_ms = float(delay[j] * tps) * mpt
        t0 = _dopa_pairs(j, tg, t_trig, d_ms, t_last, weight, kplus, c, n, idx, a_plus[0], tp, tc, tn, bb, lo_w, hi_w,
                         times, mults, arch_t, arch_len, eps, False, t_trig)  # fmt: skip
        _dopa_advance(j, t0, t_trig, weight, c, n, idx, times, mults, tc, tn, bb, lo_w, hi_w)
        n[j] = n[j] * math.exp((times[int(idx[j])] - t_trig) / tn)
        kplus[j] = kplus[j] * math.exp((t_last[j] - t_trig) / tp)
        t_last[j] = t_trig
        idx[j] = 0.0


@njit(inline="always", cache=True)
def _facets_eval(a_causal, a_acausal, th, tl, bits, i):
    """The hardware's evaluation bit ``i``: mean of the low threshold and the selected
    accumulators against the mean of the high threshold and the others selected."""
    lhs = (tl + bits[i, 2] * a_causal + bits[i, 1] * a_acausal) / (1.0 + bits[i, 2] + bits[i, 1])
    return lhs > (th + bits[i, 0] * a_causal + bits[i, 3] * a_acausal) / (1.0 + bits[i, 0] + bits[i, 3])


@threaded_kernel
def _deliver_facetshw(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, t_last,
                      a_causal, a_acausal, a_th, a_tl, init_flag, syn_id, next_readout, counters, per_driver,
                      driver_time, w_per_entry, tau_plus, tau_minus, table, bits, reset, arch_t, arch_len, eps, tps,
                      mpt, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            t_spike = float(stamp * tps) * mpt
            for j in range(splits[s, th], splits[s, th + 1]):
                tg = target[j]
                if init_flag[j] == 0.0:
                    # Numbered by first spike; the cycle grows by a driver every per_driver synapses.
                    syn_id[j] = counters[0]
                    counters[0] += 1.0
                    counters[1] = int((counters[0] - 1.0) / per_driver + 1.0) * driver_time
                    next_readout[j] = int(syn_id[j] / per_driver) * driver_time
                    init_flag[j] = 1.0
                if t_spike > next_readout[j]:
                    x = weight[j] / w_per_entry
                    entry = int(math.floor(x + 0.5)) if x >= 0.0 else int(math.ceil(x - 0.5))
                    e0 = _facets_eval(a_causal[j], a_acausal[j], a_th[j], a_tl[j], bits, 0)
                    e1 = _facets_eval(a_causal[j], a_acausal[j], a_th[j], a_tl[j], bits, 1)
                    lut = 0 if e0 and not e1 else (1 if e1 and not e0 else (2 if e0 and e1 else -1))
                    if lut >= 0:
                        entry = table[lut, entry]
                        if reset[2 * lut] != 0.0:
                            a_causal[j] = 0.0
                        if reset[2 * lut + 1] != 0.0:
                            a_acausal[j] = 0.0
                    while t_spike > next_readout[j]:
                        next_readout[j] += counters[1]
                    weight[j] = entry * w_per_entry
                d_ms = float(delay[j] * tps) * mpt
                t1 = t_last[j] - d_ms
                t2 = t_spike - d_ms
                # Reduced symmetric nearest-neighbour pairing: the first post spike since the last
                # pre spike charges the causal accumulator, the last one the acausal.
                first = -1
                last = -1
                for e in range(arch_len[tg]):
                    te = arch_t[tg, e]
                    if te < t1 + eps:
                        continue
                    if te >= t2 + eps:
                        break
                    if first < 0:
                        first = e
                    last = e
                if first >= 0:
                    a_causal[j] += math.exp((t_last[j] - (arch_t[tg, first] + d_ms)) / tau_plus)
                    a_acausal[j] += math.exp((arch_t[tg, last] + d_ms - t_spike) / tau_minus)
                t_last[j] = t_spike
                _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off[r],
                      stamp + delay[j], j, (stamp + delay[j] - 1) % slots, tg, weight[j] * mult, mult)  # fmt: skip


@threaded_kernel
def _deliver_cont_delay(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target, weight, delay, delay_off,
                        h, out, slots):  # fmt: skip
    # Unpacked here, outside the threads' loop: Numba must see the arrays, not a tuple.
    buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, reg_off = out
    for th in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            mult = reg_mult[r]
            for j in range(splits[s, th], splits[s, th + 1]):
                # The synapse's offset adds to the spike's; a whole step of it comes off the delay.
                off = reg_off[r] + delay_off[j]
                arrive = reg_stamp[r] + delay[j]
                if off >= h:
                    off -= h
                    arrive -= 1
                _send(buf, rbuf, ridx, port, counts, pmask, ev_node, ev_stamp, ev_off, ev_w, ev_n, off, arrive, j,
                      (arrive - 1) % slots, target[j], weight[j] * mult, mult)  # fmt: skip
