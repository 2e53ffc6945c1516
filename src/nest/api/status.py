"""``GetStatus``/``SetStatus`` and model defaults: ``GetDefaults``, ``SetDefaults``, ``CopyModel``."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from ..engine.kernel import kernel
from ..errors import BadProperty, NewModelNameExists, TypeMismatch, UnknownModelName
from .compat import translate_node_params
from .nodes import (
    READ_ONLY,
    NodeCollection,
    _check_keys,
    common_status,
    get_status,
    get_values,
    set_status,
    to_node_collection,
)


def GetStatus(nodes, keys=None, output: str = ""):
    """Status of nodes, as NEST returns it.

    Parameters
    ----------
    nodes : NodeCollection (or a 2.x list of ids)
    keys : str or list of str, optional

    Returns
    -------
    tuple
        One dict per node (no keys), one value per node (a key), or one tuple of values
        per node (a list of keys).
    """
    from .connect import SynapseCollection

    if isinstance(nodes, SynapseCollection):
        return _connection_status(nodes, keys)
    nc = to_node_collection(nodes, "nodes")
    if keys is None:
        rows = get_status(nc)
        out = tuple(rows)
    elif isinstance(keys, str):
        out = tuple(get_values(nc, keys))
    elif isinstance(keys, (list, tuple)):
        rows = get_status(nc, list(keys))
        out = tuple(tuple(r[k] for k in keys) for r in rows)
    else:
        raise TypeMismatch("GetStatus: keys must be a string or a list of strings.")
    if output == "json":
        import json

        from .nodes import _json_default

        return json.dumps(out, default=_json_default)
    return out


def SetStatus(nodes, params, val=None) -> None:
    """Set status of nodes or connections: a dict, a list of dicts, or a key with ``val``."""
    from .connect import SynapseCollection

    if isinstance(nodes, SynapseCollection):
        nodes.set({params: val} if isinstance(params, str) else params)
        return
    nc = to_node_collection(nodes, "nodes")
    if isinstance(params, str):
        if isinstance(val, (list, tuple, np.ndarray)) and len(val) == len(nc) and len(nc) > 1:
            params = [{params: v} for v in val]
        else:
            params = {params: val}
    set_status(nc, params)


def _connection_status(conns, keys):
    """GetStatus of a SynapseCollection: a dict, a value or a tuple of values per connection."""
    from .connect import CONNECTION_KEYS

    # Without keys, every property a connection has (a model's own parameters and state too, as
    # NEST lists them; PyNN tells per-connection from common properties by them).
    if keys is None:
        names = list(conns.get().keys()) if len(conns) else list(CONNECTION_KEYS)
    else:
        names = [keys] if isinstance(keys, str) else list(keys)
    cols = conns.get(names)
    if len(conns) == 1:
        cols = {k: [v] for k, v in cols.items()}
    if keys is None:
        return tuple({k: cols[k][j] for k in names} for j in range(len(conns)))
    if isinstance(keys, str):
        return tuple(cols[keys])
    return tuple(tuple(cols[k][j] for k in keys) for j in range(len(conns)))


def _synapse_or_none(name):
    return kernel.registry.synapses.get(name)


def GetDefaults(model: str, keys=None, output: str = ""):
    """Default status of a model (a node or synapse model), or some of its keys."""
    syn = _synapse_or_none(model)
    if syn is not None:
        st = syn.status()
        st["num_connections"] = sum(len(b) for b in kernel.blocks if b.synapse_model == model) + (
            kernel.plastic_stores[model].nnz if model in kernel.plastic_stores else 0
        )
        st["synapse_modelid"] = list(kernel.registry.synapses).index(model)
        rec = getattr(syn, "weight_recorder", None)
        st["weight_recorder"] = NodeCollection([rec] if rec else [])
        st = dict(sorted(st.items()))
    else:
        mdl = kernel.registry.node(model)
        st = dict(mdl.defaults)
        st.update(getattr(mdl, "default_extras", {}))  # entries nodes keep outside params (cm_default)
        st.update(common_status(mdl, 0, -1))
        st["type_id"] = mdl.base_name
        st["elementsize"] = mdl.elementsize
        n_made = sum(g.n for g in kernel.groups if g.model is mdl)
        st["instantiations"] = np.array([n_made])
        st["capacity"] = np.array([n_made])
        st["available"] = np.array([0])
        if mdl.base_name == "weight_recorder":
            # NEST shows the sender and target filters on nodes only.
            del st["senders"], st["targets"]
        if mdl.element_type == "recorder" and not getattr(mdl, "own_events", False):
            st["n_events"] = 0
            st["events"] = {"senders": np.zeros(0), "times": np.zeros(0)}
        st = {k: (list(v) if isinstance(v, list) else v) for k, v in sorted(st.items())}
    if keys is None:
        out: Any = st
    elif isinstance(keys, str):
        if keys not in st:
            raise BadProperty(f"GetDefaults: '{keys}' is not a property of '{model}'. Valid keys: {', '.join(st)}.")
        out = st[keys]
    else:
        out = tuple(st[k] for k in keys)
    if output == "json":
        import json

        from .nodes import _json_default

        return json.dumps(out, default=_json_default)
    return out


def SetDefaults(model: str, params, val=None) -> None:
    """Change the defaults new nodes (or synapses) of ``model`` get."""
    if isinstance(params, str):
        params = {params: val}
    syn = _synapse_or_none(model)
    if syn is not None:
        if hasattr(syn, "set_defaults"):
            # Keys with derived quantities or checks of their own (continuous delay, FACETS tables).
            params = syn.set_defaults(params)
        for key, v in params.items():
            if key == "weight_recorder":
                syn.weight_recorder = _weight_recorder_id(v)
                continue
            if key not in syn.defaults:
                raise BadProperty(
                    f"SetDefaults: '{key}' is not a parameter of '{model}'. Valid names: {', '.join(syn.defaults)}."
                )
            if key == "delay":
                kernel.steps(v, "delay")
            syn.defaults[key] = v
        return
    mdl = kernel.registry.node(model)
    params = translate_node_params(mdl, params)
    _check_keys(mdl, params, "SetDefaults")
    from ..engine.nodes import NodeGroup

    trial = NodeGroup(mdl, 0, 1)
    trial.set(np.array([0]), params)
    for key in mdl.params:
        mdl.defaults[key] = trial.get(key, 0)


def _weight_recorder_id(value) -> int | None:
    """The id of the weight_recorder a synapse model is given (None for an empty collection)."""
    if isinstance(value, NodeCollection) and len(value) == 0:
        return None
    nc = to_node_collection(value, "weight_recorder")
    if len(nc) == 1:
        group, _ = kernel.group_of(int(nc.ids()[0]))
        if group.model.base_name == "weight_recorder":
            return int(nc.ids()[0])
    raise BadProperty("Property weight_recorder must be set to a node of type weight_recorder")


def CopyModel(existing: str, new: str, params=None) -> None:
    """Make ``new`` a copy of model ``existing`` with changed defaults."""
    reg = kernel.registry
    if new in reg.nodes or new in reg.synapses:
        raise NewModelNameExists(f"Model '{new}' already exists.")
    if existing in reg.synapses:
        reg.synapses[new] = reg.synapses[existing].copy(new)
    else:
        reg.add(reg.node(existing).copy(new))
    if params:
        SetDefaults(new, params)


def Models(mtype: str = "all", sel: str | None = None) -> tuple[str, ...]:
    """NEST 2.x: names of node and/or synapse models (NEST 3: nest.node_models, nest.synapse_models)."""
    warnings.warn(
        "Models() is NEST 2.x syntax; in NEST 3 use nest.node_models and nest.synapse_models.",
        DeprecationWarning,
        stacklevel=2,
    )
    if mtype not in ("all", "nodes", "synapses"):
        raise BadProperty("Models: mtype must be 'all', 'nodes' or 'synapses'.")
    names: list[str] = []
    if mtype in ("all", "nodes"):
        names += list(kernel.registry.nodes)
    if mtype in ("all", "synapses"):
        names += list(kernel.registry.synapses)
    if sel is not None:
        names = [n for n in names if sel in n]
    return tuple(sorted(names))


def node_models() -> tuple[str, ...]:
    return tuple(sorted(kernel.registry.nodes))


def synapse_models() -> tuple[str, ...]:
    return tuple(sorted(kernel.registry.synapses))


__all__ = [
    "GetStatus",
    "SetStatus",
    "GetDefaults",
    "SetDefaults",
    "CopyModel",
    "Models",
    "READ_ONLY",
    "NodeCollection",
    "UnknownModelName",
]
