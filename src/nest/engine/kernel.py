"""The simulation kernel: nodes, connections, time, and the slice-by-slice scheduler.

Time is counted in integer steps of ``resolution``. The scheduler advances in slices of
``min_delay`` steps aligned to multiples of ``min_delay`` from time 0: devices write into
input ring buffers, every node group's jitted kernel updates all its nodes for all steps
of the slice and appends its spikes to the slice's register, then the register is
delivered through the connection store and shown to the recorders.
"""

from __future__ import annotations

import ctypes
import os
import sys
import time as _time

import numpy as np
from numba import njit, prange

from ..errors import BadDelay, BadParameter, BadProperty, IllegalConnection, NESTErrors, UnknownNode
from ..models import build_registry
from ..models.base import (
    ROLE_CURRENT_SOURCE,
    ROLE_MULTIMETER,
    ROLE_NEURON,
    ROLE_POISSON_SOURCE,
    ROLE_SPIKE_RECORDER,
    ROLE_SPIKE_SOURCE,
)
from ..models.devices import generators_extra
from ..models.synapses.plastic import split_delay
from . import after_slice, batches, plasticity, rng, secondary, sic, weight_recording
from .connections import Block, RepeatedIds, SpikeCSR
from .jit import threaded_kernel
from .nodes import NodeGroup
from .precise import PreciseEvents, poisson_ps_spikes

_ROLE_CODES = {
    ROLE_NEURON: 0,
    ROLE_SPIKE_SOURCE: 1,
    ROLE_CURRENT_SOURCE: 2,
    ROLE_POISSON_SOURCE: 3,
    ROLE_SPIKE_RECORDER: 4,
    ROLE_MULTIMETER: 5,
    "weight_recorder": 6,  # no connections: synapse models name it (engine/after_slice.py)
}
DEFAULT_SEED = 143202461


class Kernel:
    """All simulation state; one instance lives in ``nest.engine.kernel.kernel``."""

    def __init__(self):
        self.reset()

    # ------------------------------------------------------------------ state
    def reset(self) -> None:
        self.registry = build_registry()
        self.h = 0.1
        self.tics_per_ms = 1000.0
        self.rng_seed = DEFAULT_SEED
        self.threads = 1
        self.print_time = False
        self.data_path = ""
        self.data_prefix = ""
        self.overwrite_files = False
        self.dict_miss_is_error = True
        self.t = 0  # steps simulated
        self.groups: list[NodeGroup] = []
        self.units: list = []  # what each slice updates: groups and batches (engine/batches.py)
        self.user_delay_range: tuple[int, int] | None = None
        # Whole steps of continuous delays set on connections (NEST counts them in min_delay).
        self.delay_floor: int | None = None
        # Connections of plastic synapse models, one store per model (engine/plasticity.py).
        self.plastic_stores: dict[str, plasticity.PlasticStore] = {}
        self.archive: plasticity.SpikeArchive | None = None
        self._plastic_pending = None  # (sources, stamps, multiplicities) of the last slice
        self.per_connection_trains: list = []  # groups of models/devices/generators_extra.py
        # Calls (kernel, n) once a slice's n spikes are in the ring buffers (binary neurons' input).
        self.after_delivery: list = []
        # Buffers of receptor ports (multisynapse models): [port - 1, slot, ridx[node]].
        self.rbuf = np.zeros((1, 1, 1))
        self.ridx = np.zeros(1, dtype=np.int64)
        self._firsts = np.zeros(0, dtype=np.int64)
        self.n_nodes = 0
        self.blocks: list[Block] = []
        self.num_connections = 0
        self.simulated = False
        self.dirty = True
        self.min_delay_steps = 1
        self.max_delay_steps = 1
        self.slots = 0
        self.buf = np.zeros((2, 1, 0))
        self.cur = np.zeros((1, 0))
        self.csr: SpikeCSR | None = None
        self._csr_key = (0, 0, 0)
        self.precise: PreciseEvents | None = None  # input events of precise models (engine/precise.py)
        self.pois_ps = None
        self.secondary = None  # rate neurons and their connections (engine/secondary.py)
        self.sic = None  # astrocytes' slow inward currents (engine/sic.py)
        self._reg_precise = False
        self.sim_time_total = 0.0
        self.last_realtime_factor = 0.0
        self._connect_calls = 0
        self._parameter_calls = 0
        self._conn_version = 0

    # ------------------------------------------------------------------ time
    def steps(self, ms: float, what: str, error=BadDelay, allow_zero: bool = False) -> int:
        """``ms`` as a whole number of steps; refuse values off the grid."""
        x = float(ms) / self.h
        n = round(x)
        if abs(x - n) > 1e-6 * max(1.0, abs(x)):
            raise error(f"{what} = {ms} ms is not a multiple of the resolution {self.h} ms.")
        return int(n)

    def time_to_steps(self, times, what: str, allow_offgrid: bool = False, error=BadProperty, hint=None) -> np.ndarray:
        """Times in ms as whole steps; refuse times off the grid unless ``allow_offgrid``."""
        x = np.asarray(times, dtype=np.float64) / self.h
        n = np.rint(x)
        off = np.abs(x - n) > 1e-6 * np.maximum(1.0, np.abs(x))
        if not allow_offgrid and np.any(off):
            bad = np.asarray(times)[off][0]
            raise error(
                f"{what}: {bad} ms is not a multiple of the resolution {self.h} ms "
                f"({hint or 'set allow_offgrid_times to True to round it'})."
            )
        return n.astype(np.int64)

    def steps_to_ms(self, steps):
        """Times of steps in ms, computed through tics as NEST does (0.3, not 0.30000000000000004)."""
        tics_per_step = round(self.h * self.tics_per_ms)
        return (np.asarray(steps, dtype=np.int64) * tics_per_step).astype(np.float64) * (1.0 / self.tics_per_ms)

    @property
    def biological_time(self) -> float:
        return float(self.steps_to_ms(self.t))

    @property
    def off_grid_spiking(self) -> bool:
        """Whether a node of a precise model exists (NEST 3.10: a spike_generator with
        precise_times does not count)."""
        return any(
            getattr(g.model, "precise_input", False) or getattr(g.model, "precise_source", False) for g in self.groups
        )

    @property
    def tics_per_step(self) -> int:
        return round(self.h * self.tics_per_ms)

    @property
    def ms_per_tic(self) -> float:
        return 1.0 / self.tics_per_ms

    @property
    def slice_steps(self) -> int:
        return self.min_delay_steps

    def parameter_rng(self) -> np.random.Generator:
        """A generator for one evaluation of parameters, seeded by the seed and a counter."""
        self._parameter_calls += 1
        return np.random.default_rng([self.rng_seed, rng.PURPOSE_PARAM, self._parameter_calls])

    # ------------------------------------------------------------------ nodes
    def create(self, model, n: int) -> NodeGroup:
        group = NodeGroup(model, self.n_nodes + 1, n)
        self.groups.append(group)
        self._firsts = np.append(self._firsts, group.first)
        self.n_nodes += n
        self.dirty = True
        return group

    def locate(self, gids) -> tuple[np.ndarray, np.ndarray]:
        """Group index and local index of each global id; UnknownNode for bad ids."""
        gids = np.asarray(gids, dtype=np.int64)
        if gids.size and (gids.min() < 1 or gids.max() > self.n_nodes):
            bad = gids[(gids < 1) | (gids > self.n_nodes)][0]
            raise UnknownNode(f"Node with id {bad} does not exist (the network has {self.n_nodes} nodes).")
        gi = np.searchsorted(self._firsts, gids, side="right") - 1
        return gi, gids - self._firsts[gi] if gids.size else gids

    def group_of(self, gid: int) -> tuple[NodeGroup, int]:
        gi, li = self.locate(np.array([gid]))
        return self.groups[int(gi[0])], int(li[0])

    def roles(self) -> np.ndarray:
        """Role code of every node, indexed by gid - 1."""
        out = np.empty(self.n_nodes, dtype=np.int8)
        for g in self.groups:
            out[g.offset : g.offset + g.n] = _ROLE_CODES[g.model.role]
        return out

    # ------------------------------------------------------------------ connections
    def add_block(self, block: Block, pre_ids=None, post_ids=None) -> None:
        if len(block) == 0:
            return
        dmin, dmax = block.dmin, block.dmax
        if dmin < 1:
            raise BadDelay(f"Delay must be greater than or equal to the resolution {self.h} ms.")
        if self.simulated and (dmin < self.min_delay_steps or dmax > self.max_delay_steps):
            raise BadDelay(
                f"Delay value {(dmin if dmin < self.min_delay_steps else dmax) * self.h:g} is invalid: "
                "minimum and maximum delay cannot be changed after Simulate has been called "
                f"(they are {self.min_delay_steps * self.h:g} and {self.max_delay_steps * self.h:g} ms)."
            )
        self._check_roles(block, pre_ids, post_ids)
        secondary.check_block(self, block)
        self._compact_ids(block)
        self.blocks.append(block)
        self.num_connections += len(block)
        self._connect_calls += 1
        self.dirty = True

    def _compact_ids(self, block: Block) -> None:
        """Keep the ids of a static neuron-to-neuron block as uint16 while they fit (ids up to 65535).

        Such a block waits in memory until the CSR takes it (and is released then); at 2
        bytes instead of 4 per id it halves what coexists with the CSR at the peak of a
        build. Only these blocks: device routing computes with ids (stream keys).
        """
        if self.n_nodes >= 2**16 or self.registry.synapses[block.synapse_model].plastic or block.receptor != 0:
            return
        src = block.source
        if not isinstance(src, np.ndarray) or src.dtype != np.int32:
            return
        roles = self.roles()
        t = block.targets
        t_ids = t.ids if isinstance(t, RepeatedIds) else t
        neuron = _ROLE_CODES[ROLE_NEURON]
        if _uniform_role(roles, src) != neuron or _uniform_role(roles, t_ids) != neuron:
            return
        block.source = src.astype(np.uint16)
        if isinstance(t, np.ndarray) and t.dtype == np.int32:
            block.targets = t.astype(np.uint16)

    def remove_connections(self, store, pos: np.ndarray) -> None:
        """Delete the connections at ``pos`` of ``store`` (a block, or the CSR)."""
        store, pos = self.resolve(store, pos)
        if isinstance(store, plasticity.PlasticStore):
            # Back into an ordinary block (state included) whose positions are the store's.
            del self.plastic_stores[store.synapse_model]
            store = store.to_block()
            self.blocks.append(store)
        elif not isinstance(store, Block):
            # The CSR holds the released blocks: make them one ordinary block again; its
            # positions are the CSR's.
            store = self.csr.to_block(self.csr.synapse_model)
            self.blocks = [b for b in self.blocks if not b.released] + [store]
        keep = np.ones(len(store), bool)
        keep[pos] = False
        index = next(i for i, b in enumerate(self.blocks) if b is store)
        if keep.any():
            self.blocks[index] = store.select(keep)
        else:
            del self.blocks[index]
        self.num_connections -= int((~keep).sum())
        self._conn_version += 1
        self.dirty = True

    def set_connection_values(self, store, key: str, pos: np.ndarray, values: np.ndarray) -> None:
        """Change the weight or delay (ms) of stored connections (``SynapseCollection.set``)."""
        store, pos = self.resolve(store, pos)
        if key == "delay" and getattr(self.registry.synapses[store.synapse_model], "continuous_delay", False):
            # cont_delay_synapse keeps the delay off the grid: whole steps and an offset.
            values, offsets = split_delay(values, self.h)
            if np.any(values - (offsets > 0) < 1):
                raise BadDelay("Delay value 0 is invalid: Delay must be greater than or equal to resolution")
            cols = store.extra["params"] if isinstance(store, Block) else store.cols
            cols["delay_offset"][pos] = offsets
            floor = int((values - (offsets > 0)).min())
            self.delay_floor = floor if self.delay_floor is None else min(self.delay_floor, floor)
        elif key == "delay":
            values = self.time_to_steps(values, "Delay", error=BadDelay, allow_offgrid=False)
        if key == "delay":
            lo, hi = int(values.min()), int(values.max())
            if lo < 1:
                raise BadDelay(f"Delay must be greater than or equal to the resolution {self.h} ms.")
            if (self.simulated or any(b.released for b in self.blocks)) and (
                lo < self.min_delay_steps or hi > self.max_delay_steps
            ):
                raise BadDelay(
                    "Delays cannot leave the range fixed at preparation "
                    f"({self.min_delay_steps * self.h:g} to {self.max_delay_steps * self.h:g} ms)."
                )
        if isinstance(store, Block) and key not in ("weight", "delay"):
            params = store.extra.setdefault("params", {})
            col = np.broadcast_to(
                np.asarray(params.get(key, self.registry.synapses[store.synapse_model].defaults[key]), float),
                (len(store),),
            ).copy()
            col[pos] = values
            params[key] = col
        elif isinstance(store, Block):
            col = (store.weights() if key == "weight" else store.delays()).astype(
                np.float64 if key == "weight" else np.int32
            )
            col[pos] = values
            setattr(store, key, col)
            if key == "delay":
                store.dmin, store.dmax = int(col.min()), int(col.max())
            store.extra.pop("route", None)
            self._conn_version += 1
        else:
            store.set_values(key, pos, values)
        self.dirty = True

    @staticmethod
    def resolve(store, pos: np.ndarray):
        """Where connections read from ``store`` at ``pos`` live now (plastic ones move into their store)."""
        while True:
            moved = store.extra.get("moved") if isinstance(store, Block) else getattr(store, "moved", None)
            if moved is None:
                return store, pos
            store, pos = moved[0], moved[1][pos]

    def connection_receptors(self, store, pos: np.ndarray) -> np.ndarray:
        """Receptor ports of the connections at ``pos`` of ``store``."""
        store, pos = self.resolve(store, pos)
        if isinstance(store, plasticity.PlasticStore):
            return store.port[pos] if len(store.port) > 1 else np.full(len(pos), int(store.port[0]))
        return np.full(len(pos), int(getattr(store, "receptor", 0) or 0))

    def connection_values(self, store, key: str, pos: np.ndarray) -> np.ndarray:
        """Values of a synapse parameter or state variable (``Kplus``, ``u`` ...) at ``pos`` of ``store``."""
        store, pos = self.resolve(store, pos)
        if isinstance(store, plasticity.PlasticStore):
            return store.values(key, pos)
        if key == "weight":
            return store.weights()[pos] if isinstance(store, Block) else store.columns()[2][pos]
        model = self.registry.synapses[store.synapse_model] if isinstance(store, Block) else None
        params = store.extra.get("params", {}) if isinstance(store, Block) else {}
        if key in params:
            return np.broadcast_to(np.asarray(params[key], float), (len(store),))[pos]
        if model is not None and key in model.defaults:
            return np.full(len(pos), model.defaults[key])
        raise KeyError(key)

    def _check_roles(self, block: Block, pre_ids=None, post_ids=None) -> None:
        roles = self.roles()
        if pre_ids is not None and post_ids is not None:
            # Roles are per node, so when each side has one role one check covers all pairs.
            src_roles = np.unique(roles[np.asarray(pre_ids) - 1])
            tgt_roles = np.unique(roles[np.asarray(post_ids) - 1])
            if len(src_roles) == 1 and len(tgt_roles) == 1:
                src, tgt = src_roles, tgt_roles
                if self._roles_ok(src, tgt).all():
                    return
        src = roles[block.source - 1]
        tgt = block.target_values(roles)
        ok = self._roles_ok(src, tgt)
        if np.all(ok):
            return
        j = int(np.argmin(ok))
        s_model = self.group_of(int(block.source[j]))[0].model
        t_model = self.group_of(int(block.target[j]))[0].model
        hint = ""
        if t_model.role == ROLE_MULTIMETER:
            hint = f" A {t_model.name} is connected to the nodes it records: Connect({t_model.name}, neurons)."
        elif s_model.role == ROLE_SPIKE_RECORDER:
            hint = f" A {s_model.name} receives spikes: Connect(neurons, {s_model.name})."
        elif t_model.role in (ROLE_CURRENT_SOURCE, ROLE_POISSON_SOURCE, ROLE_SPIKE_SOURCE):
            hint = f" A {t_model.name} is a stimulator and accepts no input: Connect({t_model.name}, neurons)."
        raise IllegalConnection(
            f"Creation of connection is not possible because a {s_model.name} "
            f"(node {int(block.source[j])}) cannot send to a {t_model.name} "
            f"(node {int(block.target[j])}).{hint}"
        )

    @staticmethod
    def _roles_ok(src: np.ndarray, tgt: np.ndarray) -> np.ndarray:
        """Which (source role, target role) pairs make a connection NEST allows."""
        codes = _ROLE_CODES
        receivers = tgt == codes[ROLE_NEURON]
        senders = (src == codes[ROLE_NEURON]) | (src == codes[ROLE_SPIKE_SOURCE])
        return (
            ((src <= codes[ROLE_POISSON_SOURCE]) & receivers)
            | (senders & (tgt == codes[ROLE_SPIKE_RECORDER]))
            | ((src == codes[ROLE_MULTIMETER]) & (receivers | (tgt == codes[ROLE_CURRENT_SOURCE])))
            | ((src == codes[ROLE_MULTIMETER]) & (tgt == codes[ROLE_POISSON_SOURCE]))  # rate of sinusoidal generators
        )

    # ------------------------------------------------------------------ preparation
    def n_chunks(self, group) -> int:
        return group.aux.get("n_chunks", 1)

    def reserve_spikes(self, group, per_node_max) -> None:
        """Room for the spikes ``group`` can emit in one slice, per chunk of nodes."""
        chunks = self.threads if (self.threads > 1 and group.n >= 64 * self.threads) else 1
        group.aux["n_chunks"] = chunks
        per = np.broadcast_to(np.asarray(per_node_max, dtype=np.int64), (group.n,))
        bounds = [c * group.n // chunks for c in range(chunks + 1)]
        csum = np.concatenate([[0], np.cumsum(per)])
        offs = np.array([csum[b] for b in bounds], dtype=np.int64)
        group.aux["spk_off"] = offs[:-1].copy()
        group.aux["spk_per_node"] = per
        cap = max(int(offs[-1]), 1)
        group.aux["spk_i"] = np.zeros(cap, dtype=np.int64)
        group.aux["spk_t"] = np.zeros(cap, dtype=np.int64)
        if getattr(group.model, "counts_spikes", False):
            group.aux["spk_mult"] = np.zeros(cap)
        if getattr(group.model, "precise_input", False):
            group.aux["spk_o"] = np.zeros(cap)  # offsets of the spikes (engine/precise.py)
        group.aux["spk_cap"] = cap

    def grow_spikes(self, group, cap: int) -> None:
        """Room for ``cap`` spikes of a single-chunk group (precise models, whose count
        per slice depends on their input)."""
        a = group.aux
        if cap <= a["spk_cap"]:
            return
        cap = max(cap, 2 * a["spk_cap"])
        for key in ("spk_i", "spk_t", "spk_mult", "spk_o"):
            if key in a:
                a[key] = np.zeros(cap, dtype=a[key].dtype)
        a["spk_cap"] = cap

    def _delay_range(self) -> tuple[int, int]:
        if self.user_delay_range is not None:
            # min_delay and max_delay set together before any connection (SetKernelStatus).
            return self.user_delay_range
        ranges = [secondary.delay_extrema(self, b) for b in self.blocks]
        ranges += [st.delay_bounds() for st in self.plastic_stores.values() if st.nnz]
        ranges += [(self.delay_floor, self.delay_floor)] if self.delay_floor is not None else []
        if not ranges:
            return 1, 1
        return min(r[0] for r in ranges), max(r[1] for r in ranges)

    def prepare(self) -> None:
        if not self.dirty:
            return
        if not self.simulated:
            self.min_delay_steps, self.max_delay_steps = self._delay_range()
        md = self.min_delay_steps
        slots = self.max_delay_steps + md
        self._resize_buffers(slots)
        if self.threads > 1:
            # Only now: setting the count starts Numba's thread pool.
            import numba

            numba.set_num_threads(min(self.threads, numba.config.NUMBA_NUM_THREADS))
        for g in self.groups:
            g.model.prepare(g, self)
            g.prepared = True
        self._route()
        self.units = batches.plan(self.groups, _is_updated, self)
        secondary.prepare(self)
        sic.prepare(self)  # astrocytes' slow inward currents
        self._reg_cap = sum(int(u.aux.get("spk_cap", 0)) for u in self.units) + 16
        self.reg_src = np.zeros(self._reg_cap, dtype=np.int64)
        self.reg_stamp = np.zeros(self._reg_cap, dtype=np.int64)
        self.reg_mult = np.ones(self._reg_cap)
        self.reg_off = np.zeros(self._reg_cap)
        self._reg_precise = False  # does this slice's register hold a spike off the grid?
        self._prepare_precise()
        self.dirty = False
        self._warm_kernels()
        _return_free_memory()

    def _prepare_precise(self) -> None:
        """The event list of precise models' input, kept between ``Simulate`` calls."""
        owners = [g for g in self.groups if getattr(g.model, "precise_input", False)]
        if not owners and self.precise is None and self.pois_ps is None:
            return
        if self.precise is None:
            self.precise = PreciseEvents(self.n_nodes)
        self.precise.resize(self.n_nodes)
        for g in owners:
            self.precise.mask[g.offset : g.offset + g.n] = True

    def _warm_kernels(self) -> None:
        """Run every kernel the network needs for zero steps: Numba loads (or compiles)
        them now, in ``Prepare``, not inside the first slice."""
        self.n_reg = 0
        for u in self.units:
            u.model.update(u, self, self.t, 0)
        self.csr.deliver(self.reg_src, self.reg_stamp, self.reg_mult, 0, self.buf, self.slots, self.threads)
        none = np.zeros(0, dtype=np.int64)
        for store in self.plastic_stores.values():
            store.deliver(self, none, none, np.zeros(0))
        if self.archive is not None:
            self.archive.add(self, 0, 0)
        none = np.zeros(1, dtype=np.int64)
        _gather_spikes(none, none, none, none, _NO_MULT, False, _NO_OFF, False, 0,
                       self.reg_src, self.reg_stamp, self.reg_mult, self.reg_off, 0)  # fmt: skip
        if self.currents is not None:
            self._emit_currents(self.t, 0)
        if self.pois is not None:
            self._emit_poisson(self.t, 0)

    def _resize_buffers(self, slots: int) -> None:
        n = self.n_nodes
        if self.buf.shape == (2, slots, n):
            return
        buf = np.zeros((2, slots, n))
        cur = np.zeros((slots, n))
        old_n = self.buf.shape[2]
        if old_n and self.buf.shape[1] == slots:
            buf[:, :, :old_n] = self.buf
            cur[:, :old_n] = self.cur
        self.buf, self.cur, self.slots = buf, cur, slots

    def _route(self) -> None:
        """Sort every connection into the path that carries its events."""
        roles = self.roles()
        counts_spikes = np.zeros(self.n_nodes, bool)
        for g in self.groups:
            if getattr(g.model, "counts_spikes", False):
                counts_spikes[g.offset : g.offset + g.n] = True
        cur, pois = [], []
        mm_targets: dict[int, list[np.ndarray]] = {}
        sr_sources: dict[int, list[np.ndarray]] = {}
        for b in self.blocks:
            if b.released:
                continue  # pure spike connections, held by the CSR
            # A node's role never changes, so a block is classified once.
            if "route" not in b.extra:
                sec = secondary.kind_of(self, b) is not None  # rates: engine/secondary.py
                b.extra["route"] = secondary.no_route() if sec else self._classify(b, roles, counts_spikes)
            r = b.extra["route"]
            if r["current"] is not None:
                cur.append(r["current"])
            if r["poisson"] is not None:
                pois.append(r["poisson"])
            for rec, srcs in r["recorders"].items():
                sr_sources.setdefault(rec, []).append(srcs)
            for mm, tgts in r["meters"].items():
                mm_targets.setdefault(mm, []).append(tgts)
        self._build_plastic(counts_spikes)
        # Rebuild the CSR only when connections or nodes changed, not after a SetStatus.
        if self.csr is None or self._csr_key != (len(self.blocks), self.n_nodes, self._conn_version):
            self._build_csr(roles, counts_spikes)
        self._route_poisson(pois)
        self._route_currents(cur)
        self._route_spike_recorders(sr_sources)
        self._route_multimeters(mm_targets)

    def _build_plastic(self, counts_spikes) -> None:
        """Move new connections of plastic synapse models into their models' stores."""
        # Plastic synapses, and static ones to a receptor port, live in stores of their own; the
        # static ones with receptors of a model share one (``store_name``).
        fresh = [
            b
            for b in self.blocks
            if not b.released
            and (
                self.registry.synapses[b.synapse_model].plastic or (b.receptor != 0 and b.extra["route"]["spike"] is b)
            )
        ]
        stale = [name for name, st in self.plastic_stores.items() if st.n_nodes != self.n_nodes]
        if fresh or stale:
            by_model: dict[str, list[Block]] = {name: [] for name in stale}
            for b in fresh:
                spike = b.extra["route"]["spike"]
                # Whole blocks only (a part for parrot targets is a copy: parrots count spikes,
                # which the stores do by themselves).
                if spike is None or len(spike) != len(b):
                    raise NESTErrors.NotImplemented(
                        f"{b.synapse_model} connects neurons (and spike generators or parrots) here; "
                        "connect devices of other kinds with static synapses."
                    )
                by_model.setdefault(plasticity.store_name(self.registry.synapses[b.synapse_model]), []).append(b)
            for name, blocks in by_model.items():
                old = self.plastic_stores.get(name)
                parts = ([old.to_block()] if old is not None else []) + blocks
                model = self.registry.synapses[(parts[0].synapse_model)]
                store = plasticity.PlasticStore(model, self.n_nodes, parts)
                # Collections read before keep working: their blocks (or the old store) point here.
                start = 0
                for origin, part in zip(([old] if old is not None else []) + blocks, parts):
                    moved = (store, store.inverse[start : start + len(part)])
                    if isinstance(origin, Block):
                        origin.extra["moved"] = moved
                    else:
                        origin.moved = moved
                    start += len(part)
                store.inverse = None
                self.plastic_stores[name] = store
            moved = {id(b) for b in fresh}
            self.blocks = [b for b in self.blocks if id(b) not in moved]
        self._counts_spikes = counts_spikes
        self.rbuf, self.ridx = plasticity.receptor_buffers(self, self.rbuf, self.ridx)
        if any(st.model.family in plasticity.TIMING for st in self.plastic_stores.values()):
            if self.archive is None:
                self.archive = plasticity.SpikeArchive(self.n_nodes)
            self.archive.resize(self.n_nodes)
            for g in self.groups:
                if "tau_minus" in g.values:
                    self.archive.tau_minus_inv[g.offset : g.offset + g.n] = 1.0 / g.values["tau_minus"]
                if "tau_minus_triplet" in g.values:
                    self.archive.tau_minus3_inv[g.offset : g.offset + g.n] = 1.0 / g.values["tau_minus_triplet"]

    def _build_csr(self, roles, counts_spikes) -> None:
        """Sort the spike connections into the CSR, then release the blocks it holds.

        While any block is released, the CSR holds exactly the released blocks'
        connections (`GetConnections` reads them there). Blocks are released only when
        every spike-carrying block is whole (no device part, no parrot target) and all
        share one synapse model; otherwise the released connections go back into one
        ordinary block first.
        """
        released = [b for b in self.blocks if b.released]
        fresh = [b for b in self.blocks if not b.released and b.extra["route"]["spike"] is not None]
        models = {b.synapse_model for b in fresh} | ({self.csr.synapse_model} if released else set())
        can_release = len(models) <= 1 and all(b.extra["route"]["spike"] is b for b in fresh)
        parts = [b.extra["route"]["spike"] for b in fresh]
        if released:
            base = self.csr.to_block(self.csr.synapse_model)
            if can_release:
                parts.insert(0, base)
            else:
                base.extra["route"] = self._classify(base, roles, counts_spikes)
                self.blocks = [b for b in self.blocks if not b.released] + [base]
                parts.insert(0, base)
        self.csr = SpikeCSR(self.n_nodes, parts)
        self.csr.synapse_model = next(iter(models)) if len(models) == 1 else None
        if can_release:
            for b in fresh:
                b.release()
        self._csr_key = (len(self.blocks), self.n_nodes, self._conn_version)

    @staticmethod
    def _classify(b: Block, roles: np.ndarray, counts_spikes: np.ndarray) -> dict:
        """Split a block into spike, current, Poisson, recorder and meter connections."""
        c = _ROLE_CODES
        out: dict = {"spike": None, "current": None, "poisson": None, "recorders": {}, "meters": {}}
        # Most blocks join one population to another: when every source has one role and
        # every target another, the block is classified whole, without arrays as long as it.
        t_ids = b.targets.ids if isinstance(b.targets, RepeatedIds) else b.targets
        s_role, t_role = _uniform_role(roles, b.source), _uniform_role(roles, t_ids)
        if t_role == c[ROLE_NEURON] and not counts_spikes[t_ids.min() - 1 : t_ids.max()].any():
            for roles_, key in (
                ((c[ROLE_NEURON], c[ROLE_SPIKE_SOURCE]), "spike"),
                ((c[ROLE_CURRENT_SOURCE],), "current"),
                ((c[ROLE_POISSON_SOURCE],), "poisson"),
            ):
                if s_role in roles_:
                    out[key] = b
                    return out
        src = roles[b.source - 1]
        tgt = b.target_values(roles)
        to_neuron = tgt == c[ROLE_NEURON]
        sel = ((src == c[ROLE_NEURON]) | (src == c[ROLE_SPIKE_SOURCE])) & to_neuron
        if sel.any():
            part = b.select(sel) if not sel.all() else b
            parrot = part.target_values(counts_spikes)
            # Port 1 of a parrot takes spikes it does not repeat: they go, weights and all,
            # through a receptor store to a buffer the parrot never reads.
            if parrot.any() and b.receptor == 0:
                # Parrots count spikes: deliver the multiplicity, not the weight.
                w = part.weights().copy()
                w[parrot] = 1.0
                part = Block(part.source, part.target, w, part.delay)
            out["spike"] = part
        for code, key in ((c[ROLE_CURRENT_SOURCE], "current"), (c[ROLE_POISSON_SOURCE], "poisson")):
            sel = (src == code) & to_neuron
            if sel.any():
                out[key] = b.select(sel)
        sel = tgt == c[ROLE_SPIKE_RECORDER]
        if sel.any():
            target = b.target
            for rec in np.unique(target[sel]):
                out["recorders"][int(rec)] = b.source[sel & (target == rec)]
        sel = src == c[ROLE_MULTIMETER]
        if sel.any():
            for mm in np.unique(b.source[sel]):
                out["meters"][int(mm)] = b.target[sel & (b.source == mm)]
        return out

    def _device_ordinals(self, blocks: list[Block]):
        """Concatenated columns of device connections, with each one's rank per device."""
        if not blocks:
            z = np.zeros(0, dtype=np.int64)
            return z, z, np.zeros(0), z, z
        src = np.concatenate([b.source for b in blocks])
        tgt = np.concatenate([b.target for b in blocks])
        w = np.concatenate([b.weights() for b in blocks])
        d = np.concatenate([b.delays() for b in blocks])
        order = np.argsort(src, kind="stable")
        ranks = np.empty(len(src), dtype=np.int64)
        s_sorted = src[order]
        starts = np.r_[0, np.flatnonzero(np.diff(s_sorted)) + 1]
        run_start = np.repeat(starts, np.diff(np.r_[starts, len(src)]))
        ranks[order] = np.arange(len(src)) - run_start
        return src, tgt, w, d, ranks

    def _route_poisson(self, blocks: list[Block]) -> None:
        blocks = generators_extra.route(self, blocks)  # generators with trains of their own per connection
        # poisson_generator_ps draws spike times off the grid: its connections go apart.
        precise = np.zeros(self.n_nodes + 1, bool)
        for g in self.groups:
            if getattr(g.model, "precise_source", False):
                precise[g.first : g.first + g.n] = True
        if precise.any():
            sel = [precise[b.source] for b in blocks]
            self._route_poisson_ps([b.select(s) for b, s in zip(blocks, sel) if s.any()])
            blocks = [b.select(~s) if s.any() else b for b, s in zip(blocks, sel) if not s.all()]
        else:
            self.pois_ps = None
        src, tgt, w, d, ranks = self._device_ordinals(blocks)
        gens = np.unique(src)
        self.pois = None
        if not len(src):
            return
        # Sorted by target (stably), so threads can own ranges of targets.
        order = np.argsort(tgt, kind="stable")
        src, tgt, w, d, ranks = src[order], tgt[order], w[order], d[order], ranks[order]
        port = np.concatenate([np.full(len(b), b.receptor, dtype=np.int64) for b in blocks])[order]
        gen_index = np.searchsorted(gens, src)
        keys = rng.stream_keys(
            np.uint64(self.rng_seed), np.uint64(rng.PURPOSE_POISSON), (src * 2**24 + ranks).astype(np.uint64)
        )
        lam = np.zeros(len(gens))
        tables = []
        for j, gid in enumerate(gens):
            g, i = self.group_of(int(gid))
            lam[j] = g.values["rate"][i] * self.h / 1000.0
            tables.append(rng.poisson_alias_table(lam[j]))
        width = max(1, max(len(t[0]) for t in tables))
        prob = np.zeros((len(gens), width), dtype=np.uint64)
        alias = np.zeros((len(gens), width), dtype=np.int64)
        n_table = np.zeros(len(gens), dtype=np.int64)
        for j, (pr, al) in enumerate(tables):
            prob[j, : len(pr)] = pr
            alias[j, : len(al)] = al
            n_table[j] = len(pr)
        gen_groups = [self.group_of(int(gid)) for gid in gens]
        windows = np.array([g.model.window_of(g, i, self.h) for g, i in gen_groups], dtype=np.float64).reshape(-1, 2)
        self.pois = {
            "windows": windows,
            "gens": gens,
            "groups": gen_groups,
            "lam": lam,
            "prob": prob,
            "alias": alias,
            "n_table": n_table,
            "gen": gen_index.astype(np.int64),
            "tgt": (tgt - 1).astype(np.int64),
            "w": w.astype(np.float64),
            "d": d.astype(np.int64),
            "keys": keys,
            "bounds": _target_chunks(tgt, self.threads),
            # Receptor port of each connection (multisynapse targets); one 0 when none has a port.
            "port": port if port.any() else np.zeros(1, dtype=np.int64),
        }

    def _route_poisson_ps(self, blocks: list[Block]) -> None:
        """Connections of poisson_generator_ps: a train of its own per connection."""
        src, tgt, w, d, ranks = self._device_ordinals(blocks)
        self.pois_ps = None
        if not len(src):
            return
        gens = np.unique(src)
        gen_groups = [self.group_of(int(gid)) for gid in gens]
        # Parrots ignore weights: they repeat each spike once.
        w = np.where(self._counts_spikes[tgt - 1], 1.0, w)
        keys = rng.stream_keys(
            np.uint64(self.rng_seed), np.uint64(rng.PURPOSE_POISSON), (src * 2**24 + ranks).astype(np.uint64)
        )
        self.pois_ps = {
            "groups": gen_groups,
            "gen": np.searchsorted(gens, src).astype(np.int64),
            "tgt": (tgt - 1).astype(np.int64),
            "w": w.astype(np.float64),
            "d": d.astype(np.int64),
            "keys": keys,
            "t_next": np.full(len(src), np.nan),  # next spike time (ms) of each connection's train
            "n_draw": np.zeros(len(src), dtype=np.int64),
        }

    def _emit_poisson_ps(self, t0: int, m: int) -> None:
        p = self.pois_ps
        params = np.array([g.model.train_params(g, i, self.h) for g, i in p["groups"]]).reshape(-1, 4)
        conn, stamp, off = poisson_ps_spikes(
            t0, m, self.h, self.tics_per_ms, params, p["gen"], p["keys"], p["t_next"], p["n_draw"]
        )
        if not len(conn):
            return
        tgt, w = p["tgt"][conn], p["w"][conn]
        arrive = stamp + p["d"][conn]
        to_events = self.precise.mask[tgt] if self.precise is not None else np.zeros(len(conn), bool)
        if to_events.any():
            self.precise.add(tgt[to_events], arrive[to_events], off[to_events], w[to_events])
        grid = ~to_events
        if grid.any():
            # Grid targets ignore the offset: the spike counts at the end of its step.
            np.add.at(self.buf, (np.where(w[grid] >= 0.0, 0, 1), (arrive[grid] - 1) % self.slots, tgt[grid]), w[grid])

    def _route_currents(self, blocks: list[Block]) -> None:
        src, tgt, w, d, ranks = self._device_ordinals(blocks)
        self.currents = None
        if not len(src):
            return
        gi, li = self.locate(src)
        row = np.zeros(len(src), dtype=np.int64)
        plan = []  # (group, rows slice start, n rows, per_target connection mask)
        n_rows = 0
        for g_index in np.unique(gi):
            g = self.groups[int(g_index)]
            mask = gi == g_index
            if g.model.per_target:
                idx = np.flatnonzero(mask)
                row[idx] = n_rows + np.arange(len(idx))
                g.aux["noise_keys"] = rng.stream_keys(
                    np.uint64(self.rng_seed),
                    np.uint64(rng.PURPOSE_NOISE),
                    (src[idx] * 2**24 + ranks[idx]).astype(np.uint64),
                )
                plan.append((g, n_rows, len(idx), li[idx]))
                n_rows += len(idx)
            else:
                row[mask] = n_rows + li[mask]
                plan.append((g, n_rows, g.n, None))
                n_rows += g.n
        # Currents to a receptor port other than 0 (iaf_cond_alpha_mc's compartments) go to
        # that port's receptor buffer; None while every connection targets port 0.
        port = np.concatenate([np.full(len(b), b.receptor, dtype=np.int64) for b in blocks])
        for g in self.groups:
            # cm_default numbers its compartments from 0 as its receptors: currents to
            # compartments 1.. take the receptor planes after its spike receptors'.
            base = getattr(g.model, "current_port_base", None)
            if base is not None:
                mine = (port > 0) & (tgt - 1 >= g.offset) & (tgt - 1 < g.offset + g.n)
                port[mine] += base(g)
        self.currents = {
            "row": row,
            "tgt": (tgt - 1).astype(np.int64),
            "w": w.astype(np.float64),
            "d": d.astype(np.int64),
            "plan": plan,
            "n_rows": n_rows,
            "port": port if port.any() else None,
        }

    def _route_spike_recorders(self, sr_sources) -> None:
        self.spike_recorders = []
        for rec_gid, parts in sorted(sr_sources.items()):
            g, i = self.group_of(rec_gid)
            mask = np.zeros(self.n_nodes, bool)
            for p in parts:
                mask[p - 1] = True
            lo, hi = g.model.window(g, self.h)
            self.spike_recorders.append((g, i, mask, lo[i], hi[i]))

    def _route_multimeters(self, mm_targets) -> None:
        self.multimeters = []
        rows_per_group: dict[int, list[int]] = {}
        plans = []
        for mm_gid, parts in sorted(mm_targets.items()):
            g, i = self.group_of(mm_gid)
            targets = np.unique(np.concatenate(parts))  # NEST reports nodes in id order
            record_from = list(g.values["record_from"][i])
            gi, li = self.locate(targets)
            for gx in np.unique(gi):
                model = self.groups[int(gx)].model
                if getattr(model, "per_target", False):
                    raise IllegalConnection(
                        f"{g.model.name} (node {mm_gid}) cannot record a {model.name} yet: it sends every "
                        "target its own current."
                    )
                bad = [r for r in record_from if r not in model.recordables]
                if bad:
                    raise IllegalConnection(
                        f"{g.model.name} (node {mm_gid}) cannot record {bad[0]!r} from {model.name}; "
                        f"its recordables are: {', '.join(model.recordables) or 'none'}."
                    )
                rows_per_group.setdefault(int(gx), []).extend(int(x) for x in li[gi == gx])
            plans.append((g, i, targets, gi, li, record_from))
        row_of: dict[int, dict[int, int]] = {}
        self.recorded_generators = []
        for gx, g in enumerate(self.groups):
            if g.model.role not in (ROLE_NEURON, ROLE_CURRENT_SOURCE, ROLE_POISSON_SOURCE):
                continue
            if g.model.role != ROLE_NEURON:
                if gx not in rows_per_group:
                    continue
                self.recorded_generators.append(g)
            locs = sorted(set(rows_per_group.get(gx, [])))
            rr = np.full(g.n, -1, dtype=np.int64)
            rr[locs] = np.arange(len(locs))
            g.aux["rec_row"] = rr
            g.aux["rec_out"] = np.zeros((max(len(locs), 1), max(len(g.model.recordables), 1), self.min_delay_steps))
            row_of[gx] = rr
        for g, i, targets, gi, li, record_from in plans:
            parts = []
            for gx in np.unique(gi):
                sel = gi == gx
                grp = self.groups[int(gx)]
                var_idx = [grp.model.recordables.index(r) for r in record_from]
                parts.append((grp, row_of[int(gx)][li[sel]], targets[sel], var_idx))
            v = g.values
            interval = self.steps(v["interval"][i], f"{g.model.name} interval", error=BadProperty)
            offset = self.steps(v["offset"][i], f"{g.model.name} offset", error=BadProperty)
            lo, hi = g.model.window(g, self.h)
            timing = (interval, offset, int(lo[i]), hi[i], bool(v["time_in_steps"][i]))
            self.multimeters.append((g, i, parts, record_from, timing))

    # ------------------------------------------------------------------ simulation
    def simulate(self, ms: float) -> None:
        if ms < 0:
            raise BadParameter("The simulation time cannot be negative.")
        n_steps = self.steps(ms, "Simulation time", error=BadParameter)
        self.prepare()
        self.run(n_steps)

    def run(self, n_steps: int) -> None:
        md = self.min_delay_steps
        t_end = self.t + n_steps
        t_start_wall = _time.perf_counter()
        last_print = 0.0
        t_first = self.t
        while self.t < t_end:
            slice_index = self.t // md
            slice_end = min((slice_index + 1) * md, t_end)
            self._run_slice(self.t, slice_end - self.t, slice_index)
            self.t = slice_end
            self.simulated = True
            if self.print_time:
                now = _time.perf_counter()
                if now - last_print > 0.2 or self.t == t_end:
                    last_print = now
                    self._print_progress(t_first, t_end, now - t_start_wall)
        wall = _time.perf_counter() - t_start_wall
        if n_steps:
            self.last_realtime_factor = (n_steps * self.h / 1000.0) / wall if wall > 0 else 0.0
        if self.print_time:
            sys.stdout.write("\n")
            sys.stdout.flush()
        self.simulated = True
        for g in self.groups:
            g.model.finish_run(g, self)

    def _print_progress(self, t_first, t_end, wall) -> None:
        done = (self.t - t_first) / max(t_end - t_first, 1)
        rtf = ((self.t - t_first) * self.h / 1000.0) / wall if wall > 0 else 0.0
        sys.stdout.write(f"\r[ {100 * done:3.0f}% ] Model time: {self.t * self.h:.1f} ms, Real-time factor: {rtf:.4f}")
        sys.stdout.flush()

    def _run_slice(self, t0: int, m: int, slice_index: int) -> None:
        if self._plastic_pending is not None:
            src, stamp, mult, off = self._plastic_pending
            self._plastic_pending = None
            for store in self.plastic_stores.values():
                store.deliver(self, src, stamp, mult, off)
            weight_recording.record_plastic(self, src, stamp, mult)
        for g, i, *_ in self.multimeters:
            g.model.recording(g, i).release(slice_index)
        self.n_reg = 0
        self._reg_precise = False
        for g in self.recorded_generators:
            # A generator's recordable I: the current it sends for each step of the slice.
            rows = g.aux["rec_row"]
            sel = rows >= 0
            g.aux["rec_out"][rows[sel], 0, :m] = g.model.amplitudes(g, self, t0, m)[sel]
        if self.currents is not None:
            self._emit_currents(t0, m)
        if self.pois is not None:
            self._emit_poisson(t0, m)
        if self.pois_ps is not None:
            self._emit_poisson_ps(t0, m)
        if self.per_connection_trains:
            generators_extra.emit(self, t0, m)
        if self.secondary is not None:
            self.secondary.run_slice(self, t0, m)
        for u in self.units:
            u.model.update(u, self, t0, m)
        n = self.n_reg
        if n:
            if self.archive is not None:
                self.archive.add(self, n, m)
            if self._reg_precise and self.precise is not None:
                # Spikes off the grid reach precise targets as events with offsets.
                self.precise.deliver(self, n)
            else:
                self.csr.deliver(self.reg_src, self.reg_stamp, self.reg_mult, n, self.buf, self.slots, self.threads)
            for hook in self.after_delivery:
                hook(self, n)
            if self.plastic_stores:
                # NEST hands a slice's spikes to the synapses at the start of the next slice: a
                # weight read between two Simulate calls has not yet seen the last slice's spikes.
                self._plastic_pending = tuple(
                    a[:n].copy() for a in (self.reg_src, self.reg_stamp, self.reg_mult, self.reg_off)
                )
            self._record_spikes(n)
        for meter in self.multimeters:
            self._sample(meter, t0, m, slice_index)
        after_slice.run(self, n)

    # spikes -------------------------------------------------------------
    def _grow_register(self, need: int) -> None:
        if need <= self._reg_cap:
            return
        cap = max(need, 2 * self._reg_cap)
        for name in ("reg_src", "reg_stamp", "reg_mult", "reg_off"):
            old = getattr(self, name)
            new = np.ones(cap, dtype=old.dtype) if name == "reg_mult" else np.zeros(cap, dtype=old.dtype)
            new[: self.n_reg] = old[: self.n_reg]
            setattr(self, name, new)
        self._reg_cap = cap

    def collect_spikes(self, group, counts) -> None:
        a = group.aux
        total = int(counts[0]) if len(counts) == 1 else int(counts.sum())
        if total == 0:
            return
        self._grow_register(self.n_reg + total)
        start = self.n_reg
        mult = a.get("spk_mult")
        offs = a.get("spk_o")  # precise models: each spike's offset before the end of its step
        # Chunks list their spikes step by step; with several chunks the gather puts the
        # slice in (time, sender) order, so delivery adds in the same order whatever the
        # number of threads.
        _gather_spikes(counts, a["spk_off"], a["spk_i"], a["spk_t"], mult if mult is not None else _NO_MULT,
                       mult is not None, offs if offs is not None else _NO_OFF, offs is not None, group.offset,
                       self.reg_src, self.reg_stamp, self.reg_mult, self.reg_off, start)  # fmt: skip
        self.n_reg = start + total
        # In time order, so a node's last spike is written last.
        local = self.reg_src[start : self.n_reg] - group.offset
        times = self.steps_to_ms(self.reg_stamp[start : self.n_reg])
        if offs is not None:
            self._reg_precise = True
            times -= self.reg_off[start : self.n_reg]
        if isinstance(group, batches.Batch):
            group.spike_times(local, times)
        elif "t_spike" in group.values:
            group.values["t_spike"][local] = times

    def add_spikes(self, gids, stamps, mults, offsets=None) -> None:
        """Spikes of devices: ``offsets`` (ms before the end of the step) for precise ones."""
        k = len(gids)
        self._grow_register(self.n_reg + k)
        self.reg_src[self.n_reg : self.n_reg + k] = np.asarray(gids) - 1
        self.reg_stamp[self.n_reg : self.n_reg + k] = stamps
        self.reg_mult[self.n_reg : self.n_reg + k] = mults
        self.reg_off[self.n_reg : self.n_reg + k] = 0.0 if offsets is None else offsets
        if offsets is not None:
            self._reg_precise = True
        self.n_reg += k

    def _record_spikes(self, n: int) -> None:
        if not self.spike_recorders:
            return
        # NEST's recorders list a slice's spikes by sender id, then time.
        order = np.argsort(self.reg_src[:n], kind="stable")
        src = self.reg_src[:n][order]
        stamp = self.reg_stamp[:n][order]
        mult = self.reg_mult[:n][order]
        off = self.reg_off[:n][order]
        if np.any(mult != 1.0):
            # A spike of multiplicity k (a parrot repeating k coincident spikes) is k events.
            reps = np.maximum(np.rint(mult), 0).astype(np.int64)
            src, stamp, off = np.repeat(src, reps), np.repeat(stamp, reps), np.repeat(off, reps)
        for g, i, mask, lo, hi in self.spike_recorders:
            sel = mask[src]
            if not sel.any():
                continue
            s = stamp[sel]
            keep = (s > lo) & (s <= hi)
            g.model.record(g, self, i, src[sel][keep] + 1, s[keep], off[sel][keep])

    # devices ------------------------------------------------------------
    def _emit_currents(self, t0: int, m: int) -> None:
        cs = self.currents
        amps = np.zeros((cs["n_rows"], m))
        for g, start, n_rows, gen_local in cs["plan"]:
            if gen_local is not None:
                amps[start : start + n_rows] = g.model.amplitudes_per_target(g, self, t0, m, gen_local, None)
            else:
                amps[start : start + n_rows] = g.model.amplitudes(g, self, t0, m)
        if cs["port"] is None:
            _scatter_currents(t0, m, self.slots, self.cur, cs["row"], cs["tgt"], cs["w"], cs["d"], amps)
        else:
            _scatter_port_currents(t0, m, self.slots, self.cur, self.rbuf, self.ridx, cs["row"], cs["tgt"], cs["w"],
                                   cs["d"], cs["port"], amps)  # fmt: skip

    def _emit_poisson(self, t0: int, m: int) -> None:
        p = self.pois
        # NEST draws for step T when start < T <= stop; the spike it sends is stamped T + 1
        # (measured: rate 1e6/s from start = 10 ms gives first spikes stamped 10.2 ms).
        steps = np.arange(t0, t0 + m, dtype=np.float64)
        lo, hi = p["windows"][:, :1], p["windows"][:, 1:]
        active = (steps > lo) & (steps <= hi)
        _poisson_deliver(p["bounds"], t0, m, self.slots, self.buf, p["gen"], p["tgt"], p["w"], p["d"], p["keys"],
                         p["lam"], p["prob"], p["alias"], p["n_table"], active, self.rbuf, self.ridx,
                         p["port"])  # fmt: skip

    # recording ----------------------------------------------------------
    def _sample(self, meter, t0, m, slice_index) -> None:
        g, i, parts, record_from, (interval, offset, lo, hi, in_steps) = meter
        # Sample stamps: multiples of interval past offset, inside (lo, hi] and this slice.
        first = max(t0 + 1, offset, lo + 1)
        first += -(first - offset) % interval
        last = t0 + m if hi > t0 + m else int(hi)
        if first > last:
            return
        stamps = np.arange(first, last + 1, interval)
        ks = stamps - (t0 + 1)
        senders, times, cols = [], [], {r: [] for r in record_from}
        for grp, rows, gids, var_idx in parts:
            data = grp.aux["rec_out"][rows][:, :, ks]  # (nodes, vars, samples)
            senders.append(np.repeat(gids.astype(np.int64), len(ks)))  # NEST reports int64 ids
            times.append(np.tile(stamps, len(gids)))
            for r, vi in zip(record_from, var_idx):
                cols[r].append(data[:, vi, :].ravel())
        out = {"senders": senders[0] if len(senders) == 1 else np.concatenate(senders)}
        t = times[0] if len(times) == 1 else np.concatenate(times)
        out["times"] = t if in_steps else self.steps_to_ms(t)
        for r in record_from:
            out[r] = cols[r][0] if len(cols[r]) == 1 else np.concatenate(cols[r])
        g.model.recording(g, i).hold(slice_index, out)

    def data_file(self, model_name: str, label: str, gid: int) -> str:
        name = f"{self.data_prefix}{label or model_name}-{gid}-0.dat"
        return os.path.join(self.data_path or ".", name)


@njit(cache=True)
def _scatter_currents(t0, m, slots, cur, row, tgt, w, d, amps):
    for c in range(tgt.shape[0]):
        r = row[c]
        for k in range(m):
            a = amps[r, k]
            if a != 0.0:
                cur[(t0 + k + d[c]) % slots, tgt[c]] += w[c] * a


@njit(cache=True)
def _scatter_port_currents(t0, m, slots, cur, rbuf, ridx, row, tgt, w, d, port, amps):
    for c in range(tgt.shape[0]):
        r = row[c]
        q = port[c]
        for k in range(m):
            a = amps[r, k]
            if a != 0.0:
                if q == 0:
                    cur[(t0 + k + d[c]) % slots, tgt[c]] += w[c] * a
                else:
                    rbuf[q - 1, (t0 + k + d[c]) % slots, ridx[tgt[c]]] += w[c] * a


_NO_MULT = np.ones(1)
_NO_OFF = np.zeros(1)


@njit(cache=True)
def _gather_spikes(counts, offs, spk_i, spk_t, spk_mult, has_mult, spk_o, has_o, offset,
                   reg_src, reg_stamp, reg_mult, reg_off, pos):  # fmt: skip
    n_chunks = counts.shape[0]
    if n_chunks == 1:
        for j in range(counts[0]):
            reg_src[pos + j] = spk_i[j] + offset
            reg_stamp[pos + j] = spk_t[j]
            reg_mult[pos + j] = spk_mult[j] if has_mult else 1.0
            reg_off[pos + j] = spk_o[j] if has_o else 0.0
        return
    # Merge the chunks' lists (each in time order, chunks in sender order) by time:
    # repeatedly take the chunk whose next spike is earliest, the lowest chunk on ties.
    head = offs.copy()
    end = offs + counts
    total = counts.sum()
    for j in range(total):
        best = -1
        for c in range(n_chunks):
            if head[c] < end[c] and (best < 0 or spk_t[head[c]] < spk_t[head[best]]):
                best = c
        h = head[best]
        reg_src[pos + j] = spk_i[h] + offset
        reg_stamp[pos + j] = spk_t[h]
        reg_mult[pos + j] = spk_mult[h] if has_mult else 1.0
        reg_off[pos + j] = spk_o[h] if has_o else 0.0
        head[best] = h + 1


def _is_updated(group) -> bool:
    return group.model.role in (ROLE_NEURON, ROLE_SPIKE_SOURCE)


def _return_free_memory() -> None:
    """Give the heap's free pages back to the system (glibc only).

    The build frees arrays of tens of MB; glibc keeps such memory in the heap once its
    mmap threshold has grown, so the process would go on holding it.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _load_libc():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.malloc_trim  # noqa: B018  (musl has no malloc_trim)
    except (OSError, AttributeError):
        return None
    return libc


_LIBC = _load_libc()


def _uniform_role(roles: np.ndarray, ids: np.ndarray):
    """The role of all of ``ids`` when they share one (checked over their id range), else None."""
    if len(ids) == 0:
        return None
    span = roles[int(ids.min()) - 1 : int(ids.max())]
    return span[0] if (span == span[0]).all() else None


def _target_chunks(tgt: np.ndarray, n: int) -> np.ndarray:
    """Bounds splitting target-sorted connections into ``n`` runs that share no target."""
    bounds = [0]
    for c in range(1, n):
        b = max(bounds[-1], c * len(tgt) // n)
        while 0 < b < len(tgt) and tgt[b] == tgt[b - 1]:
            b += 1
        bounds.append(b)
    bounds.append(len(tgt))
    return np.array(bounds, dtype=np.int64)


@threaded_kernel
def _poisson_deliver(bounds, t0, m, slots, buf, gen, tgt, w, d, keys, lam, prob, alias, n_table, active, rbuf, ridx,
                     port):  # fmt: skip
    has_ports = port.shape[0] > 1
    u_slots = np.uint64(slots)
    for ch in prange(bounds.shape[0] - 1):
        for c in range(bounds[ch], bounds[ch + 1]):
            g = np.uint64(gen[c])
            la = lam[g]
            if la <= 0.0:
                continue
            nt = n_table[g]
            pr = prob[g]
            al = alias[g]
            wc = w[c]
            key = keys[c]
            # The buffer plane and column this connection adds to: a receptor port's own
            # buffer, or the excitatory/inhibitory one by the weight's sign.
            # Unsigned column: Numba then skips its check for negative indices.
            if has_ports and port[c] > 0:
                out = rbuf
                plane = port[c] - 1
                col = np.uint32(ridx[tgt[c]])
            else:
                out = buf
                plane = 0 if wc >= 0.0 else 1
                col = np.uint32(tgt[c])
            # Emitted at step t0 + k, stamped t0 + k + 1, read at stamp + delay - 1.
            slot = np.uint64((t0 + d[c]) % slots)
            for k in range(m):
                if active[g, np.uint64(k)]:
                    # Adding zero changes nothing; testing for it mispredicts often.
                    out[plane, slot, col] += rng.poisson_at(key, t0 + k, la, pr, al, nt) * wc
                slot += np.uint64(1)
                if slot == u_slots:
                    slot = np.uint64(0)


kernel = Kernel()


__all__ = ["Kernel", "kernel"]
