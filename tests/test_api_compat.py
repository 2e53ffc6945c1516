"""The NEST 2.x forms of the tutorials run, each with a DeprecationWarning naming the NEST 3 form."""

from __future__ import annotations

import numpy as np
import pytest

import nest


def test_spike_detector_and_withgid_warn_and_work():
    with pytest.warns(DeprecationWarning, match="spike_recorder"):
        sd = nest.Create("spike_detector", params={"withgid": True, "withtime": True})
    with pytest.warns(DeprecationWarning, match="always recorded"):
        nest.SetStatus(sd, [{"withtime": True, "withgid": True, "to_file": False}])
    assert nest.GetStatus(sd, "model") == ("spike_recorder",)
    n = nest.Create("iaf_psc_alpha")
    nest.SetStatus(n, {"I_e": 376.0})
    nest.Connect(n, sd)
    nest.Simulate(100.0)
    ev = nest.GetStatus(sd, keys="events")[0]
    assert ev["times"].tolist() == pytest.approx([59.3], abs=1e-12) and ev["senders"].tolist() == [2]
    assert nest.GetStatus(sd, "n_events")[0] == 1


def test_iaf_neuron_is_iaf_psc_alpha():
    with pytest.warns(DeprecationWarning, match="iaf_psc_alpha"):
        n = nest.Create("iaf_neuron")
    assert n.get("model") == "iaf_psc_alpha"


def test_models_lists_node_and_synapse_models():
    with pytest.warns(DeprecationWarning, match="node_models"):
        names = nest.Models()
    assert "iaf_psc_alpha" in names and "static_synapse" in names and "multimeter" in names
    assert set(nest.node_models) <= set(names)


def test_lists_of_ids_are_node_collections():
    a = nest.Create("iaf_psc_alpha", 3)
    with pytest.warns(DeprecationWarning, match="NodeCollection"):
        vals = nest.GetStatus([1, 3], "V_m")
    assert vals == (-70.0, -70.0)
    with pytest.warns(DeprecationWarning):
        nest.Connect([a[0]], a[1:], syn_spec={"weight": 2.0})
    assert nest.num_connections == 2


def test_getstatus_shapes_as_in_nest():
    n = nest.Create("iaf_psc_alpha", 2)
    assert nest.GetStatus(n, "I_e") == (0.0, 0.0)
    assert nest.GetStatus(n[0], ["V_reset", "V_th"]) == ((-70.0, -55.0),)
    st = nest.GetStatus(n)
    assert isinstance(st, tuple) and len(st) == 2 and st[1]["global_id"] == 2
    assert n.get("V_m") == (-70.0, -70.0) and n[0].get("V_m") == -70.0
    assert n.get(["V_m", "C_m"]) == {"V_m": (-70.0, -70.0), "C_m": (250.0, 250.0)}


def test_nest3_attribute_forms():
    nest.resolution = 0.1
    n = nest.Create("iaf_psc_alpha", 3)
    n.I_e = 376.0
    n[1].set(I_e=0.0)
    n.set({"V_m": [-70.0, -65.0, -60.0]})
    assert n.I_e == (376.0, 0.0, 376.0) and n.V_m == (-70.0, -65.0, -60.0)
    assert n[::2].tolist() == [1, 3] and n[-1].global_id == 3 and len(n[1:]) == 2
    assert repr(n) == "NodeCollection(metadata=None, model=iaf_psc_alpha, size=3, first=1, last=3)"
    m = nest.Create("iaf_psc_exp")
    both = n + m
    assert len(both) == 4 and 4 in both and both.index(4) == 3
    assert np.array_equal(np.asarray(both), [1, 2, 3, 4])


def test_getnodes_printnodes_install(capsys):
    n = nest.Create("iaf_psc_alpha", 3)
    nest.Create("spike_recorder")
    assert nest.GetNodes().tolist() == [1, 2, 3, 4]
    assert nest.GetNodes({"model": "iaf_psc_alpha"}) == n
    n[1].V_m = -60.0
    assert nest.GetNodes({"V_m": -60.0}).tolist() == [2]
    nest.PrintNodes()
    out = capsys.readouterr().out.splitlines()
    assert out[0].split() == ["1", "..", "3", "iaf_psc_alpha"] and out[1].split() == ["4", "spike_recorder"]
    with pytest.warns(UserWarning):
        assert nest.GetLocalNodeCollection(n) == n
    with pytest.raises(nest.NESTErrors.DynamicModuleManagementError, match="pynn_extensions"):
        nest.Install("pynn_extensions")


def test_help_shows_a_models_parameter_table(capsys):
    text = nest.help("iaf_psc_alpha", return_text=True)
    assert (
        text.startswith("iaf_psc_alpha\n") and "tau_syn_ex" in text and "Recordables: I_syn_ex, I_syn_in, V_m" in text
    )
    row = next(line for line in text.splitlines() if line.startswith("C_m "))
    assert row.split()[:3] == ["C_m", "250.0", "pF"]
    nest.help("static_synapse")
    assert "static_synapse" in capsys.readouterr().out


def test_kernel_get_set_and_process_queries(capsys):
    nest.set(resolution=0.2, rng_seed=5)
    assert nest.get("resolution") == 0.2 and nest.get("resolution", "rng_seed") == (0.2, 5)
    assert isinstance(nest.get(), dict) and nest.get()["rng_seed"] == 5
    assert nest.Rank() == 0 and nest.NumProcesses() == 1 and list(nest.GetLocalVPs()) == [0]
    nest.SyncProcesses()
    nest.message("hello", nest.VerbosityLevel.ERROR)
    assert "hello" in capsys.readouterr().out
    with pytest.warns(DeprecationWarning, match="connection_rules"):
        assert "fixed_indegree" in nest.ConnectionRules()


def test_dir_lists_kernel_properties():
    names = dir(nest)
    assert "resolution" in names and "Create" in names and "set" in names
