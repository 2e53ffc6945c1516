"""``iaf_bw_2001`` and ``iaf_bw_2001_exact``: the conductance-based leaky integrate-and-fire
neuron of Brunel & Wang (2001) with AMPA, GABA and NMDA receptors (ports 1, 2, 3).

``C_m dV/dt = -g_L (V - E_L) - I_AMPA - I_GABA - I_NMDA + I_stim`` with
``I_AMPA = (V - E_ex) s_AMPA``, ``I_GABA = (V - E_in) s_GABA`` and
``I_NMDA = (V - E_ex) s_NMDA / (1 + conc_Mg2 exp(-0.062 V) / 3.57)``; ``s_AMPA`` and
``s_GABA`` decay with ``tau_AMPA``, ``tau_GABA`` and jump by the weight of each spike.

NMDA differs between the two models:

- ``iaf_bw_2001`` (NEST's approximation): ``s_NMDA`` decays with ``tau_decay_NMDA`` and
  jumps by ``w * delta``, where ``delta`` is computed by the *sender* when it fires
  (``delta = k_0 + k_1 s_pre``, its own NMDA gate ``s_pre`` decaying between its spikes,
  ``k_0``, ``k_1`` from ``alpha``, ``tau_rise_NMDA``, ``tau_decay_NMDA``) and travels as the
  spike's offset, as in NEST 3.10 (so a spike recorder shows ``t - delta``).
- ``iaf_bw_2001_exact``: every NMDA connection has its own pair ``x`` (rise; +1 per
  spike) and ``s`` (``ds/dt = -s / tau_decay + alpha x (1 - s)``) in the ODE state, and
  ``s_NMDA`` is the weighted sum ``sum w_k s_k``.

Integration is NEST's: the adaptive Runge-Kutta-Fehlberg 4(5) of ``_rk45.evolve`` with an
absolute error bound ``gsl_error_tol`` over the whole state, each neuron carrying its step
size; then (NEST's order) the step's input is added, the refractory clamp or the threshold
applied, the next step's current latched. ``I_AMPA``, ``I_GABA``, ``I_NMDA`` (and
``s_NMDA`` of the exact model) are those of the last evaluation of the right-hand side,
at the end of the step's integration.

NMDA input travels through the receptor-port store like AMPA and GABA; the
:class:`NmdaInput` hook (``kernel.after_delivery``) then turns what the store delivered
(``w m``) into ``w m delta`` for ``iaf_bw_2001``, and into a count per connection for
``iaf_bw_2001_exact`` (whose port-3 buffer it empties).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...errors import NESTErrors
from ..base import Model, Param, archiving_params, require
from ._rk45 import evolve

AMPA, GABA, NMDA = 1, 2, 3
# Columns of P.
E_L, E_EX, E_IN, V_TH, V_RESET, C_M, G_L, TAU_AMPA, TAU_GABA, TAU_DEC, TAU_RISE, ALPHA, MG, K0, K1, EXACT = range(16)
N_FIXED = 16  # the exact model's NMDA weights follow


def _params(exact: bool) -> dict[str, Param]:
    out = {
        **archiving_params(),
        "C_m": Param(500.0, doc="Membrane capacitance", unit="pF"),
        "E_L": Param(-70.0, doc="Leak reversal potential", unit="mV"),
        "E_ex": Param(0.0, doc="Excitatory reversal potential", unit="mV"),
        "E_in": Param(-70.0, doc="Inhibitory reversal potential", unit="mV"),
        "V_m": Param(-70.0, state=True, doc="Membrane potential", unit="mV"),
        "V_reset": Param(-60.0, doc="Reset potential", unit="mV"),
        "V_th": Param(-55.0, doc="Threshold", unit="mV"),
        "alpha": Param(0.5, doc="Rate of NMDA activation", unit="1/ms"),
        "conc_Mg2": Param(1.0, doc="Extracellular magnesium concentration", unit="mM"),
        "g_L": Param(25.0, doc="Leak conductance", unit="nS"),
        "gsl_error_tol": Param(1e-3, doc="Absolute error bound of the integrator"),
        "s_AMPA": Param(0.0, state=True, doc="AMPA conductance", unit="nS"),
        "s_GABA": Param(0.0, state=True, doc="GABA conductance", unit="nS"),
        "t_ref": Param(2.0, doc="Refractory period", unit="ms"),
        "tau_AMPA": Param(2.0, doc="AMPA decay time", unit="ms"),
        "tau_GABA": Param(5.0, doc="GABA decay time", unit="ms"),
        "tau_decay_NMDA": Param(100.0, doc="NMDA decay time", unit="ms"),
        "tau_rise_NMDA": Param(2.0, doc="NMDA rise time", unit="ms"),
    }
    if not exact:
        out["s_NMDA"] = Param(0.0, state=True, doc="NMDA conductance", unit="nS")
        for key in ("I_AMPA", "I_GABA", "I_NMDA"):
            out[key] = Param(0.0, state=True, doc=f"{key[2:]} current (read only)", unit="pA")
    return out


_CHECKS = (
    (lambda v: v["V_reset"] < v["V_th"], "Reset potential must be smaller than threshold."),
    (lambda v: v["C_m"] > 0, "Capacitance must be strictly positive."),
    (lambda v: v["t_ref"] >= 0, "Refractory time cannot be negative."),
    (
        lambda v: (v["tau_AMPA"] > 0) & (v["tau_GABA"] > 0) & (v["tau_decay_NMDA"] > 0) & (v["tau_rise_NMDA"] > 0),
        "All time constants must be strictly positive.",
    ),
    (lambda v: v["alpha"] > 0, "alpha > 0 required."),
    (lambda v: v["conc_Mg2"] > 0, "Mg2 concentration must be strictly positive."),
    (lambda v: v["gsl_error_tol"] > 0, "The gsl_error_tol must be strictly positive."),
)


def nmda_jump_constants(alpha, tau_rise, tau_decay):
    """``(k_0, k_1)`` of the approximate model: a spike raises the sender's NMDA gate by
    ``k_0 + k_1 s``; ``k_0 = (alpha tau_r)^(tau_r / tau_d) gamma_lower(1 - tau_r / tau_d, alpha tau_r)``,
    ``k_1 = expm1(-alpha tau_r)``."""
    a_t = np.asarray(alpha, dtype=float) * np.asarray(tau_rise, dtype=float)
    r = np.asarray(tau_rise, dtype=float) / np.asarray(tau_decay, dtype=float)
    lower = np.vectorize(_lower_gamma, otypes=[float])(1.0 - r, a_t)
    k0 = a_t**r * lower
    return k0, np.expm1(-a_t)


def _lower_gamma(s: float, x: float) -> float:
    """The lower incomplete gamma function: x^s e^-x sum_k x^k / (s (s+1) ... (s+k)), a
    series that converges for every x > 0 (here s is in (0, 1] and x = alpha tau_rise)."""
    if x <= 0.0:
        return 0.0
    term = 1.0 / s
    total = term
    k = 0
    while abs(term) > 1e-17 * abs(total) and k < 100000:
        k += 1
        term *= x / (s + k)
        total += term
    return math.exp(s * math.log(x) - x) * total


@njit(inline="always", cache=True)
def _rhs(y, f, p, i, refr, i_stim):
    v = y[0]
    i_ampa = (v - p[i, E_EX]) * y[1]
    i_gaba = (v - p[i, E_IN]) * y[2]
    f[1] = -y[1] / p[i, TAU_AMPA]
    f[2] = -y[2] / p[i, TAU_GABA]
    if p[i, EXACT] == 0.0:
        s = y[3]
        f[3] = -y[3] / p[i, TAU_DEC]
    else:
        s = 0.0
        for k in range((y.shape[0] - 3) // 2):
            x = y[3 + 2 * k]
            sk = y[4 + 2 * k]
            s += sk * p[i, N_FIXED + k]
            f[4 + 2 * k] = -sk / p[i, TAU_DEC] + p[i, ALPHA] * x * (1.0 - sk)
            f[3 + 2 * k] = -x / p[i, TAU_RISE]
    i_nmda = (v - p[i, E_EX]) / (1.0 + p[i, MG] * math.exp(-0.062 * v) / 3.57) * s
    f[0] = (-p[i, G_L] * (v - p[i, E_L]) - (i_ampa + i_gaba + i_nmda) + i_stim) / p[i, C_M]


@njit(cache=True)
def _bw_update(t0, m, slots, off, dt, tics_per_step, ms_per_tic, eps, rbuf, row0, xbuf, xbase, cur, S, dim, P, H,
               Ist, r, ref, rec_cols, rec_row, rec_out, spk_i, spk_t, spk_o):  # fmt: skip
    """Advance a group of either model by ``m`` steps; returns the number of spikes.

    ``S[i]``: the ODE state (``dim`` columns), then I_AMPA, I_GABA, I_NMDA, the weighted
    NMDA sum, the sender's NMDA gate ``s_pre`` and the time of its last spike (ms).
    """
    n = S.shape[0]
    y = np.empty(dim)
    k0 = np.empty(dim)
    k1 = np.empty(dim)
    k2 = np.empty(dim)
    k3 = np.empty(dim)
    k4 = np.empty(dim)
    k5 = np.empty(dim)
    y0 = np.empty(dim)
    yt = np.empty(dim)
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        b_cur = cur[slot]
        for i in range(n):
            gi = off + i
            for j in range(dim):
                y[j] = S[i, j]
            rr = r[i]
            h = H[i]
            t = 0.0
            while t < dt:
                t, h = evolve(_rhs, dim, y, k0, k1, k2, k3, k4, k5, y0, yt, P, i, rr > 0, Ist[i], t, dt, h, eps[i],
                              False, False)  # fmt: skip
            # The currents of the right-hand side's last evaluation (at the step's end).
            v = y[0]
            S[i, dim] = (v - P[i, E_EX]) * y[1]
            S[i, dim + 1] = (v - P[i, E_IN]) * y[2]
            if P[i, EXACT] == 0.0:
                s = y[3]
            else:
                s = 0.0
                for q in range((dim - 3) // 2):
                    s += y[4 + 2 * q] * P[i, N_FIXED + q]
            S[i, dim + 2] = (v - P[i, E_EX]) / (1.0 + P[i, MG] * math.exp(-0.062 * v) / 3.57) * s
            S[i, dim + 3] = s
            # The step's input.
            row = row0 + i
            if row0 >= 0:
                y[1] += rbuf[0, slot, row]
                y[2] += rbuf[1, slot, row]
                rbuf[0, slot, row] = 0.0
                rbuf[1, slot, row] = 0.0
                if P[i, EXACT] == 0.0:
                    y[3] += rbuf[2, slot, row]
                rbuf[2, slot, row] = 0.0
            if P[i, EXACT] != 0.0:
                for q in range((dim - 3) // 2):
                    c = xbase[i] + q
                    if c < xbuf.shape[1] and q < xbase[n + i]:
                        y[3 + 2 * q] += xbuf[slot, c]
                        xbuf[slot, c] = 0.0
            if rr > 0:
                rr -= 1
                y[0] = P[i, V_RESET]
            elif y[0] >= P[i, V_TH]:
                rr = ref[i]
                y[0] = P[i, V_RESET]
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                if P[i, EXACT] == 0.0:
                    # The sender's NMDA gate: decayed since its last spike, then raised.
                    t_spike = (t0 + k + 1) * tics_per_step * ms_per_tic
                    pre = S[i, dim + 4] * math.exp(-(t_spike - S[i, dim + 5]) / P[i, TAU_DEC])
                    delta = P[i, K0] + P[i, K1] * pre
                    S[i, dim + 4] = pre + delta
                    S[i, dim + 5] = t_spike
                    spk_o[cnt] = delta
                cnt += 1
            Ist[i] = b_cur[gi]
            b_cur[gi] = 0.0
            for j in range(dim):
                S[i, j] = y[j]
            r[i] = rr
            H[i] = h
            rrow = rec_row[i]
            if rrow >= 0:
                for q in range(rec_cols.shape[0]):
                    rec_out[rrow, q, k] = S[i, rec_cols[q]]
        slot += 1
        if slot == slots:
            slot = 0
    return cnt


class IafBw2001(Model):
    """Brunel-Wang (2001) neuron; NMDA jumps computed by the sender (NEST's approximation)."""

    name = "iaf_bw_2001"
    elementsize = 776
    status_note = "adaptive RKF45 (NEST's steps), NMDA jump sent as the spike's offset (`tests/test_models_binary.py`)"
    exact = False
    offsets_are_times = False  # the offset carries the NMDA jump: STDP archives the step's time
    params = _params(False)
    recordables = ("I_AMPA", "I_GABA", "I_NMDA", "V_m", "s_AMPA", "s_GABA", "s_NMDA")
    receptor_types = {"AMPA": AMPA, "GABA": GABA, "NMDA": NMDA}

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        for cond, msg in _CHECKS:
            require(cond(v), self, gid, msg)

    def receptor_ports(self, group) -> np.ndarray:
        return np.full(group.n, 3, dtype=np.int64)

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        """Spikes to ports 1-3 (AMPA, GABA, NMDA); currents and multimeters to port 0."""
        ok = AMPA <= port <= NMDA if event == "SpikeEvent" else port == 0
        if not ok:
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")

    def before_set(self, group, idx, key) -> None:
        # Shown, never taken: NEST leaves the currents unaccessed in SetStatus.
        if key in ("I_AMPA", "I_GABA", "I_NMDA"):
            raise self.unknown_key_error(key)

    # ----- state layout ------------------------------------------------------------
    def n_nmda(self, group, kernel) -> np.ndarray:
        """NMDA pairs in the ODE state per node (the exact model's connections)."""
        return np.zeros(group.n, dtype=np.int64)

    def _dim(self, kmax: int) -> int:
        return 3 + 2 * kmax if self.exact else 4

    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        hook = NmdaInput.of(kernel)
        kmax = int(self.n_nmda(group, kernel).max(initial=0))
        dim = self._dim(kmax)
        old = a.get("S")
        if old is None or old.shape != (group.n, dim + 6):
            S = np.zeros((group.n, dim + 6))
            S[:, dim + 5] = -1.0  # NEST's t_spike before the first spike
            if old is not None:
                keep = min(old.shape[1] - 6, dim)
                S[:, :keep] = old[:, :keep]
                S[:, dim:] = old[:, -6:]
            a["S"] = S
            a["H"] = np.full(group.n, h)
            a["I"] = np.zeros(group.n)
            a["r"] = np.zeros(group.n, dtype=np.int64)
        a["dim"] = dim
        S = a["S"]
        S[:, 0] = v["V_m"]
        S[:, 1] = v["s_AMPA"]
        S[:, 2] = v["s_GABA"]
        if not self.exact:
            S[:, 3] = v["s_NMDA"]
        k0, k1 = nmda_jump_constants(v["alpha"], v["tau_rise_NMDA"], v["tau_decay_NMDA"])
        cols = [v[key] for key in ("E_L", "E_ex", "E_in", "V_th", "V_reset", "C_m", "g_L", "tau_AMPA", "tau_GABA",
                                   "tau_decay_NMDA", "tau_rise_NMDA", "alpha", "conc_Mg2")]  # fmt: skip
        cols += [k0, k1, np.full(group.n, float(self.exact))]
        P = np.zeros((group.n, N_FIXED + kmax))
        P[:, :N_FIXED] = np.column_stack(cols)
        a["P"] = P
        a["eps"] = np.asarray(v["gsl_error_tol"], dtype=np.float64).copy()
        a["ref"] = np.rint(np.asarray(v["t_ref"]) / h).astype(np.int64)
        nmda_col = 3 if not self.exact else dim + 3
        cols = {"V_m": 0, "s_AMPA": 1, "s_GABA": 2, "s_NMDA": nmda_col, "I_AMPA": dim, "I_GABA": dim + 1}
        cols["I_NMDA"] = dim + 2
        a["rec_cols"] = np.array([cols[r] for r in self.recordables], dtype=np.int64)
        a["map_key"] = None  # the exact model reads its connections at the first update
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (a["ref"] + 1)))
        a["spk_o"] = np.zeros(a["spk_cap"])
        hook.groups_changed = True

    def update(self, group, kernel, t0, m):
        a = group.aux
        hook = NmdaInput.of(kernel)
        hook.sync(kernel)
        xbuf, xbase = hook.x_of(group, kernel)
        row0 = -1
        if len(kernel.ridx) > group.offset and kernel.rbuf.shape[1] == kernel.slots:
            row0 = int(kernel.ridx[group.offset])
        count = _bw_update(
            t0, m, kernel.slots, group.offset, kernel.h, kernel.tics_per_step, kernel.ms_per_tic, a["eps"],
            kernel.rbuf, row0, xbuf, xbase, kernel.cur, a["S"], a["dim"], a["P"], a["H"], a["I"], a["r"], a["ref"],
            a["rec_cols"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_o"],
        )  # fmt: skip
        kernel.collect_spikes(group, np.array([count], dtype=np.int64))

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            return
        S, dim = a["S"], a["dim"]
        v["V_m"][:] = S[:, 0]
        v["s_AMPA"][:] = S[:, 1]
        v["s_GABA"][:] = S[:, 2]
        if not self.exact:
            # t_spike on the grid (the spike register holds it minus the NMDA offset).
            v["t_spike"][:] = S[:, dim + 5]
            v["s_NMDA"][:] = S[:, 3]
            v["I_AMPA"][:] = S[:, dim]
            v["I_GABA"][:] = S[:, dim + 1]
            v["I_NMDA"][:] = S[:, dim + 2]


class IafBw2001Exact(IafBw2001):
    """Brunel-Wang (2001) neuron integrating every NMDA connection's gating variables."""

    name = "iaf_bw_2001_exact"
    status_note = "adaptive RKF45 (NEST's steps) over every NMDA connection's gates (`tests/test_models_binary.py`)"
    exact = True
    params = _params(True)

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        super().check_receptor_event(group, local, port, event)
        from ...engine.kernel import kernel

        if port == NMDA and event == "SpikeEvent" and kernel.simulated:
            raise NESTErrors.IllegalConnection(
                "Creation of connection is not possible because:\n"
                "NMDA connections to this model can only be made before the first call to nest.Simulate()"
            )

    def n_nmda(self, group, kernel) -> np.ndarray:
        counts = np.zeros(group.n, dtype=np.int64)
        for b in kernel.blocks:
            if b.released or b.receptor != NMDA or not len(b):
                continue
            tgt = b.target
            mine = (tgt >= group.first) & (tgt < group.first + group.n)
            counts += np.bincount(tgt[mine] - group.first, minlength=group.n)
        for st in kernel.plastic_stores.values():
            if len(st.port) > 1:
                sel = (st.port == NMDA) & (st.target >= group.offset) & (st.target < group.offset + group.n)
                counts += np.bincount(st.target[sel] - group.offset, minlength=group.n)
        return counts


def check_nmda_sources(kernel, syns, src_ids, tgt_ids) -> None:
    """NEST's refusal of NMDA connections into ``iaf_bw_2001`` from senders of other models
    (only they send the NMDA jump); a no-op while no such neuron exists."""
    if not any(type(g.model) is IafBw2001 for g in kernel.groups):
        return
    if not any(s.get("receptor_type", 0) == NMDA for s in syns) or not len(src_ids) or not len(tgt_ids):
        return
    from ...errors import IllegalConnection

    def models(ids):
        return [kernel.groups[int(g)].model for g in np.unique(kernel.locate(np.asarray(ids))[0])]

    if any(type(m) is IafBw2001 for m in models(tgt_ids)) and any(type(m) is not IafBw2001 for m in models(src_ids)):
        raise IllegalConnection(
            "Creation of connection is not possible because:\n"
            "For NMDA synapses in iaf_bw_2001, pre-synaptic neuron must also be of type iaf_bw_2001"
        )


class NmdaInput:
    """The kernel's ``after_delivery`` hook for NMDA input (one per ``ResetKernel``).

    The receptor-port store delivers ``w m`` into port 3 of every target. For
    ``iaf_bw_2001`` targets this adds ``w m (offset - 1)``, so the target reads NEST's
    ``w m delta`` (``delta`` the sender's NMDA jump, 0 from senders without one); for
    ``iaf_bw_2001_exact`` targets it adds ``m`` to the connection's own column of ``x``
    (the target empties its port-3 buffer). Both run before the target reads the slot.
    """

    def __init__(self):
        self.key = None
        self.groups_changed = True
        self.rows = None
        self.x = np.zeros((1, 0))
        self.x_at: dict[int, np.ndarray] = {}

    @staticmethod
    def of(kernel) -> NmdaInput:
        for hook in kernel.after_delivery:
            if isinstance(hook, NmdaInput):
                return hook
        hook = NmdaInput()
        kernel.after_delivery.append(hook)
        return hook

    def sync(self, kernel) -> None:
        """Read the NMDA connections from the stores when they or the groups changed."""
        key = tuple(id(st) for st in kernel.plastic_stores.values())
        if key == self.key and not self.groups_changed and self.x.shape[0] == kernel.slots:
            return
        self.key, self.groups_changed = key, False
        kind = np.zeros(kernel.n_nodes, dtype=np.int64)  # 1 approximate, 2 exact
        for g in kernel.groups:
            if isinstance(g.model, IafBw2001):
                kind[g.offset : g.offset + g.n] = 2 if g.model.exact else 1
        parts = []  # (store, positions) of NMDA synapses into iaf_bw targets
        for st in kernel.plastic_stores.values():
            if len(st.port) > 1 and st.nnz:
                pos = np.flatnonzero((st.port == NMDA) & (kind[st.target] > 0))
                if len(pos):
                    parts.append((st, pos))
        # A column of x per exact connection, numbered per target in store order.
        n_exact = 0
        col_parts = []
        exact_targets = []
        for st, pos in parts:
            ex = kind[st.target[pos]] == 2
            cols = np.full(len(pos), -1, dtype=np.int64)
            cols[ex] = n_exact + np.arange(int(ex.sum()))
            n_exact += int(ex.sum())
            exact_targets.append(st.target[pos][ex])
            col_parts.append(cols)
        tgt_all = np.concatenate(exact_targets) if exact_targets else np.zeros(0, dtype=np.int64)
        # Columns grouped by target: sort the exact connections by target (stably).
        order = np.argsort(tgt_all, kind="stable")
        renumber = np.empty(len(order), dtype=np.int64)
        renumber[order] = np.arange(len(order))
        first = np.searchsorted(tgt_all[order], np.arange(kernel.n_nodes))
        counts = np.bincount(tgt_all, minlength=kernel.n_nodes) if len(tgt_all) else np.zeros(kernel.n_nodes, int)
        self.x = np.zeros((kernel.slots, max(n_exact, 1)))
        self.first, self.counts = first.astype(np.int64), counts.astype(np.int64)
        self.rows = []
        for (st, pos), cols in zip(parts, col_parts):
            ex = cols >= 0
            cols = cols.copy()
            cols[ex] = renumber[cols[ex]]
            src = np.searchsorted(st.indptr, pos, side="right") - 1
            self.rows.append((st, pos, src, cols))
        # The exact targets' weights, in column order.
        self.weights = np.zeros(max(n_exact, 1))
        for st, pos, _, cols in self.rows:
            ex = cols >= 0
            self.weights[cols[ex]] = st.weight[pos[ex]]
        self.x_at = {}

    def x_of(self, group, kernel):
        """(the x buffer, per node its first column then its count) for a group."""
        a = group.aux
        if not group.model.exact:
            return self.x, np.zeros(2 * group.n, dtype=np.int64)
        first = self.first[group.offset : group.offset + group.n]
        counts = self.counts[group.offset : group.offset + group.n]
        kmax = int(counts.max(initial=0))
        if a["dim"] != 3 + 2 * kmax:
            group.model.prepare(group, kernel)  # connections made after preparation
            self.groups_changed = False
        P = a["P"]
        for q in range(kmax):
            has = counts > q
            P[has, N_FIXED + q] = self.weights[first[has] + q]
        return self.x, np.concatenate([first, counts]).astype(np.int64)

    def __call__(self, kernel, n: int) -> None:
        if self.rows is None:
            return
        ridx = kernel.ridx
        for st, pos, src, cols in self.rows:
            _nmda_corrections(kernel.reg_src, kernel.reg_stamp, kernel.reg_mult, kernel.reg_off, n, src, pos,
                              st.target, st.weight, st.delay, cols, kernel.rbuf, ridx, self.x, kernel.slots)  # fmt: skip


@njit(cache=True)
def _nmda_corrections(reg_src, reg_stamp, reg_mult, reg_off, n, src, pos, target, weight, delay, cols, rbuf, ridx, x,
                      slots):  # fmt: skip
    # src is sorted (store rows by source): find each spike's synapses by bisection.
    for r in range(n):
        s = reg_src[r]
        lo = np.searchsorted(src, s)
        hi = np.searchsorted(src, s, side="right")
        for q in range(lo, hi):
            j = pos[q]
            slot = (reg_stamp[r] + delay[j] - 1) % slots
            if cols[q] >= 0:
                x[slot, cols[q]] += reg_mult[r]
            else:
                rbuf[2, slot, ridx[target[j]]] += weight[j] * reg_mult[r] * (reg_off[r] - 1.0)
