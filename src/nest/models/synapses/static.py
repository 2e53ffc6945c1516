"""``static_synapse``: a fixed weight and delay."""

from __future__ import annotations

import copy


class StaticSynapse:
    """Synapse with constant weight and delay; the default of ``Connect``."""

    name = "static_synapse"
    plastic = False
    sizeof = 32
    # Connections to receptor ports are delivered from a store (engine/plasticity.py).
    family = "static"
    per_connection: tuple[str, ...] = ()

    def __init__(self):
        self.defaults = {"weight": 1.0, "delay": 1.0, "receptor_type": 0}

    def copy(self, new_name: str) -> StaticSynapse:
        other = copy.copy(self)
        other.name = new_name
        other.defaults = dict(self.defaults)
        return other

    def status(self) -> dict:
        return {
            **self.defaults,
            "synapse_model": self.name,
            "element_type": "synapse",
            "has_delay": True,
            "requires_symmetric": False,
            "sizeof": self.sizeof,
            "weight_recorder": None,
        }
