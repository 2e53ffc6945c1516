"""One iaf_psc_alpha neuron driven by a constant current (seed 000, PyNEST 2.x style).

From seed 000, "NEST simulator: building the simplest biological neuron"
(a Medium article, read in Chinese translation): a neuron with
``I_e = 376.0`` pA fires regularly; a multimeter records its membrane
potential and a spike detector its spikes.  The code follows the article line
by line in NEST 2.x style.  The article reads from a ``spikeDetector`` it
never creates; here it is created and connected the way seed 001 does it.

NEST 2.x forms such as ``spike_detector``, ``withtime`` and ``nest.Models()``
are gone from NEST 3, so this script runs on nestling (which accepts them
with a DeprecationWarning), not on NEST 3.10.

Run ``python seed000_one_neuron.py [--out DIR]``; the figures are written to
DIR (default: a new temporary directory) and the spike times are printed.
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
out = args.out or tempfile.mkdtemp(prefix="seed000-")
os.makedirs(out, exist_ok=True)

# Create the neuron and look at the models and parameters on offer (in the
# article's notebook these calls display their results).
neuron = nest.Create("iaf_psc_alpha")
nest.Models()
nest.GetStatus(neuron)

# A constant input current large enough to make the neuron fire periodically.
nest.SetStatus(neuron, {"I_e": 376.0})

# The multimeter records V_m, together with the sample times.
multimeter = nest.Create("multimeter")
nest.SetStatus(multimeter, {"withtime": True, "record_from": ["V_m"]})

# The article plots the events of a spike detector it never creates.
spikeDetector = nest.Create("spike_detector", params={"withgid": True, "withtime": True})

# Direction matters: the multimeter polls the neuron, the neuron sends spikes
# to the detector.
nest.Connect(multimeter, neuron)
nest.Connect(neuron, spikeDetector)

nest.Simulate(1000.0)

dmm = nest.GetStatus(multimeter)[0]
Vms = dmm["events"]["V_m"]
ts = dmm["events"]["times"]

plt.figure(figsize=(10, 5))
plt.plot(ts, Vms, label="Voltage")
plt.xlabel("time")
plt.ylabel("Voltage")
plt.legend(loc="upper right")
voltage_png = os.path.join(out, "seed000_voltage.png")
plt.savefig(voltage_png)

dSD = nest.GetStatus(spikeDetector, keys="events")[0]
evs = dSD["senders"]
tss = dSD["times"]
plt.figure(figsize=(10, 5))
plt.plot(tss, evs, ".", label="spikes")
plt.xlabel("time")
plt.ylabel("Spikes")
plt.legend(loc="upper right")
spikes_png = os.path.join(out, "seed000_spikes.png")
plt.savefig(spikes_png)

print(f"Figures: {voltage_png}, {spikes_png}")
print("Spike times (ms): " + ", ".join(f"{t:.1f}" for t in tss))
