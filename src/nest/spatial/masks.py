"""Masks: regions around a driver node, tested vectorised on arrays of displacements.

``nest.CreateMask(type, spec, anchor)`` and the ``"mask"`` entry of a connection
specification build a :class:`Mask`. ``contains(d)`` takes an ``(m, dims)`` array of
displacements (pool position minus driver position) and returns ``m`` booleans; masks
combine with ``&``, ``|`` and ``-``. Grid masks select by grid index instead and are handled
by the connection code (:class:`GridMask`).
"""

from __future__ import annotations

import numpy as np

from ..errors import BadProperty, NESTErrors

MASK_TYPES_2D = ("circular", "rectangular", "doughnut", "elliptical")
MASK_TYPES_3D = ("spherical", "box", "ellipsoidal")
MASK_KEYS = {
    "circular": {"radius"},
    "spherical": {"radius"},
    "doughnut": {"inner_radius", "outer_radius"},
    "rectangular": {"lower_left", "upper_right", "azimuth_angle"},
    "box": {"lower_left", "upper_right", "azimuth_angle", "polar_angle"},
    "elliptical": {"major_axis", "minor_axis", "azimuth_angle", "anchor"},
    "ellipsoidal": {"major_axis", "minor_axis", "polar_axis", "azimuth_angle", "polar_angle", "anchor"},
    "grid": {"shape", "rows", "columns"},
}


class Mask:
    """A region of space relative to a driver node (``nest.Mask``).

    Create masks with :func:`CreateMask`; combine them with ``&`` (both), ``|`` (either)
    and ``-`` (the first but not the second).
    """

    ndim: int = 2

    def contains(self, d: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def bbox(self) -> tuple[np.ndarray, np.ndarray]:
        """A box (lower, upper corners) holding the mask, for finding candidates quickly."""
        raise NotImplementedError

    def Inside(self, point) -> bool:  # noqa: N802 - PyNEST's name
        """Whether ``point`` (a sequence of 2 or 3 floats) is inside the mask."""
        p = np.asarray(point, dtype=np.float64).reshape(1, -1)
        return bool(self.contains(p)[0])

    def _combine(self, other, kind):
        if not isinstance(other, Mask):
            raise NotImplementedError(f"Both operands of {kind} must be masks.")
        if isinstance(self, GridMask) or isinstance(other, GridMask):
            from ..errors import KernelException

            raise KernelException("Grid masks can not be combined.")
        return Combined(kind, self, other)

    def __and__(self, other):
        return self._combine(other, "&")

    def __or__(self, other):
        return self._combine(other, "|")

    def __sub__(self, other):
        return self._combine(other, "-")


def _rotation(azimuth_deg: float, polar_deg: float = 0.0, ndim: int = 2) -> np.ndarray:
    """Matrix taking world displacements into the mask's own axes (the inverse rotation)."""
    a = np.deg2rad(azimuth_deg)
    ca, sa = np.cos(a), np.sin(a)
    if ndim == 2:
        return np.array([[ca, sa], [-sa, ca]])
    p = np.deg2rad(polar_deg)
    cp, sp = np.cos(p), np.sin(p)
    rz = np.array([[ca, sa, 0.0], [-sa, ca, 0.0], [0.0, 0.0, 1.0]])
    ry = np.array([[cp, 0.0, -sp], [0.0, 1.0, 0.0], [sp, 0.0, cp]])
    return ry @ rz


class Ball(Mask):
    """Circular (2-D) or spherical (3-D): distance from the anchor at most ``radius``."""

    def __init__(self, radius: float, ndim: int):
        if not radius > 0:
            raise BadProperty("Circular/spherical mask: radius must be > 0.")
        self.radius, self.ndim = float(radius), ndim

    def contains(self, d):
        # NEST compares the length itself (sqrt), which decides points on the edge
        return np.sqrt(sum(d[:, k] * d[:, k] for k in range(self.ndim))) <= self.radius

    def bbox(self):
        return np.full(self.ndim, -self.radius), np.full(self.ndim, self.radius)


class Doughnut(Mask):
    """Ring between ``inner_radius`` (excluded, as in NEST) and ``outer_radius`` (included)."""

    def __init__(self, inner: float, outer: float):
        if not 0 <= inner < outer:
            raise BadProperty("Doughnut mask: need 0 <= inner_radius < outer_radius.")
        self.inner, self.outer, self.ndim = float(inner), float(outer), 2

    def contains(self, d):
        r = np.sqrt(d[:, 0] * d[:, 0] + d[:, 1] * d[:, 1])
        return (r > self.inner) & (r <= self.outer)

    def bbox(self):
        return np.full(2, -self.outer), np.full(2, self.outer)


class Box(Mask):
    """Rectangular (2-D) or box (3-D) between ``lower_left`` and ``upper_right``, rotated."""

    def __init__(self, lower_left, upper_right, azimuth=0.0, polar=0.0):
        self.ll = np.asarray(lower_left, dtype=np.float64)
        self.ur = np.asarray(upper_right, dtype=np.float64)
        self.ndim = self.ll.size
        if self.ur.size != self.ndim:
            raise BadProperty("lower_left and upper_right must have the same number of dimensions.")
        if np.any(self.ur <= self.ll):
            raise BadProperty("upper_right must be strictly to the right and above lower_left.")
        self.rot = None if azimuth == 0.0 and polar == 0.0 else _rotation(azimuth, polar, self.ndim)

    def contains(self, d):
        if self.rot is not None:
            # rotated about the centre of the box
            c = 0.5 * (self.ll + self.ur)
            d = (d - c) @ self.rot.T + c
        return np.all((d >= self.ll) & (d <= self.ur), axis=1)

    def bbox(self):
        if self.rot is None:
            return self.ll.copy(), self.ur.copy()
        c = 0.5 * (self.ll + self.ur)
        r = np.linalg.norm(self.ur - c)  # any rotation stays within this ball
        return c - r, c + r


class Ellipse(Mask):
    """Elliptical (2-D) or ellipsoidal (3-D) around ``center`` with full axis lengths."""

    def __init__(self, axes, center, azimuth=0.0, polar=0.0):
        self.half = 0.5 * np.asarray(axes, dtype=np.float64)
        self.ndim = self.half.size
        self.center = np.zeros(self.ndim) if center is None else np.asarray(center, dtype=np.float64)
        if np.any(self.half <= 0):
            raise BadProperty("Elliptical mask: the axes must be > 0.")
        if self.half[0] < self.half[1]:
            raise BadProperty("Elliptical mask: major_axis must be at least minor_axis.")
        self.azimuth, self.polar = float(azimuth), float(polar)
        self.tilted = azimuth != 0.0 or polar != 0.0

    def contains(self, d):
        # NEST's expressions (so points on the edge fall on its side): the y axis of the
        # rotated frame points the other way, which squaring ignores
        a, p = np.pi * self.azimuth / 180.0, np.pi * self.polar / 180.0
        ca, sa = np.cos(a), np.sin(a)
        x, y = d[:, 0] - self.center[0], d[:, 1] - self.center[1]
        scale = 1.0 / (self.half * self.half)
        if self.ndim == 2:
            u, v = x * ca + y * sa, x * sa - y * ca
            return u * u * scale[0] + v * v * scale[1] <= 1.0
        z = d[:, 2] - self.center[2]
        cp, sp = np.cos(p), np.sin(p)
        u = (x * ca + y * sa) * cp - z * sp
        v = x * sa - y * ca
        w = (x * ca + y * sa) * sp + z * cp
        return u * u * scale[0] + v * v * scale[1] + w * w * scale[2] <= 1.0

    def bbox(self):
        # NEST's box: the semi-axes when not tilted, else a cube of the largest of the
        # major and polar semi-axes
        if not self.tilted:
            return self.center - self.half, self.center + self.half
        r = max(self.half[0], self.half[2] if self.ndim == 3 else 0.0)
        return self.center - r, self.center + r


class Shifted(Mask):
    """A mask moved by ``anchor``."""

    def __init__(self, base: Mask, anchor):
        self.base, self.anchor, self.ndim = base, np.asarray(anchor, dtype=np.float64), base.ndim

    def contains(self, d):
        return self.base.contains(d - self.anchor)

    def bbox(self):
        lo, hi = self.base.bbox()
        return lo + self.anchor, hi + self.anchor


class Combined(Mask):
    def __init__(self, kind, a: Mask, b: Mask):
        if a.ndim != b.ndim:
            raise BadProperty("Masks to combine must have the same number of dimensions.")
        self.kind, self.a, self.b, self.ndim = kind, a, b, a.ndim

    def contains(self, d):
        x, y = self.a.contains(d), self.b.contains(d)
        if self.kind == "&":
            return x & y
        if self.kind == "|":
            return x | y
        return x & ~y

    def bbox(self):
        (alo, ahi), (blo, bhi) = self.a.bbox(), self.b.bbox()
        if self.kind == "|":
            return np.minimum(alo, blo), np.maximum(ahi, bhi)
        if self.kind == "&":
            return np.maximum(alo, blo), np.minimum(ahi, bhi)
        return alo, ahi


class GridMask(Mask):
    """``{"grid": {"shape": [columns, rows]}}``: grid positions from the driver's (minus ``anchor``)."""

    def __init__(self, shape, anchor=None):
        self.shape = np.asarray(shape, dtype=np.int64)
        self.anchor = np.zeros(self.shape.size, np.int64) if anchor is None else _grid_anchor(anchor)
        self.ndim = self.shape.size

    def contains(self, d):
        raise BadProperty("A grid mask can only be used with grid-based layers.")


def _grid_anchor(anchor):
    if isinstance(anchor, dict):
        return np.array([int(anchor.get("column", 0)), int(anchor.get("row", 0))], dtype=np.int64)
    return np.asarray(anchor, dtype=np.int64)


def _need(spec, key, kind):
    if key not in spec:
        raise BadProperty(f"Mask '{kind}' needs '{key}'.")
    return spec[key]


def make_mask(kind: str, spec: dict, anchor=None) -> Mask:
    """The mask of type ``kind`` with parameters ``spec`` (NEST's names), moved by ``anchor``."""
    if not isinstance(spec, dict):
        raise BadProperty(f"Mask '{kind}' needs a dictionary of parameters.")
    extra = set(spec) - MASK_KEYS.get(kind, set(spec))
    if extra:
        raise NESTErrors.UnaccessedDictionaryEntry(
            f"Unaccessed elements in specs, in function CreateMask: {', '.join(sorted(extra))}. "
            f"Valid for '{kind}': {', '.join(sorted(MASK_KEYS[kind]))}."
        )
    if kind in ("circular", "spherical"):
        m = Ball(_need(spec, "radius", kind), 2 if kind == "circular" else 3)
    elif kind == "doughnut":
        m = Doughnut(_need(spec, "inner_radius", kind), _need(spec, "outer_radius", kind))
    elif kind in ("rectangular", "box"):
        m = Box(_need(spec, "lower_left", kind), _need(spec, "upper_right", kind),
                spec.get("azimuth_angle", 0.0), spec.get("polar_angle", 0.0))  # fmt: skip
        if m.ndim != (2 if kind == "rectangular" else 3):
            raise BadProperty(f"Mask '{kind}' needs {2 if kind == 'rectangular' else 3}-dimensional corners.")
    elif kind == "elliptical":
        m = Ellipse([_need(spec, "major_axis", kind), _need(spec, "minor_axis", kind)], spec.get("anchor"),
                    spec.get("azimuth_angle", 0.0))  # fmt: skip
    elif kind == "ellipsoidal":
        axes = [_need(spec, "major_axis", kind), _need(spec, "minor_axis", kind), _need(spec, "polar_axis", kind)]
        m = Ellipse(axes, spec.get("anchor"), spec.get("azimuth_angle", 0.0), spec.get("polar_angle", 0.0))
    elif kind == "grid":
        shape = spec.get("shape")
        if shape is None:
            shape = [_need(spec, "columns", kind), _need(spec, "rows", kind)]
        return GridMask(shape, anchor)
    else:
        raise NESTErrors.UndefinedName(f"The name {kind} is not defined.")
    if anchor is not None:
        m = Shifted(m, anchor)
    return m


def as_mask(mask) -> Mask:
    """A Mask object, or a connection specification's ``{"type": {...}, "anchor": [...]}``."""
    if isinstance(mask, Mask):
        return mask
    if not isinstance(mask, dict):
        raise BadProperty("mask must be a Mask object or a dictionary such as {'circular': {'radius': 0.5}}.")
    kinds = [k for k in mask if k != "anchor"]
    if len(kinds) != 1:
        raise BadProperty("A mask dictionary holds exactly one mask type (and optionally 'anchor').")
    return make_mask(kinds[0], mask[kinds[0]], mask.get("anchor"))


def CreateMask(masktype: str, specs: dict, anchor=None) -> Mask:  # noqa: N802 - PyNEST's name
    """Create a spatial mask.

    Parameters
    ----------
    masktype : str
        ``rectangular``, ``circular``, ``doughnut``, ``elliptical`` (2-D), ``box``,
        ``spherical``, ``ellipsoidal`` (3-D), or ``grid`` (grid layers).
    specs : dict
        The mask's parameters (``radius``, ``lower_left``/``upper_right``,
        ``inner_radius``/``outer_radius``, ``major_axis``/``minor_axis``/``polar_axis``,
        ``azimuth_angle``/``polar_angle`` in degrees, ``anchor``; ``shape`` for grid masks).
    anchor : sequence of float, optional
        Where the mask sits relative to the driver node.

    Returns
    -------
    Mask
    """
    return make_mask(masktype, specs, anchor)
