"""``TripartiteConnect``: neuron-to-neuron connections, some of them paired with a third
population (astrocytes) that listens to the source and acts on the target.

The primary connections come from ``conn_spec``'s rule, as ``Connect`` draws them. Then
(``third_factor_bernoulli_with_pool``) each primary connection is paired with probability
``p`` with one node drawn uniformly from its target's pool of third-factor nodes: the
source connects to that node (``syn_specs["third_in"]``) and the node to the target
(``syn_specs["third_out"]``). A target's pool is ``pool_size`` third-factor nodes drawn
without replacement (``pool_type`` "random"), or a fixed block of them ("block": with
``pool_size`` 1 and more targets than third-factor nodes, consecutive targets share one;
otherwise target j has nodes ``j pool_size .. (j + 1) pool_size - 1``). As NEST 3.10
(measured: pairing fractions, pool sizes and block maps; ``tests/test_models_astro.py``).
"""

from __future__ import annotations

import numpy as np

from ..engine import rules
from ..engine.kernel import kernel
from ..errors import BadProperty, IllegalConnection
from .connect import _check_receptor, _conn_spec, _connect_pairs, _syn_spec
from .nodes import to_node_collection

_BLOCK_SIZES = (
    "The sizes of target and third-factor populations and the chosen pool size do not fit. If pool_size == 1, "
    "the target population size must be a multiple of the third-factor population size. For pool_size > 1, "
    "size(targets) * pool_size == size(third factor) is required. For all other cases, use random pools."
)


def _third_spec(spec: dict, n_third: int) -> tuple[float, str, int]:
    rule = spec.get("rule")
    if rule != "third_factor_bernoulli_with_pool":
        raise IllegalConnection(
            f"Creation of connection is not possible because:\nUnknown third-factor connection rule '{rule}'."
        )
    unknown = set(spec) - {"rule", "p", "pool_type", "pool_size"}
    if unknown:
        raise IllegalConnection(
            f"Creation of connection is not possible because:\nUnknown parameter(s) {sorted(unknown)} of "
            "third_factor_bernoulli_with_pool; valid: p, pool_type, pool_size."
        )
    p = float(spec.get("p", 1.0))
    pool_type = spec.get("pool_type", "random")
    pool_size = int(spec.get("pool_size", 1))
    if not 0.0 <= p <= 1.0:
        raise BadProperty("Conditional probability of third-factor connection 0 ≤ p_third_if_primary ≤ 1 required")
    if pool_type not in ("random", "block"):
        raise BadProperty("pool_type must be 'random' or 'block'")
    if not 1 <= pool_size <= n_third:
        raise BadProperty("Pool size 1 ≤ pool_size ≤ size of third-factor population required")
    return p, pool_type, pool_size


def _pools(pool_type: str, pool_size: int, n_targets: int, n_third: int, rng) -> np.ndarray:
    """(n_targets, pool_size): the third-factor indices each target's connections pick from."""
    if pool_type == "random":
        return np.stack([rng.choice(n_third, size=pool_size, replace=False) for _ in range(n_targets)])
    if pool_size == 1 and n_targets % n_third == 0:
        return (np.arange(n_targets) // (n_targets // n_third))[:, None]
    if pool_size > 1 and n_targets * pool_size == n_third:
        return np.arange(n_third).reshape(n_targets, pool_size)
    raise BadProperty(_BLOCK_SIZES)


def TripartiteConnect(pre, post, third, conn_spec, third_factor_conn_spec, syn_specs=None) -> None:
    """Connect ``pre`` to ``post`` and pair connections with nodes of ``third``.

    Parameters
    ----------
    pre, post, third : NodeCollection
        Sources, targets and the third-factor population (``astrocyte_lr_1994``).
    conn_spec : dict
        The primary rule, as for ``Connect`` (NEST's examples use ``pairwise_bernoulli``).
    third_factor_conn_spec : dict
        ``{"rule": "third_factor_bernoulli_with_pool", "p": 1.0, "pool_type": "random",
        "pool_size": 1}`` (NEST's defaults).
    syn_specs : dict, optional
        ``"primary"``, ``"third_in"`` and ``"third_out"`` synapse specifications
        (static synapses by default; the third-factor output is usually ``sic_connection``).

    Raises
    ------
    BadProperty
        ``p`` outside [0, 1], an unknown ``pool_type``, a pool larger than ``third`` or block
        pools that do not fit the population sizes (NEST's words).
    IllegalConnection
        An unknown third-factor rule, or connections the models cannot make.
    """
    pre_nc = to_node_collection(pre, "pre")
    post_nc = to_node_collection(post, "post")
    third_nc = to_node_collection(third, "third")
    syn_specs = dict(syn_specs or {})
    unknown = set(syn_specs) - {"primary", "third_in", "third_out"}
    if unknown:
        raise BadProperty(f"syn_specs keys must be 'primary', 'third_in' and 'third_out', got {sorted(unknown)}.")
    rule = conn_spec.get("rule") if isinstance(conn_spec, dict) else conn_spec
    if rule not in rules.RULES:
        # NEST's words here differ from Connect's for an unknown rule.
        raise IllegalConnection(f"Creation of connection is not possible because:\nUnknown connection rule '{rule}'.")
    spec = _conn_spec(conn_spec)
    src, tgt, trd = pre_nc.ids(), post_nc.ids(), third_nc.ids()
    p, pool_type, pool_size = _third_spec(dict(third_factor_conn_spec or {}), len(trd))
    syn = {key: _syn_spec(syn_specs.get(key)) for key in ("primary", "third_in", "third_out")}
    _check_receptor(syn["primary"], tgt, src)
    _check_receptor(syn["third_in"], trd, src)
    _check_receptor(syn["third_out"], tgt, trd)
    rng = np.random.default_rng([kernel.rng_seed & 0xFFFFFFFF, kernel._connect_calls, 0x74726970])
    pools = _pools(pool_type, pool_size, len(tgt), len(trd), rng)
    si, ti = rules.draw(spec["rule"], spec, src, tgt, rng)
    paired = rng.random(len(si)) < p
    pi, pt = si[paired], ti[paired]
    ai = pools[pt, rng.integers(0, pool_size, size=len(pt))]
    ns, nt, na = len(src), len(tgt), len(trd)
    # _connect_pairs turns index arrays into ids in place: each call gets its own copies.
    # The third-factor connections first: a model that cannot make them (a static synapse out
    # of an astrocyte) is refused before any connection exists.
    _connect_pairs(syn["third_out"], trd, tgt, ai.copy(), pt.copy(), "one_to_one", na, nt, False)
    _connect_pairs(syn["third_in"], src, trd, pi.copy(), ai.copy(), "one_to_one", ns, na, False)
    _connect_pairs(syn["primary"], src, tgt, si, ti, spec["rule"], ns, nt, False)
