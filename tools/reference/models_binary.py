"""Reference figures of the binary neurons, correlospinmatrix_detector, iaf_bw_2001(_exact)
and gif_pop_psc_exp from real NEST 3.10.

Run with ``.ref-nest/bin/python tools/reference/models_binary.py [--only binary,bw,gifpop]``;
writes ``tests/reference/models_binary.json`` (parts not run keep their old values) and the
traces of the ``bw`` part into ``tests/reference/models_binary.npz``.

Protocols
---------
binary
    * ``GetDefaults`` of mcculloch_pitts_neuron, erfc_neuron, ginzburg_neuron and
      correlospinmatrix_detector; errors of bad values.
    * ``h_trace``: a mcculloch_pitts_neuron (tau_m 1 ms, theta 100, so it never switches)
      gets binary-coded events from spike_generators (multiplicity 2 = up, 1 = down;
      weights 1.5, -0.7, 2.0; delay 1 ms); ``h`` recorded every 0.1 ms for 80 ms.
    * ``relay``: a mcculloch_pitts_neuron (tau_m 0.5 ms, theta 0.5) switched up and down by
      a spike_generator (weight 1); its events reach a spike_recorder, a spin_detector and
      a parrot_neuron (which repeats them). Times of up/down events are random; the counts
      are fixed.
    * ``single``: 400 erfc_neurons (noise_generator mean 0.5, std 0, sigma 1) and 400 ginzburg_neurons (dc 1.0,
      c_1 0.1, c_2 0.5, c_3 1), tau_m 10 ms, 1000 ms, seeds 1-5: mean of S sampled every
      1 ms after 100 ms, number of up and down events per neuron per second.
    * ``network``: 400 E + 100 I mcculloch_pitts_neurons, theta 2.5, noise_generator mean 3 (std 0), fixed_indegree
      20 from E (weight 1) and 5 from I (weight -5), delay 0.1 ms, 1000 ms, seeds 1-5:
      mean S of E and I after 100 ms; events per neuron per second.
    * ``spin_matrix``: correlospinmatrix_detector with 3 channels fed by spike_generators
      (binary code through ``spike_multiplicities``), delays 1 ms, 20 ms; two settings of
      ``tau_max``/``delta_tau``; ``count_covariance`` before and after simulating, and after a plain ``Create``.
bw
    * ``GetDefaults`` and bad-value errors of iaf_bw_2001 and iaf_bw_2001_exact; receptor
      errors of ``Connect`` (spikes to ports 0 and 4, currents to port 1, NMDA after
      ``Simulate``).
    * ``protocol``: a target of each model gets a step-current ramp (50/150/300/450 pA at
      10/50/120/200 ms), AMPA spikes (weight 1.5) and GABA spikes (weight 2.0) from
      spike_generators, NMDA from two iaf_bw_2001 senders driven by dc 600 and 700 pA
      (weights 0.8 and 0.4, delays 1.5 and 1.0 ms) and (exact model only: NEST refuses it
      for iaf_bw_2001) from a spike_generator (weight 0.6),
      AMPA from the second sender (weight 0.5, delay 2 ms); every recordable at 0.1 ms for
      300 ms, spike times of target and senders (times shown minus the NMDA offset), the
      target's final status.
gifpop
    * ``GetDefaults`` and bad-value errors of gif_pop_psc_exp.
    * ``protocol`` (``models_binary.npz``, keys ``gif_pop_psc_exp__*``): ``lambda_0`` 0 (no spikes: deterministic),
      N 500, I_e 20 pA, two adaptation kernels, a step-current ramp and excitatory (30) and
      inhibitory (-40) input spikes; every recordable at 0.1 ms for 300 ms; final status
      (``len_kernel`` as NEST chose it).
    * ``stats_binomial`` / ``stats_poisson``: populations p (N 400, I_e 200 pA) and q (N 200,
      I_e 150 pA), p -> q weight 2 (delay 1.5 ms), q -> p weight -3 (1 ms), 2000 ms, seeds
      1-5: time averages of ``mean``, ``V_m``, ``E_sfa`` (sampled every 1 ms) and spike counts.
"""

import argparse
import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _common  # noqa: E402

import nest  # noqa: E402

OUT = "models_binary.json"
BINARY = ["mcculloch_pitts_neuron", "erfc_neuron", "ginzburg_neuron", "correlospinmatrix_detector"]
BAD = {
    "mcculloch_pitts_neuron": {"tau_m_neg": {"tau_m": -1.0}, "tau_m_zero": {"tau_m": 0.0}, "S": {"S": True}},
    "erfc_neuron": {"tau_m_neg": {"tau_m": -2.0}, "sigma_neg": {"sigma": -1.0}},
    "ginzburg_neuron": {"tau_m_zero": {"tau_m": 0.0}, "c_1": {"c_1": -1.0}, "h": {"h": 1.0}},
    "correlospinmatrix_detector": {
        "N_channels": {"N_channels": 0},
        "delta_tau_step": {"delta_tau": 0.15},
        "tau_max_multiple": {"tau_max": 0.25, "delta_tau": 0.2},
        "tau_max_neg": {"tau_max": -1.0},
        "Tstart_neg": {"Tstart": -1.0},
        "Tstop_neg": {"Tstop": -1.0},
        "delta_tau_neg": {"delta_tau": -0.1},
    },
}
# Binary-coded events: (times, multiplicities) per generator; 2 = up, 1 = down.
H_INPUTS = [
    ([5.0, 20.0, 40.0, 60.0], [2, 1, 2, 1], 1.5),
    ([10.0, 30.0, 30.1], [2, 1, 2], -0.7),
    ([15.0, 15.0, 50.0], [1, 1, 2], 2.0),
]
SPIN_CHANNELS = [
    ([1.0, 3.0, 4.2, 9.0, 12.0], [2, 1, 2, 1, 2]),
    ([2.0, 2.5, 5.0, 8.0, 10.0, 14.0], [2, 1, 2, 1, 2, 1]),
    ([3.3, 7.7, 11.1, 15.0, 16.0], [2, 1, 2, 1, 2]),
]
SPIN_SETTINGS = [{"tau_max": 2.0, "delta_tau": 0.1}, {"tau_max": 1.5, "delta_tau": 0.3}]
SINGLE = {
    "erfc_neuron": ({"sigma": 1.0, "theta": 0.0}, 0.5),
    "ginzburg_neuron": ({"c_1": 0.1, "c_2": 0.5, "c_3": 1.0, "theta": 0.0}, 1.0),
}
SEEDS = [1, 2, 3, 4, 5]


def _errors(model, settings):
    out = {}
    for key, setting in settings.items():
        nest.ResetKernel()
        node = nest.Create(model)
        try:
            node.set(setting)
            out[key] = None
        except Exception as e:  # noqa: BLE001 - the class and message are the data
            out[key] = [type(e).__name__, str(e)]
    return out


def h_trace():
    nest.ResetKernel()
    n = nest.Create("mcculloch_pitts_neuron", params={"tau_m": 1.0, "theta": 100.0})
    for times, mult, w in H_INPUTS:
        g = nest.Create("spike_generator", params={"spike_times": times, "spike_multiplicities": mult})
        nest.Connect(g, n, syn_spec={"weight": w, "delay": 1.0})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["h", "S"]})
    nest.Connect(mm, n)
    nest.Simulate(80.0)
    ev = mm.get("events")
    return {"times": ev["times"], "h": ev["h"], "S": ev["S"], "final_h": n.get("h")}


def relay():
    nest.ResetKernel()
    nest.rng_seed = 7
    n = nest.Create("mcculloch_pitts_neuron", params={"tau_m": 0.5, "theta": 0.5})
    g = nest.Create(
        "spike_generator", params={"spike_times": [10.0, 30.0, 50.0, 70.0], "spike_multiplicities": [2, 1, 2, 1]}
    )
    nest.Connect(g, n, syn_spec={"weight": 1.0, "delay": 1.0})
    par = nest.Create("parrot_neuron")
    nest.Connect(n, par)
    sr_par = nest.Create("spike_recorder")
    nest.Connect(par, sr_par)
    sr = nest.Create("spike_recorder")
    sd = nest.Create("spin_detector")
    nest.Connect(n, sr)
    nest.Connect(n, sd)
    nest.Simulate(100.0)
    return {
        "n_events": sr.get("n_events"),
        "parrot_events": sr_par.get("n_events"),
        "states": sd.get("events")["state"],
    }


def _activity(mm, sr, ids, t0, T):
    ev = mm.get("events")
    late = ev["times"] > t0
    out = []
    for lo, hi in ids:
        sel = late & (ev["senders"] >= lo) & (ev["senders"] <= hi)
        out.append(float(np.mean(ev["S"][sel])))
    s = sr.get("events")
    rates = []
    for lo, hi in ids:
        sel = (s["senders"] >= lo) & (s["senders"] <= hi)
        rates.append(float(sel.sum()) / (hi - lo + 1) / (T / 1000.0))
    return out, rates


def single():
    out = {}
    for model, (params, dc) in SINGLE.items():
        rows = []
        for seed in SEEDS:
            nest.ResetKernel()
            nest.rng_seed = seed
            n = nest.Create(model, 400, params=params)
            d = nest.Create("noise_generator", params={"mean": dc, "std": 0.0})
            nest.Connect(d, n)
            mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["S"]})
            nest.Connect(mm, n)
            sr = nest.Create("spike_recorder")
            nest.Connect(n, sr)
            nest.Simulate(1000.0)
            mean, rate = _activity(mm, sr, [(1, 400)], 100.0, 1000.0)
            rows.append({"mean_S": mean[0], "events_per_s": rate[0]})
        out[model] = rows
    return out


def network():
    rows = []
    for seed in SEEDS:
        nest.ResetKernel()
        nest.rng_seed = seed
        e = nest.Create("mcculloch_pitts_neuron", 400, params={"theta": 2.5})
        i = nest.Create("mcculloch_pitts_neuron", 100, params={"theta": 2.5})
        d = nest.Create("noise_generator", params={"mean": 3.0, "std": 0.0})
        nest.Connect(d, e + i)
        nest.Connect(e, e + i, {"rule": "fixed_indegree", "indegree": 20}, {"weight": 1.0, "delay": 0.1})
        nest.Connect(i, e + i, {"rule": "fixed_indegree", "indegree": 5}, {"weight": -5.0, "delay": 0.1})
        mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["S"]})
        nest.Connect(mm, e + i)
        sr = nest.Create("spike_recorder")
        nest.Connect(e + i, sr)
        nest.Simulate(1000.0)
        mean, rate = _activity(mm, sr, [(1, 400), (401, 500)], 100.0, 1000.0)
        rows.append({"mean_S": mean, "events_per_s": rate})
    return rows


def spin_matrix():
    out = []
    for setting in SPIN_SETTINGS:
        nest.ResetKernel()
        det = nest.Create("correlospinmatrix_detector", params={"N_channels": 3, **setting})
        before = det.get("count_covariance")
        for c, (times, mult) in enumerate(SPIN_CHANNELS):
            g = nest.Create("spike_generator", params={"spike_times": times, "spike_multiplicities": mult})
            nest.Connect(g, det, syn_spec={"receptor_type": c, "delay": 1.0})
        nest.Simulate(20.0)
        out.append({"setting": setting, "before": before, "after": det.get("count_covariance")})
    nest.ResetKernel()
    plain = nest.Create("correlospinmatrix_detector")
    return {"runs": out, "plain_create": plain.get("count_covariance")}


SIGNAL_PAIRS = [
    ("spike_generator", "mcculloch_pitts_neuron"),
    ("mcculloch_pitts_neuron", "iaf_psc_delta"),
    ("iaf_psc_delta", "erfc_neuron"),
    ("dc_generator", "ginzburg_neuron"),
    ("noise_generator", "ginzburg_neuron"),
    ("parrot_neuron", "mcculloch_pitts_neuron"),
    ("mcculloch_pitts_neuron", "parrot_neuron"),
    ("mcculloch_pitts_neuron", "spike_recorder"),
    ("iaf_psc_delta", "spin_detector"),
    ("iaf_psc_delta", "correlospinmatrix_detector"),
    ("mcculloch_pitts_neuron", "correlation_detector"),
    ("mcculloch_pitts_neuron", "ginzburg_neuron"),
]


def signals():
    out = []
    for a, b in SIGNAL_PAIRS:
        nest.ResetKernel()
        try:
            nest.Connect(nest.Create(a), nest.Create(b))
            out.append([a, b, None])
        except Exception as e:  # noqa: BLE001
            out.append([a, b, [type(e).__name__, str(e)]])
    return out


def binary_part():
    data = {"defaults": {}, "errors": {}}
    for model in BINARY:
        nest.ResetKernel()
        data["defaults"][model] = nest.GetDefaults(model)
        data["errors"][model] = {"settings": BAD[model], "raised": _errors(model, BAD[model])}
    data["h_inputs"] = H_INPUTS
    data["h_trace"] = h_trace()
    data["relay"] = relay()
    data["single"] = single()
    data["network"] = network()
    data["spin_channels"] = SPIN_CHANNELS
    data["spin_matrix"] = spin_matrix()
    data["signals"] = signals()
    return data


BW_MODELS = ["iaf_bw_2001", "iaf_bw_2001_exact"]
BW_BAD = {
    "V_reset": {"V_reset": -50.0},
    "C_m": {"C_m": 0.0},
    "t_ref": {"t_ref": -1.0},
    "tau_AMPA": {"tau_AMPA": 0.0},
    "tau_rise_NMDA": {"tau_rise_NMDA": -1.0},
    "alpha": {"alpha": 0.0},
    "conc_Mg2": {"conc_Mg2": -1.0},
    "gsl_error_tol": {"gsl_error_tol": 0.0},
    "I_NMDA": {"I_NMDA": 1.0},
}
BW_RAMP = ([10.0, 50.0, 120.0, 200.0], [50.0, 150.0, 300.0, 450.0])
BW_EXC = [5.0, 12.3, 30.0, 31.0, 55.5, 80.0, 150.2, 151.0, 210.0, 250.0]
BW_INH = [20.0, 65.0, 66.0, 140.0, 230.0, 280.0]
BW_NMDA_GEN = [40.0, 100.0, 101.0, 190.0]


def bw_protocol(model):
    """A target of ``model``: current ramp, AMPA and GABA spikes from spike_generators,
    NMDA from two iaf_bw_2001 senders (dc 600 and 700 pA) and a spike_generator."""
    nest.ResetKernel()
    post = nest.Create(model)
    pre = nest.Create("iaf_bw_2001", 2)
    nest.Connect(nest.Create("dc_generator", params={"amplitude": 600.0}), pre[0])
    nest.Connect(nest.Create("dc_generator", params={"amplitude": 700.0}), pre[1])
    ramp = nest.Create("step_current_generator", params={"amplitude_times": BW_RAMP[0], "amplitude_values": BW_RAMP[1]})
    nest.Connect(ramp, post)
    exc = nest.Create("spike_generator", params={"spike_times": BW_EXC})
    inh = nest.Create("spike_generator", params={"spike_times": BW_INH})
    gen = nest.Create("spike_generator", params={"spike_times": BW_NMDA_GEN})
    nest.Connect(exc, post, syn_spec={"receptor_type": 1, "weight": 1.5, "delay": 1.0})
    nest.Connect(inh, post, syn_spec={"receptor_type": 2, "weight": 2.0, "delay": 1.0})
    nest.Connect(pre[0], post, syn_spec={"receptor_type": 3, "weight": 0.8, "delay": 1.5})
    nest.Connect(pre[1], post, syn_spec={"receptor_type": 3, "weight": 0.4, "delay": 1.0})
    if model == "iaf_bw_2001_exact":  # iaf_bw_2001 takes NMDA from iaf_bw_2001 senders only
        nest.Connect(gen, post, syn_spec={"receptor_type": 3, "weight": 0.6, "delay": 1.0})
    nest.Connect(pre[1], post, syn_spec={"receptor_type": 1, "weight": 0.5, "delay": 2.0})
    recordables = nest.GetDefaults(model)["recordables"]
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": recordables})
    nest.Connect(mm, post)
    sr, sr_pre = nest.Create("spike_recorder"), nest.Create("spike_recorder")
    nest.Connect(post, sr)
    nest.Connect(pre, sr_pre)
    nest.Simulate(300.0)
    ev = mm.get("events")
    final = {k: v for k, v in post.get().items() if isinstance(v, float)}
    return {
        "times": ev["times"],
        **{rec: ev[rec] for rec in recordables},
        "spikes": sr.get("events")["times"],
        "pre_spikes": sr_pre.get("events")["times"],
        "pre_senders": sr_pre.get("events")["senders"],
        "final": final,
    }


def bw_connect_errors():
    out = {}
    cases = {
        "spike_port_0": ("iaf_psc_alpha", 0),
        "spike_port_4": ("iaf_psc_alpha", 4),
        "current_port_1": ("dc_generator", 1),
        "current_port_0": ("dc_generator", 0),
        "generator_nmda": ("spike_generator", 3),
        "iaf_nmda": ("iaf_psc_alpha", 3),
        "bw_exact_nmda": ("iaf_bw_2001_exact", 3),
    }
    for model in BW_MODELS:
        for key, (src, port) in cases.items():
            nest.ResetKernel()
            try:
                nest.Connect(nest.Create(src), nest.Create(model), syn_spec={"receptor_type": port})
                out[f"{model}:{key}"] = None
            except Exception as e:  # noqa: BLE001
                out[f"{model}:{key}"] = [type(e).__name__, str(e)]
        nest.ResetKernel()
        a, b = nest.Create("iaf_bw_2001"), nest.Create(model)
        nest.Simulate(1.0)
        try:
            nest.Connect(a, b, syn_spec={"receptor_type": 3, "delay": 0.1})
            out[f"{model}:nmda_after_simulate"] = None
        except Exception as e:  # noqa: BLE001
            out[f"{model}:nmda_after_simulate"] = [type(e).__name__, str(e)]
    return out


def _write_traces(models, traces):
    """Replace the traces of ``models`` in models_binary.npz, keeping the other parts'."""
    path = os.path.join(_common.REF_DIR, "models_binary.npz")
    keep = {}
    if os.path.exists(path):
        with np.load(path) as f:
            keep = {k: f[k] for k in f.files if k.split("__", 1)[0] not in models}
    _common.write_npz("models_binary.npz", {**keep, **traces})


def bw_part():
    data = {"defaults": {}, "errors": {}, "protocol": {}}
    for model in BW_MODELS:
        nest.ResetKernel()
        data["defaults"][model] = nest.GetDefaults(model)
        bad = {k: v for k, v in BW_BAD.items() if k in data["defaults"][model]}
        data["errors"][model] = {"settings": bad, "raised": _errors(model, bad)}
        data["protocol"][model] = bw_protocol(model)
    data["inputs"] = {"ramp": BW_RAMP, "exc": BW_EXC, "inh": BW_INH, "nmda_gen": BW_NMDA_GEN}
    data["connect_errors"] = bw_connect_errors()
    # The traces go into models_binary.npz (``<model>__<recordable>``), the rest stays here.
    traces = {}
    for model, run in data["protocol"].items():
        for key in [k for k in run if k not in ("final",)]:
            traces[f"{model}__{key}"] = np.asarray(run.pop(key))
    _write_traces(BW_MODELS, traces)
    return data


GP_BAD = {
    "sizes": {"tau_sfa": [10.0, 20.0], "q_sfa": [1.0]},
    "C_m": {"C_m": 0.0},
    "tau_m": {"tau_m": -1.0},
    "tau_syn": {"tau_syn_in": 0.0},
    "tau_sfa": {"tau_sfa": [-1.0]},
    "N": {"N": 0},
    "lambda_0": {"lambda_0": -1.0},
    "Delta_V": {"Delta_V": 0.0},
    "t_ref": {"t_ref": -0.5},
    "mean": {"mean": 1.0},
}
GP_EXC = [10.0, 50.0, 51.0, 120.0, 200.0]
GP_INH = [30.0, 80.0, 210.0]
GP_RAMP = ([20.0, 100.0, 220.0], [50.0, 150.0, 20.0])
GP_STATS = {"p": {"N": 400, "I_e": 200.0}, "q": {"N": 200, "I_e": 150.0}}


def gp_protocol():
    """lambda_0 = 0 (no spikes, deterministic): ramp, input spikes, all recordables."""
    nest.ResetKernel()
    p = nest.Create("gif_pop_psc_exp", params={"lambda_0": 0.0, "N": 500, "I_e": 20.0, "q_sfa": [0.5, 1.0],
                                                "tau_sfa": [300.0, 30.0]})  # fmt: skip
    exc = nest.Create("spike_generator", params={"spike_times": GP_EXC})
    inh = nest.Create("spike_generator", params={"spike_times": GP_INH})
    nest.Connect(exc, p, syn_spec={"weight": 30.0, "delay": 1.0})
    nest.Connect(inh, p, syn_spec={"weight": -40.0, "delay": 1.0})
    ramp = nest.Create("step_current_generator", params={"amplitude_times": GP_RAMP[0], "amplitude_values": GP_RAMP[1]})
    nest.Connect(ramp, p)
    rec = nest.GetDefaults("gif_pop_psc_exp")["recordables"]
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
    nest.Connect(mm, p)
    nest.Simulate(300.0)
    ev = mm.get("events")
    final = p.get(["len_kernel", "V_m", "E_sfa", "I_syn_ex", "I_syn_in", "mean", "n_events"])
    return {"times": ev["times"], **{r: ev[r] for r in rec}}, final


def gp_stats(bino):
    rows = []
    for seed in SEEDS:
        nest.ResetKernel()
        nest.rng_seed = seed
        p = nest.Create("gif_pop_psc_exp", params={**GP_STATS["p"], "BinoRand": bino})
        q = nest.Create("gif_pop_psc_exp", params={**GP_STATS["q"], "BinoRand": bino})
        nest.Connect(p, q, syn_spec={"weight": 2.0, "delay": 1.5})
        nest.Connect(q, p, syn_spec={"weight": -3.0, "delay": 1.0})
        mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["mean", "V_m", "E_sfa"]})
        nest.Connect(mm, p + q)
        sr = nest.Create("spike_recorder")
        nest.Connect(p + q, sr)
        nest.Simulate(2000.0)
        ev, s = mm.get("events"), sr.get("events")
        row = {}
        for name, node in (("p", p), ("q", q)):
            sel = ev["senders"] == node.global_id
            row[name] = {
                "mean": float(np.mean(ev["mean"][sel])),
                "V_m": float(np.mean(ev["V_m"][sel])),
                "E_sfa": float(np.mean(ev["E_sfa"][sel])),
                "spikes": int(np.sum(s["senders"] == node.global_id)),
            }
        rows.append(row)
    return rows


def gifpop_part():
    nest.ResetKernel()
    data = {"defaults": {"gif_pop_psc_exp": nest.GetDefaults("gif_pop_psc_exp")}}
    data["errors"] = {"gif_pop_psc_exp": {"settings": GP_BAD, "raised": _errors("gif_pop_psc_exp", GP_BAD)}}
    traces, data["final"] = gp_protocol()
    _write_traces(["gif_pop_psc_exp"], {f"gif_pop_psc_exp__{k}": v for k, v in traces.items()})
    data["inputs"] = {"exc": GP_EXC, "inh": GP_INH, "ramp": GP_RAMP, "stats": GP_STATS}
    data["stats_binomial"] = gp_stats(True)
    data["stats_poisson"] = gp_stats(False)
    return data


PARTS = {"binary": binary_part, "bw": bw_part, "gifpop": gifpop_part}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated parts: " + ",".join(PARTS))
    args = ap.parse_args()
    _common.quiet(nest)
    path = os.path.join(_common.REF_DIR, OUT)
    data = {}
    if os.path.exists(path):
        with open(path) as f:
            data = json.load(f)
    for part in [p for p in args.only.split(",") if p] or list(PARTS):
        data[part] = PARTS[part]()
    _common.write_json(OUT, data)


if __name__ == "__main__":
    main()
