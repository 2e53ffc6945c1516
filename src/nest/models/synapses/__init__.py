"""Synapse models."""

from .static import StaticSynapse

SYNAPSE_MODELS = [StaticSynapse()]
