"""Tests of ``nest.raster_plot`` and ``nest.voltage_trace``, used as a PyNEST user would.

Most tests drive our package end to end (Create, Connect, Simulate, plot) and
inspect the matplotlib figure.  ``test_figures_match_pynest`` additionally runs
both plotting modules, copied out of the package, inside real NEST 3.10 (the
``.ref-nest`` virtual environment) and compares every figure with the one
PyNEST's own modules draw; it is skipped when that environment is absent.
"""

import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest

import nest
import nest.raster_plot
import nest.voltage_trace

ROOT = Path(__file__).resolve().parents[1]
REF_PYTHON = ROOT / ".ref-nest" / "bin" / "python"

# iaf_psc_alpha with I_e = 376 pA fires regularly; these are NEST 3.10's times.
FIRST_SPIKES = [59.3, 120.6, 181.9]


@pytest.fixture(autouse=True)
def fresh_kernel_and_figures():
    nest.ResetKernel()
    plt.close("all")
    yield
    plt.close("all")


def _one_neuron_with_recorder(simtime=200.0):
    neuron = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    recorder = nest.Create("spike_recorder")
    nest.Connect(neuron, recorder)
    nest.Simulate(simtime)
    return neuron, recorder


def _small_network(n=10, simtime=300.0):
    neurons = nest.Create("iaf_psc_alpha", n, params={"I_e": 200.0})
    noise = nest.Create("poisson_generator", params={"rate": 15000.0})
    recorder = nest.Create("spike_recorder")
    nest.Connect(noise, neurons, syn_spec={"weight": 10.0})
    nest.Connect(neurons, recorder)
    nest.Simulate(simtime)
    return neurons, recorder


def _bars(ax):
    return np.array([[p.get_x(), p.get_width(), p.get_height()] for p in ax.patches])


# ---------------------------------------------------------------------------
# raster_plot
# ---------------------------------------------------------------------------


def test_modules_reachable_from_plain_import():
    assert nest.raster_plot.from_device is not None
    assert nest.voltage_trace.from_device is not None


def test_raster_with_histogram_is_the_default():
    neuron, recorder = _one_neuron_with_recorder()
    lines = nest.raster_plot.from_device(recorder)

    fig = plt.gcf()
    assert len(fig.axes) == 2
    raster, hist = fig.axes
    assert plt.gca() is raster
    assert isinstance(lines, list) and len(lines) == 1
    line = lines[0]
    assert line in raster.lines
    np.testing.assert_allclose(line.get_xdata(), FIRST_SPIKES)
    assert list(line.get_ydata()) == [neuron.global_id] * 3
    assert line.get_marker() == "."
    assert line.get_linestyle() == "None"

    assert raster.get_title() == f"Raster plot from device '{recorder.global_id}'"
    assert raster.get_ylabel() == "Neuron ID"
    assert len(raster.get_xticks()) == 0
    np.testing.assert_allclose(raster.get_position().bounds, (0.1, 0.3, 0.85, 0.6))
    assert hist.get_xlabel() == "Time (ms)"
    assert hist.get_ylabel() == "Rate (spks/s)"
    np.testing.assert_allclose(hist.get_position().bounds, (0.1, 0.1, 0.85, 0.17))
    assert hist.get_xlim() == raster.get_xlim()


def test_histogram_bins_and_rates():
    _, recorder = _one_neuron_with_recorder()
    nest.raster_plot.from_device(recorder, hist=True, hist_binwidth=10.0)
    bars = _bars(plt.gcf().axes[1])
    # Bins of 10 ms start at the first spike (59.3) and end at the last (181.9);
    # like PyNEST, each bar is centred on its bin's left edge.
    left_edges = np.arange(59.3, 181.9, 10.0)
    np.testing.assert_allclose(bars[:, 0] + bars[:, 1] / 2, left_edges)
    np.testing.assert_allclose(bars[:, 1], 10.0)
    # One spike in a 10 ms bin of one neuron is 100 spikes/s.
    rates = bars[:, 2]
    assert sorted(set(rates)) == [0.0, 100.0]
    assert rates.sum() == pytest.approx(300.0)
    assert rates[0] == 100.0 and rates[-1] == 100.0


def test_histogram_rate_is_per_neuron():
    _, recorder = _small_network()
    events = recorder.get("events")
    nest.raster_plot.from_device(recorder, hist_binwidth=5.0)
    hist = plt.gcf().axes[1]
    rates = _bars(hist)[:, 2]
    n_senders = len(np.unique(events["senders"]))
    assert rates.sum() * 5.0 * n_senders / 1000.0 == pytest.approx(len(events["times"]))
    top = int(1.1 * rates.max() + 5)
    assert list(hist.get_yticks()) == [int(v) for v in np.linspace(0, top, 4)]


def test_raster_without_histogram():
    _, recorder = _one_neuron_with_recorder()
    lines = nest.raster_plot.from_device(recorder, hist=False, title="One neuron", xlabel="t (ms)")
    fig = plt.gcf()
    assert len(fig.axes) == 1
    ax = fig.axes[0]
    assert ax.get_title() == "One neuron"
    assert ax.get_xlabel() == "t (ms)"
    assert ax.get_ylabel() == "Neuron ID"
    np.testing.assert_allclose(lines[0].get_xdata(), FIRST_SPIKES)


def test_each_raster_opens_a_new_figure():
    _, recorder = _one_neuron_with_recorder()
    plt.figure()
    nest.raster_plot.from_device(recorder)
    nest.raster_plot.from_device(recorder, hist=False)
    assert len(plt.get_fignums()) == 3


def test_grayscale_raster():
    _, recorder = _one_neuron_with_recorder()
    lines = nest.raster_plot.from_device(recorder, grayscale=True)
    assert matplotlib.colors.to_rgba(lines[0].get_color()) == (0.0, 0.0, 0.0, 1.0)
    bar = plt.gcf().axes[1].patches[0]
    assert bar.get_facecolor() == matplotlib.colors.to_rgba("gray")
    nest.raster_plot.from_device(recorder)
    assert plt.gcf().axes[1].patches[0].get_facecolor() == (0.0, 0.0, 1.0, 1.0)


def test_raster_of_spike_detector_in_nest2_style():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        neuron = nest.Create("iaf_psc_alpha")
        nest.SetStatus(neuron, {"I_e": 376.0})
        detector = nest.Create("spike_detector", params={"withgid": True, "withtime": True})
        nest.Connect(neuron, detector)
        nest.Simulate(200.0)
        lines = nest.raster_plot.from_device(detector, hist=True)
    np.testing.assert_allclose(lines[0].get_xdata(), FIRST_SPIKES)


def test_raster_from_recorder_writing_ascii_files(tmp_path):
    neuron = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    recorder = nest.Create(
        "spike_recorder",
        params={"record_to": "ascii", "label": str(tmp_path / "spikes")},
    )
    nest.Connect(neuron, recorder)
    nest.Simulate(200.0)
    assert nest.raster_plot.from_device(recorder) is None  # as in PyNEST
    raster = plt.gcf().axes[0]
    assert raster.get_title() == "Raster plot"
    np.testing.assert_allclose(raster.lines[0].get_xdata(), FIRST_SPIKES)


def test_raster_errors_for_unsuitable_devices():
    neuron, _ = _one_neuron_with_recorder()
    multimeter = nest.Create("multimeter", params={"record_from": ["V_m"]})
    empty = nest.Create("spike_recorder")
    for device in (multimeter, neuron):
        with pytest.raises(nest.NESTErrors.BadProperty, match="spike_recorder"):
            nest.raster_plot.from_device(device)
        with pytest.raises(TypeError):  # what PyNEST raises
            nest.raster_plot.from_device(device)
    with pytest.raises(nest.NESTErrors.BadProperty, match="No events"):
        nest.raster_plot.from_device(empty)
    with pytest.raises(ValueError):
        nest.raster_plot.from_device(empty)


def test_from_data_and_sel():
    data = np.array([[1, 10.0], [2, 12.0], [1, 20.0], [3, 31.0], [2, 40.0]])
    lines = nest.raster_plot.from_data(data, sel=[1, 2])
    raster, hist = plt.gcf().axes
    assert raster.get_title() == "Raster plot"
    np.testing.assert_allclose(lines[0].get_xdata(), [10.0, 12.0, 20.0, 40.0])
    np.testing.assert_allclose(lines[0].get_ydata(), [1, 2, 1, 2])
    # The histogram counts every event, normalised by all three senders.
    assert _bars(hist)[:, 2].sum() * 5.0 * 3 / 1000.0 == pytest.approx(5)


def test_from_data_rejects_empty_data():
    with pytest.raises(ValueError, match="No data"):
        nest.raster_plot.from_data(np.zeros((0, 2)))


def test_from_data_single_spike():
    nest.raster_plot.from_data(np.array([[4, 7.5]]))
    np.testing.assert_allclose(_bars(plt.gcf().axes[1])[:, 2], [200.0])


def test_extract_events():
    data = np.array([[1, 10.0], [2, 12.0], [1, 20.0], [3, 31.0], [2, 40.0]])
    ex = nest.raster_plot.extract_events
    np.testing.assert_array_equal(ex(data, time=[20.0]), data[:2])
    np.testing.assert_array_equal(ex(data, time=[12.0, 40.0]), data[1:4])
    np.testing.assert_array_equal(ex(data, sel=[2]), data[[1, 4]])
    np.testing.assert_array_equal(ex(data, time=[11.0, 50.0], sel=[2, 3]), data[[1, 3, 4]])
    assert ex(data, sel=[9]).shape == (0, 2)
    with pytest.raises(ValueError):
        ex(data, time=[1.0, 2.0, 3.0])


def test_from_file_reads_nest_ascii_format(tmp_path):
    text = "# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\n1\t5.000\n2\t7.500\n1\t9.100\n"
    first = tmp_path / "a.dat"
    first.write_text(text)
    second = tmp_path / "b.dat"
    second.write_text("3 11.0\n")
    assert nest.raster_plot.from_file([str(first), str(second)], hist=False) is None
    line = plt.gca().lines[0]
    np.testing.assert_allclose(line.get_xdata(), [5.0, 7.5, 9.1, 11.0])
    np.testing.assert_allclose(line.get_ydata(), [1, 2, 1, 3])
    with pytest.raises(FileNotFoundError):
        nest.raster_plot.from_file(str(tmp_path / "missing.dat"))


def test_plotting_never_shows_unless_asked(monkeypatch):
    calls = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: calls.append(1))
    _, recorder = _one_neuron_with_recorder()
    nest.raster_plot.from_device(recorder)
    assert calls == []
    nest.raster_plot.show()
    nest.voltage_trace.show()
    assert calls == [1, 1]


def test_importing_the_plot_modules_does_not_load_pyplot():
    code = (
        "import sys, nest.raster_plot, nest.voltage_trace; "
        "sys.exit('matplotlib.pyplot' in sys.modules and 'pyplot loaded')"
    )
    result = subprocess.run([sys.executable, "-c", code], check=False, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# ---------------------------------------------------------------------------
# voltage_trace
# ---------------------------------------------------------------------------


def _voltmeter_on_two_neurons(simtime=100.0, **params):
    neurons = nest.Create("iaf_psc_alpha", 2, params={"I_e": 376.0})
    neurons[1].set(I_e=370.0)
    voltmeter = nest.Create("voltmeter", params=params)
    nest.Connect(voltmeter, neurons)
    nest.Simulate(simtime)
    return neurons, voltmeter


def test_voltage_trace_from_voltmeter():
    neurons, voltmeter = _voltmeter_on_two_neurons()
    lines = nest.voltage_trace.from_device(voltmeter)
    assert len(lines) == 2 and all(len(group) == 1 for group in lines)
    ax = plt.gca()
    assert ax.get_title() == "Membrane potential"
    assert ax.get_xlabel() == "Time (ms)"
    assert ax.get_ylabel() == "Membrane potential (mV)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [f"Neuron {i}" for i in neurons.tolist()]
    events = voltmeter.get("events")
    for node_id, (line,) in zip(neurons.tolist(), lines):
        mask = events["senders"] == node_id
        np.testing.assert_allclose(line.get_xdata(), events["times"][mask])
        np.testing.assert_allclose(line.get_ydata(), events["V_m"][mask])
    # 99 samples at the default 1 ms interval; both start from E_L = -70 mV.
    assert len(lines[0][0].get_xdata()) == 99
    assert lines[0][0].get_ydata()[0] < -68.0


def test_voltage_trace_options():
    neurons, voltmeter = _voltmeter_on_two_neurons()
    second = neurons[1].global_id
    lines = nest.voltage_trace.from_device(voltmeter, neurons=[second], title="V", grayscale=True, timeunit="s")
    ax = plt.gca()
    assert len(lines) == 1
    assert ax.get_title() == "V"
    assert ax.get_xlabel() == "Time (s)"
    assert lines[0][0].get_label() == f"Neuron {second}"
    assert matplotlib.colors.to_rgba(lines[0][0].get_color()) == (0.0, 0.0, 0.0, 1.0)
    assert lines[0][0].get_xdata()[0] == pytest.approx(0.001)
    # A NodeCollection selects neurons as well.
    assert len(nest.voltage_trace.from_device(voltmeter, neurons=neurons[:1])) == 1


def test_voltage_trace_draws_into_the_current_axes():
    _, voltmeter = _voltmeter_on_two_neurons()
    fig = plt.figure()
    nest.voltage_trace.from_device(voltmeter)
    nest.voltage_trace.from_device(voltmeter)
    assert plt.gcf() is fig and len(fig.axes) == 1
    assert len(fig.axes[0].lines) == 4


def test_voltage_trace_from_multimeter():
    neurons = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    multimeter = nest.Create("multimeter", params={"record_from": ["V_m", "I_syn_ex"], "interval": 0.5})
    nest.Connect(multimeter, neurons)
    nest.Simulate(50.0)
    lines = nest.voltage_trace.from_device(multimeter)
    assert len(lines[0][0].get_xdata()) == 98
    np.testing.assert_allclose(lines[0][0].get_xdata()[:2], [0.5, 1.0])


def test_voltage_trace_errors():
    _, voltmeter = _voltmeter_on_two_neurons(simtime=10.0)
    recorder = nest.Create("spike_recorder")
    no_vm = nest.Create("multimeter", params={"record_from": ["I_syn_ex"]})
    empty = nest.Create("voltmeter")
    with pytest.raises(nest.NESTErrors.BadProperty, match="voltmeter"):
        nest.voltage_trace.from_device(recorder)
    with pytest.raises(TypeError):
        nest.voltage_trace.from_device(recorder)
    with pytest.raises(ValueError, match="V_m"):
        nest.voltage_trace.from_device(no_vm)
    with pytest.raises(nest.NESTErrors.BadProperty, match="No events"):
        nest.voltage_trace.from_device(empty)
    with pytest.raises(KeyError):
        nest.voltage_trace.from_device(voltmeter, neurons=[999])


def test_voltage_trace_from_file(tmp_path):
    path = tmp_path / "v.dat"
    path.write_text(
        "# NEST version: 3.10.0\n# RecordingBackendASCII version: 2\nsender\ttime_ms\tV_m\n"
        "1\t1.000\t-70.0\n2\t1.000\t-69.0\n1\t2.000\t-68.0\n2\t2.000\t-67.5\n"
    )
    lines = nest.voltage_trace.from_file(str(path))
    ax = plt.gca()
    assert ax.get_title() == f"Membrane potential from file '{path}'"
    np.testing.assert_allclose(lines[1][0].get_ydata(), [-69.0, -67.5])
    np.testing.assert_allclose(lines[0][0].get_xdata(), [1.0, 2.0])


# ---------------------------------------------------------------------------
# Comparison with PyNEST inside real NEST 3.10
# ---------------------------------------------------------------------------

# Runs in the .ref-nest interpreter.  argv[1] is the directory holding our two
# modules; they are loaded as standalone files under other names, so the
# ``import nest`` they do at call time finds the real PyNEST.
_COMPARE_SCRIPT = textwrap.dedent(
    r"""
    import importlib.util, os, shutil, sys, tempfile, warnings
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    import nest
    import nest.raster_plot as ref_rp
    import nest.voltage_trace as ref_vt

    tmp = tempfile.mkdtemp()

    def load(name):
        path = os.path.join(tmp, "our_" + name + ".py")
        shutil.copy(os.path.join(sys.argv[1], name + ".py"), path)
        spec = importlib.util.spec_from_file_location("our_" + name, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    our_rp, our_vt = load("raster_plot"), load("voltage_trace")

    def snapshot(fig):
        axes = []
        for ax in fig.axes:
            legend = ax.get_legend()
            axes.append({
                "pos": list(ax.get_position().bounds),
                "title": ax.get_title(), "xlabel": ax.get_xlabel(), "ylabel": ax.get_ylabel(),
                "xlim": list(ax.get_xlim()), "ylim": list(ax.get_ylim()),
                "yticks": list(ax.get_yticks()), "nxticks": len(ax.get_xticks()),
                "legend": [t.get_text() for t in legend.get_texts()] if legend else None,
                "lines": [(l.get_marker(), l.get_linestyle(), matplotlib.colors.to_rgba(l.get_color()),
                           "" if l.get_label().startswith("_") else l.get_label(),
                           list(np.asarray(l.get_xdata(), float)), list(np.asarray(l.get_ydata(), float)))
                          for l in ax.lines],
                "bars": [(p.get_x(), p.get_width(), float(p.get_height()), tuple(p.get_facecolor()),
                          tuple(p.get_edgecolor())) for p in ax.patches],
            })
        return axes

    def close(a, b):
        # PyNEST keeps voltage traces as float32, we keep the recorded float64.
        if isinstance(a, dict):
            return isinstance(b, dict) and a.keys() == b.keys() and all(close(a[k], b[k]) for k in a)
        if isinstance(a, (list, tuple)):
            return isinstance(b, (list, tuple)) and len(a) == len(b) and all(close(x, y) for x, y in zip(a, b))
        number = (int, float, np.integer, np.floating)
        if isinstance(a, number) and isinstance(b, number):
            return bool(np.isclose(a, b, rtol=1e-6, atol=1e-5))
        return a == b

    def shape(result):
        if result is None:
            return None
        return [shape(x) if isinstance(x, list) else type(x).__name__ for x in result]

    failures = []

    def compare(tag, ref_call, our_call):
        states = []
        for call in (ref_call, our_call):
            plt.close("all")
            result = call()
            fig = plt.gcf()
            states.append((shape(result), snapshot(fig), fig.axes.index(plt.gca()), len(plt.get_fignums())))
        if not close(states[0], states[1]):
            failures.append(tag)
            print("MISMATCH", tag, states[0][0], states[1][0])
        else:
            print("ok", tag)

    def compare_error(tag, ref_call, our_call):
        errors = []
        for call in (ref_call, our_call):
            plt.close("all")
            try:
                call()
                errors.append(None)
            except Exception as error:
                errors.append(error)
        ref_error, our_error = errors
        good = (ref_error is not None and isinstance(our_error, type(ref_error))
                and isinstance(our_error, nest.NESTErrors.BadProperty))
        print("ok" if good else "MISMATCH", tag, repr(ref_error), repr(our_error))
        if not good:
            failures.append(tag)

    warnings.simplefilter("ignore")
    nest.ResetKernel()
    neurons = nest.Create("iaf_psc_alpha", 20, params={"I_e": 200.0})
    noise = nest.Create("poisson_generator", params={"rate": 15000.0})
    nest.Connect(noise, neurons, syn_spec={"weight": 10.0})
    nest.Connect(neurons, neurons, {"rule": "fixed_indegree", "indegree": 3}, {"weight": 5.0, "delay": 1.5})
    sr = nest.Create("spike_recorder")
    sr_steps = nest.Create("spike_recorder", params={"time_in_steps": True})
    sr_empty = nest.Create("spike_recorder")
    sr_file = nest.Create("spike_recorder", params={"record_to": "ascii", "label": os.path.join(tmp, "spikes")})
    for recorder in (sr, sr_steps, sr_file):
        nest.Connect(neurons, recorder)
    vm = nest.Create("voltmeter")
    mm = nest.Create("multimeter", params={"record_from": ["V_m", "I_syn_ex"], "interval": 0.5})
    mm_novm = nest.Create("multimeter", params={"record_from": ["I_syn_ex"]})
    vm_steps = nest.Create("voltmeter", params={"time_in_steps": True})
    vm_empty = nest.Create("voltmeter")
    nest.Connect(vm, neurons[:3])
    nest.Connect(mm, neurons[3:5])
    nest.Connect(mm_novm, neurons[0])
    nest.Connect(vm_steps, neurons[0])
    nest.Simulate(300.0)

    for kw in [{}, {"hist": True}, {"hist": False}, {"hist_binwidth": 10.0}, {"grayscale": True},
               {"hist": False, "grayscale": True, "title": "R"}, {"title": "T", "hist_binwidth": 2.5}]:
        compare(f"raster_plot.from_device {kw}", lambda: ref_rp.from_device(sr, **kw),
                lambda: our_rp.from_device(sr, **kw))
    compare("raster_plot.from_device time_in_steps", lambda: ref_rp.from_device(sr_steps),
            lambda: our_rp.from_device(sr_steps))
    compare("raster_plot.from_device ascii", lambda: ref_rp.from_device(sr_file), lambda: our_rp.from_device(sr_file))
    files = list(sr_file.get("filenames"))
    compare("raster_plot.from_file", lambda: ref_rp.from_file(files[0]), lambda: our_rp.from_file(files[0]))
    compare("raster_plot.from_file list", lambda: ref_rp.from_file(files * 2, hist=False, title="F"),
            lambda: our_rp.from_file(files * 2, hist=False, title="F"))
    events = sr.get("events")
    data = np.column_stack([events["senders"], events["times"]])
    for kw in [{}, {"sel": [1, 2, 5]}, {"sel": [3], "hist": False}, {"xlabel": "t", "title": "x", "grayscale": True}]:
        compare(f"raster_plot.from_data {kw}", lambda: ref_rp.from_data(data, **kw),
                lambda: our_rp.from_data(data, **kw))
    for kw in [{}, {"time": [100.0]}, {"time": [50.0, 150.0]}, {"sel": [2, 4]}, {"time": [50.0, 150.0], "sel": [2, 4]}]:
        if not np.array_equal(ref_rp.extract_events(data, **kw), our_rp.extract_events(data, **kw)):
            failures.append(f"extract_events {kw}")
    compare_error("raster_plot of a voltmeter", lambda: ref_rp.from_device(vm), lambda: our_rp.from_device(vm))
    compare_error("raster_plot of a neuron", lambda: ref_rp.from_device(neurons[0]),
                  lambda: our_rp.from_device(neurons[0]))
    compare_error("raster_plot of an empty recorder", lambda: ref_rp.from_device(sr_empty),
                  lambda: our_rp.from_device(sr_empty))

    for kw in [{}, {"neurons": [3, 1]}, {"grayscale": True, "title": "V"}, {"timeunit": "s"}, {"timeunit": "min"}]:
        compare(f"voltage_trace.from_device {kw}", lambda: ref_vt.from_device(vm, **kw),
                lambda: our_vt.from_device(vm, **kw))
    compare("voltage_trace.from_device multimeter", lambda: ref_vt.from_device(mm), lambda: our_vt.from_device(mm))
    compare("voltage_trace.from_device time_in_steps", lambda: ref_vt.from_device(vm_steps),
            lambda: our_vt.from_device(vm_steps))

    def twice(module):
        module.from_device(vm)
        return module.from_device(vm, neurons=[2], title="again")

    compare("voltage_trace twice into one axes", lambda: twice(ref_vt), lambda: twice(our_vt))
    compare_error("voltage_trace of a spike recorder", lambda: ref_vt.from_device(sr), lambda: our_vt.from_device(sr))
    compare_error("voltage_trace of a multimeter without V_m", lambda: ref_vt.from_device(mm_novm),
                  lambda: our_vt.from_device(mm_novm))
    compare_error("voltage_trace of an empty voltmeter", lambda: ref_vt.from_device(vm_empty),
                  lambda: our_vt.from_device(vm_empty))
    three = os.path.join(tmp, "v3.dat")
    with open(three, "w") as handle:
        handle.write("1 1.0 -70.0\n2 1.0 -69.0\n1 2.0 -68.0\n2 2.0 -67.5\n")
    two = os.path.join(tmp, "v2.dat")
    with open(two, "w") as handle:
        handle.write("1 -70.0\n1 -69.0\n2 -68.0\n")
    compare("voltage_trace.from_file 3 columns", lambda: ref_vt.from_file(three), lambda: our_vt.from_file(three))
    compare("voltage_trace.from_file 2 columns", lambda: ref_vt.from_file(two), lambda: our_vt.from_file(two))
    compare("voltage_trace.from_file list", lambda: ref_vt.from_file([three, three], grayscale=True),
            lambda: our_vt.from_file([three, three], grayscale=True))
    print("FAILURES:", failures)
    sys.exit(1 if failures else 0)
    """
)


@pytest.mark.skipif(not REF_PYTHON.exists(), reason="real NEST 3.10 (.ref-nest) is not installed")
def test_figures_match_pynest(tmp_path):
    script = tmp_path / "compare.py"
    script.write_text(_COMPARE_SCRIPT)
    env = dict(os.environ, MPLBACKEND="Agg")
    result = subprocess.run(
        [str(REF_PYTHON), str(script), str(ROOT / "src" / "nest")],
        check=False,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    report = result.stdout[-6000:] + result.stderr[-3000:]
    assert result.returncode == 0, report
    assert "FAILURES: []" in result.stdout, report
