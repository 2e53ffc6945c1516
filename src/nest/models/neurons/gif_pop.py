"""``gif_pop_psc_exp``: a population of ``N`` generalized integrate-and-fire neurons with
escape noise, adaptation and exponential synaptic currents, simulated at the mesoscopic
level of Schwalger, Deger & Gerstner (2017, PLoS Comput Biol 13:e1005507, Figs. 11-12).

One node is one population. It keeps the history of its population activity over
``len_kernel`` steps (chosen from the adaptation kernel when -1, as NEST does, and shown
in the status from the first simulation on): per step since the last spike, the number
of neurons ``m`` that fired then and survived, their variance ``v``, membrane potential
``u`` and escape rate; plus the free neurons (``x``, ``z``) beyond the history. Each step
the expected number of spikes ``mean`` follows from the hazards (trapezoidal rule, as NEST)
and the number of spikes ``n_events`` is a binomial (``BinoRand``) or Poisson deviate of
it; the node sends one spike with that multiplicity. ``V_m`` is the free membrane
potential, ``E_sfa`` the free threshold. NEST's step order and its details are kept,
including the subtraction of ``n[0] theta_tld[0]`` (the history's first slot rather than
the current one) from the free threshold.

Any ``SetStatus`` resets the history at the next simulation (NEST: the state is marked
uninitialized). Draws come from a counter-based stream per node (``engine/rng.py``), so
the activity agrees with NEST's in distribution; with ``lambda_0`` 0 the model is
deterministic and its traces equal NEST's.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...engine import rng
from ..base import Model, Param, require
from ..devices.generators_extra import _binomial
from .pp import check_kernel_lists, poisson_small, stream_keys

# Columns of the scalar state Z.
V_M, I_EX, I_IN, Y0, MEAN, E_SFA, N_SPK, LAM_FREE, X, ZZ, K0 = range(11)
N_SCALARS = 11
# Columns of the parameters Q.
(Q_N, Q_TAU_M, Q_C_M, Q_LAMBDA0, Q_DELTA_V, Q_I_E, Q_V_RESET, Q_V_T, Q_E_L, Q_TAU_EX, Q_TAU_IN, Q_BINO, Q_L,
 Q_KREF) = range(14)  # fmt: skip

_SETTABLE_STATE = ("V_m", "I_syn_ex", "I_syn_in")


class GifPopPscExp(Model):
    """Population of GIF neurons with escape noise, adaptation and exponential PSCs."""

    name = "gif_pop_psc_exp"
    elementsize = 1032
    status_note = (
        "NEST's mesoscopic update (Schwalger et al. 2017), binomial/Poisson draws from counter-based "
        "streams; deterministic traces and rate statistics (`tests/test_models_binary.py`)"
    )
    params = {
        "BinoRand": Param(True, kind="bool", doc="Binomial (True) or Poisson (False) spike counts"),
        "C_m": Param(250.0, doc="Membrane capacitance", unit="pF"),
        "Delta_V": Param(2.0, doc="Noise level of the escape rate", unit="mV"),
        "E_L": Param(0.0, doc="Resting potential", unit="mV"),
        "E_sfa": Param(0.0, state=True, doc="Free adaptive threshold (read only)", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "I_syn_ex": Param(0.0, state=True, doc="Excitatory synaptic current", unit="pA"),
        "I_syn_in": Param(0.0, state=True, doc="Inhibitory synaptic current", unit="pA"),
        "N": Param(100, kind="int", doc="Number of neurons in the population"),
        "V_T_star": Param(15.0, doc="Base threshold", unit="mV"),
        "V_m": Param(0.0, state=True, doc="Free membrane potential", unit="mV"),
        "V_reset": Param(0.0, doc="Reset potential", unit="mV"),
        "lambda_0": Param(10.0, doc="Escape rate at threshold", unit="1/s"),
        "len_kernel": Param(-1, kind="int", doc="Length of the history in steps (-1: automatic)"),
        "mean": Param(0.0, state=True, doc="Expected number of spikes in the last step (read only)"),
        "n_events": Param(0, kind="int", state=True, doc="Number of spikes in the last step (read only)"),
        "q_sfa": Param(np.array([0.5]), kind="floats", doc="Jumps of the adaptation kernels", unit="mV"),
        "t_ref": Param(4.0, doc="Absolute refractory period", unit="ms"),
        "tau_m": Param(20.0, doc="Membrane time constant", unit="ms"),
        "tau_sfa": Param(np.array([300.0]), kind="floats", doc="Time constants of the adaptation", unit="ms"),
        "tau_syn_ex": Param(3.0, doc="Excitatory synaptic time constant", unit="ms"),
        "tau_syn_in": Param(6.0, doc="Inhibitory synaptic time constant", unit="ms"),
    }
    recordables = ("E_sfa", "I_syn_ex", "I_syn_in", "V_m", "mean", "n_events")

    def check(self, v, n, gid):
        tau = check_kernel_lists(self, v, gid, "tau_sfa", "q_sfa")
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        require(v["tau_m"] > 0, self, gid, "The membrane time constants must be strictly positive.")
        require((v["tau_syn_ex"] > 0) & (v["tau_syn_in"] > 0), self, gid,
                "The synaptic time constants must be strictly positive.")  # fmt: skip
        require(np.all(tau > 0), self, gid, "All time constants must be strictly positive.")
        require(v["N"] > 0, self, gid, "Number of neurons must be positive.")
        require(v["lambda_0"] >= 0, self, gid, "lambda_0 must be positive.")
        require(v["Delta_V"] > 0, self, gid, "Delta_V must be strictly positive.")
        require(v["t_ref"] >= 0, self, gid, "Absolute refractory period cannot be negative.")

    def before_set(self, group, idx, key) -> None:
        if key in ("E_sfa", "mean", "n_events"):
            raise self.unknown_key_error(key)
        # NEST marks the state uninitialized on every SetStatus: the history restarts.
        if "init" in group.aux:
            group.aux["init"][np.asarray(idx, dtype=np.int64)] = False

    def prepare(self, group, kernel):
        from ...errors import NESTErrors

        a, v, h = group.aux, group.values, kernel.h
        n = group.n
        taus = [np.atleast_1d(np.asarray(t, dtype=float)) for t in v["tau_sfa"]]
        qs = [np.atleast_1d(np.asarray(x, dtype=float)) for x in v["q_sfa"]]
        if any(len(t) == 0 for t in taus):
            raise NESTErrors.BadProperty("Time constant array should not be empty. ")
        if any(len(x) == 0 for x in qs):
            raise NESTErrors.BadProperty("Adaptation value array should not be empty. ")
        if "init" not in a or len(a["init"]) != n:
            a["init"] = np.zeros(n, bool)
            a["Z"] = np.zeros((n, N_SCALARS))
            a["keys"] = stream_keys(kernel, group)
        Z = a["Z"]
        Z[:, V_M] = v["V_m"]
        Z[:, I_EX] = v["I_syn_ex"]
        Z[:, I_IN] = v["I_syn_in"]
        fresh = ~a["init"]
        # The history length NEST picks (and then shows) when len_kernel < 1.
        for i in np.flatnonzero(fresh & (v["len_kernel"] < 1)):
            v["len_kernel"][i] = _history_size(taus[i], qs[i], float(v["tau_m"][i]), float(v["Delta_V"][i]),
                                               float(v["t_ref"][i]), h)  # fmt: skip
        L = v["len_kernel"].astype(np.int64)
        lmax, kmax = int(L.max()), max(len(t) for t in taus)
        if "hist" not in a or a["hist"].shape[2] < lmax or a["sfa"].shape[2] < kmax:
            hist = np.zeros((n, 7, lmax))  # n, m, v, u, lambda, theta, theta_tld
            sfa = np.zeros((n, 3, kmax))  # g, Q30, Q30K
            if "hist" in a:
                old, olds = a["hist"], a["sfa"]
                hist[:, :, : old.shape[2]] = old
                sfa[:, :, : olds.shape[2]] = olds
            a["hist"], a["sfa"] = hist, sfa
        a["n_sfa"] = np.array([len(t) for t in taus], dtype=np.int64)
        kref = np.rint(np.asarray(v["t_ref"]) / h).astype(np.int64)
        a["Q"] = np.column_stack([v["N"].astype(float), v["tau_m"], v["C_m"], v["lambda_0"], v["Delta_V"], v["I_e"],
                                  v["V_reset"], v["V_T_star"], v["E_L"], v["tau_syn_ex"], v["tau_syn_in"],
                                  v["BinoRand"].astype(float), L.astype(float), kref.astype(float)])  # fmt: skip
        for i in np.flatnonzero(fresh):
            _init_population(a["hist"][i], a["sfa"][i], Z[i], taus[i], qs[i], int(L[i]), int(v["N"][i]),
                             float(v["Delta_V"][i]), h)  # fmt: skip
        a["init"][:] = True
        kernel.reserve_spikes(group, kernel.slice_steps)
        a["spk_mult"] = np.zeros(a["spk_cap"])

    def update(self, group, kernel, t0, m):
        a = group.aux
        count = _gif_pop_update(
            t0, m, kernel.slots, group.offset, kernel.h, kernel.buf, kernel.cur, a["Z"], a["Q"], a["hist"], a["sfa"],
            a["n_sfa"], a["keys"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_mult"],
        )  # fmt: skip
        kernel.collect_spikes(group, np.array([count], dtype=np.int64))

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "Z" in a:
            Z = a["Z"]
            v["V_m"][:] = Z[:, V_M]
            v["I_syn_ex"][:] = Z[:, I_EX]
            v["I_syn_in"][:] = Z[:, I_IN]
            v["E_sfa"][:] = Z[:, E_SFA]
            v["mean"][:] = Z[:, MEAN]
            v["n_events"][:] = Z[:, N_SPK].astype(np.int64)


def _kernel_at(k, taus, qs, h):
    """The adaptation kernel (sum of exponentials, in mV) at a lag of ``k`` steps."""
    out = 0.0
    for t, q in zip(taus, qs):
        out += q * math.exp(-k * h / t)
    return out


def _history_size(taus, qs, tau_m, delta_v, t_ref, h) -> int:
    """NEST's automatic history length: from 20 s down while the kernel is below a tenth
    of ``Delta_V``, not below ``5 tau_m``, longer than ``t_ref``."""
    k = int(20000.0 / h)
    kmin = int(5 * tau_m / h)
    k = _shrink_history(k, kmin, np.asarray(taus, dtype=float), np.asarray(qs, dtype=float), delta_v, h)
    if k * h <= t_ref:
        k = int(t_ref / h) + 1
    return k


@njit(cache=True)
def _shrink_history(k, kmin, taus, qs, delta_v, h):
    while k > kmin:
        theta = 0.0
        for j in range(taus.shape[0]):
            theta += qs[j] * math.exp(-k * h / taus[j])
        if theta / delta_v >= 0.1:
            break
        k -= 1
    return k


def _init_population(hist, sfa, z, taus, qs, L, N, delta_v, h) -> None:
    """NEST's InitPopulations: all neurons fired ``L`` steps ago, nothing since."""
    hist[:] = 0.0
    lags = L - np.arange(L)
    theta = np.zeros(L)
    for t, q in zip(taus, qs):
        theta += q * np.exp(-lags * h / t)
    hist[5, :L] = theta
    hist[6, :L] = delta_v * (1.0 - np.exp(-theta / delta_v)) / N
    hist[0, L - 1] = N
    hist[1, L - 1] = N
    sfa[:] = 0.0
    for j, (t, q) in enumerate(zip(taus, qs)):
        sfa[1, j] = math.exp(-h / t)
        sfa[2, j] = q * t * math.exp(-h * L / t)
    z[LAM_FREE] = 0.0
    z[X] = 0.0
    z[ZZ] = 0.0
    z[K0] = 0.0


@njit(cache=True)
def _gif_pop_update(t0, m, slots, off, h, buf, cur, Zs, Q, H, SFA, n_sfa, keys, rec_row, rec_out, spk_i, spk_t,
                    spk_mult):  # fmt: skip
    n_nodes = Zs.shape[0]
    cnt = 0
    slot = t0 % slots
    for k in range(m):
        for i in range(n_nodes):
            gi = off + i
            z = Zs[i]
            nn, mm, vv, uu, lam, th_k, th_tld = H[i, 0], H[i, 1], H[i, 2], H[i, 3], H[i, 4], H[i, 5], H[i, 6]
            N = Q[i, Q_N]
            tau_m, c_m, e_l = Q[i, Q_TAU_M], Q[i, Q_C_M], Q[i, Q_E_L]
            tau_ex, tau_in = Q[i, Q_TAU_EX], Q[i, Q_TAU_IN]
            L = np.int64(Q[i, Q_L])
            kref = np.int64(Q[i, Q_KREF])
            p22 = math.exp(-h / tau_m)
            p20 = tau_m / c_m * (1.0 - p22)
            p11_ex = math.exp(-h / tau_ex)
            p11_in = math.exp(-h / tau_in)
            # Membrane and synapses (NEST's exact propagation of the filtered input).
            h_tot = (Q[i, Q_I_E] + z[Y0]) * p20 + e_l
            jna_ex = buf[0, slot, gi] / h * tau_ex / c_m
            jna_in = buf[1, slot, gi] / h * tau_in / c_m
            buf[0, slot, gi] = 0.0
            buf[1, slot, gi] = 0.0
            jny_ex = z[I_EX] / c_m
            jny_in = z[I_IN] / c_m
            tmp_ex = tau_ex * p11_ex * (jny_ex - jna_ex) - p22 * (tau_ex * jny_ex - tau_m * jna_ex)
            tmp_in = tau_in * p11_in * (jny_in - jna_in) - p22 * (tau_in * jny_in - tau_m * jna_in)
            h_tot += tau_m * (jna_ex + tmp_ex / (tau_ex - tau_m)) + tau_m * (jna_in + tmp_in / (tau_in - tau_m))
            z[I_EX] = (jna_ex + (jny_ex - jna_ex) * p11_ex) * c_m
            z[I_IN] = (jna_in + (jny_in - jna_in) * p11_in) * c_m
            z[Y0] = cur[slot, gi]
            cur[slot, gi] = 0.0
            # The population (Fig. 12 of Schwalger et al.).
            k0 = np.int64(z[K0])
            theta_hat = Q[i, Q_V_T]
            z[V_M] = (z[V_M] - e_l) * p22 + h_tot
            for j in range(n_sfa[i]):
                q30 = SFA[i, 1, j]
                SFA[i, 0, j] = SFA[i, 0, j] * q30 + (1.0 - q30) * nn[k0] / (N * h)
                theta_hat += SFA[i, 2, j] * SFA[i, 0, j]
            lam0, dv = Q[i, Q_LAMBDA0], Q[i, Q_DELTA_V]
            lam_tld = lam0 * math.exp((z[V_M] - theta_hat) / dv)
            p_free = 1.0 - math.exp(-0.0005 * (z[LAM_FREE] + lam_tld) * h)
            z[LAM_FREE] = lam_tld
            theta_hat -= nn[0] * th_tld[0]  # NEST's index 0 (not k0)
            z[E_SFA] = theta_hat
            xs = 0.0
            for q in range(L):
                xs += mm[q]
            w_ = 0.0
            y_ = 0.0
            zsum = 0.0
            th = theta_hat
            for km in range(L - kref):
                kk = (k0 + km) % L
                theta = th_k[km] + th
                th += nn[kk] * th_tld[km]
                uu[kk] = (uu[kk] - e_l) * p22 + h_tot
                lt = lam0 * math.exp((uu[kk] - theta) / dv)
                pl = 0.0005 * (lt + lam[kk]) * h
                if pl > 0.01:
                    pl = 1.0 - math.exp(-pl)
                lam[kk] = lt
                y_ += pl * vv[kk]
                zsum += vv[kk]
                w_ += pl * mm[kk]
                ompl = 1.0 - pl
                vv[kk] = ompl * ompl * vv[kk] + pl * mm[kk]
                mm[kk] = ompl * mm[kk]
            p_lambda = 0.0
            if zsum + z[ZZ] > 0.0:
                p_lambda = (y_ + p_free * z[ZZ]) / (zsum + z[ZZ])
            mean = w_ + p_free * z[X] + p_lambda * (N - xs - z[X])
            z[MEAN] = mean
            key = rng.counter_key(keys[i], np.uint64(t0 + k + 1))
            n_int = np.int64(N)
            if Q[i, Q_BINO] != 0.0:
                p = mean / N
                if p >= 1.0:
                    n_spk = n_int
                elif p <= 0.0:
                    n_spk = 0
                else:
                    n_spk = _binomial(key, 0, n_int, p)
            else:
                if mean > N:
                    n_spk = n_int
                elif mean > 2.2250738585072014e-308:
                    n_spk = min(max(poisson_small(key, 0, mean), 0), n_int)
                else:
                    n_spk = 0
            z[N_SPK] = n_spk
            ompf = 1.0 - p_free
            z[ZZ] = ompf * ompf * z[ZZ] + z[X] * p_free + vv[k0]
            z[X] = z[X] * ompf + mm[k0]
            nn[k0] = n_spk
            mm[k0] = n_spk
            vv[k0] = 0.0
            uu[k0] = Q[i, Q_V_RESET]
            lam[k0] = 0.0
            z[K0] = (k0 + 1) % L
            row = rec_row[i]
            if row >= 0:
                rec_out[row, 0, k] = z[E_SFA]
                rec_out[row, 1, k] = z[I_EX]
                rec_out[row, 2, k] = z[I_IN]
                rec_out[row, 3, k] = z[V_M]
                rec_out[row, 4, k] = mean
                rec_out[row, 5, k] = n_spk
            if n_spk > 0:
                spk_i[cnt] = i
                spk_t[cnt] = t0 + k + 1
                spk_mult[cnt] = n_spk
                cnt += 1
        slot += 1
        if slot == slots:
            slot = 0
    return cnt
