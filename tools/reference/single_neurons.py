"""Single-neuron reference traces from real NEST 3.10.

Every protocol starts with ``nest.ResetKernel()``; kernel defaults otherwise
(resolution 0.1 ms, 1 thread, rng_seed left at its default unless stated).
All neuron parameters not mentioned are NEST defaults (iaf_psc_*: C_m=250 pF,
tau_m=10 ms, E_L=-70, V_reset=-70, V_th=-55 mV, t_ref=2 ms, tau_syn_*=2 ms,
V_m(0)=-70 mV).  Every ``Connect`` not given a syn_spec uses static_synapse,
weight 1.0, delay 1.0 ms.  Multimeters/spike_recorders are connected as
``Connect(mm, neuron)`` / ``Connect(neuron, sr)`` with default syn_spec.
Nodes are created in the order listed (node ids follow that order).
Recorded data = ``recorder.get("events")``.  NOTE (NEST behaviour): the
multimeter samples lying in the last min_delay slice of the run are not
delivered (here min_delay = 1.0 ms, so a 1000 ms run yields samples up to
999.0 ms; see facts.json).  Arrays are stored exactly as NEST returned them.

(a) one_neuron.npz
    n = Create("iaf_psc_alpha", params={"I_e": 376.0})
    mm_default = Create("multimeter", params={"record_from": ["V_m"]})   (interval 1.0)
    mm_01      = Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    sr = Create("spike_recorder")
    Connect(mm_default, n); Connect(mm_01, n); Connect(n, sr); Simulate(1000.0)
    keys: spike_times, mm_default_times, mm_default_V_m, mm_01_times, mm_01_V_m

(b) two_neurons.npz
    n1 = Create("iaf_psc_alpha", params={"I_e": 376.0})     (node id 1)
    n2 = Create("iaf_psc_alpha")                            (node id 2, I_e=0)
    Connect(n1, n2, syn_spec={"weight": 20.0, "delay": 1.0})
    mm = Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "I_syn_ex", "I_syn_in"]})
    Connect(mm, n2)
    sr1 = Create("spike_recorder"); sr2 = Create("spike_recorder")
    Connect(n1, sr1); Connect(n2, sr2); Simulate(1000.0)
    keys: n1_spike_times, n2_spike_times, mm_times, V_m, I_syn_ex, I_syn_in

(c) psc_inputs.npz -- for MODEL in iaf_psc_alpha, iaf_psc_exp, iaf_psc_delta
    (separate ResetKernel for each), keys prefixed "MODEL__":
    n = Create(MODEL, params={"I_e": 200.0})
    dc = Create("dc_generator", params={"amplitude": 190.0, "start": 50.0, "stop": 700.0})
    Connect(dc, n)                                   (delay 1.0, weight 1.0)
    Four spike_generators, created in this order, each
    Connect(sg, n, syn_spec={"weight": w, "delay": d}):
        sg_exc_d1  spike_times EXC_D1,  w = W_EXC[MODEL], d = 1.0
        sg_inh_d1  spike_times INH_D1,  w = W_INH[MODEL], d = 1.0
        sg_exc_d23 spike_times EXC_D23, w = W_EXC[MODEL], d = 2.3
        sg_inh_d23 spike_times INH_D23, w = W_INH[MODEL], d = 2.3
    (lists below; they contain duplicated times, bursts whose later spikes
    arrive while the neuron is refractory, coincident arrivals via both
    delays, and arrivals around the 300 ms boundary between the Simulate calls)
    W_EXC = {iaf_psc_alpha: 300.0, iaf_psc_exp: 300.0, iaf_psc_delta: 3.0}
    W_INH = {iaf_psc_alpha: -250.0, iaf_psc_exp: -250.0, iaf_psc_delta: -2.5}
    mm = Create("multimeter", params={"interval": 0.1, "record_from": <model recordables>})
      (alpha/exp: ["I_syn_ex", "I_syn_in", "V_m"]; delta: ["V_m"])
    sr = Create("spike_recorder")
    Connect(n, sr); Connect(mm, n)
    Simulate(300.0); Simulate(200.0)     (two calls, state continues)
    keys: MODEL__spike_times, MODEL__times, MODEL__V_m, and for alpha/exp
    MODEL__I_syn_ex, MODEL__I_syn_in; also EXC_D1, INH_D1, EXC_D23, INH_D23.
    The dc_generator stop (700 ms) is never reached in the 500 ms run.

(d) poisson_noise.npz -- for seed in 1..20:
    ResetKernel(); nest.rng_seed = seed
    n = Create("iaf_psc_alpha")                              (I_e = 0)
    pe = Create("poisson_generator", params={"rate": 80000.0})
    pi = Create("poisson_generator", params={"rate": 15000.0})
    Connect(pe, n, syn_spec={"weight": 1.2}); Connect(pi, n, syn_spec={"weight": -2.0})  (delay 1.0)
    mm = Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]}); Connect(mm, n)
    sr = Create("spike_recorder"); Connect(n, sr)
    Simulate(1000.0)
    Stats use the multimeter samples with time > 100.0 ms (i.e. 100.1 .. 999.0):
    keys: seeds, V_m_mean, V_m_std (population std, ddof=0), n_samples,
          spike_count (all spikes in 0..1000 ms),
          seed1_times, seed1_V_m (whole trace of seed 1), seed1_spike_times

(e) generators.npz
    Run 1 (deterministic, one kernel):
      n_ac = Create("iaf_psc_alpha"); ac = Create("ac_generator", params={
          "amplitude": 50.0, "offset": 100.0, "frequency": 20.0, "phase": 30.0})
      n_step = Create("iaf_psc_alpha"); step = Create("step_current_generator", params={
          "amplitude_times": [10.0, 50.5, 120.0], "amplitude_values": [100.0, -50.0, 300.0]})
      Connect(ac, n_ac); Connect(step, n_step)             (delay 1.0)
      mm_ac, mm_step: multimeter interval 0.1 record_from ["V_m"] on each neuron
      gmm_ac, gmm_step: multimeter interval 0.1 record_from ["I"] on each generator
      Simulate(200.0)
      keys: ac__times, ac__V_m, ac__I_times, ac__I, step__times, step__V_m,
            step__I_times, step__I
    Run 2, for seed in 1..20: ResetKernel(); nest.rng_seed = seed
      n = Create("iaf_psc_alpha"); ng = Create("noise_generator", params={
          "mean": 0.0, "std": 100.0, "dt": 1.0}); Connect(ng, n)
      mm: interval 0.1 record_from ["V_m"] on n; gmm: interval 0.1 record_from ["I"] on ng
      Simulate(200.0)
      Stats over samples with time > 20.0 ms:
      keys: noise__seeds, noise__V_m_mean, noise__V_m_std, noise__I_mean, noise__I_std,
            noise__seed1_times, noise__seed1_V_m
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402

EXC_D1 = [
    10.0,
    20.0,
    20.0,
    20.4,
    20.8,
    21.2,
    21.6,
    22.0,
    22.4,
    99.3,
    150.0,
    150.0,
    150.2,
    150.4,
    150.6,
    151.0,
    298.5,
    298.7,
    299.0,
    299.2,
    299.5,
    299.9,
    300.0,
    330.0,
]
INH_D1 = [40.0, 40.0, 160.0, 250.0, 250.1, 400.0]
EXC_D23 = [20.0, 100.0, 100.0, 100.3, 100.6, 100.9, 101.2, 297.7, 298.0, 420.0, 420.0, 420.1]
INH_D23 = [22.0, 98.0, 150.0, 151.0, 420.0, 450.0]
W_EXC = {"iaf_psc_alpha": 300.0, "iaf_psc_exp": 300.0, "iaf_psc_delta": 3.0}
W_INH = {"iaf_psc_alpha": -250.0, "iaf_psc_exp": -250.0, "iaf_psc_delta": -2.5}


def one_neuron(nest):
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    mm_d = nest.Create("multimeter", params={"record_from": ["V_m"]})
    mm_01 = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm_d, n)
    nest.Connect(mm_01, n)
    nest.Connect(n, sr)
    nest.Simulate(1000.0)
    ed, e01 = mm_d.get("events"), mm_01.get("events")
    _common.write_npz(
        "one_neuron.npz",
        {
            "spike_times": sr.get("events")["times"],
            "mm_default_times": ed["times"],
            "mm_default_V_m": ed["V_m"],
            "mm_01_times": e01["times"],
            "mm_01_V_m": e01["V_m"],
        },
    )


def two_neurons(nest):
    nest.ResetKernel()
    n1 = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    n2 = nest.Create("iaf_psc_alpha")
    nest.Connect(n1, n2, syn_spec={"weight": 20.0, "delay": 1.0})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "I_syn_ex", "I_syn_in"]})
    nest.Connect(mm, n2)
    sr1 = nest.Create("spike_recorder")
    sr2 = nest.Create("spike_recorder")
    nest.Connect(n1, sr1)
    nest.Connect(n2, sr2)
    nest.Simulate(1000.0)
    e = mm.get("events")
    _common.write_npz(
        "two_neurons.npz",
        {
            "n1_spike_times": sr1.get("events")["times"],
            "n2_spike_times": sr2.get("events")["times"],
            "mm_times": e["times"],
            "V_m": e["V_m"],
            "I_syn_ex": e["I_syn_ex"],
            "I_syn_in": e["I_syn_in"],
        },
    )


def psc_inputs(nest):
    out = {"EXC_D1": EXC_D1, "INH_D1": INH_D1, "EXC_D23": EXC_D23, "INH_D23": INH_D23}
    for model in ("iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta"):
        nest.ResetKernel()
        n = nest.Create(model, params={"I_e": 200.0})
        dc = nest.Create("dc_generator", params={"amplitude": 190.0, "start": 50.0, "stop": 700.0})
        nest.Connect(dc, n)
        for times, w, d in (
            (EXC_D1, W_EXC[model], 1.0),
            (INH_D1, W_INH[model], 1.0),
            (EXC_D23, W_EXC[model], 2.3),
            (INH_D23, W_INH[model], 2.3),
        ):
            sg = nest.Create("spike_generator", params={"spike_times": times})
            nest.Connect(sg, n, syn_spec={"weight": w, "delay": d})
        recordables = list(nest.GetDefaults(model, "recordables"))
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": recordables})
        sr = nest.Create("spike_recorder")
        nest.Connect(n, sr)
        nest.Connect(mm, n)
        nest.Simulate(300.0)
        nest.Simulate(200.0)
        e = mm.get("events")
        out[model + "__spike_times"] = sr.get("events")["times"]
        out[model + "__times"] = e["times"]
        for r in recordables:
            out[model + "__" + r] = e[r]
        print(model, "spikes:", out[model + "__spike_times"])
    _common.write_npz("psc_inputs.npz", out)


def poisson_noise(nest):
    seeds = list(range(1, 21))
    means, stds, nsamp, counts = [], [], [], []
    extra = {}
    for seed in seeds:
        nest.ResetKernel()
        nest.rng_seed = seed
        n = nest.Create("iaf_psc_alpha")
        pe = nest.Create("poisson_generator", params={"rate": 80000.0})
        pi = nest.Create("poisson_generator", params={"rate": 15000.0})
        nest.Connect(pe, n, syn_spec={"weight": 1.2})
        nest.Connect(pi, n, syn_spec={"weight": -2.0})
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
        nest.Connect(mm, n)
        sr = nest.Create("spike_recorder")
        nest.Connect(n, sr)
        nest.Simulate(1000.0)
        e = mm.get("events")
        sel = e["times"] > 100.0
        v = e["V_m"][sel]
        means.append(v.mean())
        stds.append(v.std())
        nsamp.append(int(sel.sum()))
        st = sr.get("events")["times"]
        counts.append(len(st))
        if seed == 1:
            extra = {"seed1_times": e["times"], "seed1_V_m": e["V_m"], "seed1_spike_times": st}
    print(
        "poisson V_m mean %.4f+-%.4f, std %.4f, rate %.2f Hz"
        % (np.mean(means), np.std(means), np.mean(stds), np.mean(counts))
    )
    _common.write_npz(
        "poisson_noise.npz",
        dict(seeds=seeds, V_m_mean=means, V_m_std=stds, n_samples=nsamp, spike_count=counts, **extra),
    )


def generators(nest):
    out = {}
    nest.ResetKernel()
    n_ac = nest.Create("iaf_psc_alpha")
    ac = nest.Create("ac_generator", params={"amplitude": 50.0, "offset": 100.0, "frequency": 20.0, "phase": 30.0})
    n_step = nest.Create("iaf_psc_alpha")
    step = nest.Create(
        "step_current_generator",
        params={"amplitude_times": [10.0, 50.5, 120.0], "amplitude_values": [100.0, -50.0, 300.0]},
    )
    nest.Connect(ac, n_ac)
    nest.Connect(step, n_step)
    recs = {}
    for key, neuron, gen in (("ac", n_ac, ac), ("step", n_step, step)):
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
        gmm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["I"]})
        nest.Connect(mm, neuron)
        nest.Connect(gmm, gen)
        recs[key] = (mm, gmm)
    nest.Simulate(200.0)
    for key, (mm, gmm) in recs.items():
        e, g = mm.get("events"), gmm.get("events")
        out[key + "__times"] = e["times"]
        out[key + "__V_m"] = e["V_m"]
        out[key + "__I_times"] = g["times"]
        out[key + "__I"] = g["I"]

    seeds = list(range(1, 21))
    vm_mean, vm_std, i_mean, i_std = [], [], [], []
    for seed in seeds:
        nest.ResetKernel()
        nest.rng_seed = seed
        n = nest.Create("iaf_psc_alpha")
        ng = nest.Create("noise_generator", params={"mean": 0.0, "std": 100.0, "dt": 1.0})
        nest.Connect(ng, n)
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
        gmm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["I"]})
        nest.Connect(mm, n)
        nest.Connect(gmm, ng)
        nest.Simulate(200.0)
        e, g = mm.get("events"), gmm.get("events")
        sv = e["times"] > 20.0
        si = g["times"] > 20.0
        vm_mean.append(e["V_m"][sv].mean())
        vm_std.append(e["V_m"][sv].std())
        i_mean.append(g["I"][si].mean())
        i_std.append(g["I"][si].std())
        if seed == 1:
            out["noise__seed1_times"] = e["times"]
            out["noise__seed1_V_m"] = e["V_m"]
    out.update(
        {
            "noise__seeds": seeds,
            "noise__V_m_mean": vm_mean,
            "noise__V_m_std": vm_std,
            "noise__I_mean": i_mean,
            "noise__I_std": i_std,
        }
    )
    print(
        "noise V_m mean %.3f std %.3f; I mean %.2f std %.2f"
        % (np.mean(vm_mean), np.mean(vm_std), np.mean(i_mean), np.mean(i_std))
    )
    _common.write_npz("generators.npz", out)


def main():
    import nest

    _common.quiet(nest)
    one_neuron(nest)
    two_neurons(nest)
    psc_inputs(nest)
    poisson_noise(nest)
    generators(nest)


if __name__ == "__main__":
    main()
