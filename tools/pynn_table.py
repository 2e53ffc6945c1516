"""Write docs/pynn.md: what PyNN's NEST backend does on nestling, next to what it does on NEST 3.10.

Run in nestling's environment with PyNN installed (``pip install -e ".[pynn]"``):
``python tools/pynn_table.py`` (about two minutes: it runs the survey and every example). NEST's
columns come from ``tests/reference/pynn_basic.json`` and ``tests/reference/pynn_examples.*``
(``tools/reference/pynn_basic.py`` and ``pynn_examples.py``, run with PyNN on real NEST 3.10);
nestling's from running the same code here.
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys
import warnings

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "reference"))
sys.path.insert(0, str(ROOT / "examples"))

DETERMINISTIC = {
    "simple_network": "`examples/pynn_simple_network.py`: spike sources, random IF_curr_exp cells "
    "(NumpyRNG), random projections, Figure/Panel",
    "tsodyksmarkram": "`examples/pynn_tsodyksmarkram.py`: static, depressing and facilitating "
    "TsodyksMarkramSynapse into IF_cond_exp",
    "simple_stdp": "`examples/pynn_simple_stdp.py`: STDPMechanism(SpikePairRule) with additive, "
    "multiplicative, additive-multiplicative and Gütig weight dependence, weights read by a run callback",
    "current_injection": "`examples/pynn_current_injection.py`: DCSource, StepCurrentSource, ACSource",
    "heterogeneous": "TsodyksMarkram and STDP synapses with U, weight and tau_plus drawn per connection",
    "reset": "two runs around `sim.reset()` (with `t_flush`): one Neo segment each",
}


def survey_rows():
    import pyNN.nest as sim
    import pynn_basic

    ref = json.loads((ROOT / "tests" / "reference" / "pynn_basic.json").read_text())["survey"]
    ours = pynn_basic.api_survey(sim)
    rows = []
    for name in ref:
        a, b = ours.get(name, "missing"), ref[name]
        if a == b:
            status = "works" if a == "ok" else "fails as on NEST"
        else:
            status = "differs" if a != "missing" else "missing"
        rows.append(f"| {name} | {a} | {b} | {status} |")
    same = sum(ours.get(k) == v for k, v in ref.items())
    return rows, same, len(ref)


def deviations(got, ref_arrays, prefix):
    """Largest |difference| of the traces, weights and spike times under ``prefix``."""
    worst = {}
    counts_equal = True
    for key in ref_arrays.files:
        if not key.startswith(prefix):
            continue
        a, b = np.asarray(got[key], dtype=float), ref_arrays[key]
        if key.endswith("/counts"):
            counts_equal &= bool(np.array_equal(a, b))
            continue
        if a.shape != b.shape:
            counts_equal = False
            continue
        d = np.abs(a - b)
        d = float(np.nanmax(d)) if d.size and not np.isnan(d).all() else 0.0
        kind = "spikes" if key.endswith("/times") and "spikes" in key else "weights" if "weight" in key else "traces"
        worst[kind] = max(worst.get(kind, 0.0), d)
    return worst, counts_equal


def example_rows():
    import pyNN.nest as sim
    import pynn_examples

    ref = np.load(ROOT / "tests" / "reference" / "pynn_examples.npz")
    stats = json.loads((ROOT / "tests" / "reference" / "pynn_examples.json").read_text())
    rows = []
    for name, what in DETERMINISTIC.items():
        for precision in ("on_grid", "off_grid"):
            if name == "heterogeneous":
                result = pynn_examples.heterogeneous_synapses(sim, precision)
            elif name == "reset":
                result = pynn_examples.reset_segments(sim, precision)
            else:
                result = importlib.import_module(f"pynn_{name}").simulate(sim, precision=precision)
                if name == "current_injection":
                    result = {k: v for k, v in result.items() if "noise" not in k}
            got = pynn_examples.flatten(f"{name}/{precision}", result)
            worst, same_counts = deviations(got, ref, f"{name}/{precision}/")
            spikes = "same counts" if same_counts else "counts differ"
            cells = ", ".join(f"{k} {worst[k]:.1e}" for k in ("traces", "spikes", "weights") if k in worst)
            rows.append(f"| {what} | {precision} | {spikes}; max abs difference: {cells} |")
    import pynn_brunel
    import pynn_current_injection

    for precision in ("on_grid", "off_grid"):
        ours = pynn_examples.noise_statistics(pynn_current_injection.simulate(sim, precision=precision, rng_seed=7))
        nest = stats[f"noise/{precision}"]
        rows.append(
            f"| `examples/pynn_current_injection.py`: NoisyCurrentSource (20 cells, seed 7) | {precision} | "
            + "; ".join(f"{k} {ours[k]:.3f} (NEST {_mean_sd(nest, k)})" for k in ("v_mean", "v_std", "spikes"))
            + " |"
        )
        ours = pynn_examples.brunel_statistics(pynn_brunel.simulate(sim, precision=precision, seed=11))
        nest = stats[f"brunel/{precision}"]
        rows.append(
            f"| `examples/pynn_brunel.py`: NE=400, SpikeSourcePoisson input (seed 11) | {precision} | "
            + "; ".join(f"{k} {ours[k]:.2f} (NEST {_mean_sd(nest, k)})" for k in ("rate exc", "rate inh", "cv exc"))
            + f"; connections {ours['n_connections']} (NEST {nest[0]['n_connections']}) |"
        )
    return rows


def _mean_sd(runs, key):
    v = np.array([r[key] for r in runs], dtype=float)
    return f"{v.mean():.3f} ± {v.std(ddof=1):.3f} over {len(v)} seeds"


def main() -> None:
    warnings.simplefilter("ignore")
    import pyNN

    rows, same, total = survey_rows()
    examples = example_rows()
    lines = [
        "# PyNN on nestling",
        "",
        f"Generated by `python tools/pynn_table.py` with PyNN {pyNN.__version__}. The unmodified `pyNN.nest`",
        'backend runs on nestling\'s `nest` (`pip install -e ".[pynn]"` installs PyNN, Neo and nixio).',
        "",
        "## PyNN's API",
        "",
        "Each row is a piece of PyNN's API run briefly through `pyNN.nest` (`tools/reference/pynn_basic.py`,",
        "`api_survey`): *ok* or the class of the error it raised, on nestling and on real NEST 3.10",
        "(`tests/test_pynn.py` asserts the two columns are equal).",
        "",
        f"{same} of {total} behave as on NEST.",
        "",
        "| PyNN | nestling | NEST 3.10 | |",
        "|---|---|---|---|",
        *rows,
        "",
        "The rows that fail fail on NEST 3.10 with the same error (limits of PyNN 0.13's NEST backend):",
        "`IF_curr_delta` (PyNN connects to a receptor NEST's `iaf_psc_delta` lacks), `IF_cond_exp_gsfa_grr`",
        "(a parameter PyNN translates NEST does not have), `SpikeSourceInhGamma` (`inh_gamma_generator` is not",
        "one of NEST's models), `StochasticTsodyksMarkramSynapse` (no NEST model for it).",
        "",
        "## PyNN's examples: numbers against NEST",
        "",
        "`examples/pynn_*.py` follow PyNN's classic examples (our own scripts, headless, a few seconds each).",
        "`tests/test_pynn_examples.py` runs them through PyNN on nestling and compares with the same code run",
        "through PyNN on real NEST 3.10 (`tools/reference/pynn_examples.py`): deterministic ones within 1e-9",
        '(traces, weights, spike times) for `spike_precision="on_grid"` (grid-based models such as',
        '`iaf_psc_exp`) and `"off_grid"` (PyNN\'s default: `IF_curr_exp` is `iaf_psc_exp_ps`, spike sources',
        "precise); the ones driven by NEST's random streams (Poisson input, noise) within statistics",
        "(4 standard errors of the difference to NEST's mean over 6 seeds).",
        "",
        "| example | precision | nestling against NEST 3.10 |",
        "|---|---|---|",
        *examples,
        "",
        "## Works, differs, missing",
        "",
        "| | |",
        "|---|---|",
        "| works | cell types, spike sources, current sources, connectors, Assembly/PopulationView as in the "
        "table above; `spike_precision` on_grid and off_grid; STDPMechanism with each weight dependence "
        "pyNN.nest maps (additive, multiplicative, additive-multiplicative, Gütig; all `stdp_synapse`), "
        "TsodyksMarkramSynapse, SimpleStochasticSynapse, MultiQuantalSynapse, with parameters per connection; "
        "`run(callbacks=...)`, `reset()` (with `t_flush`), native cell and synapse types; recording to Neo, "
        "`write_data` to pickle and NIX; `pyNN.utility.plotting` |",
        "| differs | Random streams: Poisson input and noise currents are NEST's kinds of random numbers but "
        "not its draws, so those results agree in distribution only (everything PyNN draws itself with "
        "`NumpyRNG`, parameters and wiring included, is identical). NEST sorts its connections at the first "
        "run, after which a `SynapseCollection` read before it (PyNN caches them in "
        "`Projection.nest_connections`) addresses other connections: on NEST a script that reads "
        "`Projection.get` before the first `run` and again after gets another projection's weights or a "
        "ValueError; on nestling the collection stays valid (`examples/pynn_simple_stdp.py` runs 1 ms first so "
        'both agree). `Projection.get(..., format="list")` lists an all-to-all source\'s targets in id order, '
        'NEST last-created first (`format="array"` is the same). |',
        "| missing | Nothing found missing that PyNN 0.13's NEST backend uses. NIX output needs `nixio` "
        "(in the pynn extra; without it Neo raises ImportError naming it). Failing on NEST too: "
        "`Projection.get(\"tau_plus\")` (PyNN strips the trailing s: KeyError 'tau_plu'), `size()` of a "
        "Projection onto an Assembly, and `reset()` without `t_flush`. |",
        "",
    ]
    (ROOT / "docs" / "pynn.md").write_text("\n".join(lines))


if __name__ == "__main__":
    main()
