"""Simulate called repeatedly: state continues, changes between calls take effect."""

from __future__ import annotations

import numpy as np
import pytest

import nest


def test_rate_change_between_simulate_calls_takes_effect():
    n = nest.Create("parrot_neuron")
    pg = nest.Create("poisson_generator", params={"rate": 0.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(pg, n)
    nest.Connect(n, sr)
    nest.Simulate(100.0)
    assert sr.n_events == 0
    pg.rate = 1000.0
    nest.Simulate(100.0)
    assert 60 < sr.n_events < 140
    assert np.all(sr.events["times"] > 100.0)


def test_connections_added_after_simulate_take_effect():
    a = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    b = nest.Create("iaf_psc_alpha")
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, b)
    nest.Simulate(100.0)
    assert np.allclose(vm.events["V_m"], -70.0)
    nest.Connect(a, b, syn_spec={"weight": 500.0})
    nest.Simulate(100.0)
    assert vm.events["V_m"].max() > -69.0
    assert nest.num_connections == 2


def test_delay_outside_range_after_simulate_is_refused():
    a = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(a[0], a[1], syn_spec={"delay": 1.0})
    nest.Simulate(10.0)
    with pytest.raises(nest.NESTErrors.BadDelay, match="after Simulate"):
        nest.Connect(a[1], a[0], syn_spec={"delay": 5.0})
    nest.Simulate(10.0)
    assert nest.biological_time == 20.0


def test_prepare_run_cleanup():
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    with nest.RunManager():
        for _ in range(4):
            nest.Run(25.0)
    assert sr.n_events == 1 and nest.biological_time == 100.0
