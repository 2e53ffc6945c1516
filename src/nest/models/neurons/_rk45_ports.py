"""The adaptive Runge-Kutta-Fehlberg group kernel for neurons with receptor ports.

Models such as ``ht_neuron`` (four synaptic receptors) and ``iaf_cond_alpha_mc`` (three
compartments, each with its own excitatory, inhibitory and current receptor) receive
spikes and currents on numbered ports rather than by the sign of the weight. Their input
arrives through the kernel's receptor buffers ``rbuf[port - 1, slot, row]``
(``engine/plasticity.py``); everything else is the integration of :mod:`._rk45` (the same
internal steps, the same :func:`~._rk45.evolve`).

Per step of resolution and neuron, in NEST's order:

1. the internal steps until the step's end, ``inner`` after each (threshold, clamps);
2. ``outer`` once (refractory bookkeeping);
3. ``receive`` adds the step's spike input, one value per spike port;
4. the currents that arrived for this step are latched into the parameter row
   (``p[i, cur_col]`` from ``kernel.cur``, i.e. receptor 0, then one column per current
   port), to be integrated during the next step, as NEST latches ``I_stim``;
5. ``record`` writes the recordables, given the state at the end of the step and the
   state right after the last internal step (before ``inner`` changed it: NEST's
   intrinsic currents are those of the last evaluation of the right-hand side).

Hooks (jitted): ``rhs(y, f, p, i, refractory, i_stim)`` (``i_stim`` is always 0 here:
currents are read from ``p``), ``inner(y, p, i, r, ref) -> (r, event)``,
``outer(y, p, i, r, ref, v_old) -> (r, event)``, ``receive(y, p, i, r, w)`` with ``w``
the port values, ``record(y, y_last, p, i, r, dt, out, row, k)``.
"""

from __future__ import annotations

import types as pytypes

import numpy as np
from numba import carray, prange

from ...engine.jit import threaded_kernel
from ...errors import NESTErrors
from ._adaptive import AdaptiveModel
from ._rk45 import _address_as_pointer, _source_key, _unowned, evolve

RHS = INNER = OUTER = RECEIVE = RECORD = None
DIM = 1
SPIKE_PORTS = 1
CURRENT_PORTS = 0
CUR_COL = 0


def _template(n_chunks, t0, m, slots, off, dt, eps, rbuf, row0, cur, S, P, H, r, ref, rec_row, rec_out, spk_i, spk_t,
              spk_off):  # fmt: skip
    n = S.shape[0]
    dim = DIM
    cap = spk_i.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    status = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        end = spk_off[c + 1] if c + 1 < n_chunks else cap
        scratch = np.empty(10 * dim)
        w = np.zeros(max(SPIKE_PORTS, 1))
        Pu = carray(_address_as_pointer(P.ctypes.data), P.shape)
        y = _unowned(scratch, 0, dim)
        k0 = _unowned(scratch, 1, dim)
        k1 = _unowned(scratch, 2, dim)
        k2 = _unowned(scratch, 3, dim)
        k3 = _unowned(scratch, 4, dim)
        k4 = _unowned(scratch, 5, dim)
        k5 = _unowned(scratch, 6, dim)
        y0 = _unowned(scratch, 7, dim)
        yt = _unowned(scratch, 8, dim)
        y_last = _unowned(scratch, 9, dim)
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                for j in range(dim):
                    y[j] = S[i, j]
                v_old = y[0]
                rr = r[i]
                h = H[i]
                t = 0.0
                while t < dt:
                    t, h = evolve(RHS, DIM, y, k0, k1, k2, k3, k4, k5, y0, yt, Pu, i, rr > 0, 0.0, t, dt, h, eps[i],
                                  False, False)  # fmt: skip
                    for j in range(dim):
                        y_last[j] = y[j]
                    rr, ev = INNER(y, Pu, i, rr, ref[i])
                    if ev == 1 and base + cnt < end:
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        cnt += 1
                    elif ev == 2:
                        status[c] = 1
                rr, ev = OUTER(y, Pu, i, rr, ref[i], v_old)
                if ev == 1 and base + cnt < end:
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                row_p = row0 + i
                for q in range(SPIKE_PORTS):
                    if row0 >= 0:
                        w[q] = rbuf[q, slot, row_p]
                        rbuf[q, slot, row_p] = 0.0
                    else:
                        w[q] = 0.0
                RECEIVE(y, Pu, i, rr, w)
                Pu[i, CUR_COL] = b_cur[gi]
                b_cur[gi] = 0.0
                for q in range(CURRENT_PORTS):
                    if row0 >= 0:
                        Pu[i, CUR_COL + 1 + q] = rbuf[SPIKE_PORTS + q, slot, row_p]
                        rbuf[SPIKE_PORTS + q, slot, row_p] = 0.0
                for j in range(dim):
                    S[i, j] = y[j]
                r[i] = rr
                H[i] = h
                row = rec_row[i]
                if row >= 0:
                    RECORD(y, y_last, Pu, i, rr, dt, rec_out, row, k)
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts, status


def port_kernel(name: str, dim: int, rhs, inner, outer, receive, record, spike_ports: int, current_ports: int,
                cur_col: int):  # fmt: skip
    """The group kernel of model ``name`` with its hooks compiled in.

    ``spike_ports`` receptor planes (ports 1 ..) are spike input, the ``current_ports``
    planes after them currents; ``cur_col`` is the parameter column of the receptor-0
    current (the current ports' columns follow it).

    Called as ``kernel(n_chunks, t0, m, slots, off, dt, eps, rbuf, row0, cur, S, P, H, r,
    ref, rec_row, rec_out, spk_i, spk_t, spk_off)``; returns ``(counts, status)`` as
    :func:`~._rk45.adaptive_kernel`'s kernels do.
    """
    glb = dict(_template.__globals__)
    glb.update(RHS=rhs, INNER=inner, OUTER=outer, RECEIVE=receive, RECORD=record, DIM=dim, SPIKE_PORTS=spike_ports,
               CURRENT_PORTS=current_ports, CUR_COL=cur_col)  # fmt: skip
    key = _source_key(rhs, inner, outer, receive, record, _template)
    f = pytypes.FunctionType(_template.__code__, glb, f"ports_{name}_{key}")
    f.__qualname__ = f.__name__
    f.__module__ = __name__
    kernel = threaded_kernel(f)
    kernel.dim = dim
    return kernel


def receptor_row(kernel, group) -> int:
    """Row of ``group``'s first node in ``kernel.rbuf`` (-1 if the buffers have none)."""
    if kernel.rbuf.shape[1] > 1 and len(kernel.ridx) > group.offset:
        return int(kernel.ridx[group.offset])
    return -1


class PortModel(AdaptiveModel):
    """An adaptive-step neuron whose input comes through receptor ports.

    Subclasses set ``kernel`` (:func:`port_kernel`), ``spike_ports``, ``current_ports``,
    ``receptor_types`` (NEST's names and numbers) and ``cur_col`` (the first current
    column of their parameter rows, after the model's own parameters).
    """

    spike_ports = 1
    current_ports = 0
    cur_col = 0
    receptor_types: dict[str, int] = {}

    def receptor_ports(self, group) -> np.ndarray:
        """Receptor planes per node: the spike ports, then the current ports."""
        return np.full(group.n, self.spike_ports + self.current_ports, dtype=np.int64)

    def prepare(self, group, kernel):
        old = group.aux.get("P")
        super().prepare(group, kernel)
        # The currents latched at the end of the last step stay latched across runs.
        cols = slice(self.cur_col, self.cur_col + 1 + self.current_ports)
        if old is not None and old.shape == group.aux["P"].shape:
            group.aux["P"][:, cols] = old[:, cols]

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts, status = self.kernel(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, a["eps"], kernel.rbuf,
            receptor_row(kernel, group), kernel.cur, a["S"], a["P"], a["H"], a["r"], a["ref_counts"], a["rec_row"],
            a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        if status.any():
            raise NESTErrors.NumericalInstability(f"{self.name}: numerical instability at {(t0 + m) * kernel.h} ms.")
        kernel.collect_spikes(group, counts)
