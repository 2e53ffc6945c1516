"""Synapse models."""

from .plastic import (
    StaticSynapseHomW,
    StdpPlSynapseHom,
    StdpSynapse,
    StdpSynapseHom,
    Tsodyks2Synapse,
    TsodyksSynapse,
    TsodyksSynapseHom,
)
from .static import StaticSynapse

SYNAPSE_MODELS = [
    StaticSynapse(),
    StaticSynapseHomW(),
    StdpSynapse(),
    StdpSynapseHom(),
    StdpPlSynapseHom(),
    Tsodyks2Synapse(),
    TsodyksSynapse(),
    TsodyksSynapseHom(),
]
