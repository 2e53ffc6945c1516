"""Exact-integration, threshold-adapting and stochastic point neurons of real NEST 3.10
-> tests/reference/exact_models.{npz,json}

Models: every name in MODELS below.

exact_models.json
    ``defaults[MODEL]``: ``nest.GetDefaults(MODEL)`` right after ``ResetKernel()``.
    ``errors[MODEL]``: for each bad value in BAD[MODEL] (applied with ``node.set`` on a
    fresh node), ``[class name, message]`` of what NEST raised, or ``None`` if accepted.
    ``protocol[MODEL]``: the protocol's settings (params, ramp, weights; see below).
    ``threshold_status``: amat2_psc_exp's V_th after a Create and a set of THRESHOLD_PARTS.
    ``stats[MODEL]``: for the stochastic models, per seed in SEEDS, the spike counts of
    STAT_N neurons (params STAT_PARAMS[MODEL]) over STAT_T ms, and their ISIs' mean and CV.

exact_models.npz -- per MODEL, after ``ResetKernel()`` (resolution 0.1 ms):
    n  = Create(MODEL, params=PARAMS[MODEL])
    sc = Create("step_current_generator",
                params={"amplitude_times": RAMP_TIMES, "amplitude_values": RAMP[MODEL]})
    se = Create("spike_generator", params={"spike_times": EXC_TIMES})
    si = Create("spike_generator", params={"spike_times": INH_TIMES})
    mm = Create("multimeter", params={"interval": 0.1, "record_from": <all recordables>})
    sr = Create("spike_recorder")
    Connect(sc, n)                                             (weight 1, delay 1.0)
    Connect(se, n, syn_spec={"weight": W_EXC[MODEL], "delay": 1.0})
    Connect(si, n, syn_spec={"weight": W_INH[MODEL], "delay": 1.0})
    Connect(mm, n); Connect(n, sr)
    also t = Create("iaf_psc_exp"), Connect(n, t, syn_spec={"weight": 100.0, "delay": 1.0})
    and a multimeter on t's I_syn_ex (what n's spikes deliver: iaf_tum_2000 scales them).
    Simulate(300.0)
    keys: MODEL__spike_times, MODEL__times, MODEL__<recordable>, MODEL__target_I_syn_ex.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

MODELS = [
    "izhikevich",
    "mat2_psc_exp",
    "amat2_psc_exp",
    "iaf_tum_2000",
    "iaf_psc_exp_htum",
    "ignore_and_fire",
    "pp_psc_delta",
    "gif_psc_exp",
]
RAMP_TIMES = [40.0, 90.0, 140.0, 190.0, 240.0]
RAMP = {m: [150.0, 300.0, 450.0, 700.0, 0.0] for m in MODELS}
RAMP["izhikevich"] = [3.0, 6.0, 10.0, 15.0, 0.0]
RAMP["iaf_tum_2000"] = [300.0, 450.0, 600.0, 800.0, 0.0]
RAMP["iaf_psc_exp_htum"] = [300.0, 450.0, 600.0, 800.0, 0.0]
RAMP["pp_psc_delta"] = [100.0, 200.0, 300.0, 400.0, 0.0]
RAMP["gif_psc_exp"] = [20.0, 40.0, 60.0, 80.0, 0.0]
W_EXC = {m: 400.0 for m in MODELS}
W_INH = {m: -500.0 for m in MODELS}
W_EXC.update({"izhikevich": 2.0, "pp_psc_delta": 2.0, "gif_psc_exp": 100.0})
W_INH.update({"izhikevich": -2.5, "pp_psc_delta": -2.5, "gif_psc_exp": -120.0})
PARAMS = {m: {} for m in MODELS}
PARAMS["amat2_psc_exp"] = {"beta": 0.3, "tau_v": 4.0, "alpha_2": 1.5}
PARAMS["iaf_psc_exp_htum"] = {"t_ref_abs": 2.0, "t_ref_tot": 5.0}
PARAMS["iaf_tum_2000"] = {"U": 0.3, "tau_fac": 50.0, "tau_rec": 100.0}
PARAMS["ignore_and_fire"] = {"rate": 37.0, "phase": 0.3}
# No spikes (c_1 = c_2 = 0): the deterministic membrane and the E_sfa kernel.
PARAMS["pp_psc_delta"] = {"c_1": 0.0, "c_2": 0.0, "tau_sfa": [30.0, 200.0], "q_sfa": [3.0, 1.0]}
# No spikes (lambda_0 = 0): the deterministic membrane, synapses and kernels.
PARAMS["gif_psc_exp"] = {"lambda_0": 0.0, "tau_sfa": [40.0], "q_sfa": [5.0], "tau_stc": [20.0], "q_stc": [10.0]}
# Extra runs of the protocol: name -> (model, params); their keys in the npz use the name.
VARIANTS = {
    "izhikevich_euler": ("izhikevich", {"consistent_integration": False}),
    "izhikevich_vmin": ("izhikevich", {"V_min": -68.0, "U_m": -10.0}),
    "iaf_psc_exp_htum_set": ("iaf_psc_exp_htum", {"E_L": -60.0, "V_m": -62.0, "t_ref_abs": 1.0, "t_ref_tot": 1.5}),
    "mat2_psc_exp_fast": ("mat2_psc_exp", {"alpha_1": 2.0, "alpha_2": 0.5, "t_ref": 1.0}),
    # Rates so high that a spike comes with probability 1 whenever the dead time or
    # refractory period allows: deterministic spikes, adaptation and resets.
    "pp_psc_delta_forced": ("pp_psc_delta", {"c_1": 0.0, "c_2": 1e12, "c_3": 0.0, "dead_time": 4.0,
                                             "tau_sfa": [30.0, 200.0], "q_sfa": [3.0, 1.0]}),
    "gif_psc_exp_forced": ("gif_psc_exp", {"lambda_0": 1e12, "Delta_V": 1000.0, "t_ref": 3.0, "tau_sfa": [40.0],
                                           "q_sfa": [5.0], "tau_stc": [20.0, 7.0], "q_stc": [10.0, -4.0]}),
}  # fmt: skip
# amat2_psc_exp created with the first, then set with the second; V_th read after each.
THRESHOLD_PARTS = [{"V_th_alpha_1": 2.0, "V_th_v": 1.0, "E_L": -60.0}, {"omega": -50.0}]
# Status entries read back after the protocol (those the model has).
FINAL_KEYS = [
    "V_m",
    "E_sfa",
    "I_stc",
    "t_ref_remaining",
    "U_m",
    "V_th",
    "V_th_alpha_1",
    "V_th_alpha_2",
    "V_th_v",
    "x",
    "y",
    "u",
    "t_spike",
]
EXC_TIMES = sorted([float(t) for t in np.round(np.arange(5.0, 300.0, 7.3), 1)] + [60.0, 60.0, 60.1])
INH_TIMES = [float(t) for t in np.round(np.arange(3.0, 300.0, 11.9), 1)]

# Statistics of the stochastic models: STAT_N neurons for STAT_T ms per seed.
SEEDS = list(range(1, 11))
STAT_N = 200
STAT_T = 1000.0
STAT_PARAMS = {
    "pp_psc_delta": [
        {"I_e": 100.0, "tau_sfa": [100.0], "q_sfa": [2.0]},
        {"I_e": 50.0, "dead_time": 0.0, "c_1": 1.0, "c_3": 0.5},
        {"I_e": 100.0, "dead_time": 3.0, "dead_time_random": True, "dead_time_shape": 3, "with_reset": False},
    ],
    "gif_psc_exp": [
        {"I_e": 150.0, "tau_sfa": [100.0], "q_sfa": [5.0], "tau_stc": [20.0], "q_stc": [20.0]},
        {"I_e": 200.0, "lambda_0": 2.0, "Delta_V": 2.0, "t_ref": 2.0},
    ],
}

BAD = {
    "izhikevich": {},
    "mat2_psc_exp": {"C_m": -1.0, "tau_m": 0.0, "tau_syn_ex": -1.0, "tau_1": 0.0, "tau_2": -1.0, "t_ref": 0.0},
    "amat2_psc_exp": {
        "C_m": 0.0,
        "tau_m": -1.0,
        "tau_syn_in": 0.0,
        "tau_1": -1.0,
        "tau_v": 0.0,
        "t_ref": -1.0,
        "tau_m__tau_v": [5.0, 5.0],
    },
    "iaf_tum_2000": {
        "C_m": -1.0,
        "tau_m": 0.0,
        "tau_syn_ex": 0.0,
        "t_ref": -1.0,
        "V_reset": -50.0,
        "U": 1.5,
        "tau_psc": 0.0,
        "tau_rec": -1.0,
        "tau_fac": -1.0,
    },  # fmt: skip
    "iaf_psc_exp_htum": {
        "C_m": -1.0,
        "tau_m": 0.0,
        "tau_syn_in": -1.0,
        "t_ref_abs": -1.0,
        "t_ref_tot": 1.0,
        "V_reset": -50.0,
    },  # fmt: skip
    "ignore_and_fire": {"rate": -1.0, "phase": 0.0, "phase__": 1.5},
    "pp_psc_delta": {
        "C_m": 0.0,
        "tau_m": -1.0,
        "dead_time": -1.0,
        "dead_time_shape": 0,
        "c_3": -1.0,
        "c_1": -1.0,
        "c_2": -1.0,
        "tau_sfa": [0.0],
        "q_sfa": [1.0],
    },  # fmt: skip
    "gif_psc_exp": {
        "C_m": 0.0,
        "g_L": 0.0,
        "t_ref": -1.0,
        "Delta_V": 0.0,
        "lambda_0": -1.0,
        "tau_syn_ex": 0.0,
        "tau_sfa": [0.0],
        "q_sfa": [1.0],
        "tau_stc": [-1.0],
        "q_stc": [1.0, 2.0],
    },  # fmt: skip
}


def bad_settings(model):
    """The settings BAD[model] lists: ``a__b`` sets a and b to the two values; ``a__``
    sets a again (a second bad value); a lone ``q_*`` list comes with its tau of length 0."""
    out = []
    for key, value in BAD[model].items():
        if "__" in key:
            a, b = key.split("__")
            out.append((key, {a: value[0], b: value[1]} if b else {a: value}))
        else:
            out.append((key, {key: value}))
    return out


def _isi_stats(times, senders, n):
    isis = []
    for s in np.unique(senders):
        t = np.sort(times[senders == s])
        isis.append(np.diff(t))
    isis = np.concatenate(isis) if isis else np.zeros(0)
    if len(isis) < 2:
        return 0.0, 0.0
    return float(isis.mean()), float(isis.std() / isis.mean())


def _run(nest, case, model, params, defaults, out, arrays):
    """The protocol of the docstring for one case; arrays under ``case``."""
    nest.ResetKernel()
    n = nest.Create(model, params=params)
    sc = nest.Create("step_current_generator", params={"amplitude_times": RAMP_TIMES, "amplitude_values": RAMP[model]})
    se = nest.Create("spike_generator", params={"spike_times": EXC_TIMES})
    si = nest.Create("spike_generator", params={"spike_times": INH_TIMES})
    rec = list(defaults["recordables"])
    sr = nest.Create("spike_recorder")
    tgt = nest.Create("iaf_psc_exp")
    mt = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["I_syn_ex"]})
    nest.Connect(sc, n)
    nest.Connect(se, n, syn_spec={"weight": W_EXC[model], "delay": 1.0})
    nest.Connect(si, n, syn_spec={"weight": W_INH[model], "delay": 1.0})
    if rec:
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
        nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Connect(n, tgt, syn_spec={"weight": 100.0, "delay": 1.0})
    nest.Connect(mt, tgt)
    nest.Simulate(300.0)
    arrays[f"{case}__spike_times"] = sr.get("events")["times"]
    arrays[f"{case}__target_I_syn_ex"] = mt.get("events")["I_syn_ex"]
    if rec:
        ev = mm.get("events")
        arrays[f"{case}__times"] = ev["times"]
        for r in rec:
            arrays[f"{case}__{r}"] = ev[r]
    print(case, len(arrays[f"{case}__spike_times"]), "spikes")
    out["final"][case] = {k: n.get(k) for k in FINAL_KEYS if k in defaults}


def main():
    import nest

    _common.quiet(nest)
    out = {"defaults": {}, "errors": {}, "protocol": {}, "stats": {}, "final": {}}
    arrays = {"RAMP_TIMES": RAMP_TIMES, "EXC_TIMES": EXC_TIMES, "INH_TIMES": INH_TIMES}
    for model in MODELS:
        nest.ResetKernel()
        out["defaults"][model] = nest.GetDefaults(model)
    cases = [(m, m, PARAMS[m]) for m in MODELS] + [(k, m, p) for k, (m, p) in VARIANTS.items()]
    for case, model, params in cases:
        defaults = out["defaults"][model]
        if case != model:
            out["protocol"][case] = {"model": model, "params": params, "ramp": RAMP[model], "w_exc": W_EXC[model],
                                     "w_inh": W_INH[model]}  # fmt: skip
            _run(nest, case, model, params, defaults, out, arrays)
            continue
        errs = {}
        for key, setting in bad_settings(model):
            nest.ResetKernel()
            node = nest.Create(model)
            try:
                node.set(setting)
                errs[key] = None
            except nest.NESTError as e:
                errs[key] = [type(e).__name__, str(e)]
        out["errors"][model] = {"settings": dict(bad_settings(model)), "raised": errs}
        out["protocol"][model] = {"model": model, "params": PARAMS[model], "ramp": RAMP[model], "w_exc": W_EXC[model],
                                  "w_inh": W_INH[model]}  # fmt: skip
        _run(nest, model, model, PARAMS[model], defaults, out, arrays)

    # The threshold shown after setting its parts (no simulation).
    nest.ResetKernel()
    n = nest.Create("amat2_psc_exp", params=THRESHOLD_PARTS[0])
    shown = [n.V_th]
    n.set(THRESHOLD_PARTS[1])
    out["threshold_status"] = {"settings": THRESHOLD_PARTS, "V_th": shown + [n.V_th]}

    for model, settings in STAT_PARAMS.items():
        out["stats"][model] = []
        for params in settings:
            rows = []
            for seed in SEEDS:
                nest.ResetKernel()
                nest.rng_seed = seed
                pop = nest.Create(model, STAT_N, params=params)
                sr = nest.Create("spike_recorder")
                nest.Connect(pop, sr)
                nest.Simulate(STAT_T)
                ev = sr.get("events")
                mean_isi, cv = _isi_stats(ev["times"], ev["senders"], STAT_N)
                rows.append({"count": int(len(ev["times"])), "mean_isi": mean_isi, "cv": cv})
            out["stats"][model].append({"params": params, "per_seed": rows})
            print(model, params, [r["count"] for r in rows])
    out["stat_n"], out["stat_t"], out["seeds"] = STAT_N, STAT_T, SEEDS
    _common.write_json("exact_models.json", out)
    _common.write_npz("exact_models.npz", arrays)


if __name__ == "__main__":
    main()
