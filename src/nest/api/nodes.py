"""``Create`` and ``NodeCollection``: handles to nodes as ranges of global ids."""

from __future__ import annotations

import json
import numbers
from typing import Any

import numpy as np

from ..engine.kernel import kernel
from ..errors import BadProperty, KernelException, TypeMismatch, UnaccessedDictionaryEntry
from .compat import deprecated, translate_node_params
from .parameters import Parameter
from .timers import timed_call

# Status entries every node shows, beyond its model's parameters.
READ_ONLY = {
    "element_type",
    "global_id",
    "local",
    "model",
    "model_id",
    "node_uses_wfr",
    "recordables",
    "thread",
    "thread_local_id",
    "vp",
    "events",
    "frozen",
}


def _ranges_from_ids(ids: np.ndarray) -> tuple[range, ...]:
    """Runs of consecutive ids as ranges (composite collections)."""
    if ids.size == 0:
        return ()
    breaks = np.flatnonzero(np.diff(ids) != 1) + 1
    starts = np.r_[0, breaks]
    ends = np.r_[breaks, ids.size]
    return tuple(range(int(ids[a]), int(ids[b - 1]) + 1) for a, b in zip(starts, ends))


class NodeCollection:
    """An ordered set of nodes, kept as ranges of global ids (slicing copies nothing).

    Parameters
    ----------
    data : iterable of int, optional
        Global ids, as ``nest.NodeCollection([1, 3, 4])``; they must exist and be
        sorted without repetition.
    """

    __slots__ = ("_ranges", "_ids_cache")

    def __init__(self, data=None):
        ranges: tuple[range, ...] = ()
        if data is not None:
            if isinstance(data, NodeCollection):
                ranges = data._ranges
            else:
                ids = np.asarray(list(data) if not isinstance(data, np.ndarray) else data, dtype=np.int64).ravel()
                if ids.size:
                    if np.any(np.diff(ids) <= 0):
                        raise KernelException("Node IDs must be unique and sorted in ascending order.")
                    kernel.locate(ids)
                ranges = _ranges_from_ids(ids)
        object.__setattr__(self, "_ranges", ranges)
        object.__setattr__(self, "_ids_cache", None)

    @classmethod
    def _from_ranges(cls, ranges) -> NodeCollection:
        nc = cls.__new__(cls)
        object.__setattr__(nc, "_ranges", tuple(r for r in ranges if len(r)))
        object.__setattr__(nc, "_ids_cache", None)
        return nc

    # ------------------------------------------------------------ sequence protocol
    def ids(self) -> np.ndarray:
        """The global ids as an int64 array."""
        if self._ids_cache is None:
            if not self._ranges:
                arr = np.zeros(0, dtype=np.int64)
            else:
                arr = np.concatenate([np.arange(r.start, r.stop, r.step, dtype=np.int64) for r in self._ranges])
            object.__setattr__(self, "_ids_cache", arr)
        return self._ids_cache

    def __len__(self) -> int:
        return sum(len(r) for r in self._ranges)

    def __iter__(self):
        for r in self._ranges:
            for gid in r:
                yield NodeCollection._from_ranges((range(gid, gid + 1),))

    def __getitem__(self, key):
        if isinstance(key, slice):
            if key.step is not None and key.step < 1:
                raise KernelException("Slicing a NodeCollection needs a positive step.")
            if len(self._ranges) == 1:
                return NodeCollection._from_ranges((self._ranges[0][key],))
            ids = self.ids()[key]
            return NodeCollection._from_ranges(_ranges_from_ids(ids) if key.step in (None, 1) else _step_ranges(ids))
        if isinstance(key, (numbers.Integral, np.integer)):
            n = len(self)
            k = int(key)
            if k < 0:
                k += n
            if not 0 <= k < n:
                raise IndexError("NodeCollection index out of range.")
            for r in self._ranges:
                if k < len(r):
                    gid = r[k]
                    return NodeCollection._from_ranges((range(gid, gid + 1),))
                k -= len(r)
        if isinstance(key, (list, tuple, np.ndarray)):
            arr = np.asarray(key)
            if arr.dtype == bool:
                if arr.size != len(self):
                    raise IndexError("Boolean index must have the length of the NodeCollection.")
                ids = self.ids()[arr]
            else:
                ids = self.ids()[arr.astype(np.int64)]
            steps = np.diff(ids)
            # NEST's errors (PyNN catches the ValueError for repeated ids and splits the list).
            if np.any(steps == 0):
                raise ValueError("All node IDs in a NodeCollection have to be unique")
            if np.any(steps < 0):
                raise BadProperty("Indices must be sorted in ascending order")
            return NodeCollection._from_ranges(_ranges_from_ids(ids))
        raise TypeError(f"NodeCollection indices must be integers, slices or lists, not {type(key).__name__}.")

    def __add__(self, other):
        if isinstance(other, (list, tuple)) and len(other) == 0:
            return self
        if not isinstance(other, NodeCollection):
            return NotImplemented
        if _is_layer(self) or _is_layer(other):
            raise BadProperty("Can only join NodeCollections with same metadata.")
        ids = np.concatenate([self.ids(), other.ids()])
        ids_sorted = np.unique(ids)
        if ids_sorted.size != ids.size:
            raise KernelException("Cannot add NodeCollections that overlap.")
        return NodeCollection._from_ranges(_ranges_from_ids(ids_sorted))

    __radd__ = __add__

    def __eq__(self, other):
        if not isinstance(other, NodeCollection):
            return NotImplemented
        return np.array_equal(self.ids(), other.ids())

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(tuple(self._ranges))

    def __contains__(self, item) -> bool:
        if isinstance(item, NodeCollection):
            return bool(np.all(np.isin(item.ids(), self.ids())))
        return any(int(item) in r for r in self._ranges)

    def __bool__(self) -> bool:
        return len(self) > 0

    def index(self, gid) -> int:
        """Position of a node (id or one-node collection) in this collection."""
        if isinstance(gid, NodeCollection):
            gid = gid.global_id
        pos = 0
        for r in self._ranges:
            if gid in r:
                return pos + r.index(gid)
            pos += len(r)
        raise ValueError(f"Node {gid} is not in the NodeCollection.")

    def tolist(self) -> list[int]:
        return [int(x) for x in self.ids()]

    def __array__(self, dtype=None, copy=None):
        return self.ids().astype(dtype) if dtype is not None else self.ids().copy()

    @property
    def global_id(self):
        ids = self.tolist()
        return ids[0] if len(ids) == 1 else tuple(ids)

    @property
    def spatial(self):
        """Layer geometry (``center``, ``extent``, ``edge_wrap``, ``shape`` or ``positions``), or None."""
        from ..spatial.layers import spatial_status

        return spatial_status(self)

    def __repr__(self) -> str:
        if not self._ranges:
            return "NodeCollection(<empty>)"
        parts = []
        meta = "spatial" if _is_layer(self) else "None"
        # NEST prints part of a layer on two lines, always with its last id
        sliced_layer = meta == "spatial" and len(self) != kernel.group_of(int(self.ids()[0]))[0].n
        # A part per range of the collection (per primitive, as NEST), split where the model changes.
        steps = []
        for r in self._ranges:
            for model_name, ids in _model_runs(np.arange(r.start, r.stop, r.step)):
                text = f"model={model_name}, size={ids.size}, first={ids[0]}"
                if ids.size > 1 or sliced_layer:
                    text += f", last={ids[-1]}"
                    if r.step != 1:
                        text += f", step={r.step}"
                parts.append(text)
                steps.append(r.step)
        # One line for one part without a step; NEST writes a stepped slice on two lines.
        if len(parts) == 1 and steps[0] == 1 and not sliced_layer:
            return f"NodeCollection(metadata={meta}, {parts[0]})"
        pad = " " * len("NodeCollection(")
        return f"NodeCollection(metadata={meta},\n" + ";\n".join(pad + p for p in parts) + ")"

    __str__ = __repr__

    # ------------------------------------------------------------ status
    def get(self, *keys, output: str = ""):
        """Status of the nodes: all of it, one key, or several keys.

        Returns a value (one node) or a tuple of values (several nodes) per key; a dict
        when more than one key (or none) is asked for. ``output="pandas"`` gives a
        DataFrame indexed by node id, ``output="json"`` a JSON string.
        """
        if len(keys) == 1 and isinstance(keys[0], (list, tuple)):
            keys = tuple(keys[0])
        single = len(self) == 1
        if len(keys) == 2 and isinstance(keys[0], str) and isinstance(keys[1], (str, list, tuple)) and not output:
            # NEST's get(key, subkey) on a dict-valued key: get("events", "senders") is the
            # senders, get("events", ["senders", "times"]) a dict of both; a list over nodes.
            outer = get_values(self, keys[0])
            if outer and all(isinstance(v, dict) for v in outer):
                sub = keys[1]
                picked = [v[sub] if isinstance(sub, str) else {k: v[k] for k in sub} for v in outer]
                return picked[0] if single else picked
        if output == "pandas":
            import pandas as pd

            rows = get_status(self, list(keys) if keys else None)
            return pd.DataFrame(rows, index=pd.Index(self.tolist()))
        if len(keys) == 1:
            vals = get_values(self, keys[0])
            result: Any = vals[0] if single else tuple(vals)
        else:
            rows = get_status(self, list(keys) if keys else None)
            names = list(keys) if keys else list(rows[0].keys()) if rows else []
            result = {k: (rows[0][k] if single else tuple(r[k] for r in rows)) for k in names}
        if output == "json":
            return json.dumps(result, default=_json_default)
        if output:
            raise BadProperty(f"output must be '', 'pandas' or 'json', not {output!r}.")
        return result

    def set(self, params=None, **kwargs) -> None:
        """Set status entries: a dict, a list of dicts (one per node), or key=value."""
        if params is None:
            params = kwargs
        elif kwargs:
            raise TypeError("Give either a dict or keyword arguments to set(), not both.")
        set_status(self, params)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if len(self) == 0:
            raise AttributeError(f"Cannot get attribute '{name}' of an empty NodeCollection.")
        try:
            return self.get(name)
        except UnaccessedDictionaryEntry:
            raise AttributeError(f"NodeCollection has no attribute or status key '{name}'.") from None

    def __setattr__(self, name, value):
        if name.startswith("_"):
            object.__setattr__(self, name, value)
            return
        self.set({name: value})


def _is_layer(nc) -> bool:
    from ..spatial.layers import is_layer

    return is_layer(nc)


def _step_ranges(ids: np.ndarray) -> tuple[range, ...]:
    if ids.size > 1 and np.all(np.diff(ids) == ids[1] - ids[0]):
        return (range(int(ids[0]), int(ids[-1]) + 1, int(ids[1] - ids[0])),)
    return tuple(range(int(i), int(i) + 1) for i in ids)


def _model_runs(ids: np.ndarray):
    """(model name, ids) for each run of nodes created by one model."""
    gi, _ = kernel.locate(ids)
    names = np.array([kernel.groups[g].model.name for g in gi]) if ids.size else np.array([])
    if ids.size == 0:
        return []
    breaks = np.flatnonzero(names[1:] != names[:-1]) + 1
    starts = np.r_[0, breaks]
    ends = np.r_[breaks, ids.size]
    return [(names[a], ids[a:b]) for a, b in zip(starts, ends)]


def _json_default(x):
    if isinstance(x, np.ndarray):
        return x.tolist()
    if isinstance(x, np.generic):
        return x.item()
    if isinstance(x, NodeCollection):
        return x.tolist()
    return str(x)


def to_node_collection(nodes, what: str = "nodes") -> NodeCollection:
    """Accept a NodeCollection, or the 2.x forms: an id, a list/tuple/array of ids."""
    if isinstance(nodes, NodeCollection):
        return nodes
    if isinstance(nodes, (numbers.Integral, np.integer)):
        deprecated(f"Passing a node id ({nodes}) as {what}", "a NodeCollection", 5)
        return NodeCollection([int(nodes)])
    if isinstance(nodes, (list, tuple, np.ndarray)):
        items = list(nodes)
        if all(isinstance(x, NodeCollection) for x in items) and items:
            out = items[0]
            for x in items[1:]:
                out = out + x
            deprecated(f"A list of NodeCollections as {what}", "a NodeCollection (add them with +)", 5)
            return out
        try:
            ids = np.asarray(items, dtype=np.int64)
        except (TypeError, ValueError):
            raise TypeMismatch(f"{what} must be a NodeCollection, got {nodes!r}.") from None
        deprecated(f"A list of node ids as {what}", "a NodeCollection (nest.NodeCollection(ids))", 5)
        if ids.size and np.all(np.diff(ids) > 0):
            return NodeCollection(ids)
        kernel.locate(ids)
        return _UnsortedIds(ids)
    raise TypeMismatch(f"{what} must be a NodeCollection, got {type(nodes).__name__}.")


class _UnsortedIds(NodeCollection):
    """Ids in the order a 2.x list gave them (repeats allowed), for Connect and status."""

    __slots__ = ("_raw",)

    def __init__(self, ids):
        super().__init__()
        object.__setattr__(self, "_raw", np.asarray(ids, dtype=np.int64))

    def ids(self):
        return self._raw

    def __len__(self):
        return len(self._raw)

    def __iter__(self):
        for gid in self._raw:
            yield NodeCollection._from_ranges((range(int(gid), int(gid) + 1),))


# ----------------------------------------------------------------- status helpers
def _groups_of(nc: NodeCollection):
    """(group, local indices, positions in nc) for every group nc touches."""
    ids = nc.ids()
    gi, li = kernel.locate(ids)
    out = []
    if ids.size and np.all(gi == gi[0]):
        return [(kernel.groups[int(gi[0])], li, np.arange(ids.size))]
    for g in np.unique(gi):
        pos = np.flatnonzero(gi == g)
        out.append((kernel.groups[int(g)], li[pos], pos))
    return out


def common_status(m, global_id: int, thread: int) -> dict[str, Any]:
    """Status entries every node of model ``m`` shows beyond its parameters (GetDefaults
    uses ``global_id=0, thread=-1``, as NEST does)."""
    st = {
        "element_type": m.element_type,
        "frozen": False,
        "global_id": global_id,
        "local": True,
        "model": m.name,
        "model_id": model_id(m.name),
        "node_uses_wfr": getattr(m, "node_uses_wfr", False),
        "thread": thread,
        "thread_local_id": -1,
        "vp": thread,
    }
    # A model with a (possibly empty) list of recordables shows it (ignore_and_fire's is empty).
    if m.recordables or getattr(m, "lists_recordables", False):
        st["recordables"] = list(m.recordables)
    if getattr(m, "receptor_types", None):
        # Named receptor ports (ht_neuron, iaf_cond_alpha_mc).
        st["receptor_types"] = dict(m.receptor_types)
    return st


def model_id(name: str) -> int:
    names = list(kernel.registry.nodes)
    return names.index(name) if name in names else -1


def node_status(group, i: int, keys=None) -> dict[str, Any]:
    st = common_status(group.model, group.first + i, 0)
    for key in group.model.params:
        st[key] = group.get(key, i)
    st.update(group.model.extra_status(group, i))
    st = dict(sorted(st.items()))
    if keys is None:
        return st
    out = {}
    for k in keys:
        if k not in st:
            raise _unknown_key(group.model, k, "GetStatus")
        out[k] = st[k]
    return out


def _unknown_key(model, key, where):
    valid = sorted(set(model.params) | READ_ONLY | ({"n_events"} if model.element_type == "recorder" else set()))
    # NEST's words first ("Unaccessed elements in params": PyNN looks for them), then ours.
    return UnaccessedDictionaryEntry(
        f"Unaccessed elements in params, in function {where}: {key}. '{key}' is not a status key of model "
        f"'{model.name}'. Valid keys: {', '.join(valid)}."
    )


def get_status(nc: NodeCollection, keys=None) -> list[dict[str, Any]]:
    rows: list[Any] = [None] * len(nc)
    for group, li, pos in _groups_of(nc):
        for i, p in zip(li, pos):
            rows[p] = node_status(group, int(i), keys)
    return rows


def get_values(nc: NodeCollection, key: str) -> list[Any]:
    """One key for every node, vectorised where the key is a parameter array."""
    out: list[Any] = [None] * len(nc)
    for group, li, pos in _groups_of(nc):
        vals = group.values.get(key)
        if isinstance(vals, np.ndarray):
            sel = vals[li].tolist()
            for p, v in zip(pos, sel):
                out[p] = v
            continue
        for i, p in zip(li, pos):
            st = node_status(group, int(i))
            if key not in st:
                raise _unknown_key(group.model, key, "GetStatus")
            out[p] = st[key]
    return out


def _check_keys(model, params: dict, where: str) -> None:
    for key in params:
        if key in model.params:
            if model.params[key].readonly:
                if getattr(model, "readonly_unaccessed", False):
                    # NEST's set_status does not read the key: it reports it as unaccessed.
                    raise _unknown_key(model, key, where)
                raise BadProperty(f"{where}: '{key}' of model '{model.name}' is read-only.")
            continue
        if key in getattr(model, "set_only", ()):
            continue  # read by SetStatus, never shown (ht_neuron's equilibrate): the model's set_extra
        if key in READ_ONLY or key == "n_events":
            if key == "n_events" and model.element_type == "recorder":
                continue
            if key in ("frozen",) and params[key] is False:
                continue
            raise BadProperty(f"{where}: '{key}' is read-only.")
        raise _unknown_key(model, key, where)


def set_status(nc: NodeCollection, params) -> None:
    n = len(nc)
    if isinstance(params, (list, tuple)):
        if len(params) == 1:
            params = params[0]
        elif len(params) != n:
            raise BadProperty(f"SetStatus got {len(params)} dictionaries for {n} nodes.")
        else:
            for node, p in zip(nc, params):
                set_status(node, p)
            return
    if not isinstance(params, dict):
        raise TypeMismatch(f"Status must be given as a dict or a list of dicts, got {type(params).__name__}.")
    params = _evaluate_parameters(params, n, nc)
    for group, li, pos in _groups_of(nc):
        model = group.model
        p = translate_node_params(model, params)
        _check_keys(model, p, "SetStatus")
        plain = {}
        for key, val in p.items():
            if key == "frozen":
                continue
            if key not in model.params:
                model.set_extra(group, li, key, val)
                continue
            if hasattr(model, "before_set"):
                model.before_set(group, li, key)
            plain[key] = _per_node(model, key, val, n, pos)
        if plain:
            group.set(li, plain)
    kernel.dirty = True


def _evaluate_parameters(params: dict, n: int, nc=None) -> dict:
    """Replace parameters (``nest.random.uniform(...)``, ``nest.spatial.pos.x``) by one value per node."""
    if not any(isinstance(v, Parameter) for v in params.values()):
        return params
    from ..spatial.params import node_context

    rng = kernel.parameter_rng()
    with node_context(nc):
        return {k: (v.evaluate(n, rng) if isinstance(v, Parameter) else v) for k, v in params.items()}


def _per_node(model, key, val, n, pos):
    """The part of ``val`` that belongs to the nodes at ``pos`` (val may be per node)."""
    kind = model.params[key].kind
    if kind in ("float", "int", "bool"):
        if isinstance(val, (list, tuple, np.ndarray)) and not isinstance(val, str):
            arr = np.asarray(val)
            if arr.ndim == 1 and arr.shape[0] == n:
                return arr[pos]
            if n == 1 and arr.size == 1:
                return arr.ravel()
            raise BadProperty(
                f"SetStatus: '{key}' got {arr.size} values for {n} nodes; give one value or one per node."
            )
        return val
    if kind == "str":
        if isinstance(val, (list, tuple)) and len(val) == n:
            vals = [val[p] for p in pos]
            if len(set(vals)) > 1:
                raise BadProperty(f"SetStatus: per-node values of '{key}' must be set one node at a time.")
            return vals[0]
        return val
    # List-valued keys: a list of n lists gives one per node.
    if (
        n > 1
        and isinstance(val, (list, tuple))
        and len(val) == n
        and all(isinstance(v, (list, tuple, np.ndarray)) for v in val)
    ):
        vals = [val[p] for p in pos]
        if any(not np.array_equal(np.asarray(vals[0]), np.asarray(v)) for v in vals[1:]):
            raise BadProperty(f"SetStatus: per-node values of '{key}' must be set one node at a time.")
        return vals[0]
    return val


# ----------------------------------------------------------------- Create
@timed_call("create")
def Create(model: str, n: int = 1, params=None, positions=None) -> NodeCollection:
    """Create ``n`` nodes of ``model``.

    Parameters
    ----------
    model : str
        Name of a node model (``nest.node_models``).
    n : int
        Number of nodes.
    params : dict or list of dict, optional
        Initial status: one dict for all nodes, values given per node as lists or
        arrays of length ``n``, or a list of ``n`` dicts.

    Returns
    -------
    NodeCollection
        The new nodes.

    Raises
    ------
    UnknownModelName
        If ``model`` is not a known model.
    BadProperty
        If a parameter value is invalid; nothing is created then.
    """
    if positions is not None:
        from ..spatial.layers import create_layer

        return create_layer(model, n, params, positions)
    mdl = kernel.registry.node(model)
    if isinstance(n, dict) and params is None:
        n, params = 1, n  # Create(model, {...}): NEST 3.10 takes a dict in n's place as the params
    if isinstance(n, bool) or not isinstance(n, (numbers.Integral, np.integer)) or int(n) < 1:
        raise BadProperty(f"Create: n must be a positive integer, got {n!r}.")
    n = int(n)
    if params is not None:
        if isinstance(params, dict):
            _check_keys(mdl, translate_node_params(mdl, params), "Create")
        elif isinstance(params, (list, tuple)):
            if len(params) != n:
                raise BadProperty(f"Create: got {len(params)} parameter dictionaries for {n} nodes.")
        else:
            raise TypeMismatch("Create: params must be a dict or a list of dicts.")
    group = kernel.create(mdl, n)
    nc = NodeCollection._from_ranges((range(group.first, group.first + n),))
    if params is not None:
        try:
            set_status(nc, params)
        except Exception:
            _undo_create(group)
            raise
    return nc


def _undo_create(group) -> None:
    """Remove the group just created, so a failed Create leaves no trace."""
    if kernel.groups and kernel.groups[-1] is group:
        kernel.groups.pop()
        kernel._firsts = kernel._firsts[:-1]
        kernel.n_nodes -= group.n
        kernel.dirty = True
