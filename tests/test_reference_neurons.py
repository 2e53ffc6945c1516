"""Single neurons against real NEST 3.10 (figures in tests/reference, made by tools/reference)."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_npz

import nest

TOL = 1e-9


def test_one_neuron_spikes_and_trace_equal_nest():
    ref = load_npz("one_neuron.npz")
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    mm_d = nest.Create("multimeter", params={"record_from": ["V_m"]})
    mm_01 = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm_d, n)
    nest.Connect(mm_01, n)
    nest.Connect(n, sr)
    nest.Simulate(1000.0)
    st = sr.get("events")["times"]
    assert st[:3] == pytest.approx([59.3, 120.6, 181.9], abs=1e-12)
    np.testing.assert_allclose(st, ref["spike_times"], atol=TOL, rtol=0)
    for key in ("mm_default", "mm_01"):
        ev = (mm_d if key == "mm_default" else mm_01).get("events")
        np.testing.assert_array_equal(ev["times"], ref[f"{key}_times"])
        np.testing.assert_allclose(ev["V_m"], ref[f"{key}_V_m"], atol=TOL, rtol=0)


def test_two_connected_neurons_equal_nest():
    ref = load_npz("two_neurons.npz")
    n1 = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    n2 = nest.Create("iaf_psc_alpha")
    nest.Connect(n1, n2, syn_spec={"weight": 20.0, "delay": 1.0})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m", "I_syn_ex", "I_syn_in"]})
    nest.Connect(mm, n2)
    sr1 = nest.Create("spike_recorder")
    sr2 = nest.Create("spike_recorder")
    nest.Connect(n1, sr1)
    nest.Connect(n2, sr2)
    nest.Simulate(1000.0)
    e = mm.get("events")
    np.testing.assert_allclose(sr1.events["times"], ref["n1_spike_times"], atol=TOL, rtol=0)
    np.testing.assert_allclose(sr2.events["times"], ref["n2_spike_times"], atol=TOL, rtol=0)
    np.testing.assert_array_equal(e["times"], ref["mm_times"])
    for key in ("V_m", "I_syn_ex", "I_syn_in"):
        np.testing.assert_allclose(e[key], ref[key], atol=TOL, rtol=0)


W_EXC = {"iaf_psc_alpha": 300.0, "iaf_psc_exp": 300.0, "iaf_psc_delta": 3.0}
W_INH = {"iaf_psc_alpha": -250.0, "iaf_psc_exp": -250.0, "iaf_psc_delta": -2.5}


@pytest.mark.parametrize("model", ["iaf_psc_alpha", "iaf_psc_exp", "iaf_psc_delta"])
def test_dc_and_spike_input_equal_nest(model):
    ref = load_npz("psc_inputs.npz")
    n = nest.Create(model, params={"I_e": 200.0})
    dc = nest.Create("dc_generator", params={"amplitude": 190.0, "start": 50.0, "stop": 700.0})
    nest.Connect(dc, n)
    for key, w, d in (
        ("EXC_D1", W_EXC[model], 1.0),
        ("INH_D1", W_INH[model], 1.0),
        ("EXC_D23", W_EXC[model], 2.3),
        ("INH_D23", W_INH[model], 2.3),
    ):
        sg = nest.Create("spike_generator", params={"spike_times": ref[key].tolist()})
        nest.Connect(sg, n, syn_spec={"weight": w, "delay": d})
    recordables = ["V_m"] if model == "iaf_psc_delta" else ["I_syn_ex", "I_syn_in", "V_m"]
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": recordables})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Connect(mm, n)
    nest.Simulate(300.0)
    nest.Simulate(200.0)
    e = mm.events
    np.testing.assert_allclose(sr.events["times"], ref[f"{model}__spike_times"], atol=TOL, rtol=0)
    np.testing.assert_array_equal(e["times"], ref[f"{model}__times"])
    for key in recordables:
        np.testing.assert_allclose(e[key], ref[f"{model}__{key}"], atol=TOL, rtol=0, err_msg=key)


def _poisson_trace(seed):
    nest.ResetKernel()
    nest.rng_seed = seed
    n = nest.Create("iaf_psc_alpha")
    pe = nest.Create("poisson_generator", params={"rate": 80000.0})
    pi = nest.Create("poisson_generator", params={"rate": 15000.0})
    nest.Connect(pe, n, syn_spec={"weight": 1.2})
    nest.Connect(pi, n, syn_spec={"weight": -2.0})
    mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
    nest.Connect(mm, n)
    nest.Simulate(1000.0)
    e = mm.events
    return e["V_m"][e["times"] > 100.0]


def test_poisson_noise_statistics_match_nest():
    ref = load_npz("poisson_noise.npz")
    means, stds = [], []
    for seed in ref["seeds"]:
        v = _poisson_trace(int(seed))
        means.append(v.mean())
        stds.append(v.std())
    assert abs(np.mean(means) - ref["V_m_mean"].mean()) < 0.3
    assert abs(np.mean(stds) - ref["V_m_std"].mean()) < 0.25
    # Different seeds give different trains; the same seed gives the same one.
    assert len(set(np.round(means, 9))) == len(means)
    np.testing.assert_array_equal(_poisson_trace(3), _poisson_trace(3))


def test_step_and_ac_generators_equal_nest():
    ref = load_npz("generators.npz")
    n_ac = nest.Create("iaf_psc_alpha")
    ac = nest.Create("ac_generator", params={"amplitude": 50.0, "offset": 100.0, "frequency": 20.0, "phase": 30.0})
    n_step = nest.Create("iaf_psc_alpha")
    step = nest.Create(
        "step_current_generator",
        params={"amplitude_times": [10.0, 50.5, 120.0], "amplitude_values": [100.0, -50.0, 300.0]},
    )
    nest.Connect(ac, n_ac)
    nest.Connect(step, n_step)
    mms = []
    for nrn in (n_ac, n_step):
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
        nest.Connect(mm, nrn)
        mms.append(mm)
    gmms = []
    for gen in (ac, step):
        gmm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["I"]})
        nest.Connect(gmm, gen)
        gmms.append(gmm)
    nest.Simulate(200.0)
    for mm, gmm, key in zip(mms, gmms, ("ac", "step")):
        np.testing.assert_array_equal(mm.events["times"], ref[f"{key}__times"])
        np.testing.assert_allclose(mm.events["V_m"], ref[f"{key}__V_m"], atol=1e-9, rtol=0, err_msg=key)
        np.testing.assert_array_equal(gmm.events["times"], ref[f"{key}__I_times"])
        np.testing.assert_allclose(gmm.events["I"], ref[f"{key}__I"], atol=1e-9, rtol=0, err_msg=key)


def test_noise_generator_statistics_match_nest():
    ref = load_npz("generators.npz")
    means, stds = [], []
    for seed in ref["noise__seeds"]:
        nest.ResetKernel()
        nest.rng_seed = int(seed)
        n = nest.Create("iaf_psc_alpha")
        ng = nest.Create("noise_generator", params={"mean": 0.0, "std": 100.0, "dt": 1.0})
        nest.Connect(ng, n)
        mm = nest.Create("multimeter", params={"interval": 0.1, "record_from": ["V_m"]})
        nest.Connect(mm, n)
        nest.Simulate(200.0)
        v = mm.events["V_m"][mm.events["times"] > 20.0]
        means.append(v.mean())
        stds.append(v.std())
    assert abs(np.mean(means) - ref["noise__V_m_mean"].mean()) < 0.3
    assert abs(np.mean(stds) - ref["noise__V_m_std"].mean()) < 0.25
