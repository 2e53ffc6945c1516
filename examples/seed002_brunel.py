"""Brunel (2000) sparsely connected E/I network (seed 002, PyNEST 2.x style).

From seed 002, "Modeling networks of spiking neurons using NEST" (Python
Module of the Week, 03.05.2019): NE excitatory and NI = NE/4 inhibitory
iaf_psc_delta neurons with fixed in-degrees CE = 1000 and CI = CE/4, weight
0.1 mV, relative inhibition g = 5, delay 1.5 ms, and Poisson input at twice
the threshold rate, which puts the network in the asynchronous irregular
state.  Spikes of 50 excitatory and 50 inhibitory neurons are recorded with
spike detectors; the script prints the mean firing rate and draws the two
raster plots with histograms.

The code is the notebook's, in its NEST 2.x style (``SetKernelStatus``,
``spike_detector`` with ``withtime``/``withgid``/``to_file``,
``GetStatus(spikes, 'n_events')``); ``%pylab inline`` is dropped and the
figures are saved.  It runs on nestling, not on NEST 3.10.

Run ``python seed002_brunel.py [--ne 5000] [--ce 1000] [--simtime 1000]
[--threads 2] [--out DIR]``.  ``--ne`` scales the network (NI follows);
``--ce`` lowers the in-degree for quick runs of small networks.
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
parser.add_argument(
    "--threads",
    type=int,
    default=2,
    help="local_num_threads (default 2, as in the seed)",
)
parser.add_argument("--out", help="directory for the figures (default: a temporary one)")
args = parser.parse_args()
out = args.out or tempfile.mkdtemp(prefix="seed002-brunel-")
os.makedirs(out, exist_ok=True)

# simulation parameters
simtime = args.simtime  # simulation time (ms)
dt = 0.1  # simulation resolution (ms)

# network parameters
gamma = 0.25  # relative number of inhibitory connections
NE = args.ne  # number of excitatory neurons (10.000 in [1])
NI = int(gamma * NE)  # number of inhibitory neurons
N_rec = 50  # record from 100 (50 e + 50 i) neurons
CE = args.ce  # indegree from excitatory neurons
CI = int(gamma * CE)  # indegree from inhibitory neurons

# synapse parameters
w = 0.1  # excitatory synaptic weight (mV)
g = 5.0  # relative inhibitory to excitatory synaptic weight
d = 1.5  # synaptic transmission delay (ms)

# neuron parameters
V_th = 20.0  # spike threshold (mV)
tau_m = 20.0  # membrane time constant (ms)
neuron_params = {
    "C_m": 1.0,  # membrane capacity (pF)
    "E_L": 0.0,  # resting membrane potential (mV)
    "I_e": 0.0,  # external input current (pA)
    "V_m": 0.0,  # membrane potential (mV)
    "V_reset": 10.0,  # reset membrane potential after a spike (mV)
    "V_th": V_th,
    "t_ref": 2.0,  # refractory period (ms)
    "tau_m": tau_m,
}

# external input parameters
nu_th = V_th / (w * tau_m)  # external rate needed to evoke activity (spikes/ms)
nu_ex = 2.0 * nu_th  # set external rate above threshold
p_rate = 1e3 * nu_ex  # external rate (spikes/s)

# configure kernel
nest.ResetKernel()
nest.SetKernelStatus(
    {
        "resolution": dt,  # set simulation resolution
        "print_time": True,  # enable printing of simulation progress (-> terminal)
        "local_num_threads": args.threads,  # use threads to build & simulate the network
    }
)

# set default parameters for neurons and create neurons
nest.SetDefaults("iaf_psc_delta", neuron_params)
neurons_e = nest.Create("iaf_psc_delta", NE)
neurons_i = nest.Create("iaf_psc_delta", NI)
# create poisson generator and set 'rate' to p_rate
pgen = nest.Create("poisson_generator", params={"rate": p_rate})
# create spike detectors
spikes_e = nest.Create("spike_detector")
spikes_i = nest.Create("spike_detector")
nest.SetStatus(spikes_e, [{"withtime": True, "withgid": True, "to_file": False}])
nest.SetStatus(spikes_i, [{"withtime": True, "withgid": True, "to_file": False}])

# create excitatory connections
syn_exc = {"delay": d, "weight": w}
conn_exc = {"rule": "fixed_indegree", "indegree": CE}
nest.Connect(neurons_e, neurons_e, conn_exc, syn_exc)
nest.Connect(neurons_e, neurons_i, conn_exc, syn_exc)

# create inhibitory connections
syn_inh = {"delay": d, "weight": -g * w}
conn_inh = {"rule": "fixed_indegree", "indegree": CI}
nest.Connect(neurons_i, neurons_e, conn_inh, syn_inh)
nest.Connect(neurons_i, neurons_i, conn_inh, syn_inh)

# connect poisson generator using the excitatory connection weight
nest.Connect(pgen, neurons_i, syn_spec=syn_exc)
nest.Connect(pgen, neurons_e, syn_spec=syn_exc)

# connect N_rec excitatory / inhibitory neurons to spike detector
nest.Connect(neurons_e[:N_rec], spikes_e)
nest.Connect(neurons_i[:N_rec], spikes_i)

# simulate
nest.Simulate(simtime)

# calculate mean firing rate in spikes per second
events_ex = nest.GetStatus(spikes_e, "n_events")[0]
events_in = nest.GetStatus(spikes_i, "n_events")[0]
rate_ex = events_ex / simtime / N_rec * 1e3
rate_in = events_in / simtime / N_rec * 1e3
mean_rate = (rate_ex + rate_in) / 2.0

# raster plot of spiking activity using nest.raster_plot (each call opens a figure)
figures = []
for name, recorder in (("excitatory", spikes_e), ("inhibitory", spikes_i)):
    if nest.GetStatus(recorder, "n_events")[0] == 0:
        continue  # nothing to draw; raster_plot refuses empty recorders
    nest.raster_plot.from_device(recorder, hist=True)
    path = os.path.join(out, f"seed002_brunel_raster_{name}.png")
    plt.savefig(path)
    figures.append(path)

print("Figures: " + ", ".join(figures))
print(f"Mean firing rate: {mean_rate} Hz")
