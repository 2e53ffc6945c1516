"""cont_delay_synapse, stdp_facetshw_synapse_hom and jonke_synapse against real NEST 3.10."""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import synapses_more as protocols  # noqa: E402

REF = load_json("synapses_more.json")


def _by_connection(run, key, model_key="model"):
    """Per read: each connection's value, in the order of (source, target, model, final value):
    NEST lists synapse models in its own order."""
    models = run[model_key] if model_key in run else [""] * len(run["source"])
    last = run[key][-1]
    order = sorted(range(len(run["source"])), key=lambda i: (run["source"][i], run["target"][i], models[i], last[i]))
    return np.array(run[key], dtype=float)[:, order]


@pytest.mark.parametrize("model", protocols.MODELS)
def test_defaults_equal_nest(model):
    got = nest.GetDefaults(model)
    ref = REF["defaults"][model]
    assert set(got) - {"synapse_modelid", "num_connections"} == set(ref)
    for key, value in ref.items():
        if isinstance(value, dict):
            assert got[key].tolist() == value["__NodeCollection__"], key
        elif isinstance(value, list):
            assert list(got[key]) == value, key
        else:
            assert got[key] == value and type(got[key]) is type(value), key


@pytest.fixture(scope="module")
def jonke_run():
    return protocols.jonke_protocol(nest)


def test_jonke_weights_follow_nest(jonke_run):
    ref = REF["jonke"]
    assert sorted(zip(jonke_run["source"], jonke_run["target"], jonke_run["model"])) == sorted(
        zip(ref["source"], ref["target"], ref["model"])
    )
    w_ref = _by_connection(ref, "weights")
    np.testing.assert_allclose(_by_connection(jonke_run, "weights"), w_ref, rtol=0, atol=1e-9)
    # The pairings do move the weights, both ways.
    change = w_ref[-1] - w_ref[0]
    assert change.max() > 0.5 and change.min() < -0.5


def test_jonke_weights_same_on_two_threads(jonke_run):
    two = protocols.jonke_protocol(nest, threads=2)
    np.testing.assert_array_equal(_by_connection(two, "weights"), _by_connection(jonke_run, "weights"))


def test_jonke_traces_follow_nest(jonke_run):
    np.testing.assert_allclose(_by_connection(jonke_run, "kplus"), _by_connection(REF["jonke"], "kplus"), atol=1e-9)


@pytest.fixture(scope="module")
def facets_run():
    return protocols.facetshw_protocol(nest)


@pytest.mark.parametrize("key", protocols.FACETS_KEYS)
def test_facetshw_follows_nest(facets_run, key):
    ref = REF["facetshw"]
    assert facets_run["source"] == ref["source"] and facets_run["target"] == ref["target"]
    np.testing.assert_allclose(np.array(facets_run[key]), np.array(ref[key]), rtol=0, atol=1e-12)


def test_facetshw_counters_and_tables_act(facets_run):
    ref = REF["facetshw"]
    assert facets_run["counters"] == ref["counters"]
    assert facets_run["stdout"] == ref["stdout"] and len(ref["stdout"]) == 12
    w = np.array(ref["weight"])
    # Potentiation, depression and the third table all show in NEST's weights.
    assert (w[-1] > w[0]).any() and (w[-1] < w[0]).any()
    assert len({round(v, 9) for v in w.ravel()}) > 8


@pytest.fixture(scope="module")
def cont_run():
    return protocols.cont_delay_protocol(nest)


def test_cont_delay_delays_as_nest(cont_run):
    ref = REF["cont_delay"]
    assert cont_run["default_delays"] == ref["default_delays"]
    for model, delays in ref["delays"].items():
        assert sorted(cont_run["delays"][model]) == sorted(delays), model


@pytest.mark.parametrize("model", protocols.CONT_TARGETS)
def test_cont_delay_membrane_and_spikes_follow_nest(cont_run, model):
    ref = REF["cont_delay"]
    np.testing.assert_allclose(cont_run["vm"][model], ref["vm"][model], rtol=0, atol=1e-9)
    got, exp = cont_run["spikes"][model], ref["spikes"][model]
    assert got["senders"] == exp["senders"]
    # iaf_psc_alpha_ps finds threshold crossings by iteration: NEST's own precision, well below 1e-9.
    np.testing.assert_allclose(got["times"], exp["times"], rtol=0, atol=1e-9)
    assert len(exp["times"]) > 3


@pytest.mark.parametrize("case", sorted(REF["errors"]))
def test_errors_as_nest(case):
    got = protocols.errors_protocol(nest, only=case)[case]
    assert got == REF["errors"][case]
