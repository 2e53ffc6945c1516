"""Brunel (2000) sparsely connected E/I network, in NEST 3 style (twin of seed 002).

The network of ``seed002_brunel.py`` -- NE excitatory and NE/4 inhibitory
iaf_psc_delta neurons, fixed in-degrees CE and CE/4, w = 0.1 mV, g = 5,
delay 1.5 ms, Poisson drive at twice the threshold rate -- written with the
NEST 3 API: kernel attributes, ``spike_recorder``, ``.n_events`` and
``nest.raster_plot``.  It runs unchanged on nestling and on NEST 3.10.

Run ``python nest3_brunel.py [--ne 5000] [--ce 1000] [--simtime 1000]
[--threads 2] [--seed 1] [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import matplotlib.pyplot as plt

import nest
import nest.raster_plot

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--ne", type=int, default=5000, help="number of excitatory neurons (default 5000)")
parser.add_argument("--ce", type=int, default=1000, help="excitatory in-degree (default 1000)")
parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
parser.add_argument("--threads", type=int, default=2, help="local_num_threads (default 2)")
parser.add_argument("--seed", type=int, default=1, help="random seed of the kernel (default 1)")
parser.add_argument("--out", help="directory for the figures (default: a temporary one)")
args = parser.parse_args()
out = args.out or tempfile.mkdtemp(prefix="nest3-brunel-")
os.makedirs(out, exist_ok=True)

simtime = args.simtime
NE = args.ne
NI = NE // 4
N_rec = 50
CE = args.ce
CI = CE // 4
w, g, d = 0.1, 5.0, 1.5
V_th, tau_m = 20.0, 20.0
# Twice the external rate that alone would bring the mean input to threshold.
p_rate = 1e3 * 2.0 * V_th / (w * tau_m)

nest.ResetKernel()
nest.resolution = 0.1
nest.local_num_threads = args.threads
nest.rng_seed = args.seed
nest.print_time = False

nest.SetDefaults(
    "iaf_psc_delta",
    {
        "C_m": 1.0,
        "E_L": 0.0,
        "I_e": 0.0,
        "V_m": 0.0,
        "V_reset": 10.0,
        "V_th": V_th,
        "t_ref": 2.0,
        "tau_m": tau_m,
    },
)
neurons_e = nest.Create("iaf_psc_delta", NE)
neurons_i = nest.Create("iaf_psc_delta", NI)
pgen = nest.Create("poisson_generator", params={"rate": p_rate})
spikes_e = nest.Create("spike_recorder")
spikes_i = nest.Create("spike_recorder")

exc = {"delay": d, "weight": w}
inh = {"delay": d, "weight": -g * w}
nest.Connect(neurons_e, neurons_e + neurons_i, {"rule": "fixed_indegree", "indegree": CE}, exc)
nest.Connect(neurons_i, neurons_e + neurons_i, {"rule": "fixed_indegree", "indegree": CI}, inh)
nest.Connect(pgen, neurons_e + neurons_i, syn_spec=exc)
nest.Connect(neurons_e[:N_rec], spikes_e)
nest.Connect(neurons_i[:N_rec], spikes_i)

nest.Simulate(simtime)

rate_ex = spikes_e.n_events / simtime / N_rec * 1e3
rate_in = spikes_i.n_events / simtime / N_rec * 1e3
mean_rate = (rate_ex + rate_in) / 2.0

figures = []
for name, recorder in (("excitatory", spikes_e), ("inhibitory", spikes_i)):
    if recorder.n_events == 0:
        continue  # raster_plot refuses empty recorders
    nest.raster_plot.from_device(recorder, hist=True)
    path = os.path.join(out, f"nest3_brunel_raster_{name}.png")
    plt.savefig(path)
    figures.append(path)

print("Figures: " + ", ".join(figures))
print(f"Mean firing rate: {mean_rate} Hz (excitatory {rate_ex:.2f} Hz, inhibitory {rate_in:.2f} Hz)")
