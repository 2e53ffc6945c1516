"""``iaf_cond_alpha_mc``: a three-compartment leaky integrate-and-fire neuron with
alpha-shaped conductances, as NEST 3.10 has it.

Soma, proximal and distal dendrite are chained by the conductances ``g_sp`` (soma -
proximal) and ``g_pd`` (proximal - distal); each compartment has its own capacitance,
leak, reversal potentials, synaptic time constants, constant current ``I_e``, an
excitatory and an inhibitory receptor and a current receptor:

    C_m dV_c/dt = -g_L (V_c - E_L) - g_ex (V_c - E_ex) - g_in (V_c - E_in)
                  - I_conn,c + I_stim,c + I_e,c

Receptor ports (NEST's ``receptor_types``): ``soma_exc`` 1, ``soma_inh`` 2,
``proximal_exc`` 3, ``proximal_inh`` 4, ``distal_exc`` 5, ``distal_inh`` 6 take spikes
(a weight of w nS gives a conductance peaking at w nS ``tau_syn`` later), ``soma_curr``
7, ``proximal_curr`` 8, ``distal_curr`` 9 take currents.

Only the soma spikes: at the end of a step at or above ``V_th`` it is reset to
``V_reset`` and held there for ``t_ref``. As in NEST, during that time no compartment's
membrane potential moves (the refractory flag freezes all three), and outside it the
soma's own currents see its potential clipped at ``V_th``.

Status: the per-compartment values are the dictionaries ``soma``, ``proximal``,
``distal`` (``C_m``, ``E_L``, ``E_ex``, ``E_in``, ``I_e``, ``V_m``, ``g_L``,
``tau_syn_ex``, ``tau_syn_in``); setting one changes only the keys it names. Nodes keep
them as one array per key and compartment (``values["C_m.s"]``...), the dictionaries are
views of those arrays.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ...errors import NESTErrors, TypeMismatch
from ..base import Param, archiving_params, require
from ._adaptive import p
from ._rk45 import iaf_outer
from ._rk45_ports import PortModel, port_kernel

COMPARTMENTS = (("soma", "s"), ("proximal", "p"), ("distal", "d"))
# Per-compartment keys, in the order of the parameter row's block of each compartment.
COMP_KEYS = ("g_L", "E_L", "E_ex", "E_in", "C_m", "tau_syn_ex", "tau_syn_in", "I_e")
_DEFAULTS = {
    "soma": {"C_m": 150.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -85.0, "I_e": 0.0, "V_m": -70.0, "g_L": 10.0,
             "tau_syn_ex": 0.5, "tau_syn_in": 2.0},
    "proximal": {"C_m": 75.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -85.0, "I_e": 0.0, "V_m": -70.0, "g_L": 5.0,
                 "tau_syn_ex": 0.5, "tau_syn_in": 2.0},
    "distal": {"C_m": 150.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -85.0, "I_e": 0.0, "V_m": -70.0, "g_L": 10.0,
               "tau_syn_ex": 0.5, "tau_syn_in": 2.0},
}  # fmt: skip
_STATUS_KEYS = sorted(_DEFAULTS["soma"])

# Parameter row: V_th, V_reset (where _rk45.iaf_outer reads them), g_sp, g_pd, then 8
# columns per compartment (COMP_KEYS), then the latched currents (receptor 0, unused,
# and one per compartment).
V_TH, V_RESET, G_SP, G_PD = range(4)
BASE = 4
NCOL = len(COMP_KEYS)
CUR_COL = BASE + 3 * NCOL
# State: per compartment V_m, dg_ex, g_ex, dg_in, g_in (NEST's layout).
NSTATE = 5


class _Partial(dict):
    """A compartment dictionary given to ``SetStatus``: the keys it names change."""


class _Compartment:
    """The status dictionary of one compartment, per node, over the group's arrays."""

    __slots__ = ("values", "suffix")

    def __init__(self, values: dict, suffix: str):
        self.values = values
        self.suffix = suffix

    def __len__(self):
        return len(self.values[f"V_m.{self.suffix}"])

    def __getitem__(self, i):
        return {k: float(self.values[f"{k}.{self.suffix}"][i]) for k in _STATUS_KEYS}

    def __setitem__(self, i, d):
        for k, x in d.items():
            key = f"{k}.{self.suffix}"
            if key in self.values:
                self.values[key][i] = x


@njit(cache=True)
def _rhs(y, f, p, i, refr, i_stim):
    v_s = p[i, V_RESET] if refr else min(y[0], p[i, V_TH])
    v_p = y[NSTATE]
    v_d = y[2 * NSTATE]
    g_sp = p[i, G_SP]
    g_pd = p[i, G_PD]
    for c in range(3):
        b = BASE + NCOL * c
        o = NSTATE * c
        if c == 0:
            v = v_s
            i_conn = g_sp * (v - v_p)
        elif c == 1:
            v = v_p
            # The proximal compartment sees the soma's state, not its clipped value.
            i_conn = g_sp * (v - y[0]) + g_pd * (v - v_d)
        else:
            v = v_d
            i_conn = g_pd * (v - v_p)
        if refr:
            f[o] = 0.0
        else:
            i_l = p[i, b] * (v - p[i, b + 1])
            i_ex = y[o + 2] * (v - p[i, b + 2])
            i_in = y[o + 4] * (v - p[i, b + 3])
            f[o] = (-i_l - i_ex - i_in - i_conn + p[i, CUR_COL + 1 + c] + p[i, b + 7]) / p[i, b + 4]
        f[o + 1] = -y[o + 1] / p[i, b + 5]
        f[o + 2] = y[o + 1] - y[o + 2] / p[i, b + 5]
        f[o + 3] = -y[o + 3] / p[i, b + 6]
        f[o + 4] = y[o + 3] - y[o + 4] / p[i, b + 6]


@njit(cache=True)
def _inner(y, p, i, r, ref):
    return r, 0


@njit(cache=True)
def _receive(y, p, i, r, w):
    for c in range(3):
        b = BASE + NCOL * c
        o = NSTATE * c
        y[o + 1] += w[2 * c] * np.e / p[i, b + 5]
        y[o + 3] += w[2 * c + 1] * np.e / p[i, b + 6]


@njit(cache=True)
def _record(y, y_last, p, i, r, dt, out, row, k):
    # NEST's (sorted) order: V_m.d, V_m.p, V_m.s, g_ex.d, g_ex.p, g_ex.s, g_in.d, g_in.p,
    # g_in.s, t_ref_remaining.
    for q in range(3):
        o = NSTATE * (2 - q)
        out[row, q, k] = y[o]
        out[row, 3 + q, k] = y[o + 2]
        out[row, 6 + q, k] = y[o + 4]
    out[row, 9, k] = r * dt


class CompartmentStatus:
    """Status of multi-compartment models: per-compartment dictionaries (``compartments``:
    (name, suffix) pairs, each with the keys of ``_STATUS_KEYS``) over arrays per key."""

    compartments: tuple = COMPARTMENTS

    def init_values(self, group) -> None:
        """Replace the per-node dictionaries by arrays per key and their views."""
        v = group.values
        for comp, s in self.compartments:
            d = self.defaults[comp]
            for k in _STATUS_KEYS:
                v[f"{k}.{s}"] = np.full(group.n, float(d[k]))
            v[comp] = _Compartment(v, s)

    def coerce(self, key, value, n):
        if key not in self.defaults or self.params[key].kind != "compartment":
            return super().coerce(key, value, n)
        if not isinstance(value, dict):
            raise TypeMismatch(f"{self.name}: '{key}' expects a dictionary, got {value!r}.")
        out = _Partial()
        for k, x in value.items():
            # NEST ignores keys a compartment does not have.
            if k in _STATUS_KEYS:
                arr = np.asarray(x)
                if arr.dtype.kind not in "fiu" or arr.ndim:
                    raise TypeMismatch(f"{self.name}: '{key}/{k}' expects a number, got {x!r}.")
                out[k] = float(arr)
        return out

    def apply_partials(self, v) -> None:
        """Write the compartment dictionaries given to ``SetStatus`` into the arrays."""
        for comp, s in self.compartments:
            d = v.get(comp)
            if isinstance(d, _Partial):
                for k, x in d.items():
                    v[f"{k}.{s}"][:] = x


class IafCondAlphaMc(CompartmentStatus, PortModel):
    """Three-compartment (soma, proximal, distal) integrate-and-fire neuron with
    alpha-shaped conductances and a spike, an inhibitory and a current receptor per
    compartment."""

    name = "iaf_cond_alpha_mc"
    elementsize = 992
    status_note = "adaptive RKF45 (NEST's steps), receptor ports per compartment (`tests/test_models_ht.py`)"
    params = {
        **archiving_params(),
        "V_th": p(-55.0, "Spike threshold of the soma", "mV"),
        "V_reset": p(-60.0, "Reset potential of the soma", "mV"),
        "t_ref": p(2.0, "Duration of the refractory period", "ms"),
        "g_sp": p(2.5, "Conductance between soma and proximal dendrite", "nS"),
        "g_pd": p(1.0, "Conductance between proximal and distal dendrite", "nS"),
        **{
            comp: Param(dict(_DEFAULTS[comp]), kind="compartment", doc=f"Parameters and V_m of the {comp} compartment")
            for comp, _ in COMPARTMENTS
        },
    }
    recordables = ("V_m.d", "V_m.p", "V_m.s", "g_ex.d", "g_ex.p", "g_ex.s", "g_in.d", "g_in.p", "g_in.s",
                   "t_ref_remaining")  # fmt: skip
    receptor_types = {"soma_exc": 1, "soma_inh": 2, "proximal_exc": 3, "proximal_inh": 4, "distal_exc": 5,
                      "distal_inh": 6, "soma_curr": 7, "proximal_curr": 8, "distal_curr": 9}  # fmt: skip
    state_names = tuple(f"{k}.{s}" for _, s in COMPARTMENTS for k in ("V_m", "dg_ex", "g_ex", "dg_in", "g_in"))
    spike_ports = 6
    current_ports = 3
    cur_col = CUR_COL
    kernel = port_kernel("iaf_cond_alpha_mc", 3 * NSTATE, _rhs, _inner, iaf_outer, _receive, _record, 6, 3, CUR_COL)

    def check(self, v, n, gid):
        self.apply_partials(v)
        super().check(v, n, gid)
        require(v["V_reset"] < v["V_th"], self, gid, "Reset potential must be smaller than threshold.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time cannot be negative.")
        for comp, s in COMPARTMENTS:
            require(v[f"C_m.{s}"] > 0, self, gid, f"Capacitance ({comp}) must be strictly positive.")
            require(
                (v[f"tau_syn_ex.{s}"] > 0) & (v[f"tau_syn_in.{s}"] > 0),
                self,
                gid,
                f"All time constants ({comp}) must be strictly positive.",
            )

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        """Spikes to ports 1-6, currents to 7-9, recording requests to 0 (NEST's words)."""
        if port > 9:
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")
        ok = {"SpikeEvent": 1 <= port <= 6, "CurrentEvent": 7 <= port <= 9}.get(event, port == 0)
        if not ok:
            raise NESTErrors.IncompatibleReceptorType(f"Receptor type {port} in {self.name} does not accept {event}.")

    # ----- kernel ------------------------------------------------------------------
    def error_bound(self, v):
        return np.full(len(v["V_th"]), 1e-3)

    def param_matrix(self, v, h):
        cols = [v["V_th"], v["V_reset"], v["g_sp"], v["g_pd"]]
        cols += [v[f"{k}.{s}"] for _, s in COMPARTMENTS for k in COMP_KEYS]
        cols += [np.zeros(len(v["V_th"]))] * 4
        return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])


MODELS = [IafCondAlphaMc]
