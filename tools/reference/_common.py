"""Shared helpers for the reference-data scripts in tools/reference/.

These scripts are run with real NEST 3.10 (``.ref-nest/bin/python``) and write
small result files into ``tests/reference/``.

JSON encoding used by every ``.json`` file written here (see ``to_jsonable``):

* numpy arrays / tuples -> JSON lists; numpy scalars -> Python scalars
* float +inf / -inf / nan -> the strings ``"inf"``, ``"-inf"``, ``"nan"``
  (JSON has no literal for them); use ``from_jsonable`` to decode
* a NodeCollection -> ``{"__NodeCollection__": [node ids...]}``
* any other non-JSON type -> ``{"__repr__": repr(obj), "__type__": type name}``
"""

import json
import math
import os
import warnings

import numpy as np

REPO_ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
REF_DIR = os.path.join(REPO_ROOT, "tests", "reference")


def quiet(nest):
    """Silence NEST below warning level (3.10 API, with fallback for older)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        if hasattr(nest, "VerbosityLevel"):
            nest.verbosity = nest.VerbosityLevel.WARNING
        else:
            nest.set_verbosity("M_WARNING")


def to_jsonable(obj):
    if isinstance(obj, dict):
        return {str(k): to_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v) for v in obj]
    if isinstance(obj, np.ndarray):
        return [to_jsonable(v) for v in obj.tolist()]
    if isinstance(obj, np.generic):
        return to_jsonable(obj.item())
    if isinstance(obj, bool) or obj is None or isinstance(obj, (int, str)):
        return obj
    if isinstance(obj, float):
        if math.isnan(obj):
            return "nan"
        if math.isinf(obj):
            return "inf" if obj > 0 else "-inf"
        return obj
    if type(obj).__name__ == "NodeCollection":
        try:
            return {"__NodeCollection__": list(obj.tolist())}
        except Exception:  # empty collection
            return {"__NodeCollection__": []}
    return {"__repr__": repr(obj), "__type__": type(obj).__name__}


def from_jsonable(obj):
    """Inverse of the float encoding above ("inf"/"-inf"/"nan" -> float)."""
    if isinstance(obj, dict):
        return {k: from_jsonable(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [from_jsonable(v) for v in obj]
    if obj in ("inf", "-inf", "nan"):
        return float(obj)
    return obj


def write_json(name, data):
    os.makedirs(REF_DIR, exist_ok=True)
    path = os.path.join(REF_DIR, name)
    with open(path, "w") as f:
        json.dump(to_jsonable(data), f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.relpath(path, REPO_ROOT), os.path.getsize(path), "bytes")
    return path


def write_npz(name, arrays):
    os.makedirs(REF_DIR, exist_ok=True)
    path = os.path.join(REF_DIR, name)
    np.savez_compressed(path, **{k: np.asarray(v) for k, v in arrays.items()})
    print("wrote", os.path.relpath(path, REPO_ROOT), os.path.getsize(path), "bytes")
    return path
