"""Rate neurons, rate transformers and their connections in real NEST 3.10.

Writes ``tests/reference/models_rate.json`` and ``models_rate.npz``. The protocol
functions here take the ``nest`` module as an argument: ``tests/test_models_rate.py``
imports them and runs the same calls on nestling.

Protocol of a trace case (``CASES``): an oscillating excitatory-inhibitory pair
``E`` (lin_rate_ipn, mean 1, tau 10) and ``I`` (lin_rate_ipn, tau 5; E -> I
instantaneous weight 1.5, I -> E delayed 2 ms weight -2), a constant driver ``D``
(lin_rate_ipn, mean 1.5, tau 5), all without noise; the node under test gets E
delayed (1 ms, weight 0.7), I instantaneous (weight -0.5) and D instantaneous (weight
0.4), and sends its rate instantaneously (weight 1) to a readout ``R``
(lin_rate_ipn). Every recordable of the node under test and the rates of E and R are
recorded at 0.1 ms for 100 ms (in two ``Simulate`` calls for the case ``split``).
Kernel settings vary per case (waveform relaxation off, other tolerance/interval).

Siegert neurons (``SIEGERT_CASES``): see ``run_siegert``.

Statistics (``STATS``): 400 nodes with noise (``std`` 1) for 600 ms, rate recorded at
1 ms from 100 ms on, for rng seeds 1-4: mean and variance of ``rate`` and ``noise``
(``noisy_rate - rate`` for _opn), and the correlation of the rate 1 ms apart.

Errors: NEST's messages for bad parameters and refused connections.
"""

from __future__ import annotations

import os
import sys

import numpy as np

NEURONS = {
    "lin_rate_ipn": {"g": 1.2, "lambda": 1.2},
    "lin_rate_opn": {"g": 1.2},
    "tanh_rate_ipn": {"g": 2.0, "theta": 0.2},
    "tanh_rate_opn": {"g": 2.0, "theta": 0.2},
    "threshold_lin_rate_ipn": {"g": 1.5, "theta": 0.1, "alpha": 0.8},
    "threshold_lin_rate_opn": {"g": 1.5, "theta": 0.1, "alpha": 0.8},
    "sigmoid_rate_ipn": {"g": 1.2, "beta": 3.0, "theta": 0.3},
    "sigmoid_rate_gg_1998_ipn": {"g": 2.0},
    "gauss_rate_ipn": {"g": 1.0, "mu": 0.5, "sigma": 0.7},
}
TRANSFORMERS = {
    "rate_transformer_lin": {"g": 1.3},
    "rate_transformer_tanh": {"g": 2.0, "theta": 0.2},
    "rate_transformer_threshold_lin": {"g": 1.5, "theta": 0.1, "alpha": 0.8},
    "rate_transformer_sigmoid": {"g": 1.2, "beta": 3.0, "theta": 0.3},
    "rate_transformer_sigmoid_gg_1998": {"g": 2.0},
    "rate_transformer_gauss": {"g": 1.0, "mu": 0.5, "sigma": 0.7},
}


def _cases() -> dict:
    cases = {}
    for model, p in NEURONS.items():
        # Noise off; the Gaussian model's sigma is its nonlinearity's width, std the noise.
        base = {**p, "std": 0.0, "mean": 0.2, "tau": 8.0}
        cases[model] = {"model": model, "params": base}
        cases[model + "/nonlinear_sum"] = {"model": model, "params": {**base, "linear_summation": False}}
    for model in ("lin_rate_ipn", "lin_rate_opn", "tanh_rate_ipn"):
        extra = {"g_ex": 0.8, "theta_ex": 2.0, "g_in": 0.6, "theta_in": 1.0} if model.startswith("lin") else {}
        params = {**cases[model]["params"], "mult_coupling": True, **extra}
        cases[model + "/mult_coupling"] = {"model": model, "params": params}
        cases[model + "/mult_nonlinear"] = {"model": model, "params": {**params, "linear_summation": False}}
    for model in ("lin_rate_ipn", "threshold_lin_rate_ipn"):
        params = {**cases[model]["params"], "rectify_output": True, "rectify_rate": 0.05, "mean": -0.5}
        cases[model + "/rectify"] = {"model": model, "params": params}
    for model, p in TRANSFORMERS.items():
        cases[model] = {"model": model, "params": p}
        cases[model + "/nonlinear_sum"] = {"model": model, "params": {**p, "linear_summation": False}}
    cases["lin_rate_ipn/no_wfr"] = {**cases["lin_rate_ipn"], "kernel": {"use_wfr": False}}
    cases["tanh_rate_ipn/wfr_settings"] = {
        **cases["tanh_rate_ipn"],
        "kernel": {"wfr_comm_interval": 0.5, "wfr_tol": 1e-6, "wfr_max_iterations": 4},
    }
    cases["sigmoid_rate_ipn/split"] = {**cases["sigmoid_rate_ipn"], "split": [37.3, 62.7]}
    return cases


CASES = _cases()
T_SIM = 100.0


def run_case(nest, case: dict) -> dict:
    """Build and simulate one trace case; the recorded columns by name."""
    nest.ResetKernel()
    nest.resolution = 0.1
    if case.get("kernel"):
        nest.SetKernelStatus(case["kernel"])
    quiet = {"std": 0.0}
    e = nest.Create("lin_rate_ipn", params={**quiet, "mean": 1.0, "tau": 10.0})
    i = nest.Create("lin_rate_ipn", params={**quiet, "tau": 5.0})
    d = nest.Create("lin_rate_ipn", params={**quiet, "mean": 1.5, "tau": 5.0})
    x = nest.Create(case["model"], params=case["params"])
    r = nest.Create("lin_rate_ipn", params=quiet)
    inst = "rate_connection_instantaneous"
    nest.Connect(e, i, syn_spec={"synapse_model": inst, "weight": 1.5})
    nest.Connect(i, e, syn_spec={"synapse_model": "rate_connection_delayed", "weight": -2.0, "delay": 2.0})
    nest.Connect(e, x, syn_spec={"synapse_model": "rate_connection_delayed", "weight": 0.7, "delay": 1.0})
    nest.Connect(i, x, syn_spec={"synapse_model": inst, "weight": -0.5})
    nest.Connect(d, x, syn_spec={"synapse_model": inst, "weight": 0.4})
    nest.Connect(x, r, syn_spec={"synapse_model": inst, "weight": 1.0})
    mx = nest.Create(
        "multimeter", params={"interval": 0.1, "record_from": list(nest.GetDefaults(case["model"], "recordables"))}
    )
    mr = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["rate"]})
    nest.Connect(mx, x)
    nest.Connect(mr, e + r)
    for t in case.get("split", [T_SIM]):
        nest.Simulate(t)
    out = {k: np.asarray(v) for k, v in mx.events.items() if k != "senders"}
    ev = mr.events
    for name, node in (("E", e), ("R", r)):
        out[name] = np.asarray(ev["rate"])[np.asarray(ev["senders"]) == node.global_id]
    out["final_rate"] = np.array([x.get("rate")])
    out["min_delay"] = np.array([nest.min_delay])
    return out


SIEGERT_CASES = {
    "siegert": {"params": {}},
    "siegert/shifted": {"params": {"tau_syn": 0.5, "t_ref": 1.0, "V_reset": 5.0, "theta": 20.0, "tau_m": 10.0}},
    "siegert/no_wfr": {"params": {}, "kernel": {"use_wfr": False}},
}
# (source, target, drift_factor, diffusion_factor) among the driver X, E and I.
SIEGERT_LINKS = [("X", "E", 1.8, 12.0), ("X", "I", 1.9, 10.0), ("E", "E", 0.05, 0.2), ("I", "E", -0.2, 0.4),
                 ("E", "I", 0.06, 0.3), ("I", "I", -0.15, 0.3)]  # fmt: skip


def run_siegert(nest, case: dict) -> dict:
    """Siegert neurons E (tau 2 ms) and I (tau 1 ms) coupled by diffusion connections and driven
    by X (a siegert_neuron with mean 8/s); their rates at 0.1 ms for 60 ms."""
    nest.ResetKernel()
    if case.get("kernel"):
        nest.SetKernelStatus(case["kernel"])
    nodes = {
        "X": nest.Create("siegert_neuron", params={"mean": 8.0, "tau": 5.0}),
        "E": nest.Create("siegert_neuron", params={**case["params"], "tau": 2.0}),
        "I": nest.Create("siegert_neuron", params={**case["params"], "tau": 1.0, "mean": 1.5}),
    }
    for src, tgt, drift, diffusion in SIEGERT_LINKS:
        spec = {"synapse_model": "diffusion_connection", "drift_factor": drift, "diffusion_factor": diffusion}
        nest.Connect(nodes[src], nodes[tgt], syn_spec=spec)
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["rate"]})
    nest.Connect(mm, nodes["X"] + nodes["E"] + nodes["I"])
    nest.Simulate(60.0)
    ev = mm.events
    return {k: np.asarray(ev["rate"])[np.asarray(ev["senders"]) == n.global_id] for k, n in nodes.items()}


GAP_CASES = {
    "gap": {},
    "gap/order1": {"kernel": {"wfr_interpolation_order": 1}},
    "gap/order0": {"kernel": {"wfr_interpolation_order": 0}},
    "gap/traub": {
        "model": "hh_cond_beta_gap_traub",
        "I_e": [600.0, 600.0, 300.0],
        "weight": 30.0,
        "gap": 5.0,
        "V0": -20.0,
    },
}


def run_gap(nest, case: dict) -> dict:
    """NEST's gap-junction example of two neurons: two hh_psc_alpha_gap (I_e 100 pA, the first
    starting at V_m -10 mV) joined by a gap junction of 0.5 nS, resolution 0.05 ms, V_m
    recorded at 0.1 ms for 351 ms; plus a third neuron (I_e 80 pA) that receives the second's
    spikes (weight 1000 pA, delay 1 ms) and is joined to the first by 0.2 nS. The case may
    change the kernel settings, the model and these values."""
    nest.ResetKernel()
    nest.SetKernelStatus(case.get("kernel", {}))
    nest.resolution = 0.05
    model = case.get("model", "hh_psc_alpha_gap")
    i_e = case.get("I_e", [100.0, 100.0, 80.0])
    neuron = nest.Create(model, 2, params={"I_e": i_e[0]})
    neuron[1].I_e = i_e[1]
    neuron[0].V_m = case.get("V0", -10.0)
    third = nest.Create(model, params={"I_e": i_e[2]})
    vm = nest.Create("voltmeter", params={"interval": 0.1})
    sr = nest.Create("spike_recorder")
    nest.Connect(vm, neuron + third)
    nest.Connect(neuron + third, sr)
    g = case.get("gap", 0.5)
    gap = {"synapse_model": "gap_junction", "weight": g}
    nest.Connect(neuron[0], neuron[1], {"rule": "one_to_one", "make_symmetric": True}, gap)
    nest.Connect(neuron[0], third, {"rule": "one_to_one", "make_symmetric": True}, {**gap, "weight": 0.4 * g})
    nest.Connect(neuron[1], third, syn_spec={"weight": case.get("weight", 1000.0), "delay": 1.0})
    nest.Simulate(351.0)
    v, e = vm.events, sr.events
    out = {}
    for j, node in enumerate(neuron + third):
        out[f"V_m{j}"] = np.asarray(v["V_m"])[np.asarray(v["senders"]) == node.global_id]
        out[f"spikes{j}"] = np.asarray(e["times"])[np.asarray(e["senders"]) == node.global_id]
    return out


def run_default_gauss(nest) -> list:
    """The first rates of a gauss_rate_ipn with its defaults (its Gaussian has width 0)."""
    nest.ResetKernel()
    node = nest.Create("gauss_rate_ipn")
    mm = nest.Create("multimeter", params={"record_from": ["rate"], "interval": 0.1})
    nest.Connect(mm, node)
    nest.Simulate(2.0)
    return [float(x) for x in mm.events["rate"][:5]]


def run_step_rate(nest) -> dict:
    """A step_rate_generator (5 from 1 ms, -2 from 2 ms; start 0.5, stop 3.5) into two lin_rate_ipn
    (lambda 0, tau 1) by rate_connection_delayed with delays 0.5 and 1.2 ms; rates at 0.1 ms for 5 ms."""
    nest.ResetKernel()
    params = {"amplitude_times": [1.0, 2.0], "amplitude_values": [5.0, -2.0], "start": 0.5, "stop": 3.5}
    g = nest.Create("step_rate_generator", params=params)
    n = nest.Create("lin_rate_ipn", 2, params={"std": 0.0, "lambda": 0.0, "tau": 1.0})
    for node, delay in ((n[0], 0.5), (n[1], 1.2)):
        nest.Connect(g, node, syn_spec={"synapse_model": "rate_connection_delayed", "delay": delay, "weight": 1.5})
    mm = nest.Create("multimeter", params={"record_from": ["rate"], "interval": 0.1})
    nest.Connect(mm, n)
    nest.Simulate(5.0)
    ev = mm.events
    return {f"rate{j}": np.asarray(ev["rate"])[np.asarray(ev["senders"]) == node.global_id] for j, node in enumerate(n)}


STATS = {
    "lin_rate_ipn": {"std": 1.0, "mean": 0.5, "tau": 10.0, "lambda": 1.0},
    "lin_rate_opn": {"std": 1.0, "mean": 0.5, "tau": 10.0},
    "tanh_rate_ipn": {"std": 0.5, "mean": 0.3, "tau": 5.0, "g": 1.5},
}
STAT_SEEDS = [1, 2, 3, 4]


def run_stats(nest, model: str, seed: int) -> dict:
    """Noise statistics of 400 unconnected nodes (see the module docstring)."""
    nest.ResetKernel()
    nest.rng_seed = seed
    n = nest.Create(model, 400, params=STATS[model])
    rec = ["rate", "noise"] + (["noisy_rate"] if model.endswith("opn") else [])
    mm = nest.Create("multimeter", params={"interval": 1.0, "start": 100.0, "record_from": rec})
    nest.Connect(mm, n)
    nest.Simulate(600.0)
    ev = mm.events
    order = np.lexsort((ev["times"], ev["senders"]))
    rate = np.asarray(ev["rate"])[order].reshape(400, -1)
    noise = np.asarray(ev["noise"])[order].reshape(400, -1)
    if model.endswith("opn"):
        noise = np.asarray(ev["noisy_rate"])[order].reshape(400, -1) - rate
    c = rate - rate.mean()
    return {
        "rate_mean": float(rate.mean()),
        "rate_var": float(rate.var()),
        "noise_mean": float(noise.mean()),
        "noise_var": float(noise.var()),
        "rate_corr_1ms": float((c[:, 1:] * c[:, :-1]).mean() / c.var()),
    }


BAD_PARAMS = [
    ("lin_rate_ipn", {"tau": 0.0}),
    ("lin_rate_ipn", {"lambda": -1.0}),
    ("lin_rate_ipn", {"std": -1.0}),
    ("lin_rate_ipn", {"sigma": -1.0}),
    ("lin_rate_ipn", {"rectify_rate": -0.5}),
    ("tanh_rate_opn", {"tau": -2.0}),
    ("gauss_rate_ipn", {"std": -1.0}),
    ("siegert_neuron", {"tau": 0.0}),
    ("siegert_neuron", {"tau_m": 0.0}),
    ("siegert_neuron", {"tau_syn": -1.0}),
    ("siegert_neuron", {"t_ref": -1.0}),
    ("siegert_neuron", {"V_reset": 20.0}),
]
ALIASES = [
    ("lin_rate_ipn", {"mu": 2.0}),
    ("lin_rate_ipn", {"mu": 2.0, "mean": 5.0}),
    ("lin_rate_ipn", {"sigma": 4.0, "std": 3.0}),
    ("gauss_rate_ipn", {"mu": 2.0}),
    ("gauss_rate_ipn", {"sigma": 4.0, "std": 3.0}),
    ("gauss_rate_ipn", {"mean": 1.0}),
]


def bad_connections(nest) -> dict:
    """The errors of connections NEST refuses (by a short name; None if none was raised)."""
    out = {}

    def attempt(name, make):
        nest.ResetKernel()
        try:
            make()
            out[name] = None
        except Exception as err:  # noqa: BLE001 - the error is the result
            out[name] = err

    def rate_pair():
        return nest.Create("lin_rate_ipn"), nest.Create("lin_rate_ipn")

    attempt("spikes_into_rate", lambda: nest.Connect(nest.Create("spike_generator"), rate_pair()[0]))
    attempt("rate_to_spike_recorder", lambda: nest.Connect(rate_pair()[0], nest.Create("spike_recorder")))
    attempt("static_between_rates", lambda: nest.Connect(*rate_pair()))
    attempt(
        "delayed_from_spiking",
        lambda: nest.Connect(
            nest.Create("iaf_psc_alpha"), rate_pair()[0], syn_spec={"synapse_model": "rate_connection_delayed"}
        ),
    )
    attempt(
        "instantaneous_with_delay",
        lambda: nest.Connect(*rate_pair(), syn_spec={"synapse_model": "rate_connection_instantaneous", "delay": 2.0}),
    )
    attempt(
        "diffusion_from_rate_neuron",
        lambda: nest.Connect(
            rate_pair()[0], nest.Create("siegert_neuron"), syn_spec={"synapse_model": "diffusion_connection"}
        ),
    )
    attempt(
        "diffusion_with_delay",
        lambda: nest.Connect(
            nest.Create("siegert_neuron"),
            nest.Create("siegert_neuron"),
            syn_spec={"synapse_model": "diffusion_connection", "delay": 2.0},
        ),
    )
    attempt(
        "instantaneous_from_step_rate_generator",
        lambda: nest.Connect(
            nest.Create("step_rate_generator"),
            rate_pair()[0],
            syn_spec={"synapse_model": "rate_connection_instantaneous"},
        ),
    )
    attempt("static_from_step_rate_generator", lambda: nest.Connect(nest.Create("step_rate_generator"), rate_pair()[0]))
    attempt("use_wfr_after_create", lambda: (rate_pair(), nest.SetKernelStatus({"use_wfr": False})))
    return out


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path.insert(0, here)
    import _common

    import nest

    _common.quiet(nest)
    arrays, info = {}, {"cases": CASES, "stats": {}, "bad_params": [], "aliases": []}
    for name, case in CASES.items():
        for key, val in run_case(nest, case).items():
            if key != "times" or name == "lin_rate_ipn":  # (sample times once: they are the same everywhere)
                arrays[f"{name}:{key}"] = val
    for name, case in SIEGERT_CASES.items():
        for key, val in run_siegert(nest, case).items():
            arrays[f"{name}:{key}"] = val
    for key, val in run_step_rate(nest).items():
        arrays[f"step_rate:{key}"] = val
    for name, case in GAP_CASES.items():
        for key, val in run_gap(nest, case).items():
            arrays[f"{name}:{key}"] = val
    for model in STATS:
        info["stats"][model] = [run_stats(nest, model, s) for s in STAT_SEEDS]
    for model, params in BAD_PARAMS:
        nest.ResetKernel()
        try:
            nest.Create(model).set(params)
            info["bad_params"].append([model, params, None])
        except Exception as err:  # noqa: BLE001
            info["bad_params"].append([model, params, [type(err).__name__, str(err)]])
    for model, params in ALIASES:
        nest.ResetKernel()
        node = nest.Create(model)
        node.set(params)
        info["aliases"].append([model, params, {k: node.get(k) for k in ("mu", "mean", "sigma", "std")}])
    info["default_gauss"] = run_default_gauss(nest)
    info["bad_connections"] = {k: err and [type(err).__name__, str(err)] for k, err in bad_connections(nest).items()}
    nest.ResetKernel()
    info["kernel_defaults"] = {k: nest.GetKernelStatus(k) for k in
                               ("use_wfr", "wfr_comm_interval", "wfr_tol", "wfr_max_iterations")}  # fmt: skip
    _common.write_npz("models_rate.npz", arrays)
    _common.write_json("models_rate.json", info)


if __name__ == "__main__":
    main()
