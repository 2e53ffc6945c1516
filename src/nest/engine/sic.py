"""Slow inward currents: astrocytes (``astrocyte_lr_1994``) to neurons
(``aeif_cond_alpha_astro``) along ``sic_connection``.

An astrocyte's current at the end of step s is ``SIC_scale ln((Ca - SIC_th) 1000)`` where the
logarithm is positive (calcium in µM, the threshold crossed by more than 1 nM), else 0. Each
connection adds it, times its weight, to its target's current ring buffer ``kernel.cur`` at
step ``s + delay``: the neuron latches it at the end of that step with its other input
currents and integrates it over the next, as NEST does with a SIC event. A second buffer
``sbuf`` holds the same values for the target's ``I_SIC`` recordable.

The connections stay in the kernel's blocks (``GetConnections`` reads them there); at
preparation :func:`prepare` copies them into arrays per source group.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ..models.synapses.sic import SIC


class SicSystem:
    """The SIC connections of every astrocyte group and the neurons' SIC buffer."""

    def __init__(self, kernel, blocks: list):
        src = np.concatenate([np.asarray(b.source, dtype=np.int64) - 1 for b in blocks])
        tgt = np.concatenate([np.asarray(b.target, dtype=np.int64) - 1 for b in blocks])
        w = np.concatenate([np.broadcast_to(b.weights(), (len(b),)).astype(np.float64) for b in blocks])
        d = np.concatenate([np.broadcast_to(b.delays(), (len(b),)).astype(np.int64) for b in blocks])
        targets = np.unique(tgt)
        self.tidx = np.full(kernel.n_nodes, -1, dtype=np.int64)
        self.tidx[targets] = np.arange(len(targets))
        self.sbuf = np.zeros((kernel.slots, max(len(targets), 1)))
        self.by_group = {}
        gi, li = kernel.locate(src + 1)
        for g in np.unique(gi):
            sel = gi == g
            self.by_group[kernel.groups[int(g)].offset] = (
                li[sel].copy(),
                tgt[sel].copy(),
                w[sel].copy(),
                d[sel].copy(),
            )

    def sends(self, group) -> bool:
        return group.offset in self.by_group

    def emit(self, kernel, group, step: int, ca, scale, threshold) -> None:
        """Send the currents of one astrocyte group for step ``step`` (its calcium ``ca``)."""
        conns = self.by_group.get(group.offset)
        if conns is not None:
            _emit(step, kernel.slots, ca, scale, threshold, *conns, kernel.cur, self.sbuf, self.tidx)

    def take(self, group, t0: int, m: int, slots: int) -> np.ndarray:
        """(n, m): the current each node of ``group`` latched at the end of each step of the
        slice; the buffer's slots are emptied."""
        rows = self.tidx[group.offset : group.offset + group.n]
        out = np.zeros((group.n, m))
        have = rows >= 0
        for k in range(m):
            s = (t0 + k) % slots
            out[have, k] = self.sbuf[s, rows[have]]
            self.sbuf[s, rows[have]] = 0.0
        return out


@njit(cache=True)
def sic_current(ca, scale, threshold):
    """An astrocyte's slow inward current (pA) at calcium ``ca`` (µM)."""
    y = (ca - threshold) * 1000.0
    return scale * math.log(y) if y > 1.0 else 0.0


@njit(cache=True)
def _emit(step, slots, ca, scale, threshold, src, tgt, w, d, cur, sbuf, tidx):
    for c in range(src.shape[0]):
        i = src[c]
        value = sic_current(ca[i], scale[i], threshold[i])
        if value != 0.0:
            s = (step + d[c]) % slots
            cur[s, tgt[c]] += w[c] * value
            sbuf[s, tidx[tgt[c]]] += w[c] * value


def prepare(kernel) -> None:
    """Build the SIC system when there are SIC connections (else ``kernel.sic`` is None)."""
    from .secondary import kind_of

    blocks = [b for b in kernel.blocks if not b.released and len(b) and kind_of(kernel, b) == SIC]
    kernel.sic = SicSystem(kernel, blocks) if blocks else None
