"""CollocatedSynapses in Connect, and receptor types, against real NEST 3.10
(tests/reference/api_output.json, from tools/reference/api_output.py)."""

from __future__ import annotations

import pytest
from conftest import load_json

import nest

REF = load_json("api_output.json")


def _ref(name):
    entry = REF[name]
    assert not entry["raised"], entry["message"]
    return entry["result"]


def test_collocated_one_to_one_makes_one_connection_per_spec_and_pair():
    ref = _ref("collocated")
    n = nest.Create("iaf_psc_alpha", 3)
    cs = nest.CollocatedSynapses({"weight": -3.0, "delay": 1.5}, {"synapse_model": "static_synapse", "weight": 4.0})
    assert len(cs) == ref["len_spec"]
    sc = nest.Connect(n[:2], n[1:], "one_to_one", syn_spec=cs, return_synapsecollection=True)
    assert len(sc) == ref["len_returned"]
    got = nest.GetConnections().get()
    expected = dict(ref["get"])
    # nestling numbers its synapse models from 0 (NEST's static_synapse is 29): the id is
    # the model's synapse_modelid, whatever its value.
    assert got.pop("synapse_id") == [nest.GetDefaults("static_synapse", "synapse_modelid")] * len(sc)
    expected.pop("synapse_id")
    assert got == expected


def test_collocated_models_are_listed_by_model_then_source():
    ref = _ref("collocated_models")
    a = nest.Create("iaf_psc_alpha", 2)
    nest.CopyModel("static_synapse", "syn_b")
    cs = nest.CollocatedSynapses(
        {"weight": 1.0}, {"synapse_model": "syn_b", "weight": 2.0}, {"weight": 3.0, "delay": 2.0}
    )
    sc = nest.Connect(a, a, "all_to_all", syn_spec=cs, return_synapsecollection=True)
    assert len(sc) == ref["len_returned"]
    got = nest.GetConnections().get(["source", "target", "weight", "delay", "synapse_model"])
    assert got == ref["get"]


def test_collocated_random_rule_uses_the_same_pairs_for_every_spec():
    a = nest.Create("iaf_psc_alpha", 20)
    cs = nest.CollocatedSynapses({"weight": 1.0}, {"weight": 2.0})
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 3}, cs)
    c = nest.GetConnections().get(["source", "target", "weight"])
    pairs1 = sorted((s, t) for s, t, w in zip(c["source"], c["target"], c["weight"]) if w == 1.0)
    pairs2 = sorted((s, t) for s, t, w in zip(c["source"], c["target"], c["weight"]) if w == 2.0)
    assert len(pairs1) == 60 and pairs1 == pairs2


def test_collocated_constructor_accepts_anything_as_nest_does():
    assert not REF["collocated_errors"]["empty"]["raised"]
    assert len(nest.CollocatedSynapses()) == 0
    assert not REF["collocated_errors"]["not_dict"]["raised"]
    assert len(nest.CollocatedSynapses({}, 3)) == 2


def test_collocated_connections_are_simulated():
    sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
    n = nest.Create("iaf_psc_delta")
    nest.Connect(sg, n, syn_spec=nest.CollocatedSynapses({"weight": 2.0}, {"weight": 3.0}))
    mm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(mm, n)
    nest.Simulate(5.0)
    v = mm.get("events")["V_m"]
    assert v.max() - v.min() == pytest.approx(5.0, rel=1e-9)


@pytest.mark.parametrize("model", nest.node_models)
def test_receptor_types_match_nest(model):
    expected = REF["receptor_types"][model]
    defaults = nest.GetDefaults(model)
    assert defaults.get("receptor_types") == expected


@pytest.mark.parametrize("case", sorted(c for c in REF["receptor_error"] if c.split()[0] in nest.node_models))
def test_receptor_type_errors_match_nest(case):
    ref = REF["receptor_error"][case]
    model, r = case.split()
    p = nest.Create("parrot_neuron")
    t = nest.Create(model)
    if not ref["raised"]:
        nest.Connect(p, t, syn_spec={"receptor_type": int(r)})
        # pp_cond_exp_mc_urbanczik reports its ports from 0, as NEST (tests/test_models_clopath.py).
        if model != "pp_cond_exp_mc_urbanczik":
            assert nest.GetConnections(p, t).get("receptor") == int(r)
        return
    errors = {"IndexError": IndexError}
    cls = errors.get(ref["error_class"]) or getattr(nest.NESTErrors, ref["error_class"])
    with pytest.raises(cls) as info:
        nest.Connect(p, t, syn_spec={"receptor_type": int(r)})
    assert str(info.value) == ref["message"]
    assert nest.num_connections == 0


def test_weight_recorder_in_syn_spec_is_refused_as_in_nest():
    wr = nest.Create("weight_recorder")
    n = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(nest.NESTErrors.NotImplemented, match="SetDefaults"):
        nest.Connect(n, n, syn_spec={"weight_recorder": wr})
