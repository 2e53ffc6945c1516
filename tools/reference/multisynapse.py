"""Multisynapse neurons in real NEST 3.10: defaults and traces under input to several receptor ports.

Writes ``tests/reference/multisynapse.json``; ``tests/test_multisynapse.py`` runs the same
protocol (imported from here) on nestling. Two nodes per model with different ``tau_syn``
lists get spike trains through parrots on each port, a step current and a constant
current; V_m, I_syn and every I_syn_k are read every 0.1 ms for 300 ms.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MODELS = ["iaf_psc_exp_multisynapse", "iaf_psc_alpha_multisynapse"]
TAUS = [[0.5, 2.0, 8.0], [1.0, 4.0]]
WEIGHTS = {1: 400.0, 2: -250.0, 3: 600.0}


def protocol(nest, model, t_stop=300.0, seed=17):
    rng = np.random.default_rng(seed)
    nest.ResetKernel()
    nest.resolution = 0.1
    nodes = [nest.Create(model, params={"tau_syn": taus, "I_e": 150.0, "t_ref": 2.0}) for taus in TAUS]
    step = nest.Create("step_current_generator", params={"amplitude_times": [50.0, 150.0, 220.0],
                                                         "amplitude_values": [200.0, -100.0, 300.0]})  # fmt: skip
    for node in nodes:
        nest.Connect(step, node)
    for i, taus in enumerate(TAUS):
        for port in range(1, len(taus) + 1):
            k = rng.poisson(30.0 * t_stop / 1000.0)
            times = np.unique(np.round(rng.uniform(1.0, t_stop - 5.0, size=k), 1))
            parrot = nest.Create("parrot_neuron")
            nest.Connect(nest.Create("spike_generator", params={"spike_times": times.tolist()}), parrot)
            nest.Connect(parrot, nodes[i], syn_spec={"receptor_type": port, "weight": WEIGHTS[port], "delay": 1.0})
    keys = ["V_m", "I_syn", "I_syn_1", "I_syn_2", "I_syn_3"]
    mm = nest.Create("multimeter", params={"record_from": keys, "interval": 0.1})
    nest.Connect(mm, nodes[0])
    mm2 = nest.Create("multimeter", params={"record_from": keys[:4], "interval": 0.1})
    nest.Connect(mm2, nodes[1])
    sr = nest.Create("spike_recorder")
    nest.Connect(nodes[0] + nodes[1], sr)
    nest.Simulate(t_stop)
    out = {"times": np.asarray(sr.get("events")["times"], dtype=float).tolist(),
           "senders": np.asarray(sr.get("events")["senders"]).tolist()}  # fmt: skip
    for name, meter, ks in (("a", mm, keys), ("b", mm2, keys[:4])):
        ev = meter.get("events")
        out[name] = {k: np.asarray(ev[k], dtype=float).tolist() for k in ks}
    return out


def poisson_protocol(nest, seed=3):
    """A poisson_generator into port 2 of 200 neurons: each port's mean current over 1 s."""
    nest.ResetKernel()
    nest.rng_seed = seed
    n = nest.Create("iaf_psc_exp_multisynapse", 200, params={"tau_syn": [1.0, 5.0], "V_th": 1e6})
    pg = nest.Create("poisson_generator", params={"rate": 5000.0})
    nest.Connect(pg, n, syn_spec={"receptor_type": 2, "weight": 20.0})
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_1", "I_syn_2"], "interval": 1.0, "start": 50.0})
    nest.Connect(mm, n)
    nest.Simulate(1000.0)
    ev = mm.get("events")
    i2 = np.asarray(ev["I_syn_2"], dtype=float)
    return {"mean_1": float(np.mean(ev["I_syn_1"])), "mean_2": float(i2.mean()), "sd_2": float(i2.std())}


def errors(nest):
    """NEST's errors for receptor ports and time constants."""
    out = {}
    for model in MODELS:
        nest.ResetKernel()
        n = nest.Create(model, params={"tau_syn": [1.0, 2.0]})
        a = nest.Create("iaf_psc_alpha")
        for port in (0, 3):
            try:
                nest.Connect(a, n, syn_spec={"receptor_type": port})
                out[f"{model}_{port}"] = "accepted"
            except Exception as e:  # noqa: BLE001 - the error's name is what is compared
                out[f"{model}_{port}"] = type(e).__name__
        for key, value in (("tau_syn", [10.0]), ("tau_syn", [-1.0])):
            try:
                n.set({key: value})
                out[f"{model}_{key}_{value[0]}"] = "accepted"
            except Exception as e:  # noqa: BLE001
                out[f"{model}_{key}_{value[0]}"] = type(e).__name__
    return out


def main():
    import _common

    import nest

    _common.quiet(nest)
    defaults = {}
    for m in MODELS:
        d = nest.GetDefaults(m)
        defaults[m] = {k: d[k] for k in d if k not in ("model_id", "global_id", "thread", "vp", "thread_local_id")}
    out = {
        "defaults": defaults,
        "errors": errors(nest),
        "runs": {m: protocol(nest, m) for m in MODELS},
        "poisson": poisson_protocol(nest),
    }
    path = os.path.join(_common.REF_DIR, "multisynapse.json")
    with open(path, "w") as f:
        json.dump(_common.to_jsonable(out), f)
    print("wrote", path)


if __name__ == "__main__":
    main()
