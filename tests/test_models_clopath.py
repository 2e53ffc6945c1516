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


# ------------------------------------------------------------------------ Urbanczik-Senn
URB = REF["urbanczik"]


@pytest.mark.parametrize("model", protocols.URBANCZIK)
def test_urbanczik_defaults_equal_nest(model):
    ref = REF["defaults"][model]
    ours = nest.GetDefaults(model)
    skip = INTERNAL | {"num_connections"}
    assert sorted(set(ours) - skip) == sorted(set(ref) - skip)
    for k in set(ref) - skip - {"weight_recorder"}:
        assert _same(ours[k], ref[k]), k


@pytest.mark.parametrize("key", ["neuron", "neuron_t_ref_0"])
def test_urbanczik_traces_match_nest(key):
    out = protocols.urbanczik_neuron_protocol(nest, **({"n": 10, "t_ref": 0.0} if key.endswith("0") else {}))
    # The membrane is never reset: the potentials do not depend on the random spikes.
    for rec in nest.GetDefaults("pp_cond_exp_mc_urbanczik")["recordables"]:
        np.testing.assert_allclose(out[rec], TRACES[f"{key}__{rec}"], rtol=0, atol=1e-7, err_msg=rec)
    assert out["final"] == pytest.approx(URB[key]["final"], abs=1e-7)


def _counts(spikes, senders, n):
    """Spikes per neuron and per 50 ms bin."""
    per_neuron = np.bincount(np.asarray(senders, dtype=int), minlength=n)
    per_bin = np.histogram(spikes, bins=np.arange(0.0, 301.0, 50.0))[0]
    return per_neuron, per_bin


def test_urbanczik_spike_statistics_match_nest():
    """Escape noise: spike counts per 50 ms bin (40 neurons) within the spread of NEST's seeds."""
    ref_bins = [_counts(URB["neuron"]["spikes"], URB["neuron"]["senders"], 40)[1]]
    for spikes in URB["spike_stats"].values():
        ref_bins.append(np.histogram(spikes, bins=np.arange(0.0, 301.0, 50.0))[0])
    ref_bins = np.array(ref_bins, dtype=float)
    ours = np.array(
        [_counts(*(lambda o: (o["spikes"], o["senders"]))(protocols.urbanczik_neuron_protocol(nest, seed=s)), 40)[1]
         for s in (11, 12, 13)],
        dtype=float,
    )  # fmt: skip
    mean_ref = ref_bins.mean(axis=0)
    assert mean_ref.sum() > 100  # the protocol makes the neurons fire
    # Poisson-like counts: the mean of 3 of our seeds within 4 standard errors of NEST's mean of 5.
    se = np.sqrt(mean_ref / 3 + mean_ref / len(ref_bins)) + 1.0
    assert np.all(np.abs(ours.mean(axis=0) - mean_ref) < 4 * se), (ours.mean(axis=0), mean_ref)


def test_urbanczik_poisson_multiplicity():
    """With t_ref 0 the neuron emits Poisson numbers of spikes per step (as NEST): the count is
    the integral of the rate."""
    out = protocols.urbanczik_neuron_protocol(nest, n=10, t_ref=0.0)
    ref = URB["neuron_t_ref_0"]
    n_ours, n_ref = len(out["spikes"]), len(ref["spikes"])
    assert n_ref > 30
    assert abs(n_ours - n_ref) < 5 * np.sqrt(n_ref)


@pytest.mark.parametrize("key", ["learning", "learning_lbl"])
def test_urbanczik_learning_deterministic(key):
    """A soma held far below threshold never fires: the rule's rate term alone changes the
    weights, deterministically, as in NEST."""
    syn = "urbanczik_synapse_lbl" if key.endswith("lbl") else "urbanczik_synapse"
    out = protocols.urbanczik_learning_protocol(nest, synapse=syn)
    ref = URB[key]
    assert out["n_spikes"] == ref["n_spikes"] == 0
    np.testing.assert_allclose(out["V_m.p"], TRACES[f"{key}__V_m.p"], rtol=0, atol=1e-7)
    w, w_ref = np.array(out["weights"]), np.array(ref["weights"])
    assert np.all(np.abs(w_ref[-1] - w_ref[0]) > 1e-3)
    np.testing.assert_allclose(w, w_ref, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(out["wr_weights"], ref["wr_weights"], rtol=1e-9, atol=1e-9)
    assert out["wr_times"] == pytest.approx(ref["wr_times"], abs=1e-9)


def test_urbanczik_learning_with_spikes_statistics():
    """A firing soma: final weights (10 neurons, each synapse set) averaged over seeds, within
    the spread of NEST's seeds."""
    ref = np.array([np.reshape(v, (10, -1)) for v in URB["learning_spiking"].values()])  # seed, neuron, set
    ours = np.array([np.reshape(protocols.urbanczik_learning_protocol(nest, True, 10, s)["weights"][-1], (10, -1))
                     for s in (21, 22)])  # fmt: skip
    ref_mean = ref.mean(axis=(0, 1))
    spread = ref.reshape(-1, ref.shape[2]).std(axis=0)
    n_ref, n_ours = ref.shape[0] * ref.shape[1], ours.shape[0] * ours.shape[1]
    tol = 4 * spread * np.sqrt(1 / n_ref + 1 / n_ours) + 1e-6
    assert np.all(np.abs(ours.mean(axis=(0, 1)) - ref_mean) <= tol), (ours.mean(axis=(0, 1)), ref_mean, tol)


def test_threads_give_the_same_results():
    """Two threads: the same Clopath weights and the same Urbanczik spikes and weights (the
    escape noise is drawn from streams keyed by neuron and step, not by thread)."""

    def urbanczik(threads):
        nest.ResetKernel()
        nest.local_num_threads = threads
        nrn = nest.Create("pp_cond_exp_mc_urbanczik", 160)
        ports = nest.GetDefaults("pp_cond_exp_mc_urbanczik")["receptor_types"]
        prrt = nest.Create("parrot_neuron", 4)
        sg = nest.Create("spike_generator", 4, params=[{"spike_times": tr} for tr, _, _ in protocols.URB_SPIKES])
        nest.Connect(sg, prrt, "one_to_one")
        nest.Connect(prrt[:2], nrn, syn_spec={"weight": 20.0, "receptor_type": ports["soma_exc"]})
        nest.Connect(prrt[2:], nrn, syn_spec={"synapse_model": "urbanczik_synapse", "weight": 100.0, "eta": 0.5,
                                              "receptor_type": ports["dendritic_exc"]})  # fmt: skip
        sr = nest.Create("spike_recorder")
        nest.Connect(nrn, sr)
        nest.Simulate(200.0)
        ev = sr.get("events")
        order = np.lexsort((ev["senders"], ev["times"]))
        w = np.array(nest.GetConnections(prrt[2:], nrn).get("weight"))
        return ev["senders"][order], ev["times"][order], np.sort(w)

    one, two = urbanczik(1), urbanczik(2)
    assert len(one[0]) > 50
    for a, b in zip(one, two):
        np.testing.assert_array_equal(a, b)

    # Clopath: 40 neurons, each paired with its own parrot through three synapses.
    def clopath(threads):
        nest.ResetKernel()
        nest.local_num_threads = threads
        nrn = nest.Create("aeif_psc_delta_clopath", 40, params=protocols.PAIR_NEURON["aeif_psc_delta_clopath"])
        prrt = nest.Create("parrot_neuron", 40)
        times = [[float(t) for t in np.round(np.arange(10.0 + i * 0.3, 300.0, 23.1), 1)] for i in range(40)]
        g_pre = nest.Create("spike_generator", 40, params=[{"spike_times": tr} for tr in times])
        g_post = nest.Create("spike_generator", 40, params=[{"spike_times": [t + 4.0 for t in tr]} for tr in times])
        nest.Connect(g_pre, prrt, "one_to_one")
        nest.Connect(g_post, nrn, "one_to_one", syn_spec={"weight": 80.0})
        for d in (0.1, 1.0, 2.3):
            nest.Connect(prrt, nrn, "one_to_one", syn_spec={"synapse_model": "clopath_synapse", "weight": 0.5,
                                                           "delay": d})  # fmt: skip
        nest.Simulate(300.0)
        c = nest.GetConnections(prrt, nrn).get(["source", "target", "delay", "weight"])
        return np.array(sorted(zip(c["source"], c["target"], c["delay"], c["weight"])))

    a, b = clopath(1), clopath(2)
    assert np.any(np.abs(a[:, 3] - 0.5) > 1e-4)
    np.testing.assert_array_equal(a, b)


def test_urbanczik_set_takes_the_weight_as_initial():
    """Setting a weight or eta on existing connections: the rule restarts from the weight of
    that moment (NEST's set_status), and the weights go on as NEST's."""
    out = protocols.urbanczik_set_protocol(nest)
    ref = np.array(URB["set"]["weights"])
    assert np.any(np.abs(ref[-1] - ref[10]) > 1e-3)
    np.testing.assert_allclose(np.array(out["weights"]), ref, rtol=1e-9, atol=1e-9)


def test_urbanczik_reported_receptors_as_nest():
    """GetConnections reports the port within the spike or the current receptors, as NEST."""
    got = [list(x) for x in protocols.urbanczik_receptor_protocol(nest)]
    assert got == REF["urbanczik_receptors"]
