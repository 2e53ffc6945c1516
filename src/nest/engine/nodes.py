"""Node groups: the nodes of one ``Create`` call, stored as one array per status key."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np

from ..errors import BadParameter, BadProperty
from ..models.base import Model, check_archiving, where_text


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

    def _check(self, values: dict, n: int, first_gid) -> None:
        """The model's checks of a complete new status, then the spike archive's (NEST's order)."""
        self.model.check(values, n, first_gid)
        check_archiving(self.model, values, first_gid)

    def _culprits(self, trial: dict, new: dict, idx, first_gid) -> str:
        """Name the given keys whose new values make the check fail (NEST's words often don't).

        A key is named when putting its old value back lets the check pass; the text,
        " (given: key = value)", is appended to NEST's message, which says the allowed range.
        Deliberate (issue 5 asks errors to name the parameter): tests compare NEST's words
        with ``conftest.nest_words``, which strips it.
        """
        named = []
        for key in new:
            if key not in self.values:
                continue
            old = self.values[key]
            retry = dict(trial)
            retry[key] = old[idx].copy() if isinstance(old, np.ndarray) else old[int(idx[0])]
            try:
                self._check(retry, len(idx), first_gid)
            except (BadProperty, BadParameter):
                continue
            value = new[key]
            if isinstance(value, np.ndarray) and isinstance(self.values[key], np.ndarray):
                # One number per node, broadcast from one given value in most calls.
                value = value[0] if np.all(value == value[0]) else value.tolist()
            elif isinstance(value, np.ndarray):
                value = value.tolist()
            named.append(f"{key} = {value}")
        return f" (given: {', '.join(named)})" if named else ""

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
        first_gid = self.first + int(idx[0]) if k else None
        try:
            self._check(trial, k, first_gid)
        except (BadProperty, BadParameter) as err:
            # ht_neuron's checks raise BadParameter: named the same way, class kept.
            raise type(err)(f"{err}{self._culprits(trial, new, idx, first_gid)}") from None
        for key, v in trial.items():
            if isinstance(self.values[key], np.ndarray):
                self.values[key][idx] = v
            elif key in new:
                for i in idx:
                    self.values[key][i] = copy.deepcopy(v)
        self.prepared = False
