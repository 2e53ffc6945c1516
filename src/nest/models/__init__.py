"""Model library: neuron, device and synapse models, and the registry that names them."""

from __future__ import annotations

from .base import Model, Registry
from .devices import MODELS as _DEVICE_MODELS
from .neurons import MODELS as _NEURON_MODELS
from .synapses import SYNAPSE_MODELS


def build_registry() -> Registry:
    """A fresh registry with every built-in model (what ``ResetKernel`` restores)."""
    reg = Registry()
    for cls in _NEURON_MODELS + _DEVICE_MODELS:
        reg.add(cls())
    for syn in SYNAPSE_MODELS:
        reg.synapses[syn.name] = syn.copy(syn.name)
    reg.add_alias(
        "iaf_neuron", "iaf_psc_alpha", "iaf_neuron was removed in NEST 2.16; iaf_psc_alpha is the same model."
    )
    reg.add_alias("spike_detector", "spike_recorder", "spike_detector was renamed in NEST 3.0.")
    return reg


__all__ = ["Model", "Registry", "build_registry"]
