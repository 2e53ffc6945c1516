"""e-prop models of real NEST 3.10 -> tests/reference/models_eprop.{json,npz}

``defaults[MODEL]`` / ``errors[MODEL]``: ``GetDefaults`` and NEST's answer to each bad status in
BAD (``[class, message]``, ``None`` where accepted).

``dynamics(nest, MODEL)``: after ``ResetKernel()`` (resolution 0.1 ms) three nodes with
PARAMS[MODEL][k], driven by one ``step_current_generator`` (RAMP_TIMES, RAMP_VALUES) and an
excitatory and an inhibitory spike train through ``static_synapse`` (delay 1 ms, WEIGHTS), every
recordable read every 0.1 ms for 300 ms; npz keys ``dyn__MODEL__KEY``.

``learning(nest, variant)``: a small e-prop network at resolution 1 ms (NEST's example wiring,
scaled down): two spike trains through parrots into three recurrent neurons (all-to-all
``eprop_synapse``, recurrent without autapses), one ``eprop_readout`` fed by them and sending
learning signals back (``eprop_learning_signal_connection``), a target and a learning window
from ``step_rate_generator`` s (ports 2 and 1, ``rate_connection_delayed``). Recorded: the
recurrent neurons' V_m, surrogate_gradient, learning_signal; the readout's V_m, readout_signal,
target_signal, error_signal; spikes; a weight_recorder on every eprop_synapse; final weights.
npz keys ``learn__VARIANT__KEY``.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

NEURONS = ["eprop_iaf", "eprop_iaf_adapt", "eprop_iaf_psc_delta", "eprop_iaf_psc_delta_adapt"]
MODELS = NEURONS + ["eprop_readout"]
SYNAPSES = ["eprop_synapse", "eprop_synapse_hpc", "eprop_learning_signal_connection"]
RAMP_TIMES = [20.0, 70.0, 120.0, 170.0, 230.0, 270.0]
RAMP_VALUES = [200.0, 380.0, 420.0, 520.0, 650.0, 0.0]
EXC_TIMES = sorted([float(t) for t in np.round(np.arange(5.0, 300.0, 6.3), 1)] + [55.0, 55.0])
INH_TIMES = [float(t) for t in np.round(np.arange(3.0, 300.0, 9.7), 1)]
WEIGHTS = (6.0, -4.5)
_REC = [
    {},
    {"E_L": -65.0, "V_m": -60.0, "V_th": -50.0, "t_ref": 3.0, "I_e": 100.0, "C_m": 200.0, "tau_m": 15.0,
     "surrogate_gradient_function": "exponential", "surrogate_gradient_height": 0.8, "surrogate_gradient_width": 2.0},
    {"E_L": 0.0, "V_m": 0.0, "V_th": 12.0, "t_ref": 0.0, "C_m": 100.0, "tau_m": 8.0,
     "surrogate_gradient_function": "fast_sigmoid_derivative", "V_min": -5.0},
]  # fmt: skip
PARAMS = {m: [dict(p) for p in _REC] for m in NEURONS}
PARAMS["eprop_iaf_adapt"][1].update({"adapt_beta": 2.0, "adapt_tau": 30.0})
PARAMS["eprop_iaf_adapt"][2].update({"surrogate_gradient_function": "arctan_derivative", "adapt_beta": 0.5})
PARAMS["eprop_iaf_psc_delta"][1].update({"V_reset": -70.0})
PARAMS["eprop_iaf_psc_delta"][2].update({"V_reset": 2.0, "refractory_input": True, "t_ref": 2.0})
PARAMS["eprop_iaf_psc_delta_adapt"][1].update({"V_reset": -62.0, "adapt_beta": 1.5, "adapt_tau": 25.0})
PARAMS["eprop_iaf_psc_delta_adapt"][2].update({"V_reset": 1.0, "refractory_input": True, "t_ref": 1.5})
PARAMS["eprop_readout"] = [{}, {"E_L": -65.0, "V_m": -60.0, "I_e": 100.0, "C_m": 200.0, "tau_m": 15.0},
                           {"C_m": 100.0, "tau_m": 8.0, "V_min": -5.0}]  # fmt: skip

BAD = [
    {"C_m": 0.0},
    {"tau_m": 0.0},
    {"t_ref": -1.0},
    {"V_th": -80.0},
    {"V_reset": -60.0},
    {"c_reg": -1.0},
    {"f_target": -1.0},
    {"kappa": 1.5},
    {"kappa": -0.1},
    {"kappa_reg": 1.5},
    {"eprop_isi_trace_cutoff": -1.0},
    {"surrogate_gradient_function": "foo"},
    {"surrogate_gradient_height": -1.0},
    {"surrogate_gradient_width": -1.0},
    {"adapt_tau": 0.0},
    {"adapt_beta": -1.0},
    {"V_min": 0.0},
    {"flush_event_send_interval": -1.0},
    {"ignore_and_spike_interval": 0.0},
]


OPT_BAD = [
    {"type": "foo"},
    {"eta": -1.0},
    {"batch_size": 0},
    {"Wmin": 200.0},
    {"Wmax": -200.0},
    {"type": "adam", "beta_1": 1.5},
    {"type": "adam", "beta_2": -0.1},
    {"type": "adam", "epsilon": -1.0},
]
# SetDefaults of optimizers in sequence on one model (a change of type restores that type's defaults).
OPT_SEQUENCE = [{"eta": 0.5}, {"type": "adam"}, {"type": "adam", "eta": 0.01}, {"type": "gradient_descent"}]


def optimizer_facts(nest):
    """NEST's errors for OPT_BAD (each on a fresh kernel) and the optimizer after each of OPT_SEQUENCE."""
    errors = []
    for bad in OPT_BAD:
        nest.ResetKernel()
        errors.append(_err(nest, lambda bad=bad: nest.SetDefaults("eprop_synapse", {"optimizer": bad})))
    nest.ResetKernel()
    seq = []
    for step in OPT_SEQUENCE:
        nest.SetDefaults("eprop_synapse", {"optimizer": step})
        seq.append(nest.GetDefaults("eprop_synapse")["optimizer"])
    # Once connections exist, its values may change, its type not.
    a = nest.Create("eprop_iaf", 2)
    nest.Connect(a[0], a[1], syn_spec={"synapse_model": "eprop_synapse", "delay": nest.resolution})
    errors.append(_err(nest, lambda: nest.SetDefaults("eprop_synapse", {"optimizer": {"eta": 0.1}})))
    errors.append(_err(nest, lambda: nest.SetDefaults("eprop_synapse", {"optimizer": {"type": "adam"}})))
    seq.append(nest.GetDefaults("eprop_synapse")["optimizer"])
    return errors, seq


def connect_facts(nest):
    """NEST's answers to e-prop connections it refuses (delay, targets)."""
    out = []
    cases = [("eprop_iaf", {"synapse_model": "eprop_synapse", "delay": 2.0}),
             ("iaf_psc_alpha", {"synapse_model": "eprop_synapse"})]  # fmt: skip
    for target, spec in cases:
        nest.ResetKernel()
        a = nest.Create("eprop_iaf")
        b = nest.Create(target)
        out.append(_err(nest, lambda a=a, b=b, spec=spec: nest.Connect(a, b, syn_spec=spec)))
    return out


def _err(nest, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - NEST's error is what is recorded
        return [type(e).__name__, str(e)]
    return None


def dynamics(nest, model):
    nest.ResetKernel()
    nest.resolution = 0.1
    nodes = nest.Create(model, 3, PARAMS[model])
    cur = nest.Create("step_current_generator", params={"amplitude_times": RAMP_TIMES, "amplitude_values": RAMP_VALUES})
    exc = nest.Create("spike_generator", params={"spike_times": EXC_TIMES})
    inh = nest.Create("spike_generator", params={"spike_times": INH_TIMES})
    nest.Connect(cur, nodes)
    nest.Connect(exc, nodes, syn_spec={"weight": WEIGHTS[0], "delay": 1.0})
    nest.Connect(inh, nodes, syn_spec={"weight": WEIGHTS[1], "delay": 1.0})
    rec = [r for r in nest.GetDefaults(model, "recordables") if r != "eprop_history_duration"]
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, nodes)
    if model != "eprop_readout":
        nest.Connect(nodes, sr)
    nest.Simulate(300.0)
    out = {k: np.asarray(v) for k, v in mm.events.items()}
    out["senders"] = out["senders"] - nodes[0].global_id
    out["spike_senders"] = np.asarray(sr.events["senders"]) - nodes[0].global_id
    out["spike_times"] = np.asarray(sr.events["times"])
    return out


# The learning protocol (resolution 1 ms; all delays one step).
IN_TIMES = [[2.0, 5.0, 9.0, 14.0, 20.0, 27.0, 35.0, 44.0, 52.0, 61.0, 70.0, 78.0],
            [3.0, 4.0, 11.0, 12.0, 30.0, 31.0, 40.0, 48.0, 49.0, 66.0, 67.0, 80.0]]  # fmt: skip
W_IN = [[0.6, 0.3], [0.2, 0.5], [0.4, 0.45]]
W_REC = [[0.0, 0.2, -0.1], [0.3, 0.0, 0.2], [-0.2, 0.4, 0.0]]
W_OUT = [0.5, -0.4, 0.6]
B_FB = [1.5, -0.7, 0.9]
REC_PARAMS = {"C_m": 1.0, "E_L": 0.0, "V_m": 0.0, "V_th": 1.0, "tau_m": 20.0, "t_ref": 2.0,
              "surrogate_gradient_height": 1.0, "surrogate_gradient_width": 0.5, "c_reg": 0.3, "f_target": 10.0,
              "eprop_isi_trace_cutoff": 100.0}  # fmt: skip
OUT_PARAMS = {"C_m": 1.0, "E_L": 0.0, "tau_m": 15.0, "V_m": 0.0, "eprop_isi_trace_cutoff": 100.0}
VARIANTS = {
    "iaf_each": {"model": "eprop_iaf", "optimizer": {"type": "gradient_descent", "eta": 0.05}},
    "iaf_spike": {"model": "eprop_iaf", "optimizer": {"type": "gradient_descent", "eta": 0.05,
                                                      "optimize_each_step": False}},
    "psc_delta": {"model": "eprop_iaf_psc_delta", "optimizer": {"type": "gradient_descent", "eta": 0.05},
                  "rec": {"V_reset": -0.2, "refractory_input": True}},
    "adapt": {"model": "eprop_iaf_adapt", "optimizer": {"type": "gradient_descent", "eta": 0.05},
              "rec": {"adapt_beta": 0.5, "adapt_tau": 15.0}},
    "psc_delta_adapt": {"model": "eprop_iaf_psc_delta_adapt", "optimizer": {"type": "gradient_descent", "eta": 0.05},
                        "rec": {"V_reset": 0.1, "adapt_beta": 0.5, "adapt_tau": 15.0}},
    "kappa_reg": {"model": "eprop_iaf", "optimizer": {"type": "gradient_descent", "eta": 0.05},
                  "rec": {"kappa_reg": 0.8, "c_reg": 2.0, "kappa": 0.9}},
    "adam": {"model": "eprop_iaf", "optimizer": {"type": "adam", "eta": 0.05}},
    "adam_spike": {"model": "eprop_iaf", "optimizer": {"type": "adam", "eta": 0.05, "optimize_each_step": False,
                                                       "beta_1": 0.8, "beta_2": 0.95, "epsilon": 1e-3}},
    "gd_batch": {"model": "eprop_iaf", "optimizer": {"type": "gradient_descent", "eta": 0.05, "batch_size": 3}},
    "iaf_cutoff": {"model": "eprop_iaf", "optimizer": {"type": "gradient_descent", "eta": 0.05, "Wmax": 1.0,
                                                       "Wmin": -0.3}, "cutoff": 4.0},
}  # fmt: skip


def learning(nest, spec, T=90.0):
    nest.ResetKernel()
    nest.resolution = 1.0
    gen = nest.Create("spike_generator", 2, [{"spike_times": t} for t in IN_TIMES])
    par = nest.Create("parrot_neuron", 2)
    rp = dict(REC_PARAMS, **spec.get("rec", {}))
    op = dict(OUT_PARAMS)
    if "cutoff" in spec:
        rp["eprop_isi_trace_cutoff"] = op["eprop_isi_trace_cutoff"] = spec["cutoff"]
    rec = nest.Create(spec["model"], 3, rp)
    out = nest.Create("eprop_readout", 1, op)
    tg = nest.Create("step_rate_generator", 1, params={"amplitude_times": [1.0, 20.0, 50.0],
                                                  "amplitude_values": [0.5, -0.3, 0.8]})  # fmt: skip
    lw = nest.Create("step_rate_generator", 1, params={"amplitude_times": [5.0, 70.0], "amplitude_values": [1.0, 0.0]})
    wr = nest.Create("weight_recorder")
    syn = spec.get("synapse", "eprop_synapse")
    nest.SetDefaults(syn, {"weight_recorder": wr, "optimizer": spec["optimizer"]})
    nest.Connect(gen, par, "one_to_one", {"delay": 1.0})
    nest.Connect(par, rec, "all_to_all", {"synapse_model": syn, "weight": np.array(W_IN), "delay": 1.0})
    for i in range(3):
        for j in range(3):
            if i != j:
                nest.Connect(rec[i], rec[j], "one_to_one", {"synapse_model": syn, "weight": W_REC[j][i],
                                                            "delay": 1.0})  # fmt: skip
    nest.Connect(rec, out, "all_to_all", {"synapse_model": syn, "weight": np.array([W_OUT]), "delay": 1.0})
    nest.Connect(out, rec, "all_to_all", {"synapse_model": "eprop_learning_signal_connection",
                                          "weight": np.array([B_FB]).T, "delay": 1.0})  # fmt: skip
    nest.Connect(tg, out, "all_to_all", {"synapse_model": "rate_connection_delayed", "receptor_type": 2, "delay": 1.0})
    nest.Connect(lw, out, "all_to_all", {"synapse_model": "rate_connection_delayed", "receptor_type": 1, "delay": 1.0})
    mm = nest.Create(
        "multimeter", params={"interval": 1.0, "record_from": ["V_m", "surrogate_gradient", "learning_signal"]}
    )
    mo = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["V_m", "readout_signal", "target_signal",
                                                                     "error_signal"]})  # fmt: skip
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, rec)
    nest.Connect(mo, out)
    nest.Connect(rec, sr)
    nest.Simulate(T)
    res = {}
    for k, v in mm.events.items():
        res["rec_" + k] = np.asarray(v)
    for k, v in mo.events.items():
        res["out_" + k] = np.asarray(v)
    for k, v in sr.events.items():
        res["spk_" + k] = np.asarray(v)
    for k, v in wr.events.items():
        res["wr_" + k] = np.asarray(v)
    c = nest.GetConnections(synapse_model=syn).get(["source", "target", "weight"])
    for k, v in c.items():
        res["final_" + k] = np.asarray(v)
    return res


SINGLE = {"plain": {}, "reg": {"c_reg": 2.0, "kappa_reg": 0.8}}


def single(nest, extra):
    """One input synapse into one eprop_iaf, its spikes into a readout through a static synapse:
    the learning_signal NEST shows when a lone synapse no longer reads a step (0)."""
    nest.ResetKernel()
    nest.resolution = 1.0
    g = nest.Create("spike_generator", params={"spike_times": [10.0, 30.0, 31.0, 33.0, 50.0, 52.0]})
    p = nest.Create("parrot_neuron")
    params = {"C_m": 1.0, "E_L": 0.0, "V_m": 0.0, "V_th": 1.0, "tau_m": 20.0, "I_e": 0.04,
              "surrogate_gradient_width": 2.0, "surrogate_gradient_height": 1.0, "eprop_isi_trace_cutoff": 1000.0}  # fmt: skip
    r = nest.Create("eprop_iaf", params=dict(params, **extra))
    o = nest.Create("eprop_readout", params={"C_m": 1.0, "tau_m": 15.0})
    tg = nest.Create("step_rate_generator", params={"amplitude_times": [1.0], "amplitude_values": [1.0]})
    wr = nest.Create("weight_recorder")
    nest.SetDefaults("eprop_synapse", {"weight_recorder": wr, "optimizer": {"eta": 0.1}})
    nest.Connect(g, p, syn_spec={"delay": 1.0})
    nest.Connect(p, r, syn_spec={"synapse_model": "eprop_synapse", "weight": 0.3, "delay": 1.0})
    nest.Connect(r, o, syn_spec={"weight": 1.0, "delay": 1.0})
    nest.Connect(o, r, syn_spec={"synapse_model": "eprop_learning_signal_connection", "delay": 1.0})
    for port in (1, 2):
        nest.Connect(tg, o, syn_spec={"synapse_model": "rate_connection_delayed", "receptor_type": port, "delay": 1.0})
    mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["V_m", "surrogate_gradient",
                                                                          "learning_signal", "eprop_history_duration"]})  # fmt: skip
    nest.Connect(mm, r)
    nest.Simulate(70.0)
    out = {k: np.asarray(v) for k, v in mm.events.items()}
    out.update({"wr_" + k: np.asarray(wr.events[k]) for k in ("times", "weights")})
    return out


def main():
    import nest

    nest.set_verbosity("M_ERROR")
    data = {"defaults": {}, "errors": {}}
    arrays = {}
    for m in MODELS + SYNAPSES:
        nest.ResetKernel()
        d = nest.GetDefaults(m)
        data["defaults"][m] = {k: (v if not isinstance(v, np.ndarray) else v.tolist()) for k, v in d.items()
                               if k not in ("weight_recorder",)}  # fmt: skip
    for m in MODELS:
        errs = []
        for bad in BAD:
            nest.ResetKernel()
            n = nest.Create(m)
            errs.append(_err(nest, lambda n=n, bad=bad: n.set(bad)))
        data["errors"][m] = errs
        for k, v in dynamics(nest, m).items():
            arrays[f"dyn__{m}__{k}"] = v
    data["optimizer_errors"], data["optimizer_sequence"] = optimizer_facts(nest)
    data["connect_errors"] = connect_facts(nest)
    for name, extra in SINGLE.items():
        for k, v in single(nest, extra).items():
            arrays[f"single__{name}__{k}"] = v
    for name, spec in VARIANTS.items():
        for k, v in learning(nest, spec).items():
            arrays[f"learn__{name}__{k}"] = v
    ref = os.path.join(HERE, "..", "..", "tests", "reference")
    with open(os.path.join(ref, "models_eprop.json"), "w") as f:
        json.dump(data, f, indent=1, default=str)
    np.savez_compressed(os.path.join(ref, "models_eprop.npz"), **arrays)


if __name__ == "__main__":
    main()
