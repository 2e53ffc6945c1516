"""Update batches: neighbouring node groups of one model updated by one kernel call.

Every ``Create`` makes a node group, and a network of several populations of one model
(the cortical microcircuit has eight) would otherwise cost one kernel call per group and
slice: at a ``min_delay`` of one step that is Python overhead on every step, and threads
get small, unbalanced chunks. A model that lists the ``aux`` arrays its kernel reads per
node (``batch_keys``) lets the kernel concatenate those of neighbouring groups with
contiguous ids; each group's arrays then become views into the batch's, so everything
that reads a group (status, multimeters, ``finish_run``) sees the batch's updates.
"""

from __future__ import annotations

import numpy as np


class Batch:
    """Groups ``members`` (contiguous ids, one model class) seen as one group by a kernel."""

    def __init__(self, members: list):
        self.members = members
        self.model = members[0].model
        self.first = members[0].first
        self.n = sum(g.n for g in members)
        self.offset = members[0].offset
        self.values: dict = {}
        self.aux: dict = {}

    def spike_times(self, local: np.ndarray, times: np.ndarray) -> None:
        """Store ``t_spike`` of the batch's nodes ``local`` (0-based within the batch)."""
        lo = 0
        for g in self.members:
            sel = (local >= lo) & (local < lo + g.n)
            if "t_spike" in g.values and sel.any():
                g.values["t_spike"][local[sel] - lo] = times[sel]
            lo += g.n


def _can_join(prev, g) -> bool:
    keys = getattr(g.model, "batch_keys", None)
    return (
        keys is not None
        and type(prev.model) is type(g.model)
        and prev.offset + prev.n == g.offset
        and all(k in g.aux and k in prev.aux for k in (*keys, "rec_row", "rec_out", "spk_per_node"))
    )


def plan(groups: list, updated, kernel) -> list:
    """What to update each slice: single groups, and batches of groups that can join.

    ``updated(g)`` says whether ``g`` is updated at all. Call after the models' own
    ``prepare`` and after multimeter routing (both replace ``aux`` arrays).
    """
    units: list = []
    run: list = []

    def close():
        if len(run) > 1:
            units.append(_build(run, kernel))
        elif run:
            units.append(run[0])

    for g in groups:
        if not updated(g):
            continue
        if run and _can_join(run[-1], g):
            run.append(g)
            continue
        close()
        run = [g]
    close()
    return units


def _build(members: list, kernel) -> Batch:
    b = Batch(members)
    bounds = np.cumsum([0] + [g.n for g in members])
    for key in members[0].model.batch_keys:
        joined = np.concatenate([g.aux[key] for g in members])
        b.aux[key] = joined
        for g, lo, hi in zip(members, bounds[:-1], bounds[1:]):
            g.aux[key] = joined[lo:hi]
    # Recorded rows: each group's rows follow the previous groups' rows.
    rows = np.cumsum([0] + [len(g.aux["rec_out"]) for g in members])
    rec_out = np.concatenate([g.aux["rec_out"] for g in members])
    b.aux["rec_out"] = rec_out
    b.aux["rec_row"] = np.concatenate(
        [np.where(g.aux["rec_row"] >= 0, g.aux["rec_row"] + r, -1) for g, r in zip(members, rows[:-1])]
    )
    for g, lo, hi in zip(members, rows[:-1], rows[1:]):
        g.aux["rec_out"] = rec_out[lo:hi]
    kernel.reserve_spikes(b, np.concatenate([g.aux["spk_per_node"] for g in members]))
    return b
