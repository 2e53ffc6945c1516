"""Plastic synapses against real NEST 3.10: defaults, weight trajectories, traces, errors."""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import plasticity as protocols  # noqa: E402

REF = load_json("plasticity.json")


def _array(rows):
    return np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)


def _by_pair(run, key):
    """Per read: {(source, target, model): sorted values}, NEST's order within a source being arbitrary."""
    out = []
    for i, row in enumerate(run[key]):
        src, tgt, mdl = (
            run["first_order"] if i < run["switch"] else (run["final_source"], run["final_target"], run["final_model"])
        )
        groups: dict = {}
        for s_, t_, m_, v in zip(src, tgt, mdl, row):
            if v is not None:
                groups.setdefault((s_, t_, m_), []).append(v)
        out.append({k: sorted(v) for k, v in groups.items()})
    return out


def _assert_same_by_pair(got, ref, key, atol):
    g, r = _by_pair(got, key), _by_pair(ref, key)
    assert len(g) == len(r)
    for gi, ri in zip(g, r):
        assert gi.keys() == ri.keys()
        for k in ri:
            np.testing.assert_allclose(gi[k], ri[k], rtol=0, atol=atol)


@pytest.mark.parametrize("model", protocols.MODELS)
def test_defaults_equal_nest(model):
    ref = REF["defaults"][model]
    got = nest.GetDefaults(model)
    for key, value in ref.items():
        assert key in got, key
        if isinstance(value, dict) and "__NodeCollection__" in value:
            assert got[key].tolist() == value["__NodeCollection__"], key
            continue
        assert got[key] == value, key


@pytest.fixture(scope="module")
def stdp_run():
    return protocols.stdp_protocol(nest)


def test_stdp_connections_in_nest_order(stdp_run):
    ref = REF["stdp"]
    for k in range(3):
        assert list(stdp_run["first_order"][k]) == ref["first_order"][k]
    # After more connections NEST keeps the sources' order only.
    assert stdp_run["final_source"] == ref["final_source"]
    assert stdp_run["final_model"] == ref["final_model"]
    assert sorted(zip(stdp_run["final_source"], stdp_run["final_target"])) == sorted(
        zip(ref["final_source"], ref["final_target"])
    )


def test_stdp_weights_follow_nest(stdp_run):
    _assert_same_by_pair(stdp_run, REF["stdp"], "weights", 1e-9)
    # The protocol does change the weights, up and down.
    ref = _array(REF["stdp"]["weights"])
    change = ref[REF["stdp"]["switch"] - 1] - ref[0]
    assert np.nanmax(change) > 1.0 and np.nanmin(change) < -1.0


@pytest.mark.parametrize("model", [m for m in protocols.RULE_SETS if m != "stdp_synapse"])
def test_other_pairing_rules_follow_nest(model):
    got = protocols.stdp_protocol(nest, t_stop=200.0, model=model)
    ref = REF["rules"][model]
    assert got["final_source"] == ref["final_source"]
    _assert_same_by_pair(got, ref, "weights", 1e-9)
    _assert_same_by_pair(got, ref, "kplus", 1e-9)
    w = _array(ref["weights"])
    assert np.nanmax(np.abs(w[-1] - w[0])) > 0.01  # the rule does act


def test_stdp_traces_and_membrane_follow_nest(stdp_run):
    _assert_same_by_pair(stdp_run, REF["stdp"], "kplus", 1e-9)
    assert stdp_run["vm_senders"] == REF["stdp"]["vm_senders"]
    np.testing.assert_allclose(stdp_run["vm"], REF["stdp"]["vm"], atol=1e-9)


@pytest.mark.parametrize("model", ["tsodyks2_synapse", "tsodyks_synapse", "ht_synapse"])
def test_tsodyks_follows_nest(model):
    got = protocols.tsodyks_protocol(nest, model)
    ref = REF[model.replace("_synapse", "")]
    for key in protocols.STATE[model]:
        np.testing.assert_allclose(_array(got[key]), _array(ref[key]), atol=1e-12)
    np.testing.assert_allclose(got["vm"], ref["vm"], atol=1e-9)
    first = protocols.STATE[model][-1]
    assert np.ptp(_array(ref[first])) > 0.2  # the synapses do change


@pytest.mark.parametrize("model", list(protocols.STOCHASTIC))
def test_stochastic_synapses_match_nest_statistics(model):
    got = protocols.stochastic_protocol(nest, model)
    ref = REF["stochastic"][model]
    mean, var, n = np.array(ref["mean"]), np.array(ref["var"]), ref["n_post"]
    # Each mean over n independent synapses: within 4.5 standard errors of NEST's (of both).
    se = np.sqrt((var + np.array(got["var"])) / n) + 1e-12
    assert np.all(np.abs(np.array(got["mean"]) - mean) < 4.5 * se)
    # The variances agree too (to 25 %, ample for n = 2000), and the synapses do vary.
    np.testing.assert_allclose(got["var"], var, rtol=0.25, atol=0.02)
    assert var.max() > 0.1


def test_stdp_pl_follows_nest():
    got = protocols.stdp_pl_protocol(nest)
    ref = REF["stdp_pl"]
    assert got["source"] == ref["source"] and got["target"] == ref["target"]
    np.testing.assert_allclose(_array(got["weights"]), _array(ref["weights"]), rtol=0, atol=1e-9)
    np.testing.assert_allclose(_array(got["kplus"]), _array(ref["kplus"]), rtol=0, atol=1e-9)
    w = _array(ref["weights"])
    assert np.ptp(w[:, 0]) > 0.5 and not np.allclose(w[:, 0], w[:, -1])


def test_two_threads_give_the_same_weights():
    one = protocols.stdp_protocol(nest, t_stop=100.0)
    nest.ResetKernel()

    original = nest.ResetKernel

    def reset_two_threads():
        original()
        nest.local_num_threads = 2

    try:
        nest.ResetKernel = reset_two_threads
        two = protocols.stdp_protocol(nest, t_stop=100.0)
    finally:
        nest.ResetKernel = original
    np.testing.assert_array_equal(_array(one["weights"]), _array(two["weights"]))
    np.testing.assert_array_equal(one["vm"], two["vm"])


def test_synapse_labels_select_connections_as_in_nest():
    assert protocols.label_protocol(nest) == REF["labels"]
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="synapse_label"):
        a = nest.Create("iaf_psc_alpha", 2)
        nest.Connect(a[0], a[1], syn_spec={"synapse_model": "static_synapse", "synapse_label": 3})


@pytest.mark.parametrize("deliver_interval", [1, 3])
def test_dopamine_modulated_stdp_follows_nest(deliver_interval):
    got = protocols.dopamine_protocol(nest, deliver_interval)
    ref = REF["dopamine"][str(deliver_interval)]
    assert got["source"] == ref["source"] and got["target"] == ref["target"]
    for key in ("weight", "c", "n", "Kplus"):
        np.testing.assert_allclose(_array(got[key]), _array(ref[key]), rtol=0, atol=1e-9, err_msg=key)
    w = _array(ref["weight"])
    assert np.ptp(w[:, 0]) > 0.1 and np.ptp(_array(ref["n"])) > 0.01


def test_stdp_with_precise_spikes_follows_nest():
    got = protocols.precise_stdp_protocol(nest)
    ref = REF["precise_stdp"]
    np.testing.assert_allclose(_array(got["weights"]), _array(ref["weights"]), rtol=0, atol=1e-9)
    assert np.ptp(_array(ref["weights"])) > 0.05
    # The synapses' events keep the presynaptic offsets into the precise neurons.
    np.testing.assert_allclose(got["vm"], ref["vm"], rtol=0, atol=1e-9)


def test_weight_recorder_lists_the_learned_weights_as_nest():
    got = protocols.weight_recorder_protocol(nest)
    ref = REF["weight_recorder"]
    for key in ("senders", "targets", "times", "ports"):
        assert got[key] == ref[key], key
    np.testing.assert_allclose(got["weights"], ref["weights"], rtol=0, atol=1e-9)
    assert len(set(ref["weights"])) > 2


def test_common_properties_are_refused_per_connection():
    a = nest.Create("parrot_neuron", 2)
    with pytest.raises(nest.NESTErrors.NotImplemented, match="tau_plus"):
        nest.Connect(a[0], a[1], syn_spec={"synapse_model": "stdp_synapse_hom", "tau_plus": 5.0})
    with pytest.raises(nest.NESTErrors.NotImplemented, match="weight"):
        nest.Connect(a[0], a[1], syn_spec={"synapse_model": "static_synapse_hom_w", "weight": 2.0})


def test_bad_plastic_values_raise_nest_errors():
    a = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(nest.NESTErrors.BadProperty, match="'U' must be in"):
        nest.Connect(a[0], a[1], syn_spec={"synapse_model": "tsodyks2_synapse", "U": 2.0})
    with pytest.raises(nest.NESTErrors.BadProperty, match="same sign"):
        nest.Connect(a[0], a[1], syn_spec={"synapse_model": "stdp_synapse", "Wmax": -1.0})
    # NEST takes a lone negative weight, and checks the sign when the connection is set.
    nest.Connect(a[0], a[1], syn_spec={"synapse_model": "stdp_synapse", "weight": -1.0})
    conn = nest.GetConnections(a[0], a[1])
    with pytest.raises(nest.NESTErrors.BadProperty, match="same sign"):
        conn.set(Kplus=0.5)
    conn.set(Wmax=-10.0, Kplus=0.5)
    assert conn.get("Kplus") == 0.5 and conn.get("Wmax") == -10.0
    nest.Simulate(5.0)
    assert conn.get("Kplus") == 0.5  # no presynaptic spike yet


def test_set_before_simulate_reaches_the_store():
    pre = nest.Create("parrot_neuron")
    post = nest.Create("iaf_psc_alpha")
    sg = nest.Create("spike_generator", params={"spike_times": [5.0, 15.0]})
    nest.Connect(sg, pre)
    nest.Connect(pre, post, syn_spec={"synapse_model": "tsodyks2_synapse", "weight": 100.0})
    conn = nest.GetConnections(pre, post)
    conn.set(U=0.3, u=0.3)
    nest.Simulate(20.0)
    assert conn.get("U") == 0.3 and conn.get("u") == 0.3  # tau_fac = 0: u is U after each spike
    assert conn.get("x") < 1.0
    nest.Disconnect(conn)
    assert len(nest.GetConnections(pre, post)) == 0
    nest.Simulate(5.0)


def test_pruned_spike_archive_gives_the_weights_of_an_unpruned_one(monkeypatch):
    from nest.engine import plasticity
    from nest.engine.kernel import kernel

    run = protocols.stdp_protocol(nest, t_stop=1500.0)
    # 1.5 s of 25 Hz postsynaptic firing outgrows the archive's first 16 entries: it prunes and grows.
    assert kernel.archive.t.shape[1] > 16
    original = plasticity.SpikeArchive.__init__

    def roomy(self, n_nodes, cap=16):
        original(self, n_nodes, cap=4096)

    monkeypatch.setattr(plasticity.SpikeArchive, "__init__", roomy)
    unpruned = protocols.stdp_protocol(nest, t_stop=1500.0)
    np.testing.assert_array_equal(_array(run["weights"]), _array(unpruned["weights"]))
    np.testing.assert_array_equal(run["vm"], unpruned["vm"])
