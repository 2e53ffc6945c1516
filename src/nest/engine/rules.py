"""Connection rules: vectorised draws of (source, target) index pairs.

Each rule returns two index arrays into the source and target id arrays. Draws come from
a NumPy generator seeded by (``rng_seed``, number of the ``Connect`` call), so a network
depends on the seed and the order of calls alone, never on the number of threads.
"""

from __future__ import annotations

import numpy as np

from ..errors import BadProperty

RULES = {
    "one_to_one": {},
    "all_to_all": {},
    "fixed_indegree": {"indegree": None},
    "fixed_outdegree": {"outdegree": None},
    "fixed_total_number": {"N": None},
    "pairwise_bernoulli": {"p": None},
}
COMMON = ("rule", "allow_autapses", "allow_multapses", "make_symmetric")


def _count(spec, key, rule) -> int:
    val = spec.get(key)
    if val is None:
        raise BadProperty(f"Connection rule '{rule}' requires '{key}'.")
    if isinstance(val, (bool, np.bool_)) or float(val) != int(val) or int(val) < 0:
        raise BadProperty(f"'{key}' of rule '{rule}' must be a non-negative integer, got {val!r}.")
    return int(val)


def _redraw_autapses(rng, src_ids, tgt_ids, si, ti, n_src):
    """Redraw sources equal to their target until none is left."""
    while True:
        bad = np.flatnonzero(src_ids[si] == tgt_ids[ti])
        if bad.size == 0:
            return si
        si[bad] = rng.integers(0, n_src, size=bad.size)


def draw(rule: str, spec: dict, src_ids: np.ndarray, tgt_ids: np.ndarray, rng) -> tuple[np.ndarray, np.ndarray]:
    """Index pairs (into ``src_ids`` and ``tgt_ids``) of the connections ``rule`` makes."""
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
        si = np.tile(np.arange(ns), nt)
        ti = np.repeat(np.arange(nt), ns)
        if not autapses:
            keep = src_ids[si] != tgt_ids[ti]
            si, ti = si[keep], ti[keep]
        return si, ti
    if rule == "fixed_indegree":
        k = _count(spec, "indegree", rule)
        if ns == 0 and k:
            raise BadProperty("fixed_indegree: there are no sources to draw from.")
        if not multapses and k > ns - (0 if autapses else 1):
            raise BadProperty(
                f"fixed_indegree: indegree {k} exceeds the {ns} available sources and multapses are not allowed."
            )
        ti = np.repeat(np.arange(nt, dtype=np.int64), k)
        if multapses:
            si = rng.integers(0, ns, size=nt * k)
            if not autapses:
                si = _redraw_autapses(rng, src_ids, tgt_ids, si, ti, ns)
        else:
            si = np.empty(nt * k, dtype=np.int64)
            for j in range(nt):
                pool = np.arange(ns)
                if not autapses:
                    pool = pool[src_ids != tgt_ids[j]]
                si[j * k : (j + 1) * k] = rng.choice(pool, size=k, replace=False)
        return si, ti
    if rule == "fixed_outdegree":
        k = _count(spec, "outdegree", rule)
        if not multapses and k > nt - (0 if autapses else 1):
            raise BadProperty(
                f"fixed_outdegree: outdegree {k} exceeds the {nt} available targets and multapses are not allowed."
            )
        si = np.repeat(np.arange(ns, dtype=np.int64), k)
        if multapses:
            ti = rng.integers(0, nt, size=ns * k)
            if not autapses:
                while True:
                    bad = np.flatnonzero(src_ids[si] == tgt_ids[ti])
                    if bad.size == 0:
                        break
                    ti[bad] = rng.integers(0, nt, size=bad.size)
        else:
            ti = np.empty(ns * k, dtype=np.int64)
            for j in range(ns):
                pool = np.arange(nt)
                if not autapses:
                    pool = pool[tgt_ids != src_ids[j]]
                ti[j * k : (j + 1) * k] = rng.choice(pool, size=k, replace=False)
        return si, ti
    if rule == "fixed_total_number":
        total = _count(spec, "N", rule)
        if not multapses and total > ns * nt:
            raise BadProperty(f"fixed_total_number: N={total} exceeds the {ns * nt} possible pairs without multapses.")
        if multapses:
            si = rng.integers(0, ns, size=total)
            ti = rng.integers(0, nt, size=total)
            if not autapses:
                while True:
                    bad = np.flatnonzero(src_ids[si] == tgt_ids[ti])
                    if bad.size == 0:
                        break
                    si[bad] = rng.integers(0, ns, size=bad.size)
                    ti[bad] = rng.integers(0, nt, size=bad.size)
        else:
            flat = rng.choice(ns * nt, size=total, replace=False)
            si, ti = flat % ns, flat // ns
            if not autapses and np.any(src_ids[si] == tgt_ids[ti]):
                raise BadProperty("fixed_total_number without multapses and autapses is not supported yet.")
        order = np.lexsort((si, ti))
        return si[order], ti[order]
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
    raise BadProperty(f"Unknown connection rule '{rule}'. Valid rules: {', '.join(RULES)}.")
