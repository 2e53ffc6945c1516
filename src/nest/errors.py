"""NEST's exception hierarchy.

Every error raised for bad user input is a subclass of :class:`NESTError` (alias
``KernelException``) and carries NEST's name, so ``except nest.NESTErrors.BadProperty``
works as in PyNEST.
"""

from __future__ import annotations


class NESTError(Exception):
    """Base of all errors raised by the simulation kernel."""

    @property
    def errorname(self) -> str:
        return type(self).__name__

    @property
    def errormessage(self) -> str:
        return str(self.args[0]) if self.args else ""


_NAMES = [
    "BadDelay",
    "BadParameter",
    "BadParameterValue",
    "BadProperty",
    "DimensionMismatch",
    "DistributionError",
    "DynamicModuleManagementError",
    "IllegalConnection",
    "IncompatibleReceptorType",
    "InexistentConnection",
    "InternalError",
    "InvalidDefaultResolution",
    "InvalidTimeInModel",
    "KeyError",
    "LayerExpected",
    "ModelInUse",
    "NamingConflict",
    "NewModelNameExists",
    "NotImplemented",
    "NumericalInstability",
    "RangeCheck",
    "StepMultipleRequired",
    "TimeMultipleRequired",
    "TypeMismatch",
    "UnaccessedDictionaryEntry",
    "UndefinedName",
    "UnexpectedEvent",
    "UnknownCompartment",
    "UnknownModelName",
    "UnknownNode",
    "UnknownPort",
    "UnknownReceptorType",
    "UnknownSynapseType",
    "UnknownThread",
    "UnsupportedEvent",
]


class _ErrorNamespace:
    """Attribute access to the error classes by NEST's names (``NESTErrors.BadProperty``)."""

    KernelException = NESTError

    def __iter__(self):
        return iter(n for n in dir(self) if not n.startswith("_"))


NESTErrors = _ErrorNamespace()
for _name in _NAMES:
    setattr(_ErrorNamespace, _name, type(_name, (NESTError,), {"__module__": "NESTErrors"}))

# Convenient module-level names for the engine's own use.
BadDelay = NESTErrors.BadDelay
BadParameter = NESTErrors.BadParameter
BadProperty = NESTErrors.BadProperty
IllegalConnection = NESTErrors.IllegalConnection
KernelException = NESTError
TypeMismatch = NESTErrors.TypeMismatch
UnaccessedDictionaryEntry = NESTErrors.UnaccessedDictionaryEntry
UnknownModelName = NESTErrors.UnknownModelName
UnknownNode = NESTErrors.UnknownNode
UnknownReceptorType = NESTErrors.UnknownReceptorType
UnknownSynapseType = NESTErrors.UnknownSynapseType
NewModelNameExists = NESTErrors.NewModelNameExists
