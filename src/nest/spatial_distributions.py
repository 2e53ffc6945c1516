"""``nest.spatial_distributions``: functions of spatial parameters used as connection
probabilities or weights (``gaussian(nest.spatial.distance, std=0.2)``)."""

from .spatial.params import exponential, gabor, gamma, gaussian, gaussian2D

__all__ = ["exponential", "gabor", "gamma", "gaussian", "gaussian2D"]
