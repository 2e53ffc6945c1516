"""PyNN's classic examples (``examples/pynn_*.py``) through PyNN 0.13's NEST backend on real NEST 3.10.

Writes ``tests/reference/pynn_examples.npz`` (traces, weights and spike times of the
deterministic examples, for ``spike_precision`` "on_grid" and "off_grid") and
``tests/reference/pynn_examples.json`` (statistics of the random ones over seeds, and the ports of
connections read before a simulation). ``tests/test_pynn_examples.py`` runs the same example
functions with PyNN on nestling. Needs PyNN in the reference environment.

Deterministic (every random number drawn by PyNN's ``NumpyRNG`` or none at all):
``simple_network``, ``tsodyksmarkram``, ``simple_stdp`` (four weight dependences), synapses with
parameters that differ per connection (``heterogeneous_synapses``), two runs around
``sim.reset()`` (``reset_segments``), and the DC,
step and AC groups of ``current_injection``. Random (NEST's own streams): the noisy-current group
of ``current_injection`` (seeds 1-6) and ``brunel`` (NE=400, seeds 1-6), both precisions.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(ROOT, "examples"))

PRECISIONS = ("on_grid", "off_grid")
SEEDS = (1, 2, 3, 4, 5, 6)
# Membrane potentials kept of the STDP example: the cells with the earliest and latest
# presynaptic spikes (all eleven would make the file large).
STDP_CELLS = [0, 10]


def flatten(name, result):
    """Arrays of one example run, keyed ``<name>/<precision>/<quantity>``; spike trains become
    their concatenated times and the count per cell."""
    out = {}
    for key, value in result.items():
        if key in ("block", "blocks"):
            continue
        if key.startswith("v ") and name.startswith("simple_stdp"):
            value = np.asarray(value)[:, STDP_CELLS]
        if isinstance(value, list) and (not value or isinstance(value[0], np.ndarray)):
            out[f"{name}/{key}/times"] = np.concatenate(value) if value else np.zeros(0)
            out[f"{name}/{key}/counts"] = np.array([len(s) for s in value])
        else:
            out[f"{name}/{key}"] = np.asarray(value)
    return out


def deterministic(sim):
    """Every deterministic example in both precisions, flattened."""
    import pynn_current_injection
    import pynn_simple_network
    import pynn_simple_stdp
    import pynn_tsodyksmarkram

    out = {}
    for precision in PRECISIONS:
        for name, module in (
            ("simple_network", pynn_simple_network),
            ("tsodyksmarkram", pynn_tsodyksmarkram),
            ("simple_stdp", pynn_simple_stdp),
        ):
            out.update(flatten(f"{name}/{precision}", module.simulate(sim, precision=precision)))
        out.update(flatten(f"heterogeneous/{precision}", heterogeneous_synapses(sim, precision)))
        out.update(flatten(f"reset/{precision}", reset_segments(sim, precision)))
        result = pynn_current_injection.simulate(sim, precision=precision)
        result = {k: v for k, v in result.items() if "noise" not in k}
        out.update(flatten(f"current_injection/{precision}", result))
    return out


def heterogeneous_synapses(sim, precision="off_grid"):
    """TsodyksMarkramSynapse and STDPMechanism whose parameters differ from connection to
    connection (drawn by PyNN's NumpyRNG): PyNN reads which parameters NEST keeps per connection
    from a connection's status, passes those as (targets, sources) arrays to ``Connect`` and sets
    the common ones on the model."""
    from pyNN.random import NumpyRNG, RandomDistribution

    sim.setup(timestep=0.1, spike_precision=precision)
    rng = NumpyRNG(seed=3)
    sources = sim.Population(3, sim.SpikeSourceArray(spike_times=[10.05, 30.0, 50.0, 70.0, 90.0]))
    cells = sim.Population(2, sim.IF_curr_exp(tau_syn_E=3.0, i_offset=0.9))
    cells.record(["v", "spikes"])
    depressing = sim.TsodyksMarkramSynapse(
        U=RandomDistribution("uniform", (0.2, 0.6), rng=rng),
        tau_rec=300.0,
        tau_facil=50.0,
        weight=RandomDistribution("uniform", (1.0, 3.0), rng=rng),
        delay=1.0,
    )
    tm = sim.Projection(sources, cells, sim.AllToAllConnector(), depressing)
    stdp = sim.STDPMechanism(
        timing_dependence=sim.SpikePairRule(tau_plus=RandomDistribution("uniform", (10.0, 30.0), rng=rng)),
        weight_dependence=sim.AdditiveWeightDependence(w_max=5.0),
        weight=RandomDistribution("uniform", (0.5, 1.5), rng=rng),
        delay=2.0,
    )
    plastic = sim.Projection(sources, cells, sim.AllToAllConnector(), stdp)
    sim.run(120.0)
    segment = cells.get_data().segments[0]
    out = {
        "v": np.asarray(segment.filter(name="v")[0], dtype=float),
        "spikes": [np.asarray(s, dtype=float) for s in segment.spiketrains],
        "U": tm.get("U", format="array"),
        "tm weight": tm.get("weight", format="array"),
        "stdp weight": plastic.get("weight", format="array"),
    }
    sim.end()
    return out


def reset_segments(sim, precision="off_grid"):
    """``sim.reset()`` between two runs (PyNN needs ``t_flush`` on NEST): one Neo segment per run,
    the second after a parameter change, times starting from 0 again."""
    sim.setup(timestep=0.1, spike_precision=precision, t_flush=100.0)
    cells = sim.Population(2, sim.IF_curr_exp(i_offset=[0.9, 1.1]))
    cells.record(["v", "spikes"])
    sim.run(50.0)
    sim.reset()
    cells.set(i_offset=1.4)
    sim.run(50.0)
    block = cells.get_data()
    out = {}
    for k, segment in enumerate(block.segments):
        v = segment.filter(name="v")[0]
        out[f"times {k}"] = np.asarray(v.times, dtype=float)
        out[f"v {k}"] = np.asarray(v, dtype=float)
        out[f"spikes {k}"] = [np.asarray(s, dtype=float) for s in segment.spiketrains]
    sim.end()
    return out


def connection_status_keys(nest):
    """What ``GetStatus`` shows of one connection of each synapse model PyNN uses."""
    out = {}
    for model in ("static_synapse_lbl", "tsodyks_synapse_lbl", "stdp_synapse_lbl", "bernoulli_synapse_lbl",
                  "quantal_stp_synapse_lbl"):  # fmt: skip
        nest.ResetKernel()
        a = nest.Create("iaf_psc_alpha", 2)
        nest.Connect(a[0], a[1], syn_spec={"synapse_model": model})
        conns = nest.GetConnections()
        out[model] = {"keys": sorted(nest.GetStatus(conns)[0]), "weight": nest.GetStatus(conns, "weight")}
    return out


def noise_statistics(result):
    """What the noisy current does to its group: mean and spread of V_m while it is on, and the
    spike count."""
    t, v = result["times"], result["v noise"]
    on = (t > 60.0) & (t < 270.0)
    return {
        "v_mean": float(v[on].mean()),
        "v_std": float(v[on].std()),
        "spikes": int(sum(len(s) for s in result["spikes noise"])),
    }


def brunel_statistics(result):
    return {k: result[k] for k in ("rate exc", "rate inh", "cv exc", "cv inh")} | {
        "n_connections": list(result["n_connections"])
    }


def random_examples(sim, seeds=SEEDS):
    """Statistics of the random examples for each precision and seed."""
    import pynn_brunel
    import pynn_current_injection

    out = {}
    for precision in PRECISIONS:
        out[f"noise/{precision}"] = [
            noise_statistics(pynn_current_injection.simulate(sim, precision=precision, rng_seed=s)) for s in seeds
        ]
        out[f"brunel/{precision}"] = [
            brunel_statistics(pynn_brunel.simulate(sim, precision=precision, seed=s)) for s in seeds
        ]
    return out


def write_and_read(sim, path):
    """Record a small network, ``write_data`` it to ``path`` (the suffix picks Neo's IO: ``.pkl``
    pickle, ``.nix`` NIX, which needs ``nixio``) and read the file back with Neo."""
    import neo.io

    sim.setup(timestep=0.1)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=[0.8, 1.0, 1.2]), label="cells")
    cells.record(["v", "spikes"])
    sim.run(60.0)
    cells.write_data(path)
    sim.end()
    io = neo.io.get_io(path)
    block = io.read_block() if path.endswith(".pkl") else io.read_all_blocks()[0]
    if hasattr(io, "close"):
        io.close()
    segment = block.segments[0]
    v = segment.filter(name="v")[0]
    return {
        "v": np.asarray(v, dtype=float)[::50].tolist(),
        "spikes": [np.asarray(s, dtype=float).tolist() for s in segment.spiketrains],
        "label": block.name,
    }


def ports_after_simulate(nest):
    """Ports of connections read with GetConnections before the first Simulate, read again after
    it (NEST sorts its connections then; PyNN caches such collections)."""
    out = {}
    for model in ("static_synapse", "stdp_synapse"):
        nest.ResetKernel()
        a = nest.Create("iaf_psc_alpha", 4)
        b = nest.Create("iaf_psc_alpha", 3)
        nest.Connect(b, a, "all_to_all", {"synapse_model": model})
        nest.Connect(a, b, "all_to_all", {"synapse_model": model})
        conns = nest.GetConnections(a[1:3])
        before = conns.get(["source", "target", "port"])
        nest.Simulate(5.0)
        out[model] = {"before": before, "after": conns.get(["source", "target", "port"])}
        out[model]["fresh"] = nest.GetConnections(a[1:3]).get(["source", "target", "port"])
        # PyNN's Projection.set reads sources() and targets(); a collection can remove itself.
        out[model]["sources"] = list(conns.sources())
        out[model]["targets"] = list(conns.targets())
        conns[0].disconnect()
        out[model]["left after disconnect"] = len(nest.GetConnections(a[1:3]))
    return out


def main():
    import warnings

    import _common

    warnings.simplefilter("ignore")
    import pyNN.nest as sim

    import nest

    arrays = deterministic(sim)
    path = os.path.join(_common.REF_DIR, "pynn_examples.npz")
    np.savez_compressed(path, **arrays)
    print("wrote", path)
    stats = random_examples(sim)
    stats["ports"] = ports_after_simulate(nest)
    stats["connection_status"] = connection_status_keys(nest)
    import tempfile

    tmp = tempfile.mkdtemp()
    stats["write_data"] = {
        suffix: write_and_read(sim, os.path.join(tmp, "cells" + suffix)) for suffix in (".pkl", ".nix")
    }
    path = os.path.join(_common.REF_DIR, "pynn_examples.json")
    with open(path, "w") as f:
        json.dump(stats, f, indent=1)
    print("wrote", path)


if __name__ == "__main__":
    main()
