"""Parameters: random and derived values evaluated, vectorised, for nodes or connections.

``nest.random.normal(mean=0.0, std=1.0)`` and friends return a :class:`Parameter`; arithmetic
between parameters and numbers, ``nest.math`` functions and ``nest.logic.conditional``
build expression trees. ``Create``, ``set`` and ``Connect`` evaluate a tree once for all
the nodes or connections at hand (``Parameter.evaluate(n, rng)``), never per element in
Python. Draws come from the kernel's seeded NumPy generator, so a network depends on
``rng_seed`` and the order of calls alone.
"""

from __future__ import annotations

import math
import numbers
import operator

import numpy as np

from ..errors import BadParameter


class Parameter:
    """A value that is evaluated per node or per connection."""

    def is_spatial(self) -> bool:
        """Whether the parameter depends on positions (``nest.spatial``)."""
        from ..spatial.params import is_spatial

        return is_spatial(self)

    def apply(self, spatial_nc, positions=None):
        """Values at the nodes of ``spatial_nc``, or from its one node to each of ``positions``."""
        from ..spatial.params import apply

        return apply(self, spatial_nc, positions)

    def evaluate(self, n: int, rng: np.random.Generator) -> np.ndarray:
        raise NotImplementedError

    def GetValue(self):  # noqa: N802 - PyNEST's name
        """One value of the parameter (one draw for a random one)."""
        from ..engine.kernel import kernel

        return float(self.evaluate(1, kernel.parameter_rng())[0])

    # arithmetic builds trees
    def _bin(self, other, op, swap=False):
        other = as_parameter(other)
        return Binary(op, other, self) if swap else Binary(op, self, other)

    def __add__(self, o):
        return self._bin(o, operator.add)

    def __radd__(self, o):
        return self._bin(o, operator.add, True)

    def __sub__(self, o):
        return self._bin(o, operator.sub)

    def __rsub__(self, o):
        return self._bin(o, operator.sub, True)

    def __mul__(self, o):
        return self._bin(o, operator.mul)

    def __rmul__(self, o):
        return self._bin(o, operator.mul, True)

    def __truediv__(self, o):
        return self._bin(o, operator.truediv)

    def __rtruediv__(self, o):
        return self._bin(o, operator.truediv, True)

    def __pow__(self, o):
        return self._bin(o, operator.pow)

    def __neg__(self):
        return Binary(operator.mul, Constant(-1.0), self)

    def __lt__(self, o):
        return self._bin(o, operator.lt)

    def __le__(self, o):
        return self._bin(o, operator.le)

    def __gt__(self, o):
        return self._bin(o, operator.gt)

    def __ge__(self, o):
        return self._bin(o, operator.ge)

    def __eq__(self, o):
        return self._bin(o, operator.eq)

    def __ne__(self, o):
        return self._bin(o, operator.ne)

    __hash__ = object.__hash__


def as_parameter(x) -> Parameter:
    if isinstance(x, Parameter):
        return x
    if isinstance(x, numbers.Real):
        return Constant(float(x))
    raise BadParameter(f"Cannot combine a parameter with {x!r}; use a number or a parameter.")


class Constant(Parameter):
    def __init__(self, value: float):
        self.value = value

    def evaluate(self, n, rng):
        return np.full(n, self.value)


class Binary(Parameter):
    def __init__(self, op, a: Parameter, b: Parameter):
        self.op, self.a, self.b = op, a, b

    def evaluate(self, n, rng):
        return np.asarray(self.op(self.a.evaluate(n, rng), self.b.evaluate(n, rng)), dtype=np.float64)


class Unary(Parameter):
    def __init__(self, func, a: Parameter):
        self.func, self.a = func, a

    def evaluate(self, n, rng):
        return self.func(self.a.evaluate(n, rng))


class Random(Parameter):
    """One of NEST's random distributions; ``draw(rng, n)`` gives ``n`` deviates."""

    def __init__(self, name: str, draw, **params):
        self.name, self.draw, self.params = name, draw, params

    def evaluate(self, n, rng):
        return np.asarray(self.draw(rng, n), dtype=np.float64)

    def __repr__(self):
        args = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"nest.random.{self.name}({args})"


class Redraw(Parameter):
    def __init__(self, p: Parameter, lo: float, hi: float):
        self.p, self.lo, self.hi = p, lo, hi

    def evaluate(self, n, rng):
        v = self.p.evaluate(n, rng)
        for _ in range(1000):
            bad = (v < self.lo) | (v > self.hi)
            if not bad.any():
                return v
            v[bad] = self.p.evaluate(int(bad.sum()), rng)
        raise BadParameter(f"redraw: no value in [{self.lo}, {self.hi}] after 1000 attempts.")


class Conditional(Parameter):
    def __init__(self, cond: Parameter, a: Parameter, b: Parameter):
        self.cond, self.a, self.b = cond, a, b

    def evaluate(self, n, rng):
        return np.where(self.cond.evaluate(n, rng) != 0, self.a.evaluate(n, rng), self.b.evaluate(n, rng))


# ------------------------------------------------------------------ nest.random
def _positive(name, **vals):
    for k, v in vals.items():
        if not v > 0:
            raise BadParameter(f"nest.random.{name}: {k} must be > 0, got {v}.")


def uniform(min=0.0, max=1.0) -> Parameter:  # noqa: A002 - NEST's argument names
    """Uniform on [min, max)."""
    if not min < max:
        raise BadParameter(f"nest.random.uniform: min ({min}) must be smaller than max ({max}).")
    return Random("uniform", lambda rng, n: rng.uniform(min, max, n), min=min, max=max)


def uniform_int(max) -> Parameter:  # noqa: A002
    """Uniform integers in [0, max)."""
    if not (isinstance(max, numbers.Integral) and max > 0):
        raise BadParameter(f"nest.random.uniform_int: max must be a positive integer, got {max!r}.")
    return Random("uniform_int", lambda rng, n: rng.integers(0, max, n), max=max)


def normal(mean=0.0, std=1.0) -> Parameter:
    """Normal with ``mean`` and standard deviation ``std``."""
    _positive("normal", std=std)
    return Random("normal", lambda rng, n: rng.normal(mean, std, n), mean=mean, std=std)


def lognormal(mean=0.0, std=1.0) -> Parameter:
    """Lognormal: exp of a normal with ``mean`` and ``std``."""
    _positive("lognormal", std=std)
    return Random("lognormal", lambda rng, n: rng.lognormal(mean, std, n), mean=mean, std=std)


def exponential(beta=1.0) -> Parameter:
    """Exponential with scale (mean) ``beta``."""
    _positive("exponential", beta=beta)
    return Random("exponential", lambda rng, n: rng.exponential(beta, n), beta=beta)


# ------------------------------------------------------------------ nest.math, nest.logic
def exp(parameter) -> Parameter:
    return Unary(np.exp, as_parameter(parameter))


def sin(parameter) -> Parameter:
    return Unary(np.sin, as_parameter(parameter))


def cos(parameter) -> Parameter:
    return Unary(np.cos, as_parameter(parameter))


def min(parameter, value) -> Parameter:  # noqa: A001 - NEST's name
    return Binary(np.minimum, as_parameter(parameter), as_parameter(value))


def max(parameter, value) -> Parameter:  # noqa: A001
    return Binary(np.maximum, as_parameter(parameter), as_parameter(value))


def redraw(parameter, min, max) -> Parameter:  # noqa: A002
    """Draw again where the value falls outside [min, max]."""
    return Redraw(as_parameter(parameter), float(min), float(max) if max is not None else math.inf)


def conditional(condition, param_if_true, param_if_false) -> Parameter:
    return Conditional(as_parameter(condition), as_parameter(param_if_true), as_parameter(param_if_false))


# ------------------------------------------------------------------ NEST 2.x dictionaries
_LEGACY = {
    "normal": lambda d: normal(d.get("mu", 0.0), d.get("sigma", 1.0)),
    "normal_clipped": lambda d: redraw(
        normal(d.get("mu", 0.0), d.get("sigma", 1.0)), d.get("low", -math.inf), d.get("high", math.inf)
    ),
    "lognormal": lambda d: lognormal(d.get("mu", 0.0), d.get("sigma", 1.0)),
    "uniform": lambda d: uniform(d.get("low", 0.0), d.get("high", 1.0)),
    "uniform_int": lambda d: Binary(
        operator.add, uniform_int(int(d.get("high", 1)) - int(d.get("low", 0)) + 1), Constant(float(d.get("low", 0)))
    ),
    "exponential": lambda d: exponential(1.0 / d.get("lambda", 1.0)),
}


def from_legacy_dict(spec: dict, what: str) -> Parameter:
    """A NEST 2.x ``{"distribution": "normal", "mu": .., "sigma": ..}`` as a parameter."""
    from .compat import deprecated

    name = spec.get("distribution")
    if name not in _LEGACY:
        raise BadParameter(
            f"{what}: unknown distribution {name!r}. Valid (NEST 2.x) distributions: {', '.join(_LEGACY)}."
        )
    deprecated(f"{what} as a distribution dictionary", f"nest.random.{name.split('_clipped')[0]}(...)", 6)
    return _LEGACY[name](spec)


# ------------------------------------------------------------------ nest.CreateParameter
_CREATE = {
    "constant": (lambda value: Constant(float(value)), ("value",)),
    "uniform": (uniform, ("min", "max")),
    "uniform_int": (uniform_int, ("max",)),
    "normal": (normal, ("mean", "std")),
    "lognormal": (lognormal, ("mean", "std")),
    "exponential": (exponential, ("beta",)),
}


def CreateParameter(parametertype: str, specs: dict) -> Parameter:  # noqa: N802 - PyNEST's name
    """A parameter by its type name and a dict of its arguments (PyNEST's low-level form of
    ``nest.random.*``): ``CreateParameter("uniform", {"min": 0.0, "max": 2.0})``."""
    from ..errors import NESTErrors, UnaccessedDictionaryEntry

    if parametertype not in _CREATE:
        raise NESTErrors.UndefinedName(f"The name {parametertype} is not defined.")
    make, keys = _CREATE[parametertype]
    extra = [k for k in specs if k not in keys]
    if extra:
        raise UnaccessedDictionaryEntry(
            f"Unaccessed elements in param, in function create_parameter:  {' '.join(extra)}"
        )
    return make(**specs)
