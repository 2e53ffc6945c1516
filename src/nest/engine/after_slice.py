"""What the kernel does at the end of every slice beyond updating and delivering: the
weight_recorder's pass, the kernel's spike counter and its update-time statistics.

``run`` is the kernel's one call into this module (at the end of ``Kernel._run_slice``);
``begin`` is called by ``Simulate`` and ``Run`` before the first slice of a call, and
``reset`` by ``ResetKernel``. The figures are those of NEST's kernel properties:

- ``local_spike_counter``: spikes emitted by neurons during the last ``Simulate`` call,
  a spike of multiplicity k counting k (devices such as spike_generator do not count);
- ``min_update_time``/``max_update_time``: the shortest and longest wall-clock time of a
  slice since ``ResetKernel``, in seconds (``inf``/``-inf`` before any slice);
- ``update_time_limit``: a slice slower than this (seconds) stops the simulation with a
  KernelException;
- ``to_do``: steps of the current call not simulated yet (0 once a call has finished).
"""

from __future__ import annotations

import math
import time

import numpy as np

from ..errors import KernelException
from . import weight_recording


class SliceStats:
    """The kernel's counters, one instance per process (``stats``)."""

    def __init__(self):
        self.reset()

    def reset(self) -> None:
        self.spike_count = 0
        self.min_update_time = math.inf
        self.max_update_time = -math.inf
        self.update_time_limit = math.inf
        self.t_end = 0  # the step the current call runs to
        self._last = None
        self._neuron_mask = (0, np.zeros(0, bool))

    def neurons(self, kernel) -> np.ndarray:
        """Which node indices (gid - 1) are neurons, cached until nodes are added."""
        n, mask = self._neuron_mask
        if n != kernel.n_nodes:
            mask = kernel.roles() == 0
            self._neuron_mask = (kernel.n_nodes, mask)
        return mask


stats = SliceStats()


def reset() -> None:
    """ResetKernel: counters, statistics and the limit back to their defaults."""
    stats.reset()


def begin(kernel, n_steps: int) -> None:
    """A ``Simulate`` (or ``Run``) call of ``n_steps`` steps starts now."""
    stats.spike_count = 0
    stats.t_end = kernel.t + n_steps
    stats._last = time.perf_counter()
    weight_recording.refresh(kernel)


def to_do(kernel) -> int:
    return max(stats.t_end - kernel.t, 0)


def run(kernel, n: int) -> None:
    """End of a slice whose register holds ``n`` spikes."""
    if n:
        weight_recording.record(kernel, n)
        mult = kernel.reg_mult[:n]
        from_neurons = stats.neurons(kernel)[kernel.reg_src[:n]]
        stats.spike_count += int(np.rint(mult[from_neurons].sum()))
    now = time.perf_counter()
    if stats._last is not None:
        took = now - stats._last
        stats.min_update_time = min(stats.min_update_time, took)
        stats.max_update_time = max(stats.max_update_time, took)
        if took > stats.update_time_limit:
            stats._last = None
            raise KernelException(
                f"Update time limit exceeded: a slice took {took:.3g} s, update_time_limit is "
                f"{stats.update_time_limit:g} s."
            )
    stats._last = now
