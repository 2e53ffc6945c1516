"""Synapse models of voltage-based plasticity: ``clopath_synapse`` (Clopath et al. 2010) and
``urbanczik_synapse`` (Urbanczik & Senn 2014).

The rule itself (the neurons' archive and the delivery kernel) is in
``engine/plasticity_voltage.py``; the neurons are in ``models/neurons/clopath.py``.
"""

from __future__ import annotations

import numpy as np

from ...errors import NESTErrors
from .plastic import PlasticSynapse

# The delivery families (engine/plasticity_voltage.py delivers them).
CLOPATH = "clopath"
URBANCZIK = "urbanczik"


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

    def connecting(self, kernel, block, params: dict, on_set: bool) -> None:
        _refuse_targets(kernel, block, "clopath")

    @staticmethod
    def deliver_store(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
        _pv().deliver(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)


class UrbanczikSynapse(PlasticSynapse):
    """Learning by the dendritic prediction of somatic spiking (Urbanczik & Senn 2014);
    targets must be ``pp_cond_exp_mc_urbanczik`` neurons."""

    name = "urbanczik_synapse"
    family = URBANCZIK
    sizeof = 112
    status_note = (
        "NEST's Urbanczik history and update order; deterministic weights equal NEST 3.10's, stochastic ones "
        "by statistics (`tests/test_models_clopath.py`)"
    )
    extra_defaults = {"Wmax": 100.0, "Wmin": 0.0, "eta": 0.07, "tau_Delta": 100.0}
    per_connection = ("Wmax", "Wmin", "eta", "tau_Delta")
    # State NEST keeps per connection without showing it.
    hidden = ("init_weight", "PI_integral", "PI_exp_integral", "tau_L_trace", "tau_s_trace")

    def check(self, values: dict, on_set: bool = False) -> None:
        if not on_set:
            return
        w = self.value(values, "weight")
        wmax = self.value(values, "Wmax")
        if np.any(np.signbit(w) != np.signbit(wmax)):
            raise NESTErrors.BadProperty("Weight and Wmin must have same sign.")
        if np.any(np.where(w >= 0, 1, -1) != np.where(wmax > 0, 1, -1)):
            raise NESTErrors.BadProperty("Weight and Wmax must have same sign.")

    def connecting(self, kernel, block, params: dict, on_set: bool) -> None:
        """Refuse targets without an Urbanczik history; the weight the rule starts from is the
        one given when ``Connect`` also sets other parameters (NEST sets it in ``set_status``),
        else the model's default weight."""
        # (NEST words it with two spaces for this model.)
        _refuse_targets(kernel, block, "urbanczik", "at least one  connection.")
        # NEST calls set_status when Connect names anything beyond weight and delay (a
        # receptor_type too): the sign checks apply and the weight becomes the initial one.
        given = on_set or block.receptor != 0
        if given and not on_set:
            self.check({**params, "weight": block.weight}, on_set=True)
        params["init_weight"] = np.asarray(block.weight if given else self.defaults["weight"], dtype=float)
        params["t_lastspike"] = np.asarray(-1.0)

    @staticmethod
    def deliver_store(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt) -> None:
        _pv().deliver_urbanczik(store, kernel, threads, splits, reg_src, reg_stamp, reg_mult, n_reg, tps, mpt)


def _refuse_targets(kernel, block, archive: str, ending: str = "at least one connection.") -> None:
    """NEST refuses targets that keep no history of the rule's kind, and ``_hpc`` connections to
    a receptor port other than 0."""
    model = kernel.registry.synapses[block.synapse_model]
    if model.name.endswith("_hpc") and block.receptor != 0:
        raise NESTErrors.IllegalConnection(
            "Creation of connection is not possible because:\nOnly rport==0 allowed for HPC synapses. Use normal "
            "synapse models instead. See Kunkel et al, Front Neuroinform 8:78 (2014), Sec 3.3.2."
        )
    targets = block.target
    t = np.asarray(targets)
    for g in kernel.groups:
        if getattr(g.model, "archive", None) == archive:
            continue
        if np.any((t >= g.first) & (t < g.first + g.n)):
            raise NESTErrors.NotImplemented("This synapse model is not supported by the neuron model of " + ending)
