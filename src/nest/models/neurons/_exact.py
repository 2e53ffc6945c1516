"""What the exact-integration neurons of izhikevich.py, mat.py, iaf_tum.py,
ignore_and_fire.py, pp.py and gif.py share: the state matrix and its bookkeeping.

A model keeps its dynamic state in ``aux["S"]`` (one row per node), its per-node
constants in ``aux["Q"]``, its propagators in ``aux["P"]`` and its step counters
(refractoriness, dead time) in ``aux["r"]``. ``visible`` names the columns of ``S`` that
are status entries: they are taken from the user's values before a run (unless they
still hold what the kernel left there) and written back after it. ``V_m`` may be kept
relative to ``E_L`` (``vm_relative``), as the propagators want it.
"""

from __future__ import annotations

import numpy as np

from ..base import Model


class ExactNeuron(Model):
    """Base of the neurons whose kernels read ``S``, ``Q``, ``P`` and ``r``."""

    # Column of S -> status name, in order; column 0 is V_m unless the model says otherwise.
    state_columns: tuple[str, ...] = ("V_m",)
    # Status names among state_columns (the others are internal: latched currents).
    visible: tuple[str, ...] = ("V_m",)
    vm_relative = True
    n_counters = 1
    batch_keys = ("S", "Q", "P", "r")

    def base(self, v, key) -> np.ndarray | float:
        """What a visible column is stored relative to (E_L for V_m when vm_relative)."""
        return v["E_L"] if (key == "V_m" and self.vm_relative) else 0.0

    def initial(self, v, key) -> np.ndarray | float:
        return v[key] if key in v else 0.0

    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            a["S"] = np.zeros((group.n, len(self.state_columns)))
            for col, key in enumerate(self.state_columns):
                a["S"][:, col] = self.initial(v, key) - (self.base(v, key) if key in self.visible else 0.0)
            a["r"] = np.zeros((group.n, self.n_counters), dtype=np.int64)
            self.first_prepare(group, kernel)
        else:
            # Take a status value from the user unless it is what the kernel left there.
            S = a["S"]
            for col, key in enumerate(self.state_columns):
                if key in self.visible:
                    b = self.base(v, key)
                    changed = S[:, col] + b != v[key]
                    S[changed, col] = (v[key] - b)[changed]
        a["Q"] = np.ascontiguousarray(self.constants(v, kernel), dtype=np.float64)
        a["P"] = np.ascontiguousarray(self.propagators(v, kernel.h), dtype=np.float64)
        kernel.reserve_spikes(group, self.max_spikes(v, kernel))

    def first_prepare(self, group, kernel) -> None:
        """Initialise counters and internal columns of a group's first run."""

    def constants(self, v, kernel) -> np.ndarray:
        return np.zeros((len(next(iter(v.values()))), 0))

    def propagators(self, v, h) -> np.ndarray:
        return np.zeros((len(next(iter(v.values()))), 0))

    def max_spikes(self, v, kernel):
        """Most spikes a node can emit in one slice."""
        return kernel.slice_steps

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            return
        for col, key in enumerate(self.state_columns):
            if key in self.visible:
                v[key][:] = a["S"][:, col] + self.base(v, key)
        self.sync_status(group, kernel)

    def sync_status(self, group, kernel) -> None:
        """Refresh status entries derived from the state (thresholds, remaining times)."""


def ref_steps(t_ms, h) -> np.ndarray:
    """A duration in whole steps, rounded as NEST's ``Time(ms(t)).get_steps()``."""
    return np.rint(np.asarray(t_ms) / h).astype(np.int64)
