"""``nest.spatial``: layer positions (``grid``, ``free``) and spatial parameters.

``distance`` is the distance between the two ends of a connection (``distance.x`` etc. along
one axis); ``pos`` the position of a node (for ``Create``/``set``); ``source_pos`` and
``target_pos`` the positions of a connection's ends.
"""

from .layers import free, grid
from .params import distance, pos, source_pos, target_pos

__all__ = ["distance", "free", "grid", "pos", "source_pos", "target_pos"]
