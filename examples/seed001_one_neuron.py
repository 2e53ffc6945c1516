"""One neuron, a multimeter and a spike detector (seed 001, part 1, PyNEST 2.x style).

From seed 001, "PyNEST -- Part 1: neurons and simple neural networks" (the
PyNEST tutorial, read in Chinese translation): create an iaf_psc_alpha
neuron, inspect and set its status, record V_m with a multimeter and spikes
with a spike detector, simulate 1000 ms and plot both.  ``pylab`` is replaced
by ``matplotlib.pyplot`` and the figures are saved instead of shown.

Runs on nestling, which accepts NEST 2.x forms (``spike_detector``,
``withgid``, ``withtime``) with a DeprecationWarning; NEST 3.10 does not.

Run ``python seed001_one_neuron.py [--out DIR]``.
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
out = args.out or tempfile.mkdtemp(prefix="seed001-one-neuron-")
os.makedirs(out, exist_ok=True)

neuron = nest.Create("iaf_psc_alpha")

# Status queries of the tutorial: the whole dictionary, one key, two keys.
nest.GetStatus(neuron)
print("I_e:", nest.GetStatus(neuron, "I_e"))
print("V_reset, V_th:", nest.GetStatus(neuron, ["V_reset", "V_th"]))

# 376 pA is enough to make the neuron fire periodically.  NEST is type
# sensitive: the tutorial notes that 376 (an int) would be rejected.
nest.SetStatus(neuron, {"I_e": 376.0})

multimeter = nest.Create("multimeter")
nest.SetStatus(multimeter, {"withtime": True, "record_from": ["V_m"]})

spikedetector = nest.Create("spike_detector", params={"withgid": True, "withtime": True})

# The order follows the flow of events: the multimeter asks the neuron for
# its potential, the neuron sends its spikes to the detector.
nest.Connect(multimeter, neuron)
nest.Connect(neuron, spikedetector)

nest.Simulate(1000.0)

dmm = nest.GetStatus(multimeter)[0]
Vms = dmm["events"]["V_m"]
ts = dmm["events"]["times"]

plt.figure(1)
plt.plot(ts, Vms)
voltage_png = os.path.join(out, "seed001_one_neuron_voltage.png")
plt.savefig(voltage_png)

dSD = nest.GetStatus(spikedetector, keys="events")[0]
evs = dSD["senders"]
ts = dSD["times"]
plt.figure(2)
plt.plot(ts, evs, ".")
spikes_png = os.path.join(out, "seed001_one_neuron_spikes.png")
plt.savefig(spikes_png)

print(f"Figures: {voltage_png}, {spikes_png}")
print("Spike times (ms): " + ", ".join(f"{t:.1f}" for t in ts))
