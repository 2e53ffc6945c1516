"""PyNEST functions for mechanisms nestling does not have: MPI communicators, MUSIC
ports, SONATA files, structural plasticity, tripartite (astrocyte) connections and
compartmental models. Each behaves as NEST 3.10 does where that is meaningful here and
otherwise raises an error under NEST's name that says what is missing and why."""

from __future__ import annotations

from ..errors import NESTErrors
from .nodes import NodeCollection

_structural_plasticity = [False]


def set_communicator(comm) -> None:
    """Use an mpi4py communicator: nestling runs in one process, so only a communicator
    of size 1 is accepted (NEST needs mpi4py for this call, as here)."""
    try:
        import mpi4py  # noqa: F401
    except ImportError:
        raise ModuleNotFoundError("No module named 'mpi4py'.") from None
    if comm.Get_size() != 1:
        raise NESTErrors.NotImplemented(
            f"nestling runs in one process; a communicator of {comm.Get_size()} processes cannot be used."
        )


def SetAcceptableLatency(port_name: str, latency: float) -> None:
    """MUSIC port latency: NEST 3.10 raises NotImplementedError (no MUSIC in its new API), so does nestling."""
    raise NotImplementedError(f"SetAcceptableLatency({port_name!r}): MUSIC ports are not available (as in NEST 3.10).")


def SetMaxBuffered(port_name: str, size: int) -> None:
    """MUSIC port buffer size: NEST 3.10 raises NotImplementedError, so does nestling."""
    raise NotImplementedError(f"SetMaxBuffered({port_name!r}): MUSIC ports are not available (as in NEST 3.10).")


def EnableStructuralPlasticity() -> None:
    """Switch structural plasticity on. Without ``structural_plasticity_synapses`` (the
    only setting nestling accepts: it has no synaptic elements) this changes nothing, as
    in NEST."""
    _structural_plasticity[0] = True


def DisableStructuralPlasticity() -> None:
    """Switch structural plasticity off."""
    _structural_plasticity[0] = False


class SonataNetwork:
    """NEST's SONATA network reader. nestling has no SONATA reader (NEST's needs NEST
    built with HDF5, and h5py and pandas), so making one raises, as NEST without HDF5 does."""

    def __init__(self, config, sim_config=None):
        raise ModuleNotFoundError(
            "'SonataNetwork' unavailable because nestling has no SONATA reader "
            "(NEST needs HDF5 support and the packages h5py and pandas for it)."
        )


class _CompartmentalElements:
    """A tuple of dicts describing compartments or receptors of compartmental model
    nodes (NEST's ``Compartments`` and ``Receptors``); adding to it with ``+=`` sets
    them on the nodes (``add_compartments`` / ``add_receptors`` of ``cm_default``; other
    models raise their unknown-key error)."""

    def __init__(self, node_collection, elements):
        if not isinstance(node_collection, NodeCollection):
            raise TypeError(f"node_collection must be a NodeCollection, got {type(node_collection)}")
        if isinstance(elements, list):
            elements = tuple(elements)
        if not isinstance(elements, tuple):
            raise TypeError(f"elements must be a tuple of dicts, got {type(elements)}")
        self._elements = elements
        self._node_collection = node_collection

    def _more(self, other) -> list:
        name = type(self).__name__
        if isinstance(other, dict):
            return [other]
        if isinstance(other, type(self)):
            return list(other._elements)
        if isinstance(other, (list, tuple)):
            if all(isinstance(d, dict) for d in other):
                return list(other)
            raise TypeError(f"{name} can only be added with dicts, lists of dicts, or other {name}")
        raise NotImplementedError(
            f"{name} can only be added with dicts, lists of dicts, or other {name}, got {type(other)}"
        )

    def __add__(self, other):
        return type(self)(self._node_collection, self._elements + tuple(self._more(other)))

    def __iadd__(self, other):
        self._node_collection.set({f"add_{type(self).__name__.lower()}": self._more(other)})
        return self

    def __getitem__(self, key):
        return self._elements[key]

    def __str__(self) -> str:
        return str(self._elements)

    def get_tuple(self) -> tuple:
        return self._elements


class Compartments(_CompartmentalElements):
    """Compartments of compartmental model nodes (see ``_CompartmentalElements``)."""


class Receptors(_CompartmentalElements):
    """Receptors of compartmental model nodes (see ``_CompartmentalElements``)."""


__all__ = [
    "Compartments",
    "DisableStructuralPlasticity",
    "EnableStructuralPlasticity",
    "Receptors",
    "SetAcceptableLatency",
    "SetMaxBuffered",
    "SonataNetwork",
    "set_communicator",
]
