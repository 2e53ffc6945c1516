"""Astrocytes: astrocyte_lr_1994, aeif_cond_alpha_astro and sic_connection against NEST 3.10.

Figures from tools/reference/models_astro.py: an astrocyte driven by spikes sends its slow
inward current to two AdEx neurons (delays 1 and 2 ms, weights 1 and 2.5) for 10 s.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest
from nest.errors import NESTError

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
from models_astro import connect_outcomes, run  # noqa: E402

REF = dict(np.load(pathlib.Path(__file__).parent / "reference" / "models_astro.npz"))


@pytest.fixture(scope="module")
def ours():
    return run(nest)


@pytest.mark.parametrize("key", ["IP3", "Ca_astro", "h_IP3R"])
def test_astrocyte_state_equals_nest(ours, key):
    # The same adaptive steps as NEST: the difference is rounding only.
    assert np.abs(ours[f"astro_{key}"] - REF[f"astro_{key}"]).max() < 1e-12


def test_slow_inward_current_arrives_as_in_nest(ours):
    assert REF["neuron_I_SIC"].max() > 10.0  # the protocol drives calcium over SIC_th
    assert np.abs(ours["neuron_I_SIC"] - REF["neuron_I_SIC"]).max() < 1e-12


def test_neurons_under_the_current_equal_nest(ours):
    assert np.abs(ours["neuron_V_m"] - REF["neuron_V_m"]).max() < 1e-7
    assert np.abs(ours["neuron_w"] - REF["neuron_w"]).max() < 1e-7
    assert list(ours["spk_senders"]) == list(REF["spk_senders"])
    assert np.array_equal(ours["spk_times"], REF["spk_times"])


def test_connections_are_refused_as_in_nest():
    ref = load_json("models_astro.json")["connect"]
    ours = {}
    try:
        ours = connect_outcomes(nest)
    except NESTError as err:  # connect_outcomes catches everything itself
        pytest.fail(str(err))
    assert ours == ref


def test_astrocyte_without_sic_targets_runs_whole_slices():
    # No sic_connection: one kernel call per slice; the same state as the step-by-step path.
    # Two groups: the first sends nothing.
    a = nest.Create("astrocyte_lr_1994", params={"delta_IP3": 0.2})
    a += nest.Create("astrocyte_lr_1994", params={"delta_IP3": 0.2})
    sg = nest.Create("spike_generator", params={"spike_times": [10.0, 30.0]})
    nest.Connect(sg, a)
    mm = nest.Create("multimeter", params={"record_from": ["Ca_astro"], "interval": 0.1})
    nest.Connect(mm, a)
    n = nest.Create("aeif_cond_alpha_astro")
    nest.Connect(a[1], n, syn_spec={"synapse_model": "sic_connection"})
    nest.Simulate(200.0)
    assert a[0].Ca_astro == pytest.approx(a[1].Ca_astro, abs=1e-15)
    assert a[0].IP3 == pytest.approx(a[1].IP3, abs=1e-15)
    ev = mm.events
    ca = [ev["Ca_astro"][ev["senders"] == i] for i in a.tolist()]
    assert len(ca[0]) == len(ca[1]) > 1900 and np.abs(ca[0] - ca[1]).max() < 1e-15
    assert ca[0][-1] > ca[0][0]


TRI = load_json("models_astro.json")["tripartite"]


@pytest.fixture(scope="module")
def tri_ours():
    from models_astro import tripartite

    return tripartite(nest)


@pytest.mark.parametrize("name", ["random", "block1", "block2"])
def test_tripartite_pairs_connections_as_nest(tri_ours, name):
    ref, ours = TRI[name], tri_ours[name]
    # The primary rule: 5000 pairs at p = 0.5 (sd 35); the pairing: a fraction p of them.
    assert abs(ours["primary"] - ref["primary"]) < 5 * 35
    p = {"random": 0.2, "block1": 0.5, "block2": 1.0}[name]
    sd = (ours["primary"] * p * (1 - p)) ** 0.5
    assert abs(ours["third_out"] - p * ours["primary"]) <= 5 * sd + 1e-9
    assert ours["third_in"] == ours["third_out"]
    if name == "random":
        # Pools of 3 random astrocytes: at most 3 per target, and 1 where few connections pair.
        assert ours["pool_max"] == ref["pool_max"] == 3 and ours["pool_min"] >= 1
    else:
        assert (ours["pool_min"], ours["pool_max"]) == (ref["pool_min"], ref["pool_max"])
        assert ours["pools"] == ref["pools"]


@pytest.mark.parametrize("name", ["block_sizes", "pool_too_big", "p", "pool_type", "rule", "static_out"])
def test_tripartite_refuses_bad_specs_as_nest(tri_ours, name):
    ref, ours = TRI[name], tri_ours[name]
    assert ours[:2] == ref[:2]
    # Better than NEST: a refused TripartiteConnect makes no connection (NEST 3.10 leaves the
    # first primary connection of "static_out" in place).
    assert ours[2] == 0
