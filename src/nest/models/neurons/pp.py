"""``pp_psc_delta``: a point-process neuron with spike-frequency adaptation.

The membrane potential ``V_m`` (relative to rest) integrates the input current exactly
with ``tau_m`` and ``C_m`` and jumps by the weight (mV) of each incoming spike. The
neuron fires with the rate ``c_1 V' + c_2 exp(c_3 V')`` (1/s), ``V' = V_m - E_sfa``,
where ``E_sfa`` sums exponential kernels (``q_sfa``, ``tau_sfa``) of the neuron's past
spikes. Within a step (NEST 3.10's order, measured): the membrane advances and takes
the step's spikes, the adaptation decays (``E_sfa`` is recorded here, before this
step's spike adds to it), then a neuron outside its dead time fires with probability
``1 - exp(-rate h)`` - or, with ``dead_time`` 0, emits a Poisson number of spikes (one
event with that multiplicity). A spike adds ``q_sfa`` per spike to the kernels, resets
``V_m`` to 0 if ``with_reset``, and starts a dead time of ``dead_time`` (or a gamma
deviate with mean ``dead_time`` and shape ``dead_time_shape`` if ``dead_time_random``);
spikes are at least the dead time plus one step apart.

Draws come from the counter-based streams of ``engine/rng.py``, one per neuron keyed by
its id and the step, so runs do not depend on the number of threads; they are not
NEST's random numbers, so spike trains agree with NEST's in distribution only.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ...engine import rng
from ...engine.jit import threaded_kernel
from ..base import Model, Param, archiving_params, require
from .propagators import current_to_voltage

# Streams of neurons that draw their own spikes (keyed by node id), apart from others.
PURPOSE_NEURON_SPIKES = 0x6E657572


@njit(inline="always", cache=True)
def poisson_small(key, index, lam):
    """Poisson deviate by inversion from one uniform (mean up to ~30), PTRS above."""
    if lam > 30.0:
        return rng.poisson_ptrs(rng.counter_key(key, index), lam)
    u = rng.uniform(key, index)
    p = math.exp(-lam)
    cum = p
    k = 0
    while u > cum and k < 1000:
        k += 1
        p *= lam / k
        cum += p
    return k


@njit(inline="always", cache=True)
def erlang(key, index, shape, scale):
    """Gamma deviate of integer ``shape`` (a sum of exponentials), uniforms index.. on."""
    s = 0.0
    for j in range(shape):
        s -= math.log1p(-rng.uniform(key, index + j))
    return s * scale


def stream_keys(kernel, group) -> np.ndarray:
    """One random stream per node, keyed by its id."""
    ids = np.arange(group.first, group.first + group.n, dtype=np.uint64)
    return rng.stream_keys(np.uint64(kernel.rng_seed), np.uint64(PURPOSE_NEURON_SPIKES), ids)


def kernel_lists(values, key_tau, key_q, n, h):
    """(decay per step, jump) of each node's adaptation kernels, padded to the longest."""
    taus = [np.atleast_1d(np.asarray(t, dtype=float)) for t in values[key_tau]]
    qs = [np.atleast_1d(np.asarray(q, dtype=float)) for q in values[key_q]]
    width = max((len(t) for t in taus), default=0)
    decay = np.zeros((n, width))
    jump = np.zeros((n, width))
    for i, (t, q) in enumerate(zip(taus, qs)):
        decay[i, : len(t)] = np.exp(-h / t)
        jump[i, : len(q)] = q
    return decay, jump


def check_kernel_lists(model, v, gid, key_tau, key_q, word="dimension"):
    tau = np.atleast_1d(np.asarray(v[key_tau], dtype=float))
    q = np.atleast_1d(np.asarray(v[key_q], dtype=float))
    require(
        len(tau) == len(q),
        model,
        gid,
        f"'{key_tau}' and '{key_q}' need to have the same {word}.\nSize of {key_tau}: {len(tau)}\nSize of {key_q}: {len(q)}",
    )
    return tau


class PpPscDelta(Model):
    """Point-process neuron whose input spikes make ``V_m`` jump by their weight (mV)."""

    name = "pp_psc_delta"
    elementsize = 920
    params = {
        **archiving_params(),
        "C_m": Param(250.0, doc="Capacitance of the membrane", unit="pF"),
        "E_sfa": Param(0.0, state=True, readonly=True, doc="Adaptive threshold (sum of kernels)", unit="mV"),
        "I_e": Param(0.0, doc="Constant input current", unit="pA"),
        "V_m": Param(0.0, state=True, doc="Membrane potential relative to rest", unit="mV"),
        "c_1": Param(0.0, doc="Slope of the linear part of the rate", unit="1/(s mV)"),
        "c_2": Param(1.238, doc="Prefactor of the exponential part of the rate", unit="1/s"),
        "c_3": Param(0.25, doc="Coefficient of the exponential part of the rate", unit="1/mV"),
        "dead_time": Param(1.0, doc="Dead time after a spike (0: Poisson multiplicity)", unit="ms"),
        "dead_time_random": Param(False, kind="bool", doc="Draw dead times from a gamma distribution"),
        "dead_time_shape": Param(1, kind="int", doc="Shape of the gamma distribution of dead times"),
        "q_sfa": Param(np.zeros(0), kind="floats", doc="Jumps of the adaptation kernels", unit="mV"),
        "t_ref_remaining": Param(0.0, state=True, doc="Dead time left", unit="ms"),
        "tau_m": Param(10.0, doc="Membrane time constant", unit="ms"),
        "tau_sfa": Param(np.zeros(0), kind="floats", doc="Time constants of the adaptation kernels", unit="ms"),
        "with_reset": Param(True, kind="bool", doc="Reset V_m to 0 after a spike"),
    }
    recordables = ("E_sfa", "V_m")

    def check(self, v, n, gid):
        require(v["C_m"] > 0, self, gid, "Capacitance must be strictly positive.")
        tau = check_kernel_lists(self, v, gid, "tau_sfa", "q_sfa")
        require(v["tau_m"] > 0, self, gid, "All time constants must be strictly positive.")
        require(np.all(tau > 0), self, gid, "All time constants must be strictly positive.")
        require(v["dead_time"] >= 0, self, gid, "Absolute refractory time must not be negative.")
        require(v["dead_time_shape"] >= 1, self, gid,
                "Shape of the dead time gamma distribution must not be smaller than 1.")  # fmt: skip
        require(v["c_3"] >= 0, self, gid, "c_3 must be positive.")
        require(v["t_ref_remaining"] >= 0, self, gid, "Remaining refractory time can not be negative.")

    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        decay, jump = kernel_lists(v, "tau_sfa", "q_sfa", group.n, h)
        width = 3 + decay.shape[1]
        if "S" not in a or a["S"].shape[1] != width:
            S = np.zeros((group.n, width))
            S[:, 0] = v["V_m"]
            a["S"] = S
            a["r"] = np.zeros((group.n, 1), dtype=np.int64)
            a["t_ref_seen"] = np.full(group.n, -1.0)
            a["keys"] = stream_keys(kernel, group)
        S = a["S"]
        S[:, 0] = v["V_m"]
        # NEST 3.10 reads t_ref_remaining when it is set and never updates it (measured):
        # a new value starts a dead time, the old one is not applied again.
        changed = a["t_ref_seen"] != v["t_ref_remaining"]
        a["r"][changed, 0] = np.rint(v["t_ref_remaining"][changed] / h).astype(np.int64)
        a["t_ref_seen"] = v["t_ref_remaining"].copy()
        dead = v["dead_time"]
        counts = np.where(dead > 0, np.maximum(np.rint(dead / h), 1), 0)
        a["Q"] = np.column_stack([v["I_e"], v["c_1"], v["c_2"], v["c_3"], counts,
                                  v["dead_time_random"].astype(float), v["dead_time_shape"], dead,
                                  v["with_reset"].astype(float), jump])  # fmt: skip
        a["P"] = np.column_stack([np.exp(-h / v["tau_m"]), current_to_voltage(v["tau_m"], v["C_m"], h), decay])
        kernel.reserve_spikes(group, kernel.slice_steps)
        a["spk_mult"] = np.zeros(a["spk_cap"])

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _pp_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, kernel.tics_per_ms,
            kernel.tics_per_step, kernel.buf, kernel.cur, a["S"], a["Q"], a["P"], a["r"], a["keys"],
            a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_mult"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)

    def finish_run(self, group, kernel):
        a, v = group.aux, group.values
        if "S" in a:
            v["V_m"][:] = a["S"][:, 0]
            v["E_sfa"][:] = a["S"][:, 2]


@threaded_kernel
def _pp_update(n_chunks, t0, m, slots, off, h, tics_per_ms, tics_per_step, buf, cur, S, Q, P, r, keys, rec_row,
               rec_out, spk_i, spk_t, spk_mult, spk_off):  # fmt: skip
    n = S.shape[0]
    width = S.shape[1] - 3
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                v = P[i, 0] * S[i, 0] + P[i, 1] * (Q[i, 0] + S[i, 1]) + b_exc[gi] + b_inh[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                e_sfa = 0.0
                for j in range(width):
                    S[i, 3 + j] *= P[i, 2 + j]
                    e_sfa += S[i, 3 + j]
                S[i, 2] = e_sfa
                if r[i, 0] == 0:
                    ve = v - e_sfa
                    rate = Q[i, 1] * ve + Q[i, 2] * math.exp(Q[i, 3] * ve)
                    if rate > 0.0:
                        key = rng.counter_key(keys[i], t0 + k)
                        lam = rate * h * 1e-3
                        n_spikes = 0
                        if Q[i, 7] > 0.0:
                            if rng.uniform(key, 0) < -math.expm1(-lam):
                                n_spikes = 1
                        else:
                            n_spikes = poisson_small(key, 0, lam)
                        if n_spikes > 0:
                            for j in range(width):
                                S[i, 3 + j] += Q[i, 9 + j] * n_spikes
                            if Q[i, 8] != 0.0:
                                v = 0.0
                            if Q[i, 5] != 0.0:
                                shape = np.int64(Q[i, 6])
                                d = erlang(key, 1, shape, Q[i, 7] / shape)
                                tics = math.floor(d * tics_per_ms + 0.5)
                                r[i, 0] = np.int64(math.ceil(tics / tics_per_step))
                            else:
                                r[i, 0] = np.int64(Q[i, 4])
                            spk_i[base + cnt] = i
                            spk_t[base + cnt] = t0 + k + 1
                            spk_mult[base + cnt] = n_spikes
                            cnt += 1
                else:
                    r[i, 0] -= 1
                S[i, 0] = v
                S[i, 1] = b_cur[gi]
                b_cur[gi] = 0.0
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = e_sfa
                    rec_out[row, 1, k] = v
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts
