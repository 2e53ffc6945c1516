"""Neuron models."""

from .aeif import AeifCondAlpha, AeifCondExp, AeifPscAlpha, AeifPscDelta, AeifPscExp
from .hh import HhCondBetaGapTraub, HhCondExpTraub, HhPscAlpha
from .iaf_cond import IafCondAlpha, IafCondBeta, IafCondExp, IafCondExpSfaRr
from .iaf_psc import IafPscAlpha, IafPscDelta, IafPscExp
from .parrot import ParrotNeuron

MODELS = [IafPscAlpha, IafPscDelta, IafPscExp, ParrotNeuron]
# Integrated by the adaptive Runge-Kutta-Fehlberg kernel (_rk45.py).
MODELS += [IafCondAlpha, IafCondBeta, IafCondExp, IafCondExpSfaRr]
MODELS += [AeifCondAlpha, AeifCondExp, AeifPscAlpha, AeifPscDelta, AeifPscExp]
MODELS += [HhCondBetaGapTraub, HhCondExpTraub, HhPscAlpha]
