"""Wall-clock and CPU time of the kernel's phases, NEST's ``time_*`` kernel properties.

``time_construction_create`` and ``time_construction_connect`` add up the calls of
``Create`` and ``Connect`` since ``ResetKernel``; ``time_communicate_prepare`` adds up the
preparations (NEST's is one value per thread, here one for the process);
``time_simulate`` is the last ``Simulate`` call's, preparation excluded. Each has a
``_cpu`` twin with the process's CPU time.
"""

from __future__ import annotations

import functools
import time

PHASES = ("create", "connect", "prepare", "simulate")
_totals = {p: [0.0, 0.0] for p in PHASES}
_depth = [0]  # a Create inside a Connect (or a layer's Create) counts once


def reset() -> None:
    for p in PHASES:
        _totals[p] = [0.0, 0.0]


def wall(phase: str) -> float:
    return _totals[phase][0]


def cpu(phase: str) -> float:
    return _totals[phase][1]


class timed:
    """Context manager adding the time of its block to ``phase`` (``replace``: the block's
    time replaces the total, for the last Simulate call)."""

    def __init__(self, phase: str, replace: bool = False):
        self.phase = phase
        self.replace = replace

    def __enter__(self):
        _depth[0] += 1
        self.start = (time.perf_counter(), time.process_time())
        return self

    def __exit__(self, *exc):
        _depth[0] -= 1
        if _depth[0] and not self.replace:
            return False
        took = [time.perf_counter() - self.start[0], time.process_time() - self.start[1]]
        if self.replace:
            _totals[self.phase] = took
        else:
            _totals[self.phase] = [a + b for a, b in zip(_totals[self.phase], took)]
        return False


def timed_call(phase: str):
    """Decorator: the function's calls count towards ``phase``."""

    def wrap(func):
        @functools.wraps(func)
        def inner(*args, **kwargs):
            with timed(phase):
                return func(*args, **kwargs)

        return inner

    return wrap
