"""``volume_transmitter``: collects the spikes of a dopaminergic population for the
``stdp_dopamine_synapse`` connections that name it.

Neurons connect to it like to any node (weights are ignored: it counts spikes). It lists
each step's arrivals (time, multiplicity); every ``deliver_interval`` slices (of
``min_delay``) it hands the list to the synapses, which bring their weights up to that
time (NEST's ``trigger_update_weight``), and starts a new list at that time.
"""

from __future__ import annotations

import numpy as np

from ..base import ROLE_NEURON, Model, Param, require


class VolumeTransmitter(Model):
    name = "volume_transmitter"
    element_type = "other"
    role = ROLE_NEURON
    counts_spikes = True
    elementsize = 176
    params = {
        "deliver_interval": Param(1, kind="int", doc="Slices (of min_delay) between updates of the synapses"),
    }

    def check(self, v, n, gid):
        require(np.asarray(v["deliver_interval"]) >= 1, self, gid, "deliver_interval must be >= 1.")

    def prepare(self, group, kernel):
        # Per node: the arrivals since the last hand-over, starting with that time (mult. 0).
        if "dopa" not in group.aux:
            group.aux["dopa"] = [(np.zeros(1), np.zeros(1)) for _ in range(group.n)]

    def update(self, group, kernel, t0, m):
        if m == 0:
            return
        slots = (t0 + np.arange(m)) % kernel.slots
        cols = np.arange(group.offset, group.offset + group.n)
        counts = kernel.buf[0][np.ix_(slots, cols)] + kernel.buf[1][np.ix_(slots, cols)]
        kernel.buf[0][np.ix_(slots, cols)] = 0.0
        kernel.buf[1][np.ix_(slots, cols)] = 0.0
        from ...engine.plasticity import trigger_dopamine

        every = group.values["deliver_interval"] * kernel.min_delay_steps
        for i in range(group.n):
            gid = group.first + i
            times, mults = group.aux["dopa"][i]
            k = np.flatnonzero(counts[:, i])
            if len(k):
                # A spike counted at step t0 + k arrived by the end of that step.
                times = np.concatenate([times, kernel.steps_to_ms(t0 + k + 1)])
                mults = np.concatenate([mults, counts[k, i]])
            if (t0 + m) % every[i] == 0:
                t_trig = float(kernel.steps_to_ms(t0 + m))
                trigger_dopamine(kernel, gid, times, mults, t_trig)
                times, mults = np.array([t_trig]), np.zeros(1)
            group.aux["dopa"][i] = (times, mults)


MODELS = [VolumeTransmitter]
