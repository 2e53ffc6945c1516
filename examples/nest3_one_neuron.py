"""One neuron with a constant current, in NEST 3 style (twin of seeds 000 and 001).

The same experiment as ``seed000_one_neuron.py`` / ``seed001_one_neuron.py``
written the NEST 3 way: kernel attributes (``nest.resolution``), node
attributes (``neuron.I_e = 376.0``), ``.get()``/``.set()``, a
``spike_recorder`` instead of the removed ``spike_detector``, and
``multimeter.events``.  It runs unchanged on nestling and on NEST 3.10.

Run ``python nest3_one_neuron.py [--out DIR]``.
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
out = args.out or tempfile.mkdtemp(prefix="nest3-one-neuron-")
os.makedirs(out, exist_ok=True)

nest.ResetKernel()
nest.resolution = 0.1

neuron = nest.Create("iaf_psc_alpha")
print("V_reset, V_th:", neuron.get(["V_reset", "V_th"]))
neuron.I_e = 376.0

# Times are always recorded in NEST 3; only the quantities need naming.
multimeter = nest.Create("multimeter")
multimeter.set(record_from=["V_m"])
spike_recorder = nest.Create("spike_recorder")

nest.Connect(multimeter, neuron)
nest.Connect(neuron, spike_recorder)

nest.Simulate(1000.0)

events = multimeter.events
plt.figure(figsize=(10, 5))
plt.plot(events["times"], events["V_m"], label="V_m")
plt.xlabel("time (ms)")
plt.ylabel("membrane potential (mV)")
plt.legend(loc="upper right")
voltage_png = os.path.join(out, "nest3_one_neuron_voltage.png")
plt.savefig(voltage_png)

spikes = spike_recorder.get("events")
plt.figure(figsize=(10, 5))
plt.plot(spikes["times"], spikes["senders"], ".", label="spikes")
plt.xlabel("time (ms)")
plt.ylabel("neuron ID")
plt.legend(loc="upper right")
spikes_png = os.path.join(out, "nest3_one_neuron_spikes.png")
plt.savefig(spikes_png)

print(f"Figures: {voltage_png}, {spikes_png}")
print("Spike times (ms): " + ", ".join(f"{t:.1f}" for t in spikes["times"]))
