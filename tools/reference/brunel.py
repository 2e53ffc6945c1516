"""Brunel (2000) sparse random network in real NEST 3.10 -> tests/reference/brunel.json

Protocol (one run per rng_seed in SEEDS = 1, 2, 3):

  nest.ResetKernel()
  nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": 2, "rng_seed": seed})
  neuron params (iaf_psc_delta): C_m=1.0, tau_m=20.0, t_ref=2.0, E_L=0.0,
      V_reset=10.0, V_m=0.0, V_th=20.0   (others default: I_e=0, refractory_input=False)
  NE=5000, NI=1250, CE=1000, CI=250, J=0.1 mV, g=5.0 (J_in = -g*J = -0.5 mV), D=1.5 ms
  nu_th = V_th / (J * tau_m) = 10 /ms ; nu_ex = 2 * nu_th ; p_rate = 1e3 * nu_ex
      = 20000.0 Hz  (seed-002's formulas; identical to NEST's brunel_delta_nest
      p_rate = 1000 * eta * V_th/(J*CE*tau_m) * CE).  One poisson_generator;
      NEST's poisson_generator sends an independent train to each target.
  Creation order (node ids follow it; the seed uses SetDefaults instead of
  params, which is equivalent):
    neurons_e = Create("iaf_psc_delta", NE, params=neuron_params)   ids 1..5000
    neurons_i = Create("iaf_psc_delta", NI, params=neuron_params)   ids 5001..6250
    pgen      = Create("poisson_generator", params={"rate": p_rate})
    spikes_e  = Create("spike_recorder"); spikes_i = Create("spike_recorder")
    spikes_all = Create("spike_recorder")        (extra, not in the seed)
  Connection order (as in seed 002), syn_exc = {"delay": 1.5, "weight": 0.1},
  syn_inh = {"delay": 1.5, "weight": -0.5}:
    Connect(neurons_e, neurons_e, {"rule": "fixed_indegree", "indegree": CE}, syn_exc)
    Connect(neurons_e, neurons_i, {"rule": "fixed_indegree", "indegree": CE}, syn_exc)
    Connect(neurons_i, neurons_e, {"rule": "fixed_indegree", "indegree": CI}, syn_inh)
    Connect(neurons_i, neurons_i, {"rule": "fixed_indegree", "indegree": CI}, syn_inh)
    Connect(pgen, neurons_i, syn_spec=syn_exc); Connect(pgen, neurons_e, syn_spec=syn_exc)
    Connect(neurons_e[:50], spikes_e); Connect(neurons_i[:50], spikes_i)
    Connect(neurons_e + neurons_i, spikes_all)   (extra)
    (autapses and multapses allowed: NEST defaults)
  Simulate(1000.0)

Outputs per seed (key "runs"[str(seed)]):
  rate_ex  = spikes_e n_events / simtime / 50 * 1e3   (Hz, first 50 E neurons)
  rate_in  = spikes_i n_events / simtime / 50 * 1e3   (Hz, first 50 I neurons)
  mean_rate = (rate_ex + rate_in) / 2   (what seed 002 prints)
  rate_all = spikes_all n_events / simtime / 6250 * 1e3 (Hz, all neurons)
  rate_all_ex / rate_all_in: the same over all E / all I neurons
  n_events_ex, n_events_in, n_events_all, num_connections,
  build_time_s (Create+Connect wall time, time.perf_counter),
  sim_time_s (Simulate wall time), threads, loadavg_1min_before (the machine
  may be shared: a high load average means the wall times are inflated).
Top-level "mean_over_seeds" averages rate_ex, rate_in, rate_all over seeds.
Spike statistics depend on the thread count (2 here) and NEST's RNG stream.
"""

import os
import platform
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402

SEEDS = [1, 2, 3]
THREADS = 2
P = dict(NE=5000, NI=1250, CE=1000, CI=250, J=0.1, g=5.0, D=1.5, eta=2.0, simtime=1000.0, N_rec=50, resolution=0.1)
NEURON_PARAMS = {"C_m": 1.0, "tau_m": 20.0, "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0, "V_m": 0.0, "V_th": 20.0}


def run(nest, seed):
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": P["resolution"], "local_num_threads": THREADS, "rng_seed": seed})
    NE, NI, CE, CI, J, g, D = (P[k] for k in ("NE", "NI", "CE", "CI", "J", "g", "D"))
    nu_th = NEURON_PARAMS["V_th"] / (J * NEURON_PARAMS["tau_m"])
    nu_ex = P["eta"] * nu_th
    p_rate = 1e3 * nu_ex

    load_before = os.getloadavg()[0]
    t0 = time.perf_counter()
    nodes_ex = nest.Create("iaf_psc_delta", NE, params=NEURON_PARAMS)
    nodes_in = nest.Create("iaf_psc_delta", NI, params=NEURON_PARAMS)
    noise = nest.Create("poisson_generator", params={"rate": p_rate})
    espikes = nest.Create("spike_recorder")
    ispikes = nest.Create("spike_recorder")
    allspikes = nest.Create("spike_recorder")
    syn_exc = {"delay": D, "weight": J}
    syn_inh = {"delay": D, "weight": -g * J}
    conn_exc = {"rule": "fixed_indegree", "indegree": CE}
    conn_inh = {"rule": "fixed_indegree", "indegree": CI}
    nest.Connect(nodes_ex, nodes_ex, conn_exc, syn_exc)
    nest.Connect(nodes_ex, nodes_in, conn_exc, syn_exc)
    nest.Connect(nodes_in, nodes_ex, conn_inh, syn_inh)
    nest.Connect(nodes_in, nodes_in, conn_inh, syn_inh)
    nest.Connect(noise, nodes_in, syn_spec=syn_exc)
    nest.Connect(noise, nodes_ex, syn_spec=syn_exc)
    nest.Connect(nodes_ex[: P["N_rec"]], espikes)
    nest.Connect(nodes_in[: P["N_rec"]], ispikes)
    nest.Connect(nodes_ex + nodes_in, allspikes)
    t1 = time.perf_counter()
    nest.Simulate(P["simtime"])
    t2 = time.perf_counter()

    T = P["simtime"]
    n_ex = espikes.get("n_events")
    n_in = ispikes.get("n_events")
    ev = allspikes.get("events")
    senders = np.asarray(ev["senders"])
    last_ex = nodes_ex.tolist()[-1]
    n_all = len(senders)
    n_all_ex = int((senders <= last_ex).sum())
    res = {
        "p_rate": p_rate,
        "rate_ex": n_ex / T / P["N_rec"] * 1e3,
        "rate_in": n_in / T / P["N_rec"] * 1e3,
        "mean_rate": (n_ex + n_in) / 2.0 / T / P["N_rec"] * 1e3,
        "rate_all": n_all / T / (NE + NI) * 1e3,
        "rate_all_ex": n_all_ex / T / NE * 1e3,
        "rate_all_in": (n_all - n_all_ex) / T / NI * 1e3,
        "n_events_ex": n_ex,
        "n_events_in": n_in,
        "n_events_all": n_all,
        "num_connections": nest.num_connections,
        "build_time_s": t1 - t0,
        "sim_time_s": t2 - t1,
        "threads": THREADS,
        "loadavg_1min_before": load_before,
    }
    print("seed", seed, {k: (round(v, 3) if isinstance(v, float) else v) for k, v in res.items()})
    return res


def main():
    import nest

    _common.quiet(nest)
    runs = {str(s): run(nest, s) for s in SEEDS}
    out = {
        "nest_version": nest.__version__,
        "params": P,
        "neuron_params": NEURON_PARAMS,
        "seeds": SEEDS,
        "threads": THREADS,
        "machine": "%s, %d cpus (os.cpu_count)" % (platform.platform(), os.cpu_count()),
        "runs": runs,
        "mean_over_seeds": {
            k: float(np.mean([r[k] for r in runs.values()]))
            for k in ("rate_ex", "rate_in", "mean_rate", "rate_all", "build_time_s", "sim_time_s")
        },
    }
    _common.write_json("brunel.json", out)


if __name__ == "__main__":
    main()
