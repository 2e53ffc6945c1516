"""``get(output="pandas")`` and ``output="json"`` of nodes and connections, against real
NEST 3.10 (tests/reference/api_output.json, from tools/reference/api_output.py)."""

from __future__ import annotations

import json
import pathlib
import sys

import pytest
from conftest import load_json

import nest

REF = load_json("api_output.json")
pd = pytest.importorskip("pandas")
# The frame summary the reference script stores, applied to nestling's frames.
sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
from api_output import frame as _frame  # noqa: E402


def _without_synapse_id(frame):
    # nestling numbers synapse models from 0 (NEST's static_synapse is 29).
    out = dict(frame, values=dict(frame["values"]))
    out["values"].pop("synapse_id", None)
    return out


@pytest.fixture
def collocated():
    n = nest.Create("iaf_psc_alpha", 3)
    cs = nest.CollocatedSynapses({"weight": -3.0, "delay": 1.5}, {"synapse_model": "static_synapse", "weight": 4.0})
    nest.Connect(n[:2], n[1:], "one_to_one", syn_spec=cs)
    return nest.GetConnections()


@pytest.mark.parametrize(
    "name, call",
    [
        ("pandas", lambda c: c.get(output="pandas")),
        ("pandas_two", lambda c: c.get(["weight", "source"], output="pandas")),
        ("pandas_one", lambda c: c.get("weight", output="pandas")),
        ("pandas_first", lambda c: c[0].get(output="pandas")),
    ],
)
def test_synapse_collection_pandas_layout(collocated, name, call):
    ref = REF["collocated"]["result"][name]
    assert _without_synapse_id(_frame(call(collocated))) == _without_synapse_id(ref)


def test_synapse_collection_json(collocated):
    got = json.loads(collocated.get(output="json"))
    ref = json.loads(REF["collocated"]["result"]["json"])
    assert got.pop("synapse_id") == [0] * 4
    ref.pop("synapse_id")
    assert got == ref


def test_getstatus_of_connections_has_nests_keys(collocated):
    rows = nest.GetStatus(collocated)
    assert sorted(rows[0]) == sorted(REF["collocated"]["result"]["get"])
    assert [r["port"] for r in rows] == REF["collocated"]["result"]["get"]["port"]


def test_ports_of_a_filtered_collection_are_those_of_the_whole_model(collocated):
    ports = nest.GetConnections(source=nest.NodeCollection([2])).get("port")
    assert ports == REF["collocated"]["result"]["get"]["port"][2:]


@pytest.mark.parametrize(
    "name, call",
    [
        ("pandas_two", lambda n: n.get(["V_m", "C_m"], output="pandas")),
        ("pandas_one", lambda n: n.get("V_m", output="pandas")),
        ("pandas_first", lambda n: n[0].get(["V_m", "C_m"], output="pandas")),
    ],
)
def test_node_collection_pandas(name, call):
    n = nest.Create("iaf_psc_alpha", 3)
    assert _frame(call(n)) == REF["node_output"]["result"][name]


def test_node_collection_pandas_all_columns():
    n = nest.Create("iaf_psc_alpha", 3)
    assert [str(c) for c in n.get(output="pandas").columns] == REF["node_output"]["result"]["pandas_all_columns"]


@pytest.mark.parametrize(
    "name, call",
    [
        ("json_one", lambda n: n.get("V_m", output="json")),
        ("json_two", lambda n: n.get(["V_m", "C_m"], output="json")),
        ("json_first", lambda n: n[0].get(["V_m", "C_m"], output="json")),
    ],
)
def test_node_collection_json(name, call):
    n = nest.Create("iaf_psc_alpha", 3)
    assert call(n) == REF["node_output"]["result"][name]


def test_unknown_output_is_refused():
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(n, n)
    with pytest.raises(nest.NESTErrors.BadProperty, match="pandas"):
        nest.GetConnections().get(output="xml")


def test_node_collection_repr_has_a_part_per_primitive_as_nest():
    a = nest.Create("iaf_psc_alpha", 3)
    nest.Create("iaf_psc_exp", 2)
    c = nest.Create("iaf_psc_alpha", 4)
    # What NEST 3.10 prints for these (the same script run there).
    assert repr(a) == "NodeCollection(metadata=None, model=iaf_psc_alpha, size=3, first=1, last=3)"
    pad = " " * len("NodeCollection(")
    assert repr(a + c) == (
        "NodeCollection(metadata=None,\n"
        f"{pad}model=iaf_psc_alpha, size=3, first=1, last=3;\n"
        f"{pad}model=iaf_psc_alpha, size=4, first=6, last=9)"
    )
    assert repr(a[::2]) == f"NodeCollection(metadata=None,\n{pad}model=iaf_psc_alpha, size=2, first=1, last=3, step=2)"
