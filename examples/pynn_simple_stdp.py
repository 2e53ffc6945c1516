"""Spike-timing-dependent plasticity in PyNN: ``STDPMechanism`` with each weight dependence.

Eleven presynaptic spike sources fire every 50 ms, each at a different time (from 5 ms after to
5 ms before a postsynaptic spike) between the spikes of a teacher train that makes its
postsynaptic ``IF_curr_exp`` cell fire. The pairs
are connected one to one by ``STDPMechanism(SpikePairRule, <weight dependence>)`` for each of
the four weight dependences PyNN's NEST backend maps onto NEST's ``stdp_synapse``: additive,
multiplicative, additive potentiation with multiplicative depression, and Gütig's. A callback
reads the weights every 10 ms, so the figure shows potentiation where the presynaptic spike
comes first and depression where it comes after. ``tests/test_pynn_examples.py`` compares the
weight trajectories, membrane potentials and spikes with real NEST 3.10 for ``on_grid`` and
``off_grid`` (PyNN's default) spike precision. Needs ``pip install -e ".[pynn]"``.

Run ``python pynn_simple_stdp.py [--precision on_grid|off_grid] [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import numpy as np

SHIFTS = np.linspace(-20.0, 20.0, 11)
PERIOD = 50.0


def weight_dependences(sim):
    """The weight dependences pyNN.nest supports, each with its own parameters."""
    return {
        "additive": sim.AdditiveWeightDependence(w_min=0.0, w_max=0.04),
        "multiplicative": sim.MultiplicativeWeightDependence(w_min=0.0, w_max=0.04),
        "additive-multiplicative": sim.AdditivePotentiationMultiplicativeDepression(w_min=0.0, w_max=0.04),
        "gutig": sim.GutigWeightDependence(w_min=0.0, w_max=0.04, mu_plus=0.5, mu_minus=0.5),
    }


class WeightRecorder:
    """PyNN run callback: reads a projection's weights at a fixed interval."""

    def __init__(self, projection, interval):
        self.projection = projection
        self.interval = interval
        self.times = []
        self.weights = []

    def __call__(self, t):
        self.times.append(t)
        self.weights.append(np.diag(self.projection.get("weight", format="array")).copy())
        return t + self.interval


def simulate(sim, precision="off_grid", t_stop=600.0):
    """Run the four STDP variants; return their weight trajectories, potentials and spikes."""
    sim.setup(timestep=0.1, min_delay=1.0, spike_precision=precision)
    n = len(SHIFTS)
    beats = np.arange(PERIOD, t_stop - 20.0, PERIOD)
    teacher = sim.Population(1, sim.SpikeSourceArray(spike_times=beats), label="teacher")
    # The cells fire about 2 ms after each beat: presynaptic spikes from 5 ms after one
    # postsynaptic spike (depression) to 5 ms before the next (potentiation).
    pre_trains = [np.round(beats + 27.0 + s, 1) for s in SHIFTS]
    from pyNN.parameters import Sequence

    pre = sim.Population(n, sim.SpikeSourceArray(spike_times=[Sequence(t) for t in pre_trains]), label="pre")
    recorders, posts = {}, {}
    for name, wd in weight_dependences(sim).items():
        post = sim.Population(n, sim.IF_curr_exp(tau_refrac=2.0, tau_syn_E=2.0), label=f"post {name}")
        post.record(["v", "spikes"])
        # The teacher's strong input makes every postsynaptic cell fire shortly after each beat.
        sim.Projection(teacher, post, sim.AllToAllConnector(), sim.StaticSynapse(weight=20.0, delay=1.0))
        stdp = sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(tau_plus=20.0, tau_minus=20.0, A_plus=0.01, A_minus=0.012),
            weight_dependence=wd,
            weight=0.02,
            delay=1.0,
        )
        projection = sim.Projection(pre, post, sim.OneToOneConnector(), stdp, label=name)
        recorders[name] = WeightRecorder(projection, 10.0)
        posts[name] = post
    # NEST sorts its connections at the first run, after which connections PyNN read and
    # cached before it point at other synapses; so read weights only once the network has run.
    sim.run(1.0)
    sim.run(t_stop - 1.0, callbacks=list(recorders.values()))
    out = {"weight_times": np.asarray(next(iter(recorders.values())).times, dtype=float)}
    blocks = {}
    for name, post in posts.items():
        blocks[name] = block = post.get_data()
        segment = block.segments[0]
        out[f"weights {name}"] = np.asarray(recorders[name].weights, dtype=float)
        out[f"v {name}"] = np.asarray(segment.filter(name="v")[0], dtype=float)
        out[f"spikes {name}"] = [np.asarray(s, dtype=float) for s in segment.spiketrains]
    out["blocks"] = blocks
    sim.end()
    return out


def plot(result, path):
    """One panel per weight dependence: the weight of each of the eleven synapses over time."""
    import neo
    import quantities as pq
    from pyNN.utility.plotting import Figure, Panel

    t = result["weight_times"]
    panels = []
    for name in result["blocks"]:
        w = neo.AnalogSignal(
            result[f"weights {name}"], units="nA", t_start=t[0] * pq.ms, sampling_period=(t[1] - t[0]) * pq.ms
        )
        panels.append(Panel(w, ylabel=f"{name}\nweight (nA)", yticks=True, legend=False))
    panels[-1].options.update(xticks=True, xlabel="Time (ms)")
    Figure(*panels, title="STDP: presynaptic spikes from 5 ms after to 5 ms before postsynaptic ones").save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", default="off_grid", choices=["on_grid", "off_grid"])
    parser.add_argument("--out", help="directory for the figure (default: a temporary one)")
    args = parser.parse_args(argv)
    out = args.out or tempfile.mkdtemp(prefix="pynn-simple-stdp-")
    os.makedirs(out, exist_ok=True)

    import pyNN.nest as sim

    result = simulate(sim, precision=args.precision)
    path = os.path.join(out, "simple_stdp.png")
    plot(result, path)
    for name in result["blocks"]:
        w = result[f"weights {name}"][-1]
        print(f"{name:>24}: final weights {np.array2string(w, precision=4)}")
    print(f"Figure: {path}")
    return result


if __name__ == "__main__":
    main()
