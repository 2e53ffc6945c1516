"""The connection store: CSR compression, released blocks, connecting after a simulation."""

from __future__ import annotations

import numpy as np

import nest
from nest.engine.connections import CONST, PER_ROW, PER_SYNAPSE
from nest.engine.kernel import kernel


def _brunel_like(ne=400, stages=1):
    nest.ResetKernel()
    nest.rng_seed = 7
    e = nest.Create("iaf_psc_delta", ne, params={"I_e": 0.0})
    i = nest.Create("iaf_psc_delta", ne // 4)
    pg = nest.Create("poisson_generator", params={"rate": 12000.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(e, e + i, {"rule": "fixed_indegree", "indegree": 40}, {"weight": 0.2, "delay": 1.5})
    if stages == 2:
        nest.Simulate(0.0)  # prepares the network: the CSR takes over the first block
        assert any(b.released for b in kernel.blocks)
    nest.Connect(i, e + i, {"rule": "fixed_indegree", "indegree": 10}, {"weight": -1.0, "delay": 1.5})
    nest.Connect(pg, e + i, syn_spec={"weight": 0.2, "delay": 1.5})
    nest.Connect(e + i, sr, syn_spec={"delay": 1.5})
    return sr


def _connections():
    c = nest.GetConnections()
    return {k: np.array(v) for k, v in c.get(["source", "target", "weight", "delay"]).items()}


def test_constant_columns_are_stored_once_per_row():
    _brunel_like()
    nest.Simulate(1.0)
    csr = kernel.csr
    assert csr.weight.mode == PER_ROW and csr.delay.mode == CONST
    assert csr.target.dtype == np.uint16 and csr.nnz == 500 * 40 + 500 * 10  # 2 bytes per synapse here


def test_released_blocks_still_answer_getconnections():
    sr = _brunel_like()
    before = _connections()
    nest.Simulate(1.0)
    assert any(b.released for b in kernel.blocks)
    after = _connections()
    for key in before:
        np.testing.assert_array_equal(before[key], after[key])
    assert nest.num_connections == len(after["source"])
    assert set(after["weight"][after["target"] != sr.global_id]) == {0.2, -1.0}


def test_connecting_in_stages_gives_the_same_network_and_spikes():
    sr = _brunel_like(stages=1)
    nest.Simulate(300.0)
    one = (_connections(), sr.events["senders"], sr.events["times"])
    sr = _brunel_like(stages=2)
    nest.Simulate(300.0)
    two = (_connections(), sr.events["senders"], sr.events["times"])
    for key in one[0]:
        np.testing.assert_array_equal(one[0][key], two[0][key])
    assert len(one[1]) > 100
    np.testing.assert_array_equal(one[1], two[1])
    np.testing.assert_array_equal(one[2], two[2])
    assert kernel.csr.weight.mode == PER_ROW  # still compact after the rebuild


def test_a_block_that_cannot_be_released_brings_the_others_back():
    a = nest.Create("iaf_psc_alpha", 20)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 3}, {"weight": 2.0})
    nest.Simulate(5.0)
    assert all(b.released for b in kernel.blocks)
    p = nest.Create("parrot_neuron")
    nest.Connect(a[:2], p, syn_spec={"weight": 7.0})  # parrots count spikes: not releasable
    nest.Simulate(5.0)
    assert not any(b.released for b in kernel.blocks)
    c = _connections()
    assert len(c["source"]) == 62
    assert np.all(c["weight"][c["target"] == p.global_id] == 7.0)
    assert np.sum(c["weight"] == 2.0) == 60


def test_per_synapse_weights_survive_release():
    a = nest.Create("iaf_psc_alpha", 10)
    w = np.linspace(1.0, 10.0, 10)
    nest.Connect(a, nest.Create("iaf_psc_alpha", 10), "one_to_one", {"weight": w})
    nest.Simulate(1.0)
    assert kernel.csr.weight.mode == PER_SYNAPSE
    c = nest.GetConnections()
    got = dict(zip(zip(c.get("source"), c.get("target")), c.get("weight")))
    for k in range(10):
        assert got[(k + 1, k + 11)] == w[k]


def test_large_networks_get_wider_ids_and_the_same_connections():
    # Above 65536 nodes neither blocks nor the CSR can keep ids in two bytes.
    a = nest.Create("iaf_psc_delta", 70000)
    nest.Connect(a[:3], a[-2:], "all_to_all", {"weight": 2.0})
    nest.Connect(a[-2:], a[:2], "all_to_all", {"weight": 3.0})
    nest.Simulate(0.1)
    assert kernel.csr.target.dtype == np.uint32
    c = nest.GetConnections()
    assert sorted(zip(c.get("source"), c.get("target"))) == sorted(
        [(s, t) for s in (1, 2, 3) for t in (69999, 70000)] + [(s, t) for s in (69999, 70000) for t in (1, 2)]
    )


def test_small_static_blocks_keep_two_byte_ids_until_released():
    a = nest.Create("iaf_psc_delta", 300)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 5})
    assert kernel.blocks[-1].source.dtype == np.uint16
    got = nest.GetConnections()
    assert len(got) == 1500 and set(got.get("source")) <= set(range(1, 301))
    nest.Simulate(1.0)
    again = nest.GetConnections()
    assert sorted(zip(got.get("source"), got.get("target"))) == sorted(zip(again.get("source"), again.get("target")))


def test_two_byte_ids_stop_at_65535():
    # 65536 nodes: the last id no longer fits in two bytes, the block keeps four.
    a = nest.Create("iaf_psc_delta", 65536)
    nest.Connect(a[-1], a[0], syn_spec={"weight": 1.0})
    assert kernel.blocks[-1].source.dtype != np.uint16
    nest.Simulate(0.1)
    c = nest.GetConnections(a[-1])
    assert c.get("source") == 65536 and c.get("target") == 1
