"""Current injection in PyNN: ``DCSource``, ``StepCurrentSource``, ``ACSource`` and ``NoisyCurrentSource``.

Four groups of ``IF_curr_exp`` cells, one per current source: a DC pulse from 50 to 250 ms,
a staircase of steps, a sine wave on an offset, and a noisy current (a new Gaussian value every
millisecond). PyNN's NEST backend turns the sources into NEST's ``dc_generator``,
``step_current_generator``, ``ac_generator`` and ``noise_generator``. The deterministic ones
give the same membrane potentials and spikes as real NEST 3.10 to 1e-9; the noise differs from
NEST's draw by draw (another random stream), so ``tests/test_pynn_examples.py`` compares its
effect in distribution (spread of the membrane potential, firing). Needs
``pip install -e ".[pynn]"``.

Run ``python pynn_current_injection.py [--precision on_grid|off_grid] [--out DIR]``.
"""

import matplotlib

matplotlib.use("Agg")

import argparse
import os
import tempfile

import numpy as np

SOURCES = ("dc", "steps", "ac", "noise")
N_NOISY = 20


def simulate(sim, precision="off_grid", t_stop=300.0, rng_seed=42):
    """Inject the four currents; return the membrane potentials and spike times of each group."""
    sim.setup(timestep=0.1, spike_precision=precision, rng_seed=rng_seed)
    cell_type = sim.IF_curr_exp(v_thresh=-55.0, tau_refrac=2.0)
    groups = {name: sim.Population(N_NOISY if name == "noise" else 1, cell_type, label=name) for name in SOURCES}
    sources = {
        "dc": sim.DCSource(amplitude=0.8, start=50.0, stop=250.0),
        "steps": sim.StepCurrentSource(times=[40.0, 100.0, 160.0, 220.0], amplitudes=[0.4, 0.7, 1.0, 0.0]),
        "ac": sim.ACSource(start=20.0, stop=280.0, amplitude=0.5, offset=0.5, frequency=15.0, phase=90.0),
        "noise": sim.NoisyCurrentSource(mean=0.6, stdev=0.4, start=30.0, stop=270.0, dt=1.0),
    }
    for name in SOURCES:
        groups[name].record(["v", "spikes"])
        sources[name].inject_into(groups[name])
    sim.run(t_stop)
    out, blocks = {}, {}
    for name in SOURCES:
        blocks[name] = block = groups[name].get_data()
        segment = block.segments[0]
        v = segment.filter(name="v")[0]
        out["times"] = np.asarray(v.times, dtype=float)
        out[f"v {name}"] = np.asarray(v, dtype=float)
        out[f"spikes {name}"] = [np.asarray(s, dtype=float) for s in segment.spiketrains]
    out["blocks"] = blocks
    sim.end()
    return out


def plot(result, path):
    from pyNN.utility.plotting import Figure, Panel

    panels = []
    for name in SOURCES:
        v = result["blocks"][name].segments[0].filter(name="v")[0]
        panels.append(Panel(v[:, 0], ylabel=f"{name}\nV_m (mV)", yticks=True, legend=False))
    panels[-1].options.update(xticks=True, xlabel="Time (ms)")
    Figure(*panels, title="Current sources").save(path)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--precision", default="off_grid", choices=["on_grid", "off_grid"])
    parser.add_argument("--out", help="directory for the figure (default: a temporary one)")
    args = parser.parse_args(argv)
    out = args.out or tempfile.mkdtemp(prefix="pynn-current-injection-")
    os.makedirs(out, exist_ok=True)

    import pyNN.nest as sim

    result = simulate(sim, precision=args.precision)
    path = os.path.join(out, "current_injection.png")
    plot(result, path)
    counts = {name: sum(len(s) for s in result[f"spikes {name}"]) for name in SOURCES}
    print("spikes: " + ", ".join(f"{k} {v}" for k, v in counts.items()) + f"; figure: {path}")
    return result


if __name__ == "__main__":
    main()
