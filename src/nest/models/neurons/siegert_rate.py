"""The Siegert formula: the firing rate of a leaky integrate-and-fire neuron under
Gaussian white-noise input (filled in below)."""

from __future__ import annotations

from numba import njit


@njit(cache=True)
def siegert_rate(mu, sigma2, q):
    return 0.0
