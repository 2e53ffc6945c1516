"""What real NEST 3.10 says to bad parameter values -> tests/reference/bad_params.json

Protocol: for each neuron model (element type "neuron") and each of its float status
entries that is a time constant, capacitance, refractory time or slope factor (names
starting ``tau``, ``C_``, ``t_ref``, ``Delta_T``, ``g_L``), after a fresh
``nest.ResetKernel()`` one node is created and ``node.set({key: value})`` is tried with
value -1.0 and 0.0. Stored per model and key and value: ``"ok"`` or the error's class
name and message. Also per model with ``receptor_types`` or multisynapse ports: Connect
from a spike_generator with ``receptor_type`` one past the last port and the outcome.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

PREFIXES = ("tau", "C_", "t_ref", "Delta_T", "g_L")


def outcome(fn, *args, **kwargs):
    try:
        fn(*args, **kwargs)
        return "ok"
    except Exception as err:  # NEST's error classes are what we record
        return [type(err).__name__, str(err)]


def main():
    import nest

    _common.quiet(nest)
    out = {"nest_version": nest.__version__, "set": {}, "receptor": {}}
    for model in nest.node_models:
        nest.ResetKernel()
        d = nest.GetDefaults(model)
        if d.get("element_type") != "neuron":
            continue
        keys = [k for k, v in d.items() if isinstance(v, float) and k.startswith(PREFIXES)]
        res = {}
        for key in keys:
            for value in (-1.0, 0.0):
                nest.ResetKernel()
                node = nest.Create(model)
                res[f"{key}={value}"] = outcome(node.set, {key: value})
        out["set"][model] = res
        nest.ResetKernel()
        node = nest.Create(model)
        ports = d.get("receptor_types") or {}
        n_ports = max(list(ports.values()) or [0])
        if "n_synapses" in d:
            n_ports = max(n_ports, d["n_synapses"])
        sg = nest.Create("spike_generator")
        out["receptor"][model] = {
            "port": n_ports + 1,
            "outcome": outcome(nest.Connect, sg, node, syn_spec={"receptor_type": n_ports + 1}),
        }
    _common.write_json("bad_params.json", out)


if __name__ == "__main__":
    main()
