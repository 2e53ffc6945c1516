"""e-prop synapses of NEST 3.10: ``eprop_synapse`` (+ ``_hpc``) and
``eprop_learning_signal_connection``.

The rule is in ``engine/eprop.py``. The optimizer is a common property set with
``SetDefaults(model, {"optimizer": {...}})``: ``type`` chooses it (its defaults return when it
changes, as in NEST), the other keys are checked with NEST's words.
"""

from __future__ import annotations

import numpy as np

from ...errors import NESTErrors
from .plastic import PlasticSynapse
from .secondary import SecondarySynapse

EPROP = "eprop"
EPROP_LS = "eprop_learning_signal"

_GD = {"Wmax": 100.0, "Wmin": -100.0, "batch_size": 1, "eta": 0.0001, "optimize_each_step": True}
_ADAM = {**_GD, "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}
OPTIMIZERS = {"gradient_descent": _GD, "adam": _ADAM}


def _one_step(kernel, block) -> None:
    d = np.asarray(block.delays())
    if np.any(d != 1):
        raise NESTErrors.IllegalConnection(
            "Creation of connection is not possible because:\neprop synapses currently require a delay of one "
            "simulation step"
        )


def _eprop_models(kernel, ids) -> set:
    ids = np.unique(np.asarray(ids, dtype=np.int64))
    if not len(ids):
        return set()
    gi, _ = kernel.locate(ids)
    return {kernel.groups[int(g)].model for g in np.unique(gi)}


class EpropSynapse(PlasticSynapse):
    """Synapse for e-prop plasticity; targets must be e-prop neurons, delay one step."""

    name = "eprop_synapse"
    family = EPROP
    sizeof = 128
    status_note = (
        "NEST's event-based e-prop update (gradient descent) measured step by step; weights equal NEST 3.10's "
        "(`tests/test_models_eprop.py`)"
    )
    hidden = ("ta_last", "zbar", "ebar", "ebar_reg", "eps", "gsum", "adam_m", "adam_v")

    def __init__(self):
        super().__init__()
        self.optimizer = {"optimizer": "gradient_descent", **_GD}

    def copy(self, new_name):
        twin = super().copy(new_name)
        twin.optimizer = dict(self.optimizer)
        return twin

    def status(self) -> dict:
        st = super().status()
        st["optimizer"] = dict(sorted(self.optimizer.items()))
        return st

    def set_defaults(self, params: dict) -> dict:
        params = dict(params)
        given = params.pop("optimizer", None)
        kind = None if given is None else given.get("type", given.get("optimizer"))
        if kind is not None and kind != self.optimizer["optimizer"] and getattr(self, "has_connections", False):
            # (Its values may change; NEST keeps per-synapse optimizer state of the type.)
            raise NESTErrors.BadParameter("The optimizer cannot be changed because synapses have been created.")
        if given is not None:
            self.optimizer = self._new_optimizer(dict(given))
        if "weight" in params and float(params["weight"]) > self.optimizer["Wmax"]:
            raise NESTErrors.BadProperty("weight ≤ maximal weight Wmax required.")
        return params

    def _new_optimizer(self, given: dict) -> dict:
        kind = given.pop("type", given.pop("optimizer", self.optimizer["optimizer"]))
        if kind not in OPTIMIZERS:
            raise NESTErrors.BadProperty('optimizer from ["gradient_descent", "adam"] required.')
        new = dict(self.optimizer) if kind == self.optimizer["optimizer"] else {"optimizer": kind, **OPTIMIZERS[kind]}
        for key, value in given.items():
            if key not in new:
                continue  # NEST ignores keys it does not know here (measured)
            if key == "optimize_each_step" and not isinstance(value, (bool, np.bool_)):
                raise NESTErrors.TypeMismatch(
                    f"Expected datatype: Failed to cast 'optimize_each_step' from {type(value).__name__} to type bool"
                )
            new[key] = value
        if new["eta"] < 0:
            raise NESTErrors.BadProperty("Learning rate eta ≥ 0 required.")
        if new["batch_size"] <= 0:
            raise NESTErrors.BadProperty("Optimization batch_size > 0 required.")
        if new["Wmin"] > new["Wmax"]:
            raise NESTErrors.BadProperty("Minimal weight Wmin ≤ maximal weight Wmax required.")
        if kind == "adam":
            for key in ("beta_1", "beta_2"):
                if not 0 <= new[key] < 1:
                    raise NESTErrors.BadProperty(f"For Adam optimizer, {key} from interval [0,1) required.")
            if new["epsilon"] < 0:
                raise NESTErrors.BadProperty("For Adam optimizer, epsilon ≥ 0 required.")
        return new

    def connecting(self, kernel, block, params: dict, on_set: bool) -> None:
        """NEST's refusals: a delay other than one step, targets that are not e-prop neurons."""
        if any(getattr(m, "archive", None) != EPROP for m in _eprop_models(kernel, block.target)):
            raise NESTErrors.NotImplemented(
                "This synapse model is not supported by the neuron model of at least one connection."
            )
        _one_step(kernel, block)
        opt = self.optimizer
        if not opt["optimize_each_step"] and (opt["optimizer"] == "adam" or opt["batch_size"] > 1):
            raise NESTErrors.NotImplemented(
                "nestling's eprop_synapse does not reproduce NEST's optimizer with optimize_each_step False and "
                "adam or a batch_size above 1."
            )
        if opt["optimizer"] == "adam" and opt["batch_size"] > 1:
            raise NESTErrors.NotImplemented(
                "nestling's eprop_synapse does not reproduce adam with a batch_size above 1."
            )
        self.has_connections = True

    @staticmethod
    def deliver_store(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
        from ...engine import eprop

        eprop.deliver(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)


class EpropLearningSignalConnection(SecondarySynapse):
    """The learning signal of an ``eprop_readout``, times ``weight``, into an e-prop neuron."""

    name = "eprop_learning_signal_connection"
    secondary = EPROP_LS
    has_delay = True
    sizeof = 32
    status_note = "a readout's error per step into the recurrent neurons' history (`tests/test_models_eprop.py`)"

    def status(self) -> dict:
        st = super().status()
        st.pop("requires_symmetric", None)
        st["requires_symmetric"] = False
        return st
