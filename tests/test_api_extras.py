"""Small PyNEST behaviours NEST's example scripts rely on, against NEST 3.10
(tools/reference/api_extras.py): get(key, subkey), a receptor_type drawn per connection,
and an hh_psc_alpha set onto a singular voltage going nan instead of stopping."""

from __future__ import annotations

import pathlib
import sys

import pytest
from conftest import load_json

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import api_extras  # noqa: E402

REF = load_json("api_extras.json")


def test_get_with_a_subkey_as_nest():
    ours = api_extras.nested_get(nest)
    assert ours == REF["nested_get"]


def test_hh_at_a_singular_voltage_goes_nan_as_nest():
    assert api_extras.hh_singular(nest) == REF["hh_singular"]
    nest.Simulate(1.0)  # the kernel goes on


def test_receptor_type_drawn_per_connection():
    ours = api_extras.random_ports(nest)
    ref = REF["random_ports"]
    assert ours["total"] == ref["total"] == 10000
    # Uniform over three ports: 3333 per port, sd 47; NEST's counts are within the same spread.
    for got, want in zip(ours["counts"], ref["counts"]):
        assert abs(got - 10000 / 3) < 5 * 47 and abs(want - 10000 / 3) < 5 * 47


def test_a_drawn_port_is_checked_like_a_fixed_one():
    # 60 draws from {1, 2, 3} onto a neuron with two ports: a 3 is drawn (p = 1 - (2/3)^60)
    # and refused with NEST's error for a fixed port 3.
    sg = nest.Create("spike_generator", 60)
    t = nest.Create("iaf_psc_exp_multisynapse", params={"tau_syn": [1.0, 2.0]})
    with pytest.raises(nest.NESTErrors.IncompatibleReceptorType, match="Receptor type 3"):
        nest.Connect(sg, t, syn_spec={"receptor_type": nest.random.uniform_int(3) + 1})
