"""``astrocyte_lr_1994``: the calcium dynamics of an astrocyte (Li and Rinzel 1994, with the
IP3 production of De Young and Keizer 1992 and the slow inward current of Nadkarni and Jung
2003), integrated by the adaptive Runge-Kutta-Fehlberg kernel.

State: IP3 concentration, cytosolic calcium ``Ca_astro`` and the fraction ``h_IP3R`` of IP3
receptors not inactivated (all in µM or fractions, time in ms)::

    dIP3/dt = (IP3_0 - IP3) / tau_IP3
    dCa/dt  = J_channel - J_pump + J_leak
    dh/dt   = k_IP3R (Kd_inh (IP3 + Kd_IP3_1) / (IP3 + Kd_IP3_2) (1 - h) - Ca h)

with the calcium of the endoplasmic reticulum ``(Ca_tot - Ca) / ratio_ER_cyt``, the
channel flux ``ratio_ER_cyt rate_IP3R m^3 n^3 h^3 (Ca_ER - Ca)`` (``m = IP3 / (IP3 +
Kd_IP3_1)``, ``n = Ca / (Ca + Kd_act)``), the leak ``ratio_ER_cyt rate_L (Ca_ER - Ca)`` and
the SERCA pump ``rate_SERCA Ca^2 / (Km_SERCA^2 + Ca^2)``. A spike of weight w raises IP3 by
``delta_IP3 w`` at the end of its step. The astrocyte does not spike.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import require
from ._adaptive import AdaptiveModel, p
from ._rk45 import adaptive_kernel, no_event
from .aeif import AeifCondAlpha

(IP3_0, TAU_IP3, CA_TOT, RATIO, RATE_IP3R, RATE_L, RATE_SERCA, KM_SERCA, KD_IP3_1, KD_IP3_2, KD_ACT, KD_INH,
 K_IP3R, DELTA_IP3) = range(14)  # fmt: skip
_COLUMNS = ("IP3_0", "tau_IP3", "Ca_tot", "ratio_ER_cyt", "rate_IP3R", "rate_L", "rate_SERCA", "Km_SERCA",
            "Kd_IP3_1", "Kd_IP3_2", "Kd_act", "Kd_inh", "k_IP3R", "delta_IP3")  # fmt: skip


@njit(cache=True)
def _rhs(y, f, p, i, refr, i_stim):
    ip3 = y[0]
    ca = y[1]
    h = y[2]
    ratio = p[i, RATIO]
    ca_er = (p[i, CA_TOT] - ca) / ratio
    m_inf = ip3 / (ip3 + p[i, KD_IP3_1])
    n_inf = ca / (ca + p[i, KD_ACT])
    gate = m_inf * n_inf * h
    j_channel = ratio * p[i, RATE_IP3R] * gate * gate * gate * (ca_er - ca)
    j_leak = ratio * p[i, RATE_L] * (ca_er - ca)
    km = p[i, KM_SERCA]
    j_pump = p[i, RATE_SERCA] * ca * ca / (km * km + ca * ca)
    q2 = p[i, KD_INH] * (ip3 + p[i, KD_IP3_1]) / (ip3 + p[i, KD_IP3_2])
    f[0] = (p[i, IP3_0] - ip3) / p[i, TAU_IP3]
    f[1] = j_channel - j_pump + j_leak
    f[2] = p[i, K_IP3R] * (q2 * (1.0 - h) - ca * h)


@njit(cache=True)
def _outer(y, p, i, r, ref, v_old):
    return r, 0


@njit(cache=True)
def _receive(y, p, i, r, w_exc, w_inh):
    y[0] += p[i, DELTA_IP3] * (w_exc + w_inh)


def _range(key, low, msg, strict=True):
    return (lambda v: np.asarray(v[key]) > low) if strict else (lambda v: np.asarray(v[key]) >= low), msg


class AstrocyteLr1994(AdaptiveModel):
    """An astrocyte's IP3 and calcium; sends its slow inward current along ``sic_connection``."""

    name = "astrocyte_lr_1994"
    elementsize = 448
    secondary_out = ("sic",)
    sends_spikes = False
    status_note = "adaptive Runge-Kutta-Fehlberg 4(5), NEST's steps (`tests/test_models_astro.py`)"
    params = {
        "IP3": p(0.16, "IP3 concentration in the astrocytic cytosol", "µM", state=True),
        "Ca_astro": p(0.073, "Calcium concentration in the astrocytic cytosol", "µM", state=True),
        "h_IP3R": p(0.793, "Fraction of IP3 receptors on the ER not inactivated by calcium", state=True),
        "Ca_tot": p(2.0, "Total free calcium in terms of cytosolic volume", "µM"),
        "IP3_0": p(0.16, "Baseline IP3 concentration", "µM"),
        "Kd_IP3_1": p(0.13, "First IP3R dissociation constant of IP3", "µM"),
        "Kd_IP3_2": p(0.9434, "Second IP3R dissociation constant of IP3", "µM"),
        "Kd_act": p(0.08234, "IP3R dissociation constant of calcium (activation)", "µM"),
        "Kd_inh": p(1.049, "IP3R dissociation constant of calcium (inhibition)", "µM"),
        "Km_SERCA": p(0.1, "Activation constant of the SERCA pump", "µM"),
        "SIC_scale": p(1.0, "Scale of the slow inward current"),
        "SIC_th": p(0.19669, "Calcium above which the slow inward current flows", "µM"),
        "delta_IP3": p(0.0002, "IP3 added per unit of spike weight", "µM"),
        "k_IP3R": p(0.0002, "IP3R binding constant for calcium inhibition", "1/(µM ms)"),
        "rate_IP3R": p(0.006, "Maximum rate of calcium release through IP3R", "1/ms"),
        "rate_L": p(0.00011, "Rate of the calcium leak from the ER", "1/ms"),
        "rate_SERCA": p(0.0009, "Maximum rate of calcium uptake by the SERCA pump", "µM/ms"),
        "ratio_ER_cyt": p(0.185, "Ratio of ER to cytosol volume"),
        "tau_IP3": p(7142.0, "Time constant of the decay of IP3", "ms"),
    }
    recordables = ("Ca_astro", "IP3", "h_IP3R")
    state_names = ("IP3", "Ca_astro", "h_IP3R")
    kernel = adaptive_kernel("astrocyte_lr_1994", 3, _rhs, no_event, _outer, _receive)
    # NEST's words, in NEST's order of checks (measured).
    checks = (
        _range(
            "Ca_tot", 0.0, "Total free astrocytic calcium concentration in terms of cytosolic volume must be positive."
        ),  # fmt: skip
        _range("IP3_0", 0.0, "Baseline value of the astrocytic IP3 concentration must be non-negative.", False),
        _range("Kd_IP3_1", 0.0, "First astrocytic IP3R dissociation constant of IP3 must be positive."),
        _range("Kd_IP3_2", 0.0, "Second astrocytic IP3R dissociation constant of IP3 must be positive."),
        _range("Kd_act", 0.0, "Astrocytic IP3R dissociation constant of calcium (activation) must be positive."),
        _range(
            "Kd_inh", 0.0, "Astrocytic IP3R dissociation constant of calcium (inhibition) must be non-negative.", False
        ),  # fmt: skip
        _range("Km_SERCA", 0.0, "Activation constant of astrocytic SERCA pump must be positive."),
        _range("SIC_scale", 0.0, "Parameter determining the scale of astrocytic SIC output must be positive."),
        _range(
            "SIC_th",
            0.0,
            "Threshold that determines the minimal level of intracellular astrocytic calcium "
            "sufficient to induce SIC must be non-negative.",
            False,
        ),  # fmt: skip
        _range(
            "delta_IP3",
            0.0,
            "Parameter determining the increase in astrocytic IP3 concentration induced by "
            "synaptic input must be non-negative.",
            False,
        ),  # fmt: skip
        _range("k_IP3R", 0.0, "Astrocytic IP3R binding constant for calcium inhibition must be non-negative.", False),
        _range("rate_IP3R", 0.0, "Maximum rate of calcium release via astrocytic IP3R must be non-negative.", False),
        _range(
            "rate_L", 0.0, "Rate constant of calcium leak from astrocytic ER to cytosol must be non-negative.", False
        ),  # fmt: skip
        _range(
            "rate_SERCA", 0.0, "Maximum rate of calcium uptake by astrocytic SERCA pump must be non-negative.", False
        ),  # fmt: skip
        _range("ratio_ER_cyt", 0.0, "Ratio between astrocytic ER and cytosol volumes must be positive."),
        _range("tau_IP3", 0.0, "Time constant of the exponential decay of astrocytic IP3 must be positive."),
        _range("Ca_astro", 0.0, "Calcium concentration must be non-negative.", False),
        _range("IP3", 0.0, "IP3 concentration must be non-negative.", False),
        (
            lambda v: (np.asarray(v["h_IP3R"]) >= 0.0) & (np.asarray(v["h_IP3R"]) <= 1.0),
            "The fraction of active IP3 receptors on the astrocytic ER must be between 0 and 1.",
        ),  # fmt: skip
    )

    def check(self, v, n, gid):
        for cond, msg in self.checks:
            require(cond(v), self, gid, msg)

    def param_matrix(self, v, h):
        n = len(v["IP3"])
        return np.column_stack([np.broadcast_to(np.asarray(v[k], dtype=np.float64), (n,)) for k in _COLUMNS])

    def update(self, group, kernel, t0, m):
        sic = getattr(kernel, "sic", None)
        if sic is None or not sic.sends(group):
            return super().update(group, kernel, t0, m)
        # The current of every step goes out: the slice is integrated step by step, each
        # step's recording written into its column of the slice's recording buffer.
        a = group.aux
        rec = a["rec_out"]
        scale = np.ascontiguousarray(group.values["SIC_scale"], dtype=np.float64)
        threshold = np.ascontiguousarray(group.values["SIC_th"], dtype=np.float64)
        one = np.zeros(rec.shape[:2] + (1,))
        try:
            a["rec_out"] = one
            for k in range(m):
                super().update(group, kernel, t0 + k, 1)
                rec[:, :, k] = one[:, :, 0]
                sic.emit(kernel, group, t0 + k, a["S"][:, 1], scale, threshold)
        finally:
            a["rec_out"] = rec

    def error_bound(self, v):
        return np.full(len(v["IP3"]), 1e-3)

    def refractory_steps(self, v, h):
        return np.zeros(len(v["IP3"]), dtype=np.int64)


class AeifCondAlphaAstro(AeifCondAlpha):
    """``aeif_cond_alpha`` taking an astrocyte's slow inward current (``I_SIC``) along
    ``sic_connection``, latched with the other input currents (``engine/sic.py``)."""

    name = "aeif_cond_alpha_astro"
    elementsize = 840
    recordables = ("I_SIC", "V_m", "g_ex", "g_in", "w")
    secondary_in = ("sic",)
    status_note = (
        "adaptive Runge-Kutta-Fehlberg 4(5), NEST's steps; SIC as input current (`tests/test_models_astro.py`)"
    )

    def update(self, group, kernel, t0, m):
        super().update(group, kernel, t0, m)
        sic = getattr(kernel, "sic", None)
        if sic is None:
            return
        currents = sic.take(group, t0, m, kernel.slots)
        rows = group.aux.get("rec_row")
        if rows is not None:
            sel = np.flatnonzero(rows >= 0)
            group.aux["rec_out"][rows[sel], 0, :m] = currents[sel]
