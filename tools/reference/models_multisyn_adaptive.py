"""Multisynapse AdEx, gif with conductances and receptor ports, iaf_chxk_2008 in real NEST 3.10.

Writes ``tests/reference/models_multisyn_adaptive.json``; ``tests/test_models_multisyn_adaptive.py``
runs the same protocols (imported from here) on nestling.

Protocol ``protocol(nest, model)``: resolution 0.1 ms, 300 ms. Two nodes of ``model`` with
different receptor lists (``PORTS[model]``); a step current ramp (``RAMP``) into both; one
spike_generator per port (times drawn once from ``numpy.random.default_rng(11)``, delay
1 ms, weight ``WEIGHTS[model][port]``); a multimeter on each node reading every recordable
every 0.1 ms; a spike recorder on both. Models without ports get excitatory and
inhibitory generators (positive and negative weights). Models with escape noise are run
twice: forced (``lambda_0`` so large that a neuron fires at every step it is allowed to,
which makes the trace deterministic) and free, where spike counts per node over seeds
1-10 of a population (``stats``) are compared in distribution.

Also: ``GetDefaults`` of every model, and the errors of bad values (``errors``).
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MODELS = ["aeif_cond_alpha_multisynapse", "aeif_cond_beta_multisynapse"]
RAMP = {"amplitude_times": [20.0, 80.0, 150.0, 210.0, 260.0], "amplitude_values": [300.0, 650.0, 200.0, 900.0, 0.0]}
PORTS = {
    "aeif_cond_alpha_multisynapse": [
        {"E_rev": [0.0, -85.0, -20.0], "tau_syn": [0.5, 3.0, 8.0]},
        {"E_rev": [0.0, -70.0], "tau_syn": [1.0, 2.0], "t_ref": 1.5, "a": 8.0, "b": 40.0},
    ],
    "aeif_cond_beta_multisynapse": [
        {"E_rev": [0.0, -85.0, -20.0], "tau_rise": [0.2, 1.0, 2.0], "tau_decay": [1.0, 3.0, 2.0]},
        {"E_rev": [0.0, -70.0], "tau_rise": [1.0, 0.5], "tau_decay": [4.0, 10.0], "t_ref": 1.5, "Delta_T": 0.0},
    ],
}
WEIGHTS = {
    "aeif_cond_alpha_multisynapse": [6.0, 10.0, 4.0],
    "aeif_cond_beta_multisynapse": [5.0, 8.0, 6.0],
}
RATE_HZ = 40.0


def spike_times(seed, n_ports, t_stop):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_ports):
        k = rng.poisson(RATE_HZ * t_stop / 1000.0)
        out.append(np.unique(np.round(rng.uniform(1.0, t_stop - 5.0, size=k), 1)).tolist())
    return out


def protocol(nest, model, t_stop=300.0):
    nest.ResetKernel()
    nest.resolution = 0.1
    nodes = [nest.Create(model, params=p) for p in PORTS[model]]
    step = nest.Create("step_current_generator", params=RAMP)
    for node in nodes:
        nest.Connect(step, node)
    for j, node in enumerate(nodes):
        n_ports = node.get("n_receptors")
        for port, times in enumerate(spike_times(11 + j, n_ports, t_stop), start=1):
            sg = nest.Create("spike_generator", params={"spike_times": times})
            w = WEIGHTS[model][port - 1]
            nest.Connect(sg, node, syn_spec={"receptor_type": port, "weight": w, "delay": 1.0})
    meters = []
    for node in nodes:
        mm = nest.Create("multimeter", params={"record_from": node.get("recordables"), "interval": 0.1})
        nest.Connect(mm, node)
        meters.append(mm)
    sr = nest.Create("spike_recorder")
    nest.Connect(nodes[0] + nodes[1], sr)
    nest.Simulate(t_stop)
    ev = sr.get("events")
    out = {"times": np.asarray(ev["times"], dtype=float).tolist(), "senders": np.asarray(ev["senders"]).tolist()}
    for j, mm in enumerate(meters):
        e = mm.get("events")
        out[f"node{j}"] = {k: np.asarray(e[k], dtype=float).tolist() for k in e if k not in ("senders", "times")}
    out["final"] = [{k: node.get(k) for k in ("V_m", "w", "g", "dg") if k in node.get()} for node in nodes]
    return out


def _try(f):
    try:
        f()
        return "accepted"
    except Exception as e:  # noqa: BLE001 - the error's class and message are what is compared
        return f"{type(e).__name__}: {e}"


BAD_VALUES = {
    "aeif_cond_alpha_multisynapse": [
        {"tau_syn": [1.0, 2.0]}, {"E_rev": [0.0, -80.0]}, {"E_rev": [0.0, 1.0], "tau_syn": [1.0]},
        {"E_rev": [0.0], "tau_syn": [-1.0]}, {"V_peak": -60.0}, {"V_reset": 10.0}, {"Delta_T": -1.0},
        {"C_m": 0.0}, {"t_ref": -1.0}, {"tau_w": 0.0}, {"gsl_error_tol": 0.0},
        {"E_rev": [0.0, -80.0], "tau_syn": [1.0, 2.0]}, {"E_rev": [], "tau_syn": []},
    ],
    "aeif_cond_beta_multisynapse": [
        {"E_rev": [0.0, -80.0]}, {"tau_rise": [1.0, 2.0]}, {"E_rev": [0.0, 1.0], "tau_rise": [1.0], "tau_decay": [1.0, 2.0]},
        {"tau_rise": [30.0]}, {"tau_decay": [1.0]}, {"E_rev": [0.0], "tau_rise": [0.0]}, {"V_peak": -60.0},
        {"C_m": 0.0}, {"E_rev": [0.0, -80.0], "tau_rise": [1.0, 2.0], "tau_decay": [3.0, 4.0]},
    ],
}  # fmt: skip


def errors(nest, model):
    out = {}
    for d in BAD_VALUES.get(model, []):
        nest.ResetKernel()
        n = nest.Create(model)
        out[json.dumps(d, sort_keys=True)] = _try(lambda n=n, d=d: n.set(d))
    if model in PORTS and "n_receptors" in nest.GetDefaults(model):
        nest.ResetKernel()
        n = nest.Create(model, params=PORTS[model][1])
        sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
        for port in (0, 1, 2, 3):
            out[f"port {port}"] = _try(lambda port=port: nest.Connect(sg, n, syn_spec={"receptor_type": port}))
        if "cond" in model:
            nest.ResetKernel()
            n = nest.Create(model)
            sg = nest.Create("spike_generator", params={"spike_times": [1.0]})
            nest.Connect(sg, n, syn_spec={"receptor_type": 1, "weight": -1.0})
            out["negative weight"] = _try(lambda: nest.Simulate(5.0))
    return out


def main():
    import _common

    import nest

    _common.quiet(nest)
    skip = ("model_id", "global_id", "thread", "vp", "thread_local_id")
    defaults = {m: {k: v for k, v in nest.GetDefaults(m).items() if k not in skip} for m in MODELS}
    out = {
        "defaults": defaults,
        "errors": {m: errors(nest, m) for m in MODELS},
        "runs": {m: protocol(nest, m) for m in MODELS},
    }
    path = os.path.join(_common.REF_DIR, "models_multisyn_adaptive.json")
    with open(path, "w") as f:
        json.dump(_common.to_jsonable(out), f)
    print("wrote", path)


if __name__ == "__main__":
    main()
