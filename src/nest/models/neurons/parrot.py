"""``parrot_neuron``: repeats every spike it receives, one step later than it arrives."""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import Model, Param, archiving_params

# The engine delivers the multiplicity (not the weight) of spikes into a parrot's
# excitatory buffer; see ``counts_spikes``.


class ParrotNeuron(Model):
    """Emits a spike for each incoming spike; weights are ignored, multiplicity is kept."""

    name = "parrot_neuron"
    params = {
        **archiving_params(),
        "flush_event_send_interval": Param(float("inf"), readonly=True, doc="Not used (secondary events)"),
    }
    counts_spikes = True
    elementsize = 456

    def receptor_ports(self, group) -> np.ndarray:
        """One port: spikes to receptor 1 reach the parrot (and its synapse's plasticity) but
        are not repeated. They land in a receptor buffer the parrot never reads."""
        return np.ones(group.n, dtype=np.int64)

    def prepare(self, group, kernel):
        kernel.reserve_spikes(group, kernel.slice_steps)

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _parrot_update(t0, m, kernel.slots, group.offset, group.n, kernel.buf,
                                a["spk_i"], a["spk_t"], a["spk_mult"])  # fmt: skip
        kernel.collect_spikes(group, np.array([counts]))


@njit(inline="always", cache=True)
def _take_count(buf, slot, gi):
    """The spikes a parrot received for one step (both channels), emptied."""
    c = buf[0, slot, gi] + buf[1, slot, gi]
    buf[0, slot, gi] = 0.0
    buf[1, slot, gi] = 0.0
    return c


@njit(cache=True)
def _parrot_update(t0, m, slots, off, n, buf, spk_i, spk_t, spk_mult):
    cnt = 0
    for i in range(n):
        gi = off + i
        slot = t0 % slots
        for k in range(m):
            c = _take_count(buf, slot, gi)
            slot = slot + 1 if slot + 1 < slots else 0
            if c > 0.0:
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                spk_mult[cnt] = c
                cnt += 1
    return cnt


class ParrotNeuronPs(ParrotNeuron):
    """``parrot_neuron_ps``: repeats every spike at its precise time (stamp and offset)."""

    name = "parrot_neuron_ps"
    precise_input = True
    params = archiving_params()

    def prepare(self, group, kernel):
        kernel.reserve_spikes(group, kernel.slice_steps)

    def update(self, group, kernel, t0, m):
        a = group.aux
        ptr, st, of, w = kernel.precise.take(group.offset, group.n, t0, m)
        kernel.grow_spikes(group, group.n * m + len(st))
        counts = _parrot_ps_update(t0, m, kernel.slots, group.offset, group.n, kernel.buf, ptr, st, of, w,
                                   a["spk_i"], a["spk_t"], a["spk_mult"], a["spk_o"])  # fmt: skip
        kernel.collect_spikes(group, np.array([counts]))


@njit(cache=True)
def _parrot_ps_update(t0, m, slots, off, n, buf, ptr, ev_stamp, ev_off, ev_w, spk_i, spk_t, spk_mult, spk_o):
    cnt = 0
    for i in range(n):
        gi = off + i
        slot = t0 % slots
        p = ptr[i]
        for k in range(m):
            stamp = t0 + k + 1
            # Events inside the step come first (latest offset first), those at its end last.
            while p < ptr[i + 1] and ev_stamp[p] == stamp:
                if ev_w[p] > 0.0:
                    spk_i[cnt] = i
                    spk_t[cnt] = stamp
                    spk_mult[cnt] = ev_w[p]
                    spk_o[cnt] = ev_off[p]
                    cnt += 1
                p += 1
            c = _take_count(buf, slot, gi)
            slot = slot + 1 if slot + 1 < slots else 0
            if c > 0.0:
                spk_i[cnt] = i
                spk_t[cnt] = stamp
                spk_mult[cnt] = c
                spk_o[cnt] = 0.0
                cnt += 1
    return cnt
