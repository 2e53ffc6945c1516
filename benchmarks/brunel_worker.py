"""One timed run of a Brunel network (seed 002's or NEST's brunel_alpha_nest); prints its measurements as JSON.

``--network delta`` (the default) is seed 002's network ("Modeling networks of
spiking neurons using NEST"): NE excitatory and NE/4 inhibitory iaf_psc_delta
neurons, fixed in-degrees CE and CE/4, w = 0.1 mV, g = 5, delay 1.5 ms, one
Poisson generator at twice the threshold rate, spikes of 50 + 50 neurons recorded.

``--network alpha`` is the network of NEST's example ``brunel_alpha_nest.py``:
iaf_psc_alpha neurons (C_m = 250 pF, tau_m = 20 ms, tau_syn = 0.5 ms, t_ref = 2 ms,
E_L = V_reset = 0 mV, V_th = 20 mV), NE = 10000 and NI = NE/4 by default,
CE = 10 % of NE and CI = CE/4, the excitatory current amplitude chosen so that one
spike gives a PSP of J = 0.1 mV at its peak, inhibition g = 5 times stronger, delay
1.5 ms, one Poisson generator at eta = 2 times the threshold rate, spikes of 50 + 50
neurons recorded.  The excitatory population connects to all neurons in one
``Connect`` call, and so does the inhibitory one, with two ``CopyModel`` synapses.

Only the public NEST 3 API is used, so the same file runs under nestling and
under real NEST.  ``benchmarks/brunel.py`` starts it in a fresh interpreter for
every run, so that no run profits from another's caches or warmed-up memory.

The last line on stdout is a JSON object with:

``import_s``
    Wall time of ``import nest``.
``setup_s``
    Wall time of ``ResetKernel`` and the kernel settings (resolution,
    threads, seed).
``create_connect_s``
    Wall time of ``Create`` and ``Connect`` calls.
``prepare_s``
    Wall time of ``nest.Prepare()``: what a simulator does before its first step
    (NEST builds its connection infrastructure, nestling its CSR and loads its
    compiled kernels).
``build_s``
    ``create_connect_s + prepare_s``: the network ready to run.
``simulate_s``
    Wall time of ``nest.Run(simtime)`` (then ``nest.Cleanup()``, not timed).
``total_s``
    Import, setup, build and simulate together.
``rate_hz``
    Mean firing rate of the recorded neurons, as seed 002 computes it.
``peak_rss_mib``
    Peak resident memory of the process (``getrusage``), in MiB.
``connections``
    ``nest.num_connections`` after building.
"""

import argparse
import json
import math
import resource
import sys
import time
import warnings

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--network", choices=["delta", "alpha"], default="delta", help="which network (default delta)")
parser.add_argument("--ne", type=int, help="number of excitatory neurons (default 5000 for delta, 10000 for alpha)")
parser.add_argument("--ce", type=int, help="excitatory in-degree (default 1000 for delta, NE / 10 for alpha)")
parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
parser.add_argument("--threads", type=int, default=2, help="local_num_threads (default 2, as in seed 002)")
parser.add_argument("--seed", type=int, default=1, help="kernel random seed (default 1)")
args = parser.parse_args()

t_start = time.perf_counter()
import nest  # noqa: E402  (timed on purpose)

t_imported = time.perf_counter()

with warnings.catch_warnings():
    # NEST 3.10 flags set_verbosity as old style; it is still the common spelling.
    warnings.simplefilter("ignore")
    nest.set_verbosity("M_ERROR")


def psp_peak_per_pa(tau_m, c_m, tau_syn):
    """Peak of the PSP (mV) that an alpha current of 1 pA amplitude causes in iaf_psc_alpha.

    The current (e / tau_syn) t exp(-t / tau_syn) pA, filtered by the membrane
    (tau_m, c_m), gives V(t) = e / (tau_syn c_m b) [(exp(-t/tau_m) - exp(-t/tau_syn)) / b
    - t exp(-t/tau_syn)] with b = 1/tau_syn - 1/tau_m.  Its maximum lies where
    exp(-t/tau_syn) (1 / (tau_m b) + t / tau_syn) = exp(-t/tau_m) / (tau_m b); the
    left side minus the right is positive before the peak and negative after it, so
    bisection finds the time of the peak.  (NEST's example writes that time with the
    Lambert W function; the number is the same.)
    """
    b = 1.0 / tau_syn - 1.0 / tau_m
    if b <= 0.0:
        raise ValueError("this PSP formula needs tau_syn < tau_m")

    def slope_sign(t):
        return math.exp(-t / tau_syn) * (1.0 / (tau_m * b) + t / tau_syn) - math.exp(-t / tau_m) / (tau_m * b)

    lo, hi = 0.0, 20.0 * tau_m
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        if slope_sign(mid) > 0.0:
            lo = mid
        else:
            hi = mid
    t = 0.5 * (lo + hi)
    return (
        math.e
        / (tau_syn * c_m * b)
        * ((math.exp(-t / tau_m) - math.exp(-t / tau_syn)) / b - t * math.exp(-t / tau_syn))
    )


NE = args.ne if args.ne is not None else (5000 if args.network == "delta" else 10000)
NI = NE // 4
N_rec = 50
if args.ce is not None:
    CE = args.ce
else:
    CE = 1000 if args.network == "delta" else int(0.1 * NE)
CI = CE // 4
g, d = 5.0, 1.5

t_setup = time.perf_counter()
nest.ResetKernel()
nest.resolution = 0.1
nest.local_num_threads = args.threads
nest.rng_seed = args.seed
nest.print_time = False

t_build = time.perf_counter()
if args.network == "delta":
    w, V_th, tau_m = 0.1, 20.0, 20.0
    # Twice the threshold rate nu_th = V_th / (w CE tau_m), times CE sources, in Hz.
    p_rate = 1e3 * 2.0 * V_th / (w * tau_m)
    nest.SetDefaults(
        "iaf_psc_delta",
        {"C_m": 1.0, "E_L": 0.0, "I_e": 0.0, "V_m": 0.0, "V_reset": 10.0, "V_th": V_th, "t_ref": 2.0, "tau_m": tau_m},
    )
    neurons_e = nest.Create("iaf_psc_delta", NE)
    neurons_i = nest.Create("iaf_psc_delta", NI)
    pgen = nest.Create("poisson_generator", params={"rate": p_rate})
    spikes_e = nest.Create("spike_recorder")
    spikes_i = nest.Create("spike_recorder")
    exc = {"delay": d, "weight": w}
    inh = {"delay": d, "weight": -g * w}
    nest.Connect(neurons_e, neurons_e, {"rule": "fixed_indegree", "indegree": CE}, exc)
    nest.Connect(neurons_e, neurons_i, {"rule": "fixed_indegree", "indegree": CE}, exc)
    nest.Connect(neurons_i, neurons_e, {"rule": "fixed_indegree", "indegree": CI}, inh)
    nest.Connect(neurons_i, neurons_i, {"rule": "fixed_indegree", "indegree": CI}, inh)
    nest.Connect(pgen, neurons_i, syn_spec=exc)
    nest.Connect(pgen, neurons_e, syn_spec=exc)
    nest.Connect(neurons_e[:N_rec], spikes_e)
    nest.Connect(neurons_i[:N_rec], spikes_i)
else:
    eta, J = 2.0, 0.1  # external drive / threshold rate; PSP peak in mV
    tau_syn, tau_m, c_m, V_th = 0.5, 20.0, 250.0, 20.0
    J_ex = J / psp_peak_per_pa(tau_m, c_m, tau_syn)  # pA
    J_in = -g * J_ex
    # Threshold rate: CE inputs whose alpha currents carry charge J_ex e tau_syn each
    # hold the free membrane at V_th on average.
    nu_th = V_th * c_m / (J_ex * CE * math.e * tau_m * tau_syn)
    p_rate = 1e3 * eta * nu_th * CE
    params = {
        "C_m": c_m,
        "tau_m": tau_m,
        "tau_syn_ex": tau_syn,
        "tau_syn_in": tau_syn,
        "t_ref": 2.0,
        "E_L": 0.0,
        "V_reset": 0.0,
        "V_m": 0.0,
        "V_th": V_th,
    }
    neurons_e = nest.Create("iaf_psc_alpha", NE, params=params)
    neurons_i = nest.Create("iaf_psc_alpha", NI, params=params)
    pgen = nest.Create("poisson_generator", params={"rate": p_rate})
    spikes_e = nest.Create("spike_recorder")
    spikes_i = nest.Create("spike_recorder")
    nest.CopyModel("static_synapse", "excitatory", {"weight": J_ex, "delay": d})
    nest.CopyModel("static_synapse", "inhibitory", {"weight": J_in, "delay": d})
    nest.Connect(pgen, neurons_e, syn_spec="excitatory")
    nest.Connect(pgen, neurons_i, syn_spec="excitatory")
    nest.Connect(neurons_e[:N_rec], spikes_e, syn_spec="excitatory")
    nest.Connect(neurons_i[:N_rec], spikes_i, syn_spec="excitatory")
    everyone = neurons_e + neurons_i
    nest.Connect(neurons_e, everyone, {"rule": "fixed_indegree", "indegree": CE}, "excitatory")
    nest.Connect(neurons_i, everyone, {"rule": "fixed_indegree", "indegree": CI}, "inhibitory")
t_connected = time.perf_counter()
nest.Prepare()
t_built = time.perf_counter()
nest.Run(args.simtime)
t_simulated = time.perf_counter()
nest.Cleanup()

rate_ex = spikes_e.n_events / args.simtime / N_rec * 1e3
rate_in = spikes_i.n_events / args.simtime / N_rec * 1e3
# ru_maxrss is in KiB on Linux and in bytes on macOS.
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_rss_mib = maxrss / 2**20 if sys.platform == "darwin" else maxrss / 2**10

result = {
    "network": args.network,
    "nest_file": nest.__file__,
    "nest_version": getattr(nest, "__version__", None),
    "ne": NE,
    "ce": CE,
    "simtime_ms": args.simtime,
    "threads": args.threads,
    "seed": args.seed,
    "import_s": t_imported - t_start,
    "setup_s": t_build - t_setup,
    "create_connect_s": t_connected - t_build,
    "prepare_s": t_built - t_connected,
    "build_s": t_built - t_build,
    "simulate_s": t_simulated - t_built,
    "total_s": t_simulated - t_start,
    "rate_hz": (rate_ex + rate_in) / 2.0,
    "rate_ex_hz": rate_ex,
    "rate_in_hz": rate_in,
    "peak_rss_mib": peak_rss_mib,
    "connections": int(nest.num_connections),
}
print(json.dumps(result))
