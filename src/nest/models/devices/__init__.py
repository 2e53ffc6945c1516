"""Stimulation and recording devices, and the volume transmitter of neuromodulated plasticity."""

from . import detectors, generators, generators_extra, recorders, volume_transmitter

MODELS = generators.MODELS + recorders.MODELS + volume_transmitter.MODELS
MODELS += generators_extra.MODELS + detectors.MODELS
