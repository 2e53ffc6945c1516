"""Spatial parameters: positions and distances, evaluated vectorised over nodes or pairs.

The leaves (``nest.spatial.distance``, ``pos``, ``source_pos``, ``target_pos``) read the
arrays of the evaluation at hand from a context set by the caller: ``nodes(positions)``
while ``Create`` or ``set`` evaluates parameters for nodes, ``pairs(src, tgt, layer)``
while ``Connect`` evaluates them for (source, target) pairs. The rest of a parameter tree
(arithmetic, ``nest.math``, distributions) is ordinary ``Parameter`` machinery, so one call
evaluates a whole expression for every node or pair at once.
"""

from __future__ import annotations

import contextlib
import math

import numpy as np

from ..api.parameters import Parameter, as_parameter
from ..errors import KernelException, NESTErrors

BadParameterValue = NESTErrors.BadParameterValue

_context: list = []


class _Pairs:
    """Positions of the two ends of ``m`` pairs, and their displacements folded by ``layer``.

    ``src`` and ``tgt`` may be functions giving the arrays (gathered only if a parameter asks
    for an endpoint); ``disp`` may be given when the caller computed it already.
    """

    def __init__(self, src, tgt, layer, disp=None):
        self._src, self._tgt, self.layer, self._disp = src, tgt, layer, disp

    @property
    def src(self) -> np.ndarray:
        if callable(self._src):
            self._src = self._src()
        return self._src

    @property
    def tgt(self) -> np.ndarray:
        if callable(self._tgt):
            self._tgt = self._tgt()
        return self._tgt

    @property
    def displacement(self) -> np.ndarray:
        if self._disp is None:
            d = self.tgt - self.src
            self._disp = self.layer.wrap(d) if self.layer is not None else d
        return self._disp


@contextlib.contextmanager
def nodes(positions: np.ndarray):
    """Evaluate ``nest.spatial.pos`` parameters at ``positions`` (``(n, dims)``)."""
    _context.append(("nodes", positions))
    try:
        yield
    finally:
        _context.pop()


@contextlib.contextmanager
def pairs(src, tgt, layer=None, disp=None):
    """Evaluate distance and endpoint parameters for pairs at ``src`` and ``tgt`` positions
    (arrays, or functions giving them), with displacements ``disp`` if already known."""
    _context.append(("pairs", _Pairs(src, tgt, layer, disp)))
    try:
        yield
    finally:
        _context.pop()


def _current(what: str):
    if not _context:
        raise BadParameterValue(
            f"{what} needs spatial positions: use it where nodes have positions "
            "(Create/set with positions, or Connect between spatial layers)."
        )
    return _context[-1]


def _check_dim(dim: int, ndim: int) -> None:
    if dim >= ndim:
        raise KernelException(
            "Spatial distance dimension must be within the defined number of dimensions for the nodes."
        )


class DistanceParameter(Parameter):
    """Distance between the two ends of a connection (``nest.spatial.distance``).

    ``.x``, ``.y``, ``.z`` (or ``.n(k)``) give the distance along one axis (its absolute
    value); periodic boundaries fold the displacement to the nearest image.
    """

    is_spatial_leaf = True

    def __init__(self, dimension: int | None = None):
        self.dimension = dimension

    def evaluate(self, n, rng):
        kind, ctx = _current("nest.spatial.distance")
        if kind != "pairs":
            raise BadParameterValue(
                "nest.spatial.distance can only be used between two nodes (in Connect), not for single nodes."
            )
        d = ctx.displacement
        if self.dimension is None:
            return np.sqrt(sum(d[:, k] * d[:, k] for k in range(d.shape[1])))
        _check_dim(self.dimension, d.shape[1])
        return np.abs(d[:, self.dimension])

    @property
    def x(self):
        return DistanceParameter(0)

    @property
    def y(self):
        return DistanceParameter(1)

    @property
    def z(self):
        return DistanceParameter(2)

    @staticmethod
    def n(dimension: int):
        """Distance along axis ``dimension`` (0, 1 or 2)."""
        return DistanceParameter(int(dimension))

    def __repr__(self):
        return "nest.spatial.distance" + ("" if self.dimension is None else "." + "xyz"[self.dimension])


class PositionParameter(Parameter):
    """A position coordinate: of the node (``endpoint=0``), the source (1) or the target (2)."""

    is_spatial_leaf = True

    def __init__(self, dimension: int, endpoint: int = 0):
        self.dimension, self.endpoint = dimension, endpoint

    def evaluate(self, n, rng):
        kind, ctx = _current("nest.spatial position")
        if kind == "nodes":
            if self.endpoint != 0:
                raise BadParameterValue("source_pos/target_pos can only be used when connecting.")
            pos = ctx
        else:
            pos = ctx.tgt if self.endpoint == 2 else ctx.src
        if self.dimension >= pos.shape[1]:
            raise KernelException(
                "Node position dimension must be within the defined number of dimensions for the node."
            )
        return pos[:, self.dimension].copy()


class _Positions:
    """``nest.spatial.pos`` and friends: ``.x``, ``.y``, ``.z`` and ``.n(k)``."""

    def __init__(self, endpoint: int, name: str):
        self._endpoint, self._name = endpoint, name

    @property
    def x(self):
        return PositionParameter(0, self._endpoint)

    @property
    def y(self):
        return PositionParameter(1, self._endpoint)

    @property
    def z(self):
        return PositionParameter(2, self._endpoint)

    def n(self, dimension: int):
        return PositionParameter(int(dimension), self._endpoint)

    def __repr__(self):
        return f"nest.spatial.{self._name}"


pos = _Positions(0, "pos")
source_pos = _Positions(1, "source_pos")
target_pos = _Positions(2, "target_pos")
distance = DistanceParameter()


class Function(Parameter):
    """A function of one or two parameters' values (the spatial distributions)."""

    def __init__(self, name: str, func, *args: Parameter):
        self.name, self.func, self.args = name, func, args

    def evaluate(self, n, rng):
        return np.asarray(self.func(*(a.evaluate(n, rng) for a in self.args)), dtype=np.float64)

    def __repr__(self):
        return f"nest.spatial_distributions.{self.name}(...)"


def is_spatial(p) -> bool:
    """Whether a parameter tree holds a position or distance leaf."""
    if getattr(p, "is_spatial_leaf", False):
        return True
    if not isinstance(p, Parameter):
        return False
    children = []
    for v in vars(p).values():
        if isinstance(v, Parameter):
            children.append(v)
        elif isinstance(v, tuple):
            children.extend(x for x in v if isinstance(x, Parameter))
    return any(is_spatial(c) for c in children)


def apply(param: Parameter, spatial_nc, positions=None):
    """``Parameter.apply``: values at the nodes of ``spatial_nc``, or from its one node to ``positions``."""
    from ..engine.kernel import kernel
    from .layers import layer_of

    layer, li = layer_of(spatial_nc)
    own = layer.positions[li]
    rng = kernel.parameter_rng()
    if positions is None:
        with nodes(own):
            return tuple(param.evaluate(len(own), rng).tolist())
    if len(spatial_nc) != 1:
        raise ValueError("The NodeCollection must contain a single node ID only")
    if not isinstance(positions, (list, tuple)):
        raise TypeError("Positions must be a list or tuple of positions")
    for p in positions:
        if not isinstance(p, (list, tuple)):
            raise TypeError("Each position must be a list or tuple")
    if len({len(p) for p in positions}) > 1:
        raise ValueError("All positions must have the same number of dimensions")
    return tuple(_evaluate_to_points(param, spatial_nc, np.asarray(positions, dtype=np.float64)).tolist())


# ------------------------------------------------------------------ nest.spatial_distributions
def exponential(x, beta=1.0) -> Parameter:
    """``exp(-x / beta)``."""
    return Function("exponential", lambda v: np.exp(-v / beta), as_parameter(x))


def gaussian(x, mean=0.0, std=1.0) -> Parameter:
    """``exp(-(x - mean)**2 / (2 std**2))``."""
    return Function("gaussian", lambda v: np.exp(-((v - mean) ** 2) / (2.0 * std * std)), as_parameter(x))


def gaussian2D(x, y, mean_x=0.0, mean_y=0.0, std_x=1.0, std_y=1.0, rho=0.0) -> Parameter:  # noqa: N802
    """Bivariate Gaussian (peak 1) of ``x`` and ``y`` with correlation ``rho``."""

    def f(u, v):
        a, b = (u - mean_x) / std_x, (v - mean_y) / std_y
        return np.exp(-(a * a - 2.0 * rho * a * b + b * b) / (2.0 * (1.0 - rho * rho)))

    return Function("gaussian2D", f, as_parameter(x), as_parameter(y))


def gamma(x, kappa=1.0, theta=1.0) -> Parameter:
    """Gamma density ``x**(kappa-1) exp(-x/theta) / (theta**kappa Gamma(kappa))``."""
    norm = theta**kappa * math.gamma(kappa)
    return Function("gamma", lambda v: v ** (kappa - 1.0) * np.exp(-v / theta) / norm, as_parameter(x))


def gabor(x, y, theta=0.0, gamma=1.0, std=1.0, lam=1.0, psi=0.0) -> Parameter:
    """Rectified Gabor function of displacements ``x``, ``y`` (angles in degrees)."""
    th, ph = math.radians(theta), math.radians(psi)

    def f(u, v):
        xr = u * math.cos(th) + v * math.sin(th)
        yr = -u * math.sin(th) + v * math.cos(th)
        wave = np.maximum(np.cos(2.0 * math.pi * yr / lam + ph), 0.0)
        return wave * np.exp(-(gamma * gamma * xr * xr + yr * yr) / (2.0 * std * std))

    return Function("gabor", f, as_parameter(x), as_parameter(y))


def node_context(nc):
    """A context in which ``nest.spatial.pos`` evaluates at the nodes of ``nc`` (if it is a layer)."""
    from .layers import is_layer, layer_of

    if nc is None or not is_layer(nc):
        return contextlib.nullcontext()
    layer, li = layer_of(nc)
    return nodes(layer.positions[li])


def _evaluate_to_points(param: Parameter, source, points: np.ndarray) -> np.ndarray:
    """``param`` from the one node ``source`` to every row of ``points`` (an array), vectorised."""
    from ..engine.kernel import kernel
    from .layers import layer_of

    layer, li = layer_of(source)
    src = np.broadcast_to(layer.positions[li[:1]], points.shape)
    with pairs(src, np.asarray(points, dtype=np.float64), layer):
        return param.evaluate(len(points), kernel.parameter_rng())
