"""Spatial connection rules: masks and distance-dependent probabilities, drawn vectorised.

``Connect`` hands a specification here when it has a ``mask``, a parameter ``p`` (or ``p``
with a fixed in/out-degree), or spatial weights or delays. Drivers are processed in chunks:
for each chunk, the displacements to every pool node form one array, the mask selects
candidates, the probability parameter is evaluated once for all candidate pairs, and the
draws are made for the whole chunk.

Orientation (as NEST 3.10 does it): ``pairwise_bernoulli`` drives from each target over the
source pool and tests ``-(source - target)`` against the mask (a mirrored mask: it selects
targets around each source); with ``use_on_source`` it tests ``source - target``.
``fixed_indegree`` drives from targets (``source - target``), ``fixed_outdegree`` from sources
(``target - source``). Probabilities of a fixed degree rule are relative weights of the
candidates. Points on a mask's edge are decided with NEST's arithmetic (see ``_MaskSearch``).
"""

from __future__ import annotations

import contextlib

import numpy as np

from ..api.parameters import Parameter
from ..engine.connections import RepeatedIds
from ..errors import BadProperty
from . import params as sparams
from ._kernels import all_pairs, cell_images, smallest_per_group
from .layers import layer_of
from .masks import GridMask, as_mask

SPATIAL_RULES = ("pairwise_bernoulli", "fixed_indegree", "fixed_outdegree")
# Entries a spatial connection specification may hold beyond the rule's own.
EXTRA_KEYS = {
    "pairwise_bernoulli": {"mask", "use_on_source", "allow_oversized_mask"},
    "fixed_indegree": {"mask", "p", "use_on_source", "allow_oversized_mask"},
    "fixed_outdegree": {"mask", "p", "use_on_source", "allow_oversized_mask"},
}
CHUNK = 1 << 20  # displacements per chunk


def conn_keys(rule: str) -> set:
    """Keys ``Connect`` accepts for ``rule`` beyond the non-spatial ones."""
    return EXTRA_KEYS.get(rule, {"mask", "use_on_source"})


def applies(spec: dict, syns) -> bool:
    """Whether this connection needs the spatial rules (or spatial weights/delays)."""
    if "mask" in spec or "use_on_source" in spec or "allow_oversized_mask" in spec:
        return True
    rule = spec["rule"]
    if rule in ("fixed_indegree", "fixed_outdegree") and "p" in spec:
        return True
    if isinstance(spec.get("p"), Parameter):
        return True
    return any(sparams.is_spatial(syn.get(k)) for syn in syns for k in ("weight", "delay"))


def _layer(nc, what):
    got = layer_of(nc, required=False)
    if got is None:
        raise TypeError(f"{what} NodeCollection must have spatial information")
    return got


def draw(spec: dict, pre, post, rng, syns=()) -> tuple[np.ndarray, np.ndarray]:
    """(source index, target index) arrays of the connections a spatial specification makes."""
    rule = spec["rule"]
    if rule == "fixed_total_number":
        raise ValueError("'N' is not allowed in conn_spec when connecting with mask or kernel")
    if rule not in SPATIAL_RULES:
        raise ValueError(
            "When using kernel or mask, the only possible connection rules are "
            "'pairwise_bernoulli', 'fixed_indegree', or 'fixed_outdegree'"
        )
    if "use_on_source" in spec and rule != "pairwise_bernoulli":
        raise ValueError("'use_on_source' can only be set when using pairwise_bernoulli")
    # with a mask, pairwise_bernoulli connects every pair inside it unless p says otherwise
    p = spec.get("p", 1.0)
    spatial_syn = any(sparams.is_spatial(syn.get(k)) for syn in syns for k in ("weight", "delay"))
    if isinstance(p, Parameter) and sparams.is_spatial(p) or "mask" in spec or spatial_syn:
        src, tgt = _layer(pre, "Presynaptic"), _layer(post, "Postsynaptic")
    else:
        src, tgt = layer_of(pre, required=False), layer_of(post, required=False)
    if rule == "pairwise_bernoulli" and "p" not in spec and "mask" not in spec:
        raise BadProperty("Connection rule 'pairwise_bernoulli' requires 'p'.")
    if not isinstance(p, Parameter):
        p = float(p)
        if rule == "pairwise_bernoulli" and not 0.0 <= p <= 1.0:
            raise BadProperty(f"pairwise_bernoulli: p must be in [0, 1], got {p}.")
    autapses = bool(spec.get("allow_autapses", True))
    multapses = bool(spec.get("allow_multapses", True))
    sid, tid = pre.ids(), post.ids()
    mask = as_mask(spec["mask"]) if "mask" in spec else None
    converse = False
    if rule == "pairwise_bernoulli":
        k = None
        if isinstance(mask, GridMask):
            from_target = bool(spec.get("use_on_source", False))
        else:
            from_target, converse = True, not spec.get("use_on_source", False)
    else:
        from_target = rule == "fixed_indegree"
        key = "indegree" if from_target else "outdegree"
        if spec.get(key) is None:
            raise BadProperty(f"Connection rule '{rule}' requires '{key}'.")
        k = int(spec[key])
        if k < 0 or k != spec[key]:
            raise BadProperty(f"'{key}' of rule '{rule}' must be a non-negative integer, got {spec[key]!r}.")
    drv, pool = (tgt, src) if from_target else (src, tgt)
    drv_ids, pool_ids = (tid, sid) if from_target else (sid, tid)
    search = None
    if mask is not None and not isinstance(mask, GridMask):
        if mask.ndim != src[0].ndim or mask.ndim != tgt[0].ndim:
            raise BadProperty(
                f"Mask is incompatible with layer: the mask has {mask.ndim} dimensions, the layers {src[0].ndim}."
            )
        _check_mask_size(mask, pool[0], spec.get("allow_oversized_mask", False))
        search = _MaskSearch(pool, mask, converse, (tgt if converse else pool)[0])
    parts_d, parts_p = [], []
    n_drv, n_pool = len(drv_ids), len(pool_ids)
    step = max(1, CHUNK // max(search.per_driver if search is not None else n_pool, 1))
    for a in range(0, n_drv, step):
        b = min(n_drv, a + step)
        disp = None
        if search is not None:
            di, pj = search.candidates(drv, a, b)
        elif isinstance(mask, GridMask):
            di, pj = _grid_candidates(drv, pool, a, b, mask)
        elif isinstance(p, Parameter) and src is not None and tgt is not None:
            # every pair, with the displacements (target - source) p needs, in one pass
            (d_lay, d_li), (p_lay, p_li) = drv, pool
            di, pj, disp = all_pairs(np.ascontiguousarray(d_lay.positions[d_li[a:b]]),
                                     np.ascontiguousarray(p_lay.positions[p_li]), p_lay.edge_wrap,
                                     0.5 * p_lay.extent, p_lay.extent, -1 if from_target else 1)  # fmt: skip
            di += a
        else:
            di, pj = np.repeat(np.arange(a, b), n_pool), np.tile(np.arange(n_pool), b - a)
        if not autapses:
            keep = drv_ids[di] != pool_ids[pj]
            di, pj = di[keep], pj[keep]
            disp = None if disp is None else disp[keep]
        w = _probabilities(p, di, pj, disp, drv, pool, from_target, src, tgt)
        if k is None:
            hit = rng.random(di.size) < w
            di, pj = di[hit], pj[hit]
        else:
            di, pj = _fixed_degree(rng, k, di, pj, w, a, b, multapses, rule)
        parts_d.append(di)
        parts_p.append(pj)
    di = np.concatenate(parts_d) if parts_d else np.zeros(0, np.int64)
    pj = np.concatenate(parts_p) if parts_p else np.zeros(0, np.int64)
    si, ti = (pj, di) if from_target else (di, pj)
    return si.astype(np.int32), ti.astype(np.int32)


def _check_mask_size(mask, pool_layer, allowed) -> None:
    if not pool_layer.edge_wrap or allowed:
        return
    lo, hi = mask.bbox()
    if lo.size == pool_layer.extent.size and np.any(hi - lo > pool_layer.extent):
        raise BadProperty("Mask size must not exceed layer size; set allow_oversized_mask to override.")


class _MaskSearch:
    """The pool nodes inside a mask around each driver, with the arithmetic of NEST's tree
    search: on a periodic layer the pool positions are mapped into the layer
    (``lower + fmod(p - lower, extent)``) and the driver is moved to the image where the
    mask's lower corner lies in the layer, plus the image one extent lower in each dimension
    where the mask then reaches past the upper edge; each image inside the mask counts.
    ``position - driver`` is tested, mirrored (``-(position - driver)``) with ``converse``.
    """

    def __init__(self, pool, mask, converse: bool, tree_layer):
        self.mask, self.converse = mask, converse
        lo, hi = mask.bbox()
        self.lo, self.hi = (-hi, -lo) if converse else (lo, hi)
        lay, local = pool
        self.local = local
        self.ll = lay.center - lay.extent / 2
        self.periodic = np.full(lay.ndim, tree_layer.edge_wrap)
        self.extent = np.where(self.periodic, tree_layer.extent, lay.extent)
        pos = lay.positions[local]
        if self.periodic.any():
            mapped = self.ll + np.fmod(pos - self.ll, self.extent)
            mapped = np.where(mapped < self.ll, mapped + self.extent, mapped)
            pos = np.where(self.periodic, mapped, pos)
        self.ppos = pos
        self.cells = _Cells.for_mask(pool, self.lo, self.hi)
        self.per_driver = self.cells.expected if self.cells is not None else len(local)

    def _test(self, d):
        return self.mask.contains(-d if self.converse else d)

    def candidates(self, drv, a, b):
        """Driver indices ``a..b`` and pool indices of the pairs inside the mask (grouped by driver)."""
        d_lay, d_li = drv
        anchors = np.ascontiguousarray(d_lay.positions[d_li[a:b]])
        per, ext, ll = self.periodic, self.extent, self.ll
        if per.any():
            shifted = np.fmod((anchors + self.lo) - ll, ext)
            shifted = np.where(shifted < 0, shifted + ext, shifted)
            anchors = np.ascontiguousarray(np.where(per, (shifted - self.lo) + ll, anchors))
            # the anchor one extent lower too where the mask reaches past the upper edge
            extra = per & (((anchors + self.hi) - ll) > ext)
        else:
            extra = np.zeros(anchors.shape, bool)
        if self.cells is not None:
            di, pj, disp = self.cells.candidates(anchors, self.ppos, extra, ext)
        else:
            n = len(self.local)
            di, pj = np.repeat(np.arange(len(anchors)), n), np.tile(np.arange(n), len(anchors))
            disp = self.ppos[pj] - anchors[di]
            if extra.any():
                rows = [(di, pj, disp)]
                for combo in np.ndindex(*(2,) * len(per)):
                    combo = np.asarray(combo, bool)
                    if combo.any():
                        sel = np.flatnonzero(np.all(extra[di][:, combo], axis=1))
                        image = anchors[di[sel]] - np.where(combo, ext, 0.0)
                        rows.append((di[sel], pj[sel], self.ppos[pj[sel]] - image))
                di, pj, disp = (np.concatenate(x) for x in zip(*rows))
                order = np.argsort(di, kind="stable")  # grouped by driver again
                di, pj, disp = di[order], pj[order], disp[order]
        inside = self._test(disp)
        return di[inside] + a, pj[inside]


class _Cells:
    """Pool nodes sorted into a lattice of cells, so that a driver's candidates for a small
    mask come from the few cells under the mask's bounding box, not from the whole layer."""

    def __init__(self, layer, local, lo, hi):
        pos = self.ppos = np.ascontiguousarray(layer.positions[local])
        dims = pos.shape[1]
        self.layer, self.local = layer, local
        width = np.maximum(hi - lo, 1e-12)
        # cells about a sixth of the mask wide, at most about 4 per pool node in all
        nc = np.maximum(1, np.floor(layer.extent / (width / 6))).astype(np.int64)
        nc = np.minimum(nc, max(1, int((4 * len(local)) ** (1.0 / dims))))
        self.size = layer.extent / nc
        self.origin = layer.center - layer.extent / 2
        if not layer.edge_wrap:
            # a margin of one empty cell on each side: every node falls in its own cell
            self.origin = self.origin - self.size
            nc = nc + 2
        self.nc = nc
        idx = np.floor((pos - self.origin) / self.size).astype(np.int64)
        idx = idx % nc if layer.edge_wrap else np.clip(idx, 0, nc - 1)
        self.stride = np.r_[np.cumprod(nc[::-1])[::-1][1:], 1]
        flat = idx @ self.stride
        self.order = np.argsort(flat, kind="stable")
        n_cells = int(np.prod(nc))
        counts = np.bincount(flat, minlength=n_cells)
        self.counts, self.starts = counts, np.r_[0, np.cumsum(counts)[:-1]]
        # the cells an interval of the mask's width (plus rounding slack) can touch
        self.eps = 1e-9 * self.size + 1e-12
        self.lo = lo - self.eps
        # candidates outside the bounding box (widened a little) cannot be inside the mask
        self.box_lo, self.box_hi = lo - 1e-9 * width, hi + 1e-9 * width
        self.window = np.minimum(nc, np.floor((width + 2 * self.eps) / self.size).astype(np.int64) + 2)
        self.offsets = np.indices(tuple(self.window)).reshape(dims, -1).T
        self.expected = int(np.ceil(len(local) * len(self.offsets) / n_cells))

    @classmethod
    def for_mask(cls, pool, lo, hi):
        """A cell index when a mask with bounding box ``lo..hi`` covers a small part of the pool."""
        layer, local = pool
        if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))) or np.any(hi < lo):
            return None
        if np.prod(np.minimum(hi - lo, layer.extent) / layer.extent) > 0.25 or len(local) < 64:
            return None
        return cls(layer, local, lo, hi)

    def candidates(self, anchors, ppos, extra, ext):
        """(driver, pool node) pairs near each anchor (a superset of those in the mask), with
        ``ppos - anchor`` and the rows of the lower anchor images ``extra`` asks for."""
        first = np.floor((anchors + self.lo - self.origin) / self.size).astype(np.int64)
        return cell_images(anchors, ppos, self.order, first, self.offsets, self.nc, self.stride, self.counts,
                           self.starts, self.layer.edge_wrap, extra, ext, self.box_lo, self.box_hi)  # fmt: skip


def _grid_candidates(drv, pool, a, b, mask: GridMask):
    """Pool nodes whose grid index minus the driver's (plus the anchor) lies in the mask's shape."""
    d_lay, d_li = drv
    p_lay, p_li = pool
    if p_lay.shape is None or p_lay.shape.size != 2:
        raise BadProperty("Grid masks can only be used with 2-dimensional grid layers.")
    if d_lay.shape is None or np.any(p_lay.shape * d_lay.extent > d_lay.shape * p_lay.extent):
        from ..errors import NESTErrors

        # NEST's placement of the mask on a finer pool grid is not reproduced (yet)
        raise NESTErrors.NotImplemented(
            "nestling supports grid masks when the pool grid is at most as fine as the driver grid; "
            f"here the driver grid is {d_lay.shape.tolist()} and the pool grid {p_lay.shape.tolist()}."
        )
    # The driver's place on the pool's grid, from its position.
    lower = p_lay.center - p_lay.extent / 2
    step = p_lay.extent / p_lay.shape
    dpos = d_lay.positions[d_li[a:b]]
    col = np.rint((dpos[:, 0] - lower[0]) / step[0] - 0.5).astype(np.int64)
    row = np.rint(((lower[1] + p_lay.extent[1]) - dpos[:, 1]) / step[1] - 0.5).astype(np.int64)
    pidx = p_lay.grid_index(p_li)
    dc = pidx[None, :, 0] - col[:, None] + mask.anchor[0]
    dr = pidx[None, :, 1] - row[:, None] + mask.anchor[1]
    if p_lay.edge_wrap:
        dc %= p_lay.shape[0]
        dr %= p_lay.shape[1]
    inside = (dc >= 0) & (dc < mask.shape[0]) & (dr >= 0) & (dr < mask.shape[1])
    di, pj = np.nonzero(inside)
    return di + a, pj


def _probabilities(p, di, pj, disp, drv, pool, from_target, src, tgt):
    """``p`` for every candidate pair: a number, or the parameter evaluated for all pairs
    (``disp``, when given, holds their folded ``target - source`` displacements)."""
    if not isinstance(p, Parameter):
        return np.full(di.size, p)
    from ..engine.kernel import kernel

    ctx = contextlib.nullcontext()
    if src is not None and tgt is not None:
        si, ti = (pj, di) if from_target else (di, pj)
        (s_lay, s_li), (t_lay, t_li) = (pool, drv) if from_target else (drv, pool)
        ctx = sparams.pairs(lambda: s_lay.positions[s_li[si]], lambda: t_lay.positions[t_li[ti]], pool[0], disp)
    with ctx:
        return p.evaluate(di.size, kernel.parameter_rng())


def _fixed_degree(rng, k, di, pj, w, a, b, multapses, rule):
    """``k`` pool nodes for each driver ``a..b`` among its candidates, weighted by ``w``."""
    n = b - a
    if k == 0 or n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    w = np.asarray(w, dtype=np.float64)
    if np.any(w < 0):
        raise BadProperty(f"{rule}: the probability parameter gave negative values.")
    keep = w > 0
    di, pj, w = di[keep], pj[keep], w[keep]
    counts = np.bincount(di - a, minlength=n)
    side = "sources" if rule == "fixed_indegree" else "targets"
    if np.any(counts == 0):
        raise BadProperty(f"{rule}: a node has no {side} inside the mask to draw from.")
    if not multapses and np.any(counts < k):
        from ..errors import KernelException

        raise KernelException(
            f"{rule}: a node has only {int(counts.min())} {side} inside the mask, fewer than {k}, "
            f"and multapses are not allowed: Not enough {side} found inside mask."
        )
    starts = np.r_[0, np.cumsum(counts)[:-1]]
    if multapses:
        # Inverse-CDF draws within each driver's run of candidates, all drivers at once.
        cum = np.cumsum(w)
        base = np.r_[0.0, cum][starts]
        total = cum[starts + counts - 1] - base
        u = base[:, None] + rng.random((n, k)) * total[:, None]
        ends = (starts + counts - 1)[:, None]
        idx = np.minimum(np.searchsorted(cum, u.ravel(), side="right").reshape(n, k), ends)
        return np.repeat(np.arange(a, b), k), pj[idx.ravel()]
    # Weighted sampling without replacement as a race: each candidate arrives after an
    # exponential time of rate w; the first k to arrive are drawn (the same distribution as
    # drawing one at a time in proportion to w among those left).
    arrival = rng.standard_exponential(w.size) / w
    return np.repeat(np.arange(a, b), k), pj[smallest_per_group(starts, counts, arrival, k)]


@contextlib.contextmanager
def pair_context(pre, post, si, ti, syns):
    """Make ``nest.spatial`` weights and delays evaluate for the pairs ``(si, ti)`` of ``pre`` x ``post``."""
    if not any(sparams.is_spatial(syn.get(k)) for syn in syns for k in ("weight", "delay")):
        yield
        return
    src, tgt = layer_of(pre, required=False), layer_of(post, required=False)
    if src is None or tgt is None:
        yield
        return
    si = si.materialize() if isinstance(si, RepeatedIds) else si
    ti = ti.materialize() if isinstance(ti, RepeatedIds) else ti
    s_lay, s_li = src
    t_lay, t_li = tgt
    wrap_layer = t_lay if t_lay.edge_wrap or not s_lay.edge_wrap else s_lay
    with sparams.pairs(s_lay.positions[s_li[si]], t_lay.positions[t_li[ti]], wrap_layer):
        yield
