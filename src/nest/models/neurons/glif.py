"""``glif_psc`` and ``glif_psc_double_alpha``: generalized leaky integrate-and-fire neurons
(Teeter et al. 2018, the Allen Institute's GLIF models) with alpha-shaped synaptic
currents, integrated exactly.

Three flags select the mechanisms and so the model level: none (1, LIF),
``spike_dependent_threshold`` (2, LIF_R: a spike raises the threshold by ``th_spike_add``,
decaying with ``th_spike_decay``; the membrane resets to ``E_L + voltage_reset_fraction
(V - E_L) + voltage_reset_add`` instead of ``V_reset``), ``after_spike_currents`` (3,
LIF_ASC: currents ``asc_amps`` start at each spike and decay with ``asc_decay``), both (4)
and all three (5, LIF_R_ASC_A: ``adapting_threshold`` adds a component driven by the
membrane, ``th_voltage_index`` and ``th_voltage_decay``). Other combinations are refused.

Each receptor port (1 .. ``len(tau_syn)``) has an alpha current that a weight of 1 pA
makes peak at 1 pA; ``glif_psc_double_alpha`` adds to each port a second, slow alpha
(``tau_syn_slow``) of relative size ``amp_slow``.

A step, as NEST 3.10 takes it (measured against it, ``tests/test_models_glif.py``): a
refractory neuron only counts its remaining time down (``t_ref - k h`` as a float) and
holds everything else, the recorded values included; otherwise the after-spike currents
enter as their mean over the step and decay, the membrane advances with the external
current latched in the previous step and the synaptic currents at the start of the step,
the voltage component of the threshold advances exactly from the previous voltage, the
spike component decays, and a membrane above the threshold spikes: the after-spike
currents become ``asc_amps + asc_r ASC exp(-asc_decay t_ref)``, the membrane resets (the
fraction applies to the voltage before the step) and the spike component becomes
``th_spike exp(-th_spike_decay t_ref) + th_spike_add``. Then the synaptic currents
advance and take the step's spikes, and the external current is latched.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ...engine.jit import threaded_kernel
from ...errors import NESTErrors
from ..base import Model, Param, archiving_params, require
from ._rk45_ports import receptor_row
from .propagators import alpha_slope_to_voltage, exp_current_to_voltage

FLAGS = ("spike_dependent_threshold", "after_spike_currents", "adapting_threshold")
# The five levels NEST allows: (R, ASC, A) for LIF, LIF_R, LIF_ASC, LIF_R_ASC, LIF_R_ASC_A.
LEVELS = ((False, False, False), (True, False, False), (False, True, False), (True, True, False),
          (True, True, True))  # fmt: skip
ASC_KEYS = ("asc_init", "asc_decay", "asc_amps", "asc_r")

# Columns of S before the after-spike currents and the synaptic states.
U, I_EXT, TH_SPIKE, TH_VOLT, ASC_SUM, I_SYN, T_REF = range(7)
_FIXED = 7
# Columns of P before the per-current and per-synapse blocks, and their widths.
_P_FIXED = 8
_P_ASC = 5
_P_SYN = 5


def glif_params(g_name: str = "g") -> dict[str, Param]:
    """Status entries every GLIF model has (NEST's names and defaults)."""
    return {
        **archiving_params(),
        "C_m": Param(58.72, doc="Capacitance of the membrane", unit="pF"),
        "E_L": Param(-78.85, doc="Resting membrane potential", unit="mV"),
        "V_m": Param(-78.85, state=True, doc="Membrane potential", unit="mV"),
        "V_reset": Param(-78.85, doc="Reset potential (levels without spike-dependent threshold)", unit="mV"),
        "V_th": Param(-51.68, doc="Instantaneous threshold", unit="mV"),
        g_name: Param(9.43, doc="Membrane conductance", unit="nS"),
        "t_ref": Param(3.75, doc="Duration of the refractory period", unit="ms"),
        "th_spike_add": Param(0.37, doc="Threshold increase at a spike", unit="mV"),
        "th_spike_decay": Param(0.009, doc="Decay rate of the spike component of the threshold", unit="1/ms"),
        "voltage_reset_fraction": Param(0.2, doc="Fraction of the voltage kept at the reset"),
        "voltage_reset_add": Param(18.51, doc="Voltage added at the reset", unit="mV"),
        "th_voltage_index": Param(
            0.005, doc="Adaptation index of the voltage component of the threshold", unit="1/ms"
        ),  # fmt: skip
        "th_voltage_decay": Param(0.09, doc="Decay rate of the voltage component of the threshold", unit="1/ms"),
        "asc_init": Param(np.zeros(2), kind="floats", doc="Initial after-spike currents", unit="pA"),
        "asc_decay": Param(
            np.array([0.003, 0.1]), kind="floats", doc="Decay rates of the after-spike currents", unit="1/ms"
        ),  # fmt: skip
        "asc_amps": Param(np.array([-9.18, -198.94]), kind="floats", doc="After-spike current amplitudes", unit="pA"),
        "asc_r": Param(np.ones(2), kind="floats", doc="Fraction of each after-spike current kept at a spike"),
        "ASCurrents": Param(np.zeros(2), kind="floats", state=True, doc="After-spike currents", unit="pA"),
        "spike_dependent_threshold": Param(False, kind="bool", doc="Spike component of the threshold (level 2)"),
        "after_spike_currents": Param(False, kind="bool", doc="After-spike currents (level 3)"),
        "adapting_threshold": Param(False, kind="bool", doc="Voltage component of the threshold (level 5)"),
        "has_connections": Param(False, kind="bool", readonly=True, doc="Whether the node has incoming connections"),
    }


# State a user may set only when the level has the mechanism: key -> (flag, NEST's words).
_GUARDED = {
    "ASCurrents": (
        "after_spike_currents",
        "After spike currents are not supported or settable in the current model mechanisms.",
    ),  # fmt: skip
    "threshold_spike": (
        "spike_dependent_threshold",
        "Threshold spike component is not supported or settable in the current model mechanisms.",
    ),  # fmt: skip
    "threshold_voltage": (
        "adapting_threshold",
        "Threshold voltage component is not supported or settable in the current model mechanisms.",
    ),  # fmt: skip
}


def as_lists(value) -> list[np.ndarray]:
    """A list status entry of every node in ``values`` (a group's list or one trial list)."""
    if isinstance(value, np.ndarray):
        return [value]
    return [np.atleast_1d(np.asarray(x, dtype=float)) for x in value]


def padded(values, n: int, k: int | None = None) -> np.ndarray:
    """A list status entry of ``n`` nodes as an (n, k) array, NaN where a node's list is
    shorter (k: the longest list unless given)."""
    lists = as_lists(values)
    if len(lists) == 1 and n > 1:
        lists = lists * n
    lengths = np.fromiter((len(x) for x in lists), dtype=np.int64, count=len(lists))
    k = int(lengths.max(initial=0)) if k is None else k
    if k == 0:
        return np.zeros((len(lists), 0))
    if np.all(lengths == k):
        return np.array(lists, dtype=float).reshape(len(lists), k)
    out = np.full((len(lists), k), np.nan)
    for i in np.flatnonzero(lengths):
        x = lists[i][:k]
        out[i, : len(x)] = x
    return out


class GlifBase(Model):
    """What the three GLIF models share: levels, checks, guarded state, recording."""

    g_name = "g"
    documents = "documentation"  # glif_cond's message says "documents"

    def __init__(self, name=None):
        super().__init__(name)
        self._setting: set[str] = set()

    def coerce(self, key, value, n):
        # NEST refuses these keys (whatever their value) unless the level has the mechanism;
        # check() sees the complete new status, reads the flags there and forgets the keys.
        try:
            out = super().coerce(key, value, n)
        except Exception:
            self._setting.clear()
            raise
        if key in _GUARDED:
            self._setting.add(key)
        return out

    def check_glif(self, v, gid) -> None:
        setting, self._setting = self._setting, set()
        flags = [np.asarray(v[f], dtype=bool) for f in FLAGS]
        ok = np.zeros(np.shape(flags[0]), dtype=bool)
        for level in LEVELS:
            ok |= np.all([f == want for f, want in zip(flags, level)], axis=0)
        require(
            ok,
            self,
            gid,
            "Incorrect model mechanism combination setting.See "
            f"{self.documents} for setting of model mechanism parameters:spike_dependent_threshold, "
            "after_spike_currents, adapting_threshold.",
        )
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v[self.g_name] > 0, self, gid, "Membrane conductance must be strictly positive.")
        require(v["t_ref"] > 0, self, gid, "Refractory time constant must be strictly positive.")
        r_on, asc_on, a_on = flags
        if np.any(r_on):
            frac = np.asarray(v["voltage_reset_fraction"])
            require(~r_on | ((frac >= 0) & (frac <= 1)), self, gid,
                    "Voltage fraction coefficient following spike must be within [0.0, 1.0].")  # fmt: skip
            require(~r_on | (np.asarray(v["th_spike_decay"]) > 0), self, gid,
                    "Spike induced threshold time constant must be strictly positive.")  # fmt: skip
        if np.any(asc_on):
            lists = {k: as_lists(v[k]) for k in ASC_KEYS}
            sizes = {len(x) for k in ASC_KEYS for x in lists[k]}
            require(len(sizes) == 1, self, gid, "All after spike current parameters (i.e., asc_init, k, asc_amps, r) "
                    "must have the same size.")  # fmt: skip
            require(all(np.all(x > 0) for x in lists["asc_decay"]), self, gid,
                    "After-spike current time constant must be strictly positive.")  # fmt: skip
            require(all(np.all((x >= 0) & (x <= 1)) for x in lists["asc_r"]), self, gid,
                    "After spike current fraction following spike coefficients r must be within [0.0, 1.0].")  # fmt: skip
        if np.any(a_on):
            require(~a_on | (np.asarray(v["th_voltage_decay"]) > 0), self, gid,
                    "Voltage-induced threshold time constant must be strictly positive.")  # fmt: skip
        for key in setting:
            flag, msg = _GUARDED[key]
            require(np.asarray(v[flag], dtype=bool), self, gid, msg)
        if "ASCurrents" in setting:
            n_asc = {len(x) for x in as_lists(v["asc_decay"])}
            require(
                all(len(x) in n_asc for x in as_lists(v["ASCurrents"])),
                self,
                gid,
                "After spike current values must have have the same size "
                f"({min(n_asc)}) of its parameters (i.e., asc_init, k, asc_amps, r).",
            )

    def asc_tables(self, v, n, h):
        """Per-node after-spike current columns of S (initial) and of P, padded to the
        longest list; (counts, S block, P block)."""
        decay = padded(v["asc_decay"], n)
        state = padded(v["ASCurrents"], n)
        # As in NEST, the state has its own length (2 unless ASCurrents is set): that many
        # currents act, whatever the length of the asc_* lists.
        active = np.minimum(np.isfinite(decay).sum(axis=1), np.isfinite(state).sum(axis=1))
        counts = np.where(v["after_spike_currents"], active, 0).astype(np.int64)
        k = int(counts.max(initial=0))
        valid = np.arange(k)[None, :] < counts[:, None]
        rate = np.where(valid, decay[:, :k], 1.0)
        t_ref = np.asarray(v["t_ref"], dtype=float)[:, None]
        blocks = [
            np.exp(-rate * h),
            # The mean of a decaying current over one step, per unit current at its start.
            (1.0 / rate / h) * (1.0 - np.exp(-rate * h)),
            np.exp(-rate * t_ref),
            padded(v["asc_amps"], n, k),
            padded(v["asc_r"], n, k),
        ]
        P = np.where(valid[:, :, None], np.stack(blocks, axis=2), 0.0).reshape(n, _P_ASC * k)
        S = np.where(valid, np.nan_to_num(state[:, :k]), 0.0)
        return counts, S, P

    def threshold_columns(self, v, h):
        """Columns of P for the two threshold components (after the membrane's two)."""
        G, C = v[self.g_name], v["C_m"]
        a_v, b_v = v["th_voltage_index"], v["th_voltage_decay"]
        with np.errstate(divide="ignore", invalid="ignore"):
            phi = a_v / (b_v - G / C)
            ratio = a_v / b_v
        return [np.exp(-v["th_spike_decay"] * h), np.exp(-v["th_spike_decay"] * v["t_ref"]), phi, np.exp(-b_v * h),
                ratio, G]  # fmt: skip

    def constants(self, v):
        """Q: E_L, the threshold, reset and spike-component constants and the flags, per node."""
        E_L = v["E_L"]
        return np.column_stack([
            E_L, v["V_th"] - E_L, v["V_reset"] - E_L, v["voltage_reset_fraction"], v["voltage_reset_add"],
            v["th_spike_add"], v["t_ref"], *(np.asarray(v[f], dtype=float) for f in FLAGS),
        ])  # fmt: skip

    def receptor_ports(self, group) -> np.ndarray:
        return np.array([len(t) for t in group.values[self.port_key]], dtype=np.int64)

    def check_receptor_event(self, group, local: np.ndarray, port: int, event: str) -> None:
        """NEST's errors: spikes go to ports 1 .. n (port 0 included in the refusal),
        currents and recording requests to port 0 only."""
        if event != "SpikeEvent":
            if port != 0:
                raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")
            return
        ports = self.receptor_ports(group)[local]
        if port < 1 or port > ports.min():
            raise NESTErrors.IncompatibleReceptorType(
                f"Receptor type {port} in {self.name} does not accept SpikeEvent."
            )

    def status_to_state(self, group, S, k_asc) -> None:
        """Take the user-visible state into S (before every run; finish_run wrote it back)."""
        v = group.values
        S[:, U] = v["V_m"] - v["E_L"]
        if "threshold_spike" in v:
            S[:, TH_SPIKE] = v["threshold_spike"]
            S[:, TH_VOLT] = v["threshold_voltage"]

    def state_to_status(self, group, S, k_asc, counts) -> None:
        v = group.values
        v["V_m"][:] = S[:, U] + v["E_L"]
        if "threshold_spike" in v:
            v["threshold_spike"][:] = S[:, TH_SPIKE]
            v["threshold_voltage"][:] = S[:, TH_VOLT]
        on = np.flatnonzero(counts)
        if len(on):
            block = S[:, _FIXED : _FIXED + k_asc]
            lists = v["ASCurrents"]
            for i, row in zip(on, block[on]):
                lists[i] = row[: counts[i]].copy()


class _GlifPscBase(GlifBase):
    """Alpha-current GLIF neurons; each port has ``comps_per_port`` alpha components."""

    port_key = "tau_syn"
    comps_per_port = 1
    recordables = ("ASCurrents_sum", "I", "I_syn", "V_m", "threshold", "threshold_spike", "threshold_voltage")

    def synapse_components(self, v, n, k) -> tuple[np.ndarray, np.ndarray]:
        """(tau, amplitude), each (n, k): the alpha components of every node,
        ``comps_per_port`` per port in order; an amplitude of 0 marks a missing one."""
        raise NotImplementedError

    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        n = group.n
        ports = self.receptor_ports(group)
        n_comp = ports * self.comps_per_port
        k_comp = int(n_comp.max(initial=0))
        counts, S_asc, P_asc = self.asc_tables(v, n, h)
        k_asc = S_asc.shape[1]
        width = _FIXED + k_asc + 2 * k_comp
        if "S" not in a or a["S"].shape[1] != width or a["k_asc"] != k_asc:
            a["S"] = np.zeros((n, width))
            a["k_asc"] = k_asc
        S = a["S"]
        self.status_to_state(group, S, k_asc)
        S[:, _FIXED : _FIXED + k_asc] = S_asc
        G, C = v["g"], v["C_m"]
        tau_m = C / G
        P33 = np.exp(-h / tau_m)
        tau, amp = self.synapse_components(v, n, k_comp)
        ok = np.isfinite(tau) & (amp > 0)
        tau = np.where(ok, tau, 1.0)
        decay = np.exp(-h / tau)
        tm, cm = tau_m[:, None], C[:, None]
        blocks = [decay, h * decay, alpha_slope_to_voltage(tau, tm, cm, h), exp_current_to_voltage(tau, tm, cm, h),
                  amp * np.e / tau]  # fmt: skip
        P_syn = np.where(ok[:, :, None], np.stack(blocks, axis=2), 0.0).reshape(n, _P_SYN * k_comp)
        a["P"] = np.ascontiguousarray(np.column_stack([P33, (1.0 - P33) / G, *self.threshold_columns(v, h), P_asc,
                                                       P_syn]))  # fmt: skip
        a["Q"] = np.ascontiguousarray(self.constants(v))
        a["n_asc"] = counts
        a["n_comp"] = n_comp
        # Smallest number of steps between two spikes: the refractory count-down plus one.
        ref = np.maximum(np.floor(v["t_ref"] / h).astype(np.int64), 0)
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (ref + 1)))

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _glif_psc_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, kernel.cur, kernel.rbuf, receptor_row(kernel, group), self.comps_per_port, a["k_asc"],
            a["S"], a["Q"], a["P"], a["n_asc"], a["n_comp"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"],
            a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a = group.aux
        if "S" in a:
            self.state_to_status(group, a["S"], a["k_asc"], a["n_asc"])

    def check(self, v, n, gid):
        self.check_glif(v, gid)


# The psc models show the threshold components in their status (glif_cond does not).
_THRESHOLD_STATE = {
    "threshold_spike": Param(0.0, state=True, doc="Spike component of the threshold", unit="mV"),
    "threshold_voltage": Param(0.0, state=True, doc="Voltage component of the threshold", unit="mV"),
}


class GlifPsc(_GlifPscBase):
    """Generalized leaky integrate-and-fire neuron (five levels) with alpha-shaped currents."""

    name = "glif_psc"
    elementsize = 1128
    status_note = "exact integration, NEST's step order, levels 1-5 (`tests/test_models_glif.py`)"
    params = {
        **glif_params(),
        **_THRESHOLD_STATE,
        "tau_syn": Param(
            np.array([2.0]), kind="floats", doc="Synaptic time constant of each receptor port", unit="ms"
        ),  # fmt: skip
    }

    def synapse_components(self, v, n, k):
        tau = padded(v["tau_syn"], n, k)
        return tau, np.isfinite(tau).astype(float)

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(all(np.all(t > 0) for t in as_lists(v["tau_syn"])), self, gid,
                "All synaptic time constants must be strictly positive.")  # fmt: skip


class GlifPscDoubleAlpha(_GlifPscBase):
    """Generalized leaky integrate-and-fire neuron (five levels) whose ports each have a
    fast and a slow alpha-shaped current."""

    name = "glif_psc_double_alpha"
    elementsize = 1384
    comps_per_port = 2
    port_key = "tau_syn_fast"
    status_note = "exact integration, NEST's step order, levels 1-5 (`tests/test_models_glif.py`)"
    params = {
        **glif_params(),
        **_THRESHOLD_STATE,
        "tau_syn_fast": Param(
            np.array([2.0]), kind="floats", doc="Time constant of each port's fast current", unit="ms"
        ),  # fmt: skip
        "tau_syn_slow": Param(
            np.array([6.0]), kind="floats", doc="Time constant of each port's slow current", unit="ms"
        ),  # fmt: skip
        "amp_slow": Param(np.array([0.3]), kind="floats", doc="Size of each port's slow current relative to the fast"),
    }

    def synapse_components(self, v, n, k):
        ports = k // 2
        fast = padded(v["tau_syn_fast"], n, ports)
        slow = padded(v["tau_syn_slow"], n, ports)
        amp_slow = padded(v["amp_slow"], n, ports)
        tau = np.stack([fast, slow], axis=2).reshape(n, k)
        amp = np.stack([np.isfinite(fast).astype(float), np.nan_to_num(amp_slow) * np.isfinite(slow)], axis=2)
        return tau, amp.reshape(n, k)

    def check(self, v, n, gid):
        super().check(v, n, gid)
        fast, slow, amp = (as_lists(v[k]) for k in ("tau_syn_fast", "tau_syn_slow", "amp_slow"))
        require(all(np.all(t > 0) for t in fast), self, gid, "All synaptic time constants must be strictly positive.")
        require(all(np.all(t > 0) for t in slow), self, gid,
                "All slow synaptic time constants must be strictly positive.")  # fmt: skip
        require(all(np.all(x > 0) for x in amp), self, gid, "All slow synaptic amplitudes must be strictly positive.")
        # NEST accepts lists of different lengths (and then integrates garbage); a port
        # without a slow entry here has its fast current only.


@threaded_kernel
def _glif_psc_update(n_chunks, t0, m, slots, off, h, cur, rbuf, row0, per_port, k_asc, S, Q, P, n_asc, n_comp, rec_row,
                     rec_out, spk_i, spk_t, spk_off):  # fmt: skip
    n = S.shape[0]
    a0 = _FIXED
    c0 = _FIXED + k_asc
    s0 = _P_FIXED + _P_ASC * k_asc
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                na = n_asc[i]
                nc = n_comp[i]
                v_old = S[i, U]
                if S[i, T_REF] > 0.0:
                    # Refractory: only the remaining time runs down; the state is held.
                    S[i, T_REF] -= h
                else:
                    asc_sum = 0.0
                    for j in range(na):
                        b = _P_FIXED + _P_ASC * j
                        asc_sum += P[i, b + 1] * S[i, a0 + j]
                        S[i, a0 + j] *= P[i, b]
                    S[i, ASC_SUM] = asc_sum
                    i_ext = S[i, I_EXT]
                    v = v_old * P[i, 0] + (i_ext + asc_sum) * P[i, 1]
                    i_syn = 0.0
                    for j in range(nc):
                        b = s0 + _P_SYN * j
                        v += P[i, b + 2] * S[i, c0 + 2 * j] + P[i, b + 3] * S[i, c0 + 2 * j + 1]
                        i_syn += S[i, c0 + 2 * j + 1]
                    S[i, I_SYN] = i_syn
                    if Q[i, 9] != 0.0:
                        # Exact solution of the voltage component over the step (Mihalas & Niebur).
                        beta = (i_ext + asc_sum) / P[i, 7]
                        phi = P[i, 4]
                        d = v_old - beta
                        S[i, TH_VOLT] = (phi * d * P[i, 0] + P[i, 5] * (S[i, TH_VOLT] - phi * d - P[i, 6] * beta)
                                         + P[i, 6] * beta)  # fmt: skip
                    if Q[i, 7] != 0.0:
                        S[i, TH_SPIKE] *= P[i, 2]
                    if v > S[i, TH_SPIKE] + S[i, TH_VOLT] + Q[i, 1]:
                        S[i, T_REF] = Q[i, 6]
                        for j in range(na):
                            b = _P_FIXED + _P_ASC * j
                            S[i, a0 + j] = P[i, b + 3] + S[i, a0 + j] * P[i, b + 4] * P[i, b + 2]
                        if Q[i, 7] != 0.0:
                            v = Q[i, 3] * v_old + Q[i, 4]
                            S[i, TH_SPIKE] = S[i, TH_SPIKE] * P[i, 3] + Q[i, 5]
                        else:
                            v = Q[i, 2]
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        cnt += 1
                    S[i, U] = v
                # The synaptic currents advance and take this step's spikes.
                for j in range(nc):
                    b = s0 + _P_SYN * j
                    d_i = S[i, c0 + 2 * j]
                    S[i, c0 + 2 * j + 1] = P[i, b + 1] * d_i + P[i, b] * S[i, c0 + 2 * j + 1]
                    d_i *= P[i, b]
                    if row0 >= 0:
                        port = j // per_port
                        d_i += P[i, b + 4] * rbuf[port, slot, row0 + i]
                    S[i, c0 + 2 * j] = d_i
                if row0 >= 0:
                    for p in range(nc // per_port):
                        rbuf[p, slot, row0 + i] = 0.0
                S[i, I_EXT] = b_cur[gi]
                b_cur[gi] = 0.0
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = S[i, ASC_SUM]
                    rec_out[row, 1, k] = S[i, I_EXT]
                    rec_out[row, 2, k] = S[i, I_SYN]
                    rec_out[row, 3, k] = S[i, U] + Q[i, 0]
                    rec_out[row, 4, k] = S[i, TH_SPIKE] + S[i, TH_VOLT] + Q[i, 1] + Q[i, 0]
                    rec_out[row, 5, k] = S[i, TH_SPIKE]
                    rec_out[row, 6, k] = S[i, TH_VOLT]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts


MODELS = [GlifPsc, GlifPscDoubleAlpha]
