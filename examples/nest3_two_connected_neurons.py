"""Two connected neurons, in NEST 3 style (twin of seed 001's last example).

Neuron 1 (``I_e = 376.0`` pA) fires regularly and excites neuron 2 through a
static synapse of weight 20.0 pA and delay 1.0 ms; a multimeter records
neuron 2's membrane potential and a spike recorder neuron 1's spikes.  The
same experiment as ``seed001_two_connected_neurons.py`` with the NEST 3 API;
it runs unchanged on nestling and on NEST 3.10.

Run ``python nest3_two_connected_neurons.py [--out DIR]``.
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
out = args.out or tempfile.mkdtemp(prefix="nest3-connected-")
os.makedirs(out, exist_ok=True)

nest.ResetKernel()
nest.resolution = 0.1

neuron1 = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
neuron2 = nest.Create("iaf_psc_alpha")
multimeter = nest.Create("multimeter", params={"record_from": ["V_m"]})
spike_recorder = nest.Create("spike_recorder")

nest.Connect(neuron1, neuron2, syn_spec={"weight": 20.0, "delay": 1.0})
nest.Connect(multimeter, neuron2)
nest.Connect(neuron1, spike_recorder)

nest.Simulate(1000.0)

events = multimeter.events
Vms = events["V_m"]
plt.figure()
plt.plot(events["times"], Vms)
plt.xlabel("time (ms)")
plt.ylabel("V_m of neuron 2 (mV)")
voltage_png = os.path.join(out, "nest3_two_connected_voltage.png")
plt.savefig(voltage_png)

spikes = spike_recorder.events["times"]
print(f"Figures: {voltage_png}")
print(
    "Spike times (ms): "
    + ", ".join(f"{t:.1f}" for t in spikes)
    + f" | neuron 2 V_m: first sample {Vms[0]:.2f} mV, peak {max(Vms):.2f} mV"
)
