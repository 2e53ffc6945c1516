"""Precise spike timing against real NEST 3.10 (tests/reference/precise.*).

The protocols are tools/reference/precise.py's own functions, run here with nestling.
"""

from __future__ import annotations

import math
import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json, load_npz

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import precise as protocol  # noqa: E402

REF = load_npz("precise.npz")
REF_JSON = load_json("precise.json")
INTERNAL = {"model_id", "available", "capacity", "instantiations"}
NEURONS = list(protocol.WEIGHT)


def _decode(x):
    return float(x) if isinstance(x, str) and x in ("inf", "-inf", "nan") else x


@pytest.mark.parametrize("model", sorted(REF_JSON["defaults"]))
def test_defaults_equal_nest(model):
    ref = REF_JSON["defaults"][model]
    ours = nest.GetDefaults(model)
    assert sorted(set(ours) - INTERNAL) == sorted(set(ref) - INTERNAL)
    for key in set(ref) - INTERNAL:
        a, b = ours[key], _decode(ref[key])
        if isinstance(b, list):
            assert list(np.asarray(a).tolist()) == b, key
        elif isinstance(b, dict):
            assert isinstance(a, dict) and set(a) == set(b), key
        else:
            assert a == b or (isinstance(b, float) and math.isnan(b) and math.isnan(a)), key


def test_offsets_through_register_parrots_and_recorders():
    out = {}
    protocol.register(nest, out)
    for key in ("reg__ms_senders", "reg__st_senders", "reg__st_times"):
        np.testing.assert_array_equal(out[key], REF[key], err_msg=key)
    # Times in ms (stamp * h - offset) and offsets are the same floats as NEST's.
    np.testing.assert_array_equal(out["reg__ms_times"], REF["reg__ms_times"])
    np.testing.assert_array_equal(out["reg__st_offsets"], REF["reg__st_offsets"])
    assert out["reg__t_spike_pps"] == REF["reg__t_spike_pps"]


def test_stamps_and_offsets_of_times_next_to_the_grid():
    out = {}
    protocol.edges(nest, out)
    np.testing.assert_array_equal(out["edge__times"], REF["edge__times"])
    np.testing.assert_array_equal(out["edge__offsets"], REF["edge__offsets"])


def test_allow_offgrid_times_moves_times_to_the_end_of_their_step():
    out = {}
    protocol.offgrid(nest, out)
    np.testing.assert_array_equal(out["offgrid__spike_times"], REF["offgrid__spike_times"])
    np.testing.assert_array_equal(out["offgrid__times"], REF["offgrid__times"])


def test_offgrid_time_refused_when_set():
    sg = nest.Create("spike_generator")
    with pytest.raises(nest.NESTErrors.BadProperty, match="Time point 1.03 is not representable"):
        sg.spike_times = [1.03]


def test_refractory_period_rounded_up_to_whole_steps():
    out = {}
    protocol.refractory(nest, out)
    for key in (k for k in REF if k.startswith("tref__")):
        np.testing.assert_allclose(out[key], REF[key], rtol=0, atol=1e-9, err_msg=key)


@pytest.mark.parametrize("model", NEURONS)
def test_refractory_period_of_zero_refused(model):
    with pytest.raises(nest.NESTErrors.BadProperty, match="at least one time step"):
        nest.Create(model, params={"t_ref": 0.0})


@pytest.mark.parametrize("model", NEURONS)
def test_precise_neuron_traces_and_spikes(model):
    out = {}
    protocol.neurons(nest, model, out)
    p = model + "__"
    np.testing.assert_array_equal(out[p + "sr_senders"], REF[p + "sr_senders"])
    np.testing.assert_array_equal(out[p + "sr_times"], REF[p + "sr_times"])
    # Spike times (stamp and offset) equal NEST's to 1e-9 ms; both locate the crossing
    # to machine precision.
    np.testing.assert_allclose(out[p + "sr_offsets"], REF[p + "sr_offsets"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(out[p + "t_spike"], REF[p + "t_spike"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(out[p + "mm_senders"], REF[p + "mm_senders"])
    np.testing.assert_array_equal(out[p + "mm_times"], REF[p + "mm_times"])
    for r in nest.GetDefaults(model, "recordables"):
        np.testing.assert_allclose(out[p + "mm_" + r], REF[p + "mm_" + r], rtol=0, atol=1e-9, err_msg=r)
    np.testing.assert_allclose(out[p + "V_m"], REF[p + "V_m"], rtol=0, atol=1e-9)
    if p + "I_syn" in REF:
        np.testing.assert_allclose(out[p + "I_syn"], REF[p + "I_syn"], rtol=0, atol=1e-9)


@pytest.mark.parametrize("dead", ["0.0", "5.0"])
def test_poisson_generator_ps_statistics(dead):
    ref = REF_JSON["pois"][dead]
    ours = protocol.poisson(nest, float(dead))
    # 200 trains of about 500 spikes: the rate's standard error is about 0.3/s.
    assert abs(ours["rate"] - 100.0) < 1.5 and abs(ref["rate"] - 100.0) < 1.5
    assert abs(ours["cv"] - ref["cv"]) < 0.02
    # No interval is shorter than the dead time; spikes stay inside (start, stop] + delay.
    assert ours["min_isi"] >= float(dead) and (ours["min_isi"] < 5.01 if dead == "5.0" else ours["min_isi"] < 0.01)
    assert 101.0 < ours["t_first"] < 101.5 and 5100.5 < ours["t_last"] <= 5101.0


def test_poisson_generator_ps_errors():
    for bad, msg in (
        ({"rate": -1.0}, "rate cannot be negative"),
        ({"dead_time": -1.0}, "dead time cannot be negative"),
        ({"rate": 300.0, "dead_time": 5.0}, "inverse rate cannot be smaller than the dead time"),
    ):
        with pytest.raises(nest.NESTErrors.BadProperty, match=msg):
            nest.Create("poisson_generator_ps", params=bad)


def test_poisson_generator_ps_to_grid_neuron_counts_at_step_end():
    # A grid neuron takes a precise train as spikes on the grid: a parrot_neuron repeats
    # each of them at the stamp of its step (offset 0), the parrot_neuron_ps at its time.
    pg = nest.Create("poisson_generator_ps", params={"rate": 2000.0})
    par, pps = nest.Create("parrot_neuron"), nest.Create("parrot_neuron_ps")
    nest.Connect(pg, par + pps, "all_to_all")
    sr = nest.Create("spike_recorder", params={"time_in_steps": True})
    nest.Connect(par + pps, sr)
    nest.Simulate(200.0)
    e = sr.events
    grid = e["senders"] == par.global_id
    assert grid.sum() > 200 and np.all(e["offsets"][grid] == 0.0)
    assert np.all(e["offsets"][~grid] > 0.0) and np.all(e["offsets"][~grid] < 0.1)


def test_precise_times_refuses_rounding_options():
    with pytest.raises(nest.NESTErrors.BadProperty, match="precise_times"):
        nest.Create("spike_generator", params={"precise_times": True, "allow_offgrid_times": True})


def test_off_grid_spiking_set_by_precise_models():
    ours = protocol.off_grid_spiking(nest)
    assert ours == REF_JSON["off_grid_spiking"]
    assert any(after for _, after in ours.values()) and not all(after for _, after in ours.values())


def test_refractory_input_of_delta_ps_not_settable():
    # Listed by GetDefaults, but NEST 3.10 never reads it (tests/reference/precise.json).
    assert (
        nest.GetDefaults("iaf_psc_delta_ps", "refractory_input")
        is REF_JSON["defaults"]["iaf_psc_delta_ps"]["refractory_input"]
    )
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="refractory_input"):
        nest.Create("iaf_psc_delta_ps", params={"refractory_input": True})


@pytest.mark.parametrize("model", NEURONS)
def test_resumed_runs_with_state_set_between(model):
    out = {}
    protocol.resume(nest, model, out)
    p = f"resume__{model}__"
    np.testing.assert_array_equal(out[p + "is_refractory"], REF[p + "is_refractory"])
    np.testing.assert_array_equal(out[p + "times"], REF[p + "times"])
    np.testing.assert_allclose(out[p + "offsets"], REF[p + "offsets"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(out[p + "V_m"], REF[p + "V_m"], rtol=0, atol=1e-9)


def test_synaptic_state_settable_only_in_exp_ps():
    n = nest.Create("iaf_psc_exp_ps")
    n.set({"I_syn_ex": 12.0, "I_syn_in": -3.0})
    assert (n.I_syn_ex, n.I_syn_in) == (12.0, -3.0)
    a = nest.Create("iaf_psc_alpha_ps")
    for key in ("I_syn_ex", "I_syn_in", "dI_syn_ex", "dI_syn_in"):
        with pytest.raises(nest.NESTErrors.BadProperty, match=key):
            a.set({key: 1.0})


def test_finer_resolution():
    out = {}
    protocol.fine(nest, out)
    assert set(out) == {k for k in REF if k.startswith("fine__")}
    for key, value in out.items():
        if key.endswith(("senders", "sr_times", "edge__times", "edge__offsets")):
            np.testing.assert_array_equal(value, REF[key], err_msg=key)
        else:
            np.testing.assert_allclose(value, REF[key], rtol=0, atol=1e-9, err_msg=key)
