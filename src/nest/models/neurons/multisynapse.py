"""``iaf_psc_exp_multisynapse`` and ``iaf_psc_alpha_multisynapse``: leaky integrate-and-fire
neurons with one synaptic current per receptor port, integrated exactly.

A node has as many ports as its ``tau_syn`` list has entries (``n_synapses``); a connection
names its port with ``receptor_type`` (1 to ``n_synapses``; port 0 takes no spikes, as in
NEST). Spikes to a port arrive through the kernel's receptor buffers
(``kernel.rbuf[port - 1, slot, row]``, ``engine/plasticity.py``). Within a step the order is
NEST's: the membrane first (unless refractory) with every port's current, then the currents
decay and take this step's input, then the threshold, then the external current is latched.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ...errors import NESTErrors
from ..base import Model, Param, archiving_params, require
from .propagators import alpha_slope_to_voltage, current_to_voltage, exp_current_to_voltage, membrane_decay


def _params(alpha: bool) -> dict[str, Param]:
    params = {
        **archiving_params(),
        "C_m": Param(250.0, doc="Capacitance of the membrane", unit="pF"),
        "E_L": Param(-70.0, doc="Resting membrane potential", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "V_m": Param(-70.0, state=True, doc="Membrane potential", unit="mV"),
        "V_reset": Param(-70.0, doc="Reset potential after a spike", unit="mV"),
        "V_th": Param(-55.0, doc="Spike threshold", unit="mV"),
        "t_ref": Param(2.0, doc="Duration of the refractory period", unit="ms"),
        "tau_m": Param(10.0, doc="Membrane time constant", unit="ms"),
        "tau_syn": Param(np.array([2.0]), kind="floats", doc="Synaptic time constant of each receptor port", unit="ms"),
        "n_synapses": Param(1, kind="int", readonly=True, doc="Number of receptor ports (len(tau_syn))"),
        "has_connections": Param(False, kind="bool", readonly=True, doc="Whether the node has incoming connections"),
    }
    if alpha:
        params["V_min"] = Param(-np.inf, doc="Absolute lower bound of the membrane potential", unit="mV")
    return params


class _Multisynapse(Model):
    """What the two models share: ports, checks, state layout, recording columns."""

    alpha = False
    state_per_port = 1

    def receptor_ports(self, group) -> np.ndarray:
        """Ports per node (``n_synapses``)."""
        return np.array([len(t) for t in group.values["tau_syn"]], dtype=np.int64)

    def check_receptor(self, group, local: np.ndarray, port: int) -> None:
        """NEST's error for a port a target does not have (port 0 included)."""
        ports = self.receptor_ports(group)[local]
        if port < 1 or port > ports.min():
            raise NESTErrors.IncompatibleReceptorType(
                f"Receptor type {port} in {self.name} does not accept SpikeEvent."
            )

    @property
    def recordables(self) -> tuple[str, ...]:
        k = self._max_ports()
        return ("I_syn", *(f"I_syn_{i + 1}" for i in range(k)), "V_m")

    def _max_ports(self) -> int:
        from ...engine.kernel import kernel

        k = len(self.defaults["tau_syn"])
        for g in kernel.groups:
            if g.model is self:
                k = max(k, int(self.receptor_ports(g).max(initial=0)))
        return k

    def check(self, v, n, gid):
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        # NEST words a bad capacitance differently in the two models.
        require(v["C_m"] > 0, self, gid, f"Capacitance must be {'strictly positive' if self.alpha else '> 0'}.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(v["tau_m"] > 0, self, gid, "Membrane time constant must be strictly positive.")
        # On a set, every touched node gets the same tau_syn (one list of time constants).
        tau = np.atleast_1d(np.asarray(v["tau_syn"], dtype=float))
        require(np.all(tau > 0), self, gid, "All synaptic time constants must be strictly positive.")
        if not self.alpha:
            # The alpha model's propagators handle tau_syn == tau_m; the exponential one refuses it.
            require(
                np.all(tau[:, None] != np.atleast_1d(v["tau_m"])[None, :]),
                self,
                gid,
                "Membrane and synapse time constant(s) must differ. See note in documentation.",
            )
        # n_synapses follows tau_syn (it is read-only for the user).
        if isinstance(v.get("n_synapses"), np.ndarray):
            v["n_synapses"][:] = len(tau)

    def prepare(self, group, kernel):
        a, v = group.aux, group.values
        ports = self.receptor_ports(group)
        k = int(ports.max(initial=0))
        width = 2 + self.state_per_port * k
        if "S" not in a or a["S"].shape[1] != width:
            a["S"] = np.zeros((group.n, width))
            a["r"] = np.zeros(group.n, dtype=np.int64)
        S = a["S"]
        changed = S[:, 0] + v["E_L"] != v["V_m"]
        S[changed, 0] = v["V_m"][changed] - v["E_L"][changed]
        v_min = v["V_min"] - v["E_L"] if "V_min" in v else np.full(group.n, -np.inf)
        a["Q"] = np.column_stack([v["E_L"], v["V_th"] - v["E_L"], v["V_reset"] - v["E_L"], v_min, v["I_e"]])
        h = kernel.h
        tau = np.full((group.n, max(k, 1)), np.nan)
        for i, t in enumerate(v["tau_syn"]):
            tau[i, : len(t)] = t
        a["ports"] = ports
        a["P"] = self.propagators(v, tau, h)
        a["ref_counts"] = np.rint(v["t_ref"] / h).astype(np.int64)
        kernel.reserve_spikes(group, -(-kernel.slice_steps // (a["ref_counts"] + 1)))

    def update(self, group, kernel, t0, m):
        a = group.aux
        row0 = int(kernel.ridx[group.offset]) if len(kernel.ridx) > group.offset and kernel.rbuf.shape[1] > 1 else -1
        counts = self.kernel_function(
            t0, m, kernel.slots, group.offset, kernel.cur, kernel.rbuf, row0, a["S"], a["Q"], a["P"], a["r"],
            a["ref_counts"], a["ports"], a["rec_row"], a["rec_out"], len(self.recordables) - 1, a["spk_i"], a["spk_t"],
        )  # fmt: skip
        kernel.collect_spikes(group, np.array([counts]))

    def finish_run(self, group, kernel):
        a = group.aux
        if "S" in a:
            group.values["V_m"][:] = a["S"][:, 0] + a["Q"][:, 0]


class IafPscExpMultisynapse(_Multisynapse):
    """Leaky integrate-and-fire neuron with an exponentially decaying current per receptor port."""

    name = "iaf_psc_exp_multisynapse"
    elementsize = 744
    params = _params(alpha=False)

    @staticmethod
    def propagators(v, tau, h):
        C, tm = v["C_m"], v["tau_m"]
        k = tau.shape[1]
        P = np.zeros((len(C), 2 + 2 * k))
        P[:, 0], P[:, 1] = membrane_decay(tm, h)[0], current_to_voltage(tm, C, h)
        for j in range(k):
            ok = np.isfinite(tau[:, j])
            ts = np.where(ok, tau[:, j], 1.0)
            P[:, 2 + 2 * j] = np.where(ok, np.exp(-h / ts), 0.0)
            P[:, 3 + 2 * j] = np.where(ok, exp_current_to_voltage(ts, tm, C, h), 0.0)
        return P

    @staticmethod
    def kernel_function(*args):
        return _exp_ms_update(*args)


class IafPscAlphaMultisynapse(_Multisynapse):
    """Leaky integrate-and-fire neuron with an alpha-shaped current per receptor port; a weight
    of 1 pA gives a current peaking at 1 pA ``tau_syn`` after arrival."""

    name = "iaf_psc_alpha_multisynapse"
    elementsize = 880
    params = _params(alpha=True)
    alpha = True
    state_per_port = 2

    @staticmethod
    def propagators(v, tau, h):
        C, tm = v["C_m"], v["tau_m"]
        k = tau.shape[1]
        P = np.zeros((len(C), 2 + 5 * k))
        P[:, 0], P[:, 1] = membrane_decay(tm, h)[1], current_to_voltage(tm, C, h)
        for j in range(k):
            ok = np.isfinite(tau[:, j])
            ts = np.where(ok, tau[:, j], 1.0)
            decay = np.exp(-h / ts)
            base = 2 + 5 * j
            P[:, base] = np.where(ok, decay, 0.0)  # dI -> dI and I -> I
            P[:, base + 1] = np.where(ok, h * decay, 0.0)  # dI -> I
            P[:, base + 2] = np.where(ok, alpha_slope_to_voltage(ts, tm, C, h), 0.0)
            P[:, base + 3] = np.where(ok, exp_current_to_voltage(ts, tm, C, h), 0.0)
            P[:, base + 4] = np.where(ok, np.e / ts, 0.0)  # weight -> initial slope
        return P

    @staticmethod
    def kernel_function(*args):
        return _alpha_ms_update(*args)


@njit(cache=True)
def _exp_ms_update(t0, m, slots, off, cur, rbuf, row0, S, Q, P, r, ref, ports, rec_row, rec_out, v_col, spk_i, spk_t):
    n = S.shape[0]
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        b_cur = cur[slot]
        for i in range(n):
            gi = off + i
            v = S[i, 0]
            rr = r[i]
            np_ = ports[i]
            if rr == 0:
                v = v * P[i, 0] + (Q[i, 4] + S[i, 1]) * P[i, 1]
                for p in range(np_):
                    v += S[i, 2 + p] * P[i, 3 + 2 * p]
            else:
                r[i] = rr - 1
            total = 0.0
            for p in range(np_):
                x = S[i, 2 + p] * P[i, 2 + 2 * p]
                if row0 >= 0:
                    x += rbuf[p, slot, row0 + i]
                    rbuf[p, slot, row0 + i] = 0.0
                S[i, 2 + p] = x
                total += x
            if v >= Q[i, 1]:
                r[i] = ref[i]
                v = Q[i, 2]
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                cnt += 1
            S[i, 0] = v
            S[i, 1] = b_cur[gi]
            b_cur[gi] = 0.0
            row = rec_row[i]
            if row >= 0:
                rec_out[row, 0, k] = total
                for p in range(np_):
                    rec_out[row, 1 + p, k] = S[i, 2 + p]
                rec_out[row, v_col, k] = v + Q[i, 0]
        slot += 1
        if slot == slots:
            slot = 0
    return cnt


@njit(cache=True)
def _alpha_ms_update(t0, m, slots, off, cur, rbuf, row0, S, Q, P, r, ref, ports, rec_row, rec_out, v_col, spk_i,
                     spk_t):  # fmt: skip
    n = S.shape[0]
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        b_cur = cur[slot]
        for i in range(n):
            gi = off + i
            v = S[i, 0]
            rr = r[i]
            np_ = ports[i]
            if rr == 0:
                v = P[i, 1] * (S[i, 1] + Q[i, 4]) + P[i, 0] * v + v
                for p in range(np_):
                    b = 2 + 5 * p
                    v += P[i, b + 2] * S[i, 2 + 2 * p] + P[i, b + 3] * S[i, 3 + 2 * p]
                if v < Q[i, 3]:
                    v = Q[i, 3]
            else:
                r[i] = rr - 1
            total = 0.0
            for p in range(np_):
                b = 2 + 5 * p
                d_i = S[i, 2 + 2 * p]
                cur_i = P[i, b + 1] * d_i + P[i, b] * S[i, 3 + 2 * p]
                d_i *= P[i, b]
                if row0 >= 0:
                    d_i += P[i, b + 4] * rbuf[p, slot, row0 + i]
                    rbuf[p, slot, row0 + i] = 0.0
                S[i, 2 + 2 * p] = d_i
                S[i, 3 + 2 * p] = cur_i
                total += cur_i
            if v >= Q[i, 1]:
                r[i] = ref[i]
                v = Q[i, 2]
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                cnt += 1
            S[i, 0] = v
            S[i, 1] = b_cur[gi]
            b_cur[gi] = 0.0
            row = rec_row[i]
            if row >= 0:
                rec_out[row, 0, k] = total
                for p in range(np_):
                    rec_out[row, 1 + p, k] = S[i, 3 + 2 * p]
                rec_out[row, v_col, k] = v + Q[i, 0]
        slot += 1
        if slot == slots:
            slot = 0
    return cnt


MODELS = [IafPscExpMultisynapse, IafPscAlphaMultisynapse]
