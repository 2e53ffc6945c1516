"""Exact-integration propagators for linear subthreshold dynamics (Rotter & Diesmann 1999).

Each function returns, for one time step ``h``, how much a synaptic current variable
moves the membrane potential of a leaky integrator with time constant ``tau_m`` and
capacitance ``C``. They are written to stay accurate when ``tau_syn`` approaches
``tau_m``, where the textbook closed forms cancel catastrophically.
"""

from __future__ import annotations

import numpy as np


def _expm1_over_x(x: np.ndarray) -> np.ndarray:
    """(exp(x) - 1) / x, continuous at 0."""
    x = np.asarray(x, dtype=np.float64)
    out = np.ones_like(x)
    nz = x != 0.0
    out[nz] = np.expm1(x[nz]) / x[nz]
    return out


def _alpha_kernel_integral(x: np.ndarray) -> np.ndarray:
    """(1 - exp(-x) (1 + x)) / x**2, continuous at 0.

    Near 0 the alternating series sum_n (-1)^n (n + 1) x^n / (n + 2)! is used.
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.empty_like(x)
    small = np.abs(x) < 0.5
    xs = x[small]
    term_sum = np.zeros_like(xs)
    fact = 2.0  # (n + 2)!
    power = np.ones_like(xs)
    for n in range(18):
        term_sum += (n + 1) * power / fact
        power = power * (-xs)
        fact *= n + 3
    out[small] = term_sum
    xl = x[~small]
    out[~small] = (-np.expm1(-xl) - xl * np.exp(-xl)) / (xl * xl)
    return out


def membrane_decay(tau_m, h):
    """exp(-h / tau_m) and expm1(-h / tau_m)."""
    return np.exp(-h / tau_m), np.expm1(-h / tau_m)


def current_to_voltage(tau_m, C, h):
    """Voltage change from a constant current over one step: tau_m / C (1 - exp(-h/tau_m))."""
    return -tau_m / C * np.expm1(-h / tau_m)


def exp_current_to_voltage(tau_syn, tau_m, C, h):
    """Voltage change over one step from a unit current decaying with ``tau_syn``."""
    x = -h * (1.0 / tau_syn - 1.0 / tau_m)
    return h / C * np.exp(-h / tau_m) * _expm1_over_x(x)


def alpha_slope_to_voltage(tau_syn, tau_m, C, h):
    """Voltage change over one step from a unit slope of an alpha-shaped current."""
    x = h * (1.0 / tau_syn - 1.0 / tau_m)
    return h * h / C * np.exp(-h / tau_m) * _alpha_kernel_integral(x)


def matrix_exp(A: np.ndarray) -> np.ndarray:
    """exp(A) of a small square matrix by scaling and squaring with a Taylor series.

    A is scaled by 2**-s until its norm is at most 1/2; there 30 terms of the series are
    far below double precision, and s squarings undo the scaling. For the few-by-few
    propagator matrices of the models this is exact to rounding, without SciPy.
    """
    A = np.asarray(A, dtype=np.float64)
    norm = np.abs(A).sum(axis=0).max() if A.size else 0.0
    s = max(0, int(np.ceil(np.log2(norm / 0.5)))) if norm > 0.5 else 0
    X = A / 2.0**s
    result = np.eye(len(A))
    term = np.eye(len(A))
    for k in range(1, 31):
        term = term @ X / k
        result = result + term
    for _ in range(s):
        result = result @ result
    return result
