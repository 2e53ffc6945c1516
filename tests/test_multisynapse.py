"""Multisynapse neurons against real NEST 3.10: receptor ports, traces, defaults, errors."""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import multisynapse as protocols  # noqa: E402

REF = load_json("multisynapse.json")
SKIP = {"model_id", "global_id", "thread", "vp", "thread_local_id", "elementsize", "available", "capacity",
        "instantiations"}  # fmt: skip


@pytest.mark.parametrize("model", protocols.MODELS)
def test_defaults_equal_nest(model):
    ref = REF["defaults"][model]
    got = nest.GetDefaults(model)
    assert set(ref) - SKIP <= set(got)
    for key, value in ref.items():
        if key in SKIP:
            continue
        g = got[key]
        if isinstance(value, list):
            assert list(np.asarray(g).tolist()) == value, key
        else:
            assert g == value or (value == "-inf" and g == -np.inf), key


@pytest.mark.parametrize("model", protocols.MODELS)
def test_traces_and_spikes_equal_nest(model):
    got = protocols.protocol(nest, model)
    ref = REF["runs"][model]
    assert got["senders"] == ref["senders"]
    np.testing.assert_allclose(got["times"], ref["times"], rtol=0, atol=1e-9)
    for name in ("a", "b"):
        for key, values in ref[name].items():
            np.testing.assert_allclose(got[name][key], values, rtol=0, atol=1e-9, err_msg=f"{name} {key}")
    assert len(ref["times"]) > 5  # the protocol makes the neurons fire


def test_errors_as_nest():
    assert protocols.errors(nest) == REF["errors"]


def test_receptor_port_is_listed_by_get_connections():
    n = nest.Create("iaf_psc_exp_multisynapse", params={"tau_syn": [1.0, 2.0, 3.0]})
    a = nest.Create("iaf_psc_alpha")
    nest.Connect(a, n, syn_spec={"receptor_type": 3})
    nest.Connect(a, n, syn_spec={"receptor_type": 1})
    assert sorted(nest.GetConnections(a).get("receptor")) == [1, 3]
    nest.Simulate(1.0)
    assert sorted(nest.GetConnections(a).get("receptor")) == [1, 3]


def test_poisson_input_reaches_its_port():
    got = protocols.poisson_protocol(nest)
    ref = REF["poisson"]
    assert got["mean_1"] == ref["mean_1"] == 0.0
    # 200 neurons x 950 samples: the mean current is known to well under 1 %.
    assert got["mean_2"] == pytest.approx(ref["mean_2"], rel=0.01)
    assert got["sd_2"] == pytest.approx(ref["sd_2"], rel=0.05)
