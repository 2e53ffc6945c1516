"""Rate, gamma, dead-time and correlated generators, spike_train_injector, and the
correlation and spin detectors, against real NEST 3.10 (tests/reference/generators_extra.json).

The protocols are the functions of ``tools/reference/generators_extra.py``, run here with
nestling: deterministic ones must give NEST's figures exactly; stochastic generators are
compared by statistics over seeds and targets.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json, nest_words
from test_defaults import INTERNAL, _same

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import generators_extra as protocol  # noqa: E402

REF = load_json("generators_extra.json")

# Trains every target of one generator shares (or that share a mother train).
CORRELATED = {"sinpois_shared", "pulsepacket", "mip", "dilutor"}
SHARED = {"sinpois_shared", "pulsepacket"}


@pytest.mark.parametrize("model", protocol.MODELS)
def test_defaults_equal_nest(model):
    ref = REF["defaults"][model]
    ours = nest.GetDefaults(model)
    assert sorted(set(ours) - INTERNAL) == sorted(set(ref) - INTERNAL)
    wrong = {k: (ours[k], ref[k]) for k in ref if k not in INTERNAL and not _same(ours[k], ref[k])}
    assert not wrong


def test_node_status_keys_equal_nest():
    assert protocol.node_status(nest) == REF["node_status"]


@pytest.mark.parametrize(
    "name", ["step_rate", "edges", "injector", "pulsepacket_exact", "correlation", "correlomatrix", "spin", "resets"]
)
def test_deterministic_protocol_equals_nest(name):
    ours = getattr(protocol, name)(nest)
    ref = REF[name]
    assert sorted(str(k) for k in ours) == sorted(ref)
    for key, value in ours.items():
        expected = np.asarray(ref[str(key)], dtype=float)
        got = np.asarray(value, dtype=float)
        assert got.shape == expected.shape, key
        assert np.array_equal(got, expected), (key, got.tolist(), expected.tolist())


def test_multimeter_records_rate_of_sinusoidal_generators():
    ours = protocol.rate_record(nest)
    ref = REF["rate_record"]
    assert sorted(ours) == sorted(ref)
    for key, value in ours.items():
        # NEST turns an oscillator step by step: equal to rounding.
        np.testing.assert_allclose(value, ref[key], rtol=0, atol=1e-9)


def _total_variance(stats) -> float:
    """Variance of the total spike count: from the targets if independent, from the seeds'
    totals if they are correlated (whichever is larger)."""
    counts = np.asarray(stats["counts"])
    totals = np.asarray(stats["seed_totals"])
    return max(len(counts) * counts.var(), len(totals) * totals.var(ddof=1), 1.0)


@pytest.fixture(scope="module")
def train_stats():
    return {}


@pytest.mark.parametrize("name", [row[0] for row in protocol.TRAINS])
def test_train_statistics_match_nest(name):
    ours = {k: np.asarray(v, dtype=float) for k, v in protocol.trains(nest, name).items()}
    ref = {k: np.asarray(v, dtype=float) for k, v in REF["trains"][name].items()}
    # Total number of spikes.
    var = _total_variance(ours) + _total_variance(ref)
    total_o, total_r = ours["hist"].sum(), ref["hist"].sum()
    assert abs(total_o - total_r) < 5.0 * np.sqrt(var), (total_o, total_r)
    # Time course in 10 ms bins, with the overdispersion of the totals.
    over = max(var / max(total_o + total_r, 1.0), 1.0)
    if name in SHARED:
        over = float(protocol.N_TARGETS)  # every spike is counted once per target
    z = (ours["hist"] - ref["hist"]) / np.sqrt(over * (ours["hist"] + ref["hist"]) + 1.0)
    assert np.max(np.abs(z)) < 5.5, (np.argmax(np.abs(z)), ours["hist"].tolist(), ref["hist"].tolist())
    assert np.mean(z**2) < 2.0
    # Interval statistics and spikes two targets share.
    cv_tol = 0.15 if name in CORRELATED else 0.05
    assert abs(ours["isi_cv"][0] - ref["isi_cv"][0]) < cv_tol
    shared_o, shared_r = ours["shared"][0], ref["shared"][0]
    assert abs(shared_o - shared_r) < 5.0 * np.sqrt(over * (shared_o + shared_r)) + 5.0, (shared_o, shared_r)
    if name not in CORRELATED:
        # Fano factor of the targets' counts (regularity of the trains).
        fano = [s["counts"].var() / max(s["counts"].mean(), 1e-9) for s in (ours, ref)]
        assert abs(fano[0] - fano[1]) < 0.3, fano


def test_ppd_dead_time_is_the_shortest_interval():
    ours = protocol.trains(nest, "ppd_sup", seeds=1, n=40)
    assert ours["isi_min"][0] == pytest.approx(REF["trains"]["ppd_sup"]["isi_min"][0])


def test_individual_trains_are_independent_and_shared_ones_identical():
    one = protocol.trains(nest, "sinpois", seeds=1, n=20)
    shared = protocol.trains(nest, "sinpois_shared", seeds=1, n=20)
    assert one["shared"][0] < 0.2 * one["counts"].sum() / 2
    # Every target of a shared generator receives the same train.
    assert shared["counts"].var() == 0.0


def test_trains_do_not_depend_on_threads():
    def run(threads):
        nest.ResetKernel()
        nest.local_num_threads = threads
        gens = [
            nest.Create("gamma_sup_generator", params={"rate": 50.0, "gamma_shape": 3, "n_proc": 2}),
            nest.Create("sinusoidal_poisson_generator", params={"rate": 50.0, "amplitude": 20.0, "frequency": 5.0}),
        ]
        parrots = nest.Create("parrot_neuron", 50)
        sr = nest.Create("spike_recorder")
        for g in gens:
            nest.Connect(g, parrots)
        nest.Connect(parrots, sr)
        nest.Simulate(200.0)
        return sr.events["senders"], sr.events["times"]

    a, b = run(1), run(2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_train_state_carries_over_between_simulate_calls():
    def run(chunks):
        nest.ResetKernel()
        g = nest.Create("ppd_sup_generator", params={"rate": 60.0, "dead_time": 4.0, "n_proc": 2})
        parrots = nest.Create("parrot_neuron", 10)
        sr = nest.Create("spike_recorder")
        nest.Connect(g, parrots)
        nest.Connect(parrots, sr)
        for ms in chunks:
            nest.Simulate(ms)
        return sr.events["times"]

    assert np.array_equal(run([100.0]), run([30.0, 70.0]))


def test_errors_equal_nest():
    # NEST's words; nestling appends the parameter given to a bad status value (nest_words).
    ours = [[kind, nest_words(msg)] for kind, msg in protocol.errors(nest)]
    assert ours == REF["errors"]
