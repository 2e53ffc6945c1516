"""A neuron driven by excitatory and inhibitory Poisson input, in NEST 3 style.

Twin of ``seed001_poisson_input.py``: no constant current, an 80 kHz
poisson_generator with weight 1.2 pA and a 15 kHz one with weight -2.0 pA.
Written with the NEST 3 API (``spike_recorder``, ``.set``, ``.events``,
``nest.voltage_trace``); it runs unchanged on nestling and on NEST 3.10.

Run ``python nest3_poisson_input.py [--out DIR] [--seed N]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import matplotlib.pyplot as plt

import nest
import nest.voltage_trace

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", help="directory for the figures (default: a temporary one)")
parser.add_argument("--seed", type=int, default=1, help="random seed of the kernel (default 1)")
args = parser.parse_args()
out = args.out or tempfile.mkdtemp(prefix="nest3-poisson-")
os.makedirs(out, exist_ok=True)

nest.ResetKernel()
nest.resolution = 0.1
nest.rng_seed = args.seed

neuron = nest.Create("iaf_psc_alpha")
neuron.I_e = 0.0

noise_ex = nest.Create("poisson_generator", params={"rate": 80000.0})
noise_in = nest.Create("poisson_generator")
noise_in.rate = 15000.0

nest.Connect(noise_ex, neuron, syn_spec={"weight": 1.2})
nest.Connect(noise_in, neuron, syn_spec={"weight": -2.0})

voltmeter = nest.Create("voltmeter")
spike_recorder = nest.Create("spike_recorder")
nest.Connect(voltmeter, neuron)
nest.Connect(neuron, spike_recorder)

nest.Simulate(1000.0)

plt.figure()
nest.voltage_trace.from_device(voltmeter)
voltage_png = os.path.join(out, "nest3_poisson_voltage.png")
plt.savefig(voltage_png)

n_spikes = spike_recorder.n_events
Vms = voltmeter.events["V_m"]
print(f"Figures: {voltage_png}")
print(f"Spikes: {n_spikes} in 1000 ms ({n_spikes:.0f} Hz), mean V_m {sum(Vms) / len(Vms):.2f} mV")
