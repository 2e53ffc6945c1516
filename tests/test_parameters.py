"""nest.random / nest.math / nest.logic parameters in Create, set and Connect."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nest


def _weights():
    return np.array(nest.GetConnections().get("weight"))


@pytest.mark.parametrize(
    "param, mean, std",
    [
        (lambda: nest.random.uniform(2.0, 4.0), 3.0, 2.0 / math.sqrt(12)),
        (lambda: nest.random.normal(mean=1.5, std=0.3), 1.5, 0.3),
        (
            lambda: nest.random.lognormal(mean=0.0, std=0.5),
            math.exp(0.125),
            math.sqrt((math.exp(0.25) - 1) * math.exp(0.25)),
        ),
        (lambda: nest.random.exponential(beta=2.0), 2.0, 2.0),
        (lambda: nest.random.uniform_int(10), 4.5, math.sqrt(99 / 12)),
    ],
)
def test_random_weights_have_their_distribution(param, mean, std):
    a = nest.Create("iaf_psc_delta", 200)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 100}, {"weight": param()})
    w = _weights()
    assert len(w) == 20000
    assert abs(w.mean() - mean) < 5 * std / math.sqrt(len(w))
    assert abs(w.std() - std) < 0.05 * std


def test_uniform_int_gives_integers_in_range():
    a = nest.Create("iaf_psc_delta", 50)
    nest.Connect(a, a, "all_to_all", {"weight": nest.random.uniform_int(3)})
    assert set(_weights()) == {0.0, 1.0, 2.0}


def test_parameters_in_create_and_set():
    n = nest.Create("iaf_psc_alpha", 1000, params={"V_m": nest.random.uniform(-70.0, -60.0)})
    v = np.array(n.V_m)
    assert v.min() >= -70.0 and v.max() < -60.0 and v.std() > 2.0
    n.set(I_e=nest.random.normal(100.0, 10.0) * 2 + 5)
    ie = np.array(n.I_e)
    assert abs(ie.mean() - 205.0) < 3.0 and abs(ie.std() - 20.0) < 2.0
    one = nest.random.uniform(2.0, 3.0).GetValue()
    assert 2.0 <= one < 3.0


def test_math_and_logic():
    a = nest.Create("iaf_psc_delta", 100)
    p = nest.math.redraw(nest.random.normal(0.0, 1.0), min=-0.5, max=0.5)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 50}, {"weight": nest.math.exp(p)})
    w = _weights()
    assert w.min() >= math.exp(-0.5) and w.max() <= math.exp(0.5)
    nest.ResetKernel()
    a = nest.Create("iaf_psc_delta", 100)
    u = nest.random.uniform(0.0, 1.0)
    nest.Connect(
        a, a, {"rule": "fixed_indegree", "indegree": 50}, {"weight": nest.logic.conditional(u < 0.5, 1.0, -1.0)}
    )
    w = _weights()
    assert set(w) == {1.0, -1.0} and abs((w > 0).mean() - 0.5) < 0.03
    assert nest.math.max(nest.random.uniform(0.0, 1.0), 2.0).GetValue() == 2.0
    assert nest.math.min(nest.random.uniform(5.0, 6.0), 2.0).GetValue() == 2.0


def test_random_delays_are_rounded_to_the_grid():
    a = nest.Create("iaf_psc_delta", 100)
    delay = nest.math.redraw(nest.random.normal(1.5, 0.3), min=0.1, max=10.0)
    nest.Connect(a, a, {"rule": "fixed_indegree", "indegree": 50}, {"delay": delay})
    d = np.array(nest.GetConnections().get("delay"))
    steps = d / 0.1
    assert np.allclose(steps, np.round(steps)) and d.min() >= 0.1 and abs(d.mean() - 1.5) < 0.02


def test_2x_distribution_dictionaries():
    a = nest.Create("iaf_psc_delta", 100)
    with pytest.warns(DeprecationWarning, match="nest.random.normal"):
        nest.Connect(
            a,
            a,
            {"rule": "fixed_indegree", "indegree": 50},
            {"weight": {"distribution": "normal", "mu": 2.0, "sigma": 0.5}},
        )
    w = _weights()
    assert abs(w.mean() - 2.0) < 0.03 and abs(w.std() - 0.5) < 0.03
    with pytest.raises(nest.NESTErrors.BadParameter, match="normal"):
        nest.Connect(a, a, syn_spec={"weight": {"distribution": "gaussian"}})


def test_same_seed_same_draws():
    def draw(seed):
        nest.ResetKernel()
        nest.rng_seed = seed
        n = nest.Create("iaf_psc_alpha", 20, params={"V_m": nest.random.normal(-65.0, 2.0)})
        return np.array(n.V_m)

    assert np.array_equal(draw(3), draw(3)) and not np.array_equal(draw(3), draw(4))


def test_bad_distribution_parameters():
    with pytest.raises(nest.NESTErrors.BadParameter, match="std"):
        nest.random.normal(0.0, -1.0)
    with pytest.raises(nest.NESTErrors.BadParameter, match="min"):
        nest.random.uniform(3.0, 1.0)


def test_create_parameter_as_pynest():
    assert nest.CreateParameter("constant", {"value": 2.0}).GetValue() == 2.0
    v = nest.CreateParameter("uniform", {"min": 1.0, "max": 2.0}).GetValue()
    assert 1.0 <= v < 2.0
    n = nest.Create("iaf_psc_alpha", 50, params={"V_m": nest.CreateParameter("normal", {"mean": -60.0, "std": 1.0})})
    assert abs(np.mean(n.get("V_m")) + 60.0) < 1.0
    with pytest.raises(nest.NESTErrors.UndefinedName, match="foo"):
        nest.CreateParameter("foo", {})
    with pytest.raises(nest.NESTErrors.UnaccessedDictionaryEntry, match="lo"):
        nest.CreateParameter("uniform", {"lo": 1.0})
