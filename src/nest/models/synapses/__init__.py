"""Synapse models, each with NEST's ``_hpc`` and ``_lbl`` twins where NEST has them."""

from .plastic import (
    StaticSynapseHomW,
    StdpPlSynapseHom,
    StdpSynapse,
    StdpSynapseHom,
    Tsodyks2Synapse,
    TsodyksSynapse,
    TsodyksSynapseHom,
    hpc_variant,
    lbl_variant,
)
from .static import StaticSynapse

_BASES = [
    StaticSynapse,
    StaticSynapseHomW,
    StdpPlSynapseHom,
    StdpSynapse,
    StdpSynapseHom,
    Tsodyks2Synapse,
    TsodyksSynapse,
    TsodyksSynapseHom,
]

SYNAPSE_MODELS = [cls() for base in _BASES for cls in (base, hpc_variant(base), lbl_variant(base))]
