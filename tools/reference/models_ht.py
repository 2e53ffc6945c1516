"""ht_neuron, iaf_cond_alpha_mc, iaf_chs_2007, iaf_psc_exp_ps_lossless of real NEST 3.10
-> tests/reference/models_ht.{npz,json}

models_ht.json
    ``defaults[MODEL]``: ``nest.GetDefaults(MODEL)`` right after ``ResetKernel()``.
    ``errors[MODEL]``: for each ``(params)`` in BAD[MODEL], applied with ``node.set`` on a
    fresh node, ``[class name, message]`` of what NEST raised, or ``None``.
    ``facts``: see :func:`facts`.
    ``connect_errors[MODEL]``: for each case in CONNECT (source model, receptor_type),
    ``[class name, message]`` of what ``Connect`` raised, or ``None``.

models_ht.npz -- per protocol name P in PROTOCOLS, after ``ResetKernel()`` (resolution 0.1 ms):
    n  = Create(MODEL, params=PARAMS)
    for each (times, values, receptor) in CURRENTS:
        Connect(Create("step_current_generator", amplitude_times=times, amplitude_values=values),
                n, syn_spec={"receptor_type": receptor})
    for each (times, weight, receptor) in SPIKES:
        Connect(Create("spike_generator", spike_times=times), n,
                syn_spec={"weight": weight, "delay": 1.0, "receptor_type": receptor})
        (precise protocols: spike_generator with precise_times=True; a list of weights
    is given as the generator's spike_weights, the connection's weight then 1)
    mm = multimeter (interval 0.1, every recordable), sr = spike_recorder; Simulate(300.0)
    keys: P__spike_times, P__times, P__<recordable>; ht_equilibrate_{False,True}__<rec>
    (see :func:`facts`); a protocol NEST stops with an error
    has none, ``protocol_errors[P]`` in the json holds [class, message, biological_time].
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

MODELS = ["ht_neuron", "iaf_cond_alpha_mc", "iaf_chs_2007", "iaf_psc_exp_ps_lossless"]
RAMP_TIMES = [40.0, 90.0, 140.0, 190.0, 240.0]


def _times(start, step, stop=300.0):
    return [float(t) for t in np.round(np.arange(start, stop, step), 1)]


EXC = _times(5.0, 7.3)
INH = _times(3.0, 11.9)
SLOW = _times(20.0, 37.1)

PRECISE_EXC = [round(t + 0.0371, 4) for t in EXC]
PRECISE_INH = [round(t + 0.0713, 4) for t in INH]
# A deterministic waveform for iaf_chs_2007, one sample per 0.1 ms step for 300 ms.
NOISE = [math.sin(0.013 * k) + 0.5 * math.sin(0.31 * k + 1.0) * math.cos(0.0021 * k) for k in range(3000)]
GRAZE_TIMES = [round(1.0 + 3.0 * k + (0.0137 * k) % 0.1, 4) for k in range(99)]


def _grazing(tau_m, tau_s, lo, hi, C=250.0, theta=15.0):
    """Weights from ``lo`` to ``hi`` times the one whose lone PSP peaks at ``theta``."""
    t = tau_m * tau_s / (tau_m - tau_s) * math.log(tau_m / tau_s)
    peak = tau_m * tau_s / (C * (tau_m - tau_s)) * (math.exp(-t / tau_m) - math.exp(-t / tau_s))
    return [theta / peak * (lo + (hi - lo) * k / 98) for k in range(99)]


PROTOCOLS = {
    "ht_neuron": {
        "model": "ht_neuron",
        "params": {},
        "currents": [(RAMP_TIMES, [10.0, 20.0, 30.0, 45.0, 0.0], 0)],
        "spikes": [(EXC, 4.0, 1), (SLOW, 6.0, 2), (INH, 3.0, 3), (SLOW[1:], 8.0, 4)],
    },
    "ht_neuron_instant_nmda": {
        "model": "ht_neuron",
        "params": {"instant_unblock_NMDA": True, "t_ref": 1.0, "theta_eq": -52.0},
        "currents": [(RAMP_TIMES, [5.0, 15.0, 25.0, 35.0, 0.0], 0)],
        "spikes": [(EXC, 6.0, 1), (EXC[2:], 10.0, 2), (INH, 2.0, 3), (SLOW, 4.0, 4)],
    },
    "iaf_cond_alpha_mc": {
        "model": "iaf_cond_alpha_mc",
        "params": {},
        "currents": [
            (RAMP_TIMES, [150.0, 300.0, 450.0, 700.0, 0.0], 7),
            ([60.0, 160.0], [300.0, -100.0], 8),
            ([100.0, 200.0], [500.0, 0.0], 9),
        ],
        "spikes": [
            (EXC, 6.0, 1),
            (INH, 4.0, 2),
            (EXC[3:], 8.0, 3),
            (INH[2:], 5.0, 4),
            (SLOW, 20.0, 5),
            (SLOW[2:], 10.0, 6),
        ],
    },
    "iaf_cond_alpha_mc_params": {
        "model": "iaf_cond_alpha_mc",
        "params": {
            "t_ref": 0.5,
            "g_sp": 5.0,
            "V_th": -57.0,
            "soma": {"C_m": 100.0, "I_e": 120.0, "V_m": -65.0, "tau_syn_ex": 1.0},
            "proximal": {"g_L": 8.0, "E_L": -65.0, "tau_syn_in": 3.0},
            "distal": {"I_e": 250.0, "V_m": -60.0, "E_ex": 10.0},
        },
        "currents": [(RAMP_TIMES, [50.0, 100.0, 200.0, 300.0, 0.0], 7)],
        "spikes": [(EXC, 10.0, 1), (INH, 6.0, 2), (EXC[1:], 15.0, 5), (INH, 8.0, 6)],
    },
    "iaf_psc_exp_ps_lossless": {
        "model": "iaf_psc_exp_ps_lossless",
        "params": {},
        "precise": True,
        "currents": [(RAMP_TIMES, [200.0, 380.0, 420.0, 520.0, 0.0], 0)],
        "spikes": [(PRECISE_EXC, 300.0, 0), (PRECISE_INH, -400.0, 0), (SLOW, 200.0, 0)],
    },
    # Fast membrane, isolated inputs whose peaks graze the threshold: V crosses and comes
    # back within one piece, spikes iaf_psc_exp_ps misses (NEST 3.10: 98 spikes here, 97
    # for iaf_psc_exp_ps).
    "iaf_psc_exp_ps_lossless_missed": {
        "model": "iaf_psc_exp_ps_lossless",
        "params": {"tau_m": 0.8, "tau_syn_ex": 0.3, "tau_syn_in": 0.3, "t_ref": 0.5},
        "precise": True,
        "currents": [],
        "spikes": [(GRAZE_TIMES, _grazing(0.8, 0.3, 0.9995, 1.0005), 0)],
    },
    # The same with faster time constants: NEST's crossing search fails (it raises
    # NumericalInstability at 26 ms).
    "iaf_psc_exp_ps_lossless_unstable": {
        "model": "iaf_psc_exp_ps_lossless",
        "params": {"tau_m": 0.5, "tau_syn_ex": 0.2, "tau_syn_in": 0.2, "t_ref": 0.5},
        "precise": True,
        "currents": [],
        "spikes": [(GRAZE_TIMES, _grazing(0.5, 0.2, 0.995, 1.005), 0)],
    },
    "iaf_chs_2007": {
        "model": "iaf_chs_2007",
        "params": {},
        "currents": [],
        "spikes": [(EXC, 0.9, 0), (SLOW, 1.4, 0), (INH, -2.0, 0)],
    },
    "iaf_chs_2007_noise": {
        "model": "iaf_chs_2007",
        "params": {"V_noise": 0.35, "noise": NOISE, "tau_epsp": 6.0, "V_epsp": 0.9, "V_m": 0.4},
        "currents": [],
        "spikes": [(EXC, 0.7, 0), (SLOW, 1.1, 0)],
    },
}
BAD = {
    "ht_neuron": [
        {"tau_rise_AMPA": 5.0},
        {"g_peak_AMPA": -1.0},
        {"g_peak_NMDA": -0.1},
        {"g_KL": -1.0},
        {"t_ref": -1.0},
        {"tau_m": 0.0},
        {"tau_D_KNa": -1.0},
        {"tau_Mg_fast_NMDA": 30.0},
        {"S_act_NMDA": -1.0},
        {"tau_decay_GABA_B": 10.0},
        {"tau_spike": 0.0},
        {"tau_theta": -1.0},
    ],
    "iaf_psc_exp_ps_lossless": [
        {"tau_syn_ex": 5.0},
        {"tau_syn_ex": 5.0, "tau_syn_in": 5.0},
        {"tau_m": 2.0},
        {"t_ref": 0.0},
        {"t_ref": -1.0},
        {"V_reset": -50.0},
        {"V_min": -60.0},
        {"C_m": 0.0},
        {"tau_m": 0.0},
        {"tau_syn_ex": -1.0, "tau_syn_in": -1.0},
    ],
    "iaf_chs_2007": [
        {"V_epsp": -1.0},
        {"V_reset": -0.5},
        {"tau_epsp": 0.0},
        {"tau_reset": -1.0},
        {"V_noise": -1.0},
        {"V_m": 3.0},
    ],
    "iaf_cond_alpha_mc": [
        {"V_th": -80.0},
        {"t_ref": -1.0},
        {"soma": {"C_m": -1.0}},
        {"proximal": {"C_m": 0.0}},
        {"distal": {"tau_syn_ex": 0.0}},
        {"soma": {"tau_syn_in": -1.0}},
        {"soma": {"foo": 1.0, "V_m": -66.0}},
        {"g_sp": -1.0},
        {"proximal": {"V_m": -40.0}, "V_reset": -50.0, "V_th": -45.0},
    ],
}
# (source model, receptor_type) pairs tried per model
CONNECT = {
    "ht_neuron": [
        ("spike_generator", 0),
        ("spike_generator", 1),
        ("spike_generator", 4),
        ("spike_generator", 5),
        ("dc_generator", 0),
        ("dc_generator", 1),
    ],
    "iaf_cond_alpha_mc": [
        ("spike_generator", 0),
        ("spike_generator", 1),
        ("spike_generator", 6),
        ("spike_generator", 7),
        ("spike_generator", 10),
        ("dc_generator", 0),
        ("dc_generator", 1),
        ("dc_generator", 7),
        ("dc_generator", 9),
        ("dc_generator", 10),
    ],
    "iaf_chs_2007": [
        ("spike_generator", 0),
        ("spike_generator", 1),
        ("dc_generator", 0),
        ("dc_generator", 1),
        ("multimeter", 0),
    ],
}


def run_protocol(nest, spec):
    nest.ResetKernel()
    n = nest.Create(spec["model"], params=spec["params"])
    for times, values, receptor in spec["currents"]:
        sc = nest.Create("step_current_generator", params={"amplitude_times": times, "amplitude_values": values})
        nest.Connect(sc, n, syn_spec={"receptor_type": receptor})
    for times, weight, receptor in spec["spikes"]:
        params = {"spike_times": times, "precise_times": spec.get("precise", False)}
        if isinstance(weight, list):  # one weight per spike
            params["spike_weights"], weight = weight, 1.0
        sg = nest.Create("spike_generator", params=params)
        nest.Connect(sg, n, syn_spec={"weight": weight, "delay": 1.0, "receptor_type": receptor})
    rec = list(nest.GetDefaults(spec["model"])["recordables"])
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Simulate(300.0)
    ev = mm.get("events")
    out = {"spike_times": sr.get("events")["times"], "times": ev["times"]}
    for r in rec:
        out[r] = ev[r]
    return out


def facts(nest):
    """Small status facts: the lossless model's state after a run, and its spike when a
    potential above threshold is set (steps and offsets of a spike recorder);
    iaf_chs_2007's V_m when its waveform or V_noise is set between runs."""
    out = {}
    nest.ResetKernel()
    n = nest.Create("iaf_psc_exp_ps_lossless", params={"I_e": 500.0})
    nest.Simulate(50.0)
    out["lossless_status"] = n.get(["offset", "I_syn", "is_refractory", "t_spike", "V_m"])
    nest.ResetKernel()
    n = nest.Create("iaf_psc_exp_ps_lossless", params={"V_m": -50.0})
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(n, sr)
    nest.Simulate(3.0)
    out["lossless_instant"] = {k: sr.events[k] for k in ("times", "offsets")}
    out["lossless_instant"]["V_m"] = n.V_m
    # iaf_chs_2007: setting the waveform again restarts it, setting V_noise does not.
    nest.ResetKernel()
    n = nest.Create("iaf_chs_2007", params={"V_noise": 0.5, "noise": NOISE[:200]})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
    nest.Connect(mm, n)
    nest.Simulate(5.0)
    n.set(noise=NOISE[:200])
    nest.Simulate(5.0)
    n.set(V_noise=0.25)
    nest.Simulate(5.0)
    out["chs_restart"] = mm.events["V_m"]
    # ht_neuron: V_m set away from rest, with and without equilibrate (the gates at their
    # equilibrium for the new V_m, or left at rest's), no input for 50 ms.
    for eq in (False, True):
        nest.ResetKernel()
        n = nest.Create("ht_neuron")
        n.set({"V_m": -60.0, "equilibrate": eq} if eq else {"V_m": -60.0})
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "I_h", "I_T", "I_KNa"]})
        nest.Connect(mm, n)
        nest.Simulate(50.0)
        out[f"ht_equilibrate_{eq}"] = {k: mm.events[k] for k in ("V_m", "I_h", "I_T", "I_KNa")}
    return out


def main():
    import nest

    _common.quiet(nest)
    out = {"defaults": {}, "errors": {}, "connect_errors": {}}
    arrays = {}
    for model in MODELS:
        nest.ResetKernel()
        out["defaults"][model] = nest.GetDefaults(model)
        errs = []
        for params in BAD.get(model, []):
            nest.ResetKernel()
            node = nest.Create(model)
            try:
                node.set(params)
                errs.append(None)
            except nest.NESTError as e:
                errs.append([type(e).__name__, str(e)])
            if model == "iaf_cond_alpha_mc":
                errs[-1] = [errs[-1], {k: node.get(k) for k in ("soma", "proximal", "distal", "V_th")}]
        out["errors"][model] = errs
        cerrs = []
        for src, receptor in CONNECT.get(model, []):
            nest.ResetKernel()
            node = nest.Create(model)
            try:
                nest.Connect(nest.Create(src), node, syn_spec={"receptor_type": receptor})
                cerrs.append(None)
            except nest.NESTError as e:
                cerrs.append([type(e).__name__, str(e)])
        out["connect_errors"][model] = cerrs
    out["facts"] = facts(nest)
    for eq in (False, True):  # traces go to the npz
        for k, trace in out["facts"].pop(f"ht_equilibrate_{eq}").items():
            arrays[f"ht_equilibrate_{eq}__{k}"] = np.asarray(trace)
    out["protocol_errors"] = {}
    for name, spec in PROTOCOLS.items():
        try:
            res = run_protocol(nest, spec)
        except nest.NESTError as e:
            out["protocol_errors"][name] = [type(e).__name__, str(e), nest.biological_time]
            print(name, "raised", type(e).__name__, nest.biological_time)
            continue
        for k, v in res.items():
            arrays[f"{name}__{k}"] = np.asarray(v)
        print(name, len(res["spike_times"]), "spikes", res["spike_times"][:8])
    _common.write_json("models_ht.json", out)
    _common.write_npz("models_ht.npz", arrays)


if __name__ == "__main__":
    main()
