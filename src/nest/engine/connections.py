"""Connection storage: blocks as they are connected, CSR by source for delivery.

Every ``Connect`` call appends a :class:`Block` of column arrays (sources, targets,
weights, delays in steps). A column that is the same for the whole block is kept as a
scalar. Before a simulation the blocks whose connections carry spikes between nodes are
sorted into compressed rows by source (:class:`SpikeCSR`), each row sorted by target so
that threads can split delivery by target range. When a column is constant over the
whole store or over each row, it is kept once per store or once per row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from numba import njit, prange

from .jit import threaded_kernel

CONST, PER_ROW, PER_SYNAPSE = 0, 1, 2


class PerSource:
    """A column whose value depends on the source only: ``row[source - 1]``."""

    def __init__(self, row: np.ndarray):
        self.row = row

    def at(self, source: np.ndarray) -> np.ndarray:
        return self.row[source - 1]


def _column_array(col, source: np.ndarray, dtype) -> np.ndarray:
    if isinstance(col, PerSource):
        return col.at(source).astype(dtype, copy=False)
    return np.broadcast_to(np.asarray(col, dtype=dtype), source.shape)


class RepeatedIds:
    """Each of ``ids`` ``k`` times in a row: the targets of ``fixed_indegree``, kept as
    ``len(ids)`` values instead of ``len(ids) * k``."""

    def __init__(self, ids: np.ndarray, k: int):
        self.ids = ids
        self.k = k

    def __len__(self) -> int:
        return len(self.ids) * self.k

    def materialize(self) -> np.ndarray:
        return np.repeat(self.ids, self.k)


@dataclass
class Block:
    """Connections made by one call, with columns as arrays or scalars.

    ``targets`` may be a :class:`RepeatedIds`; ``target`` always reads as an array (made
    on demand, so code that only needs per-target facts should use ``target_values``).
    Once a block's connections live in the CSR alone, the kernel *releases* it: its id
    columns are dropped (``released``) and ``count`` keeps its size.
    """

    source: np.ndarray  # global ids (int32, or int64 for huge networks)
    targets: object  # global ids as an array, or RepeatedIds
    weight: object  # float, float64 array, or PerSource
    delay: object  # int (steps), int array, or PerSource
    synapse_model: str = "static_synapse"
    receptor: int = 0
    extra: dict = field(default_factory=dict)
    released: bool = False
    count: int = 0
    dmin: int = 0
    dmax: int = 0

    @property
    def target(self) -> np.ndarray:
        t = self.targets
        return t.materialize() if isinstance(t, RepeatedIds) else t

    def target_values(self, per_node: np.ndarray) -> np.ndarray:
        """``per_node[target - 1]`` for every connection, without materialising targets."""
        t = self.targets
        if isinstance(t, RepeatedIds):
            return np.repeat(per_node[t.ids - 1], t.k)
        return per_node[t - 1]

    def __post_init__(self):
        if self.source is not None:
            self.count = len(self.source)
        d = self.delay
        if isinstance(d, PerSource):
            present = np.unique(self.source) - 1
            d = d.row[present] if len(present) else np.array([1])
        if self.count:
            self.dmin, self.dmax = int(np.min(d)), int(np.max(d))

    def __len__(self) -> int:
        return self.count

    def weights(self) -> np.ndarray:
        return _column_array(self.weight, self.source, np.float64)

    def delays(self) -> np.ndarray:
        return _column_array(self.delay, self.source, np.int64)

    def select(self, mask: np.ndarray) -> Block:
        def pick(col):
            return col[mask] if isinstance(col, np.ndarray) and col.ndim else col

        return Block(
            self.source[mask],
            self.target[mask],
            pick(self.weight),
            pick(self.delay),
            self.synapse_model,
            self.receptor,
        )

    def release(self) -> None:
        """Drop the columns: the CSR holds these connections now."""
        self.source = self.targets = None
        self.weight = self.delay = None
        self.extra.pop("route", None)
        self.released = True


@njit(cache=True)
def _count_rows(counts, src):
    # np.bincount would first copy int32 ids into an int64 array as long as the block.
    for j in range(src.shape[0]):
        counts[src[j]] += 1


@njit(cache=True)
def _mark(present, ids):
    # Fancy indexing would first copy int32 ids into an int64 array as long as the block.
    for j in range(ids.shape[0]):
        present[ids[j]] = True


@njit(cache=True)
def _scatter(indptr_fill, src, tgt, out_tgt, w, out_w, d, out_d, scatter_w, scatter_d):
    # Ids arrive as global ids; rows and targets are node indices (id - 1).
    for j in range(src.shape[0]):
        s = src[j] - 1
        pos = indptr_fill[s]
        indptr_fill[s] = pos + 1
        out_tgt[pos] = tgt[j] - 1
        if scatter_w:
            out_w[pos] = w[j] if w.shape[0] > 1 else w[0]
        if scatter_d:
            out_d[pos] = d[j] if d.shape[0] > 1 else d[0]


@njit(cache=True)
def _scatter_runs(indptr_fill, src, ids, k, out_tgt, w, out_w, d, out_d, scatter_w, scatter_d):
    # As _scatter, with the target of connection j being ids[j // k].
    for j in range(src.shape[0]):
        s = src[j] - 1
        pos = indptr_fill[s]
        indptr_fill[s] = pos + 1
        out_tgt[pos] = ids[j // k] - 1
        if scatter_w:
            out_w[pos] = w[j] if w.shape[0] > 1 else w[0]
        if scatter_d:
            out_d[pos] = d[j] if d.shape[0] > 1 else d[0]


@njit(cache=True)
def _unsorted_rows(indptr, tgt):
    # A scan without temporaries: a comparison array would be as long as the CSR.
    flags = np.zeros(indptr.shape[0] - 1, dtype=np.bool_)
    for r in range(indptr.shape[0] - 1):
        for j in range(indptr[r] + 1, indptr[r + 1]):
            if tgt[j] < tgt[j - 1]:
                flags[r] = True
                break
    return np.flatnonzero(flags)


def _sort_rows(indptr, tgt, w, d, has_w, has_d) -> None:
    """Sort each row by target (stably), touching only the rows out of order.

    NumPy, not Numba: rows usually arrive sorted (a rule lists targets in order), and a
    Numba sort took seconds to compile on a first run.
    """
    if len(tgt) < 2:
        return
    rows = _unsorted_rows(indptr, tgt)
    if not rows.size:
        return
    starts, ends = indptr[rows], indptr[rows + 1]
    lengths = ends - starts
    idx = np.repeat(starts - np.cumsum(np.r_[0, lengths[:-1]]), lengths) + np.arange(lengths.sum())
    order = idx[np.lexsort((tgt[idx], np.repeat(rows, lengths)))]
    tgt[idx] = tgt[order]
    if has_w:
        w[idx] = w[order]
    if has_d:
        d[idx] = d[order]


class Column:
    """A weight or delay column kept as one value, one value per row, or one per synapse."""

    def __init__(self, mode: int, const, row: np.ndarray, full: np.ndarray):
        self.mode = mode
        self.const = const
        self.row = row
        self.full = full


def _plan_column(values, sources, n_rows: int, dtype):
    """Choose the cheapest representation of a column given per-block values.

    ``values`` are the blocks' columns (scalars, PerSource, or arrays); ``sources`` their
    global ids (row ``id - 1``). Returns None where a value per synapse is needed.
    """
    if any(not (np.ndim(v) == 0 or isinstance(v, PerSource)) for v in values):
        return None
    scalars = [v for v in values if not isinstance(v, PerSource)]
    if len(scalars) == len(values) and len({float(v) for v in scalars}) == 1:
        return Column(CONST, dtype(values[0]), np.zeros(1, dtype), np.zeros(1, dtype))
    row = np.zeros(n_rows + 1, dtype)
    seen = np.zeros(n_rows + 1, bool)
    for v, src in zip(values, sources):
        present = np.zeros(n_rows + 1, bool)
        _mark(present, src)
        vals = np.concatenate([[0], v.row]).astype(dtype) if isinstance(v, PerSource) else dtype(v)
        clash = present & seen & (row != vals)
        if clash.any():
            return None
        row[present] = vals[present] if isinstance(v, PerSource) else vals
        seen |= present
    return Column(PER_ROW, dtype(0), row[1:].copy(), np.zeros(1, dtype))


class SpikeCSR:
    """Spike-carrying connections in compressed rows by source node index (gid - 1)."""

    def __init__(self, n_nodes: int, blocks: list[Block]):
        self.n_nodes = n_nodes
        counts = np.zeros(n_nodes + 1, dtype=np.int64)
        for b in blocks:
            _count_rows(counts, b.source)
        indptr = np.cumsum(counts)
        nnz = int(indptr[-1])
        self.indptr = indptr
        # Unsigned: Numba then indexes the ring buffer without a check for negative indices
        # (20 % of the delivery loop, measured).
        # Two bytes per synapse for networks below 65536 nodes, four up to 2**31.
        tgt_dtype = np.uint16 if n_nodes <= 2**16 else np.uint32 if n_nodes < 2**31 else np.int64
        self.target = np.empty(nnz, dtype=tgt_dtype)
        self.id_dtype = np.int32 if n_nodes < 2**31 else np.int64
        srcs = [b.source for b in blocks]
        wcol = _plan_column([b.weight for b in blocks], srcs, n_nodes, np.float64)
        dcol = _plan_column([b.delay for b in blocks], srcs, n_nodes, np.int64)
        w_full = np.empty(nnz if wcol is None else 0, dtype=np.float64)
        d_full = np.empty(nnz if dcol is None else 0, dtype=np.int32)
        fill = indptr[:-1].copy()
        for b, src in zip(blocks, srcs):
            w = _scatter_values(b.weight, src, wcol is None, np.float64)
            d = _scatter_values(b.delay, src, dcol is None, np.int32)
            t = b.targets
            if isinstance(t, RepeatedIds):
                _scatter_runs(fill, src, t.ids, t.k, self.target, w, w_full, d, d_full, wcol is None, dcol is None)
            else:
                _scatter(fill, src, t, self.target, w, w_full, d, d_full, wcol is None, dcol is None)
        _sort_rows(indptr, self.target, w_full, d_full, wcol is None, dcol is None)
        self.weight = wcol or Column(PER_SYNAPSE, 0.0, np.zeros(1), w_full)
        self.delay = dcol or Column(PER_SYNAPSE, 0, np.zeros(1, np.int64), d_full)
        self._splits: dict[int, np.ndarray] = {}

    @property
    def nnz(self) -> int:
        return int(self.indptr[-1])

    def columns(self):
        """(source ids, target ids, weights, delays in steps) of every connection."""
        counts = np.diff(self.indptr)
        id_type = self.id_dtype
        source = np.repeat(np.arange(1, self.n_nodes + 1, dtype=id_type), counts)
        return source, self.target.astype(self.id_dtype) + 1, _expand(self.weight, source), _expand(self.delay, source)

    def set_values(self, key: str, pos: np.ndarray, values: np.ndarray) -> None:
        """Change weights or delays (steps) at CSR positions; the column becomes per synapse."""
        source = np.repeat(np.arange(1, self.n_nodes + 1, dtype=self.id_dtype), np.diff(self.indptr))
        col = self.weight if key == "weight" else self.delay
        full = _expand(col, source).astype(np.float64 if key == "weight" else np.int32)
        full[pos] = values
        new = Column(PER_SYNAPSE, col.const, col.row, full)
        if key == "weight":
            self.weight = new
        else:
            self.delay = new

    def to_block(self, synapse_model: str) -> Block:
        """The connections as one block, with constant and per-row columns kept compact."""
        counts = np.diff(self.indptr)
        source = np.repeat(np.arange(1, self.n_nodes + 1, dtype=self.id_dtype), counts)

        def compact(col):
            if col.mode == CONST:
                return col.const
            if col.mode == PER_ROW:
                return PerSource(col.row)
            return col.full.copy()

        return Block(source, self.target.astype(self.id_dtype) + 1, compact(self.weight), compact(self.delay),
                     synapse_model)  # fmt: skip

    def row_splits(self, n_threads: int) -> np.ndarray:
        """``[s, t]``: where thread ``t``'s targets begin in row ``s`` (``[s, n_threads]``: the row's end).

        Computed once per thread count, so delivery never searches a row for its range.
        """
        splits = self._splits.get(n_threads)
        if splits is None:
            splits = _row_splits(self.indptr, self.target, self.n_nodes, n_threads)
            self._splits = {n_threads: splits}
        return splits

    def deliver(self, reg_src, reg_stamp, reg_mult, n_reg, buf, slots, n_threads):
        w, d = self.weight, self.delay
        _deliver(n_threads, reg_src, reg_stamp, reg_mult, n_reg, self.row_splits(n_threads), self.target,
                 w.mode, w.const, w.row, w.full, d.mode, d.const, d.row, d.full,
                 buf, slots, self.n_nodes)  # fmt: skip


def _scatter_values(col, source: np.ndarray, needed: bool, dtype) -> np.ndarray:
    """What ``_scatter`` reads for a column: one value, or one per connection."""
    if not needed:
        return np.zeros(1, dtype)
    if np.ndim(col) == 0 and not isinstance(col, PerSource):
        return np.array([col], dtype)
    return np.ascontiguousarray(_column_array(col, source, dtype))


def _expand(col: Column, source: np.ndarray) -> np.ndarray:
    if col.mode == CONST:
        return np.full(source.shape, col.const)
    if col.mode == PER_ROW:
        return col.row[source - 1]
    return col.full


@njit(inline="always", cache=True)
def _lower_bound(a, lo, hi, x):
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def _row_splits(indptr, target, n_nodes, n_threads):
    splits = np.empty((n_nodes, n_threads + 1), dtype=np.int64)
    for s in range(n_nodes):
        a = indptr[s]
        b = indptr[s + 1]
        splits[s, 0] = a
        for t in range(1, n_threads):
            a = _lower_bound(target, a, b, t * n_nodes // n_threads)
            splits[s, t] = a
        splits[s, n_threads] = b
    return splits


@threaded_kernel
def _deliver(n_threads, reg_src, reg_stamp, reg_mult, n_reg, splits, target,
             w_mode, w_const, w_row, w_full, d_mode, d_const, d_row, d_full, buf, slots, n_nodes):  # fmt: skip
    # Each thread owns a contiguous range of targets, so no two threads write one
    # buffer cell and every cell receives its additions in register order: the sums
    # are bitwise the same for any number of threads.
    for t in prange(n_threads):
        for r in range(n_reg):
            s = reg_src[r]
            stamp = reg_stamp[r]
            mult = reg_mult[r]
            a = splits[s, t]
            b = splits[s, t + 1]
            if w_mode == 0:
                wr = w_const * mult
            elif w_mode == 1:
                wr = w_row[s] * mult
            else:
                wr = 0.0
            if d_mode == 0:
                dr = d_const
            elif d_mode == 1:
                dr = d_row[s]
            else:
                dr = 0
            if w_mode != 2 and d_mode != 2:
                slot = (stamp + dr - 1) % slots
                ch = 0 if wr >= 0.0 else 1
                for j in range(a, b):
                    buf[ch, slot, target[j]] += wr
            else:
                # One division per spike; per synapse the slot wraps by a subtraction
                # (a delay is shorter than the ring).
                base = (stamp - 1) % slots
                for j in range(a, b):
                    w = w_full[j] * mult if w_mode == 2 else wr
                    dd = d_full[j] if d_mode == 2 else dr
                    slot = base + dd
                    if slot >= slots:
                        slot -= slots
                    if w >= 0.0:
                        buf[0, slot, target[j]] += w
                    else:
                        buf[1, slot, target[j]] += w
