"""Neuron models."""

from .aeif import AeifCondAlpha, AeifCondExp, AeifPscAlpha, AeifPscDelta, AeifPscExp
from .aeif_multisynapse import AeifCondAlphaMultisynapse, AeifCondBetaMultisynapse
from .astrocyte import AeifCondAlphaAstro, AstrocyteLr1994
from .binary import ErfcNeuron, GinzburgNeuron, MccullochPittsNeuron
from .clopath import AeifPscDeltaClopath, HhPscAlphaClopath
from .cm_default import CmDefault
from .eprop import EpropIaf, EpropIafAdapt, EpropIafPscDelta, EpropIafPscDeltaAdapt, EpropReadout
from .gif import GifPscExp
from .gif_cond import GifCondExp, GifCondExpMultisynapse
from .gif_multisynapse import GifPscExpMultisynapse
from .gif_pop import GifPopPscExp
from .glif import GlifPsc, GlifPscDoubleAlpha
from .glif_cond import GlifCond
from .hh import HhCondExpTraub, HhPscAlpha
from .hh_gap import HhCondBetaGapTraubGap, HhPscAlphaGap
from .ht_neuron import HtNeuron
from .iaf_bw_2001 import IafBw2001, IafBw2001Exact
from .iaf_chs_2007 import IafChs2007
from .iaf_chxk import IafChxk2008
from .iaf_cond import IafCondAlpha, IafCondBeta, IafCondExp, IafCondExpSfaRr
from .iaf_cond_mc import IafCondAlphaMc
from .iaf_psc import IafPscAlpha, IafPscDelta, IafPscExp
from .iaf_psc_lossless import IafPscExpPsLossless
from .iaf_psc_ps import IafPscAlphaPs, IafPscDeltaPs, IafPscExpPs
from .iaf_tum import IafPscExpHtum, IafTum2000
from .ignore_and_fire import IgnoreAndFire
from .izhikevich import Izhikevich
from .mat import Amat2PscExp, Mat2PscExp
from .multisynapse import IafPscAlphaMultisynapse, IafPscExpMultisynapse
from .parrot import ParrotNeuron, ParrotNeuronPs
from .pp import PpPscDelta
from .rate import RATE_MODELS
from .urbanczik import PpCondExpMcUrbanczik

MODELS = [IafPscAlpha, IafPscDelta, IafPscExp, ParrotNeuron]
MODELS += [IafPscAlphaPs, IafPscDeltaPs, IafPscExpPs, ParrotNeuronPs]  # precise spike times (engine/precise.py)
# Integrated by the adaptive Runge-Kutta-Fehlberg kernel (_rk45.py).
MODELS += [IafCondAlpha, IafCondBeta, IafCondExp, IafCondExpSfaRr]
MODELS += [AeifCondAlpha, AeifCondExp, AeifPscAlpha, AeifPscDelta, AeifPscExp]
MODELS += [HhCondBetaGapTraubGap, HhCondExpTraub, HhPscAlpha]
MODELS += [IafPscAlphaMultisynapse, IafPscExpMultisynapse]  # receptor ports (engine/plasticity.py)
# Exact integration with adaptive thresholds, extra refractory or release state (_exact.py).
MODELS += [Izhikevich, Mat2PscExp, Amat2PscExp, IafTum2000, IafPscExpHtum, IgnoreAndFire]
MODELS += [PpPscDelta, GifPscExp]  # draws its spikes from counter-based streams (engine/rng.py)
MODELS += [AeifCondAlphaMultisynapse, AeifCondBetaMultisynapse]  # RKF45 with receptor ports (_adaptive_ports.py)
MODELS += [MccullochPittsNeuron, ErfcNeuron, GinzburgNeuron]  # binary neurons (binary.py)
MODELS += [HtNeuron, IafCondAlphaMc]  # receptor ports, adaptive RKF45 (_rk45_ports.py)
MODELS += [IafPscExpPsLossless]  # precise timing, no missed spikes (iaf_psc_lossless.py)
MODELS += [IafChs2007]  # exact integration with a noise waveform (iaf_chs_2007.py)
MODELS += [AeifPscDeltaClopath, HhPscAlphaClopath]  # voltage-based plasticity (engine/plasticity_voltage.py)
MODELS += [PpCondExpMcUrbanczik]  # two compartments, escape noise, Urbanczik archive (urbanczik.py)
MODELS += [GlifPsc, GlifPscDoubleAlpha]  # GLIF levels 1-5, exact integration (glif.py)
MODELS += RATE_MODELS  # rate neurons, updated by engine/secondary.py
MODELS += [HhPscAlphaGap]  # gap junctions by waveform relaxation (engine/secondary.py)
MODELS += [GifCondExp]  # RKF45 with escape noise from counter-based streams (gif_cond.py)
MODELS += [GifCondExpMultisynapse, GifPscExpMultisynapse]  # gif with receptor ports (gif_cond.py, gif_multisynapse.py)
MODELS += [IafChxk2008]  # RKF45, spike times interpolated off the grid (iaf_chxk.py)
MODELS += [AstrocyteLr1994, AeifCondAlphaAstro]  # astrocytes and their SIC (astrocyte.py, engine/sic.py)
MODELS += [GlifCond]  # GLIF levels 1-5, adaptive RKF45 (glif_cond.py)
MODELS += [IafBw2001, IafBw2001Exact]  # Brunel-Wang 2001, RKF45 with AMPA/GABA/NMDA ports (iaf_bw_2001.py)
MODELS += [GifPopPscExp]  # a population per node, mesoscopic GIF (gif_pop.py)
MODELS += [CmDefault]  # compartmental neuron, Crank-Nicolson over the tree (cm_default.py)
MODELS += [EpropIaf, EpropReadout, EpropIafPscDelta]  # e-prop plasticity, history in engine/eprop.py (eprop.py)
MODELS += [EpropIafAdapt, EpropIafPscDeltaAdapt]  # e-prop with threshold adaptation (eprop.py)
