"""``Connect`` and ``GetConnections``."""

from __future__ import annotations

import numbers

import numpy as np

from ..engine import rules
from ..engine.connections import Block, RepeatedIds
from ..engine.kernel import kernel
from ..errors import BadDelay, BadProperty, TypeMismatch, UnknownReceptorType, UnknownSynapseType
from ..models.neurons import binary, iaf_bw_2001
from ..models.synapses.plastic import refuse_common, split_delay
from ..models.synapses.secondary import refuse_delay
from .compat import translate_conn_spec, translate_syn_spec
from .kernel_status import check_delays_in_range
from .nodes import NodeCollection, to_node_collection
from .parameters import Parameter, from_legacy_dict
from .timers import timed_call

_GIVEN = "_given_per_connection"
_DELAY_GIVEN = "_delay_given"
SYN_KEYS = ("synapse_model", "weight", "delay", "receptor_type")
# What NEST 3.10 shows of a connection (SynapseCollection.get()).
CONNECTION_KEYS = ("delay", "port", "receptor", "sizeof", "source", "synapse_id", "synapse_model", "target",
                   "target_thread", "weight")  # fmt: skip


def _conn_spec(conn_spec) -> dict:
    if conn_spec is None:
        return {"rule": "all_to_all"}
    if isinstance(conn_spec, str):
        return {"rule": conn_spec}
    if not isinstance(conn_spec, dict):
        raise TypeMismatch("conn_spec must be a string or a dict.")
    spec = translate_conn_spec(conn_spec)
    spec.setdefault("rule", "all_to_all")
    rule = spec["rule"]
    if rule not in rules.RULES:
        raise BadProperty(f"Unknown connection rule '{rule}'. Valid rules: {', '.join(rules.RULES)}.")
    from ..spatial.connect import conn_keys

    valid = set(rules.COMMON) | set(rules.RULES[rule]) | conn_keys(rule)
    for key in spec:
        if key not in valid:
            from ..errors import UnaccessedDictionaryEntry

            raise UnaccessedDictionaryEntry(
                f"Connect: '{key}' is not a parameter of rule '{rule}'. Valid names: {', '.join(sorted(valid))}."
            )
    return spec


def _syn_spec(syn_spec) -> dict:
    if syn_spec is None:
        syn_spec = {}
    elif isinstance(syn_spec, str):
        syn_spec = {"synapse_model": syn_spec}
    elif not isinstance(syn_spec, dict):
        raise TypeMismatch("syn_spec must be a string or a dict.")
    spec = translate_syn_spec(syn_spec)
    name = spec.get("synapse_model", "static_synapse")
    model = kernel.registry.synapses.get(name)
    if model is None:
        raise UnknownSynapseType(
            f"Synapse model '{name}' does not exist. Valid models: {', '.join(sorted(kernel.registry.synapses))}."
        )
    for key in spec:
        if key == "weight_recorder":
            from ..errors import NESTErrors

            raise NESTErrors.NotImplemented(
                'Synapse parameter "weight_recorder" can only be set via SetDefaults() or CopyModel().'
            )
        if key not in SYN_KEYS and key not in model.defaults:
            from ..errors import UnaccessedDictionaryEntry

            raise UnaccessedDictionaryEntry(
                f"Connect: '{key}' is not a parameter of synapse model '{name}'. "
                f"Valid names: {', '.join(sorted(set(SYN_KEYS) | set(model.defaults)))}."
            )
    refuse_common(model, spec)
    refuse_delay(model, spec)
    out = dict(model.defaults)
    out.update(spec)
    out["synapse_model"] = name
    # Which per-connection parameters were given: NEST checks some only then.
    out[_GIVEN] = tuple(k for k in spec if k in getattr(model, "per_connection", ()))
    out[_DELAY_GIVEN] = "delay" in spec
    return out


def _column(value, n: int, si, ti, ns: int, nt: int, rule: str, key: str):
    """A scalar, or an array with one value per connection drawn."""
    if isinstance(value, dict):
        value = from_legacy_dict(value, f"syn_spec '{key}'")
    if isinstance(value, Parameter):
        return value.evaluate(n, kernel.parameter_rng())
    if isinstance(value, (numbers.Number, np.number)) and not isinstance(value, bool):
        return float(value)
    arr = np.asarray(value, dtype=np.float64)
    if arr.ndim == 0:
        return float(arr)
    if rule == "all_to_all" and arr.ndim == 2:
        if arr.shape != (nt, ns):
            raise BadProperty(f"'{key}' array must have shape (targets, sources) = ({nt}, {ns}), got {arr.shape}.")
        return arr[ti, si]
    if rule == "all_to_all" and arr.ndim == 1 and nt == 1 and arr.size == ns:
        return arr[si]
    if arr.ndim == 1 and arr.size == n:
        return arr
    if rule in ("fixed_indegree",) and arr.ndim == 2:
        return arr.ravel()
    raise BadProperty(f"'{key}' array has {arr.size} values but {n} connections are made.")


class CollocatedSynapses:
    """Several synapse specifications made for the same pairs of nodes by one ``Connect``.

    ``Connect(pre, post, conn_spec, CollocatedSynapses(spec_a, spec_b))`` draws the pairs
    once and makes one connection per pair for each specification, in their order.
    """

    def __init__(self, *args):
        self.syn_specs = args

    def __len__(self) -> int:
        return len(self.syn_specs)


@timed_call("connect")
def Connect(pre, post, conn_spec=None, syn_spec=None, return_synapsecollection: bool = False):
    """Connect ``pre`` to ``post`` by a rule, with synapses as ``syn_spec`` says.

    Parameters
    ----------
    pre, post : NodeCollection
        Sources and targets (2.x lists of ids are accepted with a warning).
    conn_spec : str or dict, optional
        Rule (``all_to_all`` by default) and its parameters, ``allow_autapses``,
        ``allow_multapses``.
    syn_spec : str, dict or CollocatedSynapses, optional
        ``synapse_model``, ``weight``, ``delay`` (scalars or arrays), ``receptor_type``;
        a :class:`CollocatedSynapses` makes one connection per specification for every
        pair drawn.
    return_synapsecollection : bool, optional
        Return ``GetConnections(pre, post)``, as NEST does (earlier connections between
        the same nodes included).

    Raises
    ------
    BadDelay
        A delay below the resolution or not a multiple of it.
    IllegalConnection
        A connection the nodes cannot make (into a recorder the wrong way round).
    UnknownReceptorType
        A ``receptor_type`` the target model does not have.
    """
    pre_nc = to_node_collection(pre, "pre")
    post_nc = to_node_collection(post, "post")
    spec = _conn_spec(conn_spec)
    specs = syn_spec.syn_specs if isinstance(syn_spec, CollocatedSynapses) else (syn_spec,)
    syns = [_syn_spec(s) for s in specs]
    src_ids, tgt_ids = pre_nc.ids(), post_nc.ids()
    ns, nt = len(src_ids), len(tgt_ids)
    rule = spec["rule"]
    for syn in syns:
        _check_receptor(syn, tgt_ids, src_ids)
    binary.check_signals(kernel, src_ids, tgt_ids)  # binary neurons take binary events only
    iaf_bw_2001.check_nmda_sources(kernel, syns, src_ids, tgt_ids)
    seed_rng = np.random.default_rng([kernel.rng_seed & 0xFFFFFFFF, kernel._connect_calls, 0x6E657374])
    from ..spatial import connect as spatial

    if spatial.applies(spec, syns):
        si, ti = spatial.draw(spec, pre_nc, post_nc, seed_rng, syns)
    else:
        si, ti = rules.draw(rule, spec, src_ids, tgt_ids, seed_rng)
    symmetric = spec.get("make_symmetric", False) and rule != "symmetric_pairwise_bernoulli"
    if symmetric and rule != "one_to_one":
        raise BadProperty(f"make_symmetric is available for one_to_one only, not for {rule}.")
    with spatial.pair_context(pre_nc, post_nc, si, ti, syns):  # nest.spatial weights and delays
        for k, syn in enumerate(syns):
            if symmetric:
                _check_symmetric_spec(syn)
            last = k == len(syns) - 1
            # _ids_at turns index arrays into id arrays in place: later specs need the indices.
            _connect_pairs(syn, src_ids, tgt_ids, si if last else _copy_idx(si), ti if last else _copy_idx(ti),
                           rule, ns, nt, symmetric)  # fmt: skip
    if return_synapsecollection:
        return GetConnections(pre_nc, post_nc)
    return None


def _incompatible(port: int, model: str, event: str):
    from ..errors import NESTErrors

    return NESTErrors.IncompatibleReceptorType(f"Receptor type {port} in {model} does not accept {event}.")


def _event_of(src_ids) -> str:
    """The kind of event the sources send: NEST's receptor checks depend on it."""
    if src_ids is None or not len(src_ids):
        return "SpikeEvent"
    from ..models.base import ROLE_CURRENT_SOURCE, ROLE_MULTIMETER

    role = kernel.group_of(int(src_ids[0]))[0].model.role
    return {ROLE_CURRENT_SOURCE: "CurrentEvent", ROLE_MULTIMETER: "DataLoggingRequest"}.get(role, "SpikeEvent")


def _copy_idx(idx):
    return RepeatedIds(idx.ids.copy(), idx.k) if isinstance(idx, RepeatedIds) else idx.copy()


def _check_receptor(syn: dict, tgt_ids: np.ndarray, src_ids=None) -> None:
    """Refuse a receptor type the target models do not have (they all have only 0)."""
    r = syn.get("receptor_type", 0)
    if isinstance(r, Parameter):
        return  # drawn per connection: each value is checked when the pairs are made (_connect_pairs)
    if isinstance(r, bool) or not isinstance(r, (numbers.Integral, np.integer)):
        raise TypeMismatch(f"receptor_type must be an integer, got {r!r}.")
    r = int(r)
    if not len(tgt_ids):
        return
    if r < 0:
        # What NEST's conversion of a negative number to an unsigned port says.
        raise IndexError("Value causes data loss or overflow.")
    gi, li = kernel.locate(tgt_ids)
    for g in np.unique(gi):
        group = kernel.groups[int(g)]
        model = group.model
        if hasattr(model, "check_sources") and src_ids is not None and len(src_ids):
            # A target that refuses some source models (iaf_tum_2000 from iaf_tum_2000 but on port 1).
            sgi, _ = kernel.locate(np.unique(np.asarray(src_ids, dtype=np.int64)))
            model.check_sources(r, [kernel.groups[int(k)].model for k in np.unique(sgi)])
        if hasattr(model, "check_receptor_event"):
            # Models that answer for every kind of event themselves (ht_neuron, iaf_cond_alpha_mc).
            model.check_receptor_event(group, li[gi == g], r, _event_of(src_ids))
            continue
        if hasattr(model, "check_receptor"):
            # Models with receptor ports (multisynapse): spikes go to ports 1 .. n_synapses;
            # currents and multimeter requests to port 0.
            event = _event_of(src_ids)
            if event == "SpikeEvent":
                model.check_receptor(group, li[gi == g], r)
            elif r != 0:
                raise _incompatible(r, model.name, event)
            continue
        if r == 0:
            continue
        if getattr(model, "counts_spikes", False) and r == 1:
            continue  # a parrot's port for spikes it takes but does not repeat
        raise UnknownReceptorType(f"Receptor type {r} is not available in {model.name}.")


def _connect_pairs(syn, src_ids, tgt_ids, si, ti, rule, ns, nt, symmetric) -> None:
    """One block of connections of ``syn`` for the drawn pairs ``(si, ti)``."""
    n = len(si)
    if isinstance(syn.get("receptor_type"), Parameter):
        _connect_random_ports(syn, src_ids, tgt_ids, si, ti, rule, ns, nt, symmetric)
        return
    weight = _column(syn["weight"], n, si, ti, ns, nt, rule, "weight")
    delay_ms = _column(syn["delay"], n, si, ti, ns, nt, rule, "delay")
    model = kernel.registry.synapses[syn["synapse_model"]]
    cont = getattr(model, "continuous_delay", False)
    # cont_delay_synapse: the model's own delay is kept off the grid, as whole steps and an offset.
    delay, offset = model.default_split if cont and model.default_split is not None else (None, 0.0)
    if delay is None or syn[_DELAY_GIVEN]:
        # Drawn delays are rounded to the grid (as NEST does), and so are given ones of cont_delay_synapse
        # (which keep the model's offset, as NEST's do); other given ones must lie on the grid.
        delay = _delay_steps(delay_ms, rounded=_is_parameter(syn["delay"]) or cont)
    check_delays_in_range(delay)
    if si is ti:
        ti = ti.copy()
    if symmetric and n:
        # The reverse of every connection, with the same weight and delay.
        back_src, back_tgt = tgt_ids[ti], src_ids[si]
        src_all = np.concatenate([src_ids[si], back_src])
        tgt_all = np.concatenate([tgt_ids[ti], back_tgt])
        block = Block(
            src_all.astype(np.int32), tgt_all.astype(np.int32),
            weight if np.ndim(weight) == 0 else np.concatenate([weight, weight]),
            delay if np.ndim(delay) == 0 else np.concatenate([delay, delay]),
            syn["synapse_model"],
        )  # fmt: skip
        _attach_params(block, syn, lambda key: np.resize(_column(syn[key], n, si, ti, ns, nt, rule, key), 2 * n))
        if cont:
            block.extra.setdefault("params", {})["delay_offset"] = np.full(2 * n, offset)
        kernel.add_block(block, np.concatenate([src_ids, tgt_ids]), np.concatenate([src_ids, tgt_ids]))
        return
    # Per-connection parameters are read at the drawn positions before _ids_at turns them into
    # ids in place (a (targets, sources) array, as PyNN passes them, is indexed by position).
    per_connection = {
        key: _column(syn[key], n, si, ti, ns, nt, rule, key) for key in getattr(model, "per_connection", ())
    }
    block = Block(_ids_at(src_ids, si), _ids_at(tgt_ids, ti), weight, delay, syn["synapse_model"])
    block.receptor = int(syn.get("receptor_type", 0))
    _attach_params(block, syn, per_connection.__getitem__)
    if cont:
        block.extra.setdefault("params", {})["delay_offset"] = np.full(n, offset)
    if n:
        kernel.add_block(block, src_ids, tgt_ids)


def _connect_random_ports(syn, src_ids, tgt_ids, si, ti, rule, ns, nt, symmetric) -> None:
    """A receptor_type drawn per connection (NEST's brunel_exp_multisynapse example): one
    block per port drawn, each checked as a fixed port would be."""
    n = len(si)
    if symmetric:
        raise BadProperty("make_symmetric cannot be combined with a receptor_type drawn per connection.")
    # Index arrays, whatever compact form the rule drew (fixed_indegree repeats each target).
    si = si.materialize() if hasattr(si, "materialize") else np.asarray(si)
    ti = ti.materialize() if hasattr(ti, "materialize") else np.asarray(ti)
    ports = np.rint(np.asarray(syn["receptor_type"].evaluate(n, kernel.parameter_rng()), dtype=float)).astype(int)
    weight = _column(syn["weight"], n, si, ti, ns, nt, rule, "weight")
    delay = _column(syn["delay"], n, si, ti, ns, nt, rule, "delay")
    if _is_parameter(syn["delay"]):
        delay = np.rint(np.asarray(delay) / kernel.h) * kernel.h  # drawn delays are rounded (as NEST)
    src = np.asarray(src_ids)[si]
    for port in np.unique(ports):
        sel = ports == port
        sub = {**syn, "receptor_type": int(port)}
        sub["weight"] = weight[sel] if np.ndim(weight) else weight
        sub["delay"] = delay[sel] if np.ndim(delay) else delay
        _check_receptor(sub, np.asarray(tgt_ids)[ti[sel]], src)
        _connect_pairs(sub, src_ids, tgt_ids, si[sel].copy(), ti[sel].copy(), "one_to_one", ns, nt, False)


def _attach_params(block: Block, syn: dict, column) -> None:
    """A plastic model's per-connection parameters and initial state, checked as NEST does."""
    model = kernel.registry.synapses[syn["synapse_model"]]
    keys = getattr(model, "per_connection", ())
    if not keys:
        if hasattr(model, "connecting"):
            model.connecting(kernel, block, {}, bool(syn[_GIVEN]))  # checks of rules without parameters (e-prop)
        return
    params = {key: column(key) for key in keys}
    model.check({**params, "weight": block.weight}, on_set=bool(syn[_GIVEN]))
    if hasattr(model, "connecting"):
        # Target checks and hidden state set at Connect (voltage-based rules).
        model.connecting(kernel, block, params, bool(syn[_GIVEN]))
    block.extra["params"] = params


def _check_symmetric_spec(syn: dict) -> None:
    for key in ("weight", "delay"):
        if isinstance(syn.get(key), (Parameter, dict)):
            raise BadProperty(
                f"make_symmetric needs the same {key} both ways: give a number or an array, not a distribution."
            )


def Disconnect(*args, conn_spec=None, syn_spec=None) -> None:
    """Remove connections: ``Disconnect(conns)`` with a SynapseCollection, or
    ``Disconnect(pre, post, conn_spec, syn_spec)`` with rule ``one_to_one`` or ``all_to_all``.

    Raises
    ------
    InexistentConnection
        If a connection to remove does not exist.
    """
    from ..errors import NESTErrors

    if len(args) == 1 and isinstance(args[0], SynapseCollection):
        conns = args[0]
    elif len(args) in (2, 3, 4):
        pre, post = to_node_collection(args[0], "pre"), to_node_collection(args[1], "post")
        if len(args) > 2:
            conn_spec = args[2]
        if len(args) > 3:
            syn_spec = args[3]
        rule = conn_spec if isinstance(conn_spec, str) else (conn_spec or {}).get("rule", "one_to_one")
        model = syn_spec if isinstance(syn_spec, str) else (syn_spec or {}).get("synapse_model", "static_synapse")
        src, tgt = pre.ids(), post.ids()
        if rule == "one_to_one":
            if len(src) != len(tgt):
                raise BadProperty("Disconnect one_to_one needs as many sources as targets.")
            pairs = set(zip(src.tolist(), tgt.tolist()))
        elif rule == "all_to_all":
            pairs = {(s_, t_) for s_ in src.tolist() for t_ in tgt.tolist()}
        else:
            raise BadProperty(f"Disconnect supports the rules one_to_one and all_to_all, not {rule!r}.")
        found = GetConnections(pre, post, synapse_model=model)
        got = list(zip(found._cols["source"].tolist(), found._cols["target"].tolist()))
        missing = pairs - set(got)
        if missing:
            raise NESTErrors.InexistentConnection(
                f"Deletion of connection is not possible because it does not exist: {sorted(missing)[0]}."
            )
        # One connection per pair, as NEST removes one.
        first = {}
        for j, pair in enumerate(got):
            if pair in pairs and pair not in first:
                first[pair] = j
        conns = found[np.array(sorted(first.values()), dtype=np.int64)]
    else:
        raise TypeError("Disconnect takes a SynapseCollection, or pre, post[, conn_spec, syn_spec].")
    if conns._origin is None or len(conns) == 0:
        return
    stores, which, pos = conns._origin
    if any(isinstance(st, Block) and st.released for st in stores):
        # Read before a Simulate moved these connections into the CSR: find them there.
        for m in set(conns._model.tolist()):
            full = GetConnections(synapse_model=m)
            at = _ports_by_pair(conns._cols, conns._model == m, full._cols)
            Disconnect(full[at[at >= 0]])
        return
    for k, store in enumerate(stores):
        sel = which == k
        if sel.any():
            kernel.remove_connections(store, pos[sel])


def _ids_at(ids: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """Global ids at positions ``idx`` of ``ids``, as int32 where ids fit.

    For a contiguous range of ids the index array is turned into the id array in place,
    so the largest arrays of a build are never held twice.
    """
    if isinstance(idx, RepeatedIds):
        return RepeatedIds(_ids_at(ids, idx.ids), idx.k)
    id_type = np.int32 if kernel.n_nodes < 2**31 - 1 else np.int64
    if len(ids) and ids[-1] - ids[0] + 1 == len(ids) and idx.dtype == id_type:
        idx += id_type(ids[0])
        return idx
    return ids.astype(id_type)[idx]


def _is_parameter(value) -> bool:
    return isinstance(value, (Parameter, dict))


def _delay_steps(delay_ms, rounded: bool = False):
    """Delays in steps (int32 arrays, or an int): drawn ones rounded, given ones checked."""
    h = kernel.h
    arr = np.atleast_1d(np.asarray(delay_ms, dtype=np.float64))
    if rounded:
        steps = np.rint(arr / h)
        low = steps < 1
    else:
        low = arr < h * (1 - 1e-9)
    if np.any(low):
        bad = arr[low][0]
        raise BadDelay(f"Delay {bad} ms is smaller than the resolution {h} ms; delays must be at least one step.")
    if not rounded:
        steps = kernel.time_to_steps(
            arr, "Delay", error=BadDelay, hint="NEST would silently round it; give a multiple of the resolution"
        )
    if np.ndim(delay_ms) == 0:
        return int(steps[0])
    return steps.astype(np.int32)


def _ports_by_pair(cols, sel, full) -> np.ndarray:
    """Positions in ``full`` of the selected connections of ``cols``, matched by (source,
    target) and, for repeated pairs, by their order of occurrence."""

    def keyed(s, t):
        key = s.astype(np.int64) * (int(max(t.max(initial=0), ft.max(initial=0))) + 1) + t
        order = np.argsort(key, kind="stable")
        k = key[order]
        first = np.searchsorted(k, k, side="left")
        occurrence = np.empty(len(k), dtype=np.int64)
        occurrence[order] = np.arange(len(k)) - first
        return key, occurrence

    ft = full["target"]
    if not len(ft):
        return np.full(int(sel.sum()), -1, dtype=np.int64)
    fkey, focc = keyed(full["source"], ft)
    skey, socc = keyed(cols["source"][sel], cols["target"][sel])
    span = int(max(focc.max(initial=0), socc.max(initial=0))) + 1
    fcode, scode = fkey * span + focc, skey * span + socc
    order = np.argsort(fcode)
    at = np.minimum(np.searchsorted(fcode, scode, sorter=order), len(order) - 1)
    found = fcode[order[at]] == scode
    return np.where(found, order[at], -1)


class SynapseCollection:
    """Connections as columns: ``source``, ``target``, ``weight``, ``delay``, ``synapse_model``."""

    def __init__(self, source, target, weight, delay, synapse_model, origin=None):
        self._cols = {
            "source": np.asarray(source, dtype=np.int64),
            "target": np.asarray(target, dtype=np.int64),
            "weight": np.asarray(weight, dtype=np.float64),
            "delay": np.asarray(delay, dtype=np.float64),
        }
        self._model = np.broadcast_to(np.asarray(synapse_model, dtype=object), self._cols["source"].shape)
        # Where each connection is stored: (list of stores, store index, position in store).
        self._origin = origin

    def set(self, params=None, **kwargs) -> None:
        """Set ``weight`` and/or ``delay``: one value, one per connection, or a parameter;
        or a list of one dict per connection (NEST's form)."""
        if isinstance(params, (list, tuple)) and params and all(isinstance(p, dict) for p in params):
            if len(params) != len(self):
                raise BadProperty(f"set() got {len(params)} dictionaries for {len(self)} connections.")
            keys = set().union(*params)
            if any(set(p) != keys for p in params):
                raise BadProperty("set() with one dictionary per connection needs the same keys in each.")
            params = {k: np.array([p[k] for p in params]) for k in keys}
        params = dict(params or {}, **kwargs)
        if self._origin is None:
            raise BadProperty("These connections were not read with GetConnections; they cannot be set.")
        n = len(self)
        models = [kernel.registry.synapses[m] for m in set(self._model.tolist())]
        settable = {"weight", "delay"}.union(*(getattr(m, "per_connection", ()) for m in models))
        for key, value in params.items():
            for m in models:
                refuse_common(m, {key: value})
            if key not in settable:
                raise BadProperty(
                    f"'{key}' cannot be set on these connections; settable: {', '.join(sorted(settable))}."
                )
            if isinstance(value, dict):
                value = from_legacy_dict(value, f"'{key}'")
            if isinstance(value, Parameter):
                value = value.evaluate(n, kernel.parameter_rng())
            vals = np.broadcast_to(np.asarray(value, dtype=np.float64), (n,)).copy()
            for m in models:
                if getattr(m, "per_connection", ()):
                    sel = self._model == m.name
                    cols = {k: self._column(k)[sel] for k in (*m.per_connection, "weight")}
                    cols[key] = vals[sel]
                    m.check(cols, on_set=True)
            stores, which, pos = self._origin
            for k, store in enumerate(stores):
                sel = which == k
                if sel.any():
                    kernel.set_connection_values(store, key, pos[sel], vals[sel])
            if key == "delay":
                # As kept: on the grid, or (cont_delay_synapse) whole steps less the offset.
                steps, offs = split_delay(vals, kernel.h)
                cont = np.array([getattr(kernel.registry.synapses[m], "continuous_delay", False) for m in self._model])
                vals = np.where(cont, kernel.steps_to_ms(steps) - offs,
                                kernel.steps_to_ms(np.rint(vals / kernel.h).astype(np.int64)))  # fmt: skip
            self._cols[key] = vals
            self._reset_initial_weights(models)

    def _reset_initial_weights(self, models) -> None:
        """Rules that keep their initial weight (urbanczik_synapse) take the weight as it is now:
        NEST's set_status does so whatever is set."""
        for m in models:
            if "init_weight" not in getattr(m, "hidden", ()):
                continue
            sel = self._model == m.name
            weights = self._column("weight")
            stores, which, pos = self._origin
            for k, store in enumerate(stores):
                part = sel & (which == k)
                if part.any():
                    kernel.set_connection_values(store, "init_weight", pos[part], weights[part])

    def __len__(self) -> int:
        return len(self._cols["source"])

    def __getitem__(self, key):
        """One connection (an int) or several (a slice or index array), as a collection."""
        if isinstance(key, (int, np.integer)):
            key = slice(key, key + 1 if key != -1 else None)
        cols = {k: v[key] for k, v in self._cols.items()}
        origin = None
        if self._origin is not None:
            stores, which, pos = self._origin
            origin = (stores, which[key], pos[key])
        return SynapseCollection(
            cols["source"], cols["target"], cols["weight"], cols["delay"], self._model[key], origin
        )

    def __iter__(self):
        for i in range(len(self)):
            yield self[i]

    def get(self, keys=None, output: str = ""):
        """Properties of the connections: all, one key, or several keys.

        A list per key (a value for a single connection); ``output="pandas"`` gives a
        DataFrame indexed by source id, ``output="json"`` a JSON string, as NEST does.
        """
        if output not in ("", "pandas", "json"):
            raise BadProperty(f"output must be '', 'pandas' or 'json', not {output!r}.")
        single_key = isinstance(keys, str)
        if keys is None and not len(self) and not output:
            return {}  # NEST's answer for no connections
        if keys is None:
            extra, sized = set(), False
            for m in set(self._model.tolist()):
                model = kernel.registry.synapses[m]
                # Common properties are the model's: NEST does not list them with the connections.
                extra.update(getattr(model, "per_connection", ()))
                sized = sized or "sizeof" in model.status()
            # Models whose status has no sizeof (tsodyks_synapse_hom, stdp_facetshw_synapse_hom) show none.
            ks = sorted((set(CONNECTION_KEYS) - (set() if sized else {"sizeof"})) | extra)
        else:
            ks = [keys] if single_key else list(keys)
        cols = {k: self._column(k) for k in ks}
        if output == "pandas":
            import pandas as pd

            return pd.DataFrame({k: list(v) if v.dtype == object else v for k, v in cols.items()},
                                index=pd.Index(self._cols["source"]))  # fmt: skip
        out = {k: v.tolist() for k, v in cols.items()}
        if len(self) == 1:
            out = {k: v[0] for k, v in out.items()}
        result = out[keys] if single_key else out
        if output == "json":
            import json

            return json.dumps(result)
        return result

    def _column(self, key: str) -> np.ndarray:
        n = len(self)
        if key == "weight" and self._origin is not None and self._plastic():
            return self._stored("weight")
        if key in self._cols:
            return self._cols[key]
        if key == "synapse_model":
            return np.asarray(self._model, dtype=object)
        if key == "receptor" and self._origin is not None:
            return self._receptors()
        if key in ("receptor", "target_thread"):
            return np.zeros(n, dtype=np.int64)
        if key in ("synapse_id", "sizeof") and not (key == "synapse_id" and self._own("synapse_id")):
            names = list(kernel.registry.synapses)
            out = np.zeros(n, dtype=np.int64)
            for m in set(self._model.tolist()):
                value = names.index(m) if key == "synapse_id" else kernel.registry.synapses[m].status()["sizeof"]
                out[self._model == m] = value
            return out
        if key == "port":
            return self._ports()
        if self._origin is not None and any(
            key in kernel.registry.synapses[m].defaults for m in set(self._model.tolist())
        ):
            values = self._stored(key)
            models = [kernel.registry.synapses[m] for m in set(self._model.tolist())]
            integer = key == "synapse_label" or any(key in getattr(m, "integer_keys", ()) for m in models)
            if any(key in getattr(m, "bool_keys", ()) for m in models):
                return values.astype(bool)
            return values.astype(np.int64) if integer else values
        raise BadProperty(f"'{key}' is not a property of the connections. Valid keys: {', '.join(CONNECTION_KEYS)}.")

    def _own(self, key: str) -> bool:
        """Whether the connections' models keep ``key`` per connection (FACETS: ``synapse_id``)."""
        return self._origin is not None and any(
            key in getattr(kernel.registry.synapses[m], "per_connection", ()) for m in set(self._model.tolist())
        )

    def _receptors(self) -> np.ndarray:
        """The receptor port of each connection, where it is stored."""
        out = np.zeros(len(self), dtype=np.int64)
        stores, which, pos = self._origin
        for k, store in enumerate(stores):
            sel = which == k
            if sel.any():
                out[sel] = kernel.connection_receptors(store, pos[sel])
        targets = self._column("target")
        for g in kernel.groups:
            # NEST reports the port within a model's spike or current receptors where it numbers them so.
            reported = getattr(g.model, "reported_receptor", None)
            if reported is not None:
                sel = (targets >= g.first) & (targets < g.first + g.n)
                if sel.any():
                    out[sel] = reported(out[sel])
        return out

    def _plastic(self) -> bool:
        return any(kernel.registry.synapses[m].plastic for m in set(self._model.tolist()))

    def _stored(self, key: str) -> np.ndarray:
        """A parameter or state variable (weights of plastic models too), read live where stored."""
        out = np.full(len(self), np.nan)
        stores, which, pos = self._origin
        for k, store in enumerate(stores):
            sel = which == k
            if sel.any():
                try:
                    out[sel] = kernel.connection_values(store, key, pos[sel])
                except KeyError:
                    pass
        return out

    def _ports(self) -> np.ndarray:
        """Each connection's index among all connections of its synapse model, in
        GetConnections order (NEST's port: the position in the model's store by source)."""
        ports = np.zeros(len(self), dtype=np.int64)
        if self._origin is None:
            return ports
        stores, which, pos = self._origin
        for m in set(self._model.tolist()):
            full = GetConnections(synapse_model=m)
            f_stores, f_which, f_pos = full._origin
            for k, store in enumerate(stores):
                sel = (which == k) & (self._model == m)
                if not sel.any():
                    continue
                # Read before a Simulate, the connections may have moved since (into their
                # plastic store, or a block into the CSR); NEST's ports stay valid then.
                now, at = kernel.resolve(store, pos[sel])
                fk = next((j for j, st in enumerate(f_stores) if st is now), None)
                if fk is None:
                    ports[sel] = _ports_by_pair(self._cols, sel, full._cols)
                    continue
                in_store = np.flatnonzero(f_which == fk)
                rank = np.full(int(f_pos[in_store].max()) + 1, -1, dtype=np.int64)
                rank[f_pos[in_store]] = in_store
                ports[sel] = rank[at]
        return ports

    def sources(self):
        """An iterator over the source node ids of the connections."""
        return iter(self._cols["source"].tolist())

    def targets(self):
        """An iterator over the target node ids of the connections."""
        return iter(self._cols["target"].tolist())

    def disconnect(self) -> None:
        """Remove these connections (``Disconnect(self)``)."""
        Disconnect(self)

    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        if name in CONNECTION_KEYS:
            return self.get(name)
        raise AttributeError(name)

    def __repr__(self) -> str:
        return f"SynapseCollection({len(self)} connections)"


def GetConnections(source=None, target=None, synapse_model=None, synapse_label=None) -> SynapseCollection:
    """Connections whose source is in ``source`` and target in ``target`` (both optional)."""
    src_f = to_node_collection(source, "source").ids() if source is not None else None
    tgt_f = to_node_collection(target, "target").ids() if target is not None else None
    cols = {"s": [], "t": [], "w": [], "d": [], "m": [], "mid": [], "which": [], "pos": []}
    model_ids = {name: i for i, name in enumerate(kernel.registry.synapses)}
    # (handle, source, targets made on demand, weights, delays, model) for each store of connections
    stores = [
        (b, b.source, lambda b=b: b.target, b.weights, b.delays, b.synapse_model)
        for b in kernel.blocks
        if not b.released
    ]
    if any(b.released for b in kernel.blocks):
        # Released blocks live in the CSR alone.
        s, t, w, d = kernel.csr.columns()
        stores.append((kernel.csr, s, lambda t=t: t, lambda w=w: w, lambda d=d: d, kernel.csr.synapse_model))
    for store in kernel.plastic_stores.values():
        s, t, w, d = store.columns()
        stores.append((store, s, lambda t=t: t, lambda w=w: w, lambda d=d: d, store.synapse_model))
    handles = []
    for handle, source, targets, weights, delays, model in stores:
        if synapse_model is not None and model != synapse_model:
            continue
        target = targets()
        mask = np.ones(len(source), bool)
        if src_f is not None:
            mask &= np.isin(source, src_f)
        if tgt_f is not None:
            mask &= np.isin(target, tgt_f)
        if not mask.any():
            continue
        cols["s"].append(source[mask])
        cols["t"].append(target[mask])
        cols["w"].append(weights()[mask])
        d_ms = kernel.steps_to_ms(delays()[mask])
        # cont_delay_synapse: whole steps less the delay's offset.
        kept = handle.extra.get("params", {}) if isinstance(handle, Block) else getattr(handle, "cols", {})
        cols["d"].append(d_ms - kept["delay_offset"][mask] if "delay_offset" in kept else d_ms)
        cols["m"].append(np.full(int(mask.sum()), model, dtype=object))
        cols["mid"].append(np.full(int(mask.sum()), model_ids.get(model, -1), dtype=np.int16))
        cols["which"].append(np.full(int(mask.sum()), len(handles)))
        cols["pos"].append(np.flatnonzero(mask))
        handles.append(handle)
    if not cols["s"]:
        return SynapseCollection([], [], [], [], [])
    if synapse_label is not None:
        # Only the labelled models' connections (``_lbl``) carry a label.
        for i, handle in enumerate(handles):
            model = kernel.registry.synapses[cols["m"][i][0]] if len(cols["m"][i]) else None
            keep = np.zeros(len(cols["s"][i]), bool)
            if model is not None and "synapse_label" in getattr(model, "per_connection", ()):
                keep = kernel.connection_values(handle, "synapse_label", cols["pos"][i]) == synapse_label
            for key in cols:
                cols[key][i] = cols[key][i][keep]
    s = np.concatenate(cols["s"])
    t = np.concatenate(cols["t"])
    # NEST lists connections by synapse model, then source (then target here).
    mids = {int(m[0]) for m in cols["mid"] if len(m)}
    order = np.lexsort((t, s, np.concatenate(cols["mid"]))) if len(mids) > 1 else np.lexsort((t, s))
    origin = (handles, np.concatenate(cols["which"])[order], np.concatenate(cols["pos"])[order])
    return SynapseCollection(s[order], t[order], np.concatenate(cols["w"])[order],
                             np.concatenate(cols["d"])[order], np.concatenate(cols["m"])[order], origin)  # fmt: skip


__all__ = ["Connect", "Disconnect", "GetConnections", "SynapseCollection", "NodeCollection"]
