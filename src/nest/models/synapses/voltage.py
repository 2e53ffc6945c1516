"""Synapse models of voltage-based plasticity: ``clopath_synapse`` (Clopath et al. 2010).

The rule itself (the neurons' archive and the delivery kernel) is in
``engine/plasticity_voltage.py``; the neurons are in ``models/neurons/clopath.py``.
"""

from __future__ import annotations

import numpy as np

from ...errors import NESTErrors
from .plastic import PlasticSynapse

# The delivery family of clopath_synapse (engine/plasticity_voltage.py delivers it).
CLOPATH = "clopath"


def _pv():
    # Imported when first used: the engine's plasticity module imports the synapse models.
    from ...engine import plasticity_voltage

    return plasticity_voltage


# ------------------------------------------------------------------- clopath_synapse
class ClopathSynapse(PlasticSynapse):
    """Voltage-based STDP (Clopath et al. 2010); targets must be Clopath neurons."""

    name = "clopath_synapse"
    family = CLOPATH
    sizeof = 72
    status_note = "NEST's Clopath history and update order; weights equal NEST 3.10's (`tests/test_models_clopath.py`)"
    extra_defaults = {"Wmax": 100.0, "Wmin": 0.0, "tau_x": 15.0, "x_bar": 0.0}
    per_connection = ("Wmax", "Wmin", "tau_x", "x_bar")

    def check(self, values: dict, on_set: bool = False) -> None:
        if not on_set:
            return
        w = self.value(values, "weight")
        sign_w = np.where(w >= 0, 1, -1)
        if np.any(sign_w != np.where(self.value(values, "Wmin") >= 0, 1, -1)):
            raise NESTErrors.BadProperty("Weight and Wmin must have same sign.")
        if np.any(sign_w != np.where(self.value(values, "Wmax") > 0, 1, -1)):
            raise NESTErrors.BadProperty("Weight and Wmax must have same sign.")

    def check_targets(self, kernel, targets) -> None:
        """NEST refuses targets that keep no Clopath history."""
        t = np.asarray(targets)
        for g in kernel.groups:
            if getattr(g.model, "clopath", False):
                continue
            if np.any((t >= g.first) & (t < g.first + g.n)):
                raise NESTErrors.NotImplemented(
                    "This synapse model is not supported by the neuron model of at least one connection."
                )

    @staticmethod
    def deliver_store(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
        _pv().deliver(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)
