"""Neuron models."""

from .aeif import AeifCondAlpha, AeifCondExp, AeifPscAlpha, AeifPscDelta, AeifPscExp
from .hh import HhCondBetaGapTraub, HhCondExpTraub, HhPscAlpha
from .iaf_cond import IafCondAlpha, IafCondBeta, IafCondExp, IafCondExpSfaRr
from .iaf_psc import IafPscAlpha, IafPscDelta, IafPscExp
from .iaf_psc_ps import IafPscAlphaPs, IafPscDeltaPs, IafPscExpPs
from .multisynapse import IafPscAlphaMultisynapse, IafPscExpMultisynapse
from .parrot import ParrotNeuron, ParrotNeuronPs

MODELS = [IafPscAlpha, IafPscDelta, IafPscExp, ParrotNeuron]
MODELS += [IafPscAlphaPs, IafPscDeltaPs, IafPscExpPs, ParrotNeuronPs]  # precise spike times (engine/precise.py)
# Integrated by the adaptive Runge-Kutta-Fehlberg kernel (_rk45.py).
MODELS += [IafCondAlpha, IafCondBeta, IafCondExp, IafCondExpSfaRr]
MODELS += [AeifCondAlpha, AeifCondExp, AeifPscAlpha, AeifPscDelta, AeifPscExp]
MODELS += [HhCondBetaGapTraub, HhCondExpTraub, HhPscAlpha]
MODELS += [IafPscAlphaMultisynapse, IafPscExpMultisynapse]  # receptor ports (engine/plasticity.py)
