"""Synapse models that carry secondary events: rates and gap-junction currents.

Their connections never enter the spike CSR: at preparation ``engine/secondary.py``
takes them from the blocks into stores of its own and exchanges values along them every
step. ``secondary`` names the kind of value a model carries; models without a delay
(``has_delay`` False) are instantaneous and need waveform relaxation (or a one-step
``min_delay``) as in NEST.
"""

from __future__ import annotations

from ...errors import BadProperty
from .static import StaticSynapse

DELAYED_RATE = "delayed_rate"
INSTANT_RATE = "instantaneous_rate"
DIFFUSION = "diffusion"
GAP = "gap_junction"

# What NEST says a source that cannot send the event lacks ("... does not support X output.").
OUTPUT_WORDS = {DELAYED_RATE: "delayed rate", INSTANT_RATE: "instantaneous rate", DIFFUSION: "diffusion",
                GAP: "gap junction"}  # fmt: skip


class SecondarySynapse(StaticSynapse):
    """Base of the rate, diffusion and gap-junction connections."""

    secondary = DELAYED_RATE
    has_delay = True
    requires_symmetric = False
    # Words of NEST's BadProperty when a delay is given to a model without one.
    no_delay_message = ""

    def status(self) -> dict:
        st = super().status()
        st["has_delay"] = self.has_delay
        st["requires_symmetric"] = self.requires_symmetric
        return st

    def check(self, values: dict, on_set: bool = False) -> None:
        """Per-connection values given in ``Connect`` (none by default)."""


class RateConnectionDelayed(SecondarySynapse):
    """``rate_connection_delayed``: a rate, weighted, arriving after the connection's delay."""

    name = "rate_connection_delayed"
    status_note = "rates through a ring buffer per node and a CSR of connections (`tests/test_models_rate.py`)"


class RateConnectionInstantaneous(SecondarySynapse):
    """``rate_connection_instantaneous``: a rate, weighted, used in the same step."""

    name = "rate_connection_instantaneous"
    secondary = INSTANT_RATE
    has_delay = False
    no_delay_message = "rate_connection_instantaneous has no delay. Please use rate_connection_delayed."
    status_note = "waveform relaxation as NEST iterates it (`tests/test_models_rate.py`)"


class DiffusionConnection(SecondarySynapse):
    """``diffusion_connection``: a rate into the mean (``drift_factor``) and the variance
    (``diffusion_factor``) of a ``siegert_neuron``'s input; ``weight`` is unused."""

    name = "diffusion_connection"
    secondary = DIFFUSION
    has_delay = False
    sizeof = 48
    no_delay_message = "diffusion_connection has no delay."
    per_connection = ("diffusion_factor", "drift_factor")
    status_note = "instantaneous, waveform relaxation (`tests/test_models_rate.py`)"

    def __init__(self):
        super().__init__()
        self.defaults = {"weight": 2.0, "delay": 1.0, "receptor_type": 0, "diffusion_factor": 1.0,
                         "drift_factor": 1.0}  # fmt: skip


class GapJunction(SecondarySynapse):
    """``gap_junction``: a conductance ``weight`` between two neurons' membranes, made in
    both directions (``make_symmetric``)."""

    name = "gap_junction"
    secondary = GAP
    has_delay = False
    requires_symmetric = True
    no_delay_message = "gap_junction connection has no delay"
    status_note = "waveform relaxation of the membrane potentials"

    def check(self, values: dict, on_set: bool = False) -> None:
        pass


SECONDARY_SYNAPSES = [RateConnectionDelayed, RateConnectionInstantaneous, DiffusionConnection, GapJunction]


def refuse_delay(model, spec: dict) -> None:
    """NEST's error for a delay given to a connection model that has none."""
    if not getattr(model, "has_delay", True) and "delay" in spec:
        raise BadProperty(model.no_delay_message)
