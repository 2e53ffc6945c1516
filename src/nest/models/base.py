"""Declarative model descriptions and the model registry.

A model is a description - its parameters and state variables with defaults, its
recordables, the checks its values must pass - plus the hooks the engine calls:
``prepare`` before a simulation and ``update`` once per slice of ``min_delay`` steps.
The values of the nodes of one ``Create`` call live in a
:class:`~nest.engine.nodes.NodeGroup`, one NumPy array per name.
"""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..errors import BadProperty, TypeMismatch, UnknownModelName

DBL_MAX = float(np.finfo(np.float64).max)

# What a node does in the engine; decides how its connections are routed.
ROLE_NEURON = "neuron"  # reads input buffers, emits spikes
ROLE_SPIKE_SOURCE = "spike_source"  # emits spikes without input (spike_generator)
ROLE_CURRENT_SOURCE = "current_source"  # sends a current to each target
ROLE_POISSON_SOURCE = "poisson_source"  # sends each target its own spike train
ROLE_SPIKE_RECORDER = "spike_recorder"  # receives spikes of its sources
ROLE_MULTIMETER = "multimeter"  # samples state variables of its targets


class Param:
    """One status entry of a model: its default and type.

    ``kind`` is ``"float"``, ``"int"``, ``"bool"``, ``"str"``, ``"floats"`` (a 1-d float
    array per node) or ``"list"`` (any list per node). ``state`` marks dynamic state
    (``V_m``) as opposed to parameters; both can be set by the user.
    """

    __slots__ = ("default", "kind", "state", "readonly", "doc", "unit")

    def __init__(self, default, kind="float", state=False, readonly=False, doc="", unit=""):
        self.default = default
        self.kind = kind
        self.state = state
        self.readonly = readonly
        self.doc = doc
        self.unit = unit


def _coerce(model: str, key: str, kind: str, value: Any, n: int):
    """Convert a user value for ``key`` to what a group stores; raise TypeMismatch."""
    if kind in ("float", "int", "bool"):
        arr = np.asarray(value)
        if arr.dtype == object or arr.dtype.kind in "USV":
            raise TypeMismatch(
                f"{model}: parameter '{key}' expects a number ({'float' if kind == 'float' else kind}), got {value!r}."
            )
        if kind == "float":
            if arr.dtype.kind == "b":
                raise TypeMismatch(f"{model}: parameter '{key}' expects a float, got {value!r}.")
            return arr.astype(np.float64)
        if kind == "int":
            if arr.dtype.kind == "f":
                if not np.all(np.isfinite(arr)) or np.any(arr != np.round(arr)):
                    raise TypeMismatch(f"{model}: parameter '{key}' expects an integer, got {value!r}.")
            return arr.astype(np.int64)
        return arr.astype(bool)
    if kind == "str":
        if not isinstance(value, str):
            raise TypeMismatch(f"{model}: parameter '{key}' expects a string, got {value!r}.")
        return value
    if kind == "floats":
        try:
            return np.asarray(value, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            raise TypeMismatch(f"{model}: parameter '{key}' expects a list of numbers, got {value!r}.") from None
    return list(value) if not isinstance(value, str) else [value]


def archiving_params() -> dict[str, Param]:
    """Status entries NEST's spike-archiving neurons share (calcium trace, STDP archive)."""
    return {
        "Ca": Param(0.0, state=True, doc="Calcium concentration", unit="a.u."),
        "beta_Ca": Param(0.001, doc="Increment of Ca per spike"),
        "tau_Ca": Param(10000.0, doc="Time constant of Ca decay", unit="ms"),
        "tau_minus": Param(20.0, doc="Time constant of the STDP post-synaptic trace", unit="ms"),
        "tau_minus_triplet": Param(110.0, doc="Time constant of the triplet STDP trace", unit="ms"),
        "post_trace": Param(0.0, state=True, readonly=True, doc="Post-synaptic STDP trace"),
        "archiver_length": Param(0, kind="int", readonly=True, doc="Number of archived spikes"),
        "t_spike": Param(-1.0, state=True, readonly=True, doc="Time of the last spike", unit="ms"),
        "synaptic_elements": Param({}, kind="list", readonly=True, doc="Structural plasticity elements"),
        "ignore_and_spike": Param(False, kind="bool", doc="Ignore input and spike regularly (not supported yet)"),
        "ignore_and_spike_interval": Param(100.0, doc="Interval of ignore_and_spike", unit="ms"),
        "ignore_and_spike_offset": Param(1.0, doc="Offset of ignore_and_spike", unit="ms"),
    }


def check_archiving(model: Model, values: dict[str, Any], first_gid: int | None) -> None:
    """NEST's check of the spike-archive time constants, after the model's own checks."""
    if "tau_minus_triplet" not in model.params or "tau_Ca" not in model.params:
        return
    for key in ("tau_minus", "tau_minus_triplet", "tau_Ca"):
        require(np.asarray(values[key]) > 0, model, first_gid, "All time constants must be strictly positive.")


class Model:
    """Base of all node models.

    Subclasses set ``name``, ``element_type``, ``role``, ``params`` and ``recordables``
    and implement ``check``, ``prepare`` and ``update`` as they need.
    """

    name = ""
    element_type = "neuron"
    role = ROLE_NEURON
    params: dict[str, Param] = {}
    recordables: tuple[str, ...] = ()
    doc = ""
    elementsize = 256  # bytes NEST reports per node; shown by GetDefaults only

    def __init__(self, name: str | None = None):
        if name is not None:
            self.name = name
        # The defaults a new node gets; SetDefaults changes them, CopyModel copies them.
        self.defaults: dict[str, Any] = {k: copy.deepcopy(p.default) for k, p in self.params.items()}
        self.base_name = self.name

    # ----- description -----------------------------------------------------------
    def copy(self, new_name: str) -> Model:
        other = copy.copy(self)
        other.name = new_name
        other.defaults = copy.deepcopy(self.defaults)
        return other

    def coerce(self, key: str, value: Any, n: int):
        return _coerce(self.name, key, self.params[key].kind, value, n)

    def unknown_key_error(self, key: str, where: str = "SetStatus"):
        from ..errors import UnaccessedDictionaryEntry

        valid = ", ".join(sorted(k for k, p in self.params.items() if not p.readonly))
        return UnaccessedDictionaryEntry(
            f"{where}: '{key}' is not a parameter of model '{self.name}'. Valid names: {valid}."
        )

    # ----- hooks ------------------------------------------------------------------
    def check(self, values: dict[str, Any], n: int, first_gid: int | None) -> None:
        """Raise BadProperty if ``values`` (the complete, updated status) is invalid."""

    def prepare(self, group, kernel) -> None:
        """Compute what ``update`` needs (propagators, buffers) before a simulation."""

    def update(self, group, kernel, t0: int, m: int) -> None:
        """Advance ``group`` from step ``t0`` to ``t0 + m``."""

    def finish_run(self, group, kernel) -> None:
        """Bring the user-visible values up to date after ``Simulate`` or ``Run``."""

    def extra_status(self, group, i: int) -> dict:
        """Read-only status entries computed on demand (``events``, ``n_events``)."""
        return {}

    def set_extra(self, group, idx, key: str, value) -> bool:
        """Handle a settable key outside ``params`` (``n_events``); True if handled."""
        return False


def window_steps(origin, start, stop, h):
    """(lo, hi] in steps for device windows; ``stop`` at DBL_MAX means never."""
    origin = np.asarray(origin, dtype=np.float64)
    lo = np.rint((origin + start) / h)
    finite = np.asarray(stop) < DBL_MAX / 2
    hi = np.full(np.shape(lo), np.inf)
    hi[finite] = np.rint((origin + np.asarray(stop))[finite] / h)
    return lo, hi


def where_text(model: Model, first_gid: int | None) -> str:
    if first_gid is None:
        return f"Setting defaults of '{model.name}'"
    return f"Setting status of a '{model.name}' with node ID {first_gid}"


def require(cond, model: Model, first_gid, msg: str) -> None:
    """Raise BadProperty with NEST's wording if ``cond`` fails for any node."""
    if not np.all(cond):
        raise BadProperty(f"{where_text(model, first_gid)}: {msg}")


class Registry:
    """Names of node models and synapse models known to the kernel."""

    def __init__(self):
        self.nodes: dict[str, Model] = {}
        self.synapses: dict[str, Any] = {}
        self.aliases: dict[str, tuple[str, str]] = {}

    def add(self, model: Model) -> None:
        self.nodes[model.name] = model

    def add_alias(self, old: str, new: str, note: str) -> None:
        self.aliases[old] = (new, note)

    def node(self, name: str) -> Model:
        import warnings

        if not isinstance(name, str):
            raise UnknownModelName(f"Model name must be a string, got {name!r}.")
        if name in self.aliases:
            new, note = self.aliases[name]
            warnings.warn(
                f"'{name}' is the NEST 2.x name; use '{new}' in NEST 3. {note}",
                DeprecationWarning,
                stacklevel=4,
            )
            name = new
        try:
            return self.nodes[name]
        except KeyError:
            raise UnknownModelName(f"{name} is not a known model name.") from None
