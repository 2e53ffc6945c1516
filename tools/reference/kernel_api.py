"""Kernel properties and the remaining PyNEST names of real NEST 3.10
-> tests/reference/kernel_api.json

"properties": for every key of ``GetKernelStatus()`` right after ``ResetKernel()``: the
    Python type of its value, the value (machine-dependent ones - ``build_info``,
    ``memory_size``, ``time_*`` - by type only, ``build_info`` by its keys), and whether
    ``nest.<key>`` is a read-only kernel attribute (null: no attribute of that name).
"attributes": every kernel attribute of the ``nest`` module (``nest.<name>``), with
    read-only flag, and what reading it gives (error class if it raises).
"read_only_errors": for each read-only attribute, the error (class, message) of
    ``SetKernelStatus({key: value})`` and of ``nest.<key> = value`` (value: its own).
"set_get": for the writable properties nestling keeps as values, a value set with
    ``SetKernelStatus`` and read back; "type_errors": a string or a float given to a
    float or an int property.
"survives_reset": which of those keep their value through ``ResetKernel``.
"counters": two iaf_psc_alpha (I_e 400 pA) and two parrot_neurons fed by a
    spike_generator (1.0, 2.0, 5.5, 5.5 ms): ``local_spike_counter``, ``to_do`` and
    whether the update times are finite, before and after ``Simulate`` of 10, 50, 5 ms.
"memory_size": ``nest.memory_size`` against VmSize and VmRSS of /proc/self/status.
"delays": min_delay and max_delay set with SetKernelStatus (0.5 and 10 ms), then a
    connection of delay 2.0, 0.2 or 20 ms and Simulate(5.0); one of them alone; min above
    max; after a connection exists; ``nest.min_delay = 0.5`` (result: the two values read).
"functions": what the remaining PyNEST functions do (error class and message, or result).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402
from facts import probe  # noqa: E402

MACHINE = {"build_info", "memory_size"}


def _attrs(nest):
    from nest.ll_api import KernelAttribute

    return {k: v for k, v in vars(type(nest)).items() if isinstance(v, KernelAttribute)}


def properties(nest):
    nest.ResetKernel()
    attrs = _attrs(nest)
    out = {}
    for key, value in sorted(nest.GetKernelStatus().items()):
        entry = {"type": type(value).__name__, "read_only": attrs[key]._readonly if key in attrs else None}
        if key == "build_info":
            entry["keys"] = sorted(value)
        elif key not in MACHINE and not key.startswith("time_"):
            entry["value"] = int(value) if key == "verbosity" else value
        out[key] = entry
    return out


def attributes(nest):
    nest.ResetKernel()
    out = {}
    for key, attr in sorted(_attrs(nest).items()):
        entry = {"read_only": attr._readonly}
        try:
            getattr(nest, key)
            entry["reads"] = True
        except Exception as e:  # noqa: BLE001
            entry.update(reads=False, error_class=type(e).__name__, message=str(e))
        out[key] = entry
    return out


def read_only_errors(nest):
    out = {}
    for key, attr in sorted(_attrs(nest).items()):
        if not attr._readonly or key == "kernel_status":
            continue
        nest.ResetKernel()
        # (cycle_time_log is an attribute without a value in 3.10: its own value is missing)
        value = nest.GetKernelStatus().get(key, 0)
        out[key] = {
            "SetKernelStatus": probe(nest, key, lambda nest, k=key, v=value: nest.SetKernelStatus({k: v})),
            "setattr": probe(nest, key, lambda nest, k=key, v=value: setattr(nest, k, v)),
        }
    return out


SET_GET = {
    "adaptive_target_buffers": False,
    "buffer_size_spike_data": 10,
    "buffer_size_target_data": 12,
    "growth_factor_buffer_target_data": 2.0,
    "max_buffer_size_target_data": 1000,
    "spike_buffer_grow_extra": 0.7,
    "spike_buffer_shrink_limit": 0.3,
    "spike_buffer_shrink_spare": 0.2,
    "structural_plasticity_update_interval": 20.0,
    "structural_plasticity_synapses": {},
    "update_time_limit": 100.0,
    "use_compressed_spikes": False,
    "wfr_comm_interval": 2.0,
    "wfr_tol": 0.001,
    "wfr_max_iterations": 20,
    "wfr_interpolation_order": 2,
    "eprop_update_interval": 20.0,
    "eprop_learning_window": 10.0,
    "eprop_reset_neurons_on_update": False,
}
TYPE_ERRORS = {"wfr_tol": "x", "buffer_size_spike_data": 1.5, "wfr_max_iterations": "x", "use_compressed_spikes": 2.5}


def _set_get(key, value):
    def f(nest):
        nest.SetKernelStatus({key: value})
        return nest.GetKernelStatus(key)

    return f


PROPS_DEFAULTS = {}


def survives_reset(nest):
    """For each property of SET_GET: set it, ResetKernel, read it back."""
    out = {}
    for key, value in SET_GET.items():
        nest.ResetKernel()
        try:
            nest.SetKernelStatus({key: value})
        except Exception:  # noqa: BLE001 - a value NEST refuses
            continue
        nest.ResetKernel()
        out[key] = nest.GetKernelStatus(key) == value and value != PROPS_DEFAULTS[key]
    return out


def counters(nest):
    nest.ResetKernel()
    keys = ["local_spike_counter", "to_do", "min_update_time", "max_update_time", "update_time_limit"]
    nest.Create("iaf_psc_alpha", 2, params={"I_e": 400.0})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0, 2.0, 5.5, 5.5]})
    p = nest.Create("parrot_neuron", 2)
    nest.Connect(sg, p)
    rows = []

    def row(label):
        st = dict(zip(keys, nest.GetKernelStatus(keys)))
        rows.append({"after": label, "local_spike_counter": st["local_spike_counter"], "to_do": st["to_do"],
                     "min_update_time": st["min_update_time"], "max_update_time": st["max_update_time"],
                     "min_le_max": st["min_update_time"] <= st["max_update_time"]})  # fmt: skip

    row("ResetKernel")
    for t in (10.0, 50.0, 5.0):
        nest.Simulate(t)
        row(f"Simulate({t})")
    for r in rows[1:]:  # machine-dependent: only whether finite and positive
        for k in ("min_update_time", "max_update_time"):
            r[k] = "finite > 0" if 0 < r[k] < float("inf") else r[k]
    return rows


def memory_size(nest):
    value = nest.memory_size
    status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines() if line.startswith("Vm"))
    vm = {k: int(v.split()[0]) for k, v in status.items()}
    return {"type": type(value).__name__, "close_to": min(("VmSize", "VmRSS"), key=lambda k: abs(vm[k] - value))}


def _update_time_limit(nest):
    nest.Create("iaf_psc_alpha", 10)
    nest.SetKernelStatus({"update_time_limit": 1e-9})
    nest.Simulate(10.0)


def _n(nest, k=2):
    return nest.Create("iaf_psc_alpha", k)


def _delays(spec, delay=None, after=None):
    def f(nest):
        if after == "connect":
            n = nest.Create("iaf_psc_alpha", 2)
            nest.Connect(n[0], n[1], syn_spec={"delay": 2.0})
        nest.SetKernelStatus(spec)
        if delay is not None:
            n = nest.Create("iaf_psc_alpha", 2)
            nest.Connect(n[0], n[1], syn_spec={"delay": delay})
            nest.Simulate(5.0)
        return [nest.min_delay, nest.max_delay]

    return f


DELAYS = {
    "set": _delays({"min_delay": 0.5, "max_delay": 10.0}),
    "connect_inside": _delays({"min_delay": 0.5, "max_delay": 10.0}, 2.0),
    "connect_below": _delays({"min_delay": 0.5, "max_delay": 10.0}, 0.2),
    "connect_above": _delays({"min_delay": 0.5, "max_delay": 10.0}, 20.0),
    "min_only": _delays({"min_delay": 0.5}),
    "min_above_max": _delays({"min_delay": 2.0, "max_delay": 1.0}),
    "after_connect": _delays({"min_delay": 0.5, "max_delay": 3.0}, after="connect"),
    "setattr_min": lambda nest: setattr(nest, "min_delay", 0.5),
}

FUNCTIONS = {
    "EnableStructuralPlasticity": lambda nest: nest.EnableStructuralPlasticity(),
    "DisableStructuralPlasticity": lambda nest: nest.DisableStructuralPlasticity(),
    "SetAcceptableLatency": lambda nest: nest.SetAcceptableLatency("port", 1.0),
    "SetMaxBuffered": lambda nest: nest.SetMaxBuffered("port", 1),
    "set_communicator": lambda nest: nest.set_communicator(object()),
    "Receptors": lambda nest: nest.Receptors(_n(nest), ({"receptor_type": "AMPA"},))[0],
    "Receptors_list": lambda nest: nest.Receptors(_n(nest), [{"receptor_type": "AMPA"}]).get_tuple(),
    "Receptors_not_nc": lambda nest: nest.Receptors([1], ({"receptor_type": "AMPA"},)),
    "Receptors_not_tuple": lambda nest: nest.Receptors(_n(nest), {"receptor_type": "AMPA"}),
    "Compartments_add": lambda nest: (
        nest.Compartments(_n(nest), ({"parent_idx": -1},)) + {"parent_idx": 0}
    ).get_tuple(),
    "Compartments_add_bad": lambda nest: nest.Compartments(_n(nest), ({"parent_idx": -1},)) + 3,
    "Compartments_str": lambda nest: str(nest.Compartments(_n(nest), ({"parent_idx": -1},))),
    "compartments_of_iaf": lambda nest: _n(nest).compartments,
    "SonataNetwork": lambda nest: nest.SonataNetwork("config.json"),
    "TripartiteConnect": lambda nest: nest.TripartiteConnect(
        _n(nest),
        _n(nest),
        _n(nest),
        {"rule": "tripartite_bernoulli_with_pool"},
        {"rule": "third_factor_bernoulli_with_pool"},
    ),
    "visualization": lambda nest: nest.visualization,
    "server": lambda nest: nest.server,
    "to_json": lambda nest: nest.to_json({"a": _n(nest), "b": __import__("numpy").arange(3), "c": (1.5, "x")}),
    "to_json_indent": lambda nest: nest.to_json([1, {"k": 2}], indent=2),
    "serialize_data": lambda nest: nest.serialize_data({"a": __import__("numpy").float64(1.5), 2: [True]}),
    "serialize_conns": lambda nest: nest.serialize_data(nest.GetConnections()),
    "userdict": lambda nest: nest.userdict,
    "kernel_status_equals": lambda nest: sorted(nest.kernel_status) == sorted(nest.GetKernelStatus()),
    "set_unknown_module_attribute": lambda nest: setattr(nest, "no_such_attribute", 1),
    "ll_api_names": lambda nest: sorted(x for x in dir(nest.ll_api) if not x.startswith("_")),
    "ll_api_sr": lambda nest: nest.ll_api.sr("clear"),
    "NestModule": lambda nest: [type(nest).__name__, isinstance(nest, nest.NestModule)],
    "update_time_limit_exceeded": _update_time_limit,
    "biological_time_5": lambda nest: setattr(nest, "biological_time", 5.0),
    "biological_time_0": lambda nest: setattr(nest, "biological_time", 0.0),
}


def main():
    import nest

    _common.quiet(nest)
    props = properties(nest)
    PROPS_DEFAULTS.update({k: v.get("value") for k, v in props.items()})
    out = {
        "properties": props,
        "attributes": attributes(nest),
        "read_only_errors": read_only_errors(nest),
        "set_get": {k: probe(nest, k, _set_get(k, v)) for k, v in SET_GET.items()},
        "set_values": SET_GET,
        "type_errors": {k: probe(nest, k, _set_get(k, v)) for k, v in TYPE_ERRORS.items()},
        "type_error_values": TYPE_ERRORS,
        "survives_reset": survives_reset(nest),
        "counters": counters(nest),
        "memory_size": memory_size(nest),
        "functions": {k: probe(nest, k, f) for k, f in FUNCTIONS.items()},
        "delays": {k: probe(nest, k, f) for k, f in DELAYS.items()},
    }
    nest.ResetKernel()
    _common.write_json("kernel_api.json", out)


if __name__ == "__main__":
    main()
