"""``nest.logic``: choices between parameters."""

from .api.parameters import conditional

__all__ = ["conditional"]
