"""nestling: NEST, the spiking neural network simulator, in Python.

``import nest`` gives PyNEST's API. Kernel properties read and write as module
attributes (``nest.resolution = 0.1``), as in NEST 3.
"""

from __future__ import annotations

import sys
import types

from . import errors, logic, math, random, spatial, spatial_distributions  # noqa: E402 - after the API it builds on
from .api.connect import CollocatedSynapses, Connect, Disconnect, GetConnections, SynapseCollection
from .api.help import help, helpdesk
from .api.info import GetLocalNodeCollection, GetNodes, Install, PrintNodes
from .api.kernel_status import (
    KERNEL_PROPERTIES,
    Cleanup,
    ConnectionRules,
    GetKernelStatus,
    GetLocalVPs,
    NumProcesses,
    Prepare,
    Rank,
    ReadOnlyKernelAttribute,
    ResetKernel,
    Run,
    RunManager,
    SetKernelStatus,
    Simulate,
    SyncProcesses,
    VerbosityLevel,
    get,
    get_verbosity,
    message,
    set,
    set_verbosity,
)
from .api.nodes import Create, NodeCollection
from .api.parameters import CreateParameter, Parameter
from .api.serialize import serialize_data, to_json
from .api.status import CopyModel, GetDefaults, GetStatus, Models, SetDefaults, SetStatus
from .api.tripartite import TripartiteConnect
from .api.unavailable import (
    Compartments,
    DisableStructuralPlasticity,
    EnableStructuralPlasticity,
    Receptors,
    SetAcceptableLatency,
    SetMaxBuffered,
    SonataNetwork,
    set_communicator,
)
from .errors import NESTError, NESTErrors
from .spatial.functions import (  # noqa: E402
    Displacement,
    Distance,
    DumpLayerConnections,
    DumpLayerNodes,
    FindCenterElement,
    FindNearestElement,
    GetPosition,
    GetSourceNodes,
    GetSourcePositions,
    GetTargetNodes,
    GetTargetPositions,
    SelectNodesByMask,
)
from .spatial.masks import CreateMask, Mask  # noqa: E402

_SPATIAL_PLOTS = ("PlotLayer", "PlotTargets", "PlotSources", "PlotProbabilityParameter")

__version__ = "3.10.0"
kernel_version = "0.1.0"


def version() -> str:
    """NEST version this package reproduces, and nestling's own."""
    return f"NEST 3.10.0 (nestling {kernel_version})"


# Users' own data kept with the kernel (NEST's nest.userdict).
userdict: dict = {}


def __getattr__(name):
    # Lazy submodules: plotting pulls in matplotlib only when used.
    if name in ("raster_plot", "voltage_trace", "visualization", "ll_api"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    if name in _SPATIAL_PLOTS:
        from .spatial import plotting

        return getattr(plotting, name)
    if name == "server":
        raise ModuleNotFoundError(
            "No module named 'nest.server': NEST Server (PyNEST over HTTP) is not part of nestling."
        )
    raise AttributeError(f"module 'nest' has no attribute '{name}'")


class NestModule(types.ModuleType):
    """The type of the ``nest`` module (as in NEST 3.10): kernel properties read and write
    as attributes; the read-only ones refuse assignment with NEST's AttributeError."""

    def __getattr__(self, name):
        if name in KERNEL_PROPERTIES:
            return KERNEL_PROPERTIES[name][0]()
        if name == "kernel_status":
            return GetKernelStatus()
        if name == "cycle_time_log":
            # NEST 3.10 lists this attribute but its kernel has no such value.
            raise KeyError("cycle_time_log")
        return __getattr__(name)

    def __setattr__(self, name, value):
        if name in KERNEL_PROPERTIES:
            if KERNEL_PROPERTIES[name][1] is None:
                raise ReadOnlyKernelAttribute(f"`{name}` is a read only kernel attribute.")
            SetKernelStatus({name: value})
            return
        if name in ("kernel_status", "cycle_time_log"):
            raise ReadOnlyKernelAttribute(f"`{name}` is a read only kernel attribute.")
        if name.startswith("_") or name in self.__dict__ or isinstance(value, types.ModuleType):
            super().__setattr__(name, value)  # (imports set submodules this way)
            return
        raise AttributeError(f"Cannot set attribute '{name}' on module 'nest'")

    def __dir__(self):
        # (the module's own name `set` is nest.set, not the builtin)
        return sorted({*super().__dir__(), *KERNEL_PROPERTIES, "kernel_status", "cycle_time_log",
                       "ll_api", "visualization", "server", "raster_plot", "voltage_trace"})  # fmt: skip


sys.modules[__name__].__class__ = NestModule

__all__ = [
    "Cleanup",
    "ConnectionRules",
    "GetLocalVPs",
    "NumProcesses",
    "Rank",
    "SyncProcesses",
    "get",
    "message",
    "set",
    "CollocatedSynapses",
    "Connect",
    "CreateParameter",
    "CopyModel",
    "Disconnect",
    "Create",
    "GetConnections",
    "GetDefaults",
    "GetKernelStatus",
    "GetLocalNodeCollection",
    "GetNodes",
    "Install",
    "PrintNodes",
    "GetStatus",
    "Models",
    "NESTError",
    "NESTErrors",
    "NodeCollection",
    "Parameter",
    "Prepare",
    "ResetKernel",
    "Run",
    "RunManager",
    "SetDefaults",
    "SetKernelStatus",
    "SetStatus",
    "Simulate",
    "SynapseCollection",
    "VerbosityLevel",
    "errors",
    "help",
    "helpdesk",
    "logic",
    "math",
    "random",
    "get_verbosity",
    "set_verbosity",
    "version",
    "userdict",
    "to_json",
    "serialize_data",
    "NestModule",
    "Compartments",
    "Receptors",
    "DisableStructuralPlasticity",
    "EnableStructuralPlasticity",
    "SetAcceptableLatency",
    "SetMaxBuffered",
    "SonataNetwork",
    "TripartiteConnect",
    "set_communicator",
    "spatial",
    "spatial_distributions",
    "CreateMask",
    "Mask",
    "GetPosition",
    "Distance",
    "Displacement",
    "FindCenterElement",
    "FindNearestElement",
    "SelectNodesByMask",
    "DumpLayerNodes",
    "DumpLayerConnections",
    "GetTargetNodes",
    "GetSourceNodes",
    "GetTargetPositions",
    "GetSourcePositions",
    *_SPATIAL_PLOTS,
]
