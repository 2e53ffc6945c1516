"""Kernel properties (``nest.resolution``, ``GetKernelStatus``...) and simulation control."""

from __future__ import annotations

import enum
import numbers

import numpy as np

from ..engine import after_slice
from ..engine.kernel import DEFAULT_SEED, kernel
from ..errors import BadDelay, BadParameter, BadProperty, KernelException, TypeMismatch, UnaccessedDictionaryEntry
from . import timers
from .compat import translate_kernel_params


class VerbosityLevel(enum.IntEnum):
    """How much the kernel reports (NEST 3.10's ``nest.VerbosityLevel``)."""

    ALL = 0
    DEBUG = 5
    STATUS = 7
    INFO = 10
    DEPRECATED = 18
    WARNING = 20
    ERROR = 30
    FATAL = 40
    QUIET = 100


_verbosity = [VerbosityLevel.INFO]


def _get_verbosity():
    return _verbosity[0]


def _set_verbosity(level):
    if isinstance(level, str):
        name = level[2:] if level.startswith("M_") else level
        try:
            level = VerbosityLevel[name.upper()]
        except KeyError:
            raise BadProperty(
                f"Unknown verbosity level {level!r}. Valid levels: {', '.join('M_' + v.name for v in VerbosityLevel)}."
            ) from None
    _verbosity[0] = VerbosityLevel(int(level))


def set_verbosity(level) -> None:
    """Set the kernel's verbosity (``"M_WARNING"``, ``"M_ERROR"``, a VerbosityLevel...)."""
    _set_verbosity(level)


def get_verbosity():
    return _get_verbosity()


# name -> (getter, setter or None for read-only, doc)
def _set_resolution(v):
    v = float(v)
    if kernel.n_nodes or kernel.simulated:
        raise KernelException(
            "Cannot change the resolution after nodes have been created or the network has been simulated; "
            "call ResetKernel() first."
        )
    if v <= 0:
        raise BadProperty("The resolution must be > 0.")
    tics = v * kernel.tics_per_ms
    if abs(tics - round(tics)) > 1e-9 * max(1.0, tics):
        raise BadProperty(f"The resolution must be a multiple of the tic length {1 / kernel.tics_per_ms} ms.")
    kernel.h = v
    kernel.dirty = True


def _set_seed(v):
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or not 0 < int(v) < 2**32:
        raise BadProperty(f"rng_seed must be an integer in [1, 2**32 - 1], got {v!r}.")
    kernel.rng_seed = int(v)
    kernel.dirty = True


def _set_threads(v):
    if isinstance(v, bool) or not isinstance(v, numbers.Integral) or int(v) < 1:
        raise BadProperty(f"local_num_threads must be a positive integer, got {v!r}.")
    if kernel.n_nodes:
        raise KernelException(
            "local_num_threads cannot be changed after nodes have been created; call ResetKernel() first."
        )
    kernel.threads = int(v)
    kernel.dirty = True


def _set_attr(name, kind):
    def setter(v):
        if kind is bool and not isinstance(v, (bool, int)):
            raise TypeMismatch(f"{name} must be a bool, got {v!r}.")
        if kind is str and not isinstance(v, str):
            raise TypeMismatch(f"{name} must be a string, got {v!r}.")
        setattr(kernel, name, kind(v))

    return setter


def _set_biological_time(v):
    if v != 0.0:
        raise BadProperty("The simulation time can only be set to 0.0.")
    if kernel.t != 0:
        from ..errors import NESTErrors

        # NEST turns its clock back and keeps the network's state; here spikes in flight
        # sit in ring-buffer slots fixed by the current time, so the clock cannot move.
        raise NESTErrors.NotImplemented(
            "nestling cannot set the simulation time back to 0.0 after simulating; call ResetKernel()."
        )


def _node_models():
    return sorted(kernel.registry.nodes)


def _synapse_models():
    return sorted(kernel.registry.synapses)


# Properties nestling keeps as values: NEST's MPI buffers, waveform relaxation, e-prop
# and structural plasticity have no counterpart in its engine, so they only hold what
# is set (checked as NEST checks it). name -> (NEST 3.10's default, type).
_STORED_DEFAULTS = {
    "adaptive_target_buffers": (True, bool),
    "buffer_size_spike_data": (2, int),
    "buffer_size_target_data": (2, int),
    "growth_factor_buffer_spike_data": (1.5, float),
    "growth_factor_buffer_target_data": (1.5, float),
    "max_buffer_size_target_data": (16777216, int),
    "spike_buffer_grow_extra": (0.5, float),
    "spike_buffer_shrink_limit": (0.2, float),
    "spike_buffer_shrink_spare": (0.1, float),
    "structural_plasticity_update_interval": (10000.0, float),
    "use_compressed_spikes": (True, bool),
    "use_wfr": (True, bool),
    "wfr_comm_interval": (1.0, float),
    "wfr_tol": (0.0001, float),
    "wfr_max_iterations": (15, int),
    "wfr_interpolation_order": (3, int),
    "eprop_update_interval": (1000.0, float),
    "eprop_learning_window": (1000.0, float),
    "eprop_reset_neurons_on_update": (True, bool),
}
_stored = {k: v for k, (v, _t) in _STORED_DEFAULTS.items()}
# What NEST 3.10's ResetKernel leaves as set (its MPI buffer and e-prop settings).
_SURVIVE_RESET = {
    "adaptive_target_buffers",
    "buffer_size_spike_data",
    "buffer_size_target_data",
    "growth_factor_buffer_spike_data",
    "growth_factor_buffer_target_data",
    "max_buffer_size_target_data",
    "eprop_learning_window",
    "eprop_reset_neurons_on_update",
    "eprop_update_interval",
}
_CPP_TYPE = {bool: "bool", int: "long", float: "double", str: "std::string"}


def _cast(name, kind, v):
    """``v`` as ``kind``, or NEST's TypeMismatch (ints pass as doubles, not the reverse)."""
    ok = isinstance(v, (kind, np.bool_) if kind is bool else (numbers.Integral,) if kind is int else numbers.Real)
    if isinstance(v, (bool, np.bool_)) and kind is not bool:
        ok = False
    if not ok:
        given = "std::string" if isinstance(v, str) else _CPP_TYPE.get(type(v), type(v).__name__)
        if isinstance(v, numbers.Real) and not isinstance(v, (numbers.Integral, bool)):
            given = "double"
        # (NEST ends the message with a full stop for doubles only)
        end = "." if kind is float else ""
        raise TypeMismatch(f"Expected datatype: Failed to cast '{name}' from {given} to type {_CPP_TYPE[kind]}{end}")
    return kind(v)


def _check_stored(name, v):
    # NEST's conditions (its KernelException carries no message; the reason is logged).
    checks = {
        "wfr_comm_interval": (v >= kernel.h, "Communication interval of the waveform relaxation must be greater "
                                             "or equal to the resolution of the simulation."),
        "wfr_tol": (v >= 0, "Tolerance must be zero or positive"),
        "wfr_max_iterations": (v > 0, "Maximal number of iterations for the waveform relaxation must be positive. "
                                      "To disable waveform relaxation set use_wfr instead."),
        "wfr_interpolation_order": (v in (0, 1, 3), "Interpolation order must be 0, 1, or 3."),
        "eprop_update_interval": (v > 0, "eprop_update_interval > 0 required."),
        "eprop_learning_window": (
            v > 0 and v <= _stored["eprop_update_interval"],
            "eprop_learning_window > 0 and eprop_learning_window <= eprop_update_interval required.",
        ),
    }  # fmt: skip
    if name == "use_wfr" and kernel.n_nodes:
        raise KernelException(
            "Cannot enable/disable usage of waveform relaxation after nodes have been created. "
            "Please call ResetKernel first."
        )
    if name == "spike_buffer_shrink_limit" and v < 0:
        raise BadProperty("buffer_shrink_limit >= 0 required.")
    if name in checks and not checks[name][0]:
        raise KernelException(checks[name][1])


def _stored_property(name):
    kind = _STORED_DEFAULTS[name][1]

    def setter(v):
        v = _cast(name, kind, v)
        _check_stored(name, v)
        _stored[name] = v

    return (lambda: _stored[name], setter)


def _set_sp_synapses(v):
    if not isinstance(v, dict):
        raise TypeMismatch(f"structural_plasticity_synapses must be a dict, got {v!r}.")
    if v:
        from ..errors import NESTErrors

        raise NESTErrors.NotImplemented(
            "Structural plasticity is not available in nestling: no model has synaptic elements or growth "
            "curves, so structural_plasticity_synapses can only be empty."
        )


def _set_update_time_limit(v):
    v = _cast("update_time_limit", float, v)
    if not v > 0:
        raise KernelException("update_time_limit > 0 required.")
    after_slice.stats.update_time_limit = v


def _memory_size() -> int:
    """Virtual memory of this process in kB (VmSize, what NEST reports; -1 if unknown)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmSize:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return -1


def _build_info() -> dict:
    import platform

    from .. import __version__

    return {
        "built": "nestling (pure Python)",
        "datadir": "",
        "docdir": "",
        "exitcode": 0,
        "have_boost": False,
        "have_gsl": False,
        "have_hdf5": False,
        "have_libneurosim": False,
        "have_mpi": False,
        "have_music": False,
        "have_sionlib": False,
        "have_threads": True,
        "host": platform.node(),
        "hostcpu": platform.machine(),
        "hostos": platform.system().lower(),
        "hostvendor": "unknown",
        "ndebug": True,
        "prefix": "",
        "test_exitcodes": {},
        "threads_model": "numba",
        "version": __version__,
    }


# NEST's largest and smallest time in ms (its tic counter's range).
_T_LIMIT = 1152921504606846.8

KERNEL_PROPERTIES = {
    "resolution": (lambda: kernel.h, _set_resolution),
    "rng_seed": (lambda: kernel.rng_seed, _set_seed),
    "local_num_threads": (lambda: kernel.threads, _set_threads),
    "total_num_virtual_procs": (lambda: kernel.threads, _set_threads),
    "print_time": (lambda: kernel.print_time, _set_attr("print_time", bool)),
    "data_path": (lambda: kernel.data_path, _set_attr("data_path", str)),
    "data_prefix": (lambda: kernel.data_prefix, _set_attr("data_prefix", str)),
    "overwrite_files": (lambda: kernel.overwrite_files, _set_attr("overwrite_files", bool)),
    "dict_miss_is_error": (lambda: kernel.dict_miss_is_error, _set_attr("dict_miss_is_error", bool)),
    "biological_time": (lambda: kernel.biological_time, _set_biological_time),
    "min_delay": (
        lambda: (kernel._delay_range()[0] if not kernel.simulated else kernel.min_delay_steps) * kernel.h,
        lambda v: _set_delay_extrema({"min_delay": v}),  # alone: NEST's error (both are needed)
    ),
    "max_delay": (
        lambda: (kernel._delay_range()[1] if not kernel.simulated else kernel.max_delay_steps) * kernel.h,
        lambda v: _set_delay_extrema({"max_delay": v}),  # alone: NEST's error (both are needed)
    ),
    "num_connections": (lambda: kernel.num_connections, None),
    "network_size": (lambda: kernel.n_nodes, None),
    "tics_per_ms": (lambda: kernel.tics_per_ms, None),
    "ms_per_tic": (lambda: 1.0 / kernel.tics_per_ms, None),
    "tics_per_step": (lambda: int(round(kernel.h * kernel.tics_per_ms)), None),
    "num_processes": (lambda: 1, None),
    "mpi_rank": (lambda: 0, None),
    "node_models": (_node_models, None),
    "synapse_models": (_synapse_models, None),
    "connection_rules": (lambda: sorted(__import__("nest.engine.rules", fromlist=["RULES"]).RULES), None),
    "recording_backends": (lambda: ["ascii", "memory", "screen"], None),
    "rng_type": (lambda: "splitmix64_counter", None),
    "rng_types": (lambda: ["splitmix64_counter"], None),
    "T_min": (lambda: -_T_LIMIT, None),
    "T_max": (lambda: _T_LIMIT, None),
    "prepared": (lambda: not kernel.dirty and kernel.simulated, None),
    "off_grid_spiking": (lambda: kernel.off_grid_spiking, None),
    "time_simulate": (lambda: timers.wall("simulate"), None),
    "time_simulate_cpu": (lambda: timers.cpu("simulate"), None),
    "time_construction_create": (lambda: timers.wall("create"), None),
    "time_construction_create_cpu": (lambda: timers.cpu("create"), None),
    "time_construction_connect": (lambda: timers.wall("connect"), None),
    "time_construction_connect_cpu": (lambda: timers.cpu("connect"), None),
    "time_communicate_prepare": (lambda: np.array([timers.wall("prepare")]), None),
    "time_communicate_prepare_cpu": (lambda: np.array([timers.cpu("prepare")]), None),
    "keep_source_table": (lambda: True, None),
    "verbosity": (_get_verbosity, _set_verbosity),
    **{name: _stored_property(name) for name in _STORED_DEFAULTS},
    "structural_plasticity_synapses": (lambda: {}, _set_sp_synapses),
    "update_time_limit": (lambda: after_slice.stats.update_time_limit, _set_update_time_limit),
    "local_spike_counter": (lambda: after_slice.stats.spike_count, None),
    "min_update_time": (lambda: after_slice.stats.min_update_time, None),
    "max_update_time": (lambda: after_slice.stats.max_update_time, None),
    "to_do": (lambda: after_slice.to_do(kernel), None),
    "memory_size": (_memory_size, None),
    "build_info": (_build_info, None),
    "growth_curves": (lambda: [], None),  # no structural plasticity here
    "max_num_syn_models": (lambda: 511, None),
    "modules": (lambda: [], None),
    "recv_buffer_size_secondary_events": (lambda: 0, None),
    "send_buffer_size_secondary_events": (lambda: 0, None),
    "spike_buffer_resize_log": (
        lambda: {k: np.zeros(0) for k in ("global_max_spikes_sent", "new_buffer_size", "times")},
        None,
    ),
    "stimulation_backends": (lambda: [], None),
}


def GetKernelStatus(keys=None):
    """Kernel properties: all as a dict, one value, or a tuple of values."""
    if keys is None:
        return {k: get() for k, (get, _s) in sorted(KERNEL_PROPERTIES.items())}
    if isinstance(keys, str):
        return _get(keys)
    return tuple(_get(k) for k in keys)


def _get(key):
    try:
        return KERNEL_PROPERTIES[key][0]()
    except KeyError:
        raise UnaccessedDictionaryEntry(
            f"'{key}' is not a kernel property. Valid names: {', '.join(sorted(KERNEL_PROPERTIES))}."
        ) from None


# min_delay and max_delay set by the user, in steps (None: taken from the connections).
_user_delays: list = [None]


def _set_delay_extrema(params: dict) -> None:
    """``min_delay`` and ``max_delay`` given together before any connection, as NEST wants.

    The kernel takes its delay range from the connections; a range set here replaces that
    (``Kernel.user_delay_range``, dropped by ResetKernel), and ``Connect`` refuses delays
    outside it.
    """
    if "min_delay" not in params or "max_delay" not in params:
        raise BadProperty("Both min_delay and max_delay have to be specified")
    if kernel.num_connections:
        raise BadProperty("Connections already exist. Please call ResetKernel first")
    lo, hi = (_cast(k, float, params[k]) for k in ("min_delay", "max_delay"))
    if lo > hi:
        raise BadDelay(f"Delay value {lo:g} is invalid: min_delay must be smaller than or equal to max_delay.")
    steps = (max(int(round(lo / kernel.h)), 1), max(int(round(hi / kernel.h)), 1))
    _user_delays[0] = steps
    kernel.user_delay_range = steps


def check_delays_in_range(delay_steps) -> None:
    """Refuse delays (steps) outside a range set with ``SetKernelStatus``, with NEST's error."""
    if _user_delays[0] is None or np.size(delay_steps) == 0:
        return
    lo, hi = _user_delays[0]
    d_lo, d_hi = int(np.min(delay_steps)), int(np.max(delay_steps))
    if d_lo < lo:
        raise BadDelay(
            f"Delay value {float(kernel.steps_to_ms(d_lo)):g} is invalid: Delay must be greater than or equal to "
            "min_delay. You may set min_delay before creating connections."
        )
    if d_hi > hi:
        raise BadDelay(
            f"Delay value {float(kernel.steps_to_ms(d_hi)):g} is invalid: Delay must be smaller than or equal to "
            "max_delay. You may set min_delay before creating connections."
        )


def SetKernelStatus(params: dict) -> None:
    """Set kernel properties; read-only ones and unknown names raise, nothing is half-set."""
    params = translate_kernel_params(params)
    if "min_delay" in params or "max_delay" in params:
        params = dict(params)
        if "resolution" in params:
            SetKernelStatus({"resolution": params.pop("resolution")})
        _set_delay_extrema(params)
        del params["min_delay"], params["max_delay"]
    for key in params:
        if key == "cycle_time_log":  # listed by NEST, read-only, without a value
            raise ReadOnlyKernelProperty(f"`{key}` is a readonly kernel parameter")
        if key not in KERNEL_PROPERTIES:
            raise UnaccessedDictionaryEntry(
                f"'{key}' is not a kernel property. Valid names: {', '.join(sorted(KERNEL_PROPERTIES))}."
            )
        if KERNEL_PROPERTIES[key][1] is None:
            raise ReadOnlyKernelProperty(f"`{key}` is a readonly kernel parameter")
    # resolution first: other values may be checked against it
    for key in sorted(params, key=lambda k: k != "resolution"):
        KERNEL_PROPERTIES[key][1](params[key])


class ReadOnlyKernelProperty(KernelException, ValueError):
    """Setting a read-only kernel property: NEST 3.10 raises ValueError (SetKernelStatus)."""


class ReadOnlyKernelAttribute(KernelException, AttributeError):
    """Assigning ``nest.<read-only property>``: NEST 3.10 raises AttributeError."""


def get(*args):
    """Kernel properties: all (a dict), one value, or a tuple of values."""
    if not args:
        return GetKernelStatus()
    if len(args) == 1:
        return GetKernelStatus(args[0])
    return GetKernelStatus(list(args))


def set(**kwargs) -> None:  # noqa: A001 - PyNEST's name
    """Set kernel properties: ``nest.set(resolution=0.1, rng_seed=12)``."""
    SetKernelStatus(kwargs)


def Rank() -> int:
    """This process's MPI rank (0: nestling runs in one process)."""
    return 0


def NumProcesses() -> int:
    """Number of MPI processes (1)."""
    return 1


def GetLocalVPs():
    """Virtual processes of this rank."""
    return iter(range(kernel.threads))


def SyncProcesses() -> None:
    """Wait for all MPI processes (nothing to wait for in one process)."""


def message(message: str, severity=VerbosityLevel.INFO, *, function=None, filename=None, lineno=None) -> None:
    """Print a kernel message if ``severity`` reaches the verbosity."""
    level = VerbosityLevel[severity[2:]] if isinstance(severity, str) and severity.startswith("M_") else severity
    if int(level) >= int(_get_verbosity()):
        where = f" {function}" if function else ""
        print(f"[{VerbosityLevel(int(level)).name}]{where}: {message}")


def ConnectionRules() -> tuple[str, ...]:
    """NEST 2.x name of ``nest.connection_rules``."""
    import warnings

    warnings.warn("ConnectionRules() is deprecated; use nest.connection_rules.", DeprecationWarning, stacklevel=2)
    return KERNEL_PROPERTIES["connection_rules"][0]()


def ResetKernel() -> None:
    """Remove all nodes and connections, restore every model's defaults and the kernel's."""
    kernel.reset()
    _user_delays[0] = None
    _stored.update({k: v for k, (v, _t) in _STORED_DEFAULTS.items() if k not in _SURVIVE_RESET})
    after_slice.reset()
    timers.reset()


def Simulate(t: float) -> None:
    """Simulate the network for ``t`` milliseconds (continues from the current time)."""
    import time

    if isinstance(t, bool) or not isinstance(t, numbers.Real):
        raise TypeMismatch(f"Simulate: the time must be a number, got {t!r}.")
    start = time.perf_counter()
    if t < 0:
        raise BadParameter("The simulation time cannot be negative.")
    n_steps = kernel.steps(float(t), "Simulation time", error=BadParameter)
    with timers.timed("prepare"):
        kernel.prepare()
    after_slice.begin(kernel, n_steps)
    with timers.timed("simulate", replace=True):
        kernel.simulate(float(t))
    kernel.sim_time_total += time.perf_counter() - start


def Prepare() -> None:
    """Make the network ready to ``Run`` (as ``Simulate`` does first)."""
    with timers.timed("prepare"):
        kernel.prepare()
    _prepared[0] = True


def Run(t: float) -> None:
    """Simulate ``t`` ms of a network made ready by ``Prepare``."""
    if not _prepared[0]:
        raise KernelException("Run: call Prepare() first (or use Simulate).")
    if t < 0:
        raise BadParameter("The simulation time cannot be negative.")
    kernel.prepare()
    n_steps = kernel.steps(t, "Simulation time")
    after_slice.begin(kernel, n_steps)
    kernel.run(n_steps)


def Cleanup() -> None:
    """End a ``Prepare``/``Run`` sequence."""
    _prepared[0] = False


_prepared = [False]


class RunManager:
    """Context manager for ``Prepare``, several ``Run`` calls and ``Cleanup``."""

    def __enter__(self):
        Prepare()
        return self

    def __exit__(self, *exc):
        Cleanup()
        return False


__all__ = [
    "DEFAULT_SEED",
    "GetKernelStatus",
    "SetKernelStatus",
    "ResetKernel",
    "Simulate",
    "Prepare",
    "Run",
    "Cleanup",
    "RunManager",
    "set_verbosity",
    "get_verbosity",
    "VerbosityLevel",
    "KERNEL_PROPERTIES",
]
