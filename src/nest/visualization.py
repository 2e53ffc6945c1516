"""``nest.visualization``: draw a network's connections as a graph (NEST's
``plot_network``), written with pydot, as NEST's is."""

from __future__ import annotations

from .api.connect import GetConnections
from .api.nodes import NodeCollection


def plot_network(nodes, filename, ext_conns: bool = False, plot_modelnames: bool = False) -> None:
    """Draw ``nodes`` and the connections leaving them into ``filename`` (``.png`` or ``.pdf``).

    Raises
    ------
    ModuleNotFoundError
        If pydot (and through it Graphviz) is not installed.
    TypeError, ValueError, NotImplementedError
        As NEST 3.10: ``nodes`` not a NodeCollection or empty, another file type,
        ``ext_conns`` or ``plot_modelnames`` asked for.
    """
    if not isinstance(nodes, NodeCollection):
        raise TypeError("nodes must be a 'NodeCollection'.")
    if len(nodes) == 0:
        raise ValueError("nodes must at least contain one node.")
    if ext_conns:
        raise NotImplementedError("ext_conns")
    if plot_modelnames:
        raise NotImplementedError("plot_modelnames")
    kind = filename.rsplit(".", 1)[-1]
    if kind not in ("png", "pdf"):
        raise ValueError("Filename must end in '.png' or '.pdf'.")
    try:
        import pydot
    except ImportError:
        raise ModuleNotFoundError(
            "nest.visualization.plot_network needs the package 'pydot' (and Graphviz's 'dot' program); "
            "install them with: pip install pydot"
        ) from None
    cols = GetConnections(nodes)._cols
    graph = pydot.Dot(rankdir="LR", ranksep="5")
    for s, t in zip(cols["source"].tolist(), cols["target"].tolist()):
        graph.add_edge(pydot.Edge(str(s), str(t)))
    (graph.write_png if kind == "png" else graph.write_pdf)(filename)


__all__ = ["plot_network"]
