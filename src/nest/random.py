"""``nest.random``: random parameters for ``Create``, ``set`` and ``Connect``."""

from .api.parameters import exponential, lognormal, normal, uniform, uniform_int

__all__ = ["exponential", "lognormal", "normal", "uniform", "uniform_int"]
