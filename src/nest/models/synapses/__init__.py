"""Synapse models, each with NEST's ``_hpc`` and ``_lbl`` twins where NEST has them."""

from .eprop import EpropLearningSignalConnection, EpropSynapse
from .plastic import (
    BernoulliSynapse,
    ContDelaySynapse,
    HtSynapse,
    JonkeSynapse,
    QuantalStpSynapse,
    StaticSynapseHomW,
    StdpDopamineSynapse,
    StdpFacetshwSynapseHom,
    StdpNnPreCenteredSynapse,
    StdpNnRestrSynapse,
    StdpNnSymmSynapse,
    StdpPlSynapseHom,
    StdpSynapse,
    StdpSynapseHom,
    StdpTripletSynapse,
    Tsodyks2Synapse,
    TsodyksSynapse,
    TsodyksSynapseHom,
    VogelsSprekelerSynapse,
    hpc_variant,
    lbl_variant,
)
from .secondary import DiffusionConnection, GapJunction, RateConnectionDelayed, RateConnectionInstantaneous
from .sic import SicConnection
from .static import StaticSynapse
from .voltage import ClopathSynapse, UrbanczikSynapse

_BASES = [
    StaticSynapse,
    StaticSynapseHomW,
    StdpPlSynapseHom,
    StdpSynapse,
    StdpSynapseHom,
    Tsodyks2Synapse,
    TsodyksSynapse,
    TsodyksSynapseHom,
    StdpNnPreCenteredSynapse,
    StdpNnRestrSynapse,
    StdpNnSymmSynapse,
    StdpTripletSynapse,
    VogelsSprekelerSynapse,
    HtSynapse,
    BernoulliSynapse,
    QuantalStpSynapse,
    StdpDopamineSynapse,
    ContDelaySynapse,
    StdpFacetshwSynapseHom,
    JonkeSynapse,
]
_BASES += [ClopathSynapse, UrbanczikSynapse]  # voltage-based plasticity (voltage.py)

SYNAPSE_MODELS = [cls() for base in _BASES for cls in (base, hpc_variant(base), lbl_variant(base))]
SYNAPSE_MODELS += [
    RateConnectionDelayed(),
    RateConnectionInstantaneous(),
    DiffusionConnection(),
]  # rates (engine/secondary.py)
SYNAPSE_MODELS += [GapJunction()]  # waveform relaxation (engine/secondary.py)
SYNAPSE_MODELS += [SicConnection()]  # astrocytes' slow inward current (engine/sic.py)
SYNAPSE_MODELS += [
    EpropSynapse(),
    hpc_variant(EpropSynapse)(),
    EpropLearningSignalConnection(),
]  # e-prop (engine/eprop.py)
