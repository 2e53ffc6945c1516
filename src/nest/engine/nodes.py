"""Node groups: the nodes of one ``Create`` call, stored as one array per status key."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..models.base import Model, where_text


class NodeGroup:
    """``n`` nodes of one model with contiguous global ids ``first .. first + n - 1``.

    ``values[key]`` is a length-``n`` array for numeric keys and a list for others;
    ``aux`` holds what the model derives for its kernel (propagators, counters).
    """

    def __init__(self, model: Model, first: int, n: int):
        self.model = model
        self.first = first
        self.n = n
        self.values: dict[str, Any] = {}
        for key, default in model.defaults.items():
            kind = model.params[key].kind
            if kind in ("float", "int", "bool"):
                dtype = {"float": np.float64, "int": np.int64, "bool": bool}[kind]
                self.values[key] = np.full(n, default, dtype=dtype)
            elif kind == "str":
                self.values[key] = [default] * n
            else:
                self.values[key] = [copy.deepcopy(default) for _ in range(n)]
        self.aux: dict[str, Any] = {}
        self.prepared = False
        if hasattr(model, "init_values"):
            # Models whose status holds nested dictionaries keep them as arrays (iaf_cond_alpha_mc).
            model.init_values(self)

    @property
    def last(self) -> int:
        return self.first + self.n - 1

    @property
    def offset(self) -> int:
        """Index of the first node in the kernel's node-indexed arrays (gid - 1)."""
        return self.first - 1

    def get(self, key: str, i: int):
        v = self.values[key]
        x = v[i]
        if isinstance(v, np.ndarray):
            return x.item()
        return copy.deepcopy(x)

    def set(self, idx: np.ndarray, params: dict[str, Any]) -> None:
        """Set ``params`` on the nodes at local indices ``idx``; all or nothing.

        Each value is a scalar for all of ``idx`` or a sequence of ``len(idx)`` values.
        The updated values are checked by the model before anything is stored.
        """
        model = self.model
        k = len(idx)
        new: dict[str, Any] = {}
        for key, val in params.items():
            kind = model.params[key].kind
            if kind in ("float", "int", "bool"):
                arr = model.coerce(key, val, k)
                if arr.ndim > 1 or (arr.ndim == 1 and arr.shape[0] != k):
                    from ..errors import BadProperty

                    raise BadProperty(
                        f"{where_text(model, self.first + int(idx[0]))}: '{key}' got "
                        f"{arr.shape[0] if arr.ndim else 1} values for {k} nodes."
                    )
                new[key] = np.broadcast_to(arr, (k,))
            else:
                new[key] = model.coerce(key, val, k)
        # Check on a copy of the touched nodes' values so a bad value changes nothing.
        trial = {}
        for key, v in self.values.items():
            if isinstance(v, np.ndarray):
                trial[key] = v[idx].copy()
        for key, val in new.items():
            if key in trial:
                trial[key][:] = val
        for key, v in self.values.items():
            if key not in trial:
                trial[key] = new[key] if key in new else (v[int(idx[0])] if k else None)
        model.check(trial, k, self.first + int(idx[0]) if k else None)
        for key, v in trial.items():
            if isinstance(self.values[key], np.ndarray):
                self.values[key][idx] = v
            elif key in new:
                for i in idx:
                    self.values[key][i] = copy.deepcopy(v)
        self.prepared = False
