"""PyNN's classic examples (examples/pynn_*.py) through the unmodified pyNN.nest on nestling give
real NEST 3.10's numbers (tools/reference/pynn_examples.py ran them with PyNN on NEST)."""

from __future__ import annotations

import importlib
import json
import pathlib
import sys
import warnings

import numpy as np
import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools" / "reference"))
sys.path.insert(0, str(ROOT / "examples"))
import pynn_examples  # noqa: E402
from test_pynn import run_script  # noqa: E402

REF = np.load(ROOT / "tests" / "reference" / "pynn_examples.npz")
STATS = json.loads((ROOT / "tests" / "reference" / "pynn_examples.json").read_text())
FIGURES = {
    "simple_network": "simple_network.png",
    "tsodyksmarkram": "tsodyksmarkram.png",
    "simple_stdp": "simple_stdp.png",
    "current_injection": "current_injection.png",
}


def run_example(name, argv, tmp_path):
    """The example's own ``main`` (simulation and figure), on nestling."""
    module = importlib.import_module(f"pynn_{name}")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyNN warns that it cannot build its NEST extensions
        return module.main([*argv, "--out", str(tmp_path)])


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
@pytest.mark.parametrize("name", list(FIGURES))
def test_deterministic_example_equals_nest(name, precision, tmp_path):
    """Traces, weights and spike times within 1e-9 of NEST's, for both spike precisions (off
    the grid, NEST's precise models compute spike times to about 1e-13 ms)."""
    result = run_example(name, ["--precision", precision], tmp_path)
    if name == "current_injection":
        result = {k: v for k, v in result.items() if "noise" not in k}
    got = pynn_examples.flatten(f"{name}/{precision}", result)
    compare_flat(got, f"{name}/{precision}/")
    assert (tmp_path / FIGURES[name]).stat().st_size > 10000


def compare_flat(got, prefix):
    """Flattened results against NEST's under ``prefix``: counts exactly, the rest to 1e-9."""
    expected = {k: REF[k] for k in REF.files if k.startswith(prefix)}
    assert got.keys() == expected.keys()
    for key, ref in expected.items():
        if key.endswith("/counts") or key.rsplit("/", 1)[-1].startswith("n_"):
            np.testing.assert_array_equal(got[key], ref, err_msg=key)
        else:
            np.testing.assert_allclose(got[key], ref, rtol=0, atol=1e-9, equal_nan=True, err_msg=key)


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_synapse_parameters_per_connection_as_on_nest(precision):
    """TsodyksMarkramSynapse and STDPMechanism with parameters drawn per connection: PyNN finds
    them per-connection in NEST's connection status, passes them to Connect as (targets,
    sources) arrays; weights, U, potentials and spikes are NEST's."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyNN.nest as sim

        result = pynn_examples.heterogeneous_synapses(sim, precision)
    compare_flat(pynn_examples.flatten(f"heterogeneous/{precision}", result), f"heterogeneous/{precision}/")
    assert len(np.unique(np.round(result["U"], 6))) == 6  # all six differ


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_reset_gives_a_second_segment_as_on_nest(precision):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyNN.nest as sim

        result = pynn_examples.reset_segments(sim, precision)
    compare_flat(pynn_examples.flatten(f"reset/{precision}", result), f"reset/{precision}/")
    assert result["times 1"][0] == 0.0


def test_connection_status_lists_a_models_own_keys():
    """GetStatus of a connection lists its model's parameters and state (U, tau_rec, u, x ...;
    Kplus, tau_plus, lambda ...), as NEST does: PyNN tells per-connection from common ones by it."""
    import nest

    got = pynn_examples.connection_status_keys(nest)
    assert all(isinstance(v["weight"], tuple) for v in got.values())  # as NEST's GetStatus
    assert json.loads(json.dumps(got)) == STATS["connection_status"]


def test_examples_do_something_worth_comparing():
    """The reference is not trivial: cells fire, STDP moves weights both ways, synapses differ."""
    for precision in ("on_grid", "off_grid"):
        assert REF[f"simple_network/{precision}/spikes/counts"].sum() > 20
        w = REF[f"simple_stdp/{precision}/weights additive"]
        assert (w[-1] > w[0]).any() and (w[-1] < w[0]).any()
        g = REF[f"tsodyksmarkram/{precision}/gsyn_exc"].max(axis=0)
        assert g[1] < g[0] < g[2]  # depressing < static < facilitating
        assert REF[f"current_injection/{precision}/spikes dc/counts"].sum() > 3
    # off the grid spike times fall between grid points
    t = REF["simple_network/off_grid/spikes/times"]
    assert np.abs(t * 10 - np.round(t * 10)).max() > 0.1


def within_statistics(ours, reference, key, k=4.0, floor=0.0):
    """``ours`` (one or more seeds) against the reference over its seeds: mean within ``k``
    standard errors of the difference."""
    ref = np.array([r[key] for r in reference], dtype=float)
    got = np.array([o[key] for o in ours], dtype=float)
    sd = ref.std(ddof=1)
    tol = k * sd * np.sqrt(1 / len(ref) + 1 / len(got)) + floor
    assert abs(got.mean() - ref.mean()) <= tol, (key, got, ref, tol)


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_noisy_current_within_statistics(precision):
    module = importlib.import_module("pynn_current_injection")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyNN.nest as sim

        ours = [pynn_examples.noise_statistics(module.simulate(sim, precision=precision, rng_seed=s)) for s in (7, 8)]
    reference = STATS[f"noise/{precision}"]
    for key in ("v_mean", "v_std", "spikes"):
        within_statistics(ours, reference, key, floor=1e-3)


@pytest.mark.parametrize("precision", ["on_grid", "off_grid"])
def test_brunel_rates_within_statistics(precision, tmp_path):
    result = run_example("brunel", ["--precision", precision, "--seed", "11"], tmp_path)
    ours = [pynn_examples.brunel_statistics(result)]
    reference = STATS[f"brunel/{precision}"]
    # The wiring is drawn by PyNN (NumpyRNG): the same number of connections as on NEST.
    assert ours[0]["n_connections"] == reference[0]["n_connections"]
    for key in ("rate exc", "rate inh", "cv exc", "cv inh"):
        within_statistics(ours, reference, key, floor=0.01 * abs(reference[0][key]))
    assert (tmp_path / "brunel.png").stat().st_size > 10000


def test_ports_of_connections_read_before_simulate():
    """A SynapseCollection read before the first Simulate (PyNN caches them) still gives each
    connection's port after it, as NEST does; its sources(), targets() and disconnect() too."""
    import nest

    ours = pynn_examples.ports_after_simulate(nest)
    for model, ref in STATS["ports"].items():
        for when in ("before", "after", "fresh"):
            got = ours[model][when]
            assert got["source"] == ref[when]["source"] and got["port"] == ref[when]["port"]
            # NEST lists one source's all-to-all targets last-created first; nestling in id order.
            assert sorted(zip(got["source"], got["target"])) == sorted(zip(ref[when]["source"], ref[when]["target"]))
        assert ours[model]["sources"] == ref["sources"]
        assert sorted(ours[model]["targets"]) == sorted(ref["targets"])
        assert ours[model]["left after disconnect"] == ref["left after disconnect"] == 5


def test_example_runs_as_a_headless_script(tmp_path):
    result = run_script("pynn_simple_network.py", tmp_path)
    assert "spikes from 10 cells (off_grid)" in result.stdout
    assert (tmp_path / "simple_network.png").stat().st_size > 10000


@pytest.mark.parametrize("suffix", [".pkl", ".nix"])
def test_write_data_reads_back_as_on_nest(suffix, tmp_path):
    """``write_data`` to a pickle file, and to NIX where ``nixio`` is installed (the pynn extra
    installs it): read back with Neo, the data are NEST's. Without ``nixio`` Neo says what to
    install."""
    import importlib.util

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyNN.nest as sim

        if suffix == ".nix" and importlib.util.find_spec("nixio") is None:
            with pytest.raises(ImportError, match="nixio"):
                pynn_examples.write_and_read(sim, str(tmp_path / ("cells" + suffix)))
            sim.end()
            return
        got = pynn_examples.write_and_read(sim, str(tmp_path / ("cells" + suffix)))
    ref = STATS["write_data"][suffix]
    assert got["label"] == ref["label"] == "cells"
    np.testing.assert_allclose(got["v"], ref["v"], rtol=0, atol=1e-9)
    assert [len(s) for s in got["spikes"]] == [len(s) for s in ref["spikes"]]
    np.testing.assert_allclose(np.concatenate(got["spikes"]), np.concatenate(ref["spikes"]), rtol=0, atol=1e-9)
