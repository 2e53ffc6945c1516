"""Binary neurons: ``mcculloch_pitts_neuron``, ``erfc_neuron`` and ``ginzburg_neuron``.

A binary neuron has a state ``S`` (0 or 1) and an input ``h``, the sum of the weights of
its presynaptic neurons that are in state 1. It looks at ``h`` (plus the step's input
current) only at update times a Poisson process with mean interval ``tau_m`` picks, and
then takes the state its gain function gives:

- ``mcculloch_pitts_neuron``: 1 if ``h > theta``;
- ``erfc_neuron``: 1 with probability ``erfc(-(h - theta) / (sqrt(2) sigma)) / 2``;
- ``ginzburg_neuron``: 1 with probability ``c_1 h + c_2 (1 + tanh(c_3 (h - theta))) / 2``.

A change of state is sent as a spike: multiplicity 2 for a change to 1 ("up"), 1 for a
change to 0 ("down"), as NEST encodes it. Ordinary neurons and recorders see two spikes
or one; a binary target decodes the multiplicity and adds ``+w`` (up) or ``-w`` (down)
to ``h``, so ``h`` follows the presynaptic states. The ring buffers carry ``w m`` for
every target (the CSR delivery does not know its targets' kinds); after delivery,
:class:`BinaryInput` adds ``w (f(m) - m)`` to the binary targets through a small
CSR of the connections that reach them (``f(2) = 1``, ``f(1) = -1``, 0 otherwise; as in
NEST's decoding, which keeps per target the sender and time of the last event, a single
event right after one of the same sender and time counts ``f = 2``: two single events
are an up transition, and the second connection of a multapse turns a down event into
``+w``).

Within a step (NEST's order): ``h`` takes the step's input, and when the step's time is
past the next update time the neuron draws its state, emits a spike if it changed, and
the next update time moves on by an exponential interval (rounded to tics). The first
update time is drawn before the first simulation and kept across ``Simulate`` calls.

Random draws: one counter-based stream per neuron keyed by its id, the step as counter
(``engine/rng.py``), so results do not depend on threads; they are not NEST's numbers,
so activity agrees with NEST's in distribution.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...engine import rng
from ..base import Model, Param, archiving_params, require
from .pp import stream_keys

MCCULLOCH_PITTS, ERFC, GINZBURG = 0, 1, 2


class BinaryNeuron(Model):
    """Shared parts of the binary neurons; subclasses name their gain function."""

    gain = MCCULLOCH_PITTS
    elementsize = 552
    binary_input = True  # decodes the multiplicity of incoming spikes (BinaryInput)
    recordables = ("S", "h")

    @staticmethod
    def common_params() -> dict[str, Param]:
        return {
            **archiving_params(),
            # Shown, never taken: NEST leaves them unaccessed in SetStatus (before_set).
            "S": Param(False, kind="bool", state=True, doc="Binary state"),
            "h": Param(0.0, state=True, doc="Summed input of the presynaptic neurons in state 1"),
            "tau_m": Param(10.0, doc="Mean interval between updates", unit="ms"),
            "theta": Param(0.0, doc="Threshold of the gain function"),
        }

    def gain_params(self, v) -> np.ndarray:
        """(theta, sigma, c_1, c_2, c_3) per node; unused entries are 0."""
        z = np.zeros_like(v["theta"])
        return np.column_stack([v["theta"], z, z, z, z])

    def before_set(self, group, idx, key) -> None:
        if key in ("S", "h"):
            raise self.unknown_key_error(key)

    def check(self, v, n, gid):
        require(v["tau_m"] > 0, self, gid, "All time constants must be strictly positive.")

    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        if "S" not in a:
            a["S"] = np.zeros((group.n, 2))  # state, h
            a["S"][:, 0] = v["S"]
            a["S"][:, 1] = v["h"]
            # Tics of the next update; drawn once, before the first update (NEST: at calibration).
            a["t_next"] = np.full(group.n, np.iinfo(np.int64).min, dtype=np.int64)
        a["keys"] = stream_keys(kernel, group)
        a["Q"] = np.column_stack([v["tau_m"], self.gain_params(v)])
        kernel.reserve_spikes(group, kernel.slice_steps)
        a["spk_mult"] = np.zeros(a["spk_cap"])
        if not any(isinstance(hook, BinaryInput) for hook in kernel.after_delivery):
            kernel.after_delivery.append(BinaryInput())

    def update(self, group, kernel, t0, m):
        a = group.aux
        count = _binary_update(
            self.gain, t0, m, kernel.slots, group.offset, kernel.tics_per_step, kernel.tics_per_ms,
            kernel.buf, kernel.cur, a["S"], a["Q"], a["t_next"], a["keys"], a["rec_row"], a["rec_out"],
            a["spk_i"], a["spk_t"], a["spk_mult"],
        )  # fmt: skip
        kernel.collect_spikes(group, np.array([count], dtype=np.int64))

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" in a:
            v["S"][:] = a["S"][:, 0] != 0.0
            v["h"][:] = a["S"][:, 1]


class MccullochPittsNeuron(BinaryNeuron):
    """Binary neuron with a step gain function: state 1 when ``h > theta``."""

    name = "mcculloch_pitts_neuron"
    status_note = (
        "stochastic update times, NEST's multiplicity code; statistics over seeds (`tests/test_models_binary.py`)"
    )
    gain = MCCULLOCH_PITTS
    params = BinaryNeuron.common_params()


class ErfcNeuron(BinaryNeuron):
    """Binary neuron whose probability of state 1 is ``erfc(-(h - theta) / (sqrt(2) sigma)) / 2``."""

    name = "erfc_neuron"
    status_note = "stochastic update times and gain, NEST's multiplicity code; statistics over seeds (`tests/test_models_binary.py`)"
    elementsize = 560
    gain = ERFC
    params = {**BinaryNeuron.common_params(), "sigma": Param(1.0, doc="Width of the gain function")}

    def gain_params(self, v):
        z = np.zeros_like(v["theta"])
        return np.column_stack([v["theta"], v["sigma"], z, z, z])


class GinzburgNeuron(BinaryNeuron):
    """Binary neuron whose probability of state 1 is ``c_1 h + c_2 (1 + tanh(c_3 (h - theta))) / 2``."""

    name = "ginzburg_neuron"
    status_note = "stochastic update times and gain, NEST's multiplicity code; statistics over seeds (`tests/test_models_binary.py`)"
    elementsize = 576
    gain = GINZBURG
    params = {
        **BinaryNeuron.common_params(),
        "c_1": Param(0.0, doc="Linear part of the gain function"),
        "c_2": Param(1.0, doc="Prefactor of the sigmoidal part of the gain function"),
        "c_3": Param(1.0, doc="Slope of the sigmoidal part of the gain function"),
    }

    def gain_params(self, v):
        z = np.zeros_like(v["theta"])
        return np.column_stack([v["theta"], z, v["c_1"], v["c_2"], v["c_3"]])


@njit(cache=True)
def _binary_update(gain, t0, m, slots, off, tics_per_step, tics_per_ms, buf, cur, S, Q, t_next, keys, rec_row,
                   rec_out, spk_i, spk_t, spk_mult):  # fmt: skip
    n = S.shape[0]
    cnt = 0
    unset = np.iinfo(np.int64).min
    for i in range(n):
        if t_next[i] == unset:
            # The first update time, from counter value -1 of the neuron's stream.
            u = rng.uniform(rng.counter_key(keys[i], np.uint64(0)), 1)
            t_next[i] = np.int64(math.floor(-math.log1p(-u) * Q[i, 0] * tics_per_ms + 0.5))
    slot = t0 % slots
    for k in range(m):
        now = (t0 + k) * tics_per_step
        b_exc = buf[0, slot]
        b_inh = buf[1, slot]
        b_cur = cur[slot]
        for i in range(n):
            gi = off + i
            # The buffers hold the change of h (decoded by BinaryInput).
            S[i, 1] += b_exc[gi] + b_inh[gi]
            b_exc[gi] = 0.0
            b_inh[gi] = 0.0
            c = b_cur[gi]
            b_cur[gi] = 0.0
            if now > t_next[i]:
                key = rng.counter_key(keys[i], np.uint64(t0 + k + 1))
                x = S[i, 1] + c
                if gain == MCCULLOCH_PITTS:
                    y = 1.0 if x > Q[i, 1] else 0.0
                elif gain == ERFC:
                    p = 0.5 * math.erfc(-(x - Q[i, 1]) / (math.sqrt(2.0) * Q[i, 2]))
                    y = 1.0 if rng.uniform(key, 0) < p else 0.0
                else:
                    p = Q[i, 3] * x + Q[i, 4] * 0.5 * (1.0 + math.tanh(Q[i, 5] * (x - Q[i, 1])))
                    y = 1.0 if rng.uniform(key, 0) < p else 0.0
                if y != S[i, 0]:
                    S[i, 0] = y
                    spk_i[cnt] = i
                    spk_t[cnt] = t0 + k + 1
                    spk_mult[cnt] = 2.0 if y == 1.0 else 1.0
                    cnt += 1
                u = rng.uniform(key, 1)
                t_next[i] += np.int64(math.floor(-math.log1p(-u) * Q[i, 0] * tics_per_ms + 0.5))
            row = rec_row[i]
            if row >= 0:
                rec_out[row, 0, k] = S[i, 0]
                rec_out[row, 1, k] = S[i, 1]
        slot += 1
        if slot == slots:
            slot = 0
    return cnt


# ------------------------------------------------------------------ input of binary targets
def _binary_targets(kernel) -> np.ndarray:
    mask = np.zeros(kernel.n_nodes, bool)
    for g in kernel.groups:
        if getattr(g.model, "binary_input", False):
            mask[g.offset : g.offset + g.n] = True
    return mask


class BinaryInput:
    """The kernel's ``after_delivery`` hook for binary targets; a new one per ``ResetKernel``
    (the hook list is), so its caches never outlive the network they describe."""

    def __init__(self):
        self.csr = None  # the kernel's CSR the rows below were read from
        self.rows = None
        self.last = None

    def _rows(self, kernel):
        """Rows by source of the CSR's connections into binary targets: (indptr, target,
        weight, delay), rebuilt when the kernel's CSR is."""
        if self.csr is kernel.csr:
            return self.rows
        src, tgt, w, d = kernel.csr.columns()
        sel = _binary_targets(kernel)[tgt.astype(np.int64) - 1]
        src, tgt, w, d = src[sel].astype(np.int64) - 1, tgt[sel].astype(np.int64) - 1, w[sel], d[sel]
        order = np.argsort(src, kind="stable")
        indptr = np.zeros(kernel.n_nodes + 1, dtype=np.int64)
        np.cumsum(np.bincount(src, minlength=kernel.n_nodes), out=indptr[1:])
        w = np.asarray(w, dtype=np.float64)[order]
        self.rows = (indptr, tgt[order], w, np.asarray(d, dtype=np.int64)[order])
        self.csr = kernel.csr
        return self.rows

    def __call__(self, kernel, n: int) -> None:
        """After delivery of a slice's ``n`` spikes: turn the ``w m`` binary targets received
        into NEST's ``+w`` (multiplicity 2, up) or ``-w`` (multiplicity 1, down)."""
        if kernel.csr is None:
            return
        indptr, tgt, w, d = self._rows(kernel)
        if not len(tgt):
            return
        if self.last is None or self.last.shape[1] != kernel.n_nodes:
            # Per target: sender and stamp of the last event it received (NEST's decoding state).
            old = self.last
            self.last = np.full((2, kernel.n_nodes), -1, dtype=np.int64)
            if old is not None:
                self.last[:, : old.shape[1]] = old
        _correct(kernel.reg_src, kernel.reg_stamp, kernel.reg_mult, n, indptr, tgt, w, d, kernel.buf, kernel.slots,
                 self.last)  # fmt: skip


@njit(cache=True)
def _correct(reg_src, reg_stamp, reg_mult, n, indptr, tgt, w, d, buf, slots, last):
    for r in range(n):
        s = reg_src[r]
        m = reg_mult[r]
        stamp = reg_stamp[r]
        for j in range(indptr[s], indptr[s + 1]):
            t = tgt[j]
            if m == 2.0:
                f = 1.0
            elif m == 1.0:
                # A single event right after one of the same sender and time completes an up
                # transition: the first counted -w, so this one counts 2w. As NEST decodes, per
                # target, so the second connection of a multapse turns a down event into +w.
                f = 2.0 if (last[0, t] == s and last[1, t] == stamp) else -1.0
            else:
                f = 0.0
            last[0, t] = s
            last[1, t] = stamp
            # The channel the delivery used, so the sum h sees is w f exactly.
            ch = 0 if w[j] * m >= 0.0 else 1
            buf[ch, (stamp + d[j] - 1) % slots, t] += w[j] * (f - m)


# ------------------------------------------------------------------ which nodes may connect
# NEST's signal types: binary neurons send and take binary events, ordinary neurons and most
# devices spike events; the nodes below handle both. Base model names, so copies inherit them.
_SENDS_BOTH = {"spike_generator", "noise_generator", "parrot_neuron", "multimeter", "voltmeter"}
_TAKES_BOTH = {"spike_recorder", "parrot_neuron", "multimeter", "voltmeter"}
_TAKES_BINARY = {"spin_detector", "correlospinmatrix_detector"}


def _signal(model, both: set) -> str:
    if getattr(model, "binary_input", False) or (both is _TAKES_BOTH and model.base_name in _TAKES_BINARY):
        return "binary"
    return "both" if model.base_name in both else "spike"


def check_signals(kernel, src_ids: np.ndarray, tgt_ids: np.ndarray) -> None:
    """Refuse to connect a binary neuron to a spiking node or the other way round, as NEST
    does (IllegalConnection); a no-op while no binary node exists."""
    if not any(getattr(g.model, "binary_input", False) or g.model.base_name in _TAKES_BINARY for g in kernel.groups):
        return
    from ...errors import IllegalConnection

    def models(ids):
        if not len(ids):
            return []
        return [kernel.groups[int(g)].model for g in np.unique(kernel.locate(np.asarray(ids))[0])]

    sends = {_signal(m, _SENDS_BOTH) for m in models(src_ids)} - {"both"}
    takes = {_signal(m, _TAKES_BOTH) for m in models(tgt_ids)} - {"both"}
    if sends and takes and (len(sends | takes) > 1):
        raise IllegalConnection(
            "Creation of connection is not possible because:\n"
            "Source and target neuron are not compatible (e.g., spiking vs binary neuron)."
        )
