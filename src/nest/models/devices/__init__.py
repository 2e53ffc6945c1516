"""Stimulation and recording devices, and the volume transmitter of neuromodulated plasticity."""

from . import generators, recorders, volume_transmitter

MODELS = generators.MODELS + recorders.MODELS + volume_transmitter.MODELS
