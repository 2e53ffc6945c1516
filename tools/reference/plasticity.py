"""Plastic synapses in real NEST 3.10: defaults, and weight trajectories under pairing protocols.

Writes ``tests/reference/plasticity.json``. The protocols use only the public NEST 3 API, and
``tests/test_plasticity.py`` runs the same functions (imported from here) on nestling:

NEST lists connections by synapse model and source, but sorts them without keeping the
order of connections from one source once more are made; the test compares values per
(source, target, model).

- ``stdp_protocol``: ten presynaptic parrots fed random spike trains, five postsynaptic
  iaf_psc_alpha neurons forced to fire at random times by strong static input, each parrot
  connected to each neuron through ``stdp_synapse`` with one of several parameter sets
  (multiplicative, additive, intermediate exponents, other lambda/alpha/tau_plus/Wmax,
  negative weights with negative Wmax, delays 1.0 and 2.3 ms), and one ``stdp_synapse_hom``
  copy with common parameters; more connections are made halfway. Weights and Kplus are
  read every 5 ms; the neurons' V_m every 0.1 ms (the weights act on it).
- ``tsodyks_protocol``: parrots into iaf_psc_exp neurons through ``tsodyks2_synapse`` or
  ``tsodyks_synapse`` with depressing and facilitating parameters; V_m every 0.1 ms, the
  synapses' state every 5 ms.
- ``stdp_pl_protocol``: parrots into forced iaf_psc_alpha neurons through two copies of
  ``stdp_pl_synapse_hom``; weights and Kplus every 5 ms.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MODELS = [
    f"{base}{suffix}"
    for base in (
        "static_synapse",
        "static_synapse_hom_w",
        "stdp_pl_synapse_hom",
        "stdp_synapse",
        "stdp_synapse_hom",
        "tsodyks2_synapse",
        "tsodyks_synapse",
        "tsodyks_synapse_hom",
        "stdp_nn_symm_synapse",
        "stdp_nn_pre_centered_synapse",
        "stdp_nn_restr_synapse",
        "stdp_triplet_synapse",
        "vogels_sprekeler_synapse",
        "ht_synapse",
        "bernoulli_synapse",
        "quantal_stp_synapse",
        "stdp_dopamine_synapse",
    )
    for suffix in ("", "_hpc", "_lbl")
]

STDP_SETS = [
    {"weight": 20.0, "delay": 1.0},
    {"weight": 20.0, "delay": 2.3, "mu_plus": 0.0, "mu_minus": 0.0, "lambda": 0.05},
    {"weight": 35.0, "delay": 1.5, "mu_plus": 0.4, "mu_minus": 0.4, "alpha": 0.9, "tau_plus": 15.0, "Wmax": 50.0},
    {"weight": -20.0, "delay": 1.0, "Wmax": -60.0, "lambda": 0.03},
    {"weight": 5.0, "delay": 0.1, "Kplus": 0.5, "lambda": 0.1},
]


def _trains(rng, n, rate_hz, t_stop, h=0.1):
    out = []
    for _ in range(n):
        k = rng.poisson(rate_hz * t_stop / 1000.0)
        steps = np.unique(rng.integers(1, int(t_stop / h), size=k))
        out.append(np.round(steps * h, 1))
    return out


TRIPLET_SETS = [
    {"weight": 20.0, "delay": 1.0},
    {"weight": 20.0, "delay": 2.3, "Aplus": 0.05, "Aminus": 0.04, "Aplus_triplet": 0.02, "Aminus_triplet": 0.01},
    {"weight": 35.0, "delay": 1.5, "Aplus": 0.1, "tau_plus": 10.0, "tau_plus_triplet": 50.0, "Wmax": 40.0},
]
VOGELS_SETS = [
    {"weight": 0.5, "delay": 1.0},
    {"weight": -0.5, "delay": 2.3, "Wmax": -2.0, "eta": 0.01, "alpha": 0.3},
    {"weight": 1.0, "delay": 1.5, "tau": 20.0, "eta": 0.05, "Wmax": 3.0, "alpha": 0.05},
]
# The sets each rule takes (models without Kplus refuse it).
RULE_SETS = {
    "stdp_synapse": STDP_SETS,
    "stdp_nn_symm_synapse": [{k: v for k, v in p.items() if k != "Kplus"} for p in STDP_SETS],
    "stdp_nn_pre_centered_synapse": STDP_SETS,
    "stdp_nn_restr_synapse": [{k: v for k, v in p.items() if k != "Kplus"} for p in STDP_SETS],
    "stdp_triplet_synapse": TRIPLET_SETS,
    "vogels_sprekeler_synapse": VOGELS_SETS,
}


def stdp_protocol(nest, t_stop=400.0, seed=3, model="stdp_synapse"):
    rng = np.random.default_rng(seed)
    nest.ResetKernel()
    nest.resolution = 0.1
    pre_trains = _trains(rng, 10, 40.0, t_stop)
    post_trains = _trains(rng, 5, 25.0, t_stop)
    pre = nest.Create("parrot_neuron", 10)
    # vogels_sprekeler_synapse reads the post trace with the neuron's tau_minus: its tau.
    tau_minus = 20.0 if model == "vogels_sprekeler_synapse" else 25.0
    post = nest.Create("iaf_psc_alpha", 5, params={"tau_minus": tau_minus, "tau_minus_triplet": 90.0})
    for j, train in enumerate(pre_trains):
        sg = nest.Create("spike_generator", params={"spike_times": train.tolist()})
        nest.Connect(sg, pre[j])
    for j, train in enumerate(post_trains):
        sg = nest.Create("spike_generator", params={"spike_times": train.tolist()})
        nest.Connect(sg, post[j], syn_spec={"weight": 5000.0})
    nest.CopyModel("stdp_synapse_hom", "stdp_hom_copy", {"tau_plus": 12.0, "lambda": 0.02, "Wmax": 40.0})
    sets = RULE_SETS[model]
    for i in range(10):
        spec = dict(sets[i % len(sets)], synapse_model=model)
        nest.Connect(pre[i], post, syn_spec=spec)
    if model == "stdp_synapse":
        nest.Connect(pre[:5], post[:2], syn_spec={"synapse_model": "stdp_hom_copy", "weight": 10.0, "delay": 1.2})
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, post)
    weights, kplus = [], []
    for t in range(int(t_stop / 5.0)):
        if t == int(t_stop / 10.0):
            # More plastic connections halfway: the stores are rebuilt around the old ones.
            nest.Connect(pre[:3], post[3:], syn_spec={"synapse_model": model, "weight": sets[0]["weight"]})
        nest.Simulate(5.0)
        c = nest.GetConnections(pre, post)
        weights.append(c.get("weight"))
        kplus.append(c.get("Kplus") if "Kplus" in nest.GetDefaults(model) else [0.0] * len(c))
        if t == 0:
            order = (c.get("source"), c.get("target"), c.get("synapse_model"))
    c = nest.GetConnections(pre, post)
    n_final = len(c)
    # Pad the early reads (fewer connections before the halfway Connect) with None.
    weights = [list(w) + [None] * (n_final - len(w)) for w in weights]
    kplus = [list(k) + [None] * (n_final - len(k)) for k in kplus]
    ev = vm.get("events")
    return {
        "switch": int(t_stop / 10.0),
        "first_order": [list(x) for x in order],
        "final_source": list(c.get("source")),
        "final_target": list(c.get("target")),
        "final_model": list(c.get("synapse_model")),
        "weights": weights,
        "kplus": kplus,
        "vm_senders": np.asarray(ev["senders"]).tolist(),
        "vm": np.asarray(ev["V_m"]).tolist(),
    }


TSODYKS_SETS = {
    "tsodyks2_synapse": [
        {"weight": 250.0, "delay": 1.0},
        {"weight": 250.0, "delay": 1.5, "U": 0.2, "u": 0.2, "tau_rec": 100.0, "tau_fac": 50.0},
        {"weight": -300.0, "delay": 0.5, "U": 0.6, "tau_rec": 300.0, "x": 0.8},
    ],
    "tsodyks_synapse": [
        {"weight": 250.0, "delay": 1.0},
        {"weight": 250.0, "delay": 1.5, "U": 0.2, "tau_rec": 100.0, "tau_fac": 50.0, "tau_psc": 2.0},
        {"weight": -300.0, "delay": 0.5, "U": 0.6, "tau_rec": 300.0, "x": 0.8, "y": 0.1, "u": 0.3},
    ],
}
TSODYKS_SETS["ht_synapse"] = [
    {"weight": 250.0, "delay": 1.0},
    {"weight": 250.0, "delay": 1.5, "delta_P": 0.4, "tau_P": 30.0},
    {"weight": -300.0, "delay": 0.5, "delta_P": 0.2, "tau_P": 100.0, "P": 0.6},
]
STATE = {"tsodyks2_synapse": ("u", "x"), "tsodyks_synapse": ("u", "x", "y"), "ht_synapse": ("P",)}

STOCHASTIC = {
    "bernoulli_synapse": {"p_transmit": 0.3},
    "quantal_stp_synapse": {"n": 5, "a": 5, "U": 0.3, "u": 0.3, "tau_rec": 50.0, "tau_fac": 20.0},
}


def stochastic_protocol(nest, model, n_post=2000, seed=11):
    """One presynaptic parrot spiking every 10 ms, ``n_post`` integrating neurons (no leak, no
    threshold) behind one ``model`` synapse each: the mean and variance over the neurons of
    what each of the 20 spikes delivered."""
    nest.ResetKernel()
    nest.rng_seed = seed
    pre = nest.Create("parrot_neuron")
    times = [10.0 * (k + 1) for k in range(20)]
    nest.Connect(nest.Create("spike_generator", params={"spike_times": times}), pre)
    post = nest.Create(
        "iaf_psc_delta", n_post, params={"tau_m": 1e9, "C_m": 1.0, "V_th": 1e9, "E_L": 0.0, "V_m": 0.0, "V_reset": 0.0}
    )
    nest.Connect(pre, post, syn_spec=dict(STOCHASTIC[model], synapse_model=model, weight=1.0))
    vm = []
    for _ in times:
        nest.Simulate(10.0)
        vm.append(np.array(post.get("V_m"), dtype=float))
    nest.Simulate(10.0)
    vm.append(np.array(post.get("V_m"), dtype=float))
    # Spike k (sent at 10 (k + 1) + 1 ms) arrives 1 ms later, within read k + 1.
    inc = np.diff(np.array(vm), axis=0)
    return {"mean": inc.mean(axis=1).tolist(), "var": inc.var(axis=1).tolist(), "n_post": n_post}


def tsodyks_protocol(nest, model="tsodyks2_synapse", t_stop=300.0, seed=5):
    rng = np.random.default_rng(seed)
    nest.ResetKernel()
    nest.resolution = 0.1
    trains = _trains(rng, 3, 60.0, t_stop)
    pre = nest.Create("parrot_neuron", 3)
    post = nest.Create("iaf_psc_exp", 3)
    for j, train in enumerate(trains):
        sg = nest.Create("spike_generator", params={"spike_times": train.tolist()})
        nest.Connect(sg, pre[j])
    for j in range(3):
        nest.Connect(pre[j], post[j], syn_spec=dict(TSODYKS_SETS[model][j], synapse_model=model))
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, post)
    state = {k: [] for k in STATE[model]}
    for _ in range(int(t_stop / 5.0)):
        nest.Simulate(5.0)
        c = nest.GetConnections(pre, post)
        for k in state:
            state[k].append(c.get(k))
    ev = vm.get("events")
    return {
        "trains": [t.tolist() for t in trains],
        **state,
        "vm_senders": np.asarray(ev["senders"]).tolist(),
        "vm": np.asarray(ev["V_m"]).tolist(),
    }


def _as_list(value):
    return list(value) if isinstance(value, (list, tuple)) else [value]


def label_protocol(nest):
    """Labelled connections of a static and a plastic model, selected by label."""
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha", 4)
    nest.Connect(a[0], a[1:3], syn_spec={"synapse_model": "static_synapse_lbl", "synapse_label": 3, "weight": 2.0})
    nest.Connect(a[1], a[3], syn_spec={"synapse_model": "static_synapse_lbl", "synapse_label": 4})
    nest.Connect(a[2], a[3], syn_spec={"synapse_model": "stdp_synapse_lbl", "synapse_label": 3})
    nest.Connect(a[3], a[0])
    out = {}
    for when in ("before", "after"):
        for label in (3, 4, 5):
            c = nest.GetConnections(synapse_label=label)
            out[f"{when}_{label}"] = {
                k: _as_list(c.get(k)) if len(c) else [] for k in ("source", "target", "synapse_label")
            }
        nest.Simulate(5.0)
    return out


def dopamine_protocol(nest, deliver_interval=1, t_stop=300.0, seed=13):
    """Parrots into forced iaf_psc_alpha neurons through stdp_dopamine_synapse copies, with a
    dopaminergic parrot population driving the volume transmitter; weight, c, n, Kplus every 5 ms."""
    rng = np.random.default_rng(seed)
    nest.ResetKernel()
    pre_trains = _trains(rng, 4, 40.0, t_stop)
    post_trains = _trains(rng, 2, 30.0, t_stop)
    dopa_trains = _trains(rng, 3, 20.0, t_stop)
    pre = nest.Create("parrot_neuron", 4)
    post = nest.Create("iaf_psc_alpha", 2)
    dopa = nest.Create("parrot_neuron", 3)
    vt = nest.Create("volume_transmitter", params={"deliver_interval": deliver_interval})
    for pop, trains in ((pre, pre_trains), (dopa, dopa_trains)):
        for j, train in enumerate(trains):
            nest.Connect(nest.Create("spike_generator", params={"spike_times": train.tolist()}), pop[j])
    for j, train in enumerate(post_trains):
        nest.Connect(nest.Create("spike_generator", params={"spike_times": train.tolist()}), post[j],
                     syn_spec={"weight": 5000.0})  # fmt: skip
    nest.Connect(dopa, vt)
    nest.CopyModel("stdp_dopamine_synapse", "dopa_a", {"volume_transmitter": vt, "tau_c": 50.0, "tau_n": 30.0,
                                                      "A_plus": 2.0, "A_minus": 1.0, "Wmax": 100.0})  # fmt: skip
    nest.CopyModel("stdp_dopamine_synapse", "dopa_b", {"volume_transmitter": vt, "b": 0.02, "Wmin": 5.0,
                                                      "tau_plus": 10.0})  # fmt: skip
    nest.Connect(pre[:2], post, syn_spec={"synapse_model": "dopa_a", "weight": 30.0, "delay": 1.0})
    nest.Connect(pre[2:], post, syn_spec={"synapse_model": "dopa_b", "weight": 30.0, "delay": 2.0, "c": 0.5})
    out = {k: [] for k in ("weight", "c", "n", "Kplus")}
    for _ in range(int(t_stop / 5.0)):
        nest.Simulate(5.0)
        conns = nest.GetConnections(pre, post)
        for k in out:
            out[k].append(conns.get(k))
    conns = nest.GetConnections(pre, post)
    out["source"] = list(conns.get("source"))
    out["target"] = list(conns.get("target"))
    return out


def precise_stdp_protocol(nest, seed=19):
    """stdp_synapse from parrot_neuron_ps to iaf_psc_delta_ps forced to fire at precise times:
    NEST archives the postsynaptic spikes at their precise times, the presynaptic ones count by
    their step."""
    rng = np.random.default_rng(seed)
    nest.ResetKernel()
    pre = nest.Create("parrot_neuron_ps", 3)
    post = nest.Create("iaf_psc_delta_ps", 2)
    for p in pre:
        times = np.sort(rng.uniform(1.0, 190.0, size=12)).round(4)
        nest.Connect(nest.Create("spike_generator", params={"spike_times": times.tolist(), "precise_times": True}), p)
    for q in post:
        times = np.sort(rng.uniform(1.0, 190.0, size=10)).round(4)
        nest.Connect(nest.Create("spike_generator", params={"spike_times": times.tolist(), "precise_times": True}),
                     q, syn_spec={"weight": 100.0})  # fmt: skip
    # Wmax keeps the plastic input below threshold: the post spikes are the forced ones.
    nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_synapse", "weight": 1.0, "delay": 1.0, "Wmax": 2.0,
                                      "lambda": 0.1})  # fmt: skip
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    nest.Connect(vm, post)
    weights = []
    for _ in range(20):
        nest.Simulate(10.0)
        weights.append(list(nest.GetConnections(pre, post).get("weight")))
    ev = vm.get("events")
    # The plastic input reaches the precise neurons with the presynaptic spikes' offsets.
    return {"weights": weights, "vm": np.asarray(ev["V_m"], dtype=float).tolist()}


def weight_recorder_protocol(nest):
    """A weight_recorder on a copy of stdp_synapse: each spike's weight after its update."""
    nest.ResetKernel()
    wr = nest.Create("weight_recorder")
    nest.CopyModel("stdp_synapse", "stdp_recorded", {"weight_recorder": wr})
    pre = nest.Create("parrot_neuron", 2)
    post = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(nest.Create("spike_generator", params={"spike_times": [5.0, 15.0, 25.0, 32.0]}), pre)
    nest.Connect(nest.Create("spike_generator", params={"spike_times": [7.0, 20.0, 30.0]}), post,
                 syn_spec={"weight": 5000.0})  # fmt: skip
    nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_recorded", "weight": 10.0})
    nest.Simulate(20.0)
    nest.Simulate(20.0)
    ev = wr.get("events")
    return {k: np.asarray(ev[k], dtype=float).tolist() for k in ("senders", "targets", "times", "weights", "ports")}


PL_SETS = [{}, {"lambda": 0.3, "mu": 0.1, "alpha": 1.5, "tau_plus": 10.0}]


def stdp_pl_protocol(nest, t_stop=300.0, seed=7):
    """Parrots into iaf_psc_alpha neurons (forced to fire) through copies of stdp_pl_synapse_hom."""
    rng = np.random.default_rng(seed)
    nest.ResetKernel()
    nest.resolution = 0.1
    pre_trains = _trains(rng, 4, 40.0, t_stop)
    post_trains = _trains(rng, 2, 30.0, t_stop)
    pre = nest.Create("parrot_neuron", 4)
    post = nest.Create("iaf_psc_alpha", 2)
    for j, train in enumerate(pre_trains):
        nest.Connect(nest.Create("spike_generator", params={"spike_times": train.tolist()}), pre[j])
    for j, train in enumerate(post_trains):
        nest.Connect(nest.Create("spike_generator", params={"spike_times": train.tolist()}), post[j],
                     syn_spec={"weight": 5000.0})  # fmt: skip
    for k, params in enumerate(PL_SETS):
        nest.CopyModel("stdp_pl_synapse_hom", f"pl_{k}", params)
        nest.Connect(
            pre[2 * k : 2 * k + 2], post, syn_spec={"synapse_model": f"pl_{k}", "weight": 30.0, "delay": 1.0 + k}
        )
    weights, kplus = [], []
    for _ in range(int(t_stop / 5.0)):
        nest.Simulate(5.0)
        c = nest.GetConnections(pre, post)
        weights.append(c.get("weight"))
        kplus.append(c.get("Kplus"))
    c = nest.GetConnections(pre, post)
    return {"source": list(c.get("source")), "target": list(c.get("target")), "weights": weights, "kplus": kplus}


def _without_vm(run):
    # Kept small: the weights carry what differs between the rules.
    return {k: v for k, v in run.items() if k not in ("vm", "vm_senders")}


def main():
    import _common

    import nest

    _common.quiet(nest)
    defaults = {}
    for m in MODELS:
        d = nest.GetDefaults(m)
        defaults[m] = {k: v for k, v in d.items() if k not in ("synapse_modelid", "num_connections")}
    out = {
        "defaults": defaults,
        "labels": label_protocol(nest),
        "stdp": stdp_protocol(nest),
        "rules": {m: _without_vm(stdp_protocol(nest, t_stop=200.0, model=m)) for m in RULE_SETS if m != "stdp_synapse"},
        "tsodyks2": tsodyks_protocol(nest, "tsodyks2_synapse"),
        "tsodyks": tsodyks_protocol(nest, "tsodyks_synapse"),
        "stdp_pl": stdp_pl_protocol(nest),
        "ht": tsodyks_protocol(nest, "ht_synapse"),
        "weight_recorder": weight_recorder_protocol(nest),
        "precise_stdp": precise_stdp_protocol(nest),
        "dopamine": {str(di): dopamine_protocol(nest, di) for di in (1, 3)},
        "stochastic": {m: stochastic_protocol(nest, m) for m in STOCHASTIC},
    }
    path = os.path.join(_common.REF_DIR, "plasticity.json")
    with open(path, "w") as f:
        json.dump(_common.to_jsonable(out), f)
    print("wrote", path)


if __name__ == "__main__":
    main()
