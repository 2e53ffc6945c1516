"""ht_neuron, iaf_cond_alpha_mc, iaf_chs_2007 and iaf_psc_exp_ps_lossless against real NEST 3.10.

Reference figures: tools/reference/models_ht.py -> tests/reference/models_ht.{npz,json}.
Each protocol (a step-current ramp, input spikes on every receptor, every recordable at
0.1 ms for 300 ms) runs here through the same function the reference script ran in NEST.
"""

from __future__ import annotations

import importlib.util
import pathlib

import numpy as np
import pytest
from conftest import load_json, load_npz, nest_words
from test_defaults import INTERNAL, _same

import nest

REF = load_npz("models_ht.npz")
INFO = load_json("models_ht.json")
_path = pathlib.Path(__file__).parents[1] / "tools" / "reference" / "models_ht.py"
_spec = importlib.util.spec_from_file_location("models_ht_ref", _path)
PROTO = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(PROTO)

MODELS = [m for m in PROTO.MODELS if m in nest.node_models]
PROTOCOLS = [name for name, spec in PROTO.PROTOCOLS.items() if spec["model"] in nest.node_models]
# Adaptive-step models repeat NEST's internal steps: traces agree to rounding.
EXACT = {"iaf_chs_2007", "iaf_psc_exp_ps_lossless"}


@pytest.mark.parametrize("model", MODELS)
def test_defaults_equal_nest(model):
    ref = INFO["defaults"][model]
    ours = nest.GetDefaults(model)
    assert sorted(set(ours) - INTERNAL) == sorted(set(ref) - INTERNAL)
    wrong = {k: (ours[k], ref[k]) for k in ref if k not in INTERNAL and not _same(ours[k], ref[k])}
    assert not wrong
    if "receptor_types" in ref:
        assert ours["receptor_types"] == ref["receptor_types"]


@pytest.mark.parametrize("name", PROTOCOLS)
def test_protocol_matches_nest(name):
    spec = PROTO.PROTOCOLS[name]
    if name in INFO["protocol_errors"]:
        # NEST stops this protocol with an error: nestling too, at the same time.
        cls, msg, when = INFO["protocol_errors"][name]
        with pytest.raises(getattr(nest.NESTErrors, cls)) as info:
            PROTO.run_protocol(nest, spec)
        assert str(info.value) == msg
        assert nest.biological_time == when
        return
    ours = PROTO.run_protocol(nest, spec)
    ref_spikes = REF[f"{name}__spike_times"]
    assert len(ref_spikes) >= 2  # every protocol makes its model fire
    if spec.get("precise"):
        # Off-grid spike times: the crossing is located to rounding.
        np.testing.assert_allclose(ours["spike_times"], ref_spikes, rtol=0, atol=1e-9)
    else:
        np.testing.assert_array_equal(ours["spike_times"], ref_spikes)
    np.testing.assert_array_equal(ours["times"], REF[f"{name}__times"])
    tol = 1e-9 if spec["model"] in EXACT else 1e-8
    for rec in INFO["defaults"][spec["model"]]["recordables"]:
        ref = REF[f"{name}__{rec}"]
        assert np.abs(ours[rec] - ref).max() <= tol * max(1.0, np.abs(ref).max()), rec


@pytest.mark.parametrize("model", MODELS)
def test_bad_values_raise_nest_errors(model):
    for params, expected in zip(PROTO.BAD.get(model, []), INFO["errors"][model]):
        nest.ResetKernel()
        n = nest.Create(model)
        status = None
        if model == "iaf_cond_alpha_mc":
            expected, status = expected  # with the status after the attempt
        if expected is None:
            n.set(params)
        else:
            cls, msg = expected
            with pytest.raises(getattr(nest.NESTErrors, cls)) as info:
                n.set(params)
            assert nest_words(info.value) == msg, params
        for key, value in (status or {}).items():
            assert n.get(key) == value, (params, key)


@pytest.mark.parametrize("model", MODELS)
def test_receptor_checks_as_nest(model):
    for (src, receptor), expected in zip(PROTO.CONNECT.get(model, []), INFO["connect_errors"][model]):
        nest.ResetKernel()
        n = nest.Create(model)
        s = nest.Create(src)
        if expected is None:
            nest.Connect(s, n, syn_spec={"receptor_type": receptor})
            continue
        cls, msg = expected
        with pytest.raises(getattr(nest.NESTErrors, cls)) as info:
            nest.Connect(s, n, syn_spec={"receptor_type": receptor})
        assert str(info.value) == msg, (src, receptor)


def test_ht_neuron_groups_and_threads_agree():
    # Two groups of one model with input on every receptor, on two threads: each node's
    # trace is the one of the single-node protocol.
    spec = PROTO.PROTOCOLS["ht_neuron"]
    nest.local_num_threads = 2
    nodes = nest.Create("ht_neuron", 70) + nest.Create("ht_neuron", 90)
    for times, values, receptor in spec["currents"]:
        sc = nest.Create("step_current_generator", params={"amplitude_times": times, "amplitude_values": values})
        nest.Connect(sc, nodes, syn_spec={"receptor_type": receptor})
    for times, weight, receptor in spec["spikes"]:
        sg = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(sg, nodes, syn_spec={"weight": weight, "delay": 1.0, "receptor_type": receptor})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "I_T"]})
    nest.Connect(mm, nodes[[0, 159]])
    nest.Simulate(300.0)
    ev = mm.events
    for gid in (nodes[0].global_id, nodes[159].global_id):
        sel = ev["senders"] == gid
        np.testing.assert_allclose(ev["V_m"][sel], REF["ht_neuron__V_m"], rtol=0, atol=1e-9)
        np.testing.assert_allclose(ev["I_T"][sel], REF["ht_neuron__I_T"], rtol=0, atol=1e-9)


def test_ht_neuron_with_ht_synapse():
    # ht_synapse into the AMPA port: nothing before the spike arrives, then a
    # conductance peaking at weight x g_peak_AMPA.
    n = nest.Create("ht_neuron")
    sg = nest.Create("spike_generator", params={"spike_times": [10.0, 15.0]})
    nest.Connect(sg, n, syn_spec={"synapse_model": "ht_synapse", "weight": 5.0, "receptor_type": 1})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["g_AMPA"]})
    nest.Connect(mm, n)
    nest.Simulate(30.0)
    g, t = mm.events["g_AMPA"], mm.events["times"]
    first = g[(t > 11) & (t <= 16)].max()
    assert first == pytest.approx(5.0 * 0.1, rel=0.05)  # peak at weight x g_peak_AMPA
    assert np.all(g[t <= 11.0] == 0.0)


def test_mc_compartment_dictionaries():
    # Nested status as NEST has it: a partial dictionary changes only its keys, per node
    # values stay apart, SetDefaults reaches new nodes, unknown keys inside are ignored.
    ref = INFO["defaults"]["iaf_cond_alpha_mc"]
    n = nest.Create("iaf_cond_alpha_mc", 3, params={"distal": {"I_e": 5.0}})
    n[1].set(soma={"V_m": -61.0, "g_L": 12.0})
    assert n[1].get("soma") == dict(ref["soma"], V_m=-61.0, g_L=12.0)
    assert n[0].get("soma") == ref["soma"]
    assert n.get("distal")[2] == dict(ref["distal"], I_e=5.0)
    assert isinstance(n[0].get("soma"), dict) and "V_m" in nest.GetStatus(n[0])[0]["proximal"]
    nest.SetDefaults("iaf_cond_alpha_mc", {"proximal": {"C_m": 80.0}})
    assert nest.GetDefaults("iaf_cond_alpha_mc")["proximal"] == dict(ref["proximal"], C_m=80.0)
    assert nest.Create("iaf_cond_alpha_mc").get("proximal")["C_m"] == 80.0
    assert n[0].get("proximal")["C_m"] == ref["proximal"]["C_m"]
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry):
        n.set(V_m=-60.0)


def test_mc_state_carries_over_runs_and_currents_reach_compartments():
    # A current into the distal compartment moves the distal membrane first; two
    # Simulate calls give the trace of one.
    def run(split):
        nest.ResetKernel()
        n = nest.Create("iaf_cond_alpha_mc")
        dc = nest.Create("dc_generator", params={"amplitude": 300.0})
        nest.Connect(dc, n, syn_spec={"receptor_type": n.get("receptor_types")["distal_curr"]})
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m.s", "V_m.d"]})
        nest.Connect(mm, n)
        for t in split:
            nest.Simulate(t)
        return mm.events, n.get("distal")["V_m"]

    ev, v_d = run([20.0])
    ev2, v_d2 = run([7.3, 12.7])
    np.testing.assert_array_equal(ev["V_m.d"], ev2["V_m.d"])
    assert v_d == v_d2
    assert ev["V_m.d"][-1] - -70.0 > 3 * (ev["V_m.s"][-1] - -70.0) > 0


def test_lossless_finds_the_spikes_iaf_psc_exp_ps_misses():
    # The grazing protocol: NEST's iaf_psc_exp_ps_lossless fires once more than
    # iaf_psc_exp_ps (a crossing inside a piece that ends below threshold); so does nestling.
    spec = PROTO.PROTOCOLS["iaf_psc_exp_ps_lossless_missed"]
    plain = PROTO.run_protocol(nest, dict(spec, model="iaf_psc_exp_ps"))
    lossless = PROTO.run_protocol(nest, spec)
    assert len(lossless["spike_times"]) == len(REF["iaf_psc_exp_ps_lossless_missed__spike_times"])
    assert len(plain["spike_times"]) == len(lossless["spike_times"]) - 1
    # Up to the first difference the two fire alike; there the lossless model fires
    # although iaf_psc_exp_ps's V_m stays below threshold at every step's end.
    a, b = lossless["spike_times"], plain["spike_times"]
    first = np.flatnonzero(np.abs(a[: len(b)] - b) > 1e-9)[0]
    t, v = plain["times"], plain["V_m"]
    k = np.searchsorted(t, a[first])
    assert b[first] > a[first] + 1.0
    assert np.all(v[k - 2 : k + 3] < -55.0)


def test_lossless_state_and_status():
    ref = INFO["facts"]["lossless_status"]
    n = nest.Create("iaf_psc_exp_ps_lossless", params={"I_e": 500.0})
    nest.Simulate(50.0)
    st = n.get(list(ref))
    for key, value in ref.items():
        assert st[key] == pytest.approx(value, abs=1e-12), key
    # A potential set above threshold fires at the start of the next slice.
    ref = INFO["facts"]["lossless_instant"]
    nest.ResetKernel()
    n = nest.Create("iaf_psc_exp_ps_lossless", params={"V_m": -50.0})
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(n, sr)
    nest.Simulate(3.0)
    np.testing.assert_array_equal(sr.events["times"], ref["times"])
    np.testing.assert_allclose(sr.events["offsets"], ref["offsets"], rtol=0, atol=1e-15)
    assert n.V_m == pytest.approx(ref["V_m"], abs=1e-12)


def test_chs_noise_waveform_restarts_when_set():
    # Setting the waveform between runs reads it from its start again; setting V_noise
    # only scales the samples still to come (V_m as NEST 3.10 records it).
    n = nest.Create("iaf_chs_2007", params={"V_noise": 0.5, "noise": PROTO.NOISE[:200]})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
    nest.Connect(mm, n)
    nest.Simulate(5.0)
    n.set(noise=PROTO.NOISE[:200])
    nest.Simulate(5.0)
    n.set(V_noise=0.25)
    nest.Simulate(5.0)
    np.testing.assert_allclose(mm.events["V_m"], INFO["facts"]["chs_restart"], rtol=0, atol=1e-12)


@pytest.mark.parametrize("equilibrate", [False, True])
def test_ht_neuron_equilibrate(equilibrate):
    # V_m set to -60 mV: with equilibrate the gates start at their equilibrium there,
    # without it they stay at rest's (both traces as NEST 3.10's).
    n = nest.Create("ht_neuron")
    n.set({"V_m": -60.0, "equilibrate": True} if equilibrate else {"V_m": -60.0})
    assert "equilibrate" not in n.get()
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "I_h", "I_T", "I_KNa"]})
    nest.Connect(mm, n)
    nest.Simulate(50.0)
    for key in ("V_m", "I_h", "I_T", "I_KNa"):
        ref = REF[f"ht_equilibrate_{equilibrate}__{key}"]
        np.testing.assert_allclose(mm.events[key], ref, rtol=0, atol=1e-9 * max(1.0, np.abs(ref).max()), err_msg=key)
