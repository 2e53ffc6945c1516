"""Connection rules: vectorised draws of (source, target) index pairs.

Each rule returns two index arrays into the source and target id arrays. Draws come from
a NumPy generator seeded by (``rng_seed``, number of the ``Connect`` call), so a network
depends on the seed and the order of calls alone, never on the number of threads.
"""

from __future__ import annotations

import numpy as np

from ..errors import BadProperty
from .connections import RepeatedIds

RULES = {
    "one_to_one": {},
    "all_to_all": {},
    "fixed_indegree": {"indegree": None},
    "fixed_outdegree": {"outdegree": None},
    "fixed_total_number": {"N": None},
    "pairwise_bernoulli": {"p": None},
    "pairwise_poisson": {"pairwise_avg_num_conns": None},
    "symmetric_pairwise_bernoulli": {"p": None},
}
COMMON = ("rule", "allow_autapses", "allow_multapses", "make_symmetric")


def _count(spec, key, rule) -> int:
    val = spec.get(key)
    if val is None:
        raise BadProperty(f"Connection rule '{rule}' requires '{key}'.")
    if isinstance(val, (bool, np.bool_)) or float(val) != int(val) or int(val) < 0:
        raise BadProperty(f"'{key}' of rule '{rule}' must be a non-negative integer, got {val!r}.")
    return int(val)


def _fixed_degree(rng, k, fixed_ids, pool_ids, autapses, multapses, rule, side):
    """For each node of one side, ``k`` partners drawn from the other side's pool.

    Returns (index into ``fixed_ids``, index into ``pool_ids``) per connection.
    """
    n_fixed, n_pool = len(fixed_ids), len(pool_ids)
    if n_pool == 0 and k:
        raise BadProperty(f"{rule}: there are no {side} to draw from.")
    if not multapses and k > n_pool - (0 if autapses else 1):
        raise BadProperty(
            f"{rule}: {rule.split('_')[1]} {k} exceeds the {n_pool} available {side} and multapses are not allowed."
        )
    # Each fixed node k times in a row, kept compact (a fixed_indegree block's targets).
    fi = RepeatedIds(np.arange(n_fixed, dtype=np.int32), k)
    if multapses:
        pi = rng.integers(0, n_pool, size=n_fixed * k, dtype=np.int32)
        if not autapses:
            fixed_rep = np.repeat(fixed_ids, k)
            while True:
                bad = np.flatnonzero(pool_ids[pi] == fixed_rep)
                if bad.size == 0:
                    break
                pi[bad] = rng.integers(0, n_pool, size=bad.size, dtype=np.int32)
        return fi, pi
    pi = np.empty(n_fixed * k, dtype=np.int64)
    for j in range(n_fixed):
        pool = np.arange(n_pool)
        if not autapses:
            pool = pool[pool_ids != fixed_ids[j]]
        pi[j * k : (j + 1) * k] = rng.choice(pool, size=k, replace=False)
    return fi, pi


def draw(rule: str, spec: dict, src_ids: np.ndarray, tgt_ids: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (into ``src_ids`` and ``tgt_ids``) of the connections ``rule`` makes.

    Indices are int32 (collections beyond 2**31 nodes are out of reach anyway), which halves
    the memory of the largest temporaries of a build.
    """
    ns, nt = len(src_ids), len(tgt_ids)
    autapses = bool(spec.get("allow_autapses", True))
    multapses = bool(spec.get("allow_multapses", True))
    if rule == "one_to_one":
        if ns != nt:
            raise BadProperty(f"one_to_one needs as many sources as targets, got {ns} and {nt}.")
        idx = np.arange(ns)
        if not autapses:
            idx = idx[src_ids != tgt_ids]
        return idx, idx
    if rule == "all_to_all":
        si = np.tile(np.arange(ns, dtype=np.int32), nt)
        ti = np.repeat(np.arange(nt, dtype=np.int32), ns)
        if not autapses:
            keep = src_ids[si] != tgt_ids[ti]
            si, ti = si[keep], ti[keep]
        return si, ti
    if rule == "fixed_indegree":
        k = _count(spec, "indegree", rule)
        ti, si = _fixed_degree(rng, k, tgt_ids, src_ids, autapses, multapses, rule, "sources")
        return si, ti
    if rule == "fixed_outdegree":
        k = _count(spec, "outdegree", rule)
        si, ti = _fixed_degree(rng, k, src_ids, tgt_ids, autapses, multapses, rule, "targets")
        return si.materialize(), ti
    if rule == "fixed_total_number":
        total = _count(spec, "N", rule)
        if not multapses and total > ns * nt:
            raise BadProperty(f"fixed_total_number: N={total} exceeds the {ns * nt} possible pairs without multapses.")
        if multapses:
            # Connections per target from a multinomial, then each target's sources: the
            # pairs come out grouped by target, so no sort is needed.
            counts = rng.multinomial(total, np.full(nt, 1.0 / nt)) if nt else np.zeros(0, np.int64)
            ti = np.repeat(np.arange(nt, dtype=np.int32), counts)
            si = rng.integers(0, ns, size=total, dtype=np.int32)
            if not autapses:
                tgt_rep = tgt_ids[ti]
                while True:
                    bad = np.flatnonzero(src_ids[si] == tgt_rep)
                    if bad.size == 0:
                        break
                    si[bad] = rng.integers(0, ns, size=bad.size, dtype=np.int32)
            return si, ti
        flat = np.sort(rng.choice(ns * nt, size=total, replace=False))
        si, ti = (flat % ns).astype(np.int32), (flat // ns).astype(np.int32)
        if not autapses and np.any(src_ids[si] == tgt_ids[ti]):
            raise BadProperty("fixed_total_number without multapses and autapses is not supported yet.")
        return si, ti
    if rule == "pairwise_bernoulli":
        p = spec.get("p")
        if p is None:
            raise BadProperty("Connection rule 'pairwise_bernoulli' requires 'p'.")
        p = float(p)
        if not 0.0 <= p <= 1.0:
            raise BadProperty(f"pairwise_bernoulli: p must be in [0, 1], got {p}.")
        si_parts, ti_parts = [], []
        for j in range(nt):
            hit = np.flatnonzero(rng.random(ns) < p)
            if not autapses:
                hit = hit[src_ids[hit] != tgt_ids[j]]
            si_parts.append(hit)
            ti_parts.append(np.full(hit.size, j))
        if not si_parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64)
        return np.concatenate(si_parts), np.concatenate(ti_parts)
    if rule == "pairwise_poisson":
        avg = spec.get("pairwise_avg_num_conns")
        if avg is None or not float(avg) >= 0:
            raise BadProperty("pairwise_poisson requires 'pairwise_avg_num_conns' >= 0.")
        if not multapses:
            raise BadProperty("pairwise_poisson needs allow_multapses=True (a pair may get several connections).")
        counts = rng.poisson(float(avg), size=(nt, ns))
        if not autapses:
            counts[tgt_ids[:, None] == src_ids[None, :]] = 0
        ti, si = np.nonzero(counts)
        reps = counts[ti, si]
        return np.repeat(si, reps).astype(np.int32), np.repeat(ti, reps).astype(np.int32)
    if rule == "symmetric_pairwise_bernoulli":
        if autapses:
            raise BadProperty("symmetric_pairwise_bernoulli: autapses must be disabled (allow_autapses=False).")
        if not spec.get("make_symmetric", False):
            raise BadProperty("symmetric_pairwise_bernoulli requires make_symmetric=True.")
        p = float(spec.get("p", -1))
        if not 0.0 <= p <= 1.0:
            raise BadProperty(f"symmetric_pairwise_bernoulli: p must be in [0, 1], got {spec.get('p')}.")
        # Each ordered pair with probability p gives a connection both ways (as NEST's rule).
        hit = rng.random((nt, ns)) < p
        hit &= tgt_ids[:, None] != src_ids[None, :]
        ti, si = np.nonzero(hit)
        pos_of_src = {int(g): k for k, g in enumerate(tgt_ids)}
        pos_of_tgt = {int(g): k for k, g in enumerate(src_ids)}
        try:
            back_s = np.array([pos_of_tgt[int(tgt_ids[t])] for t in ti], dtype=np.int64)
            back_t = np.array([pos_of_src[int(src_ids[s_])] for s_ in si], dtype=np.int64)
        except KeyError:
            raise BadProperty("symmetric_pairwise_bernoulli needs the same nodes as sources and targets.") from None
        return (np.concatenate([si, back_s]).astype(np.int32), np.concatenate([ti, back_t]).astype(np.int32))
    raise BadProperty(f"Unknown connection rule '{rule}'. Valid rules: {', '.join(RULES)}.")
