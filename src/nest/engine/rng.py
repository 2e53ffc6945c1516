"""Counter-based random numbers for jitted kernels.

A draw is a pure function of (``rng_seed``, purpose, id, step, index): there is no
generator state to carry between threads or processes, so a simulation's result depends
on the seed alone, never on the number of threads or the order of updates.

The mixer is the 64-bit finaliser of SplitMix64 (Steele, Lea & Flood 2014), which passes
BigCrush when fed a counter.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_TO_UNIT = 1.0 / 9007199254740992.0  # 2**-53

# Purposes keep the streams of different consumers apart.
PURPOSE_POISSON = 1
PURPOSE_NOISE = 2
PURPOSE_CONNECT = 3
PURPOSE_PARAM = 4


@njit(inline="always", cache=True)
def mix64(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@njit(inline="always", cache=True)
def stream_key(seed, purpose, ident):
    """Key of one consumer's stream (a generator connection, a neuron, a rule call)."""
    h = mix64(np.uint64(seed) * _GOLDEN + np.uint64(purpose))
    return mix64(h ^ (np.uint64(ident) * _M1 + _GOLDEN))


@njit(cache=True)
def stream_keys(seed, purpose, idents):
    """``stream_key`` for an array of stream ids."""
    out = np.empty(idents.shape[0], dtype=np.uint64)
    for j in range(idents.shape[0]):
        out[j] = stream_key(seed, purpose, idents[j])
    return out


@njit(inline="always", cache=True)
def counter_key(key, step):
    """Key of the draws of one stream at one counter value (usually a time step)."""
    return mix64(key + np.uint64(step) * _GOLDEN)


@njit(inline="always", cache=True)
def uniform(key, index):
    """The ``index``-th uniform double in [0, 1) under ``key``."""
    return float(mix64(key + np.uint64(index) * _M2 + _GOLDEN) >> _S11) * _TO_UNIT


@njit(inline="always", cache=True)
def normal(key, index):
    """A standard normal deviate from uniforms ``index`` and ``index + 1`` (Box-Muller)."""
    u1 = uniform(key, index)
    u2 = uniform(key, index + 1)
    return math.sqrt(-2.0 * math.log1p(-u1)) * math.cos(2.0 * math.pi * u2)


@njit(cache=True)
def poisson_ptrs(key, lam):
    """Poisson deviate for large ``lam`` by transformed rejection (Hormann 1993, PTRS)."""
    slam = math.sqrt(lam)
    loglam = math.log(lam)
    b = 0.931 + 2.53 * slam
    a = -0.059 + 0.02483 * b
    inv_alpha = 1.1239 + 1.1328 / (b - 3.4)
    v_r = 0.9277 - 3.6224 / (b - 2.0)
    i = 0
    while True:
        u = uniform(key, i) - 0.5
        v = uniform(key, i + 1)
        i += 2
        us = 0.5 - abs(u)
        k = math.floor((2.0 * a / us + b) * u + lam + 0.43)
        if us >= 0.07 and v <= v_r:
            return k
        if k < 0 or (us < 0.013 and v > us):
            continue
        lhs = math.log(v) + math.log(inv_alpha) - math.log(a / (us * us) + b)
        if lhs <= -lam + k * loglam - math.lgamma(k + 1.0):
            return k


TABLE_MAX_LAMBDA = 40.0


def poisson_cdf_table(lam: float) -> np.ndarray:
    """Cumulative Poisson probabilities for inversion sampling; empty for large ``lam``."""
    if lam <= 0.0 or lam > TABLE_MAX_LAMBDA:
        return np.zeros(0)
    probs = [math.exp(-lam)]
    k = 0
    total = probs[0]
    while total < 1.0 - 1e-17 and k < 400:
        k += 1
        probs.append(probs[-1] * lam / k)
        total += probs[-1]
    cdf = np.cumsum(probs)
    cdf[-1] = 1.0
    return cdf


@njit(inline="always", cache=True)
def poisson_at(key, step, lam, cdf, n_cdf, base):
    """Poisson deviate of a stream at one step.

    One SplitMix64 output is inverted through the cumulative table ``cdf[:n_cdf]`` (padded
    with ones to at least ``base + 8`` entries), or fed to PTRS where ``n_cdf`` is 0. The
    table is searched branch-free over the eight entries from ``base`` (the mode, less a
    few), where most of the mass lies: a data-dependent loop exit mispredicts on random
    draws and cost three times as much.
    """
    x = mix64(key + np.uint64(step) * _GOLDEN)
    if n_cdf == 0:
        return poisson_ptrs(x, lam)
    u = float(np.int64(x >> _S11)) * _TO_UNIT
    if base > 0 and u < cdf[base - 1]:
        k = 0
        while u >= cdf[k]:
            k += 1
        return k
    k = base
    for q in range(8):
        k += u >= cdf[base + q]
    if k == base + 8:
        last = n_cdf - 1
        while k < last and u >= cdf[k]:
            k += 1
    return k


def poisson_search_base(lam: float) -> int:
    """Where ``poisson_at`` starts its branch-free search: a little below the mode."""
    return max(0, int(lam) - 3)
