"""Kernels compiled twice: one serial, one threaded, each cached by Numba.

A script on one thread then never compiles (cold) or loads (warm) the threaded code, nor
starts Numba's thread pool: the threaded variant compiles several times slower and its
first call launches the workers.
"""

from __future__ import annotations

import types

from numba import njit


def _renamed(func, suffix: str):
    """A copy of ``func`` with its own name, so Numba caches the two variants apart."""
    f = types.FunctionType(
        func.__code__, func.__globals__, f"{func.__name__}_{suffix}", func.__defaults__, func.__closure__
    )
    f.__qualname__ = f"{func.__qualname__}_{suffix}"
    f.__module__ = func.__module__
    f.__doc__ = func.__doc__
    return f


class ThreadedKernel:
    """Calls the serial variant when the first argument (the number of chunks or
    threads, or an array of ``chunks + 1`` bounds) asks for one, the threaded otherwise."""

    def __init__(self, func):
        self.py_func = func
        # error_model="numpy": a division by zero gives inf or nan, as NEST's C++ does (an
        # hh_psc_alpha set exactly onto a rate function's singular voltage goes nan there
        # rather than stopping the simulation with ZeroDivisionError).
        self.serial = njit(cache=True, error_model="numpy")(_renamed(func, "serial"))
        self.threaded = njit(parallel=True, cache=True, error_model="numpy")(_renamed(func, "threaded"))
        self.__doc__ = func.__doc__
        self.__name__ = func.__name__

    def __call__(self, chunks, *args):
        n = chunks if isinstance(chunks, int) else len(chunks) - 1
        return (self.threaded if n > 1 else self.serial)(chunks, *args)


def threaded_kernel(func) -> ThreadedKernel:
    """Decorator: compile ``func`` (which loops with ``prange``) serially and threaded."""
    return ThreadedKernel(func)
