"""What every neuron integrated by the adaptive Runge-Kutta-Fehlberg kernel shares.

A subclass names its ODE state (``state_names``, ``V_m`` first), gives the parameter
matrix its hooks read (``param_matrix``), its absolute error bound (``error_bound``) and
the kernel built by :func:`~._rk45.adaptive_kernel`. The base keeps the state in
``aux["S"]`` between slices and writes it back into the user-visible values after each
run, so a ``SetStatus`` between runs is what the next run starts from.
"""

from __future__ import annotations

import numpy as np

from ...errors import NESTErrors
from ..base import Model, Param, require


def p(default, doc, unit="", state=False) -> Param:
    """A float status entry (shorthand for the long parameter tables)."""
    return Param(default, state=state, doc=doc, unit=unit)


class AdaptiveModel(Model):
    """A neuron integrated by the adaptive RKF45 group kernel.

    Class attributes set by subclasses:

    ``state_names``
        names of the ODE state, in the order of the state vector (``V_m`` first): status
        keys, or recordables without one (kept between runs, zero at the start).
    ``kernel``
        the group kernel (:func:`~._rk45.adaptive_kernel`).
    ``checks``
        ``(condition, message)`` pairs tested in order on the complete new status;
        ``condition`` is a function of the values' dict returning a boolean array.
    """

    state_names: tuple[str, ...] = ("V_m",)
    kernel = None
    checks: tuple = ()
    # Largest number of spikes one node can emit in one step (AdEx without refractory
    # time can fire several times within one step).
    spikes_per_step = 1

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        for cond, msg in self.checks:
            require(cond(v), self, gid, msg)

    # ----- parameters the kernel reads --------------------------------------------
    def param_matrix(self, v, h: float) -> np.ndarray:
        """(n, k) float64: the row ``p`` the hooks of the model read for each node."""
        raise NotImplementedError

    def error_bound(self, v) -> np.ndarray:
        """Absolute error allowed per internal step, per node (NEST: 1e-3)."""
        return np.full(len(v["V_m"]), 1e-3)

    def refractory_steps(self, v, h: float) -> np.ndarray:
        return np.rint(np.asarray(v["t_ref"]) / h).astype(np.int64)

    # ----- engine hooks ------------------------------------------------------------
    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        h = kernel.h
        # State the user can set comes from the values (``finish_run`` left the kernel's
        # there); state without a status key (HH synaptic currents) carries over.
        old = a.get("S")
        cols = []
        for j, key in enumerate(self.state_names):
            if key in v:
                cols.append(v[key])
            elif old is not None and old.shape[0] == group.n:
                cols.append(old[:, j])
            else:
                cols.append(np.zeros(group.n))
        a["S"] = np.ascontiguousarray(np.column_stack(cols), dtype=np.float64)
        assert a["S"].shape[1] == self.kernel.dim, "the kernel was built for another state length"
        if a.get("H") is None or len(a["H"]) != group.n:
            # NEST starts every neuron's internal step at the resolution.
            a["H"] = np.full(group.n, h)
            a["I"] = np.zeros(group.n)
            a["r"] = np.zeros(group.n, dtype=np.int64)
        a["P"] = np.ascontiguousarray(self.param_matrix(v, h), dtype=np.float64)
        a["eps"] = np.ascontiguousarray(self.error_bound(v), dtype=np.float64)
        ref = self.refractory_steps(v, h)
        a["ref_counts"] = ref
        a["rec_cols"] = np.array(
            [self.state_names.index(r) if r in self.state_names else -1 for r in self.recordables], dtype=np.int64
        )
        per_node = -(-kernel.slice_steps // (ref + 1))
        if self.spikes_per_step > 1:
            per_node = np.where(ref == 0, self.spikes_per_step * kernel.slice_steps, per_node)
        kernel.reserve_spikes(group, per_node)

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts, status = self.kernel(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, a["eps"], kernel.buf, kernel.cur,
            a["S"], a["P"], a["H"], a["I"], a["r"], a["ref_counts"], a["rec_cols"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        if status.any():
            bad = int(np.flatnonzero(~np.isfinite(a["S"]).all(axis=1) | (a["S"][:, 0] < -1e3))[:1].sum())
            raise NESTErrors.NumericalInstability(
                f"{self.name} with node ID {group.first + bad}: numerical instability at "
                f"{(t0 + m) * kernel.h} ms (V_m < -1000 mV or |w| > 1e6 pA)."
            )
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a = group.aux
        if "S" in a:
            for j, key in enumerate(self.state_names):
                if key in group.values:
                    group.values[key][:] = a["S"][:, j]


def positive(*keys):
    """Condition: every one of ``keys`` (those the model has) is > 0."""
    return lambda v: np.all([np.asarray(v[k]) > 0 for k in keys if k in v], axis=0)
