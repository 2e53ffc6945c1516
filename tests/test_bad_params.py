"""Bad parameter values and receptor ports get NEST 3.10's errors, naming the parameter.

The figures come from real NEST (tools/reference/bad_params.py): for every neuron model
its time constants, capacitances, refractory times and slope factors set to -1 and 0, and
a spike connection to the first receptor port past the model's last. Our message is NEST's
own followed by the parameter and the value given (NEST's wording often names neither).
"""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest
from nest.errors import NESTError

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
from parrot_ports import run, tum_network, tum_ports  # noqa: E402

REF = load_json("bad_params.json")
CASES = [
    (model, case, outcome)
    for model, cases in REF["set"].items()
    if model in nest.node_models
    for case, outcome in cases.items()
]


def _outcome(fn):
    try:
        fn()
        return "ok"
    except NESTError as err:
        return [type(err).__name__, str(err)]


@pytest.mark.parametrize(("model", "case", "ref"), CASES, ids=[f"{m}-{c}" for m, c, _ in CASES])
def test_bad_value_gets_nests_error_and_names_the_parameter(model, case, ref):
    key, value = case.split("=")
    node = nest.Create(model)
    if model == "cm_default":
        node.compartments = [{"parent_idx": -1}]  # NEST's cm_default cannot simulate without one
    before = node.get(key)
    ours = _outcome(lambda: node.set({key: float(value)}))
    if ref == "ok":
        assert ours == "ok"
        return
    assert ours != "ok", f"NEST refuses {case}: {ref[1]}"
    assert ours[0] == ref[0]
    assert ours[1] == f"{ref[1]} (given: {key} = {float(value)})"
    # The refused value changed nothing, and the kernel goes on.
    assert node.get(key) == before
    nest.Simulate(1.0)


@pytest.mark.parametrize("model", [m for m in REF["receptor"] if m in nest.node_models])
def test_receptor_port_past_the_last_is_refused_as_in_nest(model):
    ref = REF["receptor"][model]
    node = nest.Create(model)
    sg = nest.Create("spike_generator")
    ours = _outcome(lambda: nest.Connect(sg, node, syn_spec={"receptor_type": ref["port"]}))
    assert ours == ref["outcome"]


def test_set_defaults_names_the_parameter_too():
    with pytest.raises(nest.NESTErrors.BadProperty, match=r"Capacitance must be > 0\. \(given: C_m = -2\.0\)"):
        nest.SetDefaults("iaf_psc_alpha", {"C_m": -2.0})
    assert nest.GetDefaults("iaf_psc_alpha", "C_m") == 250.0


def test_only_the_culprit_is_named_among_several_keys():
    node = nest.Create("iaf_psc_alpha")
    with pytest.raises(nest.NESTErrors.BadProperty) as err:
        node.set({"V_th": -50.0, "tau_m": -1.0, "I_e": 3.0})
    assert str(err.value).endswith("(given: tau_m = -1.0)")
    assert node.V_th == -55.0 and node.I_e == 0.0


def test_parrot_port_one_takes_spikes_without_repeating_them():
    pre = nest.Create("parrot_neuron")
    post = nest.Create("parrot_neuron")
    sg = nest.Create("spike_generator", params={"spike_times": [5.0, 15.0]})
    nest.Connect(sg, pre)
    nest.Connect(pre, post, syn_spec={"receptor_type": 1})
    sr = nest.Create("spike_recorder")
    nest.Connect(pre + post, sr)
    nest.Simulate(30.0)
    assert list(sr.events["senders"]) == [1, 1]


@pytest.mark.parametrize("model", ["parrot_neuron", "parrot_neuron_ps"])
def test_parrot_port_one_feeds_stdp_as_in_nest(model):
    ref = load_json("parrot_ports.json")[model]
    ours = run(nest, model)
    assert list(ours["senders"]) == ref["senders"]
    assert np.allclose(ours["times"], ref["times"], rtol=0, atol=1e-12)
    assert abs(ours["weight"] - ref["weight"]) < 1e-9


def test_iaf_tum_2000_ports_as_nest():
    ref = load_json("parrot_ports.json")["tum_ports"]
    ours = tum_ports(nest)
    assert ours == ref


def test_iaf_tum_2000_network_through_port_1_equals_nest():
    # Port 1 scales each spike by the release its sender computed (the spike's offset); an
    # iaf_tum_2000 is archived for STDP at its step's time, whatever that offset.
    ref = load_json("parrot_ports.json")["tum_network"]
    ours = tum_network(nest)
    assert ours["senders"] == ref["senders"] and ours["spike_senders"] == ref["spike_senders"]
    assert len(ref["spike_times"]) > 20
    assert np.allclose(ours["spike_times"], ref["spike_times"], rtol=0, atol=1e-9)
    for key in ("I_syn_ex", "I_syn_in", "V_m"):
        assert np.allclose(ours[key], ref[key], rtol=0, atol=1e-9), key
    assert abs(ours["weight"] - ref["weight"]) < 1e-9
