"""Changing weights and delays of existing connections (SynapseCollection.set, SetStatus)."""

from __future__ import annotations

import numpy as np
import pytest

import nest


def _psp_peak(weight_setter=None, simulate_first=False):
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha")
    sg = nest.Create("spike_generator", params={"spike_times": [60.0]})
    nest.Connect(sg, n, syn_spec={"weight": 100.0})
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, n)
    if simulate_first:
        nest.Simulate(40.0)
    if weight_setter:
        weight_setter(nest.GetConnections(sg, n))
    nest.Simulate(100.0 - (40.0 if simulate_first else 0.0))
    e = vm.events
    return e["V_m"][(e["times"] > 60) & (e["times"] < 99)].max() + 70.0


@pytest.mark.parametrize("after_simulate", [False, True])
def test_setting_a_weight_changes_the_psp(after_simulate):
    base = _psp_peak(simulate_first=after_simulate)
    doubled = _psp_peak(lambda c: c.set(weight=200.0), simulate_first=after_simulate)
    assert doubled == pytest.approx(2 * base, rel=1e-9)
    assert nest.GetConnections().get("weight")[0] in (200.0, 1.0)


def test_per_connection_values_parameters_and_setstatus():
    a = nest.Create("iaf_psc_alpha", 4)
    nest.Connect(a, a, "one_to_one", {"weight": 1.0})
    nest.Simulate(5.0)  # the connections now live in the CSR alone
    c = nest.GetConnections()
    c.set(weight=[1.0, 2.0, 3.0, 4.0])
    assert nest.GetConnections().get("weight") == [1.0, 2.0, 3.0, 4.0]
    nest.SetStatus(c, {"weight": 7.0})
    assert nest.GetStatus(c, "weight") == (7.0, 7.0, 7.0, 7.0)
    c.set(weight=nest.random.uniform(10.0, 11.0))
    w = np.array(nest.GetConnections().get("weight"))
    assert np.all((w >= 10.0) & (w < 11.0)) and len(set(w)) == 4
    assert nest.GetStatus(c[0])[0]["source"] == 1


def test_delays_within_the_prepared_range_only():
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a[0], a[1], syn_spec={"delay": 1.0})
    nest.Connect(a[1], a[0], syn_spec={"delay": 3.0})
    nest.Simulate(5.0)
    c = nest.GetConnections(a[0], a[1])
    c.set(delay=2.0)
    assert nest.GetConnections(a[0], a[1]).get("delay") == 2.0
    with pytest.raises(nest.NESTErrors.BadDelay, match="range"):
        c.set(delay=5.0)
    with pytest.raises(nest.NESTErrors.BadProperty, match="settable"):
        c.set(receptor=1)


@pytest.mark.parametrize("simulate_first", [False, True])
def test_disconnect_pairs_and_collections(simulate_first):
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(a, a, "all_to_all")
    if simulate_first:
        nest.Simulate(5.0)  # connections released into the CSR
    nest.Disconnect(a[0], a[1])
    assert nest.num_connections == 8
    pairs = set(zip(nest.GetConnections().get("source"), nest.GetConnections().get("target")))
    assert (1, 2) not in pairs and len(pairs) == 8
    nest.Disconnect(nest.GetConnections(a[2]))
    assert nest.num_connections == 5 and 3 not in nest.GetConnections().get("source")
    with pytest.raises(nest.NESTErrors.InexistentConnection):
        nest.Disconnect(a[0], a[1])
    nest.Simulate(5.0)  # the network still runs


def test_disconnected_spikes_no_longer_arrive():
    n = nest.Create("iaf_psc_alpha")
    sg = nest.Create("spike_generator", params={"spike_times": [10.0, 50.0]})
    nest.Connect(sg, n, syn_spec={"weight": 500.0})
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, n)
    nest.Simulate(30.0)
    nest.Disconnect(sg, n)
    nest.Simulate(60.0)
    e = vm.events
    assert e["V_m"][(e["times"] > 11) & (e["times"] < 20)].max() > -69.0
    late = e["V_m"][(e["times"] > 50) & (e["times"] < 60)]
    assert np.all(np.diff(late) <= 0)  # only the first PSP's tail decays; no second PSP


def test_set_with_one_dict_per_connection():
    # NEST's synapsecollection example: conns.set([{"weight": 1.0}, {"weight": 2.0}, ...]).
    n = nest.Create("iaf_psc_alpha", 3)
    nest.Connect(n, n)
    c = nest.GetConnections()
    c.set([{"weight": float(i)} for i in range(len(c))])
    assert list(c.weight) == [float(i) for i in range(len(c))]
    with pytest.raises(nest.NESTErrors.BadProperty):
        c.set([{"weight": 1.0}])
