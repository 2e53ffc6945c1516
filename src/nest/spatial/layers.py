"""Layers: node positions kept as one array per ``Create`` call.

``nest.Create(model, positions=nest.spatial.grid(...))`` computes the positions first (an
``(n, dims)`` array), creates the nodes, and attaches a :class:`Layer` to their node group
(``group.layer``); ``ResetKernel`` drops it with the group. Nothing is stored per node.
"""

from __future__ import annotations

import numbers

import numpy as np

from ..errors import BadProperty, KernelException, NESTErrors


class grid:  # noqa: N801 - PyNEST's name
    """Positions on a regular grid.

    Parameters
    ----------
    shape : sequence of int
        Number of nodes along x, y (and z): ``[columns, rows(, depth)]``.
    center : sequence of float, optional
        Centre of the layer (default: the origin).
    extent : sequence of float, optional
        Size of the layer (default: 1 along every axis).
    edge_wrap : bool
        Periodic boundary conditions.
    """

    def __init__(self, shape, center=None, extent=None, edge_wrap=False):
        self.shape = shape
        self.center = center
        self.extent = extent
        self.edge_wrap = edge_wrap


class free:  # noqa: N801 - PyNEST's name
    """Positions given as a list, or drawn from a parameter.

    Parameters
    ----------
    pos : sequence of positions, or Parameter
        ``[[x, y], ...]`` (or 3-D), or a parameter drawn once per node and dimension.
    extent : sequence of float, optional
        Size of the layer; by default the bounding box of the positions rounded up.
    edge_wrap : bool
        Periodic boundary conditions (needs ``extent``).
    num_dimensions : int, optional
        2 or 3, when ``pos`` is a parameter and ``extent`` is not given.
    """

    def __init__(self, pos, extent=None, edge_wrap=False, num_dimensions=None):
        from ..api.parameters import Parameter

        if extent is not None and num_dimensions is not None and len(extent) != num_dimensions:
            raise ValueError("extent and number of dimensions must match")
        if isinstance(pos, Parameter) and extent is None and num_dimensions is None:
            raise TypeError(
                "could not infer number of dimensions. Set num_dimensions or extent when using Parameter as pos"
            )
        self.pos = pos
        self.extent = extent
        self.edge_wrap = edge_wrap
        self.num_dimensions = num_dimensions


class Layer:
    """Positions and geometry of one group of nodes (``first`` is the first global id)."""

    def __init__(self, positions, center, extent, edge_wrap, shape=None):
        self.positions = positions
        self.center = center
        self.extent = extent
        self.edge_wrap = bool(edge_wrap)
        self.shape = shape
        self.first = 0

    @property
    def ndim(self) -> int:
        return self.positions.shape[1]

    def wrap(self, d: np.ndarray) -> np.ndarray:
        """Displacements ``d`` (``(..., dims)``) folded to the nearest periodic image."""
        if not self.edge_wrap:
            return d
        # NEST shifts by half the extent, takes the remainder and shifts back, for every
        # displacement (so the floats are NEST's even where nothing wraps).
        from ._kernels import fold

        d = np.asarray(d, dtype=np.float64)
        half = 0.5 * self.extent
        if d.size < 200_000:
            return np.mod(d + half, self.extent) - half  # small: NumPy, the same floats
        flat = np.ascontiguousarray(d.reshape(-1, self.ndim))
        return fold(flat, half, self.extent).reshape(d.shape)

    def grid_index(self, local: np.ndarray) -> np.ndarray:
        """(column, row[, depth]) of nodes at local indices (grid layers)."""
        shape = self.shape
        if shape.size == 2:
            return np.stack([local // shape[1], local % shape[1]], axis=-1)
        return np.stack([local // (shape[1] * shape[2]), (local // shape[2]) % shape[1], local % shape[2]], axis=-1)

    def status(self, local: np.ndarray) -> dict:
        """The ``NodeCollection.spatial`` dictionary of the nodes at ``local`` indices."""
        out = {
            "center": self.center.copy(),
            "edge_wrap": self.edge_wrap,
            "extent": self.extent.copy(),
            "network_size": int(len(local)),
        }
        if self.shape is not None:
            out["shape"] = self.shape.astype(np.int64)
        else:
            out["positions"] = self.positions[local]
        return out


def _vector(value, ndim, what, default):
    if value is None:
        return np.full(ndim, default, dtype=np.float64)
    arr = np.asarray(value, dtype=np.float64).ravel()
    if arr.size != ndim:
        raise BadProperty(f"Expected a {ndim}-dimensional position.")
    return arr


def grid_positions(shape, center, extent) -> np.ndarray:
    """Node positions of a grid, column by column (y from the top, z from the bottom)."""
    lower = center - 0.5 * extent
    step = extent / shape
    # Index along each axis for every node, x slowest, as NEST numbers grid nodes.
    idx = np.indices(tuple(int(s) for s in shape)).reshape(len(shape), -1)
    pos = np.empty((idx.shape[1], len(shape)))
    # The order of the operations is NEST's, so the positions are the same floats.
    pos[:, 0] = lower[0] + idx[0] * step[0] + step[0] / 2
    pos[:, 1] = (lower[1] + extent[1]) - idx[1] * step[1] - step[1] / 2
    if len(shape) == 3:
        pos[:, 2] = lower[2] + idx[2] * step[2] + step[2] / 2
    return pos


def build_layer(spec, n) -> Layer:
    """The layer ``spec`` (a ``grid`` or ``free``) describes, for ``Create(model, n)``."""
    if isinstance(spec, grid):
        if n is not None and n != 1:
            raise ValueError("Cannot specify number of nodes with grid positions")
        if not all(isinstance(s, (numbers.Integral, np.integer)) for s in np.ravel(spec.shape)):
            raise NESTErrors.TypeMismatch(f"Expected datatype: the shape of a grid must be integers, got {spec.shape}.")
        shape = np.asarray(spec.shape, dtype=np.int64).ravel()
        if shape.size not in (2, 3):
            raise BadProperty("Shape must be of length 2 or 3.")
        if np.any(shape < 1):
            raise BadProperty("The shape of a grid layer must be positive in every dimension.")
        ndim = shape.size
        center = _vector(spec.center, ndim, "center", 0.0)
        extent = _vector(spec.extent, ndim, "extent", 1.0)
        if np.any(extent <= 0):
            raise BadProperty("The extent of a layer must be positive in every dimension.")
        pos = grid_positions(shape, center, extent)
        return Layer(pos, (center - extent / 2) + extent / 2, extent, spec.edge_wrap, shape)
    if isinstance(spec, free):
        return _free_layer(spec, n)
    raise TypeError("`positions` must be either a nest.spatial.free or a nest.spatial.grid object")


def _free_layer(spec: free, n) -> Layer:
    from ..api.parameters import Parameter
    from ..engine.kernel import kernel

    pos = spec.pos
    if isinstance(pos, Parameter):
        ndim = len(spec.extent) if spec.extent is not None else int(spec.num_dimensions)
        count = 1 if n is None else int(n)
        rng = kernel.parameter_rng()
        pos = np.column_stack([pos.evaluate(count, rng) for _ in range(ndim)])
    elif isinstance(pos, (list, tuple)) and pos and all(isinstance(p, (Parameter, numbers.Real)) for p in pos):
        # one parameter (or number) per dimension
        count = 1 if n is None else int(n)
        rng = kernel.parameter_rng()
        cols = [p.evaluate(count, rng) if isinstance(p, Parameter) else np.full(count, float(p)) for p in pos]
        pos = np.column_stack(cols)
    else:
        pos = np.asarray(pos, dtype=np.float64)
        if pos.ndim == 1:
            pos = pos.reshape(1, -1)
    if pos.ndim != 2 or pos.shape[1] not in (2, 3) or pos.shape[0] < 1:
        raise BadProperty("Positions must be a list of 2- or 3-dimensional positions.")
    ndim = pos.shape[1]
    lo, hi = pos.min(axis=0), pos.max(axis=0)
    mid = (lo + hi) / 2
    if spec.extent is None:
        if pos.shape[0] == 1:
            raise KernelException("If only one node is created, 'extent' must be specified.")
        # NEST rounds the bounding box up to whole units.
        extent = np.ceil(hi - lo)
    else:
        extent = _vector(spec.extent, ndim, "extent", 1.0)
        lower = mid - extent / 2
        if np.any(pos < lower) or np.any(pos > lower + extent):
            raise BadProperty("Node position outside of layer")
    return Layer(pos, (mid - extent / 2) + extent / 2, extent, spec.edge_wrap)


def layer_of(nc, required: bool = True):
    """(layer, local indices into its positions) of a NodeCollection, or None."""
    from ..engine.kernel import kernel

    ids = nc.ids()
    if ids.size == 0:
        if required:
            raise _layer_expected()
        return None
    gi, li = kernel.locate(ids)
    g = int(gi[0])
    layer = getattr(kernel.groups[g], "layer", None)
    if layer is None or np.any(gi != g):
        if required:
            raise _layer_expected()
        return None
    return layer, li


def _layer_expected():
    return NESTErrors.LayerExpected(
        "The nodes have no spatial positions (or belong to several layers); create them with "
        "positions=nest.spatial.grid(...) or nest.spatial.free(...)."
    )


def positions_of(nc) -> np.ndarray:
    layer, li = layer_of(nc)
    return layer.positions[li]


def is_layer(nc) -> bool:
    """Whether every node of ``nc`` lies in one layer.

    Groups are contiguous id ranges, so the first and the last id decide it: O(log groups),
    cheap enough for every ``+`` and ``repr`` of a collection.
    """
    from ..engine.kernel import kernel

    ranges = getattr(nc, "_ranges", ())
    if not ranges:
        return False
    first, last = ranges[0].start, ranges[-1][-1]
    group, _ = kernel.group_of(first)
    return getattr(group, "layer", None) is not None and last <= group.last


def spatial_status(nc):
    """``NodeCollection.spatial``: the layer's geometry for these nodes, or None."""
    if not is_layer(nc):
        return None
    layer, li = layer_of(nc)
    return layer.status(li)


def create_layer(model: str, n, params, spec):
    """``Create(model, n, params, positions=spec)``: the nodes, then their layer, then ``params``."""
    from ..api.nodes import Create, _undo_create, set_status
    from ..engine.kernel import kernel

    if not isinstance(spec, (grid, free)):
        raise TypeError("`positions` must be either a nest.spatial.free or a nest.spatial.grid object")
    layer = build_layer(spec, n)
    nc = Create(model, len(layer.positions))
    group = kernel.groups[-1]
    layer.first = group.first
    group.layer = layer
    if params is not None:
        try:
            set_status(nc, params)
        except Exception:
            _undo_create(group)
            raise
    return nc
