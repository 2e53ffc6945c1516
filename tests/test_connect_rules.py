"""Connection rules and synapse specifications: counts, structure, arrays, autapses, multapses."""

from __future__ import annotations

import numpy as np
import pytest

import nest


def _pairs():
    c = nest.GetConnections()
    return np.array(c.get("source")), np.array(c.get("target"))


def test_default_rule_is_all_to_all():
    a = nest.Create("iaf_psc_alpha", 3)
    b = nest.Create("iaf_psc_alpha", 4)
    nest.Connect(a, b)
    s, t = _pairs()
    assert len(s) == 12 and set(zip(s, t)) == {(i, j) for i in a.tolist() for j in b.tolist()}


def test_one_to_one_with_weight_and_delay_arrays():
    a = nest.Create("iaf_psc_alpha", 4)
    b = nest.Create("iaf_psc_alpha", 4)
    w = np.array([1.0, 2.0, 3.0, 4.0])
    d = np.array([1.0, 1.5, 2.0, 2.5])
    nest.Connect(a, b, "one_to_one", {"weight": w, "delay": d})
    c = nest.GetConnections(a, b)
    assert c.get("source") == a.tolist() and c.get("target") == b.tolist()
    assert c.get("weight") == w.tolist() and c.get("delay") == d.tolist()
    assert nest.GetKernelStatus(["min_delay", "max_delay"]) == (1.0, 2.5)


def test_all_to_all_without_autapses_and_2d_weights():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, {"rule": "all_to_all", "allow_autapses": False})
    s, t = _pairs()
    assert len(s) == 6 and np.all(s != t)
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha", 2)
    b = nest.Create("iaf_psc_alpha", 3)
    w = np.arange(6.0).reshape(3, 2)  # (targets, sources)
    nest.Connect(a, b, "all_to_all", {"weight": w})
    c = nest.GetConnections()
    for s_, t_, w_ in zip(c.get("source"), c.get("target"), c.get("weight")):
        assert w_ == w[t_ - 3, s_ - 1]


def test_fixed_indegree_counts_and_autapses():
    a = nest.Create("iaf_psc_delta", 50)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 10, "allow_autapses": False})
    s, t = _pairs()
    assert np.all(np.bincount(t, minlength=51)[1:] == 10)
    assert np.all(s != t)


def test_fixed_indegree_without_multapses_has_distinct_sources():
    a = nest.Create("iaf_psc_delta", 20)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 19, "allow_autapses": False, "allow_multapses": False})
    s, t = _pairs()
    for tgt in a.tolist():
        srcs = s[t == tgt]
        assert len(set(srcs)) == 19 and tgt not in srcs


def test_fixed_outdegree_counts():
    a = nest.Create("iaf_psc_delta", 30)
    b = nest.Create("iaf_psc_delta", 40)
    nest.Connect(a, b, {"rule": "fixed_outdegree", "outdegree": 7, "allow_multapses": False})
    s, t = _pairs()
    assert np.all(np.bincount(s, minlength=31)[1:] == 7)
    for src in a.tolist():
        assert len(set(t[s == src])) == 7


def test_fixed_total_number():
    a = nest.Create("iaf_psc_delta", 30)
    b = nest.Create("iaf_psc_delta", 40)
    nest.Connect(a, b, {"rule": "fixed_total_number", "N": 500})
    s, t = _pairs()
    assert len(s) == 500 and set(s) <= set(a.tolist()) and set(t) <= set(b.tolist())


def test_pairwise_bernoulli_probability():
    a = nest.Create("iaf_psc_delta", 200)
    b = nest.Create("iaf_psc_delta", 200)
    nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": 0.1})
    n = nest.num_connections
    assert abs(n - 4000) < 4 * np.sqrt(4000 * 0.9)
    with pytest.raises(nest.NESTErrors.BadProperty, match=r"\[0, 1\]"):
        nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": 1.5})


def test_same_seed_same_network_other_seed_other_network():
    def build(seed):
        nest.ResetKernel()
        nest.rng_seed = seed
        a = nest.Create("iaf_psc_delta", 100)
        nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 10})
        return _pairs()[0]

    assert np.array_equal(build(5), build(5))
    assert not np.array_equal(build(5), build(6))


def test_synapse_model_by_name_and_2x_model_key():
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a[0], a[1], syn_spec="static_synapse")
    with pytest.warns(DeprecationWarning, match="synapse_model"):
        nest.Connect(a[1], a[0], syn_spec={"model": "static_synapse", "weight": 3.0})
    assert nest.GetConnections().get("synapse_model") == ["static_synapse", "static_synapse"]
    nest.CopyModel("static_synapse", "strong", {"weight": 9.0})
    nest.Connect(a[0], a[0], syn_spec="strong")
    assert nest.GetConnections(synapse_model="strong").get("weight") == 9.0


def test_connect_returns_synapse_collection():
    a = nest.Create("iaf_psc_alpha", 3)
    conns = nest.Connect(a, a, "one_to_one", {"weight": 2.0}, return_synapsecollection=True)
    assert len(conns) == 3 and conns.get("weight") == [2.0, 2.0, 2.0]


def test_synapse_collection_indexing_and_iteration():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, "one_to_one", {"weight": [1.0, 2.0, 3.0]})
    c = nest.GetConnections()
    assert len(c[1:]) == 2 and c[-1].get("weight") == 3.0 and c[0].get("source") == 1
    assert [x.get("target") for x in c] == [1, 2, 3]


def test_pairwise_poisson_mean_number_of_connections():
    a = nest.Create("iaf_psc_delta", 60)
    nest.Connect(a, a, {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.5})
    n = nest.num_connections
    assert abs(n - 1800) < 5 * np.sqrt(1800)
    with pytest.raises(nest.NESTErrors.BadProperty, match="multapses"):
        nest.Connect(a, a, {"rule": "pairwise_poisson", "pairwise_avg_num_conns": 0.5, "allow_multapses": False})


def test_symmetric_pairwise_bernoulli_is_symmetric():
    a = nest.Create("iaf_psc_delta", 50)
    with pytest.raises(nest.NESTErrors.BadProperty, match="autapses"):
        nest.Connect(a, a, {"rule": "symmetric_pairwise_bernoulli", "p": 0.2})
    nest.Connect(
        a, a, {"rule": "symmetric_pairwise_bernoulli", "p": 0.2, "allow_autapses": False, "make_symmetric": True}
    )
    s, t = _pairs()
    pairs = list(zip(s.tolist(), t.tolist()))
    assert abs(len(pairs) - 980) < 5 * np.sqrt(980) and np.all(s != t)
    assert sorted(pairs) == sorted((b, a_) for a_, b in pairs)


def test_make_symmetric_one_to_one():
    a = nest.Create("iaf_psc_alpha", 3)
    b = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, b, {"rule": "one_to_one", "make_symmetric": True}, {"weight": [1.0, 2.0, 3.0]})
    c = nest.GetConnections()
    got = sorted(zip(c.get("source"), c.get("target"), c.get("weight")))
    assert got == [(1, 4, 1.0), (2, 5, 2.0), (3, 6, 3.0), (4, 1, 1.0), (5, 2, 2.0), (6, 3, 3.0)]
    with pytest.raises(nest.NESTErrors.BadProperty, match="one_to_one"):
        nest.Connect(a, b, {"rule": "all_to_all", "make_symmetric": True})
