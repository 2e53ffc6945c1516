"""Exact-integration, threshold-adapting and stochastic neurons against real NEST 3.10
(tests/reference/exact_models.*, made by tools/reference/exact_models.py).

The protocol: a step-current ramp, excitatory and inhibitory input spikes, every
recordable at 0.1 ms for 300 ms, and a target neuron that shows what the spikes carry.
Deterministic models must give identical spike times and traces within 1e-9; the
stochastic ones (pp_psc_delta, gif_psc_exp) are run without spikes for their traces and
compared by spike statistics over many seeds.
"""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_json, load_npz, nest_words
from test_defaults import INTERNAL, _same

import nest

REF = load_npz("exact_models.npz")
INFO = load_json("exact_models.json")
IMPLEMENTED = [m for m in INFO["defaults"] if m in nest.node_models]
CASES = [c for c, p in INFO["protocol"].items() if p["model"] in IMPLEMENTED]
STATS = [(m, j) for m in INFO["stats"] if m in IMPLEMENTED for j in range(len(INFO["stats"][m]))]


def _run(case):
    proto = INFO["protocol"][case]
    model = proto["model"]
    recordables = INFO["defaults"][model]["recordables"]
    n = nest.Create(model, params=proto["params"])
    sc = nest.Create(
        "step_current_generator", params={"amplitude_times": REF["RAMP_TIMES"], "amplitude_values": proto["ramp"]}
    )
    se = nest.Create("spike_generator", params={"spike_times": REF["EXC_TIMES"]})
    si = nest.Create("spike_generator", params={"spike_times": REF["INH_TIMES"]})
    sr = nest.Create("spike_recorder")
    tgt = nest.Create("iaf_psc_exp")
    mt = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["I_syn_ex"]})
    nest.Connect(sc, n)
    nest.Connect(se, n, syn_spec={"weight": proto["w_exc"], "delay": 1.0})
    nest.Connect(si, n, syn_spec={"weight": proto["w_inh"], "delay": 1.0})
    mm = None
    if recordables:
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": recordables})
        nest.Connect(mm, n)
    nest.Connect(n, sr)
    nest.Connect(n, tgt, syn_spec={"weight": 100.0, "delay": 1.0})
    nest.Connect(mt, tgt)
    nest.Simulate(300.0)
    return n, sr.get("events")["times"], (mm.get("events") if mm else None), mt.get("events")["I_syn_ex"]


@pytest.mark.parametrize("model", IMPLEMENTED)
def test_defaults_equal_nest(model):
    ref = INFO["defaults"][model]
    ours = nest.GetDefaults(model)
    assert sorted(set(ours) - INTERNAL) == sorted(set(ref) - INTERNAL)
    wrong = {k: (ours[k], ref[k]) for k in ref if k not in INTERNAL and not _same(ours[k], ref[k])}
    assert not wrong


@pytest.mark.parametrize("case", CASES)
def test_protocol_matches_nest(case):
    model = INFO["protocol"][case]["model"]
    n, spikes, ev, target = _run(case)
    ref_spikes = REF[f"{case}__spike_times"]
    if model not in INFO["stats"]:
        assert len(ref_spikes) >= 2  # the protocol makes every deterministic model fire
    np.testing.assert_allclose(spikes, ref_spikes, rtol=0, atol=1e-9)
    np.testing.assert_allclose(target, REF[f"{case}__target_I_syn_ex"], rtol=0, atol=1e-9)
    if ev is not None:
        np.testing.assert_array_equal(ev["times"], REF[f"{case}__times"])
        for rec in INFO["defaults"][model]["recordables"]:
            np.testing.assert_allclose(ev[rec], REF[f"{case}__{rec}"], rtol=0, atol=1e-9, err_msg=rec)
    final = INFO["final"][case]
    for key, value in final.items():
        assert n.get(key) == pytest.approx(value, abs=1e-9), key


@pytest.mark.parametrize("model", [m for m in IMPLEMENTED if INFO["errors"][m]["settings"]])
def test_bad_values_raise_nest_errors(model):
    errors = INFO["errors"][model]
    for key, setting in errors["settings"].items():
        nest.ResetKernel()
        node = nest.Create(model)
        expected = errors["raised"][key]
        if expected is None:
            node.set(setting)
            continue
        with pytest.raises(getattr(nest.NESTErrors, expected[0])) as info:
            node.set(setting)
        assert nest_words(info.value) == expected[1], key


def test_threshold_status_follows_its_parts():
    """V_th shows omega + V_th_alpha_1 + V_th_alpha_2 + V_th_v right after a set, as NEST's."""
    ref = INFO["threshold_status"]
    n = nest.Create("amat2_psc_exp", params=ref["settings"][0])
    shown = [n.V_th]
    n.set(ref["settings"][1])
    assert shown + [n.V_th] == ref["V_th"]


THREAD_CASES = [
    ("amat2_psc_exp", {"beta": 0.3, "tau_v": 4.0, "I_e": 400.0}),
    ("pp_psc_delta", {"I_e": 100.0, "tau_sfa": [100.0], "q_sfa": [2.0]}),
    ("gif_psc_exp", {"I_e": 150.0, "tau_stc": [20.0], "q_stc": [20.0]}),
]


def _spikes_of(model, params, threads, pieces):
    nest.ResetKernel()
    nest.SetKernelStatus({"local_num_threads": threads, "rng_seed": 7})
    pop = nest.Create(model, 300, params=params)
    pop.V_m = pop.V_m[0] + np.linspace(0.0, 10.0, 300)
    sr = nest.Create("spike_recorder")
    nest.Connect(pop, sr)
    for _ in range(pieces):
        nest.Simulate(200.0 / pieces)
    ev = sr.get("events")
    order = np.lexsort((ev["senders"], ev["times"]))
    return ev["times"][order], ev["senders"][order]


@pytest.mark.parametrize(("model", "params"), THREAD_CASES)
def test_results_do_not_depend_on_threads_or_slices(model, params):
    """Two threads and a run split into pieces give the one-thread spikes (random ones too:
    each neuron draws from its own counter-based stream)."""
    t1, s1 = _spikes_of(model, params, 1, 1)
    t2, s2 = _spikes_of(model, params, 2, 4)
    assert len(t1) > 100
    np.testing.assert_array_equal(t1, t2)
    np.testing.assert_array_equal(s1, s2)


@pytest.mark.parametrize("model", ["mat2_psc_exp", "iaf_tum_2000", "izhikevich", "ignore_and_fire"])
def test_groups_created_apart_behave_as_one(model):
    """Neighbouring groups of one model (updated as one batch where the model allows)
    give the spikes of one population, with iaf_tum_2000's offsets."""
    params = {"I_e": [5.0, 8.0, 12.0]} if model == "izhikevich" else {"I_e": [400.0, 600.0, 900.0]}
    if model == "ignore_and_fire":
        params = {"rate": [20.0, 37.0, 55.0]}

    def spikes(splits):
        nest.ResetKernel()
        pops = [nest.Create(model, 1) for _ in range(3)] if splits else [nest.Create(model, 3)]
        both = pops[0] if not splits else pops[0] + pops[1] + pops[2]
        both.set(params)
        sr = nest.Create("spike_recorder")
        nest.Connect(both, sr)
        nest.Simulate(100.0)
        ev = sr.get("events")
        return ev["times"], ev["senders"]

    t1, s1 = spikes(False)
    t2, s2 = spikes(True)
    assert len(t1) > 5
    np.testing.assert_array_equal(t1, t2)
    np.testing.assert_array_equal(s1, s2)
    if model == "iaf_tum_2000":
        assert np.any(np.abs(t1 / 0.1 - np.rint(t1 / 0.1)) > 1e-6)  # offsets kept


@pytest.mark.parametrize(("model", "j"), STATS)
def test_spike_statistics_match_nest(model, j):
    """Counts, mean ISI and CV over seeds agree with NEST's within 4 standard errors."""
    setting = INFO["stats"][model][j]
    ref = {key: np.array([row[key] for row in setting["per_seed"]]) for key in ("count", "mean_isi", "cv")}
    rows = []
    for seed in INFO["seeds"]:
        nest.ResetKernel()
        nest.rng_seed = seed
        pop = nest.Create(model, INFO["stat_n"], params=setting["params"])
        sr = nest.Create("spike_recorder")
        nest.Connect(pop, sr)
        nest.Simulate(INFO["stat_t"])
        ev = sr.get("events")
        isis = np.concatenate([np.diff(np.sort(ev["times"][ev["senders"] == s])) for s in np.unique(ev["senders"])])
        rows.append((len(ev["times"]), isis.mean(), isis.std() / isis.mean()))
    ours = dict(zip(("count", "mean_isi", "cv"), np.array(rows).T))
    for key in ("count", "mean_isi", "cv"):
        se = np.sqrt((ref[key].var(ddof=1) + ours[key].var(ddof=1)) / len(rows))
        # A floor for spreads that are tiny by chance: 1% of the value.
        assert abs(ours[key].mean() - ref[key].mean()) <= 4 * se + 0.01 * abs(ref[key].mean()), key
