"""Recorder windows, voltmeter, parrot neurons and progress output, against real NEST 3.10."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_npz

import nest


def test_recorder_windows_parrot_and_voltmeter_equal_nest():
    ref = load_npz("recorders.npz")
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sg = nest.Create("spike_generator", params={"spike_times": [10.0, 20.0, 20.0, 35.5, 399.0]})
    par = nest.Create("parrot_neuron")
    nest.Connect(sg, par, syn_spec={"weight": -3.0, "delay": 1.0})
    sr_all = nest.Create("spike_recorder")
    nest.Connect(n, sr_all)
    sr_win = nest.Create("spike_recorder", params={"start": 100.0, "stop": 300.0, "origin": 50.0})
    nest.Connect(n, sr_win)
    sr_par = nest.Create("spike_recorder")
    nest.Connect(par, sr_par)
    mm_win = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.5, "start": 10.0, "stop": 30.0})
    nest.Connect(mm_win, n)
    vm = nest.Create("voltmeter")
    nest.Connect(vm, n)
    nest.Simulate(400.0)
    for name, rec in (("sr_all", sr_all), ("sr_win", sr_win), ("sr_par", sr_par), ("mm_win", mm_win), ("vm", vm)):
        ev = rec.events
        np.testing.assert_array_equal(ev["times"], ref[f"{name}__times"], err_msg=name)
        np.testing.assert_array_equal(ev["senders"], ref[f"{name}__senders"], err_msg=name)
        assert rec.n_events == int(ref[f"{name}__n_events"])
        if f"{name}__V_m" in ref:
            np.testing.assert_allclose(ev["V_m"], ref[f"{name}__V_m"], atol=1e-9, rtol=0)
    assert vm.interval == float(ref["vm__interval"]) and vm.record_from == ["V_m"]


def test_print_time_shows_progress(capsys):
    nest.print_time = True
    n = nest.Create("iaf_psc_alpha")
    nest.Connect(nest.Create("poisson_generator", params={"rate": 1000.0}), n)
    nest.Simulate(50.0)
    out = capsys.readouterr().out
    assert "100%" in out and "Model time: 50.0 ms" in out and "Real-time factor" in out


def test_events_survive_more_simulation_and_reset_by_n_events():
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Simulate(100.0)
    first = sr.events["times"].copy()
    nest.Simulate(100.0)
    assert np.array_equal(sr.events["times"][: len(first)], first)
    assert sr.n_events == 3 and nest.biological_time == 200.0
    sr.n_events = 0
    nest.Simulate(100.0)
    assert np.all(sr.events["times"] > 200.0)


def test_ascii_backend_writes_nest_file_layout(tmp_path):
    nest.data_path = str(tmp_path)
    nest.data_prefix = "run_"
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sr = nest.Create("spike_recorder", params={"record_to": "ascii", "label": "spikes"})
    nest.Connect(n, sr)
    nest.Simulate(200.0)
    path = tmp_path / "run_spikes-2-0.dat"
    assert sr.filenames == [str(path)]
    rows = [line.split() for line in path.read_text().splitlines() if not line.startswith("#")]
    assert rows[0] == ["sender", "time_ms"]
    assert [float(r[1]) for r in rows[1:]] == [59.3, 120.6, 181.9]
    nest.Simulate(100.0)  # appended, nothing lost
    assert len(path.read_text().splitlines()) == 3 + 4


def test_spike_events_in_nest_order():
    # Within a slice NEST lists spikes by sender id, then time.
    ref = load_npz("recorders.npz")
    n = nest.Create("iaf_psc_alpha", 20, params={"I_e": [360.0 + 12 * i for i in range(20)]})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Connect(n[:10], n[10:], "one_to_one", {"delay": 1.5, "weight": 50.0})
    nest.Simulate(300.0)
    np.testing.assert_array_equal(sr.events["senders"], ref["order__senders"])
    np.testing.assert_array_equal(sr.events["times"], ref["order__times"])


def test_multimeter_record_from_set_after_backend_and_locked_once_connected():
    # PyNN's order: the backend first, then what to record, then the connection.
    mm = nest.Create("multimeter")
    mm.record_to = "memory"
    nest.SetStatus(mm, {"interval": 0.1, "record_from": ["V_m"]})
    n = nest.Create("iaf_psc_exp", 2, params={"I_e": 400.0})
    nest.Connect(mm, n)
    nest.Simulate(5.0)
    assert len(mm.events["V_m"]) == mm.n_events > 0
    with pytest.raises(nest.NESTErrors.BadProperty, match="cannot be changed after the multimeter has been connected"):
        mm.record_from = ["V_m", "I_syn_ex"]
    assert mm.get("record_from") == ["V_m"]
