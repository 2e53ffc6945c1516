"""Secondary events: values nodes exchange every step instead of spikes.

Rate neurons (``models/neurons/rate.py``) send their rate at every step along
``rate_connection_delayed``, ``rate_connection_instantaneous`` and (Siegert neurons)
``diffusion_connection`` connections. Their connections stay in the kernel's blocks
(``GetConnections`` reads them there) but never enter the spike CSR: at preparation
:class:`SecondarySystem` gathers every node that takes part into one index space (one
row of a parameter table ``Q``, a code table ``C`` and a state array per node) and the
connections of each synapse model into arrays of source, target, weights and delay in that
index space. Once per slice :func:`run_slice` (one line in ``Kernel._run_slice``, before
the spiking nodes' update) advances all of them with one jitted kernel and delivers:

- delayed values into a ring buffer ``dbuf[channel, slot, node]`` (``slots`` as the spike
  buffers), read at step ``t0 + k + delay`` by the target;
- instantaneous values into ``ibuf[channel, k, node]``, used at the same step ``k``.
  With waveform relaxation (kernel property ``use_wfr``, NEST's default) the slice is
  iterated as NEST iterates it: every node runs the slice from the same start state on
  the instantaneous input of the previous iteration (the first starts from each
  source's rate at the end of the previous slice), until no rate of the slice moves by more
  than ``wfr_tol`` from the previous iteration (at most ``wfr_max_iterations``); the
  final update then runs on the last iteration's output. Without it an instantaneous
  connection makes ``min_delay`` one step and the value of the previous step is used.

Instantaneous connections count as delays of ``wfr_comm_interval`` (one step without
waveform relaxation) for ``min_delay``/``max_delay``, as in NEST 3.10.

Interface for other secondary connections (``docs/models_notes/secondary_events.md``):
a synapse model sets ``secondary`` (a kind), ``has_delay``; node models list the kinds
they send and take in ``secondary_out`` / ``secondary_in``. A new kind adds a store here
(built in ``SecondarySystem.build``) and a delivery in ``run_slice``.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..errors import BadProperty, IllegalConnection
from ..models.neurons import rate as rate_models
from ..models.synapses.secondary import DIFFUSION, GAP, INSTANT_RATE, OUTPUT_WORDS
from . import rng

_NO_INDEX = -1


def _wfr() -> dict:
    """The waveform-relaxation kernel properties (kept by the API layer)."""
    from ..api.kernel_status import _stored

    return _stored


def is_rate_generator(model) -> bool:
    """Whether ``model`` is (a copy of) ``step_rate_generator``: a source of delayed rates."""
    return getattr(model, "base_name", model.name) == "step_rate_generator"


def _sends(model) -> tuple:
    return ("delayed_rate",) if is_rate_generator(model) else getattr(model, "secondary_out", ())


def kind_of(kernel, block) -> str | None:
    """The secondary kind a block's synapse model carries, or None for spikes."""
    return getattr(kernel.registry.synapses[block.synapse_model], "secondary", None)


def no_route() -> dict:
    """The route of a secondary block in the spike path: nowhere."""
    return {"spike": None, "current": None, "poisson": None, "recorders": {}, "meters": {}}


def delay_extrema(kernel, block) -> tuple[int, int]:
    """(min, max) delay in steps a block imposes: a connection without delay counts as
    ``wfr_comm_interval`` with waveform relaxation, as one step without (NEST 3.10)."""
    model = kernel.registry.synapses[block.synapse_model]
    if getattr(model, "has_delay", True):
        return block.dmin, block.dmax
    st = _wfr()
    d = kernel.steps(st["wfr_comm_interval"], "wfr_comm_interval") if st["use_wfr"] else 1
    return d, d


def _models_of(kernel, ids) -> list:
    ids = np.asarray(ids)
    if not len(ids):
        return []
    gi, _ = kernel.locate(np.unique(ids.astype(np.int64)))
    return [kernel.groups[int(g)].model for g in np.unique(gi)]


def check_block(kernel, block) -> None:
    """Refuse connections NEST refuses: secondary events between nodes that do not send or
    take them, and spikes into or out of rate nodes."""
    kind = kind_of(kernel, block)
    has_rate_nodes = any(
        not getattr(g.model, "spike_io", True) or not getattr(g.model, "sends_spikes", True) for g in kernel.groups
    )
    if kind is None and not has_rate_nodes:
        return
    sources = _models_of(kernel, block.source)
    targets = _models_of(kernel, block.targets.ids if hasattr(block.targets, "ids") else block.target)
    why = None
    if kind == "sic":
        # NEST gives no reason for a slow inward current between other models.
        if any(kind not in getattr(m, "secondary_out", ()) for m in sources) or any(
            kind not in getattr(m, "secondary_in", ()) for m in targets
        ):
            raise IllegalConnection("Creation of connection is not possible.")
        return
    if kind is not None:
        if any(kind not in _sends(m) for m in sources):
            why = f"The source node does not support {OUTPUT_WORDS.get(kind, kind)} output."
        elif any(kind not in getattr(m, "secondary_in", ()) for m in targets):
            why = f"The target node does not support {OUTPUT_WORDS.get(kind, kind)} input."
    elif any(not getattr(m, "spike_io", True) or not getattr(m, "sends_spikes", True) for m in sources):
        why = "Source node does not send output.\n  Note that recorders must be connected as Connect(neuron, recorder)."
    elif any(not getattr(m, "spike_io", True) for m in targets) and any(is_rate_generator(m) for m in sources):
        why = "The target node or synapse model does not support delayed rate input."
    elif any(not getattr(m, "spike_io", True) for m in targets) and not all(m.role == "multimeter" for m in sources):
        why = (
            "The target node or synapse model does not support spike input.\n"
            "  Note that volt/multimeters must be connected as Connect(meter, neuron)."
        )
    if why:
        raise IllegalConnection(f"Creation of connection is not possible because:\n{why}")
    if kind == GAP and not _symmetric(block):
        raise BadProperty(
            "Connections with this synapse model can only be created as one-to-one connections with "
            '"make_symmetric" set to true or as all-to-all connections with equal source and target populations '
            "and default or scalar parameters."
        )


def _symmetric(block) -> bool:
    """Whether every connection of ``block`` has its reverse, with the same weight."""
    src = np.asarray(block.source, dtype=np.int64)
    tgt = np.asarray(block.target, dtype=np.int64)
    w = np.broadcast_to(block.weights(), (len(src),))
    fwd = np.lexsort((w, tgt, src))
    back = np.lexsort((w, src, tgt))
    return bool(np.array_equal(src[fwd], tgt[back]) and np.array_equal(tgt[fwd], src[back]) and
                np.array_equal(w[fwd], w[back]))  # fmt: skip


class SecondarySystem:
    """Every node with secondary events, its connections, buffers and state."""

    def __init__(self):
        self.n = 0
        self.gaps: GapSystem | None = None
        self.dbuf = np.zeros((2, 1, 0))
        self.ibuf = np.zeros((2, 1, 0))
        self.groups: list = []

    def build(self, kernel) -> None:
        groups = [g for g in kernel.groups if isinstance(g.model, rate_models.RateNode)]
        self.groups = groups
        n = sum(g.n for g in groups)
        index = np.full(kernel.n_nodes, _NO_INDEX, dtype=np.int64)
        Qs, Cs, starts = [], [], []
        state = np.zeros((n, 3))
        pos = 0
        for g in groups:
            index[g.offset : g.offset + g.n] = np.arange(pos, pos + g.n)
            Q, C = g.model.table(g.values, kernel.h)
            Qs.append(Q)
            Cs.append(C)
            state[pos : pos + g.n, rate_models.RATE] = g.values["rate"]
            if "noise" in g.values:
                state[pos : pos + g.n, rate_models.NOISE] = g.values["noise"]
            if "noisy_rate" in g.values:
                state[pos : pos + g.n, rate_models.NOISY] = g.values["noisy_rate"]
            starts.append(pos)
            pos += g.n
        self.starts = starts
        self.index = index
        self.Q = np.ascontiguousarray(np.concatenate(Qs)) if Qs else np.zeros((0, rate_models.N_Q))
        self.C = np.ascontiguousarray(np.concatenate(Cs)) if Cs else np.zeros((0, rate_models.N_C), dtype=np.int64)
        self.state = state
        gids = np.concatenate([np.arange(g.first, g.first + g.n) for g in groups]) if groups else np.zeros(0)
        self.keys = rng.stream_keys(
            np.uint64(kernel.rng_seed), np.uint64(rate_models.PURPOSE_RATE_NOISE), gids.astype(np.uint64)
        )
        md, slots = kernel.min_delay_steps, kernel.slots
        if self.dbuf.shape != (2, slots, n):
            self.dbuf = np.zeros((2, slots, n))
        if self.ibuf.shape != (2, md, n):
            self.ibuf = np.zeros((2, md, n))
        # Rate generators send from rows after the rate nodes' (their values, no dynamics).
        self.generators = [g for g in kernel.groups if is_rate_generator(g.model)]
        for g in self.generators:
            index[g.offset : g.offset + g.n] = np.arange(pos, pos + g.n)
            starts.append(pos)
            pos += g.n
        self.sent = np.zeros((pos, md))
        self.y = np.zeros((n, md))
        self.rec = np.zeros((3, n, md))
        self.n = n
        chunks = kernel.threads if n >= 64 * kernel.threads else 1
        self.node_bounds = np.array([c * n // chunks for c in range(chunks + 1)], dtype=np.int64)
        self._build_stores(kernel)

    def _build_stores(self, kernel) -> None:
        """Arrays of the connections of each secondary kind, in the nodes' index space."""
        parts: dict[str, list] = {}
        for b in kernel.blocks:
            kind = kind_of(kernel, b)
            if kind is None or kind in ("sic", "eprop_learning_signal") or b.released or not len(b):
                continue  # slow inward currents: engine/sic.py; e-prop learning signals: engine/eprop.py
            src = np.asarray(b.source, dtype=np.int64) - 1
            tgt = np.asarray(b.target, dtype=np.int64) - 1
            if kind != GAP:  # (gap junctions keep node indices: GapSystem maps them)
                src, tgt = self.index[src], self.index[tgt]
            w1 = np.broadcast_to(b.weights(), (len(b),)).astype(np.float64)
            d = np.broadcast_to(b.delays(), (len(b),)).astype(np.int64)
            w2 = np.zeros(len(b))
            if kind == DIFFUSION:
                model = kernel.registry.synapses[b.synapse_model]
                params = b.extra.get("params", {})
                for key, out in (("drift_factor", w1), ("diffusion_factor", w2)):
                    out[:] = np.broadcast_to(np.asarray(params.get(key, model.defaults[key]), float), (len(b),))
            parts.setdefault(kind, []).append((src, tgt, w1, w2, d))
        self.stores = {}
        from .kernel import _target_chunks

        for kind, cols in parts.items():
            src, tgt, w1, w2, d = (np.concatenate(c) for c in zip(*cols))
            # By target, so that threads can own ranges of targets (every target's inputs are
            # added in the same order for any number of threads).
            order = np.argsort(tgt, kind="stable")
            cols = tuple(np.ascontiguousarray(c[order]) for c in (src, tgt, w1, w2, d))
            threads = kernel.threads if len(tgt) >= 1024 * kernel.threads else 1
            self.stores[kind] = (*cols, _target_chunks(cols[1], threads))
        self.instant_kinds = [k for k in self.stores if k in (INSTANT_RATE, DIFFUSION)]
        self.gaps = None

    # ------------------------------------------------------------------ the slice
    def _deliver(self, kind, t0, m, slots, out, instant) -> None:
        src, tgt, w1, w2, d, bounds = self.stores[kind]
        rate_models.deliver_rates(bounds, t0, m, slots, src, tgt, w1, w2, d, self.sent, self.Q, self.C, out, instant,
                                  kind == DIFFUSION)  # fmt: skip

    def _deliver_instant(self, m, slots) -> None:
        self.ibuf.fill(0.0)
        for kind in self.instant_kinds:
            self._deliver(kind, 0, m, slots, self.ibuf, True)

    def run_slice(self, kernel, t0: int, m: int) -> None:
        if self.gaps is not None:
            self.gaps.iterate(kernel, t0, m)
        if not self.n:
            return
        slots = kernel.slots
        md = kernel.min_delay_steps
        for g, start in zip(self.generators, self.starts[len(self.groups) :]):
            # NEST's step_rate_generator sends at step s the value set for s + min_delay + 1
            # (measured with delays of min_delay and more).
            self.sent[start : start + g.n, :m] = g.model.amplitudes(g, kernel, t0 + md, m)
        st = _wfr()
        if self.instant_kinds and st["use_wfr"]:
            last = np.zeros((self.n, m))
            tol = st["wfr_tol"]
            for _ in range(st["wfr_max_iterations"]):
                trial = self.state.copy()
                rate_models.rate_steps(self.node_bounds, t0, m, self.Q, self.C, trial, self.keys, self.dbuf, slots, False, self.ibuf,
                                       self.sent, self.y, self.rec, False)  # fmt: skip
                moved = bool(np.any(np.abs(self.y[:, :m] - last) > tol))
                last[:] = self.y[:, :m]
                self._deliver_instant(m, slots)
                if not moved:
                    break
        rate_models.rate_steps(self.node_bounds, t0, m, self.Q, self.C, self.state, self.keys, self.dbuf, slots, True, self.ibuf,
                               self.sent, self.y, self.rec, True)  # fmt: skip
        if (t0 + m) % kernel.min_delay_steps == 0:
            # NEST sends a slice's delayed rates once, from the update that ends the slice: when
            # a Simulate call ends inside a slice, the rates of the steps before are lost
            # (measured: a 10-step slice run as 3 + 7 steps delivers the last 7 only).
            for kind in self.stores:
                if kind not in self.instant_kinds:
                    self._deliver(kind, t0, m, slots, self.dbuf, False)
        if self.instant_kinds:
            # The first iteration of the next slice starts from each source's last rate.
            self.sent[:, :m] = self.state[:, rate_models.RATE : rate_models.RATE + 1]
            self._deliver_instant(m, slots)
        self._record(m)

    def _record(self, m: int) -> None:
        for g, start in zip(self.groups, self.starts):
            rows = g.aux.get("rec_row")
            if rows is None:
                continue
            sel = np.flatnonzero(rows >= 0)
            if not len(sel):
                continue
            out = g.aux["rec_out"]
            for j, name in enumerate(g.model.recordables):
                var = {"rate": rate_models.RATE, "noise": rate_models.NOISE, "noisy_rate": rate_models.NOISY}[name]
                out[rows[sel], j, :m] = self.rec[var, start + sel, :m]

    def write_back(self, group) -> None:
        """The state of ``group``'s nodes into its status values."""
        for g, start in zip(self.groups, self.starts):
            if g is group:
                s = self.state[start : start + g.n]
                g.values["rate"][:] = s[:, rate_models.RATE]
                if "noise" in g.values:
                    g.values["noise"][:] = s[:, rate_models.NOISE]
                if "noisy_rate" in g.values:
                    g.values["noisy_rate"][:] = s[:, rate_models.NOISY]


class GapSystem:
    """Gap junctions: the neurons that have them, the conductances, the exchanged waveforms.

    Every gap neuron's model gives ``run(group, kernel, t0, m, final, coeff_in, g_sum,
    order, y_out, coeff_out)`` (``hh_gap.py``): one pass over the slice with the gap input
    ``coeff_in[i, k]`` (sum over neighbours of ``g_ij`` times the coefficients of their
    V_m polynomial in step ``k``) and ``g_sum[i] = sum_j g_ij``. ``iterate`` runs the
    waveform relaxation before the slice's real update, which reads ``input_of``.
    """

    def __init__(self, kernel, groups, store):
        self.groups = groups
        n = sum(g.n for g in groups)
        index = np.full(kernel.n_nodes, _NO_INDEX, dtype=np.int64)
        self.starts = {}
        pos = 0
        for g in groups:
            index[g.offset : g.offset + g.n] = np.arange(pos, pos + g.n)
            self.starts[id(g)] = pos
            pos += g.n
        self.n = n
        src, tgt, w = store
        self.src, self.tgt, self.w = index[src], index[tgt], w
        self.g_sum = np.bincount(self.tgt, weights=self.w, minlength=n) if n else np.zeros(0)
        self.coeff_in = np.zeros((n, kernel.min_delay_steps, 4))
        self.y_out = np.zeros((n, kernel.min_delay_steps))
        self.coeff_out = np.zeros((n, kernel.min_delay_steps, 4))

    def _rows(self, group):
        start = self.starts[id(group)]
        return slice(start, start + group.n)

    def input_of(self, group, m):
        rows = self._rows(group)
        order = _wfr()["wfr_interpolation_order"] if _wfr()["use_wfr"] else 0
        return np.ascontiguousarray(self.coeff_in[rows, :m]), np.ascontiguousarray(self.g_sum[rows]), order

    def after_final(self, group, t0, m) -> None:
        """Nothing to do: the next slice starts from the neighbours' V_m (``iterate``)."""

    def _deliver(self, m) -> None:
        self.coeff_in[:, :m] = 0.0
        _add_gap(self.src, self.tgt, self.w, self.coeff_out, self.coeff_in, m)

    def iterate(self, kernel, t0: int, m: int) -> None:
        # First guess for every step of the slice: each neighbour's V_m now, held constant.
        for g in self.groups:
            self.coeff_out[self._rows(g), :m, 0] = g.aux["S"][:, :1]
        self.coeff_out[:, :m, 1:] = 0.0
        self._deliver(m)
        st = _wfr()
        if not st["use_wfr"] or not len(self.src):
            return  # (without gap connections the iterations would change nothing)
        last = np.zeros((self.n, m))
        order = st["wfr_interpolation_order"]
        for _ in range(st["wfr_max_iterations"]):
            for g in self.groups:
                a = g.aux
                saved = [a[k].copy() for k in ("S", "H", "I", "r")]
                rows = self._rows(g)
                y_out = np.empty((g.n, m))
                c_out = np.empty((g.n, m, 4))
                g.model.run(g, kernel, t0, m, False, np.ascontiguousarray(self.coeff_in[rows, :m]),
                            np.ascontiguousarray(self.g_sum[rows]), order, y_out, c_out)  # fmt: skip
                for k, arr in zip(("S", "H", "I", "r"), saved):
                    a[k][...] = arr
                self.y_out[rows, :m] = y_out
                self.coeff_out[rows, :m] = c_out
            moved = bool(np.any(np.abs(self.y_out[:, :m] - last) > st["wfr_tol"]))
            last[:] = self.y_out[:, :m]
            self._deliver(m)
            if not moved:
                break


@njit(cache=True)
def _add_gap(src, tgt, w, coeff_out, coeff_in, m):
    for c in range(src.shape[0]):
        s, t, wc = src[c], tgt[c], w[c]
        for k in range(m):
            for j in range(4):
                coeff_in[t, k, j] += wc * coeff_out[s, k, j]


def prepare(kernel) -> None:
    """Build (or rebuild) the secondary system after the kernel's routing."""
    rates = any(isinstance(g.model, rate_models.RateNode) for g in kernel.groups)
    gap_groups = [g for g in kernel.groups if GAP in getattr(g.model, "secondary_in", ())]
    if not rates and not gap_groups:
        kernel.secondary = None
        return
    if getattr(kernel, "secondary", None) is None:
        kernel.secondary = SecondarySystem()
    kernel.secondary.build(kernel)
    store = kernel.secondary.stores.pop(GAP, None)
    kernel.secondary.gap_store = store
    if gap_groups:
        cols = (store[0], store[1], store[2]) if store is not None else (np.zeros(0, np.int64),) * 2 + (np.zeros(0),)
        kernel.secondary.gaps = GapSystem(kernel, gap_groups, cols)
