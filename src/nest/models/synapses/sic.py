"""``sic_connection``: an astrocyte's slow inward current into a neuron (``engine/sic.py``)."""

from __future__ import annotations

from .secondary import SecondarySynapse

SIC = "sic"


class SicConnection(SecondarySynapse):
    """The slow inward current of an ``astrocyte_lr_1994``, times ``weight``, reaching an
    ``aeif_cond_alpha_astro`` after the connection's delay as an input current."""

    name = "sic_connection"
    secondary = SIC
    has_delay = True
    status_note = "a current per step through the neurons' current ring buffer (`tests/test_models_astro.py`)"
