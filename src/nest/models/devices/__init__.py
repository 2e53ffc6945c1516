"""Stimulation and recording devices."""

from . import generators, recorders

MODELS = generators.MODELS + recorders.MODELS
