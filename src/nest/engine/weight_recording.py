"""The weight_recorder's pass: after a slice's spikes are delivered, list every spike
sent through a synapse model that names a weight_recorder.

A synapse model's ``weight_recorder`` (set by ``SetDefaults`` or ``CopyModel``) is kept
as the recorder's id in the model object's attribute ``weight_recorder``. For each such
model the pass keeps that model's connections as rows by source, in ``GetConnections``
order, so that a connection's position in its model's list is its port, as in NEST.
The rows are rebuilt only when the connections changed. Delivery itself is untouched:
this pass reads the spike register after it.

As NEST does, a slice's events are listed by sender id, then time (the order delivery
hands spikes to recorders), each spike's row once per unit of multiplicity (a parrot
repeating k coincident spikes gives k rows of events), and the recorded time is the
spike's time, not its arrival.
"""

from __future__ import annotations

import numpy as np

# id(kernel) -> (key, tables); a table per recorded synapse model.
_cache: dict[int, tuple] = {}


def recorded_models(kernel) -> list:
    """Synapse models with a weight_recorder, in the registry's order."""
    return [m for m in kernel.registry.synapses.values() if getattr(m, "weight_recorder", None)]


def _key(kernel, models) -> tuple:
    csr = kernel.csr
    # The column objects themselves are kept in the key (not their ids): a changed
    # weight replaces them, and keeping them alive means no id is reused.
    cols = (csr, csr.weight, csr.delay) if csr is not None else ()
    return (len(kernel.blocks), kernel.n_nodes, kernel._conn_version, kernel.num_connections, cols,
            tuple((m.name, m.weight_recorder) for m in models))  # fmt: skip


def _tables(kernel, models) -> list[tuple]:
    key = _key(kernel, models)
    hit = _cache.get(id(kernel))
    # A plastic model's weights change while simulating: read them again every slice.
    plastic = any(getattr(m, "plastic", False) for m in models)
    if hit is not None and hit[0] == key and not plastic:
        return hit[1]
    from ..api.connect import GetConnections  # the one list of connections, ports included

    tables = []
    for m in models:
        conns = GetConnections(synapse_model=m.name)
        cols = conns._cols
        src = cols["source"]
        indptr = np.zeros(kernel.n_nodes + 1, dtype=np.int64)
        np.add.at(indptr, src, 1)
        indptr = np.cumsum(indptr)  # row of node index s (gid - 1): indptr[s]..indptr[s + 1]
        tables.append((m.weight_recorder, indptr, cols["target"].copy(), cols["weight"].copy()))
        _warn_unrecorded(kernel, m.name, src)
    _cache[id(kernel)] = (key, tables)
    return tables


def _warn_unrecorded(kernel, model: str, src: np.ndarray) -> None:
    """Generators draw or send their events inside the kernel, past the spike register:
    their connections through a recorded model are not recorded (NEST would list them)."""
    roles = kernel.roles()[np.unique(src) - 1] if len(src) else np.zeros(0)
    if np.any((roles == 2) | (roles == 3)):
        import warnings

        warnings.warn(
            f"weight_recorder: connections of {model} from current or Poisson generators are not recorded "
            "by nestling (only spikes that pass the spike register are).",
            UserWarning,
            stacklevel=2,
        )


# The recorded models, static and plastic, found at the start of each Simulate or Run call
# (``refresh``): looking through every synapse model on every slice cost more than the rest.
_recorded: tuple[list, list] = ([], [])


def refresh(kernel) -> None:
    global _recorded
    models = recorded_models(kernel)
    _recorded = (
        [m for m in models if not getattr(m, "plastic", False)],
        [m for m in models if getattr(m, "plastic", False)],
    )


def record(kernel, n: int) -> None:
    """Record the events of the ``n`` spikes in the register (called once per slice) through
    static models; plastic ones are recorded when their synapses take the spikes
    (``record_plastic``)."""
    models = _recorded[0]
    if models:
        _record(kernel, kernel.reg_src[:n], kernel.reg_stamp[:n], kernel.reg_mult[:n], models)


def record_plastic(kernel, src: np.ndarray, stamp: np.ndarray, mult: np.ndarray) -> None:
    """Record spikes just sent through plastic synapses, with the weights they were sent with
    (the weights after the rule's update, as NEST records them)."""
    models = _recorded[1]
    if models and len(src):
        _record(kernel, src, stamp, mult, models)


def _record(kernel, src, stamp, mult, models) -> None:
    # By sender, then time (the register lists a sender's spikes in time order).
    order = np.argsort(src, kind="stable")
    src = src[order]
    stamp = stamp[order]
    mult = mult[order]
    if np.any(mult != 1.0):
        reps = np.maximum(np.rint(mult), 0).astype(np.int64)
        src, stamp = np.repeat(src, reps), np.repeat(stamp, reps)
    per_recorder: dict[int, list] = {}
    for model_index, (rec_gid, indptr, target, weight) in enumerate(_tables(kernel, models)):
        starts = indptr[src]
        lens = indptr[src + 1] - starts
        total = int(lens.sum())
        if not total:
            continue
        spike = np.repeat(np.arange(len(src)), lens)
        port = np.repeat(starts - np.cumsum(lens) + lens, lens) + np.arange(total)
        per_recorder.setdefault(rec_gid, []).append((model_index, spike, port, target, weight))
    for rec_gid, parts in per_recorder.items():
        group, i = kernel.group_of(rec_gid)
        cols = _events(kernel, group, i, parts, src, stamp)
        if cols is not None:
            group.model.record_events(group, kernel, i, cols)


def _events(kernel, group, i, parts, src, stamp):
    model_index = np.concatenate([np.full(len(p[1]), p[0]) for p in parts])
    spike = np.concatenate([p[1] for p in parts])
    port = np.concatenate([p[2] for p in parts])
    target = np.concatenate([p[3][p[2]] for p in parts])
    weight = np.concatenate([p[4][p[2]] for p in parts])
    # Spike by spike; for one spike, the models in the registry's order.
    order = np.lexsort((model_index, spike)) if len(parts) > 1 else slice(None)
    spike, port, target, weight = spike[order], port[order], target[order], weight[order]
    senders = src[spike] + 1
    times = stamp[spike]
    lo, hi = group.model.window(group, kernel.h)
    keep = (times > lo[i]) & (times <= hi[i])
    for key, ids in (("senders", senders), ("targets", target)):
        allowed = group.model.filter_ids(group, i, key)
        if len(allowed):
            keep &= np.isin(ids, allowed)
    if not keep.any():
        return None
    return {
        "senders": senders[keep],
        "targets": target[keep],
        "times": times[keep],
        "weights": weight[keep],
        "receptors": np.zeros(int(keep.sum()), dtype=np.int64),
        "ports": port[keep],
    }
