"""Neuron models."""

from .iaf_psc import IafPscAlpha, IafPscDelta, IafPscExp
from .parrot import ParrotNeuron

MODELS = [IafPscAlpha, IafPscDelta, IafPscExp, ParrotNeuron]
