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


CELLS = ["IF_curr_alpha", "IF_curr_exp", "IF_curr_delta", "IF_cond_alpha", "IF_cond_exp", "IF_cond_exp_gsfa_grr",
         "HH_cond_exp", "EIF_cond_alpha_isfa_ista", "EIF_cond_exp_isfa_ista", "Izhikevich", "GIF_cond_exp"]  # fmt: skip
SOURCES = {
    "SpikeSourcePoisson": {"rate": 50.0},
    "SpikeSourceArray": {"spike_times": [1.0, 2.0]},
    "SpikeSourceGamma": {"alpha": 2, "beta": 50.0},
    "SpikeSourcePoissonRefractory": {"rate": 50.0, "tau_refrac": 2.0},
    "SpikeSourceInhGamma": {},
}
CURRENTS = {
    "DCSource": {"amplitude": 0.5, "start": 5.0, "stop": 20.0},
    "StepCurrentSource": {"times": [5.0, 10.0], "amplitudes": [0.4, 0.6]},
    "ACSource": {"amplitude": 0.3, "frequency": 10.0, "offset": 0.2},
    "NoisyCurrentSource": {"mean": 0.5, "stdev": 0.2, "dt": 1.0},
}
CONNECTORS = {
    "AllToAllConnector": ((), {}),
    "FixedProbabilityConnector": ((0.3,), {}),
    "OneToOneConnector": ((), {}),
    "FixedNumberPreConnector": ((3,), {}),
    "FixedNumberPostConnector": ((3,), {}),
    "FixedTotalNumberConnector": ((20,), {}),
    "DistanceDependentProbabilityConnector": (("exp(-d)",), {}),
    "FromListConnector": (([(0, 1, 0.5, 1.0), (2, 3, 0.4, 2.0)],), {"column_names": ["weight", "delay"]}),
    "ArrayConnector": ((np.eye(10, dtype=bool),), {}),
}


def api_survey(sim):
    """PyNN's cell types, sources, current sources, connectors and synapse types, each briefly
    simulated: ``"ok"`` or the class of the error it raised (some fail on real NEST too)."""
    import os
    import tempfile

    results = {}

    def check(name, fn):
        try:
            fn()
            results[name] = "ok"
        except Exception as e:  # noqa: BLE001 - the error's class is the result
            results[name] = type(e).__name__
        sim.end()

    def cell(name):
        sim.setup(timestep=0.1)
        p = sim.Population(2, getattr(sim, name)())
        p.record(["v", "spikes"])
        sim.run(20.0)
        p.get_data()

    def source(name, kw):
        sim.setup(timestep=0.1)
        s = sim.Population(3, getattr(sim, name)(**kw))
        s.record("spikes")
        sim.Projection(s, sim.Population(3, sim.IF_curr_exp()), sim.OneToOneConnector(), sim.StaticSynapse(weight=0.5))
        sim.run(50.0)
        s.get_data()

    def current(name, kw):
        sim.setup(timestep=0.1)
        p = sim.Population(2, sim.IF_curr_exp())
        p.record("v")
        getattr(sim, name)(**kw).inject_into(p)
        sim.run(30.0)
        p.get_data()

    def connector(name, args, kw):
        sim.setup(timestep=0.1)
        a, b = sim.Population(10, sim.IF_curr_exp()), sim.Population(10, sim.IF_curr_exp())
        prj = sim.Projection(a, b, getattr(sim, name)(*args, **kw), sim.StaticSynapse(weight=0.1, delay=1.0))
        prj.get(["weight", "delay"], format="list")
        sim.run(5.0)

    def synapse(make):
        sim.setup(timestep=0.1)
        s = sim.Population(5, sim.SpikeSourcePoisson(rate=50.0))
        prj = sim.Projection(s, sim.Population(5, sim.IF_curr_exp(i_offset=1.0)), sim.AllToAllConnector(), make())
        sim.run(100.0)
        prj.get("weight", format="array")

    def views():
        sim.setup(timestep=0.1)
        a, b = sim.Population(10, sim.IF_curr_exp(), label="a"), sim.Population(5, sim.IF_cond_exp(), label="b")
        asm, v = a + b, a[2:6]
        v.record("v")
        asm.record("spikes")
        v.set(i_offset=1.0)
        sim.run(20.0)
        asm.get_data()
        v.get_data()

    def write():
        sim.setup(timestep=0.1)
        a = sim.Population(3, sim.IF_curr_exp(i_offset=1.0))
        a.record(["v", "spikes"])
        sim.run(20.0)
        a.write_data(os.path.join(tempfile.mkdtemp(), "out.pkl"))

    for name in CELLS:
        check("cell " + name, lambda name=name: cell(name))
    for name, kw in SOURCES.items():
        check("source " + name, lambda name=name, kw=kw: source(name, kw))
    for name, kw in CURRENTS.items():
        check("current " + name, lambda name=name, kw=kw: current(name, kw))
    for name, (args, kw) in CONNECTORS.items():
        check("connector " + name, lambda name=name, args=args, kw=kw: connector(name, args, kw))
    synapses = {
        "TsodyksMarkramSynapse": lambda: sim.TsodyksMarkramSynapse(U=0.5, tau_rec=100.0, tau_facil=10.0, weight=0.1),
        "STDP additive": lambda: sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(), weight_dependence=sim.AdditiveWeightDependence(), weight=0.1
        ),
        "STDP multiplicative": lambda: sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(), weight_dependence=sim.MultiplicativeWeightDependence(), weight=0.1
        ),
        "STDP additive-multiplicative": lambda: sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(),
            weight_dependence=sim.AdditivePotentiationMultiplicativeDepression(),
            weight=0.1,
        ),
        "STDP Gutig": lambda: sim.STDPMechanism(
            timing_dependence=sim.SpikePairRule(), weight_dependence=sim.GutigWeightDependence(), weight=0.1
        ),
        "SimpleStochasticSynapse": lambda: sim.SimpleStochasticSynapse(p=0.5, weight=0.1),
        "StochasticTsodyksMarkramSynapse": lambda: sim.StochasticTsodyksMarkramSynapse(U=0.5, weight=0.1),
        "MultiQuantalSynapse": lambda: sim.MultiQuantalSynapse(U=0.5, n=3, weight=0.1),
    }
    for name, make in synapses.items():
        check("synapse " + name, lambda make=make: synapse(make))
    check("Assembly and PopulationView", views)
    check("write_data (pickle)", write)

    def on_grid():
        sim.setup(timestep=0.1, spike_precision="on_grid")
        p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
        p.record("spikes")
        sim.run(30.0)
        p.get_data()

    def reset_and_rerun():
        # PyNN resets a NEST network only when told how long to run it on to flush its queues.
        sim.setup(timestep=0.1, t_flush=200.0)
        p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
        p.record(["v", "spikes"])
        sim.run(20.0)
        sim.reset()
        p.set(i_offset=1.5)
        sim.run(20.0)
        if len(p.get_data().segments) != 2:
            raise AssertionError("two segments expected")

    def callbacks():
        sim.setup(timestep=0.1)
        p = sim.Population(2, sim.IF_curr_exp(i_offset=1.0))
        times = []
        sim.run(30.0, callbacks=[lambda t: times.append(t) or t + 10.0])
        if len(times) != 4:  # at 0, 10, 20 and 30 ms
            raise AssertionError(f"callbacks at {times}")
        p.get("tau_m")

    def native_types():
        sim.setup(timestep=0.1)
        cell = sim.native_cell_type("aeif_cond_exp")
        syn = sim.native_synapse_type("tsodyks2_synapse")
        a = sim.Population(2, cell())
        b = sim.Population(2, sim.SpikeSourcePoisson(rate=100.0))
        sim.Projection(b, a, sim.AllToAllConnector(), syn(weight=1.0, delay=1.0, U=0.3))
        a.record("V_m")
        sim.run(20.0)
        a.get_data()

    def save_connections():
        sim.setup(timestep=0.1)
        a, b = sim.Population(3, sim.IF_curr_exp()), sim.Population(3, sim.IF_curr_exp())
        prj = sim.Projection(a, b, sim.AllToAllConnector(), sim.StaticSynapse(weight=0.1, delay=1.0))
        prj.set(weight=0.2)
        prj.save("all", os.path.join(tempfile.mkdtemp(), "conns.txt"))
        sim.run(5.0)

    def time_queries():
        sim.setup(timestep=0.1, min_delay=0.5, max_delay=5.0)
        got = (sim.get_time_step(), sim.get_min_delay(), sim.get_max_delay())
        sim.run(1.0)
        if got != (0.1, 0.5, 5.0) or abs(sim.get_current_time() - 1.0) > 1e-9:
            raise AssertionError(f"{got} {sim.get_current_time()}")

    def native_rng():
        # Connections and weights drawn by NEST itself (nest.random parameters, NEST's rules).
        from pyNN.nest import NativeRNG
        from pyNN.random import RandomDistribution

        sim.setup(timestep=0.1)
        a, b = sim.Population(10, sim.IF_curr_exp()), sim.Population(10, sim.IF_curr_exp())
        w = RandomDistribution("uniform", (0.1, 0.2), rng=NativeRNG(seed=3))
        connector = sim.FixedProbabilityConnector(0.3, rng=NativeRNG(seed=5))
        prj = sim.Projection(a, b, connector, sim.StaticSynapse(weight=w, delay=1.0))
        weights = prj.get("weight", format="array")
        if not (0 < prj.size() < 100 and np.nanmin(weights) >= 0.1 and np.nanmax(weights) <= 0.2):
            raise AssertionError(f"{prj.size()} connections, weights {np.nanmin(weights)}..{np.nanmax(weights)}")
        sim.run(5.0)

    check("connector FixedProbabilityConnector, weights from NativeRNG", native_rng)
    check("spike_precision on_grid", on_grid)
    check("reset() and run again", reset_and_rerun)
    check("run with callbacks", callbacks)
    check("native_cell_type / native_synapse_type", native_types)
    check("Projection.set and save", save_connections)
    check("time step, delays, current time", time_queries)
    return results


def main():
    import warnings

    import _common

    warnings.simplefilter("ignore")
    import pyNN.nest as sim

    out = run(sim)
    out["survey"] = api_survey(sim)
    path = os.path.join(_common.REF_DIR, "pynn_basic.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path)


if __name__ == "__main__":
    main()
