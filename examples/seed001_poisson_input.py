"""A neuron driven by excitatory and inhibitory Poisson input (seed 001, PyNEST 2.x style).

From seed 001, "PyNEST -- Part 1: neurons and simple neural networks": the
neuron's constant current is set to 0 and two poisson_generators drive it
instead, at 80 kHz with weight 1.2 pA (excitatory) and 15 kHz with weight
-2.0 pA (inhibitory).  The tutorial connects ``[noise[0]]`` and
``[noise[1]]``, but only ever defines ``noise_ex`` and ``noise_in``; these are
what it means, so they are connected here.

Runs on nestling (NEST 2.x forms, with a DeprecationWarning), not on NEST 3.10.

Run ``python seed001_poisson_input.py [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import matplotlib.pyplot as plt

import nest

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", help="directory for the figures (default: a temporary one)")
args = parser.parse_args()
out = args.out or tempfile.mkdtemp(prefix="seed001-poisson-")
os.makedirs(out, exist_ok=True)

neuron = nest.Create("iaf_psc_alpha")

noise_ex = nest.Create("poisson_generator")
noise_in = nest.Create("poisson_generator")
nest.SetStatus(noise_ex, {"rate": 80000.0})
nest.SetStatus(noise_in, {"rate": 15000.0})

# The input now comes from the generators only.
nest.SetStatus(neuron, {"I_e": 0.0})

syn_dict_ex = {"weight": 1.2}
syn_dict_in = {"weight": -2.0}
nest.Connect(noise_ex, neuron, syn_spec=syn_dict_ex)
nest.Connect(noise_in, neuron, syn_spec=syn_dict_in)

# "The rest of the code stays as before": multimeter and spike detector.
multimeter = nest.Create("multimeter")
nest.SetStatus(multimeter, {"withtime": True, "record_from": ["V_m"]})
spikedetector = nest.Create("spike_detector", params={"withgid": True, "withtime": True})
nest.Connect(multimeter, neuron)
nest.Connect(neuron, spikedetector)

nest.Simulate(1000.0)

dmm = nest.GetStatus(multimeter)[0]
Vms = dmm["events"]["V_m"]
ts = dmm["events"]["times"]
plt.figure(1)
plt.plot(ts, Vms)
voltage_png = os.path.join(out, "seed001_poisson_voltage.png")
plt.savefig(voltage_png)

dSD = nest.GetStatus(spikedetector, keys="events")[0]
plt.figure(2)
plt.plot(dSD["times"], dSD["senders"], ".")
spikes_png = os.path.join(out, "seed001_poisson_spikes.png")
plt.savefig(spikes_png)

n_spikes = len(dSD["times"])
print(f"Figures: {voltage_png}, {spikes_png}")
print(f"Spikes: {n_spikes} in 1000 ms ({n_spikes:.0f} Hz), mean V_m {sum(Vms) / len(Vms):.2f} mV")
