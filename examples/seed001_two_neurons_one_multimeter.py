"""Two neurons on one multimeter, split by slicing (seed 001, part 1, PyNEST 2.x style).

From seed 001, "PyNEST -- Part 1: neurons and simple neural networks": the
one-neuron example gets a second neuron, an ``iaf_neuron`` with
``I_e = 370.0`` pA, recorded by the same multimeter.  The multimeter's events
interleave the two neurons, so the tutorial separates them with strided
slices: ``[::2]`` for the first neuron, ``[1::2]`` for the second.

``iaf_neuron`` (the old name of iaf_psc_alpha) and the other NEST 2.x forms
run on nestling, not on NEST 3.10.

Run ``python seed001_two_neurons_one_multimeter.py [--out DIR]``.
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
out = args.out or tempfile.mkdtemp(prefix="seed001-two-neurons-")
os.makedirs(out, exist_ok=True)

neuron = nest.Create("iaf_psc_alpha")
nest.SetStatus(neuron, {"I_e": 376.0})

multimeter = nest.Create("multimeter")
nest.SetStatus(multimeter, {"withtime": True, "record_from": ["V_m"]})

spikedetector = nest.Create("spike_detector", params={"withgid": True, "withtime": True})

nest.Connect(multimeter, neuron)
nest.Connect(neuron, spikedetector)

# The additional neuron, with a slightly smaller current, on the same multimeter.
neuron2 = nest.Create("iaf_neuron")
nest.SetStatus(neuron2, {"I_e": 370.0})
nest.Connect(multimeter, neuron2)

nest.Simulate(1000.0)

dmm = nest.GetStatus(multimeter)[0]

# Plotting all events as one line would zig-zag between the two neurons;
# every second entry belongs to the same neuron.
plt.figure(2)
Vms1 = dmm["events"]["V_m"][::2]  # start at index 0: till the end: each second entry
ts1 = dmm["events"]["times"][::2]
plt.plot(ts1, Vms1)
Vms2 = dmm["events"]["V_m"][1::2]  # start at index 1: till the end: each second entry
ts2 = dmm["events"]["times"][1::2]
plt.plot(ts2, Vms2)
voltage_png = os.path.join(out, "seed001_two_neurons_voltage.png")
plt.savefig(voltage_png)

dSD = nest.GetStatus(spikedetector, keys="events")[0]
senders = dmm["events"]["senders"]
# Check the assumption behind the slicing: each slice holds a single sender.
split_ok = len(set(senders[::2])) == 1 and len(set(senders[1::2])) == 1

print(f"Figures: {voltage_png}")
print(
    "Spike times (ms): "
    + ", ".join(f"{t:.1f}" for t in dSD["times"])
    + f" | samples per neuron: {len(Vms1)}, {len(Vms2)}"
    + f" | max V_m of neuron 2: {max(Vms2):.2f} mV"
    + f" | slices separate the neurons: {split_ok}"
)
