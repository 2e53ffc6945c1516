"""Voltage-based plasticity of real NEST 3.10 -> tests/reference/models_clopath.{json,npz}

Models: ``aeif_psc_delta_clopath``, ``hh_psc_alpha_clopath`` (neurons keeping the filtered
voltages the Clopath rule reads), ``clopath_synapse`` (+ ``_hpc``, ``_lbl``).
``tests/test_models_clopath.py`` imports the protocol functions below and runs them on
nestling; each takes the ``nest`` module and returns plain lists and floats.

- ``neuron_protocol(nest, model)``: one neuron under a step-current ramp (RAMP_TIMES,
  RAMP[model]), excitatory and inhibitory spikes (EXC_TIMES, INH_TIMES; weights W_EXC, W_INH,
  delay 1 ms), every recordable at 0.1 ms, spikes, 300 ms; PARAMS[model] set at Create.
- ``pairing_protocol(nest, model, freq, lag, ...)``: the spike-pairing experiment of NEST's
  Clopath example, our own variant: five pre/post pairs at ``freq`` Hz, the post spike
  ``lag`` ms after the pre spike (negative: before). Pre spikes reach the neuron through a
  parrot and one clopath connection per entry of SYN_SETS (different delays, tau_x, Wmax,
  Wmin, x_bar); post spikes are forced by a spike generator through a strong static
  connection. Weights (and x_bar) read every 10 ms, V_m and the filtered voltages at 0.1 ms,
  a weight_recorder on the first connection.
- ``errors``: for each bad value (``node.set`` on a fresh node, ``Connect`` with a
  clopath_synapse spec) the NEST error class and message, or None when accepted.

Traces longer than 500 samples are written to the ``.npz`` as ``<run key>__<name>``
(``neurons`` runs keyed by model, ``pairing`` runs by "model freq lag [ltd]"), the rest
to the ``.json``.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

NEURONS = ["aeif_psc_delta_clopath", "hh_psc_alpha_clopath"]
SYNAPSES = ["clopath_synapse", "clopath_synapse_hpc", "clopath_synapse_lbl"]
URBANCZIK = ["pp_cond_exp_mc_urbanczik", "urbanczik_synapse", "urbanczik_synapse_hpc", "urbanczik_synapse_lbl"]
RAMP_TIMES = [40.0, 90.0, 140.0, 190.0, 240.0]
RAMP = {
    "aeif_psc_delta_clopath": [400.0, 700.0, 1000.0, 1400.0, 0.0],
    "hh_psc_alpha_clopath": [100.0, 250.0, 500.0, 800.0, 0.0],
}
W_EXC = {"aeif_psc_delta_clopath": 2.0, "hh_psc_alpha_clopath": 400.0}
W_INH = {"aeif_psc_delta_clopath": -2.5, "hh_psc_alpha_clopath": -500.0}
PARAMS = {
    "aeif_psc_delta_clopath": {"t_ref": 1.0, "A_LTD_const": False, "V_th_max": -30.0, "tau_V_th": 20.0},
    "hh_psc_alpha_clopath": {"t_ref": 1.5},
}
EXC_TIMES = sorted([float(t) for t in np.round(np.arange(5.0, 300.0, 7.3), 1)] + [60.0, 60.0, 60.1])
INH_TIMES = [float(t) for t in np.round(np.arange(3.0, 300.0, 11.9), 1)]

# The neuron of NEST's pairing example (voltage-dependent LTD in one variant).
PAIR_NEURON = {
    "aeif_psc_delta_clopath": {
        "V_m": -70.6, "E_L": -70.6, "C_m": 281.0, "theta_minus": -70.6, "theta_plus": -45.3, "A_LTD": 14.0e-5,
        "A_LTP": 8.0e-5, "tau_u_bar_minus": 10.0, "tau_u_bar_plus": 7.0, "delay_u_bars": 4.0, "a": 4.0,
        "b": 0.0805, "V_reset": -70.6 + 21.0, "V_clamp": 33.0, "t_clamp": 2.0, "t_ref": 0.0,
    },
    "hh_psc_alpha_clopath": {"A_LTD": 14.0e-5, "A_LTP": 8.0e-5, "theta_minus": -60.0, "theta_plus": -45.3,
                             "delay_u_bars": 4.0, "tau_u_bar_plus": 7.0},
}  # fmt: skip
POST_WEIGHT = {"aeif_psc_delta_clopath": 80.0, "hh_psc_alpha_clopath": 3000.0}
SYN_SETS = [
    {"weight": 0.5, "delay": 0.1},
    {"weight": 0.5, "delay": 1.0, "tau_x": 10.0},
    {"weight": 2.0, "delay": 2.3, "x_bar": 0.05},
    {"weight": 0.5005, "delay": 0.5, "Wmax": 0.501},
    {"weight": 0.5, "delay": 0.1, "Wmin": 0.4995},
]
PAIRINGS = [(10.0, 10.0), (30.0, 10.0), (50.0, 10.0), (10.0, -10.0), (50.0, -10.0)]


def neuron_protocol(nest, model):
    nest.ResetKernel()
    n = nest.Create(model, params=PARAMS[model])
    sc = nest.Create("step_current_generator", params={"amplitude_times": RAMP_TIMES, "amplitude_values": RAMP[model]})
    se = nest.Create("spike_generator", params={"spike_times": EXC_TIMES})
    si = nest.Create("spike_generator", params={"spike_times": INH_TIMES})
    rec = list(nest.GetDefaults(model)["recordables"])
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
    sr = nest.Create("spike_recorder")
    nest.Connect(sc, n)
    nest.Connect(se, n, syn_spec={"weight": W_EXC[model], "delay": 1.0})
    nest.Connect(si, n, syn_spec={"weight": W_INH[model], "delay": 1.0})
    nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Simulate(300.0)
    ev = mm.get("events")
    out = {"spikes": np.asarray(sr.get("events")["times"]).tolist(), "times": np.asarray(ev["times"]).tolist()}
    for r in rec:
        out[r] = np.asarray(ev[r]).tolist()
    st = n.get()
    out["final"] = {k: st[k] for k in ("V_m", "u_bar_plus", "u_bar_minus", "u_bar_bar")}
    return out


def pairing_protocol(nest, model="aeif_psc_delta_clopath", freq=10.0, lag=10.0, synapse="clopath_synapse",
                     ltd_const=True):  # fmt: skip
    nest.ResetKernel()
    nest.resolution = 0.1
    params = dict(PAIR_NEURON[model], A_LTD_const=ltd_const)
    nrn = nest.Create(model, params=params)
    prrt = nest.Create("parrot_neuron")
    first = 20.0
    pre = [round(first + k * 1000.0 / freq, 1) for k in range(5)]
    post = [round(t + lag, 1) for t in pre]
    if lag < 0:
        pre = [round(t - lag, 1) for t in pre]
        post = [round(t - lag, 1) for t in post]
    # One more presynaptic spike reads what the last pair left.
    pre.append(round(max(pre[-1], post[-1]) + 30.0, 1))
    sg_pre = nest.Create("spike_generator", params={"spike_times": pre})
    sg_post = nest.Create("spike_generator", params={"spike_times": post})
    nest.Connect(sg_pre, prrt, syn_spec={"delay": 0.1})
    nest.Connect(sg_post, nrn, syn_spec={"delay": 0.1, "weight": POST_WEIGHT[model]})
    wr = nest.Create("weight_recorder")
    nest.CopyModel(synapse, "clopath_rec", {"weight_recorder": wr})
    nest.Connect(prrt, nrn, syn_spec=dict(SYN_SETS[0], synapse_model="clopath_rec"))
    for spec in SYN_SETS[1:]:
        nest.Connect(prrt, nrn, syn_spec=dict(spec, synapse_model=synapse))
    mm = nest.Create(
        "multimeter", params={"interval": 0.1, "record_from": ["V_m", "u_bar_plus", "u_bar_minus", "u_bar_bar"]}
    )
    nest.Connect(mm, nrn)
    sr = nest.Create("spike_recorder")
    nest.Connect(nrn, sr)
    t_end = pre[-1] + 10.0
    weights, xbars = [], []
    for _ in range(int(round(t_end / 10.0))):
        nest.Simulate(10.0)
        conns = nest.GetConnections(prrt, nrn)
        models = list(conns.get("synapse_model"))
        w = list(conns.get("weight"))
        x = list(conns.get("x_bar"))
        d = list(conns.get("delay"))
        # Order by (delay, model name, weight) is stable across simulators.
        order = sorted(range(len(w)), key=lambda i: (d[i], models[i]))
        weights.append([w[i] for i in order])
        xbars.append([x[i] for i in order])
    ev = mm.get("events")
    wev = wr.get("events")
    return {
        "pre": pre,
        "post": post,
        "weights": weights,
        "x_bar": xbars,
        "spikes": np.asarray(sr.get("events")["times"]).tolist(),
        "V_m": np.asarray(ev["V_m"]).tolist(),
        "u_bar_plus": np.asarray(ev["u_bar_plus"]).tolist(),
        "u_bar_minus": np.asarray(ev["u_bar_minus"]).tolist(),
        "u_bar_bar": np.asarray(ev["u_bar_bar"]).tolist(),
        "wr_times": np.asarray(wev["times"]).tolist(),
        "wr_weights": np.asarray(wev["weights"]).tolist(),
    }


# pp_cond_exp_mc_urbanczik driven on every port: spike trains (times, receptor, weight) and
# step currents (receptor, times, amplitudes).
URB_SPIKES = [
    ([float(t) for t in np.round(np.arange(4.0, 300.0, 3.7), 1)], "soma_exc", 6.0),
    ([float(t) for t in np.round(np.arange(7.0, 300.0, 9.1), 1)], "soma_inh", 12.0),
    ([float(t) for t in np.round(np.arange(2.0, 300.0, 2.3), 1)], "dendritic_exc", 150.0),
    ([float(t) for t in np.round(np.arange(5.0, 300.0, 6.9), 1)], "dendritic_inh", 90.0),
]
URB_CURRENTS = [("soma_curr", [50.0, 150.0, 250.0], [200.0, 600.0, 0.0]), ("dendritic_curr", [80.0], [500.0])]


def urbanczik_neuron_protocol(nest, n=40, seed=1, t_ref=3.0):
    """``n`` identical neurons under URB_SPIKES and URB_CURRENTS for 300 ms (rng_seed ``seed``):
    the first one's recordables at 0.1 ms, everyone's spikes (sender index, time)."""
    nest.ResetKernel()
    nest.rng_seed = seed
    model = "pp_cond_exp_mc_urbanczik"
    ports = nest.GetDefaults(model)["receptor_types"]
    nrn = nest.Create(model, n, params={"t_ref": t_ref})
    for times, port, w in URB_SPIKES:
        sg = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(sg, nrn, syn_spec={"weight": w, "delay": 1.0, "receptor_type": ports[port]})
    for port, times, amps in URB_CURRENTS:
        sc = nest.Create("step_current_generator", params={"amplitude_times": times, "amplitude_values": amps})
        nest.Connect(sc, nrn, syn_spec={"receptor_type": ports[port]})
    rec = list(nest.GetDefaults(model)["recordables"])
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
    nest.Connect(mm, nrn[0])
    sr = nest.Create("spike_recorder")
    nest.Connect(nrn, sr)
    nest.Simulate(300.0)
    ev = mm.get("events")
    sp = sr.get("events")
    out = {r: np.asarray(ev[r]).tolist() for r in rec}
    out["times"] = np.asarray(ev["times"]).tolist()
    out["senders"] = (np.asarray(sp["senders"]) - nrn[0].global_id).tolist()
    out["spikes"] = np.asarray(sp["times"]).tolist()
    st = nrn[0].get()
    out["final"] = {"soma": st["soma"]["V_m"], "dendritic": st["dendritic"]["V_m"]}
    return out


# Presynaptic trains into the dendrite, and the synapses' parameters (one set per train).
URB_SYN_SETS = [
    {"weight": 40.0, "delay": 0.1, "eta": 0.5},
    {"weight": 40.0, "delay": 1.0, "eta": 0.5, "tau_Delta": 30.0},
    {"weight": 60.0, "delay": 2.3, "eta": 0.8, "Wmax": 60.05},
    {"weight": 20.0, "delay": 0.5, "eta": 0.9, "Wmin": 19.99},
    {"weight": 35.0, "delay": 1.0},  # only weight and delay: NEST keeps the model's initial weight
    {"weight": 30.0, "delay": 1.5, "eta": 0.3, "receptor": "dendritic_inh"},
]


def urbanczik_learning_protocol(nest, spiking=False, n_post=1, seed=1, synapse="urbanczik_synapse", t_stop=400.0,
                                t_train=None):  # fmt: skip
    """Parrots with fixed random trains (20 Hz, numpy seed 5) into ``n_post`` neurons through
    ``synapse`` with URB_SYN_SETS; the dendrite also gets URB_SPIKES' dendritic input. With
    ``spiking`` False the soma is held far below threshold (E_in -200 mV and a strong
    inhibitory conductance), so it never fires and the rule is deterministic (only its rate
    term acts). Weights read every 10 ms (sorted by delay, eta), the first neuron's V_m.p and
    V_m.s at 0.1 ms, its spikes; a weight_recorder on the first synapse set."""
    nest.ResetKernel()
    nest.rng_seed = seed
    t_train = t_train or t_stop  # the trains last this long (the run may go on later)
    model = "pp_cond_exp_mc_urbanczik"
    ports = nest.GetDefaults(model)["receptor_types"]
    soma = {"E_in": -200.0} if not spiking else {}
    nrn = nest.Create(model, n_post, params={"soma": soma})
    rng = np.random.default_rng(5)
    trains = []
    for _ in URB_SYN_SETS:
        k = rng.poisson(20.0 * t_train / 1000.0)
        trains.append([float(t) for t in np.round(np.unique(rng.integers(1, int(t_train * 10) - 1, size=k)) * 0.1, 1)])
    sgs = nest.Create("spike_generator", len(trains), params=[{"spike_times": tr} for tr in trains])
    prrt = nest.Create("parrot_neuron", len(trains))
    nest.Connect(sgs, prrt, "one_to_one")
    wr = nest.Create("weight_recorder")
    nest.CopyModel(synapse, "urbanczik_rec", {"weight_recorder": wr})
    for i, spec in enumerate(URB_SYN_SETS):
        spec = dict(spec)
        port = ports[spec.pop("receptor", "dendritic_exc")]
        nest.Connect(prrt[i], nrn, syn_spec=dict(spec, synapse_model="urbanczik_rec" if i == 0 else synapse,
                                                 receptor_type=port))  # fmt: skip
    for times, port, w in URB_SPIKES[2:]:
        sg = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(sg, nrn, syn_spec={"weight": w, "delay": 1.0, "receptor_type": ports[port]})
    if spiking:
        sg = nest.Create("spike_generator", params={"spike_times": URB_SPIKES[0][0]})
        nest.Connect(sg, nrn, syn_spec={"weight": 10.0, "delay": 1.0, "receptor_type": ports["soma_exc"]})
    else:
        sg = nest.Create("spike_generator", params={"spike_times": [float(t) for t in np.arange(0.1, t_train, 1.0)]})
        nest.Connect(sg, nrn, syn_spec={"weight": 500.0, "delay": 0.1, "receptor_type": ports["soma_inh"]})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m.p", "V_m.s"]})
    nest.Connect(mm, nrn[0])
    sr = nest.Create("spike_recorder")
    nest.Connect(nrn, sr)
    weights = []
    for _ in range(int(round(t_stop / 10.0))):
        nest.Simulate(10.0)
        conns = nest.GetConnections(prrt, nrn)
        st = conns.get(["weight", "delay", "eta", "target", "source"])
        order = sorted(range(len(st["weight"])), key=lambda i: (st["target"][i], st["source"][i]))
        weights.append([st["weight"][i] for i in order])
    ev = mm.get("events")
    wev = wr.get("events")
    return {
        "weights": weights,
        "V_m.p": np.asarray(ev["V_m.p"]).tolist(),
        "V_m.s": np.asarray(ev["V_m.s"]).tolist(),
        "n_spikes": len(sr.get("events")["times"]),
        "wr_times": np.asarray(wev["times"]).tolist(),
        "wr_weights": np.asarray(wev["weights"]).tolist(),
    }


def urbanczik_set_protocol(nest):
    """The deterministic learning protocol for 100 ms, then the weight of the first synapse set
    to 55 and the eta of the second to 0.3 through GetConnections (NEST's set_status makes the
    weight at that moment the rule's initial one), then 200 ms more; weights every 10 ms."""
    out = urbanczik_learning_protocol(nest, t_stop=100.0, t_train=300.0)
    conns = nest.GetConnections(synapse_model="urbanczik_rec")
    conns.set(weight=55.0)
    conns = nest.GetConnections(synapse_model="urbanczik_synapse")
    st = conns.get(["delay", "eta"])
    first = [i for i in range(len(st["delay"])) if st["delay"][i] == 1.0 and st["eta"][i] == 0.5]
    conns[first[0]].set(eta=0.3)
    weights = out["weights"]
    for _ in range(20):
        nest.Simulate(10.0)
        rows = []
        for name in ("urbanczik_rec", "urbanczik_synapse"):
            st = nest.GetConnections(synapse_model=name).get(["weight", "target", "source"])
            rows += list(zip(*(np.atleast_1d(st[k]).tolist() for k in ("target", "source", "weight"))))
        weights.append([w for _, _, w in sorted(rows)])
    return {"weights": weights}


def urbanczik_receptor_protocol(nest):
    """The ``receptor`` GetConnections reports for connections to each port (NEST: the port
    within the spike or current receptors, counted from 0), and the targets' port given."""
    nest.ResetKernel()
    nrn = nest.Create("pp_cond_exp_mc_urbanczik")
    prrt = nest.Create("parrot_neuron")
    sc = nest.Create("step_current_generator")
    for port in (1, 2, 3, 4):
        nest.Connect(prrt, nrn, syn_spec={"receptor_type": port, "weight": float(port)})
    nest.Connect(prrt, nrn, syn_spec={"synapse_model": "urbanczik_synapse", "receptor_type": 3, "weight": 9.0})
    for port in (5, 6):
        nest.Connect(sc, nrn, syn_spec={"receptor_type": port, "weight": float(port)})
    out = []
    for src in (prrt, sc):
        st = nest.GetConnections(src, nrn).get(["weight", "receptor"])
        out += sorted(zip(np.atleast_1d(st["weight"]).tolist(), np.atleast_1d(st["receptor"]).tolist()))
    return out


NEURON_BAD = {
    "aeif_psc_delta_clopath": [
        {"V_reset": 40.0}, {"Delta_T": -1.0}, {"V_th_max": -60.0}, {"V_peak": -60.0}, {"C_m": 0.0},
        {"t_ref": -1.0}, {"t_clamp": -1.0}, {"tau_w": 0.0}, {"tau_z": -1.0}, {"tau_u_bar_bar": 0.0},
        {"gsl_error_tol": 0.0}, {"u_ref_squared": 0.0}, {"Delta_T": 0.01}, {"delay_u_bars": -1.0},
    ],
    "hh_psc_alpha_clopath": [
        {"C_m": -1.0}, {"t_ref": -1.0}, {"tau_syn_ex": 0.0}, {"tau_u_bar_plus": 0.0}, {"g_K": -1.0},
        {"Act_m": -0.1}, {"u_ref_squared": -1.0},
    ],
    "pp_cond_exp_mc_urbanczik": [
        {"rate_slope": -1.0}, {"phi_max": -0.1}, {"t_ref": -1.0}, {"soma": {"C_m": 0.0}}, {"dendritic": {"C_m": -1.0}},
        {"dendritic": {"tau_syn_in": 0.0}},
    ],
}  # fmt: skip
SYN_BAD = [
    {"weight": -1.0},
    {"weight": 1.0, "Wmin": -1.0},
    {"weight": 1.0, "Wmax": -1.0},
    {"weight": -1.0, "Wmin": -2.0, "Wmax": -0.5},
]


def errors(nest):
    out = {}
    for model, bads in NEURON_BAD.items():
        for bad in bads:
            nest.ResetKernel()
            n = nest.Create(model)
            try:
                n.set(bad)
                res = None
            except nest.NESTError as e:
                res = [type(e).__name__, str(e)]
            out[f"{model} {sorted(bad.items())}"] = res
    for bad in SYN_BAD:
        nest.ResetKernel()
        a = nest.Create("parrot_neuron")
        b = nest.Create("aeif_psc_delta_clopath")
        try:
            nest.Connect(a, b, syn_spec=dict(bad, synapse_model="clopath_synapse"))
            res = None
        except nest.NESTError as e:
            res = [type(e).__name__, str(e)]
        out[f"clopath_synapse {sorted(bad.items())}"] = res
    for bad in SYN_BAD:
        nest.ResetKernel()
        a = nest.Create("parrot_neuron")
        b = nest.Create("pp_cond_exp_mc_urbanczik")
        try:
            nest.Connect(a, b, syn_spec=dict(bad, synapse_model="urbanczik_synapse", receptor_type=3))
            res = None
        except nest.NESTError as e:
            res = [type(e).__name__, str(e)]
        out[f"urbanczik_synapse {sorted(bad.items())}"] = res
    for syn, tgt, port in (("clopath_synapse", "iaf_psc_alpha", 0), ("urbanczik_synapse", "iaf_psc_alpha", 0),
                           ("urbanczik_synapse", "aeif_psc_delta_clopath", 0),
                           ("static_synapse", "pp_cond_exp_mc_urbanczik", 0),
                           ("static_synapse", "pp_cond_exp_mc_urbanczik", 5),
                           ("static_synapse", "pp_cond_exp_mc_urbanczik", 7),
                           ("urbanczik_synapse_hpc", "pp_cond_exp_mc_urbanczik", 3)):  # fmt: skip
        nest.ResetKernel()
        a = nest.Create("parrot_neuron")
        b = nest.Create(tgt)
        try:
            nest.Connect(a, b, syn_spec={"synapse_model": syn, "receptor_type": port})
            res = None
        except nest.NESTError as e:
            res = [type(e).__name__, str(e)]
        out[f"{syn} to {tgt} port {port}"] = res
    nest.ResetKernel()
    b = nest.Create("pp_cond_exp_mc_urbanczik")
    dc = nest.Create("dc_generator")
    try:
        nest.Connect(dc, b)
        res = None
    except nest.NESTError as e:
        res = [type(e).__name__, str(e)]
    out["dc_generator to pp_cond_exp_mc_urbanczik port 0"] = res
    return out


def main():
    import _common

    import nest

    _common.quiet(nest)
    out = {"defaults": {}, "neurons": {}, "pairing": {}}
    for m in NEURONS + SYNAPSES + URBANCZIK:
        nest.ResetKernel()
        d = nest.GetDefaults(m)
        out["defaults"][m] = {k: v for k, v in d.items() if k not in ("synapse_modelid", "num_connections", "model_id")}
    for m in NEURONS:
        out["neurons"][m] = neuron_protocol(nest, m)
        print(m, len(out["neurons"][m]["spikes"]), "spikes")
    for freq, lag in PAIRINGS:
        key = f"aeif_psc_delta_clopath {freq} {lag}"
        out["pairing"][key] = pairing_protocol(nest, "aeif_psc_delta_clopath", freq, lag)
    out["pairing"]["aeif_psc_delta_clopath 20.0 10.0 ltd"] = pairing_protocol(
        nest, "aeif_psc_delta_clopath", 20.0, 10.0, ltd_const=False
    )
    for syn in SYNAPSES[1:]:
        out["pairing"][f"{syn} 20.0 10.0"] = pairing_protocol(nest, "aeif_psc_delta_clopath", 20.0, 10.0, synapse=syn)
    for freq, lag in ((20.0, 10.0), (20.0, -10.0)):
        out["pairing"][f"hh_psc_alpha_clopath {freq} {lag}"] = pairing_protocol(nest, "hh_psc_alpha_clopath", freq, lag)
    out["urbanczik"] = {
        "neuron": urbanczik_neuron_protocol(nest),
        "neuron_t_ref_0": urbanczik_neuron_protocol(nest, n=10, t_ref=0.0),
        # Spike statistics over seeds (counts per neuron and 25 ms bin).
        "spike_stats": {str(seed): urbanczik_neuron_protocol(nest, seed=seed)["spikes"] for seed in range(2, 6)},
        "learning": urbanczik_learning_protocol(nest),
        "learning_lbl": urbanczik_learning_protocol(nest, synapse="urbanczik_synapse_lbl"),
        "set": urbanczik_set_protocol(nest),
        "learning_spiking": {
            str(seed): urbanczik_learning_protocol(nest, True, 10, seed)["weights"][-1] for seed in range(1, 5)
        },  # fmt: skip
    }
    out["urbanczik_receptors"] = urbanczik_receptor_protocol(nest)
    out["errors"] = errors(nest)
    # Traces go to the .npz (the JSON stays small).
    arrays = {}
    for part in ("neurons", "pairing", "urbanczik"):
        for key, run in out[part].items():
            for rec in [k for k, v in run.items() if isinstance(v, list) and len(v) > 500]:
                arrays[f"{key}__{rec}"] = np.asarray(run.pop(rec))
    _common.write_json("models_clopath.json", out)
    _common.write_npz("models_clopath.npz", arrays)


if __name__ == "__main__":
    main()
