"""Brunel (2000) network states A-D (Fig. 8) with public PyNEST 3 API only.

Runs unchanged with real NEST 3.x and with nestling.

Network (Brunel 2000, J Comput Neurosci 8:183, Fig. 8):
  * N_E = n_e excitatory, N_I = n_e // 4 inhibitory ``iaf_psc_delta`` neurons
    (default n_e = 10000) with C_m=1.0 pF, tau_m=20 ms, t_ref=2 ms, E_L=0,
    V_reset=10 mV, V_m(0)=0 mV, V_th=20 mV.
  * Every neuron receives C_E=1000 excitatory (weight J=0.1 mV) and C_I=250
    inhibitory (weight -g*J) synapses, ``fixed_indegree`` rule (autapses and
    multapses allowed), all delays D=1.5 ms.
  * External drive: one ``poisson_generator`` (an independent train for each
    target) with rate eta * nu_th * C_E * 1000 Hz, nu_th = V_th/(J*C_E*tau_m),
    connected to all neurons with weight J, delay D (as NEST's
    brunel_delta_nest example does).
  * Kernel: resolution 0.1 ms, rng_seed = seed, local_num_threads = threads.
  * Creation order: E neurons (ids 1..N_E), I neurons, poisson_generator,
    spike_recorder.  Connection order: noise->E, noise->I, E->all, I->all,
    recorded neurons->spike_recorder.
  * Recording: spikes of all neurons (``n_rec=None``) or of the first n_rec
    neurons (node ids 1..n_rec).

States:  A (g=3, eta=2) synchronous regular; B (g=6, eta=4) synchronous
irregular, fast oscillation; C (g=5, eta=2) asynchronous irregular;
D (g=4.5, eta=0.9) synchronous irregular, slow oscillation.

Metrics (``state_metrics``), computed from spikes with t_start <= t < t_stop:
  * rate: mean firing rate in Hz = n_spikes / n_neurons / duration.
  * cv_isi: mean over neurons with >= 3 spikes of std(ISI)/mean(ISI)
    (population std, ddof=0); n_cv is the number of such neurons (nan if 0).
  * fano_pop: Fano factor of the population spike count in 1 ms bins,
    var(counts)/mean(counts)  (~1 for asynchronous Poisson-like activity,
    >> 1 for synchronous activity).
  * chi: Golomb's synchrony measure on 1 ms binned spike counts,
    sqrt(var_t(mean_i x_i(t)) / mean_i(var_t x_i(t))) over the n_neurons
    neurons (silent neurons included, they have zero variance).
  * peak_freq: frequency (Hz) of the maximum of the periodogram
    |rfft(c - mean(c))|^2 of the 1 ms population count c, DC excluded
    (resolution 1/duration; Nyquist 500 Hz); peak_ratio: that maximum divided
    by the mean of the periodogram without DC (large = clear oscillation).

Usage:  python examples/brunel_states.py --simtime 500 --out states.png [--scale 0.2]
--scale multiplies N_E and N_I; C_E, C_I, J and the drive are kept, so mean
and variance of the input (which define the state) are unchanged, only the
network gets denser (scale must be >= 0.1).
"""

import matplotlib

matplotlib.use("Agg")

import argparse  # noqa: E402
import json  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import nest  # noqa: E402

STATES = {
    "A": {"g": 3.0, "eta": 2.0},
    "B": {"g": 6.0, "eta": 4.0},
    "C": {"g": 5.0, "eta": 2.0},
    "D": {"g": 4.5, "eta": 0.9},
}
NEURON_PARAMS = {"C_m": 1.0, "tau_m": 20.0, "t_ref": 2.0, "E_L": 0.0, "V_reset": 10.0, "V_m": 0.0, "V_th": 20.0}
C_E = 1000
C_I = 250
J = 0.1
DELAY = 1.5
RESOLUTION = 0.1


def _quiet():
    try:
        if hasattr(nest, "VerbosityLevel"):
            nest.verbosity = nest.VerbosityLevel.WARNING
        else:
            nest.set_verbosity("M_WARNING")
    except Exception:  # verbosity is cosmetic
        pass


def run_state(g, eta, simtime=500.0, n_e=10000, seed=1, threads=1, n_rec=None):
    """Build and simulate one Brunel network; return (times, senders) as arrays.

    n_rec=None records all N_E + N_I neurons, otherwise the first n_rec
    (node ids 1..n_rec). The wall times of the last call are stored in
    ``run_state.last_timing`` (dict with build_s, sim_s).
    """
    n_i = n_e // 4
    if n_e < C_E or n_i < C_I:
        raise ValueError("n_e must be >= %d so that in-degrees fit" % C_E)
    _quiet()
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": RESOLUTION, "rng_seed": int(seed), "local_num_threads": int(threads)})
    nu_th = NEURON_PARAMS["V_th"] / (J * C_E * NEURON_PARAMS["tau_m"])
    p_rate = eta * nu_th * C_E * 1000.0

    t0 = time.perf_counter()
    nodes_e = nest.Create("iaf_psc_delta", n_e, params=NEURON_PARAMS)
    nodes_i = nest.Create("iaf_psc_delta", n_i, params=NEURON_PARAMS)
    noise = nest.Create("poisson_generator", params={"rate": p_rate})
    recorder = nest.Create("spike_recorder")
    nodes = nodes_e + nodes_i
    nest.Connect(noise, nodes_e, syn_spec={"weight": J, "delay": DELAY})
    nest.Connect(noise, nodes_i, syn_spec={"weight": J, "delay": DELAY})
    nest.Connect(
        nodes_e, nodes, conn_spec={"rule": "fixed_indegree", "indegree": C_E}, syn_spec={"weight": J, "delay": DELAY}
    )
    nest.Connect(
        nodes_i,
        nodes,
        conn_spec={"rule": "fixed_indegree", "indegree": C_I},
        syn_spec={"weight": -g * J, "delay": DELAY},
    )
    nest.Connect(nodes if n_rec is None else nodes[:n_rec], recorder)
    t1 = time.perf_counter()
    nest.Simulate(float(simtime))
    t2 = time.perf_counter()
    run_state.last_timing = {"build_s": t1 - t0, "sim_s": t2 - t1}

    ev = recorder.get("events")
    return np.asarray(ev["times"], dtype=float), np.asarray(ev["senders"], dtype=int)


run_state.last_timing = {}


def state_metrics(times, senders, n_neurons, t_start, t_stop, first_id=1):
    """Rate, ISI CV and synchrony metrics of spikes in [t_start, t_stop).

    Neurons are assumed to have node ids first_id .. first_id + n_neurons - 1.
    """
    times = np.asarray(times, dtype=float)
    senders = np.asarray(senders, dtype=int)
    sel = (times >= t_start) & (times < t_stop)
    times, senders = times[sel], senders[sel]
    duration = t_stop - t_start
    idx = senders - first_id

    rate = len(times) / n_neurons / (duration / 1000.0)

    order = np.lexsort((times, idx))
    st, si = times[order], idx[order]
    cvs = []
    bounds = np.flatnonzero(np.diff(si)) + 1
    for chunk in np.split(st, bounds):
        if len(chunk) >= 3:
            isi = np.diff(chunk)
            cvs.append(isi.std() / isi.mean())
    cv = float(np.mean(cvs)) if cvs else float("nan")

    nbins = int(round(duration / 1.0))
    b = np.clip(((times - t_start) // 1.0).astype(int), 0, nbins - 1)
    counts = np.bincount(b, minlength=nbins).astype(float)
    mean_c = counts.mean()
    fano = float(counts.var() / mean_c) if mean_c > 0 else float("nan")

    # chi: per-neuron variance of binned counts; sum_t x^2 from (neuron, bin) pairs
    pair = np.bincount(idx * nbins + b, minlength=n_neurons * nbins)
    pair = pair[: n_neurons * nbins].reshape(n_neurons, nbins).astype(float)
    per_sq = (pair**2).sum(axis=1)
    per_n = pair.sum(axis=1)
    var_i = per_sq / nbins - (per_n / nbins) ** 2
    pop = counts / n_neurons
    denom = var_i.mean()
    chi = float(np.sqrt(pop.var() / denom)) if denom > 0 else float("nan")

    spec = np.abs(np.fft.rfft(counts - mean_c)) ** 2
    freqs = np.fft.rfftfreq(nbins, d=1e-3)
    spec, freqs = spec[1:], freqs[1:]
    k = int(np.argmax(spec))
    peak_freq = float(freqs[k])
    peak_ratio = float(spec[k] / spec.mean()) if spec.mean() > 0 else float("nan")

    return {
        "rate": float(rate),
        "cv_isi": cv,
        "n_cv": len(cvs),
        "fano_pop": fano,
        "chi": chi,
        "peak_freq": peak_freq,
        "peak_ratio": peak_ratio,
        "n_spikes": int(len(times)),
    }


def plot_rasters(results, path, t_start, t_stop, n_show=100):
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(2, 4, figsize=(16, 6), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    for col, (name, (times, senders, metrics)) in enumerate(sorted(results.items())):
        sel = (times >= t_start) & (times < t_stop)
        t, s = times[sel], senders[sel]
        show = s <= n_show
        ax = axes[0, col]
        ax.plot(t[show], s[show], "|", ms=2, color="k")
        ax.set_title(
            "%s: g=%g, eta=%g\n%.1f Hz, CV %.2f, Fano %.1f"
            % (name, STATES[name]["g"], STATES[name]["eta"], metrics["rate"], metrics["cv_isi"], metrics["fano_pop"]),
            fontsize=9,
        )
        ax.set_ylim(0.5, n_show + 0.5)
        if col == 0:
            ax.set_ylabel("neuron id")
        bins = np.arange(t_start, t_stop + 1.0, 1.0)
        axes[1, col].hist(t, bins=bins, color="0.3")
        axes[1, col].set_xlabel("time (ms)")
        if col == 0:
            axes[1, col].set_ylabel("spikes / 1 ms")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--simtime", type=float, default=500.0, help="simulated time (ms)")
    ap.add_argument("--t-start", type=float, default=100.0, help="metrics start (ms)")
    ap.add_argument("--out", default="brunel_states.png", help="PNG path for the rasters")
    ap.add_argument("--scale", type=float, default=1.0, help="network size factor (>= 0.1)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--states", default="ABCD", help="subset of states to run, e.g. AC")
    ap.add_argument("--json", default=None, help="optional path to write the metrics")
    args = ap.parse_args(argv)

    n_e = int(round(10000 * args.scale))
    n_total = n_e + n_e // 4
    results, summary = {}, {}
    for name in args.states:
        p = STATES[name]
        times, senders = run_state(
            p["g"], p["eta"], simtime=args.simtime, n_e=n_e, seed=args.seed, threads=args.threads
        )
        m = state_metrics(times, senders, n_total, args.t_start, args.simtime)
        m.update(run_state.last_timing)
        results[name] = (times, senders, m)
        summary[name] = m
        print(name, json.dumps({k: round(v, 4) if isinstance(v, float) else v for k, v in m.items()}))
    plot_rasters(results, args.out, args.t_start, args.simtime)
    print("wrote", args.out)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(summary, f, indent=1)
    return summary


if __name__ == "__main__":
    main()
