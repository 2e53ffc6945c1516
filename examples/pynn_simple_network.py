"""A small PyNN network drawn with ``pyNN.utility.plotting`` (``Figure`` and ``Panel``).

Twenty spike sources fire at times drawn once from a seeded ``NumpyRNG``; they excite ten
``IF_curr_exp`` cells through a random projection with random weights, and the cells inhibit
one another. Cell parameters and initial membrane potentials are random too. PyNN draws every
random number here in Python (``NumpyRNG``), so the network, and hence every spike and trace,
is the same on any simulator: run through ``pyNN.nest`` on nestling and on real NEST 3.10 they
agree to 1e-9 (``tests/test_pynn_examples.py``).

``--precision on_grid`` makes ``IF_curr_exp`` NEST's ``iaf_psc_exp`` (spikes on the 0.1 ms
grid); PyNN's default, ``off_grid``, makes it ``iaf_psc_exp_ps`` (spike times between grid
points). Needs ``pip install -e ".[pynn]"``.

Run ``python pynn_simple_network.py [--precision on_grid|off_grid] [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import numpy as np


def simulate(sim, precision="off_grid", t_stop=200.0, seed=20231):
    """Build and run the network; return its traces and spike times as arrays."""
    from pyNN.parameters import Sequence
    from pyNN.random import NumpyRNG, RandomDistribution

    sim.setup(timestep=0.1, min_delay=0.5, spike_precision=precision)
    rng = NumpyRNG(seed=seed)
    # Poisson-like input trains at about 40 spikes/s, drawn once here so that both simulators
    # receive the same spikes; rounded to 0.01 ms so that most fall between grid points.
    trains = []
    for _ in range(20):
        gaps = rng.next(12, "exponential", {"beta": 25.0})
        trains.append(Sequence(np.round(5.0 + np.cumsum(gaps), 2)))
    inputs = sim.Population(20, sim.SpikeSourceArray(spike_times=trains), label="input")
    cell_type = sim.IF_curr_exp(
        tau_m=RandomDistribution("normal", (15.0, 2.0), rng=rng),
        v_thresh=-52.0,
        v_reset=-70.0,
        tau_refrac=2.0,
        tau_syn_E=3.0,
        tau_syn_I=6.0,
        i_offset=0.4,
    )
    cells = sim.Population(10, cell_type, label="cells")
    cells.initialize(v=RandomDistribution("uniform", (-70.0, -55.0), rng=rng))
    cells.record(["v", "spikes"])
    excitation = sim.Projection(
        inputs,
        cells,
        sim.FixedProbabilityConnector(0.3, rng=rng),
        sim.StaticSynapse(weight=RandomDistribution("uniform", (0.5, 1.5), rng=rng), delay=1.0),
        receptor_type="excitatory",
        label="input to cells",
    )
    inhibition = sim.Projection(
        cells,
        cells,
        sim.FixedProbabilityConnector(0.4, allow_self_connections=False, rng=rng),
        sim.StaticSynapse(weight=-0.8, delay=2.0),
        receptor_type="inhibitory",
        label="cells to cells",
    )
    sim.run(t_stop)
    block = cells.get_data()
    segment = block.segments[0]
    v = segment.filter(name="v")[0]
    out = {
        "times": np.asarray(v.times, dtype=float),
        "v": np.asarray(v, dtype=float),
        "spikes": [np.asarray(s, dtype=float) for s in segment.spiketrains],
        "n_excitation": excitation.size(),
        "n_inhibition": inhibition.size(),
        "weights": np.asarray(excitation.get("weight", format="array"), dtype=float),
        "block": block,
    }
    sim.end()
    return out


def plot(result, path):
    """Membrane potentials of three cells and the spikes of all of them, one panel each."""
    from pyNN.utility.plotting import Figure, Panel

    segment = result["block"].segments[0]
    v = segment.filter(name="v")[0]
    Figure(
        Panel(v[:, :3], ylabel="Membrane potential (mV)", yticks=True, legend=False),
        Panel(segment.spiketrains, xticks=True, xlabel="Time (ms)", yticks=True, markersize=3),
        title="Simple network",
        annotations="Simulated with nest (PyNN's NEST backend)",
    ).save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", default="off_grid", choices=["on_grid", "off_grid"])
    parser.add_argument("--out", help="directory for the figure (default: a temporary one)")
    args = parser.parse_args(argv)
    out = args.out or tempfile.mkdtemp(prefix="pynn-simple-network-")
    os.makedirs(out, exist_ok=True)

    import pyNN.nest as sim

    result = simulate(sim, precision=args.precision)
    path = os.path.join(out, "simple_network.png")
    plot(result, path)
    n = sum(len(s) for s in result["spikes"])
    print(f"{n} spikes from 10 cells ({args.precision}); {result['n_excitation']} input and ")
    print(f"{result['n_inhibition']} recurrent connections. Figure: {path}")
    return result


if __name__ == "__main__":
    main()
