"""nestling: NEST, the spiking neural network simulator, in Python.

``import nest`` gives PyNEST's API. Kernel properties read and write as module
attributes (``nest.resolution = 0.1``), as in NEST 3.
"""

from __future__ import annotations

import sys
import types

from . import errors, logic, math, random
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
from .api.parameters import Parameter
from .api.status import CopyModel, GetDefaults, GetStatus, Models, SetDefaults, SetStatus
from .errors import NESTError, NESTErrors

__version__ = "3.10.0"
kernel_version = "0.1.0"


def version() -> str:
    """NEST version this package reproduces, and nestling's own."""
    return f"NEST 3.10.0 (nestling {kernel_version})"


def __getattr__(name):
    # Lazy submodules: plotting pulls in matplotlib only when used.
    if name in ("raster_plot", "voltage_trace"):
        import importlib

        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module 'nest' has no attribute '{name}'")


class _NestModule(types.ModuleType):
    """Module type that exposes kernel properties as attributes."""

    def __getattr__(self, name):
        if name in KERNEL_PROPERTIES:
            return KERNEL_PROPERTIES[name][0]()
        if name == "verbosity":
            return get_verbosity()
        return __getattr__(name)

    def __setattr__(self, name, value):
        if name in KERNEL_PROPERTIES:
            SetKernelStatus({name: value})
            return
        super().__setattr__(name, value)

    def __dir__(self):
        # (the module's own name `set` is nest.set, not the builtin)
        return sorted({*super().__dir__(), *KERNEL_PROPERTIES})


sys.modules[__name__].__class__ = _NestModule

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
]
