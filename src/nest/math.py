"""``nest.math``: functions of parameters."""

from .api.parameters import cos, exp, max, min, redraw, sin

__all__ = ["cos", "exp", "max", "min", "redraw", "sin"]
