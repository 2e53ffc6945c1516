"""GLIF neurons of real NEST 3.10 -> tests/reference/models_glif.{json,npz}

Models: ``glif_psc``, ``glif_psc_double_alpha``, ``glif_cond`` (Teeter et al. 2018), each
at its five levels (LEVELS: the three mechanism flags; 1 LIF, 2 LIF_R, 3 LIF_ASC,
4 LIF_R_ASC, 5 LIF_R_ASC_A).

``defaults[MODEL]``: ``nest.GetDefaults(MODEL)`` after ``ResetKernel()``.
``errors[MODEL]``: for each bad status in BAD (set on a fresh node), ``[class, message]``
of NEST's error, or ``None`` where NEST accepted it.
``runs[MODEL]`` and ``models_glif.npz`` (``MODEL__KEY``: traces, ``senders`` as the level
minus 1, ``times``): ``protocol(nest, MODEL)``: after ``ResetKernel()`` (resolution 0.1 ms) one
node per level (parameters PARAMS[MODEL] and the level's flags), all driven by one
``step_current_generator`` (RAMP_TIMES, RAMP_VALUES), an excitatory spike train on
receptor 1 and an inhibitory one on receptor 2 (from spike_generators, delay 1 ms,
WEIGHTS[MODEL]); every recordable is read every 0.1 ms for 300 ms and the spikes recorded.
``status[MODEL]``: the fifth node's status entries after the run.
``variants[MODEL]`` and ``variant__MODEL__KEY`` in the npz: ``variant(nest, MODEL)`` (see there).
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MODELS = ["glif_psc", "glif_psc_double_alpha", "glif_cond"]
PORT_KEY = {"glif_psc": "tau_syn", "glif_psc_double_alpha": "tau_syn_fast", "glif_cond": "tau_syn"}
FLAGS = ("spike_dependent_threshold", "after_spike_currents", "adapting_threshold")
LEVELS = {1: (False, False, False), 2: (True, False, False), 3: (False, True, False), 4: (True, True, False),
          5: (True, True, True)}  # fmt: skip
PARAMS = {
    "glif_psc": {"tau_syn": [1.5, 4.0], "t_ref": 2.0},
    "glif_psc_double_alpha": {"tau_syn_fast": [1.0, 2.0], "tau_syn_slow": [5.0, 9.0], "amp_slow": [0.4, 0.2]},
    "glif_cond": {"tau_syn": [0.5, 3.0], "E_rev": [0.0, -80.0]},
}
WEIGHTS = {"glif_psc": (300.0, -250.0), "glif_psc_double_alpha": (250.0, -200.0), "glif_cond": (6.0, 8.0)}
RAMP_TIMES = [20.0, 70.0, 120.0, 170.0, 230.0, 270.0]
RAMP_VALUES = [120.0, 280.0, 330.0, 420.0, 520.0, 0.0]
EXC_TIMES = sorted([float(t) for t in np.round(np.arange(5.0, 300.0, 6.3), 1)] + [55.0, 55.0])
INH_TIMES = [float(t) for t in np.round(np.arange(3.0, 300.0, 9.7), 1)]

BAD = [
    {"C_m": 0.0},
    {"g": 0.0},
    {"g_m": -1.0},
    {"t_ref": 0.0},
    {"V_reset": -40.0},
    {"V_th": -80.0},
    {"tau_syn": [1.0, -2.0]},
    {"tau_syn_fast": [0.0]},
    {"tau_syn_slow": [-1.0]},
    {"tau_syn_fast": [1.0, 2.0]},
    {"amp_slow": [-0.5]},
    {"E_rev": [0.0]},
    {"voltage_reset_fraction": 1.5},
    {"voltage_reset_add": -1.0},
    {"th_spike_decay": 0.0},
    {"th_voltage_decay": 0.0},
    {"asc_decay": [0.0, 0.1]},
    {"asc_r": [1.5, 1.0]},
    {"asc_amps": [1.0]},
    {"asc_init": [0.0, 0.0, 0.0]},
    {"adapting_threshold": True},
    {"after_spike_currents": True, "adapting_threshold": True},
    {"spike_dependent_threshold": True, "adapting_threshold": True},
]


def protocol(nest, model, t_stop=300.0, threads=1, split=False):
    """The run described above; ``threads`` and ``split`` (two Simulate calls) for checks
    that the result does not depend on them."""
    nest.ResetKernel()
    nest.resolution = 0.1
    if threads > 1:
        nest.local_num_threads = threads
    nodes = None
    for level in sorted(LEVELS):
        params = dict(PARAMS[model], **dict(zip(FLAGS, LEVELS[level])))
        n = nest.Create(model, params=params)
        nodes = n if nodes is None else nodes + n
    sc = nest.Create("step_current_generator", params={"amplitude_times": RAMP_TIMES,
                                                       "amplitude_values": RAMP_VALUES})  # fmt: skip
    se = nest.Create("spike_generator", params={"spike_times": EXC_TIMES})
    si = nest.Create("spike_generator", params={"spike_times": INH_TIMES})
    w_e, w_i = WEIGHTS[model]
    nest.Connect(sc, nodes)
    nest.Connect(se, nodes, syn_spec={"weight": w_e, "delay": 1.0, "receptor_type": 1})
    nest.Connect(si, nodes, syn_spec={"weight": w_i, "delay": 1.0, "receptor_type": 2})
    keys = list(nest.GetDefaults(model, "recordables"))
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": keys})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, nodes)
    nest.Connect(nodes, sr)
    if split:
        nest.Simulate(t_stop / 2 - 3.7)
        nest.Simulate(t_stop / 2 + 3.7)
    else:
        nest.Simulate(t_stop)
    ev = mm.get("events")
    out = {k: np.asarray(ev[k], dtype=float) for k in keys}
    out["senders"] = (np.asarray(ev["senders"]) - nodes[0].global_id).astype(np.int8)
    out["times"] = np.asarray(ev["times"], dtype=float)
    sev = sr.get("events")
    out["spike_senders"] = (np.asarray(sev["senders"]) - nodes[0].global_id).tolist()
    out["spike_times"] = np.asarray(sev["times"], dtype=float).tolist()
    status = nodes[4].get()
    skip = ("global_id", "model_id", "thread", "vp", "thread_local_id", "local", "recordables", "synaptic_elements",
            "elementsize")  # fmt: skip
    out["status"] = {k: status[k] for k in status if k not in skip}
    return out


# The variant: another resolution, an off-grid t_ref, V_reset != E_L, three ports and three
# after-spike currents of which only two act (NEST's ASCurrents keeps its length, 2, unless set),
# except on a sixth node whose ASCurrents is set to three values.
VARIANT = {
    "asc_init": [0.0, 0.0, 0.0], "asc_decay": [0.01, 0.05, 0.3], "asc_amps": [-20.0, 15.0, -80.0],
    "asc_r": [0.5, 1.0, 0.0], "t_ref": 1.23, "V_reset": -75.0, "E_L": -70.0, "V_m": -72.0, "V_th": -50.0,
    "C_m": 80.0, "voltage_reset_fraction": 0.4, "voltage_reset_add": 10.0, "th_spike_add": 1.2,
    "th_spike_decay": 0.05, "th_voltage_index": 0.02, "th_voltage_decay": 0.2,
}  # fmt: skip
VARIANT_PORTS = {
    "glif_psc": {"g": 12.0, "tau_syn": [0.3, 1.0, 4.0]},
    "glif_psc_double_alpha": {
        "g": 12.0,
        "tau_syn_fast": [0.3, 1.0, 4.0],
        "tau_syn_slow": [2.0, 5.0, 9.0],
        "amp_slow": [0.5, 0.1, 1.5],
    },  # fmt: skip
    "glif_cond": {"g_m": 12.0, "tau_syn": [0.3, 1.0, 4.0], "E_rev": [0.0, -20.0, -90.0]},
}
VARIANT_KEYS = ["V_m", "threshold", "ASCurrents_sum"]


def variant(nest, model, t_stop=100.0):
    """Levels 1-5 and a level-4 node with three after-spike currents, at 0.05 ms: dc input and
    spike trains on ports 1-3 (delay 0.5 ms); VARIANT_KEYS every 0.05 ms."""
    nest.ResetKernel()
    nest.resolution = 0.05
    nodes = None
    for level in [1, 2, 3, 4, 5, 4]:
        params = dict(VARIANT, **VARIANT_PORTS[model], **dict(zip(FLAGS, LEVELS[level])))
        if nodes is not None and len(nodes) == 5:
            params["ASCurrents"] = [5.0, -3.0, 2.0]
        n = nest.Create(model, params=params)
        nodes = n if nodes is None else nodes + n
    nest.Connect(nest.Create("dc_generator", params={"amplitude": 330.0 if model == "glif_cond" else 300.0}), nodes)
    weights = [5.0, 3.0, 6.0] if model == "glif_cond" else [200.0, -100.0, 150.0]
    for port, (start, step) in enumerate([(2.0, 3.1), (1.5, 4.3), (7.0, 11.0)]):
        times = [float(t) for t in np.round(np.arange(start, t_stop, step), 2)]
        sg = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(sg, nodes, syn_spec={"weight": weights[port], "delay": 0.5, "receptor_type": port + 1})
    mm = nest.Create("multimeter", params={"interval": 0.05, "record_from": VARIANT_KEYS})
    nest.Connect(mm, nodes)
    sr = nest.Create("spike_recorder")
    nest.Connect(nodes, sr)
    nest.Simulate(t_stop)
    ev = mm.get("events")
    out = {k: np.asarray(ev[k], dtype=float) for k in VARIANT_KEYS}
    out["senders"] = (np.asarray(ev["senders"]) - nodes[0].global_id).astype(np.int8)
    sev = sr.get("events")
    out["spike_senders"] = (np.asarray(sev["senders"]) - nodes[0].global_id).tolist()
    out["spike_times"] = np.asarray(sev["times"], dtype=float).tolist()
    out["ASCurrents"] = np.asarray(nodes[5].get("ASCurrents"), dtype=float).tolist()
    return out


def errors(nest, model):
    out = {}
    for bad in BAD:
        nest.ResetKernel()
        n = nest.Create(model)
        try:
            n.set(bad)
            out[json.dumps(bad, sort_keys=True)] = None
        except Exception as e:  # noqa: BLE001 - the class and message are what is compared
            out[json.dumps(bad, sort_keys=True)] = [type(e).__name__, str(e)]
    return out


def main():
    import _common

    import nest

    _common.quiet(nest)
    out = {"defaults": {}, "errors": {}, "runs": {}, "variants": {}}
    traces = {}
    for m in MODELS:
        nest.ResetKernel()
        d = nest.GetDefaults(m)
        out["defaults"][m] = {k: d[k] for k in d if k not in ("model_id", "global_id", "thread", "vp",
                                                               "thread_local_id")}  # fmt: skip
        out["errors"][m] = errors(nest, m)
        run = protocol(nest, m)
        for key in [k for k, x in run.items() if isinstance(x, np.ndarray)]:
            traces[f"{m}__{key}"] = run.pop(key)
        out["runs"][m] = run
        run = variant(nest, m)
        for key in [k for k, x in run.items() if isinstance(x, np.ndarray)]:
            traces[f"variant__{m}__{key}"] = run.pop(key)
        out["variants"][m] = run
    _common.write_json("models_glif.json", out)
    _common.write_npz("models_glif.npz", traces)


if __name__ == "__main__":
    main()
