"""Neighbouring populations of one model are updated by one kernel call, with the same results."""

from __future__ import annotations

import numpy as np
import pytest

import nest
from nest.engine import batches
from nest.engine.kernel import kernel


def _populations(threads: int):
    """Four iaf_psc_exp populations with their own parameters, wired to each other."""
    nest.ResetKernel()
    nest.local_num_threads = threads
    nest.rng_seed = 7
    pops = [
        nest.Create("iaf_psc_exp", n, params={"I_e": ie, "tau_m": tm, "V_m": nest.random.uniform(-70.0, -55.0)})
        for n, ie, tm in ((300, 360.0, 10.0), (80, 300.0, 8.0), (250, 380.0, 12.0), (70, 200.0, 10.0))
    ]
    for i, pre in enumerate(pops):
        for j, post in enumerate(pops):
            w = 40.0 if i % 2 == 0 else -160.0
            nest.Connect(pre, post, {"rule": "fixed_indegree", "indegree": 20}, {"weight": w, "delay": 0.1 + 0.1 * j})
    noise = nest.Create("poisson_generator", params={"rate": 8000.0})
    everyone = pops[0] + pops[1] + pops[2] + pops[3]
    nest.Connect(noise, everyone, syn_spec={"weight": 20.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(everyone, sr)
    mm = nest.Create("multimeter", params={"record_from": ["V_m", "I_syn_ex"], "interval": 0.1})
    nest.Connect(mm, pops[1][:3] + pops[2][-2:])
    return pops, sr, mm


def _run(threads: int):
    pops, sr, mm = _populations(threads)
    nest.Simulate(60.0)
    nest.Simulate(40.0)
    return (
        sr.events["senders"],
        sr.events["times"],
        mm.events["senders"],
        mm.events["V_m"],
        mm.events["I_syn_ex"],
        np.concatenate([np.array(p.get("V_m")) for p in pops]),
        np.array(pops[2].get("t_spike")),
    )


def test_populations_of_one_model_form_one_batch():
    _populations(1)
    nest.Prepare()
    units = kernel.units
    batched = [u for u in units if isinstance(u, batches.Batch)]
    assert len(batched) == 1 and len(batched[0].members) == 4
    assert batched[0].n == 700
    nest.Cleanup()


@pytest.mark.parametrize("threads", [1, 2])
def test_batched_update_equals_group_by_group(monkeypatch, threads):
    batched = _run(threads)
    assert len(batched[0]) > 100  # the network fires

    def one_by_one(groups, updated, kernel):
        return [g for g in groups if updated(g)]

    monkeypatch.setattr(batches, "plan", one_by_one)
    separate = _run(threads)
    for a, b in zip(batched, separate):
        np.testing.assert_array_equal(a, b)


def test_set_status_between_runs_reaches_batched_groups():
    pops, sr, _ = _populations(1)
    nest.Simulate(20.0)
    pops[3].set(I_e=0.0, V_m=-70.0)
    nest.Simulate(0.1)
    # The batch was rebuilt from the groups' new values: the membrane starts from -70 mV.
    assert np.all(np.array(pops[3].get("V_m")) < -69.0)
