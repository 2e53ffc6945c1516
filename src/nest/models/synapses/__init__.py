"""Synapse models."""

from .plastic import StaticSynapseHomW, StdpSynapse, StdpSynapseHom, Tsodyks2Synapse
from .static import StaticSynapse

SYNAPSE_MODELS = [StaticSynapse(), StaticSynapseHomW(), StdpSynapse(), StdpSynapseHom(), Tsodyks2Synapse()]
