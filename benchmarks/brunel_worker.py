"""One timed run of the seed-002 Brunel network; prints its measurements as JSON.

The network is seed 002's ("Modeling networks of spiking neurons using
NEST"): NE excitatory and NE/4 inhibitory iaf_psc_delta neurons, fixed
in-degrees CE and CE/4, w = 0.1 mV, g = 5, delay 1.5 ms, one Poisson
generator at twice the threshold rate, spikes of 50 + 50 neurons recorded.

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
import resource
import sys
import time
import warnings

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--ne", type=int, default=5000, help="number of excitatory neurons (default 5000)")
parser.add_argument("--ce", type=int, default=1000, help="excitatory in-degree (default 1000)")
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

NE = args.ne
NI = NE // 4
N_rec = 50
CE = args.ce
CI = CE // 4
w, g, d = 0.1, 5.0, 1.5
V_th, tau_m = 20.0, 20.0
p_rate = 1e3 * 2.0 * V_th / (w * tau_m)

t_setup = time.perf_counter()
nest.ResetKernel()
nest.resolution = 0.1
nest.local_num_threads = args.threads
nest.rng_seed = args.seed
nest.print_time = False

t_build = time.perf_counter()
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
    "peak_rss_mib": peak_rss_mib,
    "connections": int(nest.num_connections),
}
print(json.dumps(result))
