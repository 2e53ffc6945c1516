"""Brunel's sparsely connected network of excitatory and inhibitory cells, in PyNN (scaled down).

``NE`` excitatory and ``NE/4`` inhibitory ``IF_curr_exp`` cells; each receives ``CE = NE/10``
excitatory and ``CE/4`` inhibitory inputs (``FixedNumberPreConnector``, drawn by PyNN from a
seeded ``NumpyRNG``, so the network's wiring is the same on every simulator), inhibition ``g``
times stronger than excitation, and independent Poisson input (``SpikeSourcePoisson``) at
``eta`` times the rate that alone would bring a cell to threshold. Weights are set so that one
excitatory spike raises the membrane potential by ``J`` mV at its peak. With ``g=6, eta=1.5``
the cells fire irregularly at about 40 spikes/s.

The Poisson input comes from NEST's own random streams, which differ between nestling and NEST,
so ``tests/test_pynn_examples.py`` compares the population rates and the irregularity of the
firing with real NEST 3.10's over several seeds. Needs ``pip install -e ".[pynn]"``.

Run ``python pynn_brunel.py [--ne 400] [--seed 1] [--precision on_grid|off_grid] [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import numpy as np


def psp_peak(tau_m, tau_syn, cm):
    """Peak membrane deflection (mV) of a 1 nA exponential current on a passive membrane."""
    t = np.linspace(0.0, 10.0 * tau_m, 200001)
    v = tau_syn * tau_m / (cm * (tau_m - tau_syn)) * (np.exp(-t / tau_m) - np.exp(-t / tau_syn))
    return v.max()


def simulate(sim, ne=400, g=6.0, eta=1.5, J=0.5, delay=1.5, t_stop=400.0, seed=1, precision="off_grid"):
    """Build and run the network; return spike trains, rates and the wiring's size."""
    from pyNN.random import NumpyRNG, RandomDistribution

    sim.setup(timestep=0.1, min_delay=delay, max_delay=delay, spike_precision=precision, rng_seed=seed)
    ni = ne // 4
    ce, ci = ne // 10, ne // 40
    params = {"tau_m": 20.0, "cm": 0.25, "v_rest": 0.0, "v_reset": 10.0, "v_thresh": 20.0, "tau_refrac": 2.0}
    params.update(tau_syn_E=0.5, tau_syn_I=0.5, i_offset=0.0)
    w_exc = J / psp_peak(params["tau_m"], params["tau_syn_E"], params["cm"])  # nA
    w_inh = -g * w_exc
    # The external rate that alone keeps the mean membrane potential at threshold, times eta.
    nu_threshold = params["v_thresh"] / (J * ce * params["tau_m"]) * 1000.0  # spikes/s per input
    p_rate = eta * nu_threshold * ce

    rng = NumpyRNG(seed=2024)
    cells = sim.Population(ne + ni, sim.IF_curr_exp(**params), label="cells")
    exc, inh = cells[:ne], cells[ne:]
    cells.initialize(v=RandomDistribution("uniform", (0.0, 20.0), rng=rng))
    noise = sim.Population(ne + ni, sim.SpikeSourcePoisson(rate=p_rate), label="external input")
    connections = [
        sim.Projection(noise, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=w_exc, delay=delay)),
        sim.Projection(exc, cells, sim.FixedNumberPreConnector(ce, rng=rng),
                       sim.StaticSynapse(weight=w_exc, delay=delay), receptor_type="excitatory"),
        sim.Projection(inh, cells, sim.FixedNumberPreConnector(ci, rng=rng),
                       sim.StaticSynapse(weight=w_inh, delay=delay), receptor_type="inhibitory"),
    ]  # fmt: skip
    exc.record("spikes")
    inh.record("spikes")
    exc[:2].record("v")
    sim.run(t_stop)
    out = {"n_connections": [p.size() for p in connections], "blocks": {}}
    for pop, name in ((exc, "exc"), (inh, "inh")):
        out["blocks"][name] = block = pop.get_data()
        trains = [np.asarray(s, dtype=float) for s in block.segments[0].spiketrains]
        out[f"spikes {name}"] = trains
        out[f"rate {name}"] = sum(len(s) for s in trains) / len(trains) / (t_stop / 1000.0)
        isi = [np.diff(s) for s in trains if len(s) > 2]
        out[f"cv {name}"] = float(np.mean([d.std() / d.mean() for d in isi])) if isi else float("nan")
    sim.end()
    return out


def plot(result, path):
    from pyNN.utility.plotting import Figure, Panel

    exc = result["blocks"]["exc"].segments[0]
    Figure(
        Panel(exc.filter(name="v")[0], ylabel="V_m (mV)", yticks=True, legend=False),
        Panel(exc.spiketrains[:100], xticks=True, xlabel="Time (ms)", yticks=True, markersize=1),
        title=f"Brunel network: excitatory rate {result['rate exc']:.1f} spikes/s",
    ).save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ne", type=int, default=400, help="number of excitatory cells")
    parser.add_argument("--seed", type=int, default=1, help="NEST's rng_seed (the Poisson input)")
    parser.add_argument("--precision", default="off_grid", choices=["on_grid", "off_grid"])
    parser.add_argument("--out", help="directory for the figure (default: a temporary one)")
    args = parser.parse_args(argv)
    out = args.out or tempfile.mkdtemp(prefix="pynn-brunel-")
    os.makedirs(out, exist_ok=True)

    import pyNN.nest as sim

    result = simulate(sim, ne=args.ne, seed=args.seed, precision=args.precision)
    path = os.path.join(out, "brunel.png")
    plot(result, path)
    print(f"rates (spikes/s): excitatory {result['rate exc']:.2f}, inhibitory {result['rate inh']:.2f}; ")
    print(f"CV of ISIs {result['cv exc']:.2f}; connections {result['n_connections']}; figure: {path}")
    return result


if __name__ == "__main__":
    main()
