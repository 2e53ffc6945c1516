"""Numba kernels of the spatial code: periodic folding and the candidate pairs of a mask.

Both compute the same floats as the NumPy expressions they replace (``np.mod(d + half,
extent) - half`` and ``pool - driver``), so results do not depend on which path ran.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True, inline="always")
def _fold1(x, half, ext):
    # np.mod's remainder (C fmod, moved into [0, ext) when its sign differs from ext's),
    # without calling fmod where the result is known exactly: x, x - ext (exact there) or
    # x + ext, which are the very floats np.mod gives.
    x = x + half
    if 0.0 <= x < ext:
        r = x
    elif ext <= x < 2.0 * ext:
        r = x - ext
    elif -ext < x < 0.0:
        r = x + ext
    else:
        r = np.fmod(x, ext)
        if r != 0.0:
            if r < 0.0:
                r += ext
        else:
            r = 0.0
    return r - half


@njit(cache=True)
def fold(d, half, ext):
    """Displacements ``d`` (``(m, dims)``) folded to the nearest periodic image."""
    out = np.empty_like(d)
    for i in range(d.shape[0]):
        for k in range(d.shape[1]):
            out[i, k] = _fold1(d[i, k], half[k], ext[k])
    return out


@njit(cache=True)
def _cell_of(first, offsets, i, w, nc, stride, wrap):
    flat = 0
    for k in range(first.shape[1]):
        c = first[i, k] + offsets[w, k]
        if wrap:
            c = c % nc[k]
        elif c < 0 or c >= nc[k]:
            return -1
        flat += c * stride[k]
    return flat


@njit(cache=True)
def smallest_per_group(starts, counts, keys, k):
    """For each group (``keys[starts[g]:starts[g] + counts[g]]``), the positions of its ``k``
    smallest keys (groups have at least ``k`` members)."""
    out = np.empty(len(starts) * k, np.int64)
    for g in range(len(starts)):
        s = starts[g]
        order = np.argsort(keys[s : s + counts[g]])
        for j in range(k):
            out[g * k + j] = s + order[j]
    return out


@njit(cache=True)
def cell_images(anchors, ppos, order, first, offsets, nc, stride, counts, starts, wrap, extra, ext, lo, hi):
    """Every (driver, pool node) pair in the cells under each driver's window whose
    ``pool - anchor`` lies in the box ``lo..hi`` (the mask's bounding box, slightly widened),
    with that displacement; in each dimension where ``extra`` is set, also for the anchor one
    extent lower (``pool - (anchor - extent)``, each combination of such dimensions once).
    Rows come grouped by driver."""
    m, n_win, dims = anchors.shape[0], offsets.shape[0], anchors.shape[1]
    bound = 0
    for i in range(m):
        n_img = 1
        for k in range(dims):
            if extra[i, k]:
                n_img *= 2
        for w in range(n_win):
            cell = _cell_of(first, offsets, i, w, nc, stride, wrap)
            if cell >= 0:
                bound += counts[cell] * n_img
    di = np.empty(bound, np.int64)
    pj = np.empty(bound, np.int64)
    disp = np.empty((bound, dims))
    images = np.empty((1 << dims, dims))
    d = np.empty(dims)
    n = 0
    for i in range(m):
        # the driver's anchors: itself and the lower images extra asks for
        n_img = 0
        for combo in range(1 << dims):
            ok = True
            for k in range(dims):
                if (combo >> k) & 1 and not extra[i, k]:
                    ok = False
            if ok:
                for k in range(dims):
                    images[n_img, k] = anchors[i, k] - ext[k] if (combo >> k) & 1 else anchors[i, k]
                n_img += 1
        for w in range(n_win):
            cell = _cell_of(first, offsets, i, w, nc, stride, wrap)
            if cell < 0:
                continue
            for j in range(starts[cell], starts[cell] + counts[cell]):
                p = order[j]
                for q in range(n_img):
                    inside = True
                    for k in range(dims):
                        d[k] = ppos[p, k] - images[q, k]
                        if d[k] < lo[k] or d[k] > hi[k]:
                            inside = False
                    if inside:
                        di[n] = i
                        pj[n] = p
                        for k in range(dims):
                            disp[n, k] = d[k]
                        n += 1
    return di[:n], pj[:n], disp[:n]


@njit(cache=True)
def all_pairs(dpos, ppos, wrap, half, ext, sign):
    """Every (driver, pool node) pair, driver by driver, with ``sign * (pool - driver)``
    folded to the nearest periodic image when ``wrap``."""
    m, n, dims = dpos.shape[0], ppos.shape[0], dpos.shape[1]
    di = np.empty(m * n, np.int64)
    pj = np.empty(m * n, np.int64)
    disp = np.empty((m * n, dims))
    for i in range(m):
        for j in range(n):
            q = i * n + j
            di[q] = i
            pj[q] = j
            for k in range(dims):
                x = (ppos[j, k] - dpos[i, k]) if sign > 0 else (dpos[i, k] - ppos[j, k])
                disp[q, k] = _fold1(x, half[k], ext[k]) if wrap else x
    return di, pj, disp
