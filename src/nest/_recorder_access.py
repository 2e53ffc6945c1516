"""Reading recorders for the plotting modules (``raster_plot``, ``voltage_trace``).

Errors raised here are ``nest.NESTErrors.BadProperty`` and, at once, the built-in
exception PyNEST raises in the same case, so ``except`` clauses written for either work.
"""

import numpy

_ERROR_CLASSES = {}


def device_error(message, builtin):
    """Build an error about an unsuitable recording device.

    The error is an instance of ``nest.NESTErrors.BadProperty`` (when the
    loaded ``nest`` provides it) *and* of `builtin`.  PyNEST itself raises
    plain ``TypeError``/``ValueError`` here, so scripts written against it
    that catch those keep working, while our users can catch the NEST error.

    Parameters
    ----------
    message : str
        Human readable explanation.
    builtin : type
        Built-in exception class to mix in (``TypeError``, ``ValueError``,
        ``KeyError``).

    Returns
    -------
    Exception
        The exception instance, ready to be raised.
    """
    try:
        import nest

        bad_property = nest.NESTErrors.BadProperty
    except (ImportError, AttributeError):
        return builtin(message)
    key = (bad_property, builtin)
    cls = _ERROR_CLASSES.get(key)
    if cls is None:
        try:
            cls = type(
                bad_property.__name__,
                (bad_property, builtin),
                {"__module__": "NESTErrors"},
            )
        except TypeError:
            # Incompatible base layouts: fall back to the built-in error.
            return builtin(message)
        _ERROR_CLASSES[key] = cls
    try:
        return cls(message)
    except TypeError:  # an exotic constructor signature
        return builtin(message)


def as_node_collection(detec, kind="recording device"):
    """Return `detec` as a NodeCollection.

    NEST 2.x scripts pass lists or tuples of node IDs (what ``Create``
    returned there); NEST 3 passes a NodeCollection.  Both are accepted.
    """
    if hasattr(detec, "get") and hasattr(detec, "tolist"):
        return detec
    import nest

    if isinstance(detec, (int, numpy.integer)):
        ids = [int(detec)]
    else:
        try:
            ids = [int(i) for i in detec]
        except TypeError:
            raise device_error(
                f"Expected a NodeCollection or node IDs of a {kind}, got {detec!r}.",
                TypeError,
            ) from None
    return nest.NodeCollection(ids)


def single_status(detec, key):
    """Read one status entry of a single-node collection as a plain value."""
    value = detec.get(key)
    # ``get`` on one node returns the value itself; guard against
    # implementations that wrap it in a one-element tuple or list.
    if isinstance(value, (tuple, list)) and len(value) == 1 and key not in ("record_from", "filenames"):
        value = value[0]
    return value
