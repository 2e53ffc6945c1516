"""One timed run of the Potjans & Diesmann (2014) cortical microcircuit; prints its measurements as JSON.

The network is the model of Potjans & Diesmann (2014, Cerebral Cortex 24:785),
written here from the paper's tables with the public NEST 3 API only, so that the
same file runs under nestling and under real NEST:

- eight populations (L2/3, L4, L5, L6, each excitatory and inhibitory) of
  ``iaf_psc_exp`` neurons (C_m = 250 pF, tau_m = 10 ms, tau_syn = 0.5 ms,
  t_ref = 2 ms, E_L = V_reset = -65 mV, V_th = -50 mV), full-scale sizes
  20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948, times ``--scale``
  (default 0.1); initial membrane potentials drawn from N(-58 mV, 10 mV) as in
  the paper;
- for every pair of populations with connection probability p, the full-scale
  number of synapses K = log(1 - p) / log(1 - 1 / (N_pre N_post)) (sizes at
  full scale); the scaled network gets round(K * scale) of them, placed with the
  rule ``fixed_total_number`` (multapses allowed, autapses not).  Since the
  target population shrinks by the same factor, this keeps the full-scale
  in-degrees: no weight scaling and no DC compensation are needed, and the
  external in-degrees K_ext are kept as they are;
- mean PSP amplitude 0.15 mV, turned into a PSC amplitude w (about 87.8 pA)
  through the peak of the iaf_psc_exp PSP; excitatory weights drawn from
  N(w, 0.1 w) redrawn to >= 0, inhibitory ones from N(-4 w, 0.4 w) redrawn to
  <= 0; the L4E -> L2/3E weight is doubled (mean and spread);
- delays drawn from N(1.5 ms, 0.75 ms) for excitatory and N(0.75 ms, 0.375 ms)
  for inhibitory sources, redrawn to >= the resolution;
- background: one ``poisson_generator`` per population at 8 Hz times K_ext
  (1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100), weight w, delay 1.5 ms;
- one ``spike_recorder`` per population, recording every neuron;
- resolution 0.1 ms.

``benchmarks/brunel.py --network microcircuit`` starts it in a fresh
interpreter for every run.  The last line on stdout is a JSON object with the
keys of ``brunel_worker.py`` (``import_s``, ``setup_s``, ``create_connect_s``,
``prepare_s``, ``build_s``, ``simulate_s``, ``total_s``, ``rate_hz``,
``peak_rss_mib``, ``connections``), where ``rate_hz`` is the mean rate over all
neurons of all populations (total spikes / neurons / time), plus
``rates_hz``, the mean rate of each population, and the neuron and synapse
counts.
"""

import argparse
import json
import math
import resource
import sys
import time
import warnings

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--scale", type=float, default=0.1, help="fraction of the neurons of the full model (default 0.1)")
parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
parser.add_argument("--threads", type=int, default=1, help="local_num_threads (default 1)")
parser.add_argument("--seed", type=int, default=1, help="kernel random seed (default 1)")
args = parser.parse_args()

t_start = time.perf_counter()
import nest  # noqa: E402  (timed on purpose)

t_imported = time.perf_counter()

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    nest.set_verbosity("M_ERROR")

POPULATIONS = ["L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I"]
FULL_SIZES = [20683, 5834, 21915, 5479, 4850, 1065, 14395, 2948]
# Connection probabilities, rows = target, columns = source (order of POPULATIONS).
P = [
    [0.1009, 0.1689, 0.0437, 0.0818, 0.0323, 0.0, 0.0076, 0.0],
    [0.1346, 0.1371, 0.0316, 0.0515, 0.0755, 0.0, 0.0042, 0.0],
    [0.0077, 0.0059, 0.0497, 0.135, 0.0067, 0.0003, 0.0453, 0.0],
    [0.0691, 0.0029, 0.0794, 0.1597, 0.0033, 0.0, 0.1057, 0.0],
    [0.1004, 0.0622, 0.0505, 0.0057, 0.0831, 0.3726, 0.0204, 0.0],
    [0.0548, 0.0269, 0.0257, 0.0022, 0.06, 0.3158, 0.0086, 0.0],
    [0.0156, 0.0066, 0.0211, 0.0166, 0.0572, 0.0197, 0.0396, 0.2252],
    [0.0364, 0.001, 0.0034, 0.0005, 0.0277, 0.008, 0.0658, 0.1443],
]
K_EXT = [1600, 1500, 2100, 1900, 2000, 1900, 2900, 2100]
BACKGROUND_RATE = 8.0  # Hz per external input
PSP_MEAN = 0.15  # mV
REL_STD_W = 0.1
G = -4.0
DELAY_EXC = (1.5, 0.75)  # mean, std in ms
DELAY_INH = (0.75, 0.375)
RESOLUTION = 0.1
NEURON = {
    "C_m": 250.0,
    "tau_m": 10.0,
    "tau_syn_ex": 0.5,
    "tau_syn_in": 0.5,
    "t_ref": 2.0,
    "E_L": -65.0,
    "V_th": -50.0,
    "V_reset": -65.0,
}


def psp_peak_per_pa(tau_m, c_m, tau_syn):
    """Peak (mV) of the PSP that an exponential current of 1 pA amplitude causes in iaf_psc_exp.

    The current exp(-t / tau_syn) pA, filtered by the membrane (tau_m, c_m),
    gives V(t) = tau_m tau_syn / (c_m (tau_m - tau_syn)) (exp(-t/tau_m) - exp(-t/tau_syn)),
    whose derivative vanishes at t = ln(tau_m / tau_syn) tau_m tau_syn / (tau_m - tau_syn).
    """
    t_peak = math.log(tau_m / tau_syn) * tau_m * tau_syn / (tau_m - tau_syn)
    return tau_m * tau_syn / (c_m * (tau_m - tau_syn)) * (math.exp(-t_peak / tau_m) - math.exp(-t_peak / tau_syn))


def full_scale_synapses(p, n_pre, n_post):
    """Number of synapses that give connection probability p between full-scale populations."""
    if p <= 0.0:
        return 0.0
    return math.log(1.0 - p) / math.log(1.0 - 1.0 / (n_pre * n_post))


sizes = [max(1, round(n * args.scale)) for n in FULL_SIZES]
w = PSP_MEAN / psp_peak_per_pa(NEURON["tau_m"], NEURON["C_m"], NEURON["tau_syn_ex"])  # pA

t_setup = time.perf_counter()
nest.ResetKernel()
nest.resolution = RESOLUTION
nest.local_num_threads = args.threads
nest.rng_seed = args.seed
nest.print_time = False

t_build = time.perf_counter()
pops = []
for n in sizes:
    pop = nest.Create("iaf_psc_exp", n, params=NEURON)
    pop.V_m = nest.random.normal(mean=-58.0, std=10.0)
    pops.append(pop)
recorders = nest.Create("spike_recorder", len(pops))
generators = nest.Create("poisson_generator", len(pops), params=[{"rate": BACKGROUND_RATE * k} for k in K_EXT])

n_synapses = 0
for i_post, post in enumerate(pops):
    for i_pre, pre in enumerate(pops):
        k = round(full_scale_synapses(P[i_post][i_pre], FULL_SIZES[i_pre], FULL_SIZES[i_post]) * args.scale)
        if k == 0:
            continue
        n_synapses += k
        excitatory = POPULATIONS[i_pre].endswith("E")
        if excitatory:
            mean_w = 2.0 * w if (POPULATIONS[i_pre], POPULATIONS[i_post]) == ("L4E", "L23E") else w
            weight = nest.math.redraw(nest.random.normal(mean=mean_w, std=REL_STD_W * mean_w), 0.0, math.inf)
            d_mean, d_std = DELAY_EXC
        else:
            mean_w = G * w
            weight = nest.math.redraw(nest.random.normal(mean=mean_w, std=REL_STD_W * abs(mean_w)), -math.inf, 0.0)
            d_mean, d_std = DELAY_INH
        delay = nest.math.redraw(nest.random.normal(mean=d_mean, std=d_std), RESOLUTION, math.inf)
        nest.Connect(
            pre,
            post,
            {"rule": "fixed_total_number", "N": k, "allow_autapses": False, "allow_multapses": True},
            {"synapse_model": "static_synapse", "weight": weight, "delay": delay},
        )
for pop, gen, rec in zip(pops, generators, recorders):
    nest.Connect(gen, pop, syn_spec={"weight": w, "delay": 1.5})
    nest.Connect(pop, rec)
t_connected = time.perf_counter()
nest.Prepare()
t_built = time.perf_counter()
nest.Run(args.simtime)
t_simulated = time.perf_counter()
nest.Cleanup()

counts = [int(rec.n_events) for rec in recorders]
rates = {name: c / n / args.simtime * 1e3 for name, c, n in zip(POPULATIONS, counts, sizes)}
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_rss_mib = maxrss / 2**20 if sys.platform == "darwin" else maxrss / 2**10

result = {
    "network": "microcircuit",
    "nest_file": nest.__file__,
    "nest_version": getattr(nest, "__version__", None),
    "scale": args.scale,
    "neurons": sum(sizes),
    "synapses": n_synapses,
    "psc_pa": w,
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
    "rate_hz": sum(counts) / sum(sizes) / args.simtime * 1e3,
    "rates_hz": rates,
    "peak_rss_mib": peak_rss_mib,
    "connections": int(nest.num_connections),
}
print(json.dumps(result))
