"""Rate neurons, rate transformers, Siegert neurons and gap junctions against real NEST 3.10
(tests/reference/models_rate.*, made by tools/reference/models_rate.py).

The protocols are the reference script's own functions, run here on nestling: an
oscillating excitatory-inhibitory pair, a driver and a readout around the node under
test, with delayed and instantaneous connections (waveform relaxation as NEST iterates
it), every recordable at 0.1 ms for 100 ms; without noise the traces must equal NEST's
within 1e-9. With noise (counter-based streams, not NEST's numbers) the statistics of
400 nodes must lie within NEST's spread over four seeds. NEST's two-neuron gap-junction
example (hh_psc_alpha_gap, plus a third neuron) must give the same spike steps.
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json, load_npz, nest_words

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import models_rate as protocol  # noqa: E402

REF = load_npz("models_rate.npz")
INFO = load_json("models_rate.json")


@pytest.mark.parametrize("case", sorted(protocol.CASES))
def test_traces_equal_nest(case):
    ours = protocol.run_case(nest, protocol.CASES[case])
    keys = [k.split(":", 1)[1] for k in REF if k.startswith(case + ":")]
    assert keys
    for key in keys:
        ref = REF[f"{case}:{key}"]
        assert ours[key].shape == ref.shape, key
        np.testing.assert_allclose(ours[key], ref, rtol=0, atol=1e-9, err_msg=key)


@pytest.mark.parametrize("case", sorted(protocol.SIEGERT_CASES))
def test_siegert_rates_equal_nest(case):
    ours = protocol.run_siegert(nest, protocol.SIEGERT_CASES[case])
    for key, trace in ours.items():
        ref = REF[f"{case}:{key}"]
        assert trace.shape == ref.shape
        np.testing.assert_allclose(trace, ref, rtol=0, atol=1e-9, err_msg=key)


def test_default_gaussian_rate_neuron_is_nan_as_in_nest():
    ours = np.asarray(protocol.run_default_gauss(nest))
    ref = np.asarray(INFO["default_gauss"], dtype=float)  # ("nan" in the JSON file)
    assert ours.shape == ref.shape and np.all(np.isnan(ours)) and np.all(np.isnan(ref))


def test_step_rate_generator_drives_rate_neurons_as_nest():
    for key, trace in protocol.run_step_rate(nest).items():
        np.testing.assert_allclose(trace, REF[f"step_rate:{key}"], rtol=0, atol=1e-9, err_msg=key)


@pytest.mark.parametrize("case", sorted(protocol.GAP_CASES))
def test_gap_junction_example_as_nest(case):
    """Spikes in the same steps; V_m within 0.5 mV of NEST's outside 1 ms around spikes (an
    upstroke of 100 mV/ms turns the integrators' tiny timing differences into mV)."""
    ours = protocol.run_gap(nest, protocol.GAP_CASES[case])
    spikes = np.concatenate([REF[f"{case}:spikes{j}"] for j in range(3)])
    for j in range(3):
        ref_spikes = REF[f"{case}:spikes{j}"]
        assert len(ref_spikes) > 0 and len(ours[f"spikes{j}"]) == len(ref_spikes)
        np.testing.assert_allclose(ours[f"spikes{j}"], ref_spikes, rtol=0, atol=0.05 + 1e-9)
        ref_v = REF[f"{case}:V_m{j}"]
        t = np.arange(1, len(ref_v) + 1) * 0.1
        away = np.all(np.abs(t[:, None] - spikes[None, :]) > 1.0, axis=1)
        assert ours[f"V_m{j}"].shape == ref_v.shape
        assert np.abs(ours[f"V_m{j}"] - ref_v)[away].max() < 0.5


def test_gap_junctions_must_be_symmetric():
    a, b = nest.Create("hh_psc_alpha_gap"), nest.Create("hh_psc_alpha_gap")
    with pytest.raises(nest.NESTErrors.BadProperty, match="make_symmetric"):
        nest.Connect(a, b, syn_spec={"synapse_model": "gap_junction"})
    nest.Connect(a + b, a + b, syn_spec={"synapse_model": "gap_junction", "weight": 0.3})
    assert len(nest.GetConnections(synapse_model="gap_junction")) == 4


@pytest.mark.parametrize("model", sorted(protocol.STATS))
def test_noise_statistics_within_nests_spread(model):
    ref = INFO["stats"][model]
    ours = protocol.run_stats(nest, model, 11)
    for key in ref[0]:
        values = np.array([r[key] for r in ref])
        spread = max(values.std(ddof=1), 1e-3 * abs(values.mean()), 1e-3)
        # Four seeds give the sampling spread; six of its widths leave room for its own error.
        assert abs(ours[key] - values.mean()) < 6 * spread, (key, ours[key], values)


@pytest.mark.parametrize("j", range(len(protocol.BAD_PARAMS)))
def test_bad_parameters_raise_nests_errors(j):
    model, params, expected = INFO["bad_params"][j]
    node = nest.Create(model)
    with pytest.raises(getattr(nest.NESTErrors, expected[0])) as err:
        node.set(params)
    assert nest_words(err.value) == expected[1]


@pytest.mark.parametrize("j", range(len(protocol.ALIASES)))
def test_mean_and_std_are_mu_and_sigma(j):
    model, params, expected = INFO["aliases"][j]
    node = nest.Create(model)
    node.set(params)
    assert {k: node.get(k) for k in expected} == expected


def test_refused_connections_as_nest():
    ours = protocol.bad_connections(nest)
    for name, expected in INFO["bad_connections"].items():
        assert isinstance(ours[name], getattr(nest.NESTErrors, expected[0])), name
        if expected[1]:  # (NEST's KernelException carries no message; the reason is logged)
            assert str(ours[name]) == expected[1], name


def test_kernel_properties_of_waveform_relaxation():
    for key, value in INFO["kernel_defaults"].items():
        assert nest.GetKernelStatus(key) == value


def test_rate_survives_split_runs_and_set_status():
    """A rate set between runs is taken; an unchanged network goes on where it stopped."""
    a = nest.Create("lin_rate_ipn", params={"std": 0.0, "mean": 1.0})
    nest.Simulate(10.0)
    r10 = a.get("rate")
    assert r10 == pytest.approx(1.0 - np.exp(-1.0), abs=1e-12)
    a.set(rate=0.0)
    nest.Simulate(10.0)
    assert a.get("rate") == pytest.approx(r10, abs=1e-12)


def _noisy_network(threads: int) -> np.ndarray:
    nest.ResetKernel()
    nest.local_num_threads = threads
    n = nest.Create("tanh_rate_ipn", 300, params={"std": 0.5, "mean": 0.2})
    nest.Connect(n, n, {"rule": "fixed_indegree", "indegree": 20},
                 {"synapse_model": "rate_connection_delayed", "weight": 0.1, "delay": 1.0})  # fmt: skip
    nest.Connect(n, n, {"rule": "fixed_indegree", "indegree": 10},
                 {"synapse_model": "rate_connection_instantaneous", "weight": -0.1})  # fmt: skip
    nest.Simulate(30.0)
    return np.array(n.get("rate"))


def test_same_rates_for_any_number_of_threads():
    """Threads own chunks of nodes and ranges of targets: the same numbers, bit for bit."""
    one = _noisy_network(1)
    assert np.array_equal(one, _noisy_network(2))
    assert one.std() > 0.01
