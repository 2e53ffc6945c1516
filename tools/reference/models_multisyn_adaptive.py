"""Multisynapse AdEx, gif with conductances and receptor ports, iaf_chxk_2008 in real NEST 3.10.

Writes ``tests/reference/models_multisyn_adaptive.json`` (traces in ``.npz``); ``tests/test_models_multisyn_adaptive.py``
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

MODELS = [
    "aeif_cond_alpha_multisynapse",
    "aeif_cond_beta_multisynapse",
    "gif_cond_exp",
    "gif_cond_exp_multisynapse",
    "gif_psc_exp_multisynapse",
    "iaf_chxk_2008",
]
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
_GIF_KERNELS = {"q_stc": [20.0, 5.0], "tau_stc": [5.0, 50.0], "q_sfa": [4.0, 1.0], "tau_sfa": [10.0, 100.0]}
PORTS["gif_cond_exp"] = [
    {**_GIF_KERNELS, "V_T_star": -52.0, "E_in": -80.0},
    {"V_T_star": -50.0, "tau_syn_ex": 1.0, "tau_syn_in": 6.0, "t_ref": 2.0, "g_L": 6.0},
]
PORTS["gif_cond_exp_multisynapse"] = [
    {**_GIF_KERNELS, "V_T_star": -52.0, "E_rev": [0.0, -80.0, -30.0], "tau_syn": [1.0, 5.0, 3.0]},
    {"V_T_star": -50.0, "E_rev": [0.0, -70.0], "tau_syn": [2.0, 6.0], "t_ref": 2.0, "g_L": 6.0},
]
PORTS["gif_psc_exp_multisynapse"] = [
    {**_GIF_KERNELS, "V_T_star": -52.0, "tau_syn": [1.0, 5.0, 3.0]},
    {"V_T_star": -50.0, "tau_syn": [2.0, 6.0], "t_ref": 2.0, "g_L": 6.0},
]
PORTS["iaf_chxk_2008"] = [
    {"tau_syn_ex": 0.5, "tau_syn_in": 2.0},
    {"ahp_bug": True, "tau_ahp": 1.0, "g_ahp": 300.0, "E_ex": 0.0},
]
WEIGHTS = {
    "aeif_cond_alpha_multisynapse": [6.0, 10.0, 4.0],
    "aeif_cond_beta_multisynapse": [5.0, 8.0, 6.0],
    "gif_cond_exp": [3.0, -6.0],
    "gif_cond_exp_multisynapse": [3.0, 6.0, 2.0],
    "gif_psc_exp_multisynapse": [120.0, -150.0, 80.0],
    "iaf_chxk_2008": [20.0, -30.0],
}
# Current ramp scale per model (the gif neurons' leak is 4 nS, the AdEx ones' 30 nS).
RAMP_SCALE = {
    "gif_cond_exp": 0.25,
    "gif_cond_exp_multisynapse": 0.25,
    "gif_psc_exp_multisynapse": 0.25,
    "iaf_chxk_2008": 3.0,
}
# Escape-noise variants: a threshold so sharp that firing is deterministic, no firing,
# and the default noise (statistics over seeds).
VARIANTS = {"sharp": {"Delta_V": 1e-4, "lambda_0": 1e3}, "silent": {"lambda_0": 0.0}}
NOISY = ["gif_cond_exp", "gif_cond_exp_multisynapse", "gif_psc_exp_multisynapse"]
RATE_HZ = 40.0


def spike_times(seed, n_ports, t_stop):
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(n_ports):
        k = rng.poisson(RATE_HZ * t_stop / 1000.0)
        out.append(np.unique(np.round(rng.uniform(1.0, t_stop - 5.0, size=k), 1)).tolist())
    return out


def protocol(nest, model, variant=None, t_stop=300.0):
    nest.ResetKernel()
    nest.resolution = 0.1
    extra = VARIANTS[variant] if variant else {}
    nodes = [nest.Create(model, params={**p, **extra}) for p in PORTS[model]]
    scale = RAMP_SCALE.get(model, 1.0)
    ramp = {
        "amplitude_times": RAMP["amplitude_times"],
        "amplitude_values": [scale * a for a in RAMP["amplitude_values"]],
    }
    step = nest.Create("step_current_generator", params=ramp)
    for node in nodes:
        nest.Connect(step, node)
    for j, node in enumerate(nodes):
        ported = "n_receptors" in node.get()
        n_ports = node.get("n_receptors") if ported else len(WEIGHTS[model])
        for port, times in enumerate(spike_times(11 + j, n_ports, t_stop), start=1):
            sg = nest.Create("spike_generator", params={"spike_times": times})
            w = WEIGHTS[model][port - 1]
            nest.Connect(sg, node, syn_spec={"receptor_type": port if ported else 0, "weight": w, "delay": 1.0})
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
    keys = ("V_m", "w", "g", "dg", "g_ex", "g_in", "E_sfa", "I_stc", "t_spike")
    out["final"] = [{k: node.get(k) for k in keys if k in node.get()} for node in nodes]
    return out


def stats(nest, model, seed, n=200, t_stop=1000.0):
    """Spike counts of ``n`` noisy neurons (default escape noise) under a constant current
    and Poisson input, and their pooled inter-spike intervals' mean and CV."""
    nest.ResetKernel()
    nest.resolution = 0.1
    nest.rng_seed = seed
    params = {"V_T_star": -50.0, "I_e": 60.0, "q_stc": [10.0], "tau_stc": [20.0], "q_sfa": [2.0], "tau_sfa": [50.0]}
    pop = nest.Create(model, n, params=params)
    pg = nest.Create("poisson_generator", params={"rate": 800.0})
    ported = "n_receptors" in pop[0].get()
    nest.Connect(pg, pop, syn_spec={"weight": abs(WEIGHTS[model][0]), "receptor_type": 1 if ported else 0})
    sr = nest.Create("spike_recorder")
    nest.Connect(pop, sr)
    nest.Simulate(t_stop)
    ev = sr.get("events")
    senders, times = np.asarray(ev["senders"]), np.asarray(ev["times"], dtype=float)
    counts = np.bincount(senders - pop[0].global_id, minlength=n)
    isis = np.concatenate([np.diff(np.sort(times[senders == g])) for g in np.unique(senders)] or [np.zeros(0)])
    return {"mean_count": float(counts.mean()), "sd_count": float(counts.std()), "mean_isi": float(isis.mean()),
            "cv_isi": float(isis.std() / isis.mean()), "min_isi": float(isis.min())}  # fmt: skip


def precise_targets(nest, t_stop=100.0):
    """iaf_chxk_2008's off-grid spikes through a parrot_neuron_ps (recorded times) and into an
    iaf_psc_exp_ps (which uses the offsets) and an iaf_psc_alpha (which ignores them)."""
    nest.ResetKernel()
    nest.resolution = 0.1
    n = nest.Create("iaf_chxk_2008", params={"I_e": 1700.0})
    parrot = nest.Create("parrot_neuron_ps")
    precise = nest.Create("iaf_psc_exp_ps", params={"I_e": 300.0})
    grid = nest.Create("iaf_psc_alpha")
    nest.Connect(n, parrot, syn_spec={"delay": 1.0})
    nest.Connect(n, precise + grid, syn_spec={"delay": 1.0, "weight": 200.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(parrot, sr)
    out = {}
    meters = {}
    for name, node in (("precise", precise), ("grid", grid)):
        meters[name] = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
        nest.Connect(meters[name], node)
    nest.Simulate(t_stop)
    out["parrot_times"] = np.asarray(sr.get("events")["times"], dtype=float).tolist()
    for name, mm in meters.items():
        out[name] = np.asarray(mm.get("events")["V_m"], dtype=float).tolist()
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
    "gif_cond_exp": [
        {"tau_sfa": [1.0]}, {"q_stc": [1.0]}, {"g_L": 0.0}, {"Delta_V": 0.0}, {"C_m": 0.0}, {"t_ref": -1.0},
        {"lambda_0": -1.0}, {"tau_syn_ex": 0.0}, {"tau_sfa": [-1.0], "q_sfa": [1.0]}, {"gsl_error_tol": 0.0},
        {"g_ex": 1.0},
        {"E_sfa": 1.0},
    ],
    "gif_cond_exp_multisynapse": [
        {"tau_sfa": [1.0]}, {"g_L": 0.0}, {"Delta_V": 0.0}, {"lambda_0": -1.0}, {"tau_syn": [1.0, 2.0]},
        {"E_rev": [0.0, 1.0], "tau_syn": [1.0]}, {"tau_syn": [-1.0]}, {"tau_sfa": [-1.0], "q_sfa": [1.0]},
        {"gsl_error_tol": 0.0}, {"tau_syn": [1.0, 2.0], "E_rev": [0.0, -80.0]}, {"g": [1.0]},
    ],
    "gif_psc_exp_multisynapse": [
        {"tau_sfa": [1.0]}, {"q_stc": [1.0]}, {"g_L": 0.0}, {"C_m": 0.0}, {"t_ref": -1.0}, {"tau_syn": [1.0, 2.0]},
        {"tau_syn": [-1.0]}, {"tau_stc": [-1.0], "q_stc": [1.0]}, {"I_stc": 1.0},
    ],
    "iaf_chxk_2008": [{"C_m": 0.0}, {"tau_ahp": 0.0}, {"tau_syn_in": -1.0}, {"g_L": 0.0}, {"g_ahp": -1.0}],
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
        for source in ("dc_generator", "multimeter"):
            dev = nest.Create(source)
            out[f"{source} to port 1"] = _try(lambda dev=dev: nest.Connect(dev, n, syn_spec={"receptor_type": 1}))
            out[f"{source} to port 0"] = _try(lambda dev=dev: nest.Connect(dev, n))
        out["has_connections"] = str(n.get("has_connections"))
        one = {k: v[:1] for k, v in PORTS[model][1].items() if isinstance(v, list)}
        out["fewer ports once connected"] = _try(lambda: n.set(one))
        out["as many ports once connected"] = _try(lambda: n.set(PORTS[model][1]))
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
        "runs": {m: protocol(nest, m) for m in MODELS if m not in NOISY},
        "variants": {m: {v: protocol(nest, m, v) for v in VARIANTS} for m in NOISY},
        "stats": {m: [stats(nest, m, seed) for seed in range(1, 11)] for m in NOISY},
        "precise_targets": precise_targets(nest),
    }
    _common.write_npz("models_multisyn_adaptive.npz", split_traces(out))
    _common.write_json("models_multisyn_adaptive.json", out)


def _runs(ref):
    """(label, run) of every protocol run in a reference dict."""
    for m, run in ref["runs"].items():
        yield m, run
    for m, variants in ref["variants"].items():
        for v, run in variants.items():
            yield f"{m}|{v}", run


def split_traces(ref) -> dict:
    """Move the traces out of ``ref`` into arrays (written as .npz: binary, compressed)."""
    arrays = {}
    for label, run in _runs(ref):
        for node in ("node0", "node1"):
            for key, values in run.pop(node).items():
                arrays[f"{label}|{node}|{key}"] = np.asarray(values, dtype=float)
    return arrays


def join_traces(ref, arrays) -> dict:
    """Put the traces of :func:`split_traces` back into ``ref``."""
    for label, run in _runs(ref):
        for node in ("node0", "node1"):
            prefix = f"{label}|{node}|"
            run[node] = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
    return ref


if __name__ == "__main__":
    main()
