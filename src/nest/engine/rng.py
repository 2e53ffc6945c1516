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
PURPOSE_SYNAPSE = 5


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


def poisson_alias_table(lam: float) -> tuple[np.ndarray, np.ndarray]:
    """Walker's alias table of the Poisson distribution (Vose's construction).

    Returns ``(threshold, alias)``, both empty where ``lam`` is 0 or too large for a table
    (PTRS is used then): a draw picks column ``j`` and keeps ``j`` when 32 random bits fall
    below ``threshold[j]`` (the column's own probability times 2**32), else takes
    ``alias[j]``; probabilities are thus exact to 2**-32. The table covers counts until
    the tail left is below 1e-17; that tail is given to the last count.
    """
    if lam <= 0.0 or lam > TABLE_MAX_LAMBDA:
        return np.zeros(0, dtype=np.uint64), np.zeros(0, dtype=np.int64)
    pmf = [math.exp(-lam)]
    total = pmf[0]
    while total < 1.0 - 1e-17 and len(pmf) < 400:
        pmf.append(pmf[-1] * lam / len(pmf))
        total += pmf[-1]
    pmf[-1] += 1.0 - total
    k = len(pmf)
    prob = np.array(pmf) * k
    alias = np.arange(k, dtype=np.int64)
    small = [i for i in range(k) if prob[i] < 1.0]
    large = [i for i in range(k) if prob[i] >= 1.0]
    while small and large:
        s_, l_ = small.pop(), large.pop()
        alias[s_] = l_
        prob[l_] += prob[s_] - 1.0
        (small if prob[l_] < 1.0 else large).append(l_)
    for i in small + large:
        prob[i] = 1.0
    threshold = np.minimum(np.floor(prob * 2.0**32), 2.0**32).astype(np.uint64)
    return threshold, alias


_S32 = np.uint64(32)
_LOW32 = np.uint64(0xFFFFFFFF)


@njit(inline="always", cache=True)
def poisson_at(key, step, lam, threshold, alias, n_table):
    """Poisson deviate of a stream at one step.

    One SplitMix64 output: its high 32 bits pick a column of the alias table
    (multiply-shift), its low 32 bits choose between the column's own count and its
    alias, in integer arithmetic and without a branch (random branches mispredict; this
    draw costs about 2.5 ns). Means too large for a table go to PTRS.
    """
    x = mix64(key + np.uint64(step) * _GOLDEN)
    if n_table == 0:
        return poisson_ptrs(x, lam)
    # The column as an unsigned index (Numba skips its negative-index check), then signed
    # for the arithmetic (mixing uint64 and int64 would give floats).
    ju = ((x >> _S32) * np.uint64(n_table)) >> _S32
    a = alias[ju]
    j = np.int64(ju)
    return a + ((x & _LOW32) < threshold[ju]) * (j - a)
