"""The counter-based random numbers: Poisson counts with the right distribution, streams apart."""

from __future__ import annotations

import math

import numpy as np
import pytest
from numba import njit

from nest.engine import rng


@njit(cache=True)
def _draws(key, n, lam, prob, alias, n_table):
    out = np.empty(n, np.int64)
    for i in range(n):
        out[i] = rng.poisson_at(key, i, lam, prob, alias, n_table)
    return out


@pytest.mark.parametrize("lam", [0.05, 0.8, 2.0, 8.0, 30.0, 75.0])
def test_poisson_counts_follow_the_poisson_distribution(lam):
    prob, alias = rng.poisson_alias_table(lam)
    n_table = len(prob)
    if not n_table:  # large means: PTRS
        prob, alias = np.zeros(1, np.uint64), np.zeros(1, np.int64)
    n = 400_000
    x = _draws(np.uint64(987654321), n, lam, prob, alias, n_table)
    assert abs(x.mean() - lam) < 5 * math.sqrt(lam / n)
    assert abs(x.var() - lam) < 6 * lam * math.sqrt(2 / n) + 6 * math.sqrt(lam / n)
    # Pearson chi-square over the counts with at least 50 expected entries.
    ks = np.arange(x.max() + 1)
    pmf = np.exp(ks * math.log(lam) - lam - np.array([math.lgamma(k + 1) for k in ks]))
    expected = pmf * n
    seen = np.bincount(x, minlength=len(ks))
    keep = expected >= 50
    chi2 = np.sum((seen[keep] - expected[keep]) ** 2 / expected[keep])
    dof = keep.sum() - 1
    assert chi2 < dof + 6 * math.sqrt(2 * dof)


def test_streams_of_different_keys_are_uncorrelated():
    prob, alias = rng.poisson_alias_table(2.0)

    def keyed(seed, ident):
        return rng.stream_keys(np.uint64(seed), np.uint64(1), np.array([ident], dtype=np.uint64))[0]

    a = _draws(keyed(1, 10), 200_000, 2.0, prob, alias, len(prob))
    b = _draws(keyed(1, 11), 200_000, 2.0, prob, alias, len(prob))
    c = _draws(keyed(2, 10), 200_000, 2.0, prob, alias, len(prob))
    assert abs(np.corrcoef(a, b)[0, 1]) < 0.01 and abs(np.corrcoef(a, c)[0, 1]) < 0.01
    assert not np.array_equal(a, b)
