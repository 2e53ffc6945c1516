"""``raster_plot.from_file``/``from_data`` and ``voltage_trace.from_file`` on files written
by NEST 3.10's ascii backend, and nestling's own ascii files against NEST's
(tests/reference/ascii_files.json, from tools/reference/ascii_files.py)."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from conftest import load_json

import nest

REF = load_json("ascii_files.json")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_raster_from_nests_spike_file(tmp_path):
    path = _write(tmp_path, "spikes-4-0.dat", REF["spikes_text"])
    assert nest.raster_plot.from_file(path, hist=False) is None
    (line,) = plt.gca().get_lines()
    events = REF["spike_events"]
    np.testing.assert_allclose(line.get_xdata(), events["times"], atol=5e-4)
    assert line.get_ydata().tolist() == events["senders"]


def test_raster_from_data_of_nests_events():
    events = REF["spike_events"]
    data = np.column_stack([events["senders"], events["times"]])
    nest.raster_plot.from_data(data, hist=True)
    raster = plt.gca()
    (line,) = raster.get_lines()
    assert line.get_xdata().tolist() == events["times"]
    assert len(plt.gcf().axes) == 2  # the rate histogram below


def test_voltage_trace_from_nests_voltmeter_file(tmp_path):
    path = _write(tmp_path, "volts-5-0.dat", REF["volts_text"])
    lines = nest.voltage_trace.from_file(path)
    events = REF["voltmeter_events"]
    senders = np.asarray(events["senders"])
    assert len(lines) == len(np.unique(senders))
    for sender, artists in zip(np.unique(senders), lines):
        (line,) = artists
        sel = senders == sender
        np.testing.assert_allclose(line.get_xdata(), np.asarray(events["times"])[sel], atol=5e-4)
        np.testing.assert_allclose(line.get_ydata(), np.asarray(events["V_m"])[sel], atol=5e-4)


def test_nestlings_ascii_files_equal_nests(tmp_path):
    nest.data_path = str(tmp_path)
    n = nest.Create("iaf_psc_alpha", 3, params={"I_e": [376.0, 400.0, 450.0]})
    sr = nest.Create("spike_recorder", params={"record_to": "ascii", "label": "spikes"})
    vm = nest.Create("voltmeter", params={"record_to": "ascii", "label": "volts", "interval": 5.0})
    nest.Connect(n, sr)
    nest.Connect(vm, n)
    nest.Simulate(100.0)
    for key, rec in (("spikes", sr), ("volts", vm)):
        mine = open(rec.get("filenames")[0]).read().splitlines()
        theirs = REF[f"{key}_text"].splitlines()
        assert mine[0].startswith("# NEST version: 3.10.0")
        assert mine[1:] == theirs[1:]
