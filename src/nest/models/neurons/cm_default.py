"""``cm_default``: a neuron built of compartments in a tree, with passive membranes,
sodium and potassium channels and AMPA, GABA, NMDA and AMPA+NMDA receptors.

Structure. ``node.compartments = [{"parent_idx": -1, "params": {...}}, ...]`` adds the
compartments once (the first is the root, the soma; a parent comes before its children),
``node.receptors = [{"comp_idx": c, "receptor_type": "AMPA", "params": {...}}, ...]`` the
receptors once. A spike connection names a receptor by its index (``receptor_type``), a
current connection a compartment. The structure of each node is kept as Python lists (it
is set once, before simulating); :meth:`CmDefault.prepare` flattens every node of a group
into arrays of compartments and receptors that one jitted kernel runs.

Dynamics (NEST 3.10's, measured against it to rounding: ``tests/test_models_cm.py``).
Every step:

1. the channel gates of each compartment (``m``, ``h`` of Na, ``n`` of K) relax
   exponentially towards their steady state at the potential of the step's start, with
   the rates of Mainen and Sejnowski (1996) times a temperature factor 3.21 (the Na rates
   at ``v + 0.013`` mV); a channel whose ``gbar`` is at most 1e-9 keeps its gates;
2. the receptors' rise and decay conductances decay; the conductance is their sum;
3. the potentials of the tree advance by one Crank-Nicolson step, every current
   linearised around the step's start (leak, coupling to the parent ``g_C``, ``gbar_Na m^3
   h``, ``gbar_K n``, receptor conductances; the NMDA current scaled by the magnesium
   block ``1 / (1 + 0.3 exp(-0.1 v))``), solved by elimination from the leaves to the root;
4. the spikes of the step raise each receptor's rise and decay conductances by -w and
   +w times the factor that makes the difference of exponentials peak at w;
5. the soma fires when its potential crosses ``V_th`` from below.
"""

from __future__ import annotations

import copy
import math

import numpy as np
from numba import njit

from ...errors import NESTErrors
from ..base import Model, Param, archiving_params, where_text

COMP_DEFAULTS = {"C_m": 1.0, "g_C": 0.01, "g_L": 0.1, "e_L": -70.0, "v_comp": -75.0, "gbar_Na": 0.0,
                 "e_Na": 50.0, "gbar_K": 0.0, "e_K": -85.0}  # fmt: skip
RECEPTOR_DEFAULTS = {
    "AMPA": {"e_AMPA": 0.0, "tau_r_AMPA": 0.2, "tau_d_AMPA": 3.0},
    "GABA": {"e_GABA": -80.0, "tau_r_GABA": 0.2, "tau_d_GABA": 10.0},
    "NMDA": {"e_NMDA": 0.0, "tau_r_NMDA": 0.2, "tau_d_NMDA": 43.0},
    "AMPA_NMDA": {
        "e_AMPA_NMDA": 0.0,
        "tau_r_AMPA": 0.2,
        "tau_d_AMPA": 3.0,
        "tau_r_NMDA": 0.2,
        "tau_d_NMDA": 43.0,
        "NMDA_ratio": 2.0,
    },  # fmt: skip
}
# The order NEST lists a compartment's receptors in (by type, then index).
TYPE_ORDER = tuple(RECEPTOR_DEFAULTS)
# Recorded quantities: codes of what a recordable reads.
V, M, H, N, GR_A, GD_A, GR_N, GD_N = range(8)
GATE_MIN = 1e-9  # a channel with gbar at most this keeps its gates (measured)
TEMPERATURE_FACTOR = 3.21


def _unaccessed(where: str, keys) -> NESTErrors.UnaccessedDictionaryEntry:
    return NESTErrors.UnaccessedDictionaryEntry(
        f"Unaccessed elements in Unread dictionary entries: , in function {where}:  {' '.join(sorted(keys))}"
    )


def _as_list(value, what: str) -> list[dict]:
    if isinstance(value, dict):
        return [value]
    if isinstance(value, (list, tuple)) and all(isinstance(x, dict) for x in value):
        return list(value)
    raise NESTErrors.TypeMismatch(f"{what} must be a dict or a list of dicts, got {value!r}.")


def _norm(tau_r: float, tau_d: float) -> float:
    """The factor that makes exp(-t/tau_d) - exp(-t/tau_r) peak at 1."""
    t_peak = tau_r * tau_d / (tau_d - tau_r) * math.log(tau_d / tau_r)
    return 1.0 / (math.exp(-t_peak / tau_d) - math.exp(-t_peak / tau_r))


class CmDefault(Model):
    """A compartmental neuron (Wybo et al. 2021): a tree of passive or active compartments."""

    name = "cm_default"
    elementsize = 1016
    status_note = "Crank-Nicolson over the tree, NEST's gates and receptors (`tests/test_models_cm.py`)"
    params = {**archiving_params(), "V_th": Param(-55.0, doc="Spike threshold of the soma", unit="mV")}
    set_only = ("compartments", "receptors", "add_compartments", "add_receptors")
    lists_recordables = True

    # Shown (empty) by GetDefaults as NEST does; set per node, once, by SetStatus.
    default_extras = {"compartments": [], "receptors": []}

    # ----- structure ------------------------------------------------------------
    @staticmethod
    def _structure(group) -> tuple[list, list]:
        a = group.aux
        if "cm_comps" not in a:
            a["cm_comps"] = [[] for _ in range(group.n)]
            a["cm_recs"] = [[] for _ in range(group.n)]
        return a["cm_comps"], a["cm_recs"]

    def set_extra(self, group, idx, key, value) -> bool:
        from ...api.unavailable import _CompartmentalElements

        if isinstance(value, _CompartmentalElements):
            # ``node.compartments += [...]`` sets the object back after adding through
            # ``add_compartments``: nothing more to do (as NEST).
            return True
        comps, recs = self._structure(group)
        where = where_text(self, group.first + int(idx[0]))
        adding = key.startswith("add_")
        what = key[4:] if adding else key
        items = _as_list(value, what)
        for i in idx:
            i = int(i)
            mine = comps[i] if what == "compartments" else recs[i]
            if mine and not adding:
                raise NESTErrors.BadProperty(f"{where}: '{what}' is already defined for this model")
            new = self._compartments(items, mine) if what == "compartments" else self._receptors(items, comps[i])
            mine.extend(copy.deepcopy(new))
        group.prepared = False
        group.aux.pop("cm_state", None)
        return True

    @staticmethod
    def _compartments(items: list[dict], existing: list) -> list[dict]:
        out = []
        for item in items:
            unknown = set(item) - {"parent_idx", "params"}
            if unknown:
                raise _unaccessed("add_compartment", unknown)
            if "parent_idx" not in item:
                raise IndexError("map::at")
            parent = int(item["parent_idx"])
            params = dict(item.get("params", {}))
            unknown = set(params) - set(COMP_DEFAULTS)
            if unknown:
                raise _unaccessed("compartment_params", unknown)
            count = len(existing) + len(out)
            if parent == -1 and count:
                raise NESTErrors.UnknownCompartment("Compartment 0 , the root, has already been instantiated.")
            if parent != -1 and not 0 <= parent < count:
                raise NESTErrors.UnknownCompartment(
                    f"Compartment {parent} does not exist in tree, but was specified as a parent compartment."
                )
            out.append({"parent_idx": parent, **COMP_DEFAULTS, **{k: float(v) for k, v in params.items()}})
        return out

    @staticmethod
    def _receptors(items: list[dict], comps: list[dict]) -> list[dict]:
        out = []
        for item in items:
            comp = int(item.get("comp_idx", 0))
            if not 0 <= comp < len(comps):
                raise NESTErrors.UnknownCompartment(f"Compartment {comp} does not exist in tree.")
            kind = item.get("receptor_type")
            if kind not in RECEPTOR_DEFAULTS:
                continue  # NEST 3.10 passes over an unknown receptor type without a word (measured)
            params = dict(item.get("params", {}))
            unknown = set(params) - set(RECEPTOR_DEFAULTS[kind])
            if unknown:
                raise _unaccessed("receptor_params", unknown)
            out.append({"comp_idx": comp, "receptor_type": kind, **RECEPTOR_DEFAULTS[kind],
                        **{k: float(v) for k, v in params.items()}})  # fmt: skip
        return out

    # ----- status -----------------------------------------------------------------
    @staticmethod
    def _recordables_of(comps: list, recs: list) -> list[str]:
        names = []
        for c in range(len(comps)):
            names += [f"v_comp{c}", f"m_Na_{c}", f"h_Na_{c}", f"n_K_{c}"]
        for r, rec in enumerate(recs):
            names += [f"g_{x}_{label}_{r}" for label, _, _ in _receptor_parts(rec["receptor_type"]) for x in ("r", "d")]
        return sorted(names)

    def extra_status(self, group, i: int) -> dict:
        comps, recs = self._structure(group)
        listed = sorted(range(len(recs[i])), key=lambda r: (recs[i][r]["comp_idx"],
                                                            TYPE_ORDER.index(recs[i][r]["receptor_type"]), r))  # fmt: skip
        from ...api.nodes import NodeCollection
        from ...api.unavailable import Compartments, Receptors

        # NEST shows them as Compartments and Receptors, which take more with +=.
        node = NodeCollection([group.first + i])
        listing = tuple(
            {"comp_idx": recs[i][r]["comp_idx"], "receptor_idx": r, "receptor_type": recs[i][r]["receptor_type"]}
            for r in listed
        )
        return {
            "compartments": Compartments(
                node, tuple({"comp_idx": c, "parent_idx": x["parent_idx"]} for c, x in enumerate(comps[i]))
            ),
            "receptors": Receptors(node, listing),
            "recordables": self._recordables_of(comps[i], recs[i]),
        }

    @property
    def recordables(self) -> tuple[str, ...]:
        """Every name some node of this model records (multimeters check against it)."""
        from ...engine.kernel import kernel

        names: set[str] = set()
        for g in kernel.groups:
            if g.model is self:
                comps, recs = self._structure(g)
                for c, r in zip(comps, recs):
                    names.update(self._recordables_of(c, r))
        return tuple(sorted(names))

    # ----- ports ------------------------------------------------------------------
    def _counts(self, group) -> tuple[np.ndarray, np.ndarray]:
        comps, recs = self._structure(group)
        return np.array([len(c) for c in comps], dtype=np.int64), np.array([len(r) for r in recs], dtype=np.int64)

    def receptor_ports(self, group) -> np.ndarray:
        """Buffer planes per node: receptors 1.. (0 uses the ordinary buffer), then compartments 1.."""
        n_comp, n_rec = self._counts(group)
        planes = max(int(n_rec.max(initial=0)) - 1, 0) + max(int(n_comp.max(initial=0)) - 1, 0)
        return np.full(group.n, planes, dtype=np.int64)

    def current_port_base(self, group) -> int:
        """Currents to compartment q >= 1 go to port q + this (after the spike planes)."""
        return max(int(self._counts(group)[1].max(initial=0)) - 1, 0)

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        n_comp, n_rec = self._counts(group)
        if event == "SpikeEvent":
            n, what = int(n_rec[local].min()) if len(local) else 0, "spike"
        elif event == "CurrentEvent":
            n, what = int(n_comp[local].min()) if len(local) else 0, "current"
        else:
            n, what = 1, "data logging"
        if port >= n:
            raise NESTErrors.UnknownPort(
                f"Port with id {port} does not exist. Valid {what} receptor ports for {self.name} are in [0, {n}["
            )

    # ----- simulation -------------------------------------------------------------
    def prepare(self, group, kernel):
        comps, recs = self._structure(group)
        if any(not c for c in comps):
            raise NESTErrors.UnknownCompartment(
                "Compartment 0 does not exist in tree, meaning that no compartments have been added."
            )
        a, h = group.aux, kernel.h
        n_comp, n_rec = self._counts(group)
        cstart = np.concatenate([[0], np.cumsum(n_comp)]).astype(np.int64)
        rstart = np.concatenate([[0], np.cumsum(n_rec)]).astype(np.int64)
        flat = [c for node in comps for c in node]
        cp = np.array([[c[k] for k in ("C_m", "g_C", "g_L", "e_L", "gbar_Na", "e_Na", "gbar_K", "e_K")]
                       for c in flat], dtype=np.float64)  # fmt: skip
        parent = np.array([c["parent_idx"] for c in flat], dtype=np.int64)
        parent = np.where(parent >= 0, parent + np.repeat(cstart[:-1], n_comp), -1)
        rp, rcomp = [], []
        for i, node in enumerate(recs):
            for r in node:
                rcomp.append(cstart[i] + r["comp_idx"])
                rp.append(_receptor_row(r, h))
        rp = np.array(rp, dtype=np.float64).reshape(-1, 10)
        if "cm_state" not in a:
            v0 = np.array([c["v_comp"] for c in flat], dtype=np.float64)
            state = np.zeros((len(flat), 4))
            state[:, V] = v0
            state[:, M], state[:, H], state[:, N] = _steady_gates(v0)
            a["cm_state"] = state
            a["cm_g"] = np.zeros((len(rp), 4))
        a["cm_cp"], a["cm_parent"], a["cm_cstart"], a["cm_rstart"] = cp, parent, cstart, rstart
        a["cm_rp"], a["cm_rcomp"] = rp, np.array(rcomp, dtype=np.int64)
        a["cm_vth"] = np.asarray(group.values["V_th"], dtype=np.float64)
        a["cm_base"] = self.current_port_base(group)
        a["cm_rec"] = self._record_map(group, cstart, rstart)
        kernel.reserve_spikes(group, kernel.slice_steps)

    def _record_map(self, group, cstart, rstart) -> np.ndarray:
        """(n, q, 2): for each node and recordable of the model, (what, flat index); -1 if none."""
        names = self.recordables
        comps, recs = self._structure(group)
        out = np.full((group.n, max(len(names), 1), 2), -1, dtype=np.int64)
        pos = {name: q for q, name in enumerate(names)}
        for i in range(group.n):
            for c in range(len(comps[i])):
                for code, prefix in ((V, "v_comp"), (M, "m_Na_"), (H, "h_Na_"), (N, "n_K_")):
                    out[i, pos[f"{prefix}{c}"]] = (code, cstart[i] + c)
            for r, rec in enumerate(recs[i]):
                for label, c_r, c_d in _receptor_parts(rec["receptor_type"]):
                    out[i, pos[f"g_r_{label}_{r}"]] = (c_r, rstart[i] + r)
                    out[i, pos[f"g_d_{label}_{r}"]] = (c_d, rstart[i] + r)
        return out

    def update(self, group, kernel, t0, m):
        a = group.aux
        rows = a.get("rec_row")
        rec_row = rows if rows is not None else np.full(group.n, -1, dtype=np.int64)
        rec_out = a.get("rec_out") if rows is not None else np.zeros((1, 1, 1))
        cnt = _cm_update(t0, m, kernel.slots, group.offset, kernel.h, kernel.buf, kernel.rbuf, kernel.ridx,
                         kernel.cur, a["cm_base"], a["cm_cp"], a["cm_parent"], a["cm_cstart"], a["cm_rstart"],
                         a["cm_rp"], a["cm_rcomp"], a["cm_state"], a["cm_g"], a["cm_vth"], a["cm_rec"], rec_row,
                         rec_out, a["spk_i"], a["spk_t"])  # fmt: skip
        kernel.collect_spikes(group, np.array([cnt]))


def _receptor_parts(kind: str) -> tuple:
    """(label in the recordables' names, code of its rise, code of its decay conductance) per
    part of a receptor: AMPA and GABA have a linear part, NMDA a blocked one, AMPA_NMDA both."""
    if kind == "AMPA_NMDA":
        return (("AN_AMPA", GR_A, GD_A), ("AN_NMDA", GR_N, GD_N))
    return ((kind, GR_N, GD_N),) if kind == "NMDA" else ((kind, GR_A, GD_A),)


def _receptor_row(r: dict, h: float) -> list[float]:
    """(has AMPA-like part, norm, rise decay, decay decay, e, has NMDA part (its ratio), norm,
    rise decay, decay decay, e) of one receptor: AMPA and GABA are linear, NMDA blocked by
    magnesium, AMPA_NMDA both (the NMDA part times ``NMDA_ratio``)."""
    kind = r["receptor_type"]
    if kind == "AMPA_NMDA":
        ta, tn, e = (r["tau_r_AMPA"], r["tau_d_AMPA"]), (r["tau_r_NMDA"], r["tau_d_NMDA"]), r["e_AMPA_NMDA"]
        return [1.0, _norm(*ta), math.exp(-h / ta[0]), math.exp(-h / ta[1]), e,
                r["NMDA_ratio"], _norm(*tn), math.exp(-h / tn[0]), math.exp(-h / tn[1]), e]  # fmt: skip
    tau = (r[f"tau_r_{kind}"], r[f"tau_d_{kind}"])
    part = [_norm(*tau), math.exp(-h / tau[0]), math.exp(-h / tau[1]), r[f"e_{kind}"]]
    if kind == "NMDA":
        return [0.0, 0.0, 0.0, 0.0, 0.0, 1.0, *part]
    return [1.0, *part, 0.0, 0.0, 0.0, 0.0, 0.0]


@njit(cache=True)
def _trap(x, y):
    """x / (1 - exp(-x / y)), with its limit y at x = 0."""
    if abs(x) < 1e-12:
        return y
    return x / (1.0 - math.exp(-x / y))


@njit(cache=True)
def _na_rates(v):
    """Steady states and time constants (ms) of the Na gates m and h at v."""
    am = 0.182 * _trap(v + 35.013, 9.0)
    bm = 0.124 * _trap(-(v + 35.013), 9.0)
    ah = 0.024 * _trap(v + 50.013, 5.0)
    bh = 0.0091 * _trap(-(v + 75.013), 5.0)
    h_inf = 1.0 / (1.0 + math.exp((v + 65.0) / 6.2))
    return am / (am + bm), 1.0 / ((am + bm) * TEMPERATURE_FACTOR), h_inf, 1.0 / ((ah + bh) * TEMPERATURE_FACTOR)


@njit(cache=True)
def _k_rates(v):
    """Steady state and time constant (ms) of the K gate n at v."""
    an = 0.02 * _trap(v - 25.0, 9.0)
    bn = 0.002 * _trap(-(v - 25.0), 9.0)
    return an / (an + bn), 1.0 / ((an + bn) * TEMPERATURE_FACTOR)


@njit(cache=True)
def _steady_gates_jit(v, m, h, n):
    for j in range(v.shape[0]):
        m[j], _, h[j], _ = _na_rates(v[j])
        n[j], _ = _k_rates(v[j])


def _steady_gates(v: np.ndarray):
    m, h, n = np.zeros_like(v), np.zeros_like(v), np.zeros_like(v)
    _steady_gates_jit(v, m, h, n)
    return m, h, n


@njit(cache=True)
def _cm_update(t0, m, slots, off, dt, buf, rbuf, ridx, cur, base, cp, parent, cstart, rstart, rp, rcomp, state, g,
               vth, recmap, rec_row, rec_out, spk_i, spk_t):  # fmt: skip
    n = cstart.shape[0] - 1
    nc = cp.shape[0]
    diag = np.empty(nc)
    off_p = np.empty(nc)
    rhs = np.empty(nc)
    inj = np.zeros(nc)
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        for i in range(n):
            gi = off + i
            c0, c1 = cstart[i], cstart[i + 1]
            # Input currents: compartment 0 through the current buffer, the others through
            # their planes after the spike receptors'.
            inj[c0] = cur[slot, gi]
            cur[slot, gi] = 0.0
            for c in range(c0 + 1, c1):
                q = base + (c - c0) - 1
                inj[c] = rbuf[q, slot, ridx[gi]]
                rbuf[q, slot, ridx[gi]] = 0.0
            # 1. gates at the potential of the step's start; the linearised currents.
            for c in range(c0, c1):
                v = state[c, V]
                if cp[c, 4] > GATE_MIN:
                    m_inf, tau_m, h_inf, tau_h = _na_rates(v)
                    state[c, M] = m_inf + (state[c, M] - m_inf) * math.exp(-dt / tau_m)
                    state[c, H] = h_inf + (state[c, H] - h_inf) * math.exp(-dt / tau_h)
                if cp[c, 6] > GATE_MIN:
                    n_inf, tau_n = _k_rates(v)
                    state[c, N] = n_inf + (state[c, N] - n_inf) * math.exp(-dt / tau_n)
                g_na = cp[c, 4] * state[c, M] ** 3 * state[c, H] if cp[c, 4] > GATE_MIN else 0.0
                g_k = cp[c, 6] * state[c, N] if cp[c, 6] > GATE_MIN else 0.0
                gsum = cp[c, 2] + g_na + g_k
                # C/dt (v1 - v0) = i0 + dI (v1 - v0) / 2 summed over the currents, with
                # i0 = sum g (e - v0) and dI = -sum g for the linear ones.
                i0 = cp[c, 2] * (cp[c, 3] - v) + g_na * (cp[c, 5] - v) + g_k * (cp[c, 7] - v) + inj[c]
                diag[c] = cp[c, 0] / dt + gsum / 2.0
                rhs[c] = cp[c, 0] / dt * v + i0 + gsum / 2.0 * v
                off_p[c] = 0.0
            # 2. receptors: decay, then their currents.
            for r in range(rstart[i], rstart[i + 1]):
                c = rcomp[r]
                v = state[c, V]
                g[r, 0] *= rp[r, 2]
                g[r, 1] *= rp[r, 3]
                g[r, 2] *= rp[r, 7]
                g[r, 3] *= rp[r, 8]
                ga = (g[r, 0] + g[r, 1]) * rp[r, 0]
                gn = (g[r, 2] + g[r, 3]) * rp[r, 5]
                ex = math.exp(-0.1 * v)
                block = 1.0 / (1.0 + 0.3 * ex)
                dblock = 0.03 * ex * block * block
                i0 = ga * (rp[r, 4] - v) + gn * block * (rp[r, 9] - v)
                dI = -ga + gn * (dblock * (rp[r, 9] - v) - block)
                diag[c] -= dI / 2.0
                rhs[c] += i0 - dI / 2.0 * v
            # 3. coupling to the parent, then elimination from the leaves to the root.
            for c in range(c0 + 1, c1):
                p = parent[c]
                gc = cp[c, 1]
                diag[c] += gc / 2.0
                diag[p] += gc / 2.0
                off_p[c] = -gc / 2.0
                rhs[c] += gc / 2.0 * (state[p, V] - state[c, V])
                rhs[p] += gc / 2.0 * (state[c, V] - state[p, V])
            for c in range(c1 - 1, c0, -1):
                p = parent[c]
                f = off_p[c] / diag[c]
                diag[p] -= f * off_p[c]
                rhs[p] -= f * rhs[c]
            v_soma = state[c0, V]
            state[c0, V] = rhs[c0] / diag[c0]
            for c in range(c0 + 1, c1):
                state[c, V] = (rhs[c] - off_p[c] * state[parent[c], V]) / diag[c]
            # 4. this step's spikes.
            for r in range(rstart[i], rstart[i + 1]):
                q = r - rstart[i]
                if q == 0:
                    w = buf[0, slot, gi] + buf[1, slot, gi]
                    buf[0, slot, gi] = 0.0
                    buf[1, slot, gi] = 0.0
                else:
                    w = rbuf[q - 1, slot, ridx[gi]]
                    rbuf[q - 1, slot, ridx[gi]] = 0.0
                if w != 0.0:
                    wa = w * rp[r, 1]
                    wn = w * rp[r, 6]
                    g[r, 0] -= wa
                    g[r, 1] += wa
                    g[r, 2] -= wn
                    g[r, 3] += wn
            if rstart[i] == rstart[i + 1]:
                buf[0, slot, gi] = 0.0
                buf[1, slot, gi] = 0.0
            # 5. a spike when the soma crosses the threshold from below.
            if v_soma < vth[i] <= state[c0, V]:
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                cnt += 1
            row = rec_row[i]
            if row >= 0:
                for q in range(recmap.shape[1]):
                    what = recmap[i, q, 0]
                    j = recmap[i, q, 1]
                    if what < 0:
                        rec_out[row, q, k] = np.nan
                    elif what <= N:
                        rec_out[row, q, k] = state[j, what]
                    else:
                        rec_out[row, q, k] = g[j, what - GR_A]
        slot = slot + 1 if slot + 1 < slots else 0
    return cnt
