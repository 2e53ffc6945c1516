"""Spatial networks in real NEST 3.10: positions, masks, distances, spatial connections.

Writes ``tests/reference/spatial.json``. Protocol (every case starts from ``ResetKernel``):

* ``grids``: ``GetPosition`` and ``.spatial`` of grid layers (2-D and 3-D, with centre,
  extent, edge_wrap) of ``iaf_psc_alpha``.
* ``free``: ``.spatial`` of free layers from explicit position lists (extent and centre
  derived by NEST, or given).
* ``errors``: error class and message of invalid layer specifications.
* ``distances``: ``Distance``/``Displacement`` between nodes, from positions to nodes,
  pairwise, on grids with and without ``edge_wrap`` and on a 3-D free layer.
* ``center`` / ``nearest``: ``FindCenterElement`` and ``FindNearestElement``.
* ``inside``: ``Mask.Inside`` of every mask type (and ``&``, ``|``, ``-``, anchors) at fixed
  points (a regular lattice through the mask edges, and random points).
* ``select``: ``SelectNodesByMask`` on grids.
* ``connect``: (source, target) pairs made by ``pairwise_bernoulli`` with ``p=1`` and masks
  (each type, ``use_on_source``, ``allow_autapses``, ``edge_wrap``), and the weights and
  delays of distance-dependent parameters (``nest.spatial.distance``, its components,
  ``source_pos``/``target_pos``, every ``nest.spatial_distributions`` function).
* ``node_params``: ``V_m`` set from ``nest.spatial.pos`` parameters; ``apply`` values.
* ``endpoints``: ``GetTargetNodes``, ``GetSourceNodes``, ``GetTargetPositions``,
  ``GetSourcePositions``; ``DumpLayerNodes``/``DumpLayerConnections`` file text.
* ``stats``: random spatial connectivity for rng_seed 1..12 (counts and mean distances of
  pairwise_bernoulli with distance-dependent p, fixed_indegree/fixed_outdegree with masks and
  p, free layers with random positions): tests compare in distribution.
"""

import os
import tempfile

import _common
import numpy as np

import nest

_common.quiet(nest)
M = "iaf_psc_alpha"


def err(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class name is what we record
        return [type(e).__name__, str(e)]
    return None


def pos_list(nc):
    p = nest.GetPosition(nc)
    return [list(x) for x in p] if len(nc) > 1 else [list(p)]


def spatial_dict(nc):
    sp = nc.spatial
    return {
        "value": {k: (np.asarray(v).tolist() if isinstance(v, np.ndarray) else v) for k, v in sp.items()},
        "types": {k: type(v).__name__ for k, v in sp.items()},
        "dtypes": {k: str(v.dtype) for k, v in sp.items() if isinstance(v, np.ndarray)},
    }


GRIDS = [
    {"shape": [3, 2]},
    {"shape": [5, 4], "center": [0.3, -0.7], "extent": [2.0, 3.0]},
    {"shape": [7, 3], "center": [0.1, 0.2], "extent": [1.3, 0.7], "edge_wrap": True},
    {"shape": [4, 4]},
    {"shape": [3, 2, 4], "center": [0.1, 0.2, -0.3], "extent": [1.3, 0.7, 2.1]},
    {"shape": [2, 3, 2], "edge_wrap": True},
]

FREE = [
    {"pos": [[0.1, 0.2], [0.3, -0.4], [0.5, 0.5]]},
    {"pos": [[0.0, 0.0], [5.0, 0.0], [0.0, 3.0]]},
    {"pos": [[0.0, 0.0], [0.4, 1.5]]},
    {"pos": [[0.0, 0.0], [1.2, 0.999]]},
    {"pos": [[0.0, 0.0], [2.0, 0.0]]},
    {"pos": [[0.0, 0.0], [5.0, 0.0]], "extent": [10.0, 10.0]},
    {"pos": [[1.0, 1.0]], "extent": [2.0, 2.0]},
    {"pos": [[0.0, 0.0, 0.0], [4.0, 2.0, 1.0]]},
    {"pos": [[0.0, 0.0, 0.0], [0.5, 2.0, 0.0], [-0.25, 0.1, 0.3]], "edge_wrap": True, "extent": [2.0, 3.0, 1.0]},
]


def case_layers():
    grids, free = [], []
    for g in GRIDS:
        nest.ResetKernel()
        nc = nest.Create(M, positions=nest.spatial.grid(**g))
        grids.append({"spec": g, "positions": pos_list(nc), "spatial": spatial_dict(nc), "n": len(nc)})
        if len(nc) > 3:
            grids[-1]["slice_spatial"] = spatial_dict(nc[1:3])
            grids[-1]["slice_positions"] = pos_list(nc[1:3])
    for f in FREE:
        nest.ResetKernel()
        nc = nest.Create(M, positions=nest.spatial.free(**f))
        free.append({"spec": f, "spatial": spatial_dict(nc), "positions": pos_list(nc)})
    return grids, free


def grid44():
    return nest.Create(M, positions=nest.spatial.grid([4, 4]))


def circ(r):
    return {"circular": {"radius": r}}


def circ_mask(r):
    return nest.CreateMask("circular", {"radius": r})


def case_errors():
    nest.ResetKernel()
    c = nest.Create
    g, fr = nest.spatial.grid, nest.spatial.free
    return {
        "one_free_node_no_extent": err(lambda: c(M, positions=fr([[1.0, 1.0]]))),
        "outside_extent": err(lambda: c(M, positions=fr([[0.0, 0.0], [5.0, 0.0]], extent=[2.0, 2.0]))),
        "parameter_no_dims": err(lambda: c(M, positions=fr(nest.random.uniform()))),
        "n_with_list": err(lambda: c(M, 4, positions=fr([[0.0, 0.0], [5.0, 0.0]]))),
        "n_with_grid": err(lambda: c(M, 4, positions=g([2, 2]))),
        "grid_4d": err(lambda: c(M, positions=g([2, 2, 2, 2]))),
        "grid_extent_dims": err(lambda: c(M, positions=g([2, 2], extent=[1.0, 1.0, 1.0]))),
        "not_positions": err(lambda: c(M, positions=[1, 2])),
        "distance_size": err(
            lambda: nest.Distance(nest.Create(M, positions=g([2, 2])), nest.Create(M, positions=g([3, 1])))
        ),
        "distance_not_spatial": err(lambda: nest.Distance(nest.Create(M, 2), nest.Create(M, 2))),
        "mask_unknown": err(lambda: nest.CreateMask("hexagonal", {"radius": 1.0})),
        "join_layers": err(lambda: nest.Create(M, positions=g([2, 2])) + nest.Create(M, positions=g([2, 2]))),
        "connect_mask_not_spatial": err(
            lambda: nest.Connect(
                nest.Create(M, 2), nest.Create(M, 2), {"rule": "pairwise_bernoulli", "p": 1.0, "mask": {"circular": {"radius": 1.0}}}
            )
        ),
        "distance_in_create": err(lambda: nest.Create(M, 3, {"V_m": nest.spatial.distance})),
        "indeg_few": err(lambda: nest.Connect(grid44(), grid44(), {"rule": "fixed_indegree", "indegree": 5,
                                                               "allow_multapses": False, "mask": circ(0.2)})),
        "mask3d_on_2d": err(lambda: nest.Connect(grid44(), grid44(), {"rule": "pairwise_bernoulli", "p": 1.0,
                                                                      "mask": {"spherical": {"radius": 0.2}}})),
        "circ_neg": err(lambda: nest.CreateMask("circular", {"radius": -1.0})),
        "rect_bad": err(lambda: nest.CreateMask("rectangular", {"lower_left": [0.0, 0.0], "upper_right": [-1.0, 1.0]})),
        "doughnut_bad": err(lambda: nest.CreateMask("doughnut", {"inner_radius": 0.5, "outer_radius": 0.2})),
        "ellipse_bad": err(lambda: nest.CreateMask("elliptical", {"major_axis": 0.5, "minor_axis": 1.0})),
        "mask_extra_key": err(lambda: nest.CreateMask("circular", {"radius": 1.0, "foo": 2})),
        "indeg_uos": err(lambda: nest.Connect(grid44(), grid44(), {"rule": "fixed_indegree", "indegree": 2,
                                                                   "use_on_source": True, "mask": circ(0.5)})),
        "layer_to_nonlayer_dist": err(lambda: nest.Connect(grid44(), nest.Create(M, 3), {"rule": "pairwise_bernoulli",
                                                           "p": 1.0}, {"weight": nest.spatial.distance})),
        "set_distance": err(lambda: grid44().set(V_m=nest.spatial.distance)),
        "set_pos_z_2d": err(lambda: grid44().set(V_m=nest.spatial.pos.z)),
        "one_to_one_dist": err(lambda: nest.Connect(grid44(), grid44(), "one_to_one", {"weight": nest.spatial.distance})),
        "fixed_total_mask": err(lambda: nest.Connect(grid44(), grid44(), {"rule": "fixed_total_number", "N": 3,
                                                                          "mask": circ(0.5)})),
        "grid_shape_float": err(lambda: c(M, positions=g([3.0, 2.0]))),
        "dist_from_tuple": err(lambda: nest.Distance((0.1, 0.2), grid44()[:2])),
        "select_3d_anchor2d": err(lambda: nest.SelectNodesByMask(c(M, positions=g([3, 3, 3])), [0.0, 0.0],
                                                                 nest.CreateMask("spherical", {"radius": 0.3}))),
        "mask_and_grid": err(lambda: nest.CreateMask("grid", {"shape": [2, 2]}) & circ_mask(0.3)),
        "getpos_nonlayer": err(lambda: nest.GetPosition(nest.Create(M, 2))),
        "all_to_all_mask": err(
            lambda: nest.Connect(
                nest.Create(M, positions=g([2, 2])), nest.Create(M, positions=g([2, 2])),
                {"rule": "all_to_all", "mask": {"circular": {"radius": 1.0}}},
            )
        ),
    }  # fmt: skip


def grid_distances(l5):
    """Distance and Displacement calls on a 5x5 grid layer ``l5``."""
    return {
        "dist_0_all": nest.Distance(l5[0], l5),
        "disp_0_all": nest.Displacement(l5[0], l5),
        "disp_all_3": nest.Displacement(l5, l5[3]),
        "dist_pairs": nest.Distance(l5[:5], l5[10:15]),
        "disp_pairs": nest.Displacement(l5[:5], l5[10:15]),
        "dist_pos": nest.Distance([[0.45, 0.45]], l5),
        "disp_pos": nest.Displacement([[0.45, 0.45]], l5),
        "disp_pos_np": nest.Displacement(np.array([0.45, -0.3]), l5[:4]),
        "disp_pos_pairs": nest.Displacement([[0.45, 0.45], [0.0, 0.1], [-0.3, 0.2]], l5[2:5]),
    }


def case_distances():
    out = {}
    for wrap in (False, True):
        nest.ResetKernel()
        l5 = nest.Create(M, positions=nest.spatial.grid(shape=[5, 5], extent=[1.0, 1.0], edge_wrap=wrap))
        out[f"grid_wrap{wrap}"] = grid_distances(l5)
    nest.ResetKernel()
    f3 = nest.Create(
        M,
        positions=nest.spatial.free(
            [[0.0, 0.0, 0.0], [0.9, -0.8, 0.4], [-0.7, 0.6, -0.45], [0.2, 0.3, 0.1]],
            extent=[2.0, 2.0, 1.0],
            edge_wrap=True,
        ),
    )
    out["free3d_wrap"] = {
        "dist": nest.Distance(f3[0], f3),
        "disp": nest.Displacement(f3[1], f3),
        "dist_pos": nest.Distance([[0.95, 0.95, 0.45]], f3),
        "disp_pos": nest.Displacement([[0.95, 0.95, 0.45]], f3),
    }
    nest.ResetKernel()
    a = nest.Create(M, positions=nest.spatial.free([[0.0, 0.0], [0.2, 0.1]], extent=[2.0, 2.0]))
    b = nest.Create(M, positions=nest.spatial.free([[0.3, 0.0], [-0.3, 0.1], [0.0, 0.4]], extent=[2.0, 2.0]))
    out["two_layers"] = {"dist": nest.Distance(a, b[:2]), "disp": nest.Displacement(a, b[:2]),
                         "disp_1": nest.Displacement(a[0], b), "disp_b": nest.Displacement(b, a[1])}  # fmt: skip
    return out


def case_center_nearest():
    center, nearest = [], []
    layers = [
        ("grid", {"shape": [5, 5]}),
        ("grid", {"shape": [4, 4]}),
        ("grid", {"shape": [4, 3], "center": [1.0, 2.0], "extent": [2.0, 3.0]}),
        ("grid", {"shape": [3, 3, 3]}),
        ("free", {"pos": [[0.1, 0.2], [0.3, -0.4], [0.5, 0.5], [0.31, 0.04]]}),
    ]
    for kind, spec in layers:
        nest.ResetKernel()
        nc = nest.Create(M, positions=getattr(nest.spatial, kind)(**spec))
        center.append({"kind": kind, "spec": spec, "id": nest.FindCenterElement(nc).global_id})
    nest.ResetKernel()
    lay = nest.Create(M, positions=nest.spatial.grid(shape=[4, 4]))
    for loc, find_all in [([0.0, 0.0], False), ([0.0, 0.0], True), ([[0.3, 0.3], [-0.4, 0.1]], False),
                          ([[0.3, 0.3], [-0.125, 0.1]], True), ([0.125, 0.125], True)]:  # fmt: skip
        r = nest.FindNearestElement(lay, loc, find_all)
        if isinstance(r, list):
            r = [[x.global_id for x in item] if isinstance(item, list) else item.global_id for item in r]
        else:
            r = r.global_id
        nearest.append({"loc": loc, "find_all": find_all, "result": r})
    return center, nearest


MASKS2 = [
    ("circular", {"radius": 0.5}, None),
    ("circular", {"radius": 0.3}, [0.2, -0.1]),
    ("rectangular", {"lower_left": [-0.3, -0.2], "upper_right": [0.4, 0.5]}, None),
    ("rectangular", {"lower_left": [-0.3, -0.2], "upper_right": [0.4, 0.5], "azimuth_angle": 30.0}, None),
    ("rectangular", {"lower_left": [-0.3, -0.2], "upper_right": [0.4, 0.5]}, [0.1, 0.1]),
    ("doughnut", {"inner_radius": 0.2, "outer_radius": 0.5}, None),
    ("elliptical", {"major_axis": 1.0, "minor_axis": 0.5}, None),
    ("elliptical", {"major_axis": 1.2, "minor_axis": 0.4, "azimuth_angle": 45.0, "anchor": [0.1, 0.2]}, None),
]
MASKS3 = [
    ("spherical", {"radius": 0.5}, None),
    ("box", {"lower_left": [-0.3, -0.2, -0.1], "upper_right": [0.4, 0.5, 0.25]}, None),
    (
        "box",
        {"lower_left": [-0.3, -0.2, -0.1], "upper_right": [0.4, 0.5, 0.25], "azimuth_angle": 30.0, "polar_angle": 20.0},
        None,
    ),  # fmt: skip
    ("ellipsoidal", {"major_axis": 1.0, "minor_axis": 0.6, "polar_axis": 0.4}, None),
    (
        "ellipsoidal",
        {"major_axis": 1.0, "minor_axis": 0.6, "polar_axis": 0.4, "azimuth_angle": 30.0, "polar_angle": 45.0},
        None,
    ),  # fmt: skip
]


def case_inside():
    lattice2 = [
        [x, y] for x in np.round(np.arange(-0.6, 0.61, 0.1), 10) for y in np.round(np.arange(-0.6, 0.61, 0.1), 10)
    ]
    rng = np.random.default_rng(7)
    random2 = rng.uniform(-0.7, 0.7, (300, 2)).tolist()
    lattice3 = [[x, y, z] for x in np.round(np.arange(-0.6, 0.61, 0.15), 10) for y in np.round(np.arange(-0.6, 0.61, 0.15), 10)
                for z in np.round(np.arange(-0.45, 0.46, 0.15), 10)]  # fmt: skip
    random3 = rng.uniform(-0.7, 0.7, (400, 3)).tolist()
    out = {"points2": lattice2 + random2, "points3": lattice3 + random3, "masks": []}

    def mk(t, s, a):
        return nest.CreateMask(t, s) if a is None else nest.CreateMask(t, s, a)

    for masks, pts in ((MASKS2, out["points2"]), (MASKS3, out["points3"])):
        for t, s, a in masks:
            m = mk(t, s, a)
            out["masks"].append({"type": t, "spec": s, "anchor": a, "inside": [bool(m.Inside(p)) for p in pts]})
    c1 = mk("circular", {"radius": 0.4}, None)
    r1 = mk("rectangular", {"lower_left": [0.0, -0.5], "upper_right": [0.5, 0.5]}, None)
    d1 = mk("doughnut", {"inner_radius": 0.1, "outer_radius": 0.3}, [0.2, 0.0])
    out["combos"] = {
        "and": [bool((c1 & r1).Inside(p)) for p in out["points2"]],
        "or": [bool((c1 | r1).Inside(p)) for p in out["points2"]],
        "minus": [bool((c1 - r1).Inside(p)) for p in out["points2"]],
        "nested": [bool(((c1 | r1) - d1).Inside(p)) for p in out["points2"]],
    }
    return out


def case_select():
    out = []
    nest.ResetKernel()
    lay = nest.Create(M, positions=nest.spatial.grid(shape=[7, 7], extent=[1.4, 1.4]))
    for t, s, a in MASKS2:
        for anchor in ([0.0, 0.0], [0.3, -0.2]):
            m = nest.CreateMask(t, s) if a is None else nest.CreateMask(t, s, a)
            out.append({"type": t, "spec": s, "anchor_mask": a, "anchor": anchor,
                        "ids": nest.SelectNodesByMask(lay, anchor, m).tolist()})  # fmt: skip
    nest.ResetKernel()
    l3 = nest.Create(M, positions=nest.spatial.grid(shape=[5, 5, 5]))
    for t, s, a in MASKS3:
        m = nest.CreateMask(t, s)
        out.append({"type": t, "spec": s, "anchor_mask": a, "anchor": [0.0, 0.1, 0.0], "three_d": True,
                    "ids": nest.SelectNodesByMask(l3, [0.0, 0.1, 0.0], m).tolist()})  # fmt: skip
    return out


CONNECT_CASES = [
    {"mask": {"circular": {"radius": 0.3}}},
    {"mask": {"rectangular": {"lower_left": [0.0, -0.2], "upper_right": [0.45, 0.1]}}},
    {"mask": {"rectangular": {"lower_left": [0.0, -0.2], "upper_right": [0.45, 0.1]}}, "use_on_source": True},
    {"mask": {"rectangular": {"lower_left": [0.0, -0.2], "upper_right": [0.45, 0.1]}}, "wrap": True},
    {"mask": {"doughnut": {"inner_radius": 0.1, "outer_radius": 0.3}}, "wrap": True},
    {"mask": {"elliptical": {"major_axis": 0.8, "minor_axis": 0.3, "azimuth_angle": 30.0}}},
    {"mask": {"circular": {"radius": 0.25}, "anchor": [0.2, 0.0]}},
    {"mask": {"circular": {"radius": 0.25}, "anchor": [0.2, 0.0]}, "use_on_source": True},
    {"mask": {"circular": {"radius": 0.3}}, "same": True, "allow_autapses": False},
    {"mask": {"circular": {"radius": 0.3}}, "same": True, "allow_autapses": True, "wrap": True},
    {"mask": {"grid": {"shape": [3, 2]}}, "grid_src": True},
    {"mask": {"grid": {"shape": [3, 2]}, "anchor": [1, 1]}, "grid_src": True},
    {"mask": {"grid": {"shape": [3, 2]}, "anchor": [1, 0]}, "grid_src": True, "wrap": True},
    {"p": 1.0},
]


def _connect_layers(case):
    wrap = case.get("wrap", False)
    tgt = nest.Create(M, positions=nest.spatial.grid(shape=[5, 5], extent=[1.0, 1.0], edge_wrap=wrap))
    if case.get("same"):
        src = tgt
    elif case.get("grid_src"):
        src = nest.Create(M, positions=nest.spatial.grid(shape=[5, 5], extent=[1.0, 1.0], edge_wrap=wrap))
    else:
        src = nest.Create(M, positions=nest.spatial.free([[0.0, 0.0], [0.2, 0.1], [-0.4, 0.35], [0.45, -0.45]],
                                                         extent=[1.0, 1.0], edge_wrap=wrap))  # fmt: skip
    return src, tgt


def case_connect():
    out = []
    for case in CONNECT_CASES:
        nest.ResetKernel()
        src, tgt = _connect_layers(case)
        spec = {"rule": "pairwise_bernoulli", "p": case.get("p", 1.0)}
        for key in ("mask", "use_on_source", "allow_autapses"):
            if key in case:
                spec[key] = case[key]
        e = err(lambda src=src, tgt=tgt, spec=spec: nest.Connect(src, tgt, spec))
        c = nest.GetConnections()
        out.append({"case": case, "error": e, "source": list(c.get("source")) if len(c) else [],
                    "target": list(c.get("target")) if len(c) else []})  # fmt: skip
    return out


BIG_MASKS = [
    {"circular": {"radius": 0.1}},
    {"rectangular": {"lower_left": [-0.05, -0.12], "upper_right": [0.1, 0.04], "azimuth_angle": 25.0}},
    {"doughnut": {"inner_radius": 0.04, "outer_radius": 0.11}},
    {"elliptical": {"major_axis": 0.3, "minor_axis": 0.1, "azimuth_angle": 60.0, "anchor": [0.02, -0.03]},
     "anchor": [0.05, 0.0]},
    {"spherical": {"radius": 0.15}, "three_d": True},
    {"box": {"lower_left": [-0.1, -0.05, -0.12], "upper_right": [0.08, 0.1, 0.05]}, "three_d": True},
]  # fmt: skip


def big_layers(three_d, wrap):
    """400 sources at fixed pseudo-random positions and a 30x30 (or 10x10x10) target grid."""
    rng = np.random.default_rng(11)
    dims = 3 if three_d else 2
    src_pos = rng.uniform(-0.5, 0.5, (400, dims)).tolist()
    src = nest.Create(M, positions=nest.spatial.free(src_pos, extent=[1.0] * dims, edge_wrap=wrap))
    shape = [10, 10, 10] if three_d else [30, 30]
    tgt = nest.Create(M, positions=nest.spatial.grid(shape=shape, extent=[1.0] * dims, edge_wrap=wrap))
    return src, tgt


def case_connect_big():
    """Per-source connection counts of masks on larger layers (p=1; no position ties)."""
    out = []
    for mask in BIG_MASKS:
        for wrap in (False, True):
            for use_on_source in (False, True):
                nest.ResetKernel()
                spec = dict(mask)
                three_d = spec.pop("three_d", False)
                src, tgt = big_layers(three_d, wrap)
                nest.Connect(src, tgt, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": spec,
                                        "use_on_source": use_on_source})  # fmt: skip
                s = np.asarray(nest.GetConnections().get("source")) - src[0].global_id
                t = np.asarray(nest.GetConnections().get("target")) - tgt[0].global_id
                out.append({"mask": spec, "three_d": three_d, "wrap": wrap, "use_on_source": use_on_source,
                            "per_source": np.bincount(s, minlength=len(src)).tolist(),
                            "per_target": np.bincount(t, minlength=len(tgt)).tolist()})  # fmt: skip
    return out


WRAP_MASKS = [
    ({"circular": {"radius": 0.49}}, {}),
    ({"circular": {"radius": 0.51}}, {}),
    ({"rectangular": {"lower_left": [-0.31, -0.1], "upper_right": [0.62, 0.1]}}, {}),
    ({"rectangular": {"lower_left": [-0.3, -0.1], "upper_right": [0.71, 0.1]}}, {}),
    ({"rectangular": {"lower_left": [0.01, -0.1], "upper_right": [0.83, 0.1]}}, {"allow_oversized_mask": True}),
    ({"circular": {"radius": 0.71}}, {"allow_oversized_mask": True}),
    ({"circular": {"radius": 0.29}, "anchor": [0.31, 0.0]}, {}),
    ({"circular": {"radius": 0.49}, "anchor": [0.31, 0.0]}, {}),
    ({"circular": {"radius": 0.49}, "anchor": [0.31, 0.0]}, {"use_on_source": True}),
]


def case_connect_wrap():
    """Masks reaching past half a periodic layer: every image inside counts (duplicates)."""
    out = []
    for mask, extra in WRAP_MASKS:
        nest.ResetKernel()
        tgt = nest.Create(M, positions=nest.spatial.grid(shape=[5, 5], extent=[1.0, 1.0], edge_wrap=True))
        src = nest.Create(
            M, positions=nest.spatial.free([[0.0, 0.0], [0.13, -0.07]], extent=[1.0, 1.0], edge_wrap=True)
        )
        spec = dict({"rule": "pairwise_bernoulli", "p": 1.0, "mask": mask}, **extra)
        e = err(lambda src=src, tgt=tgt, spec=spec: nest.Connect(src, tgt, spec))
        c = nest.GetConnections()
        pairs = sorted(zip(c.get("source"), c.get("target"))) if len(c) > 1 else []
        out.append({"mask": mask, "extra": extra, "error": e, "pairs": pairs})
    return out


GRID_MASK_CASES = [  # (driver-side shape, pool-side shape, edge_wrap, anchor, use_on_source)
    ([8, 8], [4, 4], False, None, False),
    ([8, 8], [4, 4], True, [1, 2], False),
    ([5, 3], [5, 3], False, None, True),
    ([4, 4], [8, 8], False, [0, 1], True),
]


def case_connect_grid():
    """Grid masks between grids of different shapes (the pool no finer than the driver grid)."""
    out = []
    for src_shape, tgt_shape, wrap, anchor, uos in GRID_MASK_CASES:
        nest.ResetKernel()
        a = nest.Create(M, positions=nest.spatial.grid(src_shape, edge_wrap=wrap))
        b = nest.Create(M, positions=nest.spatial.grid(tgt_shape, edge_wrap=wrap))
        mask = {"grid": {"shape": [2, 3]}}
        if anchor:
            mask["anchor"] = anchor
        nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": mask, "use_on_source": uos})
        c = nest.GetConnections()
        out.append({"case": [src_shape, tgt_shape, wrap, anchor, uos], "mask": mask,
                    "pairs": sorted(zip(c.get("source"), c.get("target")))})  # fmt: skip
    return out


TIE_MASKS = [
    *({"circular": {"radius": r}} for r in (0.1, 0.2, 0.3, 0.5)),
    {"rectangular": {"lower_left": [-0.2, -0.1], "upper_right": [0.2, 0.3]}},
    {"doughnut": {"inner_radius": 0.1, "outer_radius": 0.3}},
    {"circular": {"radius": 0.2}, "anchor": [0.1, 0.0]},
    {"circular": {"radius": 0.2}, "anchor": [0.3, -0.2]},
    {"rectangular": {"lower_left": [0.0, 0.0], "upper_right": [0.3, 0.2]}, "anchor": [-0.1, 0.1]},
    {"elliptical": {"major_axis": 0.6, "minor_axis": 0.2}},
]
TIE_LAYERS = [(1.0, 10), (2.0, 20), (1.1, 11)]


def tie_counts(extent, shape, wrap, use_on_source):
    """Connections of a grid onto itself for masks whose edges pass through grid points."""
    out = []
    for mask in TIE_MASKS:
        nest.ResetKernel()
        lay = nest.Create(M, positions=nest.spatial.grid([shape, shape], extent=[extent, extent], edge_wrap=wrap))
        nest.Connect(lay, lay, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": mask, "use_on_source": use_on_source})
        out.append(nest.num_connections)
    return out


def case_ties():
    return [{"extent": e, "shape": n, "wrap": w, "use_on_source": u, "counts": tie_counts(e, n, w, u)}
            for e, n in TIE_LAYERS for w in (False, True) for u in (False, True)]  # fmt: skip


def weight_exprs():
    d, sp, sd = nest.spatial.distance, nest.spatial, nest.spatial_distributions
    return {
        "distance": d,
        "dx_dy_dz": d.x + 10.0 * d.y,
        "source_x": sp.source_pos.x + 2.0 * sp.target_pos.y,
        "target_minus_source": sp.target_pos.x - sp.source_pos.x,
        "gaussian": sd.gaussian(d, std=0.3),
        "gaussian_mean": sd.gaussian(d, mean=0.1, std=0.2),
        "gaussian2D": sd.gaussian2D(d.x, d.y, std_x=0.3, std_y=0.2),
        "gaussian2D_rho": sd.gaussian2D(
            sp.target_pos.x - sp.source_pos.x,
            sp.target_pos.y - sp.source_pos.y,
            mean_x=0.1,
            mean_y=-0.05,
            std_x=0.3,
            std_y=0.2,
            rho=0.5,
        ),  # fmt: skip
        "exponential": sd.exponential(d, beta=0.4),
        "gamma": sd.gamma(d, kappa=2.0, theta=0.3),
        "gabor": sd.gabor(
            sp.target_pos.x - sp.source_pos.x,
            sp.target_pos.y - sp.source_pos.y,
            theta=30.0,
            gamma=0.7,
            std=0.4,
            lam=0.5,
            psi=20.0,
        ),  # fmt: skip
        "math": nest.math.exp(-d / 0.5) * 2.0 + nest.math.cos(d.x) - nest.math.min(d.y, 0.2),
        "conditional": nest.logic.conditional(d < 0.3, 5.0, -1.0),
    }


def case_weights():
    out = {}
    for wrap in (False, True):
        for name, expr in weight_exprs().items():
            nest.ResetKernel()
            src = nest.Create(M, positions=nest.spatial.free([[0.0, 0.0], [0.2, 0.1], [-0.4, 0.35]], extent=[1.0, 1.0],
                                                             edge_wrap=wrap))  # fmt: skip
            tgt = nest.Create(M, positions=nest.spatial.grid(shape=[4, 3], extent=[1.0, 1.0], edge_wrap=wrap))
            nest.Connect(
                src,
                tgt,
                {"rule": "pairwise_bernoulli", "p": 1.0},
                {"weight": expr, "delay": 1.0 + 3.0 * nest.spatial.distance},
            )
            c = nest.GetConnections()
            out[f"{name}_wrap{wrap}"] = {k: list(c.get(k)) for k in ("source", "target", "weight", "delay")}
    # all_to_all with a distance weight
    nest.ResetKernel()
    src = nest.Create(M, positions=nest.spatial.grid(shape=[2, 2]))
    tgt = nest.Create(M, positions=nest.spatial.grid(shape=[3, 1]))
    e = err(lambda: nest.Connect(src, tgt, "all_to_all", {"weight": nest.spatial.distance}))
    c = nest.GetConnections()
    out["all_to_all"] = (
        {"error": e, **{k: list(c.get(k)) for k in ("source", "target", "weight")}} if len(c) else {"error": e}
    )
    # 3-D
    nest.ResetKernel()
    src = nest.Create(M, positions=nest.spatial.grid(shape=[2, 2, 2]))
    tgt = nest.Create(M, positions=nest.spatial.free([[0.1, 0.2, 0.3], [-0.2, 0.0, 0.4]], extent=[1.0, 1.0, 1.0]))
    nest.Connect(src, tgt, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": {"spherical": {"radius": 0.6}}},
                 {"weight": nest.spatial.distance.z + nest.spatial.distance})  # fmt: skip
    c = nest.GetConnections()
    out["three_d"] = {k: list(c.get(k)) for k in ("source", "target", "weight")}
    return out


def case_node_params():
    out = {}
    nest.ResetKernel()
    lay = nest.Create(M, positions=nest.spatial.grid(shape=[3, 2], center=[0.5, 0.1], extent=[2.0, 1.0]))
    lay.set(V_m=-70.0 + 10.0 * nest.spatial.pos.x, I_e=nest.spatial.pos.y * 100.0)
    out["set"] = {"V_m": list(lay.get("V_m")), "I_e": list(lay.get("I_e"))}
    nest.ResetKernel()
    e = err(
        lambda: nest.Create(M, positions=nest.spatial.grid(shape=[3, 2]), params={"V_m": -70.0 + nest.spatial.pos.x})
    )
    out["create_params_error"] = e
    if e is None:
        nest.ResetKernel()
        lay = nest.Create(M, positions=nest.spatial.grid(shape=[3, 2]), params={"V_m": -70.0 + nest.spatial.pos.x})
        out["create_params"] = list(lay.get("V_m"))
    nest.ResetKernel()
    lay = nest.Create(M, positions=nest.spatial.free([[0.0, 0.0], [0.2, 0.1]], extent=[2.0, 2.0]))
    out["apply_distance"] = list(nest.spatial.distance.apply(lay[0], [[0.3, 0.4], [1.0, 1.0]]))
    out["apply_x"] = list(nest.spatial.distance.x.apply(lay[0], [[0.3, 0.4], [-1.0, 1.0]]))
    out["apply_pos_x"] = list(nest.spatial.pos.x.apply(lay))
    out["apply_gauss"] = list(
        nest.spatial_distributions.gaussian(nest.spatial.distance, std=0.5).apply(lay[1], [[0.3, 0.4], [-0.5, 0.2]])
    )
    out["apply_z_error"] = err(lambda: nest.spatial.distance.z.apply(lay[0], [[0.3, 0.4]]))
    nest.ResetKernel()
    lay = grid44()
    nest.Connect(lay, lay, {"rule": "pairwise_bernoulli", "mask": circ(0.3)})
    out["mask_without_p"] = nest.num_connections
    nest.ResetKernel()
    out["free_wrap_no_extent"] = spatial_dict(
        nest.Create(M, positions=nest.spatial.free([[0.0, 0.0], [0.5, 0.2]], edge_wrap=True))
    )
    nest.ResetKernel()
    lay = grid44()
    out["reprs"] = [repr(lay), repr(lay[::2]), repr(lay[3]), repr(lay[2:5]), repr(nest.FindCenterElement(lay))]
    out["is_spatial"] = [nest.spatial.distance.is_spatial(), (2.0 * nest.spatial.distance).is_spatial(),
                         nest.random.uniform().is_spatial()]  # fmt: skip
    return out


def case_endpoints():
    nest.ResetKernel()
    src = nest.Create(M, positions=nest.spatial.grid(shape=[3, 3]))
    tgt = nest.Create(M, positions=nest.spatial.grid(shape=[4, 4]))
    nest.Connect(src, tgt, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": {"circular": {"radius": 0.3}}},
                 {"weight": 2.5, "delay": 1.5})  # fmt: skip
    out = {
        "targets": [x.tolist() for x in nest.GetTargetNodes(src[:3], tgt)],
        "sources": [x.tolist() for x in nest.GetSourceNodes(src, tgt[4:7])],
        "target_positions": [[list(p) for p in x] for x in nest.GetTargetPositions(src[:3], tgt)],
        "source_positions": [[list(p) for p in x] for x in nest.GetSourcePositions(src, tgt[4:7])],
    }
    with tempfile.TemporaryDirectory() as d:
        nest.DumpLayerNodes(src, os.path.join(d, "nodes.txt"))
        nest.DumpLayerConnections(src, tgt, "static_synapse", os.path.join(d, "conns.txt"))
        with open(os.path.join(d, "nodes.txt")) as f:
            out["dump_nodes"] = f.read()
        with open(os.path.join(d, "conns.txt")) as f:
            out["dump_conns"] = f.read()
    return out


def _mean_dist(src, tgt):
    c = nest.GetConnections(src, tgt)
    if len(c) == 0:
        return 0, float("nan")
    s = np.asarray(c.get("source")) - src[0].global_id
    t = np.asarray(c.get("target")) - tgt[0].global_id
    ps, pt = np.asarray(nest.GetPosition(src)), np.asarray(nest.GetPosition(tgt))
    ext = np.asarray(tgt.spatial["extent"])
    d = pt[t] - ps[s]
    if tgt.spatial["edge_wrap"]:
        d = d - ext * np.round(d / ext)
    return len(c), float(np.mean(np.sqrt((d**2).sum(1))))


def stats_protocols():
    """(name, function building the network and returning numbers) for the random cases."""
    d, sd = nest.spatial.distance, nest.spatial_distributions

    def grid(shape, wrap=False, extent=(1.0, 1.0)):
        return nest.Create(M, positions=nest.spatial.grid(shape=list(shape), extent=list(extent), edge_wrap=wrap))

    def bern_gauss():
        lay = grid((15, 15), True)
        nest.Connect(
            lay,
            lay,
            {"rule": "pairwise_bernoulli", "p": sd.gaussian(d, std=0.2), "mask": {"circular": {"radius": 0.5}}},
        )
        return _mean_dist(lay, lay)

    def bern_const_rect():
        a, b = grid((10, 10)), grid((12, 12))
        nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": 0.3,
                            "mask": {"rectangular": {"lower_left": [-0.2, -0.1], "upper_right": [0.3, 0.2]}}})  # fmt: skip
        return _mean_dist(a, b)

    def bern_exp_nomask():
        a, b = grid((10, 10)), grid((10, 10))
        nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": 0.8 * sd.exponential(d, beta=0.15)})
        return _mean_dist(a, b)

    def indeg_mask_p():
        a, b = grid((12, 12), True), grid((8, 8), True)
        nest.Connect(a, b, {"rule": "fixed_indegree", "indegree": 10, "p": sd.exponential(d, beta=0.2),
                            "mask": {"circular": {"radius": 0.4}}, "allow_multapses": False})  # fmt: skip
        return _mean_dist(a, b)

    def indeg_mask():
        a, b = grid((12, 12)), grid((8, 8))
        nest.Connect(a, b, {"rule": "fixed_indegree", "indegree": 6, "mask": {"circular": {"radius": 0.3}}})
        return _mean_dist(a, b)

    def outdeg_mask_p():
        a, b = grid((8, 8), True), grid((12, 12), True)
        nest.Connect(a, b, {"rule": "fixed_outdegree", "outdegree": 10, "p": sd.gaussian(d, std=0.2),
                            "mask": {"circular": {"radius": 0.45}}, "allow_multapses": False})  # fmt: skip
        return _mean_dist(a, b)

    def outdeg_nomask_p():
        a, b = grid((8, 8)), grid((12, 12))
        nest.Connect(a, b, {"rule": "fixed_outdegree", "outdegree": 5, "p": sd.gaussian(d, std=0.2)})
        return _mean_dist(a, b)

    def free_random():
        lay = nest.Create(M, 200, positions=nest.spatial.free(nest.random.uniform(-0.5, 0.5), num_dimensions=2))
        p = np.asarray(nest.GetPosition(lay))
        nest.Connect(lay, lay, {"rule": "pairwise_bernoulli", "p": 0.5, "mask": {"circular": {"radius": 0.2}},
                            "allow_autapses": False})  # fmt: skip
        n, md = _mean_dist(lay, lay)
        return n, md, float(p.mean()), float(p.std())

    def free_weights():
        lay = grid((10, 10))
        nest.Connect(lay, lay, {"rule": "pairwise_bernoulli", "p": 0.5, "mask": {"circular": {"radius": 0.25}}},
                     {"weight": nest.random.normal(2.0, 0.5) * sd.gaussian(d, std=0.3)})  # fmt: skip
        w = np.asarray(nest.GetConnections().get("weight"))
        return len(w), float(w.mean())

    return [(f.__name__, f) for f in (bern_gauss, bern_const_rect, bern_exp_nomask, indeg_mask_p, indeg_mask,
                                      outdeg_mask_p, outdeg_nomask_p, free_random, free_weights)]  # fmt: skip


SEEDS = list(range(1, 13))


def case_stats():
    out = {}
    for name, fn in stats_protocols():
        rows = []
        for seed in SEEDS:
            nest.ResetKernel()
            nest.rng_seed = seed
            rows.append(list(fn()))
        out[name] = rows
    return out


def _summary(arr):
    """Small arrays in full; large ones by shape, sums and every 25th row (keeps the file small)."""
    arr = np.asarray(arr, dtype=float)
    if arr.size <= 120:
        return {"full": np.round(arr, 9).tolist()}
    return {"shape": list(arr.shape), "sum": float(arr.sum()), "abs_sum": float(np.abs(arr).sum()),
            "rows": np.round(arr[::25], 9).tolist()}  # fmt: skip


def describe_figure(fig):
    """Axes limits, scatter collections, patches (in data coordinates) and images of a figure."""
    axes = []
    for ax in fig.axes:
        colls = []
        for c in ax.collections:
            if not hasattr(c, "get_sizes"):
                continue  # colour bar outlines
            off = np.asarray(getattr(c, "_offsets3d", None) or c.get_offsets(), dtype=float)
            if hasattr(c, "_offsets3d"):
                off = np.asarray(c._offsets3d, dtype=float).T
            colls.append({
                "offsets": np.round(off, 12).tolist(),
                "sizes": np.asarray(c.get_sizes(), float).tolist(),
                "facecolors": np.round(np.asarray(c.get_facecolors(), float), 6).tolist(),
                "alpha": c.get_alpha(),
                "zorder": c.get_zorder(),
            })  # fmt: skip
        patches = []
        for p in ax.patches:
            trans = p.get_transform() - ax.transData
            verts = trans.transform(p.get_path().vertices)
            patches.append({
                "type": type(p).__name__,
                "verts": _summary(verts),
                "facecolor": np.round(np.asarray(p.get_facecolor(), float), 6).tolist(),
                "edgecolor": np.round(np.asarray(p.get_edgecolor(), float), 6).tolist(),
                "lw": p.get_linewidth(),
                "zorder": p.get_zorder(),
            })  # fmt: skip
        images = [{"data": _summary(np.asarray(im.get_array(), float)), "extent": list(im.get_extent()),
                   "cmap": im.get_cmap().name, "clim": list(im.get_clim())} for im in ax.images]  # fmt: skip
        entry = {"name": ax.name, "xlim": list(ax.get_xlim()), "ylim": list(ax.get_ylim()),
                 "aspect": str(ax.get_aspect()), "xticks": list(ax.get_xticks()) if ax.name != "3d" else None,
                 "collections": colls, "patches": patches, "images": images}  # fmt: skip
        axes.append(entry)
    return axes


def plot_cases():
    """(name, callable drawing a figure and returning it) for the plotting protocol."""
    import matplotlib.pyplot as plt

    def layers():
        a = nest.Create(M, positions=nest.spatial.grid(shape=[5, 4], center=[0.2, -0.1], extent=[2.0, 1.5]))
        b = nest.Create(M, positions=nest.spatial.grid(shape=[6, 6], extent=[1.0, 1.0], edge_wrap=True))
        nest.Connect(a, b, {"rule": "pairwise_bernoulli", "p": 1.0, "mask": {"circular": {"radius": 0.45}}})
        nest.Connect(b, b, {"rule": "pairwise_bernoulli", "p": 1.0,
                            "mask": {"rectangular": {"lower_left": [-0.2, -0.1], "upper_right": [0.3, 0.25]}}})  # fmt: skip
        return a, b

    def plot_layer():
        a, _ = layers()
        return nest.PlotLayer(a, nodecolor="g", nodesize=12)

    def plot_layer_3d():
        c = nest.Create(M, positions=nest.spatial.grid(shape=[2, 3, 2]))
        return nest.PlotLayer(c)

    def plot_layer_into():
        a, _ = layers()
        fig = plt.figure()
        fig.add_subplot(111)
        return nest.PlotLayer(a, fig=fig)

    def plot_targets_mask():
        a, b = layers()
        return nest.PlotTargets(a[7], b, mask={"circular": {"radius": 0.45}},
                                probability_parameter=nest.spatial_distributions.gaussian(nest.spatial.distance, std=0.3))  # fmt: skip

    def plot_targets_rect_wrap():
        _, b = layers()
        return nest.PlotTargets(b[0], b, mask={"rectangular": {"lower_left": [-0.2, -0.1], "upper_right": [0.3, 0.25],
                                                               "azimuth_angle": 20.0}})  # fmt: skip

    def plot_sources():
        a, b = layers()
        return nest.PlotSources(a, b[14], mask={"doughnut": {"inner_radius": 0.1, "outer_radius": 0.45}},
                                src_color="k")  # fmt: skip

    def plot_sources_ellipse():
        _, b = layers()
        return nest.PlotSources(b, b[20], mask={"elliptical": {"major_axis": 0.6, "minor_axis": 0.3,
                                                               "azimuth_angle": 30.0}, "anchor": [0.1, 0.0]})  # fmt: skip

    def plot_probability():
        _, b = layers()
        nest.PlotProbabilityParameter(
            b[3],
            nest.spatial_distributions.exponential(nest.spatial.distance, beta=0.2),
            mask={"circular": {"radius": 0.3}},
            edges=[-0.6, 0.6, -0.5, 0.5],
            shape=[7, 5],
        )

    return [(f.__name__, f) for f in (plot_layer, plot_layer_3d, plot_layer_into, plot_targets_mask,
                                      plot_targets_rect_wrap, plot_sources, plot_sources_ellipse, plot_probability)]  # fmt: skip


def run_plot(fn):
    import matplotlib.pyplot as plt

    plt.close("all")
    nest.ResetKernel()
    fn()
    return describe_figure(plt.gcf())


def case_plots():
    import matplotlib

    matplotlib.use("Agg")
    return {name: run_plot(fn) for name, fn in plot_cases()}


def main():
    grids, free = case_layers()
    center, nearest = case_center_nearest()
    data = {
        "grids": grids,
        "free": free,
        "errors": case_errors(),
        "distances": case_distances(),
        "center": center,
        "nearest": nearest,
        "inside": case_inside(),
        "select": case_select(),
        "connect": case_connect(),
        "connect_big": case_connect_big(),
        "connect_wrap": case_connect_wrap(),
        "connect_grid": case_connect_grid(),
        "ties": case_ties(),
        "weights": case_weights(),
        "node_params": case_node_params(),
        "endpoints": case_endpoints(),
        "stats": case_stats(),
        "plots": case_plots(),
        "seeds": SEEDS,
    }
    _common.write_json("spatial.json", data)


if __name__ == "__main__":
    main()
