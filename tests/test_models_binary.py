"""Binary neurons, correlospinmatrix_detector, iaf_bw_2001(_exact) and gif_pop_psc_exp
against real NEST 3.10 (tests/reference/models_binary.json, made by
tools/reference/models_binary.py; protocols in that script's docstring).

Binary neurons draw their update times (and, but for mcculloch_pitts_neuron, their states)
from nestling's own streams: their input ``h``, which follows the presynaptic states, and
the number of events are compared exactly; activity and event rates by statistics over
five seeds each.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_json, load_npz, nest_words
from test_defaults import INTERNAL, _same

import nest

REF = load_json("models_binary.json")
BIN = REF["binary"]


def _defaults_equal(model, ref):
    ours = nest.GetDefaults(model)
    assert sorted(set(ours) - INTERNAL) == sorted(set(ref) - INTERNAL)
    wrong = {k: (ours[k], ref[k]) for k in ref if k not in INTERNAL and not _same(ours[k], ref[k])}
    assert not wrong


def _errors_equal(model, errors):
    for key, setting in errors["settings"].items():
        nest.ResetKernel()
        node = nest.Create(model)
        expected = errors["raised"][key]
        if expected is None:
            node.set(setting)
            continue
        with pytest.raises(getattr(nest.NESTErrors, expected[0])) as info:
            node.set(setting)
        if expected[0] != "UnaccessedDictionaryEntry":  # nestling names the key in its own words
            assert nest_words(info.value) == expected[1], key


# ------------------------------------------------------------------ binary neurons
@pytest.mark.parametrize("model", sorted(BIN["defaults"]))
def test_binary_defaults_equal_nest(model):
    _defaults_equal(model, BIN["defaults"][model])


@pytest.mark.parametrize("model", sorted(BIN["errors"]))
def test_binary_bad_values_raise_nest_errors(model):
    _errors_equal(model, BIN["errors"][model])


def test_h_follows_the_binary_code_of_the_input():
    """Multiplicity 2 adds the weight to h, a single event subtracts it, two single events
    of one sender at one time add it once (NEST's decoding); S stays 0 below theta."""
    n = nest.Create("mcculloch_pitts_neuron", params={"tau_m": 1.0, "theta": 100.0})
    for times, mult, w in BIN["h_inputs"]:
        g = nest.Create("spike_generator", params={"spike_times": times, "spike_multiplicities": mult})
        nest.Connect(g, n, syn_spec={"weight": w, "delay": 1.0})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["h", "S"]})
    nest.Connect(mm, n)
    nest.Simulate(80.0)
    ev, ref = mm.get("events"), BIN["h_trace"]
    np.testing.assert_allclose(ev["times"], ref["times"], rtol=0, atol=1e-12)
    np.testing.assert_allclose(ev["h"], ref["h"], rtol=0, atol=1e-12)
    np.testing.assert_array_equal(ev["S"], ref["S"])
    assert n.get("h") == pytest.approx(ref["final_h"], abs=1e-12)


def test_transitions_reach_recorders_and_parrots_as_nest():
    """Driven up and down twice: 2 events per up, 1 per down; the spin_detector decodes them."""
    nest.rng_seed = 7
    n = nest.Create("mcculloch_pitts_neuron", params={"tau_m": 0.5, "theta": 0.5})
    g = nest.Create(
        "spike_generator", params={"spike_times": [10.0, 30.0, 50.0, 70.0], "spike_multiplicities": [2, 1, 2, 1]}
    )
    nest.Connect(g, n, syn_spec={"weight": 1.0, "delay": 1.0})
    par = nest.Create("parrot_neuron")
    nest.Connect(n, par)
    sr_par = nest.Create("spike_recorder")
    nest.Connect(par, sr_par)
    sr = nest.Create("spike_recorder")
    sd = nest.Create("spin_detector")
    nest.Connect(n, sr)
    nest.Connect(n, sd)
    nest.Simulate(100.0)
    ref = BIN["relay"]
    assert sr.get("n_events") == ref["n_events"]
    assert sr_par.get("n_events") == ref["parrot_events"]
    assert list(sd.get("events")["state"]) == ref["states"]


@pytest.mark.parametrize("pair", range(len(BIN["signals"])))
def test_binary_and_spiking_nodes_do_not_mix(pair):
    a, b, expected = BIN["signals"][pair]
    src, tgt = nest.Create(a), nest.Create(b)
    if expected is None:
        nest.Connect(src, tgt)
        return
    with pytest.raises(getattr(nest.NESTErrors, expected[0])) as info:
        nest.Connect(src, tgt)
    assert str(info.value) == expected[1]


def _activity(mm, sr, ranges, t0, T):
    ev = mm.get("events")
    late = ev["times"] > t0
    mean = [float(np.mean(ev["S"][late & (ev["senders"] >= lo) & (ev["senders"] <= hi)])) for lo, hi in ranges]
    s = sr.get("events")["senders"]
    rate = [float(((s >= lo) & (s <= hi)).sum()) / (hi - lo + 1) / (T / 1000.0) for lo, hi in ranges]
    return mean, rate


def _close(ours, ref, what):
    """Means over seeds agree within 4 standard errors (of both samples together)."""
    ours, ref = np.asarray(ours, float), np.asarray(ref, float)
    se = np.sqrt(ours.var(ddof=1) / len(ours) + ref.var(ddof=1) / len(ref))
    assert abs(ours.mean() - ref.mean()) <= 4 * se + 1e-3 * abs(ref.mean()), (what, ours, ref)


SINGLE = {
    "erfc_neuron": ({"sigma": 1.0, "theta": 0.0}, 0.5),
    "ginzburg_neuron": ({"c_1": 0.1, "c_2": 0.5, "c_3": 1.0, "theta": 0.0}, 1.0),
}


@pytest.mark.parametrize("model", sorted(SINGLE))
def test_stochastic_gain_statistics_match_nest(model):
    params, mean_input = SINGLE[model]
    means, rates = [], []
    for seed in range(1, 6):
        nest.ResetKernel()
        nest.rng_seed = seed
        n = nest.Create(model, 400, params=params)
        d = nest.Create("noise_generator", params={"mean": mean_input, "std": 0.0})
        nest.Connect(d, n)
        mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["S"]})
        nest.Connect(mm, n)
        sr = nest.Create("spike_recorder")
        nest.Connect(n, sr)
        nest.Simulate(1000.0)
        m, r = _activity(mm, sr, [(1, 400)], 100.0, 1000.0)
        means.append(m[0])
        rates.append(r[0])
    ref = BIN["single"][model]
    _close(means, [row["mean_S"] for row in ref], "mean S")
    _close(rates, [row["events_per_s"] for row in ref], "events per second")


def test_recurrent_network_statistics_match_nest():
    means, rates = [], []
    for seed in range(1, 6):
        nest.ResetKernel()
        nest.rng_seed = seed
        e = nest.Create("mcculloch_pitts_neuron", 400, params={"theta": 2.5})
        i = nest.Create("mcculloch_pitts_neuron", 100, params={"theta": 2.5})
        d = nest.Create("noise_generator", params={"mean": 3.0, "std": 0.0})
        nest.Connect(d, e + i)
        nest.Connect(e, e + i, {"rule": "fixed_indegree", "indegree": 20}, {"weight": 1.0, "delay": 0.1})
        nest.Connect(i, e + i, {"rule": "fixed_indegree", "indegree": 5}, {"weight": -5.0, "delay": 0.1})
        mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["S"]})
        nest.Connect(mm, e + i)
        sr = nest.Create("spike_recorder")
        nest.Connect(e + i, sr)
        nest.Simulate(1000.0)
        m, r = _activity(mm, sr, [(1, 400), (401, 500)], 100.0, 1000.0)
        means.append(m)
        rates.append(r)
    ref = BIN["network"]
    for k, pop in enumerate("EI"):
        _close([m[k] for m in means], [row["mean_S"][k] for row in ref], f"mean S of {pop}")
        _close([r[k] for r in rates], [row["events_per_s"][k] for row in ref], f"events per second of {pop}")


def test_binary_results_do_not_depend_on_slicing():
    def run(pieces):
        nest.ResetKernel()
        nest.rng_seed = 3
        n = nest.Create("ginzburg_neuron", 50, params={"c_1": 0.1, "c_2": 0.5})
        nest.Connect(n, n, {"rule": "fixed_indegree", "indegree": 5}, {"weight": 0.3, "delay": 0.5})
        sr = nest.Create("spike_recorder")
        nest.Connect(n, sr)
        for _ in range(pieces):
            nest.Simulate(200.0 / pieces)
        return sr.get("events")

    a, b = run(1), run(4)
    np.testing.assert_array_equal(a["senders"], b["senders"])
    np.testing.assert_array_equal(a["times"], b["times"])
    assert len(a["times"]) > 100


# ------------------------------------------------------------------ correlospinmatrix_detector
@pytest.mark.parametrize("run", range(2))
def test_correlospinmatrix_counts_equal_nest(run):
    ref = BIN["spin_matrix"]["runs"][run]
    det = nest.Create("correlospinmatrix_detector", params={"N_channels": 3, **ref["setting"]})
    np.testing.assert_array_equal(det.get("count_covariance"), ref["before"])
    for c, (times, mult) in enumerate(BIN["spin_channels"]):
        g = nest.Create("spike_generator", params={"spike_times": times, "spike_multiplicities": mult})
        nest.Connect(g, det, syn_spec={"receptor_type": c, "delay": 1.0})
    nest.Simulate(20.0)
    np.testing.assert_array_equal(det.get("count_covariance"), ref["after"])


def test_correlospinmatrix_plain_create_is_empty():
    det = nest.Create("correlospinmatrix_detector")
    assert np.asarray(det.get("count_covariance")).shape == np.asarray(BIN["spin_matrix"]["plain_create"]).shape


def test_correlospinmatrix_autocorrelation_of_binary_neurons():
    """Fed by binary neurons: the zero-lag auto count of a channel is the time (in steps) its
    neuron spent up in confirmed pulses, at most the simulated steps."""
    nest.rng_seed = 2
    n = nest.Create("erfc_neuron", 2, params={"theta": 0.0, "sigma": 1.0})
    det = nest.Create("correlospinmatrix_detector", params={"N_channels": 2, "tau_max": 5.0, "delta_tau": 0.1})
    nest.Connect(n[0], det, syn_spec={"receptor_type": 0})
    nest.Connect(n[1], det, syn_spec={"receptor_type": 1})
    nest.Simulate(500.0)
    cov = np.asarray(det.get("count_covariance"))
    k0 = cov.shape[2] // 2
    assert 0 < cov[0, 0, k0] <= 5000 and 0 < cov[1, 1, k0] <= 5000
    np.testing.assert_array_equal(cov[0, 0], cov[0, 0][::-1])  # autocorrelations are symmetric
    np.testing.assert_array_equal(cov[0, 1], cov[1, 0][::-1])


# ------------------------------------------------------------------ iaf_bw_2001(_exact)
BW = REF["bw"]
BW_TRACES = load_npz("models_binary.npz")


@pytest.mark.parametrize("model", sorted(BW["defaults"]))
def test_bw_defaults_equal_nest(model):
    _defaults_equal(model, BW["defaults"][model])


@pytest.mark.parametrize("model", sorted(BW["errors"]))
def test_bw_bad_values_raise_nest_errors(model):
    _errors_equal(model, BW["errors"][model])


@pytest.mark.parametrize("case", sorted(BW["connect_errors"]))
def test_bw_connections_checked_as_nest(case):
    model, what = case.split(":")
    expected = BW["connect_errors"][case]

    def connect():
        if what == "nmda_after_simulate":
            a, b = nest.Create("iaf_bw_2001"), nest.Create(model)
            nest.Simulate(1.0)
            nest.Connect(a, b, syn_spec={"receptor_type": 3, "delay": 0.1})
            return
        src, port = {
            "spike_port_0": ("iaf_psc_alpha", 0),
            "spike_port_4": ("iaf_psc_alpha", 4),
            "current_port_1": ("dc_generator", 1),
            "current_port_0": ("dc_generator", 0),
            "generator_nmda": ("spike_generator", 3),
            "iaf_nmda": ("iaf_psc_alpha", 3),
            "bw_exact_nmda": ("iaf_bw_2001_exact", 3),
        }[what]
        nest.Connect(nest.Create(src), nest.Create(model), syn_spec={"receptor_type": port})

    if expected is None:
        connect()
        return
    with pytest.raises(getattr(nest.NESTErrors, expected[0])) as info:
        connect()
    assert str(info.value) == expected[1]


def _bw_run(model):
    inp = BW["inputs"]
    post = nest.Create(model)
    pre = nest.Create("iaf_bw_2001", 2)
    nest.Connect(nest.Create("dc_generator", params={"amplitude": 600.0}), pre[0])
    nest.Connect(nest.Create("dc_generator", params={"amplitude": 700.0}), pre[1])
    ramp = nest.Create(
        "step_current_generator", params={"amplitude_times": inp["ramp"][0], "amplitude_values": inp["ramp"][1]}
    )
    nest.Connect(ramp, post)
    exc = nest.Create("spike_generator", params={"spike_times": inp["exc"]})
    inh = nest.Create("spike_generator", params={"spike_times": inp["inh"]})
    gen = nest.Create("spike_generator", params={"spike_times": inp["nmda_gen"]})
    nest.Connect(exc, post, syn_spec={"receptor_type": 1, "weight": 1.5, "delay": 1.0})
    nest.Connect(inh, post, syn_spec={"receptor_type": 2, "weight": 2.0, "delay": 1.0})
    nest.Connect(pre[0], post, syn_spec={"receptor_type": 3, "weight": 0.8, "delay": 1.5})
    nest.Connect(pre[1], post, syn_spec={"receptor_type": 3, "weight": 0.4, "delay": 1.0})
    if model == "iaf_bw_2001_exact":
        nest.Connect(gen, post, syn_spec={"receptor_type": 3, "weight": 0.6, "delay": 1.0})
    nest.Connect(pre[1], post, syn_spec={"receptor_type": 1, "weight": 0.5, "delay": 2.0})
    recordables = BW["defaults"][model]["recordables"]
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": recordables})
    nest.Connect(mm, post)
    sr, sr_pre = nest.Create("spike_recorder"), nest.Create("spike_recorder")
    nest.Connect(post, sr)
    nest.Connect(pre, sr_pre)
    nest.Simulate(300.0)
    return post, mm.get("events"), sr.get("events"), sr_pre.get("events")


@pytest.mark.parametrize("model", sorted(BW["protocol"]))
def test_bw_protocol_matches_nest(model):
    """Same internal steps as NEST's RKF45: traces to 1e-9 and the same spikes (the
    approximate model's shown minus the NMDA jump it sends)."""
    post, ev, spikes, pre = _bw_run(model)
    ref = {k.split("__", 1)[1]: v for k, v in BW_TRACES.items() if k.startswith(model + "__")}
    assert len(ref["spikes"]) >= 3
    np.testing.assert_allclose(spikes["times"], ref["spikes"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(pre["times"], ref["pre_spikes"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(pre["senders"], ref["pre_senders"])
    np.testing.assert_allclose(ev["times"], ref["times"], rtol=0, atol=1e-12)
    for rec in BW["defaults"][model]["recordables"]:
        np.testing.assert_allclose(ev[rec], ref[rec], rtol=0, atol=1e-9, err_msg=rec)
    for key, value in BW["protocol"][model]["final"].items():
        if key != "Ca":  # no nestling neuron keeps the calcium trace yet
            assert post.get(key) == pytest.approx(value, abs=1e-9), key


# ------------------------------------------------------------------ gif_pop_psc_exp
GP = REF["gifpop"]
GP_TRACES = {k.split("__", 1)[1]: v for k, v in BW_TRACES.items() if k.startswith("gif_pop_psc_exp__")}


def test_gif_pop_defaults_equal_nest():
    _defaults_equal("gif_pop_psc_exp", GP["defaults"]["gif_pop_psc_exp"])


def test_gif_pop_bad_values_raise_nest_errors():
    _errors_equal("gif_pop_psc_exp", GP["errors"]["gif_pop_psc_exp"])


def test_gif_pop_deterministic_traces_equal_nest():
    """lambda_0 = 0: no spikes, so membrane, synaptic currents, the free threshold and the
    history length NEST picks follow from the input alone: equal to 1e-9."""
    inp = GP["inputs"]
    p = nest.Create(
        "gif_pop_psc_exp",
        params={"lambda_0": 0.0, "N": 500, "I_e": 20.0, "q_sfa": [0.5, 1.0], "tau_sfa": [300.0, 30.0]},
    )
    exc = nest.Create("spike_generator", params={"spike_times": inp["exc"]})
    inh = nest.Create("spike_generator", params={"spike_times": inp["inh"]})
    nest.Connect(exc, p, syn_spec={"weight": 30.0, "delay": 1.0})
    nest.Connect(inh, p, syn_spec={"weight": -40.0, "delay": 1.0})
    ramp = nest.Create(
        "step_current_generator", params={"amplitude_times": inp["ramp"][0], "amplitude_values": inp["ramp"][1]}
    )
    nest.Connect(ramp, p)
    rec = GP["defaults"]["gif_pop_psc_exp"]["recordables"]
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": rec})
    nest.Connect(mm, p)
    nest.Simulate(300.0)
    ev = mm.get("events")
    np.testing.assert_allclose(ev["times"], GP_TRACES["times"], rtol=0, atol=1e-12)
    for r in rec:
        np.testing.assert_allclose(ev[r], GP_TRACES[r], rtol=0, atol=1e-9, err_msg=r)
    for key, value in GP["final"].items():
        assert p.get(key) == pytest.approx(value, abs=1e-9), key


@pytest.mark.parametrize("draws", ["binomial", "poisson"])
def test_gif_pop_activity_statistics_match_nest(draws):
    stats = GP["inputs"]["stats"]
    rows = []
    for seed in range(1, 6):
        nest.ResetKernel()
        nest.rng_seed = seed
        p = nest.Create("gif_pop_psc_exp", params={**stats["p"], "BinoRand": draws == "binomial"})
        q = nest.Create("gif_pop_psc_exp", params={**stats["q"], "BinoRand": draws == "binomial"})
        nest.Connect(p, q, syn_spec={"weight": 2.0, "delay": 1.5})
        nest.Connect(q, p, syn_spec={"weight": -3.0, "delay": 1.0})
        mm = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["mean", "V_m", "E_sfa"]})
        nest.Connect(mm, p + q)
        sr = nest.Create("spike_recorder")
        nest.Connect(p + q, sr)
        nest.Simulate(2000.0)
        ev, s = mm.get("events"), sr.get("events")
        row = {}
        for name, node in (("p", p), ("q", q)):
            sel = ev["senders"] == node.global_id
            row[name] = {
                "mean": float(np.mean(ev["mean"][sel])),
                "V_m": float(np.mean(ev["V_m"][sel])),
                "E_sfa": float(np.mean(ev["E_sfa"][sel])),
                "spikes": int(np.sum(s["senders"] == node.global_id)),
            }
        rows.append(row)
    ref = GP[f"stats_{draws}"]
    for pop in ("p", "q"):
        for key in ("mean", "V_m", "E_sfa", "spikes"):
            _close([r[pop][key] for r in rows], [r[pop][key] for r in ref], f"{pop} {key}")
