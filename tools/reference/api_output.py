"""Collocated synapses, pandas/JSON output and receptor types in real NEST 3.10
-> tests/reference/api_output.json

Protocols (each from ``nest.ResetKernel()``):

"collocated": three iaf_psc_alpha ``n``; ``cs = CollocatedSynapses({"weight": -3.0,
    "delay": 1.5}, {"synapse_model": "static_synapse", "weight": 4.0})``;
    ``Connect(n[:2], n[1:], "one_to_one", syn_spec=cs, return_synapsecollection=True)``:
    the length of ``cs``, of the returned collection, and ``GetConnections().get()``
    (all keys); then the pandas frame of ``GetConnections().get(output="pandas")``
    (columns, index, dtypes, values) and of ``get(["weight", "source"], ...)`` and
    ``get("weight", ...)``, and ``get(output="json")``.
"collocated_models": two iaf_psc_alpha, ``CopyModel("static_synapse", "syn_b")``,
    ``Connect(a, b, "all_to_all", CollocatedSynapses({"weight": 1.0}, {"synapse_model":
    "syn_b", "weight": 2.0}, {"weight": 3.0, "delay": 2.0}))``: ``GetConnections().get()``
    for source, target, weight, delay, synapse_model; and the length returned.
"collocated_errors": ``CollocatedSynapses()``, a non-dict argument, and a collocated
    spec with ``one_to_one`` between collections of different sizes (error class, message).
"node_output": three iaf_psc_alpha: ``get(["V_m", "C_m"], output="pandas")``,
    ``get("V_m", output="pandas")``, ``n[0].get(["V_m", "C_m"], output="pandas")``
    (columns, index, index name, values); ``get(output="pandas")`` columns;
    ``get("V_m", output="json")``, ``get(["V_m", "C_m"], output="json")``,
    ``n[0].get(["V_m", "C_m"], output="json")`` as strings.
"receptor_types": ``GetDefaults(model).get("receptor_types")`` for every node model of
    NEST (absent -> null); "receptor_error": for each neuron model, Connect of one
    ``parrot_neuron`` to the model with ``syn_spec={"receptor_type": 1}`` (error class and
    message), and for the models in NEURONS the same with ``receptor_type: -1``.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402
from facts import probe  # noqa: E402

NEURONS = ["iaf_psc_alpha", "iaf_psc_delta", "iaf_psc_exp", "parrot_neuron"]


def frame(df):
    return {
        "columns": [str(c) for c in df.columns],
        "index": [int(i) for i in df.index],
        "index_name": df.index.name,
        "dtypes": [str(t) for t in df.dtypes],
        "values": {str(c): df[c].tolist() for c in df.columns},
    }


def collocated(nest):
    n = nest.Create("iaf_psc_alpha", 3)
    cs = nest.CollocatedSynapses({"weight": -3.0, "delay": 1.5}, {"synapse_model": "static_synapse", "weight": 4.0})
    sc = nest.Connect(n[:2], n[1:], "one_to_one", syn_spec=cs, return_synapsecollection=True)
    c = nest.GetConnections()
    return {
        "len_spec": len(cs),
        "len_returned": len(sc),
        "get": c.get(),
        "pandas": frame(c.get(output="pandas")),
        "pandas_two": frame(c.get(["weight", "source"], output="pandas")),
        "pandas_one": frame(c.get("weight", output="pandas")),
        "pandas_first": frame(c[0].get(output="pandas")),
        "json": c.get(output="json"),
    }


def collocated_models(nest):
    a = nest.Create("iaf_psc_alpha", 2)
    nest.CopyModel("static_synapse", "syn_b")
    cs = nest.CollocatedSynapses(
        {"weight": 1.0}, {"synapse_model": "syn_b", "weight": 2.0}, {"weight": 3.0, "delay": 2.0}
    )
    sc = nest.Connect(a, a, "all_to_all", syn_spec=cs, return_synapsecollection=True)
    c = nest.GetConnections()
    return {"len_returned": len(sc), "get": c.get(["source", "target", "weight", "delay", "synapse_model"])}


def node_output(nest):
    n = nest.Create("iaf_psc_alpha", 3)
    return {
        "pandas_two": frame(n.get(["V_m", "C_m"], output="pandas")),
        "pandas_one": frame(n.get("V_m", output="pandas")),
        "pandas_first": frame(n[0].get(["V_m", "C_m"], output="pandas")),
        "pandas_all_columns": [str(c) for c in n.get(output="pandas").columns],
        "json_one": n.get("V_m", output="json"),
        "json_two": n.get(["V_m", "C_m"], output="json"),
        "json_first": n[0].get(["V_m", "C_m"], output="json"),
    }


def receptor_connect(model, rtype):
    def f(nest):
        p = nest.Create("parrot_neuron")
        t = nest.Create(model)
        nest.Connect(p, t, syn_spec={"receptor_type": rtype})

    return f


def main():
    import nest

    _common.quiet(nest)
    out = {
        "collocated": probe(nest, "collocated", collocated),
        "collocated_models": probe(nest, "collocated_models", collocated_models),
        "collocated_errors": {
            "empty": probe(nest, "CollocatedSynapses()", lambda nest: nest.CollocatedSynapses()),
            "not_dict": probe(nest, "CollocatedSynapses({}, 3)", lambda nest: nest.CollocatedSynapses({}, 3)),
        },
        "node_output": probe(nest, "node_output", node_output),
        "receptor_types": {},
        "receptor_error": {},
    }
    neurons = []
    for m in nest.node_models:
        nest.ResetKernel()
        d = nest.GetDefaults(m)
        out["receptor_types"][m] = d.get("receptor_types")
        if d.get("element_type") == "neuron":
            neurons.append(m)
    for m in neurons:
        for r in (1, -1) if m in NEURONS else (1,):
            out["receptor_error"][f"{m} {r}"] = probe(nest, f"receptor {r} into {m}", receptor_connect(m, r))
    _common.write_json("api_output.json", out)


if __name__ == "__main__":
    main()
