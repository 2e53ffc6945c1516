"""PyNEST's spatial functions: positions, distances, nearest nodes, masks, dumps."""

from __future__ import annotations

import numpy as np

from ..api.nodes import NodeCollection
from .layers import layer_of
from .masks import GridMask


def _nc(x, what):
    if not isinstance(x, NodeCollection):
        raise TypeError(f"{what} must be a NodeCollection")
    return x


def GetPosition(nodes):  # noqa: N802 - PyNEST's name
    """Positions of spatial nodes: a list of floats for one node, a list of lists otherwise."""
    _nc(nodes, "nodes")
    layer, li = layer_of(nodes)
    pos = layer.positions[li].tolist()
    return pos[0] if len(pos) == 1 else pos


def _displacements(from_arg, to_arg) -> np.ndarray:
    """Displacements as NEST gives them: ``from - to`` between nodes, ``to - from`` from positions."""
    _nc(to_arg, "to_arg")
    if isinstance(from_arg, np.ndarray):
        from_arg = (from_arg,)
    n_from, n_to = len(from_arg), len(to_arg)
    if n_from > 1 and n_to > 1 and n_from != n_to:
        raise ValueError("to_arg and from_arg must have same size unless one have size 1.")
    layer, li = layer_of(to_arg)
    to_pos = layer.positions[li]
    if isinstance(from_arg, NodeCollection):
        from_pos = layer_of(from_arg)[0].positions[layer_of(from_arg)[1]]
        d = from_pos - to_pos
    else:
        if not all(isinstance(p, (list, tuple, np.ndarray)) for p in from_arg):
            raise TypeError("from_arg must be a NodeCollection or a list of positions (each a list of floats).")
        from_pos = np.asarray([np.asarray(p, dtype=np.float64).ravel() for p in from_arg])
        if from_pos.shape[1] != layer.ndim:
            from ..errors import BadProperty

            raise BadProperty(f"Expected a {layer.ndim}-dimensional position.")
        d = to_pos - from_pos
    return layer.wrap(d)


def Displacement(from_arg, to_arg):  # noqa: N802
    """Displacement vectors from nodes or positions ``from_arg`` to nodes ``to_arg``.

    Between nodes NEST returns the position of ``from_arg`` minus that of ``to_arg``; from
    explicit positions, the node's position minus the given one. Periodic boundaries fold
    each vector to the nearest image.
    """
    return _displacements(from_arg, to_arg).tolist()


def Distance(from_arg, to_arg):  # noqa: N802
    """Distances from nodes or positions ``from_arg`` to nodes ``to_arg`` (periodic where wrapped)."""
    d = _displacements(from_arg, to_arg)
    return np.sqrt(sum(d[:, k] * d[:, k] for k in range(d.shape[1]))).tolist()


def FindNearestElement(layer, locations, find_all=False):  # noqa: N802
    """The node(s) of ``layer`` nearest to each location.

    Returns a NodeCollection for one location, a list for several; with ``find_all`` every
    node at the minimal distance (within 1e-14 relative), as a list of one-node collections.
    """
    _nc(layer, "layer")
    if not len(layer) > 0:
        raise ValueError("layer cannot be empty")
    if not isinstance(locations, (list, tuple, np.ndarray)):
        raise TypeError("locations must be coordinate array or list of coordinate arrays")
    if not isinstance(locations[0], (list, tuple, np.ndarray)):
        locations = (locations,)
    result = []
    for loc in locations:
        d = np.asarray(Distance(np.asarray(loc, dtype=np.float64), layer))
        if not find_all:
            result.append(layer[int(np.argmin(d))])
        else:
            best = d[0]
            keep = [0]
            for k in range(1, d.size):
                if d[k] < best:
                    best, keep = d[k], [k]
                elif abs(d[k] - best) <= 1e-14 * best:
                    keep.append(k)
            result.append([layer[k] for k in keep])
    return result[0] if len(result) == 1 else result


def FindCenterElement(layer):  # noqa: N802
    """The node nearest to the centre of ``layer`` (the first such node)."""
    _nc(layer, "layer")
    lay, _ = layer_of(layer)
    found = FindNearestElement(layer, lay.center.tolist())
    k = layer.index(found.global_id)
    return layer[k : k + 1]


def SelectNodesByMask(layer, anchor, mask_obj):  # noqa: N802
    """The nodes of ``layer`` inside ``mask_obj`` centred at ``anchor``, as a NodeCollection."""
    if not isinstance(layer, NodeCollection):
        raise TypeError("layer must be a NodeCollection.")
    from .masks import as_mask

    mask = as_mask(mask_obj)
    lay, li = layer_of(layer)
    if isinstance(mask, GridMask):
        from ..errors import BadProperty

        raise BadProperty("SelectNodesByMask does not take grid masks.")
    if len(anchor) != lay.ndim:
        from ..errors import TypeMismatch

        raise TypeMismatch(f"Expected datatype: a {lay.ndim}-dimensional anchor for a {lay.ndim}-D layer.")
    # the search Connect uses, with one driver at the anchor (NEST's arithmetic at the edges)
    from types import SimpleNamespace

    from .connect import _MaskSearch

    search = _MaskSearch((lay, li), mask, False, lay)
    at = SimpleNamespace(positions=np.asarray(anchor, dtype=np.float64).reshape(1, -1))
    _, found = search.candidates((at, np.zeros(1, np.int64)), 0, 1)
    return NodeCollection(layer.ids()[np.unique(found)])


def _endpoints(nodes, layer, syn_model, by_source: bool):
    from ..api.connect import GetConnections

    if by_source:
        conns = GetConnections(nodes, layer, synapse_model=syn_model)
    else:
        conns = GetConnections(layer, nodes, synapse_model=syn_model)
    src = np.asarray(conns._cols["source"]) if len(conns) else np.zeros(0, np.int64)
    tgt = np.asarray(conns._cols["target"]) if len(conns) else np.zeros(0, np.int64)
    key, other = (src, tgt) if by_source else (tgt, src)
    return [np.sort(other[key == gid]) if False else other[key == gid] for gid in nodes.ids()]


def GetTargetNodes(sources, tgt_layer, syn_model=None):  # noqa: N802
    """For each node of ``sources``, its targets in ``tgt_layer`` (a tuple of NodeCollections)."""
    _nc(sources, "sources")
    _nc(tgt_layer, "tgt_layer")
    return tuple(NodeCollection(np.unique(t)) for t in _endpoints(sources, tgt_layer, syn_model, True))


def GetSourceNodes(src_layer, targets, syn_model=None):  # noqa: N802
    """For each node of ``targets``, its sources in ``src_layer`` (a tuple of NodeCollections)."""
    _nc(targets, "targets")
    _nc(src_layer, "src_layer")
    return tuple(NodeCollection(np.unique(s)) for s in _endpoints(targets, src_layer, syn_model, False))


def _positions_of_ids(layer_nc, ids):
    lay, li = layer_of(layer_nc)
    first = int(layer_nc.ids()[0])
    return [lay.positions[li[int(i) - first]].tolist() for i in ids]


def GetTargetPositions(sources, tgt_layer, syn_model=None):  # noqa: N802
    """For each node of ``sources``, the positions of its targets in ``tgt_layer`` (one per connection)."""
    _nc(sources, "sources")
    _nc(tgt_layer, "tgt_layer")
    return [_positions_of_ids(tgt_layer, t) for t in _endpoints(sources, tgt_layer, syn_model, True)]


def GetSourcePositions(src_layer, targets, syn_model=None):  # noqa: N802
    """For each node of ``targets``, the positions of its sources in ``src_layer`` (one per connection)."""
    _nc(targets, "targets")
    _nc(src_layer, "src_layer")
    return [_positions_of_ids(src_layer, s) for s in _endpoints(targets, src_layer, syn_model, False)]


def _g(x: float) -> str:
    # C++ streams print doubles with 6 significant digits, as %g does.
    return f"{x:g}"


def DumpLayerNodes(layer, outname):  # noqa: N802
    """Write ``node_id x y [z]`` for every node of ``layer`` to ``outname``."""
    _nc(layer, "layer")
    lay, li = layer_of(layer)
    with open(str(outname), "w") as f:
        for gid, p in zip(layer.ids().tolist(), lay.positions[li].tolist()):
            f.write(" ".join([str(gid), *(_g(v) for v in p)]) + "\n")


def DumpLayerConnections(source_layer, target_layer, synapse_model, outname):  # noqa: N802
    """Write ``source target weight delay dx dy [dz]`` for every connection from ``source_layer``
    to ``target_layer`` of ``synapse_model`` (displacement from source to target)."""
    from ..api.connect import GetConnections

    _nc(source_layer, "source_layer")
    _nc(target_layer, "target_layer")
    conns = GetConnections(source_layer, target_layer, synapse_model=synapse_model)
    s_lay, s_li = layer_of(source_layer)
    t_lay, t_li = layer_of(target_layer)
    s_first, t_first = int(source_layer.ids()[0]), int(target_layer.ids()[0])
    with open(str(outname), "w") as f:
        if not len(conns):
            return
        c = conns._cols
        sp = s_lay.positions[s_li[c["source"] - s_first]]
        tp = t_lay.positions[t_li[c["target"] - t_first]]
        disp = t_lay.wrap(tp - sp)
        for s, t, w, dl, d in zip(c["source"].tolist(), c["target"].tolist(), c["weight"].tolist(),
                                  c["delay"].tolist(), disp.tolist()):  # fmt: skip
            f.write(" ".join([str(s), str(t), _g(w), _g(dl), *(_g(v) for v in d)]) + "\n")
