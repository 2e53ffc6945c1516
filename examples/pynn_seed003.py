"""Simple network model using PyNN (seed 003's tutorial), run by PyNN's NEST backend on nestling.

The tutorial's script, with its one slip corrected: PyNN's name for the refractory period is
``tau_refrac`` (``t_refrac`` gets PyNN's own error naming the valid parameters). 100
integrate-and-fire neurons with a bias current, their resting potential and threshold drawn
from Gaussians, record their membrane potential; a second population receives them through a
random projection. Needs ``pip install -e ".[pynn]"``.

Run ``python pynn_seed003.py [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import pyNN.nest as sim
from pyNN.random import RandomDistribution
from pyNN.utility.plotting import Figure, Panel

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("--out", help="directory for the figures (default: a temporary one)")
args = parser.parse_args()
out = args.out or tempfile.mkdtemp(prefix="pynn-seed003-")
os.makedirs(out, exist_ok=True)

sim.setup(timestep=0.1)

cell_type = sim.IF_curr_exp(
    v_rest=RandomDistribution("normal", mu=-65.0, sigma=1.0),
    v_thresh=RandomDistribution("normal", mu=-55.0, sigma=1.0),
    v_reset=-65,
    tau_refrac=1,
    tau_m=10,
    cm=1,
    i_offset=1.1,
)
population1 = sim.Population(100, cell_type, label="Population 1")
population2 = sim.Population(100, sim.IF_curr_exp(), label="Population 2")
population1.record(["v", "spikes"])
population2.record("spikes")
connection = sim.Projection(
    population1,
    population2,
    sim.FixedProbabilityConnector(0.5),
    sim.StaticSynapse(weight=0.05, delay=0.5),
    receptor_type="excitatory",
)

sim.run(100.0)

data = population1.get_data().segments[0]
v = data.filter(name="v")[0]
figure = os.path.join(out, "seed003_membrane.png")
Figure(
    Panel(v[:, 0:5], xticks=True, xlabel="Time (ms)", yticks=True, ylabel="Membrane potential (mV)"),
    title="Population 1, five neurons",
).save(figure)
n1 = sum(len(s) for s in data.spiketrains)
n2 = sum(len(s) for s in population2.get_data().segments[0].spiketrains)
print(f"Spikes: population 1 {n1}, population 2 {n2}; connections {connection.size()}")
print(f"Figures: {figure}")
sim.end()
