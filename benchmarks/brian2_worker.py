"""One timed run of the seed-002 Brunel network on Brian2; prints its measurements as JSON.

The same network as ``brunel_worker.py --network delta``, written for Brian2 2.x in
runtime mode with Cython code generation (``prefs.codegen.target = "cython"``):

- NE excitatory and NI = NE/4 inhibitory leaky integrate-and-fire neurons with the
  semantics of NEST's ``iaf_psc_delta``: tau_m = 20 ms, rest and initial potential
  0 mV, threshold 20 mV, reset to 10 mV, 2 ms refractory period during which the
  membrane is clamped and arriving input is discarded; the membrane decays exactly
  between steps (``method="exact"``);
- delta synapses: a spike adds w = 0.1 mV (excitatory) or -g w (g = 5) to the target
  1.5 ms later; fixed in-degrees CE from the excitatory and CI = CE/4 from the
  inhibitory population, presynaptic partners drawn uniformly with replacement
  (NEST's ``fixed_indegree`` with its default multapses and autapses);
- external drive: every neuron gets its own Poisson input of total rate
  eta * nu_th * CE = 2 * V_th / (w * tau_m) * 1e3 = 20 kHz with weight w, given as a
  ``PoissonInput`` of CE sources at eta * nu_th each, i.e. a Binomial(CE, rate * dt)
  count per step, statistically the same as NEST's Poisson(20 kHz * dt) count;
- the spikes of 50 excitatory and 50 inhibitory neurons are recorded;
- dt = 0.1 ms.

Within a step Brian2 runs (by this script's schedule) the membrane update, then the
synaptic and Poisson input, then the threshold and the reset, which is the order of
NEST's ``iaf_psc_delta`` update (input of a step counts towards that step's threshold
test).  Two Brian2 settings are one step off their NEST values so that the step-by-step
behaviour is NEST's: with this schedule a spike enters the synaptic queue in the step
after the one that emitted it, so Brian2's ``delay`` is 1.5 ms - dt; and Brian2 counts
the refractory period from the start of the spiking step where NEST counts from its
end, so ``refractory`` is 2 ms + dt.  Both were checked against NEST 3.10 with a pair
of neurons (spike-to-spike latency 1.5 ms; 20 clamped steps; input 20 steps after a
spike discarded, 21 steps after accepted).  Brian2's runtime mode is single-threaded:
``--threads`` is accepted for the runner's sake and ignored.

Brian2 keeps compiled Cython modules in an on-disk cache (by default
``~/.cython/brian_extensions``); only the first run of a given network structure pays
for the C compilation, much as nestling's kernels come from numba's on-disk cache.
``--cache-dir`` points Brian2 at another cache, e.g. a fresh empty folder to time a
cold start.

The last line on stdout is a JSON object with the keys of ``brunel_worker.py``:

``import_s``
    ``import brian2``.
``setup_s``
    Preferences (code generation target, dt) and the random seed.
``create_connect_s``
    Creating the groups, drawing the connections with NumPy and handing them to
    ``Synapses.connect``, the Poisson input, the monitors and the ``Network``.  Brian2
    generates and compiles the code of ``connect`` here.
``prepare_s``
    ``Network.run(0 ms)``: code generation and compilation (or loading from the
    cache) of every code object the run needs, no step taken.  ``Network.run`` repeats the code
    generation (not the compilation, whose modules are kept in memory), so a small
    part of that work is counted again in ``simulate_s``.
``build_s``
    ``create_connect_s + prepare_s``.
``simulate_s``
    ``Network.run(simtime)``.
``total_s``
    Import, setup, build and simulate together.
``rate_hz``
    Mean firing rate of the recorded neurons, computed as seed 002 does.
``peak_rss_mib``
    Peak resident memory of this process (``getrusage``), in MiB; the C compiler
    runs in child processes and is not included.
``connections``
    Recurrent synapses + one Poisson input per neuron + 100 recorded neurons, the
    count that ``nest.num_connections`` gives for the NEST version of the network.
"""

import argparse
import json
import resource
import sys
import time

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--ne", type=int, default=5000, help="number of excitatory neurons (default 5000)")
parser.add_argument("--ce", type=int, default=1000, help="excitatory in-degree (default 1000)")
parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
parser.add_argument("--threads", type=int, default=1, help="ignored: Brian2's runtime mode uses one thread")
parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
parser.add_argument(
    "--network", choices=["delta"], default="delta", help="only the delta network is written for Brian2"
)
parser.add_argument("--cache-dir", help="Cython cache folder (default: Brian2's own, ~/.cython/brian_extensions)")
args = parser.parse_args()

t_start = time.perf_counter()
import brian2 as b2  # noqa: E402  (timed on purpose)
import numpy as np  # noqa: E402

t_imported = time.perf_counter()

from brian2 import ms, mV  # noqa: E402

NE = args.ne
NI = NE // 4
N = NE + NI
N_rec = 50
CE = args.ce
CI = CE // 4
g, eta = 5.0, 2.0
w = 0.1 * mV
delay = 1.5 * ms
tau_m = 20.0 * ms
V_th = 20.0 * mV
V_reset = 10.0 * mV
t_ref = 2.0 * ms
dt = 0.1 * ms
# Threshold rate: the rate at which CE inputs of weight w hold the free membrane at V_th.
nu_th = V_th / (w * CE * tau_m)
nu_ex = eta * nu_th  # per external source; CE sources per neuron -> 20 kHz in total

t_setup = time.perf_counter()
b2.prefs.codegen.target = "cython"
b2.prefs.logging.file_log = False
b2.prefs.logging.delete_log_on_exit = True
if args.cache_dir:
    b2.prefs.codegen.runtime.cython.cache_dir = args.cache_dir
b2.defaultclock.dt = dt
b2.seed(args.seed)
namespace = {"tau_m": tau_m, "V_th": V_th, "V_reset": V_reset, "w": w, "w_in": -g * w}

t_build = time.perf_counter()
neurons = b2.NeuronGroup(
    N,
    "dv/dt = -v / tau_m : volt (unless refractory)",
    threshold="v >= V_th",
    reset="v = V_reset",
    refractory=t_ref + dt,  # NEST's 20 clamped steps (see the module docstring)
    method="exact",
    name="neurons",
)
neurons.v = 0 * mV
neurons_e = neurons[:NE]
neurons_i = neurons[NE:]
# Input arriving while a neuron is refractory is discarded, as in iaf_psc_delta.  The
# queue adds one step to Brian2's delay in this schedule (see the module docstring).
syn_e = b2.Synapses(neurons_e, neurons, on_pre="v_post += w * int(not_refractory_post)", delay=delay - dt, name="syn_e")
syn_i = b2.Synapses(
    neurons_i, neurons, on_pre="v_post += w_in * int(not_refractory_post)", delay=delay - dt, name="syn_i"
)
# Fixed in-degree with replacement: every target gets CE (CI) sources drawn uniformly.
targets_e = np.repeat(np.arange(N, dtype=np.int32), CE)
sources_e = np.random.randint(0, NE, size=N * CE).astype(np.int32)
syn_e.connect(i=sources_e, j=targets_e)
del sources_e, targets_e
targets_i = np.repeat(np.arange(N, dtype=np.int32), CI)
sources_i = np.random.randint(0, NI, size=N * CI).astype(np.int32)
syn_i.connect(i=sources_i, j=targets_i)
del sources_i, targets_i
external = b2.PoissonInput(neurons, "v", N=CE, rate=nu_ex, weight="w * int(not_refractory)")
spikes_e = b2.SpikeMonitor(neurons[:N_rec], record=False, name="spikes_e")
spikes_i = b2.SpikeMonitor(neurons[NE : NE + N_rec], record=False, name="spikes_i")
net = b2.Network(neurons, syn_e, syn_i, external, spikes_e, spikes_i)
# Membrane update, then input, then threshold: the order of NEST's update step.
net.schedule = ["start", "groups", "synapses", "thresholds", "resets", "end"]
t_connected = time.perf_counter()
# A run of zero length generates and compiles (or loads) every code object the run needs.
net.run(0 * ms, namespace=namespace)
t_built = time.perf_counter()
net.run(args.simtime * ms, namespace=namespace)
t_simulated = time.perf_counter()

rate_ex = int(spikes_e.num_spikes) / args.simtime / N_rec * 1e3
rate_in = int(spikes_i.num_spikes) / args.simtime / N_rec * 1e3
# ru_maxrss is in KiB on Linux and in bytes on macOS.
maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
peak_rss_mib = maxrss / 2**20 if sys.platform == "darwin" else maxrss / 2**10
synapses = int(len(syn_e)) + int(len(syn_i))

result = {
    "simulator": "brian2",
    "network": args.network,
    "brian2_file": b2.__file__,
    "brian2_version": b2.__version__,
    "codegen_target": str(b2.prefs.codegen.target),
    "ne": NE,
    "ce": CE,
    "simtime_ms": args.simtime,
    "threads": 1,
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
    "synapses": synapses,
    "connections": synapses + N + 2 * N_rec,
}
print(json.dumps(result))
