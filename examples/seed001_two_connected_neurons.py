"""Two connected neurons (seed 001, part 1, PyNEST 2.x style).

From seed 001, "PyNEST -- Part 1: neurons and simple neural networks":
neuron 1 (``I_e = 376.0`` pA) fires regularly and is connected to neuron 2
with weight 20.0 pA and the default delay of 1 ms; the multimeter records
neuron 2, whose potential shows a post-synaptic potential after each spike
of neuron 1.  A spike detector on neuron 1, as in the tutorial's first
example, reports neuron 1's spike times.

Runs on nestling (NEST 2.x forms, with a DeprecationWarning), not on NEST 3.10.

Run ``python seed001_two_connected_neurons.py [--out DIR]``.
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
out = args.out or tempfile.mkdtemp(prefix="seed001-connected-")
os.makedirs(out, exist_ok=True)

neuron1 = nest.Create("iaf_psc_alpha")
nest.SetStatus(neuron1, {"I_e": 376.0})
neuron2 = nest.Create("iaf_psc_alpha")
multimeter = nest.Create("multimeter")
nest.SetStatus(multimeter, {"withtime": True, "record_from": ["V_m"]})
spikedetector = nest.Create("spike_detector", params={"withgid": True, "withtime": True})

# The tutorial's equivalent shortcut that also names the delay would be
# nest.Connect(neuron1, neuron2, syn_spec={"weight": 20, "delay": 1.0}).
nest.Connect(neuron1, neuron2, syn_spec={"weight": 20.0})
nest.Connect(multimeter, neuron2)
nest.Connect(neuron1, spikedetector)

nest.Simulate(1000.0)

dmm = nest.GetStatus(multimeter)[0]
Vms = dmm["events"]["V_m"]
ts = dmm["events"]["times"]
plt.figure(1)
plt.plot(ts, Vms)
plt.xlabel("time (ms)")
plt.ylabel("V_m of neuron 2 (mV)")
voltage_png = os.path.join(out, "seed001_two_connected_voltage.png")
plt.savefig(voltage_png)

spikes = nest.GetStatus(spikedetector, keys="events")[0]["times"]
print(f"Figures: {voltage_png}")
print(
    "Spike times (ms): "
    + ", ".join(f"{t:.1f}" for t in spikes)
    + f" | neuron 2 V_m: first sample {Vms[0]:.2f} mV, peak {max(Vms):.2f} mV"
)
