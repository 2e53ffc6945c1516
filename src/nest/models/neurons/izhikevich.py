"""``izhikevich``: Izhikevich's (2003) simple spiking neuron, integrated as NEST does.

The dynamics ``dV/dt = 0.04 V**2 + 5 V + 140 - U + I`` and ``dU/dt = a (b V - U)`` are
stepped with forward Euler at the resolution. With ``consistent_integration`` (the
default) both variables advance from the values at the start of the step; without it,
``V`` takes two half steps and ``U`` follows from the new ``V``, as in Izhikevich's
published code, and the incoming spikes enter both half steps as a current (NEST 3.10
does so; measured). Within a step: integrate, add the incoming spikes (jumps of ``V``
by their weights, in mV, when consistent), bound ``V`` below by ``V_min``, check the threshold (``V`` to
``c``, ``U`` up by ``d``), then latch this step's input current for the next one.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ...engine.jit import threaded_kernel
from ..base import DBL_MAX, Param, archiving_params
from ._exact import ExactNeuron


class Izhikevich(ExactNeuron):
    """Izhikevich neuron; input spikes make ``V_m`` jump by their weight (mV)."""

    name = "izhikevich"
    elementsize = 576
    params = {
        **archiving_params(),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "U_m": Param(-13.0, state=True, doc="Membrane recovery variable", unit="mV"),
        "V_m": Param(-65.0, state=True, doc="Membrane potential", unit="mV"),
        "V_min": Param(-DBL_MAX, doc="Absolute lower bound of the membrane potential", unit="mV"),
        "V_th": Param(30.0, doc="Spike threshold", unit="mV"),
        "a": Param(0.02, doc="Time scale of the recovery variable"),
        "b": Param(0.2, doc="Sensitivity of the recovery variable"),
        "c": Param(-65.0, doc="After-spike reset value of V_m", unit="mV"),
        "d": Param(8.0, doc="After-spike increment of U_m", unit="mV"),
        "consistent_integration": Param(True, kind="bool", doc="Advance V_m and U_m from the same state"),
    }
    recordables = ("U_m", "V_m")
    # I_lat: the external current latched last step.
    state_columns = ("V_m", "U_m", "I_lat")
    visible = ("V_m", "U_m")
    vm_relative = False

    def constants(self, v, kernel):
        cols = ("I_e", "V_th", "V_min", "a", "b", "c", "d")
        return np.column_stack([v[k] for k in cols] + [v["consistent_integration"].astype(np.float64)])

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _izhikevich_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, kernel.buf, kernel.cur,
            a["S"], a["Q"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)


@threaded_kernel
def _izhikevich_update(n_chunks, t0, m, slots, off, h, buf, cur, S, Q, rec_row, rec_out, spk_i, spk_t, spk_off):
    n = S.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                v = S[i, 0]
                u = S[i, 1]
                current = S[i, 2] + Q[i, 0]
                inp = b_exc[gi] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                if Q[i, 7] != 0.0:
                    dv = 0.04 * v * v + 5.0 * v + 140.0 - u + current
                    u += h * Q[i, 3] * (Q[i, 4] * v - u)
                    v += h * dv + inp
                else:
                    # Izhikevich's published scheme: the input acts as a current in both halves.
                    current += inp
                    v += 0.5 * h * (0.04 * v * v + 5.0 * v + 140.0 - u + current)
                    v += 0.5 * h * (0.04 * v * v + 5.0 * v + 140.0 - u + current)
                    u += h * Q[i, 3] * (Q[i, 4] * v - u)
                if v < Q[i, 2]:
                    v = Q[i, 2]
                if v >= Q[i, 1]:
                    v = Q[i, 5]
                    u += Q[i, 6]
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                S[i, 0] = v
                S[i, 1] = u
                S[i, 2] = b_cur[gi]
                b_cur[gi] = 0.0
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = u
                    rec_out[row, 1, k] = v
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts
