"""``nest.help``: a model's documentation with its parameter table."""

from __future__ import annotations

import inspect

from ..engine.kernel import kernel


def model_help_text(name: str) -> str:
    """reStructuredText: the model's description and a table of its parameters."""
    model = kernel.registry.node(name)
    doc = inspect.cleandoc(type(model).__doc__ or "")
    lines = [name, "=" * len(name), "", doc, "", "Parameters and state", "--------------------", ""]
    rows = [("name", "default", "unit", "description")]
    for key, p in sorted(model.params.items()):
        kind = " (state)" if p.state else (" (read-only)" if p.readonly else "")
        rows.append((key, repr(model.defaults.get(key, p.default)), p.unit, p.doc + kind))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    rule = "  ".join("=" * w for w in widths)
    lines.append(rule)
    for j, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
        if j == 0:
            lines.append(rule)
    lines.append(rule)
    if model.recordables:
        lines += ["", "Recordables: " + ", ".join(model.recordables)]
    return "\n".join(lines) + "\n"


def help(obj=None, return_text: bool = False):  # noqa: A001 - PyNEST's name
    """Show the documentation of a model (by name) or of any object.

    Parameters
    ----------
    obj : str or object, optional
        A model name (``"iaf_psc_alpha"``) or a Python object; nothing for an overview.
    return_text : bool, optional
        Return the text instead of printing it.
    """
    if obj is None:
        text = (
            "nestling: NEST's PyNEST API in Python. nest.help('iaf_psc_alpha') shows a model; "
            "nest.node_models and nest.synapse_models list them; help(nest.Connect) documents a function.\n"
        )
    elif isinstance(obj, str) and (obj in kernel.registry.nodes or obj in kernel.registry.aliases):
        text = model_help_text(obj)
    elif isinstance(obj, str) and obj in kernel.registry.synapses:
        syn = kernel.registry.synapses[obj]
        text = f"{obj}\n{'=' * len(obj)}\n\n{inspect.cleandoc(type(syn).__doc__ or '')}\n\nDefaults: {syn.status()}\n"
    else:
        import pydoc

        text = pydoc.render_doc(obj, renderer=pydoc.plaintext)
    if return_text:
        return text
    print(text)
    return None


def helpdesk() -> None:
    """NEST opens its documentation in a browser; nestling points to ``nest.help``."""
    print("nestling has no browser helpdesk; use nest.help('model_name') or Python's help().")
