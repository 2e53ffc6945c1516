"""Short-term plasticity in PyNN: static, depressing and facilitating ``TsodyksMarkramSynapse``.

One spike source fires a regular train (every 20 ms for 200 ms, then a single recovery spike)
into three ``IF_cond_exp`` cells, each through a different synapse: static, depressing
(``U=0.5, tau_rec=800``) and facilitating (``U=0.04, tau_rec=100, tau_facil=1000``). PyNN's NEST
backend makes these NEST's ``static_synapse`` and ``tsodyks_synapse``. The excitatory
conductance and membrane potential of the three cells show how each synapse's efficacy changes
from spike to spike; ``tests/test_pynn_examples.py`` compares them with real NEST 3.10 (1e-9).
Needs ``pip install -e ".[pynn]"``.

Run ``python pynn_tsodyksmarkram.py [--precision on_grid|off_grid] [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import numpy as np

SYNAPSES = {
    "static": None,
    "depressing": {"U": 0.5, "tau_rec": 800.0, "tau_facil": 0.0},
    "facilitating": {"U": 0.04, "tau_rec": 100.0, "tau_facil": 1000.0},
}


def simulate(sim, precision="off_grid", t_stop=500.0):
    """Run the three synapses side by side; return conductances, potentials and spike times."""
    sim.setup(timestep=0.1, spike_precision=precision)
    times = [10.0 + 20.0 * k for k in range(10)] + [450.0]
    source = sim.Population(1, sim.SpikeSourceArray(spike_times=times), label="input")
    cells = sim.Population(3, sim.IF_cond_exp(tau_syn_E=5.0, tau_refrac=2.0), label="cells")
    cells.record(["gsyn_exc", "v", "spikes"])
    projections = []
    for i, (name, params) in enumerate(SYNAPSES.items()):
        weight = 0.01 if params is None else 0.01 / params["U"] * 0.5
        synapse = (
            sim.StaticSynapse(weight=weight, delay=1.0)
            if params is None
            else sim.TsodyksMarkramSynapse(weight=weight, delay=1.0, **params)
        )
        projections.append(
            sim.Projection(
                source, cells[i : i + 1], sim.AllToAllConnector(), synapse, receptor_type="excitatory", label=name
            )
        )
    sim.run(t_stop)
    block = cells.get_data()
    segment = block.segments[0]
    g = segment.filter(name="gsyn_exc")[0]
    v = segment.filter(name="v")[0]
    out = {
        "times": np.asarray(g.times, dtype=float),
        "gsyn_exc": np.asarray(g, dtype=float),
        "v": np.asarray(v, dtype=float),
        "spikes": [np.asarray(s, dtype=float) for s in segment.spiketrains],
        "weights": np.array([p.get("weight", format="array")[0, 0] for p in projections]),
        "block": block,
    }
    sim.end()
    return out


def plot(result, path):
    from pyNN.utility.plotting import Figure, Panel

    segment = result["block"].segments[0]
    panels = []
    for name in ("gsyn_exc", "v"):
        signal = segment.filter(name=name)[0]
        label = "conductance (uS)" if name == "gsyn_exc" else "V_m (mV)"
        for i, synapse in enumerate(SYNAPSES):
            panels.append(Panel(signal[:, i], ylabel=f"{synapse}\n{label}", yticks=True, legend=False))
    panels[-1].options.update(xticks=True, xlabel="Time (ms)")
    Figure(*panels, title="Tsodyks-Markram synapses").save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", default="off_grid", choices=["on_grid", "off_grid"])
    parser.add_argument("--out", help="directory for the figure (default: a temporary one)")
    args = parser.parse_args(argv)
    out = args.out or tempfile.mkdtemp(prefix="pynn-tsodyksmarkram-")
    os.makedirs(out, exist_ok=True)

    import pyNN.nest as sim

    result = simulate(sim, precision=args.precision)
    path = os.path.join(out, "tsodyksmarkram.png")
    plot(result, path)
    peaks = result["gsyn_exc"].max(axis=0)
    print("peak conductance (uS): " + ", ".join(f"{n} {p:.5f}" for n, p in zip(SYNAPSES, peaks)))
    print(f"Figure: {path}")
    return result


if __name__ == "__main__":
    main()
