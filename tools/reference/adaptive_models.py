"""Adaptive-step neuron models of real NEST 3.10 -> tests/reference/adaptive_models.{npz,json}

Models: every name in MODELS below (conductance-based, AdEx and Hodgkin-Huxley neurons
NEST integrates with GSL's adaptive Runge-Kutta-Fehlberg 4(5)).

adaptive_models.json
    ``defaults[MODEL]``: ``nest.GetDefaults(MODEL)`` right after ``ResetKernel()``.
    ``errors[MODEL]``: for each bad value in BAD (applied with ``node.set`` on a fresh
    node), ``[class name, message]`` of what NEST raised, or ``None`` if it accepted it.

adaptive_models.npz -- per MODEL, after ``ResetKernel()`` (resolution 0.1 ms):
    n  = Create(MODEL, params=PARAMS.get(MODEL, {}))
    sc = Create("step_current_generator",
                params={"amplitude_times": RAMP_TIMES, "amplitude_values": RAMP[MODEL]})
    se = Create("spike_generator", params={"spike_times": EXC_TIMES})
    si = Create("spike_generator", params={"spike_times": INH_TIMES})
    mm = Create("multimeter", params={"interval": 0.1, "record_from": <all recordables>})
    sr = Create("spike_recorder")
    Connect(sc, n)                                             (weight 1, delay 1.0)
    Connect(se, n, syn_spec={"weight": W_EXC[kind], "delay": 1.0})
    Connect(si, n, syn_spec={"weight": W_INH[kind], "delay": 1.0})
    Connect(mm, n); Connect(n, sr); Simulate(300.0)
    keys: MODEL__spike_times, MODEL__times, MODEL__<recordable> for each recordable;
    also RAMP_TIMES, EXC_TIMES, INH_TIMES and MODEL__ramp.
``kind`` is "cond" (weights in nS), "psc" (pA) or "delta" (mV), see KIND.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

MODELS = [
    "iaf_cond_exp",
    "iaf_cond_alpha",
    "iaf_cond_beta",
    "iaf_cond_exp_sfa_rr",
    "aeif_cond_alpha",
    "aeif_cond_exp",
    "aeif_psc_alpha",
    "aeif_psc_exp",
    "aeif_psc_delta",
    "hh_psc_alpha",
    "hh_cond_exp_traub",
    "hh_cond_beta_gap_traub",
]
KIND = {m: ("delta" if m.endswith("delta") else "psc" if "psc" in m else "cond") for m in MODELS}
W_EXC = {"cond": 6.0, "psc": 400.0, "delta": 2.0}
W_INH = {"cond": -12.0, "psc": -500.0, "delta": -2.5}
RAMP_TIMES = [40.0, 90.0, 140.0, 190.0, 240.0]
RAMP = {m: [150.0, 300.0, 450.0, 700.0, 0.0] for m in MODELS}
RAMP.update({m: [400.0, 700.0, 1000.0, 1400.0, 0.0] for m in MODELS if m.startswith("aeif")})
RAMP["iaf_cond_exp_sfa_rr"] = [300.0, 600.0, 900.0, 1200.0, 0.0]
RAMP["hh_psc_alpha"] = [100.0, 250.0, 500.0, 800.0, 0.0]
RAMP["hh_cond_exp_traub"] = [100.0, 250.0, 500.0, 800.0, 0.0]
RAMP["hh_cond_beta_gap_traub"] = [100.0, 250.0, 500.0, 800.0, 0.0]
# Two refractory settings and an adaptation that shows within 300 ms.
PARAMS = {"aeif_cond_alpha": {"t_ref": 1.5}, "aeif_psc_exp": {"t_ref": 2.0}, "aeif_psc_delta": {"t_ref": 1.0}}
EXC_TIMES = [float(t) for t in np.round(np.arange(5.0, 300.0, 7.3), 1)] + [60.0, 60.0, 60.1]
EXC_TIMES = sorted(EXC_TIMES)
INH_TIMES = [float(t) for t in np.round(np.arange(3.0, 300.0, 11.9), 1)]

BAD = {
    "C_m": -1.0,
    "t_ref": -1.0,
    "tau_syn_ex": -1.0,
    "tau_syn_in": 0.0,
    "tau_w": -1.0,
    "tau_rise_ex": 0.0,
    "tau_decay_in": -2.0,
    "tau_sfa": 0.0,
    "tau_rr": -1.0,
    "Delta_T": -1.0,
    "gsl_error_tol": 0.0,
    "V_reset": 100.0,
    "V_peak": -200.0,
    "V_th": 50.0,
    "g_L": -1.0,
}


def main():
    import nest

    _common.quiet(nest)
    out = {"defaults": {}, "errors": {}}
    arrays = {"RAMP_TIMES": RAMP_TIMES, "EXC_TIMES": EXC_TIMES, "INH_TIMES": INH_TIMES}
    for model in MODELS:
        nest.ResetKernel()
        defaults = nest.GetDefaults(model)
        out["defaults"][model] = defaults
        errs = {}
        for key, value in BAD.items():
            if key not in defaults:
                continue
            nest.ResetKernel()
            node = nest.Create(model)
            try:
                node.set({key: value})
                errs[key] = None
            except nest.NESTError as e:
                errs[key] = [type(e).__name__, str(e)]
        out["errors"][model] = errs

        nest.ResetKernel()
        kind = KIND[model]
        n = nest.Create(model, params=PARAMS.get(model, {}))
        sc = nest.Create(
            "step_current_generator", params={"amplitude_times": RAMP_TIMES, "amplitude_values": RAMP[model]}
        )
        se = nest.Create("spike_generator", params={"spike_times": EXC_TIMES})
        si = nest.Create("spike_generator", params={"spike_times": INH_TIMES})
        rec = list(defaults["recordables"])
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
        sr = nest.Create("spike_recorder")
        nest.Connect(sc, n)
        nest.Connect(se, n, syn_spec={"weight": W_EXC[kind], "delay": 1.0})
        nest.Connect(si, n, syn_spec={"weight": W_INH[kind], "delay": 1.0})
        nest.Connect(mm, n)
        nest.Connect(n, sr)
        nest.Simulate(300.0)
        ev = mm.get("events")
        arrays[f"{model}__spike_times"] = sr.get("events")["times"]
        arrays[f"{model}__times"] = ev["times"]
        arrays[f"{model}__ramp"] = RAMP[model]
        for r in rec:
            arrays[f"{model}__{r}"] = ev[r]
        print(model, len(arrays[f"{model}__spike_times"]), "spikes")
    _common.write_json("adaptive_models.json", out)
    _common.write_npz("adaptive_models.npz", arrays)


if __name__ == "__main__":
    main()
