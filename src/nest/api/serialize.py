"""``serialize_data`` and ``to_json``: NEST's objects as plain JSON-able Python values."""

from __future__ import annotations

import json

import numpy as np


def serialize_data(data):
    """``data`` with arrays, NumPy scalars, NodeCollections and SynapseCollections turned
    into lists, numbers and dicts (what ``json.dumps`` accepts); tuples become lists."""
    from .connect import SynapseCollection
    from .nodes import NodeCollection

    if isinstance(data, SynapseCollection):
        return serialize_data(data.get())
    if isinstance(data, NodeCollection):
        return serialize_data(data.tolist())
    if isinstance(data, np.ndarray):
        return serialize_data(data.tolist())
    if isinstance(data, np.generic):
        return data.item()
    if isinstance(data, dict):
        return {serialize_data(k): serialize_data(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [serialize_data(x) for x in data]
    return data


def to_json(data, **kwargs) -> str:
    """``data`` as a JSON string; ``kwargs`` go to ``json.dumps`` (``indent=2``...)."""
    return json.dumps(serialize_data(data), **kwargs)


__all__ = ["serialize_data", "to_json"]
