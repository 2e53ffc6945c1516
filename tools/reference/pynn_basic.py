"""PyNN 0.13's NEST backend on real NEST 3.10: membrane traces and spikes of a small network.

Writes ``tests/reference/pynn_basic.json``; ``tests/test_pynn.py`` runs ``run`` with the same
PyNN on nestling. Needs PyNN in the reference environment (``.ref-nest/bin/pip install
PyNN==0.13.*``). The cells are PyNN's defaults for the NEST backend: ``IF_curr_exp`` becomes
NEST's ``iaf_psc_exp_ps`` (PyNN's ``spike_precision="off_grid"``), ``IF_cond_exp``
``iaf_cond_exp``.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)


def run(sim):
    """Bias-driven IF_curr_exp cells inhibit IF_cond_exp cells that a spike source excites."""
    sim.setup(timestep=0.1)
    cell = sim.IF_curr_exp(v_rest=-65, v_thresh=-55, v_reset=-65, tau_refrac=1, tau_m=10, cm=1, i_offset=1.1)
    p1 = sim.Population(5, cell, label="Population 1")
    p2 = sim.Population(5, sim.IF_cond_exp(), label="Population 2")
    src = sim.Population(3, sim.SpikeSourceArray(spike_times=[5.0, 12.3, 40.0]))
    p1.record(["v", "spikes"])
    p2.record(["v", "spikes"])
    sim.Projection(src, p2, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.05, delay=0.5),
                   receptor_type="excitatory")  # fmt: skip
    sim.Projection(p1, p2, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.02, delay=1.0),
                   receptor_type="inhibitory")  # fmt: skip
    sim.run(100.0)
    d1 = p1.get_data().segments[0]
    d2 = p2.get_data().segments[0]
    out = {
        "v1": np.asarray(d1.filter(name="v")[0])[:, 0].tolist(),
        "v2": np.asarray(d2.filter(name="v")[0])[:, 0].tolist(),
        "spikes1": [[float(t) for t in s] for s in d1.spiketrains],
        "spikes2": [[float(t) for t in s] for s in d2.spiketrains],
    }
    sim.end()
    return out


def main():
    import warnings

    import _common

    warnings.simplefilter("ignore")
    import pyNN.nest as sim

    out = run(sim)
    path = os.path.join(_common.REF_DIR, "pynn_basic.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path)


if __name__ == "__main__":
    main()
