"""Voltage-based plasticity against real NEST 3.10 (tests/reference/models_clopath.*).

The protocols are the functions of ``tools/reference/models_clopath.py``, run here on
nestling: the Clopath neurons under a current ramp and input spikes, and the spike-pairing
experiment of NEST's Clopath example (five pre/post pairs at several frequencies, both
orders, several synapse parameter sets) with weights read every 10 ms.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json, load_npz
from test_defaults import INTERNAL, _same

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import models_clopath as protocols  # noqa: E402

REF = load_json("models_clopath.json")
TRACES = load_npz("models_clopath.npz")


@pytest.mark.parametrize("model", protocols.NEURONS + protocols.SYNAPSES)
def test_defaults_equal_nest(model):
    ref = REF["defaults"][model]
    ours = nest.GetDefaults(model)
    skip = INTERNAL | {"num_connections"}
    assert sorted(set(ours) - skip) == sorted(set(ref) - skip)
    wrong = {}
    for k in set(ref) - skip:
        if isinstance(ref[k], dict) and "__NodeCollection__" in ref[k]:
            if ours[k].tolist() != ref[k]["__NodeCollection__"]:
                wrong[k] = ours[k]
        elif not _same(ours[k], ref[k]):
            wrong[k] = (ours[k], ref[k])
    assert not wrong


@pytest.mark.parametrize("model", protocols.NEURONS)
def test_neuron_protocol_matches_nest(model):
    out = protocols.neuron_protocol(nest, model)
    ref = REF["neurons"][model]
    assert len(ref["spikes"]) >= 5
    assert len(out["spikes"]) == len(ref["spikes"])
    assert np.max(np.abs(np.subtract(out["spikes"], ref["spikes"]))) <= 0.1 + 1e-9
    np.testing.assert_array_equal(out["times"], TRACES[f"{model}__times"])
    # Same internal steps as NEST: the traces agree far below the 0.5 mV allowed (HH: 1e-7 mV).
    for rec in nest.GetDefaults(model)["recordables"]:
        np.testing.assert_allclose(out[rec], TRACES[f"{model}__{rec}"], rtol=0, atol=1e-6, err_msg=rec)
    for key, value in ref["final"].items():
        assert out["final"][key] == pytest.approx(value, abs=1e-6)


def _pairing_args(key):
    parts = key.split()
    model = parts[0] if not parts[0].startswith("clopath_synapse") else "aeif_psc_delta_clopath"
    synapse = parts[0] if parts[0].startswith("clopath_synapse") else "clopath_synapse"
    return model, float(parts[1]), float(parts[2]), synapse, len(parts) < 4


@pytest.mark.parametrize("key", sorted(REF["pairing"]))
def test_pairing_weights_match_nest(key):
    model, freq, lag, synapse, ltd_const = _pairing_args(key)
    out = protocols.pairing_protocol(nest, model, freq, lag, synapse=synapse, ltd_const=ltd_const)
    ref = REF["pairing"][key]
    assert out["spikes"] == pytest.approx(ref["spikes"], abs=1e-9)
    np.testing.assert_allclose(out["V_m"], TRACES[f"{key}__V_m"], rtol=0, atol=1e-6)
    for rec in ("u_bar_plus", "u_bar_minus", "u_bar_bar"):
        np.testing.assert_allclose(out[rec], TRACES[f"{key}__{rec}"], rtol=0, atol=1e-6, err_msg=rec)
    w, w_ref = np.array(out["weights"]), np.array(ref["weights"])
    # The protocol changes every weight (else it would test nothing), by NEST's amounts.
    assert np.all(np.abs(w_ref[-1] - w_ref[0]) > 0) or not ltd_const
    np.testing.assert_allclose(w, w_ref, rtol=0, atol=1e-12)
    np.testing.assert_allclose(out["x_bar"], ref["x_bar"], rtol=0, atol=1e-12)
    assert out["wr_times"] == pytest.approx(ref["wr_times"], abs=1e-9)
    np.testing.assert_allclose(out["wr_weights"], ref["wr_weights"], rtol=0, atol=1e-12)


def test_errors_as_nest():
    got = protocols.errors(nest)
    for key, ref in REF["errors"].items():
        assert (got[key] is None) == (ref is None), key
        if ref is not None:
            # NEST's class and message (nestling may add the value given).
            assert got[key][0] == ref[0], key
            assert got[key][1].startswith(ref[1]), key


def test_history_pruned_weights_unchanged():
    """A long run with many pairs keeps the LTP history short and gives the same weights as
    the same run split into many Simulate calls."""

    def run(chunks):
        nest.ResetKernel()
        nrn = nest.Create("aeif_psc_delta_clopath", params=protocols.PAIR_NEURON["aeif_psc_delta_clopath"])
        pre = nest.Create("parrot_neuron", 3)
        times = [float(t) for t in np.round(np.arange(10.0, 1990.0, 37.3), 1)]
        g_pre = nest.Create("spike_generator", 3, params=[{"spike_times": [t + d for t in times]} for d in (0, 5, 9)])
        g_post = nest.Create("spike_generator", params={"spike_times": [t + 6.0 for t in times]})
        nest.Connect(g_pre, pre, "one_to_one")
        nest.Connect(g_post, nrn, syn_spec={"weight": 80.0})
        nest.Connect(pre, nrn, syn_spec={"synapse_model": "clopath_synapse", "weight": 0.5, "delay": 1.0})
        for _ in range(chunks):
            nest.Simulate(2000.0 / chunks)
        return np.array(nest.GetConnections(pre, nrn).get("weight"))

    whole, split = run(1), run(8)
    assert np.any(np.abs(whole - 0.5) > 1e-3)
    np.testing.assert_allclose(whole, split, rtol=0, atol=1e-12)
