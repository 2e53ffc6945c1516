"""The NEST 2.x forms that tutorials still use, translated to NEST 3 with a warning.

Every translation warns with a ``DeprecationWarning`` that names the NEST 3 form, so a
2.x script runs and its author learns what to write instead.
"""

from __future__ import annotations

import warnings
from typing import Any


def deprecated(old: str, new: str, stacklevel: int = 4) -> None:
    warnings.warn(f"{old} is NEST 2.x syntax; in NEST 3 use {new}.", DeprecationWarning, stacklevel=stacklevel)


# Recorder keys of NEST 2.x: what they become (None: the behaviour is always on now).
_RECORDER_KEYS = {
    "withtime": None,
    "withgid": None,
    "withweight": None,
    "withport": None,
    "withrport": None,
    "precision": None,
    "scientific": None,
    "use_gid_in_filename": None,
    "close_after_simulate": None,
    "flush_after_simulate": None,
    "flush_records": None,
    "close_on_reset": None,
    "binary": None,
    "fbuffer_size": None,
}
_BACKEND_KEYS = {"to_file": "ascii", "to_screen": "screen", "to_memory": "memory", "to_accumulator": "memory"}


def translate_node_params(model, params: dict[str, Any]) -> dict[str, Any]:
    """Map 2.x recorder keys (``withgid``, ``to_file``...) to NEST 3 ones."""
    if hasattr(model, "translate_params"):
        params = model.translate_params(params)  # keys with two names (rate neurons' mu and mean)
    if model.element_type != "recorder" or not any(k in params for k in (*_RECORDER_KEYS, *_BACKEND_KEYS)):
        return params
    out = {k: v for k, v in params.items() if k not in _RECORDER_KEYS and k not in _BACKEND_KEYS}
    for key in params:
        if key in _RECORDER_KEYS:
            deprecated(f"The recorder property '{key}'", "nothing: senders and times are always recorded", 6)
        elif key in _BACKEND_KEYS:
            if params[key]:
                deprecated(f"'{key}': True", f"record_to='{_BACKEND_KEYS[key]}'", 6)
                if key != "to_memory" or "record_to" not in out:
                    out["record_to"] = _BACKEND_KEYS[key]
            else:
                deprecated(f"'{key}': False", "record_to to choose the backend", 6)
    return out


def translate_syn_spec(syn_spec: dict[str, Any]) -> dict[str, Any]:
    if "model" in syn_spec:
        deprecated("syn_spec key 'model'", "'synapse_model'", 5)
        syn_spec = dict(syn_spec)
        syn_spec["synapse_model"] = syn_spec.pop("model")
    return syn_spec


def translate_conn_spec(conn_spec: dict[str, Any]) -> dict[str, Any]:
    out = dict(conn_spec)
    for old, new in (("autapses", "allow_autapses"), ("multapses", "allow_multapses")):
        if old in out:
            deprecated(f"conn_spec key '{old}'", f"'{new}'", 5)
            out[new] = out.pop(old)
    return out


_KERNEL_KEYS = {"grng_seed": "rng_seed", "rng_seeds": "rng_seed", "overwrite_files": "overwrite_files"}


def translate_kernel_params(params: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, val in params.items():
        if key in ("grng_seed", "rng_seeds"):
            deprecated(f"Kernel property '{key}'", "'rng_seed' (one seed for all threads)", 5)
            if key == "rng_seeds":
                val = list(val)[0]
            out["rng_seed"] = int(val)
        else:
            out[key] = val
    return out
