"""Figures of layers, of a node's targets or sources, and of connection probabilities.

Each function draws what PyNEST 3.10's draws (the same artists, colours, sizes and limits):
positions as scatter collections, the layer's extent as a thin grey rectangle with a 5 %
margin, masks as translucent patches (repeated at the eight periodic images when the layer
wraps), a probability parameter as an image with a colour bar. pyplot is imported on use,
so importing nest never chooses a matplotlib backend.
"""

from __future__ import annotations

import numpy as np

from ..api.nodes import NodeCollection
from .functions import GetPosition, GetSourcePositions, GetTargetPositions

MASK_EDGE, MASK_ALPHA, MASK_LW = "black", 0.2, 2


def _axes(fig, three_d=False):
    import matplotlib.pyplot as plt

    if fig is None:
        fig = plt.figure()
        ax = fig.add_subplot(111, projection="3d") if three_d else fig.add_subplot(111)
    else:
        ax = fig.gca()
    return fig, ax


def _draw_extent(ax, center, extent):
    import matplotlib.pyplot as plt

    (cx, cy), (ex, ey) = center, extent
    llx, lly = cx - ex / 2.0, cy - ey / 2.0
    urx, ury = llx + ex, lly + ey
    ax.add_patch(plt.Rectangle((llx, lly), ex, ey, fc="none", ec="0.5", lw=1, zorder=1))
    ax.set(aspect="equal", xlim=(llx - 0.05 * ex, urx + 0.05 * ex), ylim=(lly - 0.05 * ey, ury + 0.05 * ey),
           xticks=(), yticks=())  # fmt: skip


def _columns(pos):
    """Positions (one list, or a list of lists) as coordinate columns."""
    arr = np.asarray(pos, dtype=np.float64)
    return arr.reshape(-1, arr.shape[-1]).T


def PlotLayer(layer, fig=None, nodecolor="b", nodesize=20):  # noqa: N802 - PyNEST's name
    """Plot the nodes of a 2-D or 3-D layer; returns the figure.

    Parameters
    ----------
    layer : NodeCollection
        A spatial collection.
    fig : matplotlib.figure.Figure, optional
        Draw into this figure's current axes instead of a new figure.
    nodecolor : color
    nodesize : float
    """
    import matplotlib.pyplot as plt

    if not isinstance(layer, NodeCollection):
        raise TypeError("layer must be a NodeCollection.")
    sp = layer.spatial
    ext = sp["extent"]
    cols = _columns(GetPosition(layer))
    if len(ext) == 2:
        fig, ax = _axes(fig)
        ax.scatter(cols[0], cols[1], s=nodesize, facecolor=nodecolor)
        _draw_extent(ax, sp["center"], ext)
    elif len(ext) == 3:
        fig, ax = _axes(fig, three_d=True)
        ax.scatter(*cols, s=nodesize, c=nodecolor)
        plt.draw_if_interactive()
    else:
        raise ValueError("unexpected dimension of layer")
    return fig


def _plot_partners(center_nrn, layer, partner_pos, fig, mask, probability_parameter, center_color, center_size,
                   partner_color, partner_size, mask_color, probability_cmap, center_facecolor):  # fmt: skip
    import matplotlib.pyplot as plt

    own = np.asarray(GetPosition(center_nrn), dtype=np.float64)
    sp = layer.spatial
    ext = sp["extent"]
    if len(ext) == 2:
        fig, ax = _axes(fig)
        if partner_pos and partner_pos[0]:
            cols = _columns(partner_pos[0])
            ax.scatter(cols[0], cols[1], s=partner_size, facecolor=partner_color)
        ax.scatter(own[:1], own[1:], s=center_size, facecolor=center_facecolor, alpha=0.4, zorder=-10)
        if mask is not None or probability_parameter is not None:
            (cx, cy), (ex, ey) = sp["center"], ext
            PlotProbabilityParameter(center_nrn, probability_parameter, mask=mask,
                                     edges=[cx - ex, cx + ex, cy - ey, cy + ey], ax=ax, prob_cmap=probability_cmap,
                                     mask_color=mask_color)  # fmt: skip
        _draw_extent(ax, sp["center"], ext)
    else:
        fig, ax = _axes(fig, three_d=True)
        if partner_pos and partner_pos[0]:
            ax.scatter3D(*_columns(partner_pos[0]), s=partner_size, facecolor=partner_color)
        ax.scatter3D(own[:1], own[1:2], own[2:], s=center_size, facecolor=center_color, alpha=0.4, zorder=-10)
    plt.draw_if_interactive()
    return fig


def PlotTargets(src_nrn, tgt_layer, syn_type=None, fig=None, mask=None, probability_parameter=None,  # noqa: N802
                src_color="red", src_size=50, tgt_color="blue", tgt_size=20, mask_color="yellow",
                probability_cmap="Greens"):  # fmt: skip
    """Plot the targets of one source node in ``tgt_layer`` (and optionally the mask and the
    probability parameter around it); returns the figure."""
    if not isinstance(src_nrn, NodeCollection) or len(src_nrn) != 1:
        raise TypeError("src_nrn must be a single element NodeCollection.")
    if not isinstance(tgt_layer, NodeCollection):
        raise TypeError("tgt_layer must be a NodeCollection.")
    pos = GetTargetPositions(src_nrn, tgt_layer, syn_type)
    return _plot_partners(src_nrn, tgt_layer, pos, fig, mask, probability_parameter, src_color, src_size, tgt_color,
                          tgt_size, mask_color, probability_cmap, src_color)  # fmt: skip


def PlotSources(src_layer, tgt_nrn, syn_type=None, fig=None, mask=None, probability_parameter=None,  # noqa: N802
                tgt_color="red", tgt_size=50, src_color="blue", src_size=20, mask_color="yellow",
                probability_cmap="Greens"):  # fmt: skip
    """Plot the sources of one target node in ``src_layer``; returns the figure.

    As PyNEST 3.10 does, the target itself is drawn in ``src_color`` in 2-D.
    """
    if not isinstance(tgt_nrn, NodeCollection) or len(tgt_nrn) != 1:
        raise TypeError("tgt_nrn must be a single element NodeCollection.")
    if not isinstance(src_layer, NodeCollection):
        raise TypeError("src_layer must be a NodeCollection.")
    pos = GetSourcePositions(src_layer, tgt_nrn, syn_type)
    return _plot_partners(tgt_nrn, src_layer, pos, fig, mask, probability_parameter, tgt_color, tgt_size, src_color,
                          src_size, mask_color, probability_cmap, src_color)  # fmt: skip


def _images(pos, extent, periodic):
    """``pos`` and, for a periodic layer, its eight neighbouring images."""
    out = [np.asarray(pos, dtype=np.float64)]
    if periodic:
        ex, ey = extent[0], extent[1]
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1), (1, -1), (-1, 1), (1, 1), (-1, -1)):
            out.append(out[0] + np.array([dx * ex, dy * ey]))
    return out


def _doughnut_patch(pos, r_a, r_b, fc):
    import matplotlib.patches as mpatches
    import matplotlib.path as mpath

    t = np.arange(0, np.pi * 2.0, 0.01)[:, None]

    def ring(r):
        return np.hstack((r * np.cos(t), r * np.sin(t)))

    first, second = ring(r_a)[::-1], ring(r_b)
    codes = np.full(len(t), mpath.Path.LINETO, dtype=mpath.Path.code_type)
    codes[0] = mpath.Path.MOVETO
    path = mpath.Path(np.concatenate([first, second]) + pos, np.concatenate([codes, codes]))
    return mpatches.PathPatch(path, fc=fc, ec=MASK_EDGE, alpha=MASK_ALPHA, lw=MASK_LW)


def _mask_patches(mask, periodic, extent, source_pos, face_color):
    """Patches for a mask dictionary placed at ``source_pos`` (circular, doughnut, rectangular, elliptical)."""
    import matplotlib as mpl
    import matplotlib.pyplot as plt

    offs = np.asarray(mask.get("anchor", [0.0, 0.0]), dtype=np.float64)
    style = {"fc": face_color, "ec": MASK_EDGE, "alpha": MASK_ALPHA, "lw": MASK_LW}
    patches = []
    if "circular" in mask:
        r = mask["circular"]["radius"]
        for p in _images(source_pos + offs, extent, periodic):
            patches.append(plt.Circle(p, radius=r, **style))
    elif "doughnut" in mask:
        spec = mask["doughnut"]
        for p in _images(source_pos + offs, extent, periodic):
            # PyNEST passes the radii in this order too; the path looks the same
            patches.append(_doughnut_patch(p, spec["inner_radius"], spec["outer_radius"], face_color))
    elif "rectangular" in mask:
        spec = mask["rectangular"]
        ll, ur = np.asarray(spec["lower_left"], float), np.asarray(spec["upper_right"], float)
        width, height = ur[0] - ll[0], ur[1] - ll[1]
        angle = spec.get("azimuth_angle", 0.0)
        for p in _images(source_pos + ll + offs, extent, periodic):
            patch = plt.Rectangle(p, width, height, **style)
            turn = mpl.transforms.Affine2D().rotate_deg_around(p[0] + width / 2, p[1] + height / 2, angle)
            patch.set_transform(turn + plt.gca().transData)
            patches.append(patch)
    elif "elliptical" in mask:
        spec = mask["elliptical"]
        centre = source_pos + offs + np.asarray(spec.get("anchor", [0.0, 0.0]), float)
        for p in _images(centre, extent, periodic):
            patches.append(mpl.patches.Ellipse(p, spec["major_axis"], spec["minor_axis"],
                                               angle=spec.get("azimuth_angle", 0.0), **style))  # fmt: skip
    else:
        raise ValueError("Mask type cannot be plotted with this version of PyNEST.")
    return patches


def PlotProbabilityParameter(source, parameter=None, mask=None, edges=(-0.5, 0.5, -0.5, 0.5),  # noqa: N802
                             shape=(100, 100), ax=None, prob_cmap="Greens", mask_color="yellow"):  # fmt: skip
    """Image of ``parameter`` (clipped to [0, 1]) from ``source`` over ``edges``
    ``[x_min, x_max, y_min, y_max]`` on a ``shape`` lattice, and/or the ``mask`` around it."""
    import matplotlib.pyplot as plt

    if parameter is None and mask is None:
        raise ValueError("At least one of parameter or mask must be specified")
    edges = list(edges)
    if ax is None:
        _, ax = plt.subplots()
    ax.set_xlim(*edges[:2])
    ax.set_ylim(*edges[2:])
    if parameter is not None:
        from .params import _evaluate_to_points

        xs = np.linspace(edges[0], edges[1], shape[0])
        ys = np.linspace(edges[2], edges[3], shape[1])
        # every lattice point at once: x slow, y fast, as columns of the image
        pts = np.column_stack([np.repeat(xs, len(ys)), np.tile(ys, len(xs))])
        z = _evaluate_to_points(parameter, source, pts).reshape(len(xs), len(ys)).T
        img = ax.imshow(np.clip(z, 0.0, 1.0), extent=edges, origin="lower", cmap=prob_cmap, vmin=0.0, vmax=1.0)
        plt.colorbar(img, ax=ax, fraction=0.046, pad=0.04)
    if mask is not None:
        sp = source.spatial
        if not isinstance(mask, dict):
            raise ValueError("Mask type cannot be plotted with this version of PyNEST.")
        pos = np.asarray(GetPosition(source), dtype=np.float64)
        for patch in _mask_patches(mask, sp["edge_wrap"], sp["extent"], pos, mask_color):
            patch.set_zorder(0.5)
            ax.add_patch(patch)
