"""Bad input raises NEST-named errors that say what is wrong, and the kernel stays usable."""

from __future__ import annotations

import numpy as np
import pytest

import nest


def _still_usable():
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Simulate(100.0)
    assert sr.events["times"][0] == pytest.approx(59.3)


def test_unknown_model():
    with pytest.raises(nest.NESTErrors.UnknownModelName, match="no_such_model"):
        nest.Create("no_such_model")
    _still_usable()


def test_unknown_parameter_lists_valid_names():
    n = nest.Create("iaf_psc_alpha")
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry) as err:
        n.set(foo=1.0)
    assert "foo" in str(err.value) and "tau_m" in str(err.value) and "V_th" in str(err.value)
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry):
        nest.Create("iaf_psc_alpha", params={"V_thresh": -50.0})
    assert nest.network_size == 1  # the failed Create left nothing behind
    _still_usable()


def test_wrong_type():
    n = nest.Create("iaf_psc_alpha")
    with pytest.raises(nest.NESTErrors.TypeMismatch, match="I_e"):
        n.set(I_e="strong")
    # NEST 3 accepts an int where a float is expected.
    nest.SetStatus(n, {"I_e": 376})
    assert n.I_e == 376.0 and isinstance(n.I_e, float)


@pytest.mark.parametrize(
    "params, text",
    [
        ({"C_m": 0.0}, "Capacitance must be > 0"),
        ({"C_m": -1.0}, "Capacitance must be > 0"),
        ({"V_reset": -50.0}, "Reset potential must be smaller than threshold"),
        ({"V_th": -75.0}, "Reset potential must be smaller than threshold"),
        ({"t_ref": -1.0}, "refractory time t_ref can't be negative"),
        ({"tau_m": 0.0}, "Membrane time constant must be > 0"),
    ],
)
def test_bad_neuron_values_change_nothing(params, text):
    n = nest.Create("iaf_psc_alpha", 2)
    before = n.get()
    with pytest.raises(nest.NESTErrors.BadProperty, match=text):
        n.set(params)
    assert n.get() == before
    _still_usable()


def test_bad_values_in_defaults_and_create():
    with pytest.raises(nest.NESTErrors.BadProperty, match="Capacitance"):
        nest.SetDefaults("iaf_psc_delta", {"C_m": -5.0})
    assert nest.GetDefaults("iaf_psc_delta", "C_m") == 250.0
    with pytest.raises(nest.NESTErrors.BadProperty):
        nest.Create("iaf_psc_exp", 3, params={"t_ref": -2.0})
    assert nest.network_size == 0


def test_delays_below_or_off_the_resolution_grid():
    a = nest.Create("iaf_psc_alpha", 2)
    with pytest.raises(nest.NESTErrors.BadDelay, match="resolution"):
        nest.Connect(a[0], a[1], syn_spec={"delay": 0.05})
    with pytest.raises(nest.NESTErrors.BadDelay, match="multiple of the resolution"):
        nest.Connect(a[0], a[1], syn_spec={"delay": 1.55})
    with pytest.raises(nest.NESTErrors.BadDelay):
        nest.Connect(a[0], a[1], syn_spec={"delay": -1.0})
    assert nest.num_connections == 0
    nest.Connect(a[0], a[1], syn_spec={"delay": 1.5})
    assert nest.GetKernelStatus("min_delay") == pytest.approx(1.5)


def test_negative_or_off_grid_simulation_time():
    with pytest.raises(nest.NESTErrors.BadParameter, match="cannot be negative"):
        nest.Simulate(-1.0)
    with pytest.raises(nest.NESTErrors.BadParameter, match="multiple of the resolution"):
        nest.Simulate(1.05)
    assert nest.biological_time == 0.0
    _still_usable()


def test_recorders_connected_the_wrong_way():
    n = nest.Create("iaf_psc_alpha")
    mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
    sr = nest.Create("spike_recorder")
    with pytest.raises(nest.NESTErrors.IllegalConnection, match=r"Connect\(multimeter, neurons\)"):
        nest.Connect(n, mm)
    with pytest.raises(nest.NESTErrors.IllegalConnection, match=r"Connect\(neurons, spike_recorder\)"):
        nest.Connect(sr, n)
    pg = nest.Create("poisson_generator")
    with pytest.raises(nest.NESTErrors.IllegalConnection, match="stimulator"):
        nest.Connect(n, pg)
    assert nest.num_connections == 0
    _still_usable()


def test_unknown_recordable():
    n = nest.Create("iaf_psc_delta")
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_ex"]})
    nest.Connect(mm, n)
    with pytest.raises(nest.NESTErrors.IllegalConnection, match="I_syn_ex"):
        nest.Simulate(10.0)


def test_resolution_after_nodes_exist():
    nest.resolution = 0.2
    nest.Create("iaf_psc_alpha")
    with pytest.raises(nest.NESTErrors.KernelException, match="ResetKernel"):
        nest.resolution = 0.1
    with pytest.raises(nest.NESTErrors.KernelException):
        nest.SetKernelStatus({"resolution": 0.1})
    assert nest.resolution == 0.2
    nest.ResetKernel()
    nest.resolution = 0.1
    _still_usable()


def test_unknown_and_read_only_kernel_properties():
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="resolution"):
        nest.SetKernelStatus({"resolutoin": 0.1})
    with pytest.raises(nest.NESTErrors.KernelException, match="read[- ]?only"):
        nest.SetKernelStatus({"network_size": 10})
    with pytest.raises(nest.NESTErrors.BadProperty, match="can only be set to 0.0"):
        nest.biological_time = 5.0


def test_bad_connection_rules_and_synapses():
    a = nest.Create("iaf_psc_alpha", 3)
    with pytest.raises(nest.NESTErrors.BadProperty, match="fixed_indegree"):
        nest.Connect(a, a, {"rule": "no_such_rule"})
    with pytest.raises(nest.NESTErrors.UnknownSynapseType, match="static_synapse"):
        nest.Connect(a, a, syn_spec={"synapse_model": "no_such_synapse"})
    with pytest.raises(nest.NESTErrors.BadProperty, match="indegree"):
        nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 5, "allow_multapses": False})
    with pytest.raises(nest.NESTErrors.BadProperty, match="weight"):
        nest.Connect(a, a, "one_to_one", {"weight": np.ones(5)})
    with pytest.raises(nest.NESTErrors.UnknownReceptorType):
        nest.Connect(a, a, "one_to_one", {"receptor_type": 3})
    assert nest.num_connections == 0


def test_bad_recording_values_keep_what_was_recorded():
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Simulate(200.0)
    before = sr.events["times"].copy()
    with pytest.raises(nest.NESTErrors.BadProperty):
        sr.set(record_to="nowhere")
    with pytest.raises(nest.NESTErrors.BadProperty):
        sr.set(n_events=5)
    np.testing.assert_array_equal(sr.events["times"], before)
    sr.n_events = 0
    assert sr.n_events == 0 and len(sr.events["times"]) == 0


def test_create_takes_a_dict_in_place_of_n_as_nest():
    # NEST 3.10: Create("iaf_psc_alpha", {"V_m": -60.0}) makes one node with those params.
    n = nest.Create("iaf_psc_alpha", {"V_m": -60.0})
    assert len(n) == 1 and n.V_m == -60.0
