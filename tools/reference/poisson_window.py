"""When poisson_generator is active, in real NEST 3.10: first and last spike times through parrots.

Writes ``tests/reference/poisson_window.json``. At 1e6 spikes/s every step of the window has a
spike (the chance of none is e**-100), so the first and last spike times show the window exactly;
``tests/test_poisson_window.py`` runs the same function on nestling.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

CASES = [
    {"start": 10.0, "stop": 20.0, "origin": 0.0, "delay": 1.0, "resolution": 0.1},
    {"start": 0.0, "stop": 5.0, "origin": 0.0, "delay": 0.5, "resolution": 0.1},
    {"start": 2.5, "stop": 7.0, "origin": 3.0, "delay": 2.0, "resolution": 0.1},
    {"start": 1.0, "stop": 3.0, "origin": 0.0, "delay": 1.0, "resolution": 0.25},
]


def window(nest, case):
    nest.ResetKernel()
    nest.resolution = case["resolution"]
    pg = nest.Create("poisson_generator", params={"rate": 1e6, "start": case["start"], "stop": case["stop"],
                                                  "origin": case["origin"]})  # fmt: skip
    parrots = nest.Create("parrot_neuron", 3)
    sr = nest.Create("spike_recorder")
    nest.Connect(pg, parrots, syn_spec={"delay": case["delay"]})
    nest.Connect(parrots, sr)
    nest.Simulate(30.0)
    t = np.asarray(sr.get("events")["times"], dtype=float)
    return {"first": float(t.min()), "last": float(t.max()), "n_steps": int(len(np.unique(t)))}


def main():
    import _common

    import nest

    _common.quiet(nest)
    out = [window(nest, c) for c in CASES]
    path = os.path.join(_common.REF_DIR, "poisson_window.json")
    with open(path, "w") as f:
        json.dump(out, f)
    print("wrote", path)


if __name__ == "__main__":
    main()
