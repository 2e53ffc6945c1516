"""``pp_cond_exp_mc_urbanczik``: the two-compartment point-process neuron of Urbanczik &
Senn (2014), as NEST 3.10 has it.

A soma (``s``) with exponentially decaying excitatory and inhibitory conductances and a
dendrite (``p``) with exponentially decaying currents, coupled by ``g_sp`` (dendrite to
soma) and ``g_ps`` (soma to dendrite):

    C_s dV_s/dt = -g_L,s (V_s - E_L,s) - g_ex (V_s - E_ex) - g_in (V_s - E_in) + g_sp (V_p - V_s) + I_stim,s + I_e,s
    C_p dV_p/dt = -g_L,p (V_p - E_L,p) + I_ex,p + I_in,p + g_ps (V_s - V_p)

(NEST's dendrite takes neither its ``I_e`` nor current input.) Spikes add their weight to
``g_ex``/``g_in`` (ports ``soma_exc`` 1, ``soma_inh`` 2) or to ``I_ex,p`` / minus it to
``I_in,p`` (``dendritic_exc`` 3, ``dendritic_inh`` 4) at the end of the step; currents go to
``soma_curr`` 5 and ``dendritic_curr`` 6. The adaptive Runge-Kutta-Fehlberg kernel of the
receptor-port models integrates it (absolute error 1e-3, NEST's internal steps).

Escape noise: after each step, outside its dead time ``t_ref``, the soma fires with
probability ``1 - exp(-phi(V_s) h)``, ``phi(u) = phi_max / (1 + rate_slope exp(beta (theta -
u)))`` (with ``t_ref`` 0: a Poisson number of spikes, one event with that multiplicity). The
membrane is never reset, so the potentials do not depend on the spikes: they are NEST's to
its precision, the spikes agree in distribution (counter-based streams per neuron, keyed by
id and step, ``engine/rng.py``). After each step the neuron hands its dendritic potential and
spike count to the Urbanczik archive (``engine/plasticity_voltage.py``) that
``urbanczik_synapse`` reads.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ...engine import rng
from ...engine.jit import threaded_kernel
from ...errors import NESTErrors
from ..base import Param, archiving_params, require
from ._adaptive import p
from ._rk45_ports import PortModel, port_kernel
from .iaf_cond_mc import CompartmentStatus
from .pp import poisson_small, stream_keys

COMPARTMENTS = (("soma", "s"), ("dendritic", "p"))
_DEFAULTS = {
    "soma": {"C_m": 300.0, "E_L": -70.0, "E_ex": 0.0, "E_in": -75.0, "I_e": 0.0, "V_m": -70.0, "g_L": 30.0,
             "tau_syn_ex": 3.0, "tau_syn_in": 3.0},
    "dendritic": {"C_m": 300.0, "E_L": -70.0, "E_ex": 0.0, "E_in": 0.0, "I_e": 0.0, "V_m": -70.0, "g_L": 30.0,
                  "tau_syn_ex": 3.0, "tau_syn_in": 3.0},
}  # fmt: skip
# Parameter row: coupling, then per compartment g_L, E_L, E_ex, E_in, C_m, tau_syn_ex,
# tau_syn_in, I_e, then the latched currents (receptor 0, unused; soma; dendrite).
COMP_KEYS = ("g_L", "E_L", "E_ex", "E_in", "C_m", "tau_syn_ex", "tau_syn_in", "I_e")
G_SP, G_PS = range(2)
BASE = 2
NCOL = len(COMP_KEYS)
SOMA, DEND = BASE, BASE + NCOL
CUR_COL = BASE + 2 * NCOL
# State: V_m.s, g_ex.s, g_in.s, V_m.p, I_ex.p, I_in.p.
VS, GEX, GIN, VP, IEX, IIN = range(6)


@njit(cache=True)
def _rhs(y, f, p, i, refr, i_stim):
    v = y[VS]
    v_p = y[VP]
    i_l = p[i, SOMA] * (v - p[i, SOMA + 1])
    i_ex = y[GEX] * (v - p[i, SOMA + 2])
    i_in = y[GIN] * (v - p[i, SOMA + 3])
    i_conn_ps = p[i, G_SP] * (v_p - v)
    f[VS] = (-i_l - i_ex - i_in + i_conn_ps + p[i, CUR_COL + 1] + p[i, SOMA + 7]) / p[i, SOMA + 4]
    f[GEX] = -y[GEX] / p[i, SOMA + 5]
    f[GIN] = -y[GIN] / p[i, SOMA + 6]
    f[VP] = (-p[i, DEND] * (v_p - p[i, DEND + 1]) + y[IEX] + y[IIN] + p[i, G_PS] * (v - v_p)) / p[i, DEND + 4]
    f[IEX] = -y[IEX] / p[i, DEND + 5]
    f[IIN] = -y[IIN] / p[i, DEND + 6]


@njit(cache=True)
def _inner(y, p, i, r, ref):
    return r, 0


@njit(cache=True)
def _outer(y, p, i, r, ref, v_old):
    # Spikes and dead time are drawn after the slice (_draw_spikes): V is never reset.
    return r, 0


@njit(cache=True)
def _receive(y, p, i, r, w):
    y[GEX] += w[0]
    y[GIN] += w[1]
    y[IEX] += w[2]
    y[IIN] -= w[3]


@njit(cache=True)
def _record(y, y_last, p, i, r, dt, out, row, k):
    # NEST's (sorted) order: I_ex.p, I_in.p, V_m.p, V_m.s, g_ex.s, g_in.s.
    out[row, 0, k] = y[IEX]
    out[row, 1, k] = y[IIN]
    out[row, 2, k] = y[VP]
    out[row, 3, k] = y[VS]
    out[row, 4, k] = y[GEX]
    out[row, 5, k] = y[GIN]


@threaded_kernel
def _draw_spikes(n_chunks, rec, keys, dead, ref, rate, t_ref_pos, t0, m, h, spk_i, spk_t, spk_mult, spk_off,
                 n_spikes):  # fmt: skip
    """Escape-noise spikes of a slice from the recorded somatic potentials (``rec[:, 3]``)."""
    n = rec.shape[0]
    cap = spk_i.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        end = spk_off[c + 1] if c + 1 < n_chunks else cap
        base = spk_off[c]
        cnt = 0
        for k in range(m):
            for i in range(lo, hi):
                n_spikes[i, k] = 0.0
                if dead[i] > 0:
                    dead[i] -= 1
                    continue
                lam = 1000.0 * _phi(rec[i, 3, k], rate, i) * h * 1e-3
                if lam <= 0.0:
                    continue
                key = rng.counter_key(keys[i], t0 + k)
                if t_ref_pos[i]:
                    k_sp = 1 if rng.uniform(key, 0) <= -math.expm1(-lam) else 0
                else:
                    k_sp = poisson_small(key, 0, lam)
                if k_sp > 0:
                    dead[i] = ref[i]
                    n_spikes[i, k] = k_sp
                    if base + cnt < end:
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        spk_mult[base + cnt] = k_sp
                        cnt += 1
        counts[c] = cnt
    return counts


@njit(inline="always", cache=True)
def _phi(u, rate, i):
    return rate[i, 0] / (1.0 + rate[i, 1] * math.exp(rate[i, 2] * (rate[i, 3] - u)))


class PpCondExpMcUrbanczik(CompartmentStatus, PortModel):
    """Two-compartment (soma, dendrite) point-process neuron for the Urbanczik-Senn rule."""

    name = "pp_cond_exp_mc_urbanczik"
    elementsize = 1064
    compartments = COMPARTMENTS
    archive = "urbanczik"
    status_note = (
        "adaptive RKF45 (NEST's steps), escape noise from counter-based streams; traces equal NEST's, "
        "spikes by statistics (`tests/test_models_clopath.py`)"
    )
    params = {
        **archiving_params(),
        "t_ref": p(3.0, "Duration of the dead time after a spike", "ms"),
        "phi_max": p(0.15, "Maximal firing rate", "1/ms"),
        "rate_slope": p(0.5, "Slope factor of the rate function"),
        "beta": p(1.0 / 3.0, "Steepness of the rate function", "1/mV"),
        "theta": p(-55.0, "Midpoint of the rate function", "mV"),
        "g_sp": p(600.0, "Conductance from the dendrite to the soma", "nS"),
        "g_ps": p(0.0, "Conductance from the soma to the dendrite", "nS"),
        **{
            comp: Param(dict(_DEFAULTS[comp]), kind="compartment", doc=f"Parameters and V_m of the {comp} compartment")
            for comp, _ in COMPARTMENTS
        },
    }
    recordables = ("I_ex.p", "I_in.p", "V_m.p", "V_m.s", "g_ex.s", "g_in.s")
    receptor_types = {"soma_exc": 1, "soma_inh": 2, "dendritic_exc": 3, "dendritic_inh": 4, "soma_curr": 5,
                      "dendritic_curr": 6}  # fmt: skip
    state_names = ("V_m.s", "g_ex.s", "g_in.s", "V_m.p", "I_ex.p", "I_in.p")
    spike_ports = 4
    current_ports = 2
    cur_col = CUR_COL
    kernel = port_kernel("pp_cond_exp_mc_urbanczik", 6, _rhs, _inner, _outer, _receive, _record, 4, 2, CUR_COL)

    def check(self, v, n, gid):
        self.apply_partials(v)
        super().check(v, n, gid)
        require(v["rate_slope"] >= 0, self, gid, "Rate slope cannot be negative.")
        require(v["phi_max"] >= 0, self, gid, "Maximum rate cannot be negative.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time cannot be negative.")
        for comp, s in COMPARTMENTS:
            require(v[f"C_m.{s}"] > 0, self, gid, f"Capacitance ({comp}) must be strictly positive.")
            require(
                (v[f"tau_syn_ex.{s}"] > 0) & (v[f"tau_syn_in.{s}"] > 0),
                self,
                gid,
                "All time constants must be strictly positive.",
            )

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        """Spikes to ports 1-4, currents to 5-6, recording requests to 0 (NEST's words)."""
        if port > 6:
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")
        ok = {"SpikeEvent": 1 <= port <= 4, "CurrentEvent": 5 <= port <= 6}.get(event, port == 0)
        if not ok:
            raise NESTErrors.IncompatibleReceptorType(f"Receptor type {port} in {self.name} does not accept {event}.")

    @staticmethod
    def reported_receptor(ports: np.ndarray) -> np.ndarray:
        """The ``receptor`` of a connection as NEST reports it: counted from 0 within the
        spike ports (1-4) or the current ports (5-6)."""
        return np.where(ports <= 4, ports - 1, ports - 5)

    # ----- kernel ------------------------------------------------------------------
    def error_bound(self, v):
        return np.full(len(v["t_ref"]), 1e-3)

    def param_matrix(self, v, h):
        cols = [v["g_sp"], v["g_ps"]]
        cols += [v[f"{k}.{s}"] for _, s in COMPARTMENTS for k in COMP_KEYS]
        cols += [np.zeros(len(v["t_ref"]))] * 3
        return np.column_stack([np.asarray(c, dtype=np.float64) for c in cols])

    def prepare(self, group, kernel):
        super().prepare(group, kernel)
        a, v = group.aux, group.values
        n = group.n
        a["spk_mult"] = np.zeros(a["spk_cap"])
        a["keys"] = stream_keys(kernel, group)
        if a.get("dead") is None or len(a["dead"]) != n:
            a["dead"] = np.zeros(n, dtype=np.int64)
        a["rate"] = np.ascontiguousarray(np.column_stack([v["phi_max"], v["rate_slope"], v["beta"], v["theta"]]))
        a["t_ref_pos"] = np.asarray(v["t_ref"]) > 0
        a["all_rows"] = np.arange(n, dtype=np.int64)
        a["all_out"] = np.zeros((n, len(self.recordables), kernel.slice_steps))
        a["n_spikes"] = np.zeros((n, kernel.slice_steps))
        from ...engine import plasticity_voltage as pv

        pv.archive(kernel, pv.UrbanczikArchive).sync(kernel, group, {
            pv.G_SP: v["g_sp"], pv.GL_S: v["g_L.s"], pv.EL_S: v["E_L.s"], pv.PHI_MAX: v["phi_max"],
            pv.SLOPE: v["rate_slope"], pv.BETA: v["beta"], pv.THETA: v["theta"], pv.GL_D: v["g_L.p"],
            pv.C_D: v["C_m.p"], pv.TAU_EX_D: v["tau_syn_ex.p"], pv.TAU_IN_D: v["tau_syn_in.p"],
        })  # fmt: skip

    def update(self, group, kernel, t0, m):
        from ...engine import plasticity_voltage as pv

        a = group.aux
        # Record every node's state (the spikes are drawn from V_m.s, the archive reads V_m.p),
        # then give the multimeters their rows.
        rec_row, rec_out = a["rec_row"], a["rec_out"]
        a["rec_row"], a["rec_out"] = a["all_rows"], a["all_out"]
        try:
            super().update(group, kernel, t0, m)
        finally:
            a["rec_row"], a["rec_out"] = rec_row, rec_out
        out = a["all_out"]
        sel = rec_row >= 0
        if sel.any():
            rec_out[rec_row[sel], :, :m] = out[sel, :, :m]
        counts = _draw_spikes(kernel.n_chunks(group), out, a["keys"], a["dead"], a["ref_counts"], a["rate"],
                              a["t_ref_pos"], t0, m, kernel.h, a["spk_i"], a["spk_t"], a["spk_mult"], a["spk_off"],
                              a["n_spikes"])  # fmt: skip
        kernel.collect_spikes(group, counts)
        if any(s.model.family == pv.URBANCZIK for s in kernel.plastic_stores.values()):
            pv.archive(kernel, pv.UrbanczikArchive).write(kernel, group.offset, group.n, out[:, 2, :],
                                                          a["n_spikes"], t0, m)  # fmt: skip


MODELS = [PpCondExpMcUrbanczik]
