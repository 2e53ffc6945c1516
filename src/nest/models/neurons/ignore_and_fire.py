"""``ignore_and_fire``: a neuron that ignores its input and fires at a fixed rate.

Meant for benchmarks of network construction and spike delivery where the dynamics
must not depend on the input. The period is ``1000 / rate`` ms and the first spike
comes ``phase`` periods after the start; both are turned into whole steps as NEST 3.10
turns durations into steps (to the nearest tic, then up to the next step), which puts
the first spike one step later and gives the measured times.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import Param, archiving_params, require
from ._exact import ExactNeuron


def _steps(t_ms, kernel) -> np.ndarray:
    """A duration in steps as NEST's Time(ms(t)).get_steps(): nearest tic, then up."""
    tics = np.floor(np.asarray(t_ms) * kernel.tics_per_ms + 0.5)
    per_step = round(kernel.h * kernel.tics_per_ms)
    return (-(-tics // per_step)).astype(np.int64)


class IgnoreAndFire(ExactNeuron):
    """Fires every ``1000 / rate`` ms from ``phase`` periods on; input is discarded."""

    name = "ignore_and_fire"
    elementsize = 488
    params = {
        **archiving_params(),
        "phase": Param(1.0, doc="Time to the first spike, in periods (0 < phase <= 1)"),
        "rate": Param(10.0, doc="Firing rate", unit="1/s"),
    }
    recordables = ()
    lists_recordables = True  # NEST 3.10 shows its empty list
    state_columns = ()
    visible = ()
    batch_keys = ("S", "Q", "P", "r")

    def check(self, v, n, gid):
        require(v["rate"] > 0, self, gid, "Firing rate must be > 0.")
        require((v["phase"] > 0) & (v["phase"] <= 1), self, gid, "Phase must be > 0 and <= 1.")

    def constants(self, v, kernel):
        period_ms = 1000.0 / v["rate"]
        return np.column_stack([_steps(period_ms, kernel), _steps(v["phase"] * period_ms, kernel)])

    def prepare(self, group, kernel):
        a = group.aux
        old = a.get("Q")
        super().prepare(group, kernel)
        # Steps to the next spike: from the phase at the start and whenever rate or
        # phase were changed since the last run.
        changed = np.ones(group.n, bool) if old is None else np.any(old != a["Q"], axis=1)
        a["r"][changed, 0] = a["Q"][changed, 1].astype(np.int64)

    def max_spikes(self, v, kernel):
        return -(-kernel.slice_steps // self.constants(v, kernel)[:, 0].astype(np.int64))

    def update(self, group, kernel, t0, m):
        a = group.aux
        cnt = _ignore_and_fire_update(t0, m, kernel.slots, group.offset, kernel.buf, a["Q"], a["r"],
                                      a["spk_i"], a["spk_t"])  # fmt: skip
        kernel.collect_spikes(group, np.array([cnt]))


@njit(cache=True)
def _ignore_and_fire_update(t0, m, slots, off, buf, Q, r, spk_i, spk_t):
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        for i in range(Q.shape[0]):
            gi = off + i
            # Input is ignored, but its slots must be emptied for the ring buffer's next turn.
            buf[0, slot, gi] = 0.0
            buf[1, slot, gi] = 0.0
            if r[i, 0] == 0:
                r[i, 0] = np.int64(Q[i, 0]) - 1
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                cnt += 1
            else:
                r[i, 0] -= 1
        slot = slot + 1 if slot + 1 < slots else 0
    return cnt
