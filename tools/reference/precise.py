"""Precise spike timing in real NEST 3.10: spikes off the grid, precise models, defaults.

Every protocol starts with ResetKernel, resolution 0.1 ms.

1. ``GetDefaults`` of iaf_psc_alpha_ps, iaf_psc_exp_ps, iaf_psc_delta_ps, parrot_neuron_ps,
   poisson_generator_ps and spike_generator -> precise.json "defaults".

2. Offsets through the register and the recorders (key prefix ``reg__``):
       sgp = Create("spike_generator", {"spike_times": TIMES, "precise_times": True})
       sgg = Create("spike_generator", {"spike_times": [1.0, 2.0, 7.3]})
       pps = Create("parrot_neuron_ps"); par = Create("parrot_neuron")
       Connect(sgp, pps, delay 1.0); Connect(sgg, pps, delay 1.5)
       Connect(sgp, par, delay 1.0); Connect(sgg, par, delay 1.0)
       sr_ms = Create("spike_recorder"); sr_st = Create("spike_recorder", {"time_in_steps": True})
       Connect(sgp + sgg + pps + par, sr_ms); same for sr_st
       Simulate(10.0)
   TIMES = [0.1, 1.03, 2.0, 2.55, 3.33333, 4.0000000001, 4.1 - 1e-12, 5.0999999,
            5.1, 6.10000000000001, 7.3]
   Keys: reg__ms_senders, reg__ms_times, reg__st_senders, reg__st_times, reg__st_offsets,
   reg__t_spike_pps (t_spike of the parrot_ps).

   Edge times (prefix ``edge__``): one precise spike_generator with ``edge_times()`` (grid
   points 0.7, 1.1, 2.3, 3.3, 5.1, 7.7, 9.1 ms, each also shifted by -1e-13, -1e-14,
   -2e-15, +2e-15, +1e-14, +1e-13 ms and by one ulp either way) into a spike_recorder with
   time_in_steps; Simulate(12.0). Keys edge__times, edge__offsets.

   Off-grid times rounded (prefix ``offgrid__``): spike_generator with ``OFFGRID`` and
   allow_offgrid_times True into a spike_recorder; Simulate(5.0). Keys offgrid__spike_times
   (as stored), offgrid__times (recorded).

   Refractory periods off the grid (prefix ``tref__``): for each neuron model and t_ref in
   0.05, 0.15, 0.2 ms, one neuron with I_e 1e5 pA, V_reset -56 mV into a spike_recorder;
   Simulate(5.0). Keys tref__<model>__<t_ref>: spike times.

3. Single precise neurons (prefix ``<model>__``), for each of the three models:
       n = Create(model, 3, params=P[model])        (three parameter sets, below)
       sgp = spike_generator, precise_times, 80 times drawn uniformly in [0.5, 150)
             (numpy default_rng(7), rounded to 1e-6 ms), weight +W, delay 1.0
       sgi = spike_generator, precise_times, 40 times from default_rng(8) in [0.5, 150)
             (rounded to 1e-6), weight -W/2, delay 1.3
       sgg = spike_generator [20.0, 40.5, 41.0, 90.0] (grid), weight W, delay 1.0
       sgs = spike_generator, precise_times, [60.25, 60.25] (two spikes at one time), weight W, delay 1.0
       dc = dc_generator amplitude 80 pA, start 100, stop 130; Connect(dc, n)
       Connect(sgp + sgi + sgg + sgs, n) with those weights and delays (all_to_all)
       chain: m = Create(model) with the same parameters as n[2];
              Connect(n[0], m, weight 2 * W, delay 0.7)  (a precise spike to a precise neuron)
       grid = Create("iaf_psc_exp"); Connect(n[0], grid, weight 300, delay 1.0) (grid target)
       mm = multimeter on n + m + grid, record_from = the model's recordables, interval 0.1
       sr = spike_recorder, time_in_steps True, on n + m + grid
       Simulate(200.0)
   Keys: <model>__mm_senders, __mm_times, __mm_<recordable>, __sr_senders, __sr_times,
   __sr_offsets, __t_spike, __V_m (after the run), __I_syn (exp/alpha: I_syn_ex, I_syn_in).
   W: delta 2.5 mV, exp 450 pA, alpha 250 pA. P[model]: I_e 0/300/370 pA-ish, see PARAMS.

   Resumed runs (prefix ``resume__<model>__``): n = Create(model, 2, I_e 360 pA); a precise
   spike_generator with times(9, 60) into both (weight W, delay 3.3); multimeter V_m
   every 0.1 ms and spike_recorder (time_in_steps). Simulate 2.5 and 7.5 ms alternately,
   eight calls; is_refractory of both; then n[1].set(V_m -60, E_L -65, and I_syn_ex 100 pA
   for exp only: alpha refuses it); Simulate(110.0). Keys __is_refractory, __V_m, __times, __offsets.

   At resolution 0.05 ms (prefix ``fine__``): protocol 3's spikes, t_spike and V_m, and the
   edge times.

4. ``GetKernelStatus("off_grid_spiking")`` before and after creating one node of
   iaf_psc_alpha, spike_generator (precise_times), and each precise model -> precise.json
   "off_grid_spiking".

5. poisson_generator_ps statistics (prefix ``pois__``), for dead_time 0 and 5 ms:
       pg = Create("poisson_generator_ps", {"rate": 100, "dead_time": D, "start": 100, "stop": 5100})
       pp = Create("parrot_neuron_ps", 200); Connect(pg, pp); sr on pp; Simulate(6000)
   Keys pois__<D>: rate per target, CV of the intervals, shortest interval, first and last
   spike time (spikes arrive 1 ms after they are drawn).
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

MODELS = ["iaf_psc_alpha_ps", "iaf_psc_exp_ps", "iaf_psc_delta_ps", "parrot_neuron_ps", "poisson_generator_ps"]
TIMES = [0.1, 1.03, 2.0, 2.55, 3.33333, 4.0000000001, 4.1 - 1e-12, 5.0999999, 5.1, 6.10000000000001, 7.3]
WEIGHT = {"iaf_psc_delta_ps": 2.5, "iaf_psc_exp_ps": 450.0, "iaf_psc_alpha_ps": 250.0}
PARAMS = {
    "iaf_psc_delta_ps": {"I_e": [0.0, 330.0, 376.0], "tau_m": [10.0, 12.0, 8.0], "V_min": [-1e300, -1e300, -72.0]},
    "iaf_psc_exp_ps": {"I_e": [0.0, 300.0, 360.0], "tau_syn_ex": [2.0, 0.5, 10.0], "tau_syn_in": [2.0, 5.0, 10.0]},
    "iaf_psc_alpha_ps": {"I_e": [0.0, 300.0, 360.0], "tau_syn_ex": [2.0, 0.5, 10.0], "tau_syn_in": [2.0, 5.0, 10.0]},
}


def times(seed, n):
    return np.round(np.sort(np.random.default_rng(seed).uniform(0.5, 150.0, n)), 6)


def defaults(nest):
    return {m: nest.GetDefaults(m) for m in MODELS + ["spike_generator"]}


def register(nest, out):
    nest.ResetKernel()
    nest.resolution = 0.1
    sgp = nest.Create("spike_generator", params={"spike_times": TIMES, "precise_times": True})
    sgg = nest.Create("spike_generator", params={"spike_times": [1.0, 2.0, 7.3]})
    pps = nest.Create("parrot_neuron_ps")
    par = nest.Create("parrot_neuron")
    nest.Connect(sgp, pps, syn_spec={"delay": 1.0})
    nest.Connect(sgg, pps, syn_spec={"delay": 1.5})
    nest.Connect(sgp, par, syn_spec={"delay": 1.0})
    nest.Connect(sgg, par, syn_spec={"delay": 1.0})
    sr_ms = nest.Create("spike_recorder")
    sr_st = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(sgp + sgg + pps + par, sr_ms)
    nest.Connect(sgp + sgg + pps + par, sr_st)
    nest.Simulate(10.0)
    e, s = sr_ms.events, sr_st.events
    out["reg__ms_senders"], out["reg__ms_times"] = e["senders"], e["times"]
    out["reg__st_senders"], out["reg__st_times"], out["reg__st_offsets"] = s["senders"], s["times"], s["offsets"]
    out["reg__t_spike_pps"] = pps.t_spike


def edge_times():
    """Times at and next to grid points (a few ulps, 1e-14, 1e-13 ms either side)."""
    ts = []
    for b in (0.7, 1.1, 2.3, 3.3, 5.1, 7.7, 9.1):
        ts += [b + d for d in (-1e-13, -1e-14, -2e-15, 0.0, 2e-15, 1e-14, 1e-13)]
        ts += [float(np.nextafter(b, 0)), float(np.nextafter(b, 10))]
    return sorted(ts)


def edges(nest, out, resolution=0.1):
    nest.ResetKernel()
    nest.resolution = resolution
    sg = nest.Create("spike_generator", params={"spike_times": edge_times(), "precise_times": True})
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(sg, sr)
    nest.Simulate(12.0)
    out["edge__times"], out["edge__offsets"] = sr.events["times"], sr.events["offsets"]


OFFGRID = [1.01, 1.05, 1.09, 2.0, 2.0000001, 3.1 - 1e-12]


def offgrid(nest, out):
    nest.ResetKernel()
    nest.resolution = 0.1
    sg = nest.Create("spike_generator", params={"spike_times": OFFGRID, "allow_offgrid_times": True})
    sr = nest.Create("spike_recorder")
    nest.Connect(sg, sr)
    nest.Simulate(5.0)
    out["offgrid__spike_times"], out["offgrid__times"] = sg.spike_times, sr.events["times"]


def refractory(nest, out):
    for model in WEIGHT:
        for t_ref in (0.05, 0.15, 0.2):
            nest.ResetKernel()
            nest.resolution = 0.1
            n = nest.Create(model, params={"t_ref": t_ref, "I_e": 1e5, "V_reset": -56.0})
            sr = nest.Create("spike_recorder")
            nest.Connect(n, sr)
            nest.Simulate(5.0)
            out[f"tref__{model}__{t_ref}"] = sr.events["times"]


def off_grid_spiking(nest):
    """The kernel's off_grid_spiking before and after creating each kind of node."""
    out = {}
    for model, params in (
        (("iaf_psc_alpha", {}), ("spike_generator", {"precise_times": True}))
        + tuple((m, {}) for m in MODELS if m != "poisson_generator_ps")
        + (("poisson_generator_ps", {}),)
    ):
        nest.ResetKernel()
        before = nest.GetKernelStatus("off_grid_spiking")
        nest.Create(model, params=params)
        out[model] = [before, nest.GetKernelStatus("off_grid_spiking")]
    return out


def resume(nest, model, out):
    """Two Simulate calls of uneven lengths, with the state set in between."""
    nest.ResetKernel()
    nest.resolution = 0.1
    n = nest.Create(model, 2, params={"I_e": 360.0})
    sg = nest.Create("spike_generator", params={"spike_times": times(9, 60), "precise_times": True})
    nest.Connect(sg, n, syn_spec={"weight": WEIGHT[model], "delay": 3.3})
    mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(mm, n)
    nest.Connect(n, sr)
    for k in range(8):
        nest.Simulate(7.5 if k % 2 else 2.5)
    out[f"resume__{model}__is_refractory"] = n.get("is_refractory")
    state = {"V_m": -60.0, "E_L": -65.0}
    if model == "iaf_psc_exp_ps":
        state["I_syn_ex"] = 100.0  # the only precise model that takes its synaptic state
    n[1].set(state)
    nest.Simulate(110.0)
    p = f"resume__{model}__"
    out[p + "V_m"] = mm.events["V_m"]
    out[p + "times"], out[p + "offsets"] = sr.events["times"], sr.events["offsets"]


def neurons(nest, model, out, resolution=0.1):
    nest.ResetKernel()
    nest.resolution = resolution
    w = WEIGHT[model]
    params = PARAMS[model]
    n = nest.Create(model, 3, params=params)
    sgp = nest.Create("spike_generator", params={"spike_times": times(7, 80), "precise_times": True})
    sgi = nest.Create("spike_generator", params={"spike_times": times(8, 40), "precise_times": True})
    sgg = nest.Create("spike_generator", params={"spike_times": [20.0, 40.5, 41.0, 90.0]})
    sgs = nest.Create("spike_generator", params={"spike_times": [60.25, 60.25], "precise_times": True})
    dc = nest.Create("dc_generator", params={"amplitude": 80.0, "start": 100.0, "stop": 130.0})
    nest.Connect(sgp, n, syn_spec={"weight": w, "delay": 1.0})
    nest.Connect(sgi, n, syn_spec={"weight": -w / 2, "delay": 1.3})
    nest.Connect(sgg, n, syn_spec={"weight": w, "delay": 1.0})
    nest.Connect(sgs, n, syn_spec={"weight": w, "delay": 1.0})
    nest.Connect(dc, n)
    m = nest.Create(model, params={k: v[2] for k, v in params.items()})
    nest.Connect(n[0], m, syn_spec={"weight": 2 * w, "delay": 0.7})
    grid = nest.Create("iaf_psc_exp")
    nest.Connect(n[0], grid, syn_spec={"weight": 300.0, "delay": 1.0})
    rec = list(nest.GetDefaults(model, "recordables"))
    mm = nest.Create("multimeter", params={"record_from": rec, "interval": 0.1})
    nest.Connect(mm, n + m + grid)
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(n + m + grid, sr)
    nest.Simulate(200.0)
    e = mm.events
    p = model + "__"
    out[p + "mm_senders"], out[p + "mm_times"] = e["senders"], e["times"]
    for r in rec:
        out[p + "mm_" + r] = e[r]
    s = sr.events
    out[p + "sr_senders"], out[p + "sr_times"], out[p + "sr_offsets"] = s["senders"], s["times"], s["offsets"]
    out[p + "t_spike"] = (n + m).get("t_spike")
    out[p + "V_m"] = (n + m).get("V_m")
    if model != "iaf_psc_delta_ps":
        out[p + "I_syn"] = np.array([(n + m).get("I_syn_ex"), (n + m).get("I_syn_in")])


def poisson(nest, dead):
    nest.ResetKernel()
    pg = nest.Create("poisson_generator_ps", params={"rate": 100.0, "dead_time": dead, "start": 100.0, "stop": 5100.0})
    pp = nest.Create("parrot_neuron_ps", 200)
    sr = nest.Create("spike_recorder")
    nest.Connect(pg, pp)
    nest.Connect(pp, sr)
    nest.Simulate(6000.0)
    return poisson_stats(sr.events, 200, 5000.0)


def poisson_stats(events, n_targets, duration):
    """Rate per target (1/s), CV and shortest of the intervals, first and last spike time."""
    t, s = events["times"], events["senders"]
    isis = np.concatenate([np.diff(np.sort(t[s == g])) for g in np.unique(s)])
    return {
        "rate": len(t) / n_targets / (duration / 1000.0),
        "cv": float(isis.std() / isis.mean()),
        "min_isi": float(isis.min()),
        "t_first": float(t.min()),
        "t_last": float(t.max()),
    }


FINE_KEYS = ("sr_senders", "sr_times", "sr_offsets", "t_spike", "V_m")


def fine(nest, out, resolution=0.05):
    """The neuron protocols' spikes and final V_m, and the edge times, at a finer resolution."""
    for model in WEIGHT:
        full = {}
        neurons(nest, model, full, resolution)
        for key in FINE_KEYS:
            out[f"fine__{model}__{key}"] = full[f"{model}__{key}"]
    full = {}
    edges(nest, full, resolution)
    for key, value in full.items():
        out["fine__" + key] = value


def main():
    import nest

    _common.quiet(nest)
    out = {}
    register(nest, out)
    edges(nest, out)
    offgrid(nest, out)
    refractory(nest, out)
    for model in WEIGHT:
        neurons(nest, model, out)
        resume(nest, model, out)
    fine(nest, out)
    _common.write_npz("precise.npz", out)
    _common.write_json(
        "precise.json",
        {
            "defaults": defaults(nest),
            "pois": {str(d): poisson(nest, d) for d in (0.0, 5.0)},
            "off_grid_spiking": off_grid_spiking(nest),
        },
    )


if __name__ == "__main__":
    main()
