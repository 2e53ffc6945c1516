"""One timed run of a group of aeif_cond_alpha neurons driven by Poisson input; prints JSON.

The network: N ``aeif_cond_alpha`` neurons with NEST's default parameters (adaptive
Runge-Kutta-Fehlberg integration, error bound 1e-6), each receiving its own Poisson
train from an excitatory ``poisson_generator`` (``--rate-ex`` Hz, weight ``--w-ex`` nS) and
an inhibitory one (``--rate-in`` Hz, weight ``-w_in`` nS), delay 1 ms, no recurrent synapses; the
spikes of all neurons recorded. Resolution 0.1 ms, ``--simtime`` ms simulated.

Only the public NEST 3 API is used, so the same file runs under nestling and real NEST;
``benchmarks/aeif.py`` starts it in a fresh interpreter for every run.

The last line on stdout is a JSON object with ``import_s``, ``setup_s``,
``create_connect_s``, ``prepare_s``, ``build_s``, ``simulate_s`` (``nest.Run``),
``total_s``, ``rate_hz`` (mean rate of all neurons) and ``peak_rss_mib``, as the Brunel
worker reports them.
"""

import argparse
import json
import resource
import time
import warnings

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--n", type=int, default=10000, help="number of neurons (default 10000)")
parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
parser.add_argument("--rate-ex", type=float, default=6000.0, help="excitatory Poisson rate in Hz (default 6000)")
parser.add_argument("--rate-in", type=float, default=500.0, help="inhibitory Poisson rate in Hz (default 500)")
parser.add_argument("--w-ex", type=float, default=5.0, help="excitatory weight in nS (default 5)")
parser.add_argument("--w-in", type=float, default=4.0, help="inhibitory weight magnitude in nS (default 4)")
parser.add_argument("--threads", type=int, default=1, help="local_num_threads (default 1)")
parser.add_argument("--seed", type=int, default=1, help="rng_seed (default 1)")
args = parser.parse_args()

t0 = time.perf_counter()
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    import nest
t_import = time.perf_counter()

nest.set_verbosity("M_ERROR")
nest.ResetKernel()
nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": args.threads, "rng_seed": args.seed})
t_setup = time.perf_counter()

neurons = nest.Create("aeif_cond_alpha", args.n)
pg_ex = nest.Create("poisson_generator", params={"rate": args.rate_ex})
pg_in = nest.Create("poisson_generator", params={"rate": args.rate_in})
sr = nest.Create("spike_recorder")
nest.Connect(pg_ex, neurons, syn_spec={"weight": args.w_ex, "delay": 1.0})
nest.Connect(pg_in, neurons, syn_spec={"weight": -args.w_in, "delay": 1.0})
nest.Connect(neurons, sr)
t_connect = time.perf_counter()
nest.Prepare()
t_prepare = time.perf_counter()
nest.Run(args.simtime)
t_run = time.perf_counter()
nest.Cleanup()

n_spikes = sr.get("n_events")
print(
    json.dumps(
        {
            "import_s": t_import - t0,
            "setup_s": t_setup - t_import,
            "create_connect_s": t_connect - t_setup,
            "prepare_s": t_prepare - t_connect,
            "build_s": t_prepare - t_setup,
            "simulate_s": t_run - t_prepare,
            "total_s": t_run - t0,
            "rate_hz": n_spikes / args.n / (args.simtime / 1000.0),
            "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0,
            "spikes": n_spikes,
            "nest_version": getattr(nest, "__version__", "?"),
        }
    )
)
