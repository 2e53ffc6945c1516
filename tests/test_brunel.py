"""The seed-002 Brunel network against real NEST 3.10's rate, and thread independence."""

from __future__ import annotations

import numpy as np
import pytest
from conftest import load_json

import nest


def build_brunel(ne: int, threads: int = 1, seed: int = 1, n_rec: int = 50, g: float = 5.0, eta: float = 2.0):
    """Seed 002's network (NEST 3 spelling); returns the two spike recorders."""
    nest.ResetKernel()
    nest.SetKernelStatus({"resolution": 0.1, "local_num_threads": threads, "rng_seed": seed})
    ni = ne // 4
    ce, ci, w, d = 1000, 250, 0.1, 1.5
    v_th, tau_m = 20.0, 20.0
    nest.SetDefaults(
        "iaf_psc_delta",
        {"C_m": 1.0, "E_L": 0.0, "I_e": 0.0, "V_m": 0.0, "V_reset": 10.0, "V_th": v_th, "t_ref": 2.0, "tau_m": tau_m},
    )
    nu_th = v_th / (w * tau_m)
    e = nest.Create("iaf_psc_delta", ne)
    i = nest.Create("iaf_psc_delta", ni)
    pg = nest.Create("poisson_generator", params={"rate": 1e3 * eta * nu_th})
    sr_e = nest.Create("spike_recorder")
    sr_i = nest.Create("spike_recorder")
    nest.Connect(e, e + i, {"rule": "fixed_indegree", "indegree": ce}, {"delay": d, "weight": w})
    nest.Connect(i, e + i, {"rule": "fixed_indegree", "indegree": ci}, {"delay": d, "weight": -g * w})
    nest.Connect(pg, e + i, syn_spec={"delay": d, "weight": w})
    nest.Connect(e[:n_rec], sr_e)
    nest.Connect(i[:n_rec], sr_i)
    return sr_e, sr_i


@pytest.mark.slow
def test_brunel_rate_within_10_percent_of_nest():
    ref = load_json("brunel.json")["mean_over_seeds"]
    sr_e, sr_i = build_brunel(5000, n_rec=50)
    assert nest.num_connections == 6250 * 1250 + 6250 + 100
    nest.Simulate(1000.0)
    rate = (sr_e.n_events + sr_i.n_events) / 1.0 / 100
    assert abs(rate - ref["mean_rate"]) < 0.1 * ref["mean_rate"], (rate, ref["mean_rate"])


def test_same_seed_same_spikes_for_one_and_two_threads():
    runs = []
    for threads in (1, 2):
        sr_e, sr_i = build_brunel(800, threads=threads, n_rec=200)
        nest.Simulate(200.0)
        ev = sr_e.events
        runs.append((ev["senders"], ev["times"]))
    assert len(runs[0][0]) > 100
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])


def test_different_seeds_differ():
    out = []
    for seed in (1, 2):
        sr_e, _ = build_brunel(800, seed=seed, n_rec=200)
        nest.Simulate(100.0)
        out.append(sr_e.events["times"])
    assert len(out[0]) != len(out[1]) or not np.array_equal(out[0], out[1])


def test_simulate_in_pieces_equals_one_call():
    sr_e, _ = build_brunel(800, n_rec=200)
    nest.Simulate(150.0)
    whole = sr_e.events["times"]
    sr_e, _ = build_brunel(800, n_rec=200)
    for _ in range(3):
        nest.Simulate(50.0)
    np.testing.assert_array_equal(sr_e.events["times"], whole)
