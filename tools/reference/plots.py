"""Figures of PyNEST's raster_plot and voltage_trace in real NEST 3.10 -> tests/reference/plots.json

Protocol (ResetKernel, resolution 0.1 ms, 1 thread, defaults unless stated; all
input is deterministic, no random numbers anywhere), nodes in this order:

    neurons  = Create("iaf_psc_alpha", 20, params={"I_e": [I_E(0), ..., I_E(19)]})
               I_E(i) = 360.0 + 12.0 * i  (pA; rheobase is 375 pA, so neurons 0 and 1
               only fire through their inputs)
    gens     = Create("spike_generator", 20); gens[i].set(spike_times=TIMES(i)) for each i
               TIMES(i) = round(t, 1) for t = 3.0 + 1.7 * i + 6.3 * k, k = 0, 1, ... while t < 300
    Connect(gens, neurons, "one_to_one", syn_spec={"weight": 60.0, "delay": 1.0})
    for i in range(20), for d in (1, 7, 13):
        Connect(neurons[i], neurons[(i + d) % 20], syn_spec={"weight": 40.0, "delay": 1.5})
    sr       = Create("spike_recorder")
    sr_steps = Create("spike_recorder", params={"time_in_steps": True})
    sr_empty = Create("spike_recorder")
    sr_file  = Create("spike_recorder", params={"record_to": "ascii", "label": TMP + "/spikes"})
    Connect(neurons, sr); Connect(neurons, sr_steps); Connect(neurons, sr_file)
    vm       = Create("voltmeter")
    mm       = Create("multimeter", params={"record_from": ["V_m", "I_syn_ex"], "interval": 0.5})
    mm_novm  = Create("multimeter", params={"record_from": ["I_syn_ex"]})
    vm_steps = Create("voltmeter", params={"time_in_steps": True})
    vm_empty = Create("voltmeter")
    Connect(vm, neurons[:3]); Connect(mm, neurons[3:5]); Connect(mm_novm, neurons[0])
    Connect(vm_steps, neurons[0])
    Simulate(300.0)
    data = column_stack([sr.events["senders"], sr.events["times"]])   (float array, N x 2)
    v3.dat (TMP) = "1 1.0 -70.0\\n2 1.0 -69.0\\n1 2.0 -68.0\\n2 2.0 -67.5\\n"
    v2.dat (TMP) = "1 -70.0\\n1 -69.0\\n2 -68.0\\n"

Then each case listed by ``cases()`` below (tag -> call of PyNEST's own
nest.raster_plot / nest.voltage_trace, with the keyword arguments in the tag)
runs after ``plt.close("all")``, with warnings ignored.
Matplotlib backend Agg (matplotlib 3.11.2, numpy 2.4.6 when this was made).

Output, tests/reference/plots.json (encoding of _common.to_jsonable, one line
per list entry; the temporary directory TMP is written as "<TMP>" in every string):

    "inputs":  {"I_e": [...], "spike_times": [[...] x 20]}   (what the protocol used)
    "data":    the N x 2 array ``data`` above (senders, times)
    "cases":   list, in order, of {"tag": ..., "kind": "figure" | "error", ...}
        figure: "result"  shape of the return value: None, or nested lists of type names
                "gca"     index of plt.gca() in plt.gcf().axes
                "nfigs"   len(plt.get_fignums())
                "axes"    per axes of plt.gcf(), in order: "pos" (get_position().bounds),
                          "title", "xlabel", "ylabel", "xlim", "ylim", "yticks",
                          "nxticks" (len(get_xticks())), "legend" (texts or None),
                          "lines": [marker, linestyle, rgba color, label ("" for "_..."),
                          xdata, ydata] per line, "bars": [x, width, height, rgba face,
                          rgba edge] per patch
        error:  "raised" (bool), "error_class", "error_mro" (class names up to
                Exception), "message"
    "extract_events": list of {"kw": ..., "result": extract_events(data, **kw)}

tests/test_plotting.py::test_figures_match_pynest compares numbers with
numpy.isclose(rtol=1e-6, atol=1e-5) (PyNEST keeps voltage traces as float32),
everything else exactly; the points of marker-only (raster) lines are compared
in sorted (x, y) order, because within one min_delay slice NEST stores a
recorder's spikes by sender, not by time.
"""

import json
import os
import shutil
import sys
import tempfile
import warnings

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402

N = 20
I_E = [360.0 + 12.0 * i for i in range(N)]


def spike_times(i):
    times, k = [], 0
    while 3.0 + 1.7 * i + 6.3 * k < 300.0:
        times.append(round(3.0 + 1.7 * i + 6.3 * k, 1))
        k += 1
    return times


SPIKE_TIMES = [spike_times(i) for i in range(N)]

RASTER_DEVICE_KW = [
    {},
    {"hist": True},
    {"hist": False},
    {"hist_binwidth": 10.0},
    {"grayscale": True},
    {"hist": False, "grayscale": True, "title": "R"},
    {"title": "T", "hist_binwidth": 2.5},
]
RASTER_DATA_KW = [{}, {"sel": [1, 2, 5]}, {"sel": [3], "hist": False}, {"xlabel": "t", "title": "x", "grayscale": True}]
EXTRACT_KW = [{}, {"time": [100.0]}, {"time": [50.0, 150.0]}, {"sel": [2, 4]}, {"time": [50.0, 150.0], "sel": [2, 4]}]
VOLTAGE_DEVICE_KW = [{}, {"neurons": [3, 1]}, {"grayscale": True, "title": "V"}, {"timeunit": "s"}, {"timeunit": "min"}]


def build(nest, tmp):
    nest.ResetKernel()
    neurons = nest.Create("iaf_psc_alpha", N, params={"I_e": I_E})
    gens = nest.Create("spike_generator", N)
    for i in range(N):
        gens[i].set(spike_times=SPIKE_TIMES[i])
    nest.Connect(gens, neurons, "one_to_one", syn_spec={"weight": 60.0, "delay": 1.0})
    for i in range(N):
        for d in (1, 7, 13):
            nest.Connect(neurons[i], neurons[(i + d) % N], syn_spec={"weight": 40.0, "delay": 1.5})
    h = {"neurons": neurons}
    h["sr"] = nest.Create("spike_recorder")
    h["sr_steps"] = nest.Create("spike_recorder", params={"time_in_steps": True})
    h["sr_empty"] = nest.Create("spike_recorder")
    h["sr_file"] = nest.Create("spike_recorder", params={"record_to": "ascii", "label": os.path.join(tmp, "spikes")})
    for name in ("sr", "sr_steps", "sr_file"):
        nest.Connect(neurons, h[name])
    h["vm"] = nest.Create("voltmeter")
    h["mm"] = nest.Create("multimeter", params={"record_from": ["V_m", "I_syn_ex"], "interval": 0.5})
    h["mm_novm"] = nest.Create("multimeter", params={"record_from": ["I_syn_ex"]})
    h["vm_steps"] = nest.Create("voltmeter", params={"time_in_steps": True})
    h["vm_empty"] = nest.Create("voltmeter")
    nest.Connect(h["vm"], neurons[:3])
    nest.Connect(h["mm"], neurons[3:5])
    nest.Connect(h["mm_novm"], neurons[0])
    nest.Connect(h["vm_steps"], neurons[0])
    nest.Simulate(300.0)
    events = h["sr"].get("events")
    h["data"] = np.column_stack([events["senders"], events["times"]]).astype(float)
    h["files"] = list(h["sr_file"].get("filenames"))
    h["v3"] = os.path.join(tmp, "v3.dat")
    with open(h["v3"], "w") as handle:
        handle.write("1 1.0 -70.0\n2 1.0 -69.0\n1 2.0 -68.0\n2 2.0 -67.5\n")
    h["v2"] = os.path.join(tmp, "v2.dat")
    with open(h["v2"], "w") as handle:
        handle.write("1 -70.0\n1 -69.0\n2 -68.0\n")
    return h


def cases(rp, vt, h):
    """(tag, kind, call) in the order of plots.json."""
    out = []
    for kw in RASTER_DEVICE_KW:
        out.append((f"raster_plot.from_device {kw}", "figure", lambda kw=kw: rp.from_device(h["sr"], **kw)))
    out.append(("raster_plot.from_device time_in_steps", "figure", lambda: rp.from_device(h["sr_steps"])))
    out.append(("raster_plot.from_device ascii", "figure", lambda: rp.from_device(h["sr_file"])))
    out.append(("raster_plot.from_file", "figure", lambda: rp.from_file(h["files"][0])))
    out.append(("raster_plot.from_file list", "figure", lambda: rp.from_file(h["files"] * 2, hist=False, title="F")))
    for kw in RASTER_DATA_KW:
        out.append((f"raster_plot.from_data {kw}", "figure", lambda kw=kw: rp.from_data(h["data"], **kw)))
    out.append(("raster_plot of a voltmeter", "error", lambda: rp.from_device(h["vm"])))
    out.append(("raster_plot of a neuron", "error", lambda: rp.from_device(h["neurons"][0])))
    out.append(("raster_plot of an empty recorder", "error", lambda: rp.from_device(h["sr_empty"])))
    for kw in VOLTAGE_DEVICE_KW:
        out.append((f"voltage_trace.from_device {kw}", "figure", lambda kw=kw: vt.from_device(h["vm"], **kw)))
    out.append(("voltage_trace.from_device multimeter", "figure", lambda: vt.from_device(h["mm"])))
    out.append(("voltage_trace.from_device time_in_steps", "figure", lambda: vt.from_device(h["vm_steps"])))

    def twice():
        vt.from_device(h["vm"])
        return vt.from_device(h["vm"], neurons=[2], title="again")

    out.append(("voltage_trace twice into one axes", "figure", twice))
    out.append(("voltage_trace of a spike recorder", "error", lambda: vt.from_device(h["sr"])))
    out.append(("voltage_trace of a multimeter without V_m", "error", lambda: vt.from_device(h["mm_novm"])))
    out.append(("voltage_trace of an empty voltmeter", "error", lambda: vt.from_device(h["vm_empty"])))
    out.append(("voltage_trace.from_file 3 columns", "figure", lambda: vt.from_file(h["v3"])))
    out.append(("voltage_trace.from_file 2 columns", "figure", lambda: vt.from_file(h["v2"])))
    out.append(("voltage_trace.from_file list", "figure", lambda: vt.from_file([h["v3"], h["v3"]], grayscale=True)))
    return out


def snapshot(fig, to_rgba):
    axes = []
    for ax in fig.axes:
        legend = ax.get_legend()
        lines = []
        for line in ax.lines:
            label = line.get_label()
            lines.append(
                [
                    line.get_marker(),
                    line.get_linestyle(),
                    list(to_rgba(line.get_color())),
                    "" if label.startswith("_") else label,
                    [float(x) for x in np.asarray(line.get_xdata(), float)],
                    [float(y) for y in np.asarray(line.get_ydata(), float)],
                ]
            )
        bars = [
            [
                float(p.get_x()),
                float(p.get_width()),
                float(p.get_height()),
                list(p.get_facecolor()),
                list(p.get_edgecolor()),
            ]
            for p in ax.patches
        ]
        axes.append(
            {
                "pos": [float(v) for v in ax.get_position().bounds],
                "title": ax.get_title(),
                "xlabel": ax.get_xlabel(),
                "ylabel": ax.get_ylabel(),
                "xlim": [float(v) for v in ax.get_xlim()],
                "ylim": [float(v) for v in ax.get_ylim()],
                "yticks": [float(v) for v in ax.get_yticks()],
                "nxticks": len(ax.get_xticks()),
                "legend": [t.get_text() for t in legend.get_texts()] if legend else None,
                "lines": lines,
                "bars": bars,
            }
        )
    return axes


def shape(result):
    if result is None:
        return None
    return [shape(x) if isinstance(x, list) else type(x).__name__ for x in result]


def describe(kind, call, plt, to_rgba):
    """Run one case after closing all figures and describe what it did."""
    plt.close("all")
    if kind == "error":
        try:
            call()
        except Exception as error:  # noqa: BLE001 -- we record whatever is raised
            mro = []
            for cls in type(error).__mro__:
                if cls is Exception:
                    break
                mro.append(cls.__name__)
            return {"raised": True, "error_class": type(error).__name__, "error_mro": mro, "message": str(error)}
        return {"raised": False, "error_class": None, "error_mro": None, "message": None}
    result = call()
    fig = plt.gcf()
    return {
        "result": shape(result),
        "gca": fig.axes.index(plt.gca()),
        "nfigs": len(plt.get_fignums()),
        "axes": snapshot(fig, to_rgba),
    }


def replace_tmp(obj, tmp):
    if isinstance(obj, dict):
        return {k: replace_tmp(v, tmp) for k, v in obj.items()}
    if isinstance(obj, list):
        return [replace_tmp(v, tmp) for v in obj]
    if isinstance(obj, str):
        return obj.replace(tmp, "<TMP>")
    return obj


def write_compact(name, data):
    """Like _common.write_json, but one line per case (the indented form is twice as big)."""
    path = os.path.join(_common.REF_DIR, name)
    os.makedirs(_common.REF_DIR, exist_ok=True)

    def dump(obj):
        return json.dumps(obj, sort_keys=True, separators=(",", ":"))

    parts = []
    for key in sorted(data):
        value = data[key]
        if isinstance(value, list):
            body = "[\n" + ",\n".join("  " + dump(v) for v in value) + "\n ]"
        else:
            body = dump(value)
        parts.append(" %s: %s" % (json.dumps(key), body))
    with open(path, "w") as f:
        f.write("{\n" + ",\n".join(parts) + "\n}\n")
    print("wrote", os.path.relpath(path, _common.REPO_ROOT), os.path.getsize(path), "bytes")


def main():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import nest
    import nest.raster_plot
    import nest.voltage_trace

    _common.quiet(nest)
    warnings.simplefilter("ignore")
    tmp = tempfile.mkdtemp()
    try:
        h = build(nest, tmp)
        out_cases = []
        for tag, kind, call in cases(nest.raster_plot, nest.voltage_trace, h):
            entry = {"tag": tag, "kind": kind}
            entry.update(describe(kind, call, plt, matplotlib.colors.to_rgba))
            out_cases.append(entry)
            print(kind, tag, entry.get("error_class", ""))
        extract = [{"kw": kw, "result": nest.raster_plot.extract_events(h["data"], **kw)} for kw in EXTRACT_KW]
        plt.close("all")
        out = {
            "inputs": {"I_e": I_E, "spike_times": SPIKE_TIMES},
            "data": h["data"],
            "cases": out_cases,
            "extract_events": extract,
        }
        write_compact("plots.json", replace_tmp(_common.to_jsonable(out), tmp))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
