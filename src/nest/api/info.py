"""Finding nodes and modules: ``GetNodes``, ``GetLocalNodeCollection``, ``PrintNodes``, ``Install``."""

from __future__ import annotations

import warnings

import numpy as np

from ..engine.kernel import kernel
from ..errors import NESTErrors
from .nodes import NodeCollection, _model_runs, get_values


def GetNodes(properties: dict | None = None, local_only: bool = False) -> NodeCollection:
    """All nodes, or those whose status matches every key and value of ``properties``."""
    ids = np.arange(1, kernel.n_nodes + 1, dtype=np.int64)
    nc = NodeCollection._from_ranges((range(1, kernel.n_nodes + 1),))
    for key, want in (properties or {}).items():
        keep = np.zeros(len(ids), bool)
        for group in kernel.groups:
            sl = slice(group.offset, group.offset + group.n)
            try:
                vals = get_values(NodeCollection._from_ranges((range(group.first, group.first + group.n),)), key)
            except NESTErrors.UnaccessedDictionaryEntry:
                continue
            keep[sl] = [v == want for v in vals]
        ids = ids[keep[ids - 1]] if len(ids) else ids
        nc = NodeCollection(ids)
    return nc


def GetLocalNodeCollection(nc: NodeCollection) -> NodeCollection:
    """The nodes of ``nc`` on this process: all of them (one process)."""
    warnings.warn("GetLocalNodeCollection() leads to inherently unsafe code with MPI.", UserWarning, stacklevel=2)
    return nc


def PrintNodes() -> None:
    """Print the ranges of node ids and their models."""
    if not kernel.n_nodes:
        return
    for name, ids in _model_runs(np.arange(1, kernel.n_nodes + 1)):
        span = f"{ids[0]} .. {ids[-1]}" if len(ids) > 1 else str(ids[0])
        print(f"{span:<{len(str(kernel.n_nodes)) * 2 + 4}} {name}")


def Install(module_name: str) -> None:
    """Load an extension module. nestling has none: NEST's error for a missing module."""
    raise NESTErrors.DynamicModuleManagementError(
        f"Module '{module_name}' could not be opened: nestling loads no extension modules "
        "(its models are built in; see nest.node_models)."
    )
