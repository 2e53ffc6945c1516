"""The weight_recorder against real NEST 3.10 (tests/reference/weight_recorder.json, from
tools/reference/weight_recorder.py): event by event on a small deterministic network."""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest

REF = load_json("weight_recorder.json")
# The protocol itself, run here through nestling.
sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
from weight_recorder import run  # noqa: E402

SCENARIOS = {
    "network": run(),
    "filtered": run(filtered=True),
    "in_steps": run({"time_in_steps": True}),
    "split": run(chunks=(20.0, 20.0, 20.0)),
}


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_events_equal_nests(name):
    ref = REF[name]["result"]
    got = SCENARIOS[name](nest)
    assert got["n_events"] == ref["n_events"]
    events = got["events"]
    assert sorted(events) == sorted(ref["events"])
    for key, expected in ref["events"].items():
        assert events[key].tolist() == expected, key


def test_events_are_the_same_with_two_threads():
    one = SCENARIOS["network"](nest)["events"]
    nest.ResetKernel()
    nest.local_num_threads = 2
    two = SCENARIOS["network"](nest)["events"]
    for key in one:
        np.testing.assert_array_equal(one[key], two[key])


def test_defaults_and_status_match_nest():
    defaults = nest.GetDefaults("weight_recorder")
    assert sorted(defaults) == sorted(REF["defaults"])
    same = ["element_type", "elementsize", "label", "origin", "record_to", "start", "stop", "time_in_steps", "n_events"]
    for key in same:
        assert defaults[key] == REF["defaults"][key], key
    wr = nest.Create("weight_recorder")
    status = wr.get()
    assert sorted(status) == sorted(REF["status"])
    assert {k: v.tolist() for k, v in status["events"].items()} == REF["status"]["events"]
    assert status["senders"].tolist() == [] and status["targets"].tolist() == []


def test_synapse_model_shows_its_recorder():
    assert nest.GetDefaults("static_synapse", "weight_recorder").tolist() == []
    wr = nest.Create("weight_recorder")
    nest.CopyModel("static_synapse", "syn_rec", {"weight_recorder": wr})
    expected = REF["syn_defaults"]["weight_recorder"]["__NodeCollection__"]
    assert nest.GetDefaults("syn_rec", "weight_recorder").tolist() == expected
    assert sorted(nest.GetDefaults("syn_rec")) == sorted(REF["syn_defaults"])


@pytest.mark.parametrize(
    "case, call",
    [
        ("connect_to_recorder", lambda wr, n: nest.Connect(n, wr)),
        ("in_syn_spec", lambda wr, n: nest.Connect(n, n, syn_spec={"weight_recorder": wr})),
        ("not_a_recorder", lambda wr, n: nest.SetDefaults("static_synapse", {"weight_recorder": n[:1]})),
    ],
)
def test_errors_match_nest(case, call):
    ref = REF["errors"][case]
    wr = nest.Create("weight_recorder")
    n = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(getattr(nest.NESTErrors, ref["error_class"])) as info:
        call(wr, n)
    if case != "connect_to_recorder":
        assert str(info.value) == ref["message"]


def test_ascii_backend_writes_the_events(tmp_path):
    nest.data_path = str(tmp_path)
    wr = nest.Create("weight_recorder", params={"record_to": "ascii", "label": "w"})
    nest.CopyModel("static_synapse", "syn_rec", {"weight_recorder": wr})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0, 2.0]})
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(sg, n, syn_spec={"synapse_model": "syn_rec", "weight": 3.0})
    nest.Simulate(5.0)
    rows = [line.split("\t") for line in (tmp_path / f"w-{wr.global_id}-0.dat").read_text().splitlines()[2:]]
    assert rows[0] == REF["ascii_header"]
    assert [r[:2] + r[3:] for r in rows[1:]] == [["2", "1.000", "3", "0", "0"], ["2", "1.000", "4", "0", "1"],
                                                 ["2", "2.000", "3", "0", "0"], ["2", "2.000", "4", "0", "1"]]  # fmt: skip


def test_generator_connections_through_a_recorded_model_warn():
    wr = nest.Create("weight_recorder")
    nest.CopyModel("static_synapse", "syn_rec", {"weight_recorder": wr})
    pg = nest.Create("poisson_generator", params={"rate": 1000.0})
    n = nest.Create("iaf_psc_alpha")
    p = nest.Create("parrot_neuron")
    nest.Connect(pg, n, syn_spec="syn_rec")
    nest.Connect(p, n, syn_spec="syn_rec")
    nest.Connect(pg, p)
    with pytest.warns(UserWarning, match="not recorded"):
        nest.Simulate(20.0)
    assert set(wr.get("events")["senders"].tolist()) == {p.global_id}


@pytest.mark.parametrize("other_model", [False, True])
def test_changed_weights_are_recorded_after_the_change(other_model):
    wr = nest.Create("weight_recorder")
    nest.CopyModel("static_synapse", "syn_rec", {"weight_recorder": wr})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0, 11.0]})
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(sg, n, syn_spec={"synapse_model": "syn_rec", "weight": 2.0})
    if other_model:  # the recorded connections stay in their block, not the CSR
        nest.Connect(n[:1], n[1:])
    nest.Simulate(10.0)
    nest.GetConnections(synapse_model="syn_rec").set(weight=[5.0, 6.0])
    nest.Simulate(10.0)
    assert wr.get("events")["weights"].tolist() == [2.0, 2.0, 5.0, 6.0]
