"""More stimulation devices: rate-modulated, gamma, dead-time and correlated spike trains.

Two kinds of spike trains:

* **One train per connection** (NEST's ``individual_spike_trains``; ``mip_generator``'s
  copies, ``gamma_sup_generator``, ``ppd_sup_generator``, ``inhomogeneous_poisson_generator``).
  These models take the Poisson role: the kernel hands their connections to ``route``
  (one call from ``Kernel._route_poisson``), every connection gets a counter-based random
  stream and, where the process has a memory, a row of state; once per slice ``emit`` asks
  each model for the spike counts of every connection and step (an ``(n_conn, m)`` array
  computed by one jitted loop) and adds them, times the weight, to the targets' ring
  buffers at the connection's delay. A draw is a pure function of (seed, connection, step),
  so the trains do not depend on the number of threads.
* **One train for all targets** (``pulsepacket_generator``, ``spike_train_injector``, and
  the sinusoidal generators with ``individual_spike_trains`` False): ordinary spike sources
  whose ``update`` appends the slice's spikes, with multiplicities, to the spike register.

``step_rate_generator`` is a step current generator whose recordable is ``rate``.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from ...engine import rng
from ..base import ROLE_NEURON, ROLE_POISSON_SOURCE, ROLE_SPIKE_SOURCE, Param, require, window_steps
from .generators import SpikeGenerator, StepCurrentGenerator, Stimulator, _device_params

# Purposes of this module's random streams (engine/rng.py uses 1-5).
PURPOSE_TRAIN = 21  # a connection's (or a shared) train
PURPOSE_MOTHER = 22  # mip_generator's mother process
PURPOSE_PACKET = 23  # pulsepacket_generator's spike times


# ---------------------------------------------------------------- random draws
@njit(cache=True)
def _poisson(key, idx, lam):
    """Poisson deviate of mean ``lam`` from the draws ``idx`` on of ``key``."""
    if lam <= 0.0:
        return 0
    if lam > 30.0:
        return int(rng.poisson_ptrs(rng.counter_key(key, idx), lam))
    u = rng.uniform(key, idx)
    p = math.exp(-lam)
    cdf = p
    k = 0
    while u >= cdf and k < 1000:
        k += 1
        p *= lam / k
        cdf += p
    return k


@njit(cache=True)
def _binomial(key, idx, n, p):
    """Binomial deviate: inversion for small means, a rounded normal for large ones."""
    if n <= 0 or p <= 0.0:
        return 0
    if p >= 1.0:
        return n
    if p > 0.5:
        return n - _binomial(key, idx, n, 1.0 - p)
    if n <= 16:
        c = 0
        for j in range(n):
            c += rng.uniform(key, idx + j) < p
        return c
    mean = n * p
    if mean < 30.0:
        u = rng.uniform(key, idx)
        q = 1.0 - p
        pk = math.exp(n * math.log1p(-p))
        cdf = pk
        k = 0
        while u >= cdf and k < n:
            pk *= (n - k) / (k + 1.0) * p / q
            k += 1
            cdf += pk
        return k
    z = rng.normal(key, idx)
    k = int(math.floor(mean + math.sqrt(mean * (1.0 - p)) * z + 0.5))
    return min(max(k, 0), n)


@njit(cache=True)
def _gamma_q(a, x):
    """Regularised upper incomplete gamma function Q(a, x) (series or continued fraction)."""
    if x <= 0.0:
        return 1.0
    lg = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:
        term = 1.0 / a
        total = term
        ap = a
        for _ in range(500):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-15:
                break
        return max(0.0, 1.0 - total * math.exp(lg))
    # Lentz's method for the continued fraction of Q.
    tiny = 1e-300
    b = x + 1.0 - a
    c = 1.0 / tiny
    d = 1.0 / b
    h = d
    for i in range(1, 500):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < 1e-15:
            break
    return math.exp(lg) * h


# ---------------------------------------------------------------- per-connection routing
def route(kernel, blocks):
    """Take the connections of per-connection generators out of the Poisson path.

    Called by ``Kernel._route_poisson`` with its blocks; returns the blocks left to it.
    Keeps each generator group's streams and state in ``group.aux["trains"]``; they
    survive a new preparation when the connections are the same ones.
    """
    own = np.zeros(kernel.n_nodes + 1, bool)
    for g in kernel.groups:
        if getattr(g.model, "per_connection", False):
            own[g.first : g.first + g.n] = True
    kernel.per_connection_trains = []
    if not own.any():
        return blocks
    sel = [own[b.source] for b in blocks]
    mine = [b.select(s) for b, s in zip(blocks, sel) if s.any()]
    rest = [b.select(~s) if s.any() else b for b, s in zip(blocks, sel) if not s.all()]
    src, tgt, w, d, ranks = kernel._device_ordinals(mine)
    if not len(src):
        return rest
    # Parrots repeat each spike once, whatever the weight.
    w = np.where(kernel._counts_spikes[tgt - 1], 1.0, w)
    keys = rng.stream_keys(
        np.uint64(kernel.rng_seed), np.uint64(PURPOSE_TRAIN), (src.astype(np.int64) * 2**24 + ranks).astype(np.uint64)
    )
    for g in kernel.groups:
        if not getattr(g.model, "per_connection", False):
            continue
        pick = (src >= g.first) & (src < g.first + g.n)
        if not pick.any():
            continue
        st = {
            "gen": (src[pick] - g.first).astype(np.int64),
            "tgt": (tgt[pick] - 1).astype(np.int64),
            "w": w[pick].astype(np.float64),
            "d": d[pick].astype(np.int64),
            "keys": keys[pick],
        }
        old = g.aux.get("trains")
        if old is not None and len(old["keys"]) == len(st["keys"]) and np.array_equal(old["keys"], st["keys"]):
            st = {**old, **st}  # the same connections: keep the processes' state
        else:
            g.model.init_streams(g, kernel, st)
        g.aux["trains"] = st
        kernel.per_connection_trains.append(g)
    return rest


def emit(kernel, t0: int, m: int) -> None:
    """Add one slice of every per-connection train to the targets' ring buffers."""
    for g in kernel.per_connection_trains:
        st = g.aux["trains"]
        counts = g.model.counts(g, kernel, t0, m, st)
        counts = counts * g.model.active_mask(g, kernel, t0, m)[st["gen"]]
        _scatter_counts(t0, m, kernel.slots, kernel.buf, st["tgt"], st["w"], st["d"], counts)


@njit(cache=True)
def _scatter_counts(t0, m, slots, buf, tgt, w, d, counts):
    # Emitted at step t0 + k, stamped t0 + k + 1, read at stamp + delay - 1.
    for c in range(tgt.shape[0]):
        ch = 0 if w[c] >= 0.0 else 1
        for k in range(m):
            if counts[c, k]:
                buf[ch, (t0 + k + d[c]) % slots, tgt[c]] += counts[c, k] * w[c]


def _shared_streams(group, kernel) -> dict:
    """One stream per generator: the train every target of it receives."""
    gids = np.arange(group.first, group.first + group.n, dtype=np.int64)
    keys = rng.stream_keys(
        np.uint64(kernel.rng_seed), np.uint64(PURPOSE_TRAIN), (gids * 2**24 + 2**23).astype(np.uint64)
    )
    return {"gen": np.arange(group.n, dtype=np.int64), "keys": keys}


class TrainGenerator(Stimulator):
    """A generator whose train is drawn step by step; one per connection by default.

    Subclasses give ``counts`` (spikes of every stream and step of a slice) and, if their
    process has a memory, ``init_streams``.
    """

    per_connection = True
    role = ROLE_POISSON_SOURCE
    # Where NEST's first spikes fall, in steps after the stamp ``origin + start``: measured in
    # NEST 3.10 at resolutions 0.1 and 0.2 ms with rates so high that every step has spikes
    # (gamma_sup, ppd_sup, sinusoidal_gamma: the second step; sinusoidal_poisson and
    # inhomogeneous_poisson: that stamp itself; mip: 1 ms later). Trains are active for
    # stamps in ``(lo + shift - 1, hi + shift - 1]``.
    first_stamp_steps = 2

    def first_stamp(self, kernel) -> int:
        return self.first_stamp_steps

    def active_mask(self, group, kernel, t0, m):
        shift = self.first_stamp(kernel) - 1
        return super().active_mask(group, kernel, t0 - shift, m)

    def init_streams(self, group, kernel, st) -> None:
        """Initial state of the streams in ``st`` (``gen``, ``keys`` given)."""

    def counts(self, group, kernel, t0, m, st) -> np.ndarray:
        raise NotImplementedError

    def stamp_times(self, kernel, t0, m) -> np.ndarray:
        return np.arange(t0 + 1, t0 + m + 1) * kernel.h


class IndividualTrains(TrainGenerator):
    """``individual_spike_trains`` (a model default, as in NEST): one train per target when
    True, one train sent to all targets when False (then a spike source)."""

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(
            # SetDefaults checks a trial node with id 0.
            not gid or np.all(v["individual_spike_trains"] == self.defaults["individual_spike_trains"]),
            self,
            gid,
            "The individual_spike_trains property can only be set as a model default using SetDefaults or upon "
            "CopyModel.",
        )

    @property
    def per_connection(self):
        return bool(self.defaults.get("individual_spike_trains", True))

    @property
    def role(self):
        return ROLE_POISSON_SOURCE if self.per_connection else ROLE_SPIKE_SOURCE

    def amplitudes(self, group, kernel, t0, m):
        """(n, m) rates at the stamps of a slice: what a multimeter records as ``rate``."""
        return _sine_rates(group, kernel, t0, m)

    def prepare(self, group, kernel):
        if not self.per_connection:
            st = group.aux.get("shared")
            if st is None or len(st["keys"]) != group.n:
                st = _shared_streams(group, kernel)
                self.init_streams(group, kernel, st)
                group.aux["shared"] = st
            kernel.reserve_spikes(group, 0)

    def update(self, group, kernel, t0, m):
        if self.per_connection or m == 0:
            return
        counts = self.counts(group, kernel, t0, m, group.aux["shared"]) * self.active_mask(group, kernel, t0, m)
        i, k = np.nonzero(counts)
        if len(i):
            order = np.lexsort((i, k))  # the register holds a slice in time order
            i, k = i[order], k[order]
            kernel.add_spikes(group.first + i, t0 + k + 1, counts[i, k].astype(np.float64))


def _sine_rates(group, kernel, t0, m, rate_key="rate"):
    """(n, m) rates ``rate + amplitude sin(2 pi f t + phase)`` at the stamps of a slice."""
    v = group.values
    t = (np.arange(t0 + 1, t0 + m + 1) * kernel.h)[None, :]
    omega = 2.0 * math.pi * v["frequency"][:, None] / 1000.0
    phase = v["phase"][:, None] * math.pi / 180.0
    return v[rate_key][:, None] + v["amplitude"][:, None] * np.sin(omega * t + phase)


def _oscillator_params() -> dict[str, Param]:
    return {
        "rate": Param(0.0, doc="Mean rate", unit="spikes/s"),
        "amplitude": Param(0.0, doc="Amplitude of the rate modulation", unit="spikes/s"),
        "frequency": Param(0.0, doc="Modulation frequency", unit="Hz"),
        "phase": Param(0.0, doc="Modulation phase", unit="deg"),
        "individual_spike_trains": Param(True, kind="bool", doc="One train per target (set as a model default)"),
    }


class SinusoidalPoissonGenerator(IndividualTrains):
    """Poisson trains of rate ``rate + amplitude sin(2 pi frequency t + phase)`` (clipped at 0)."""

    name = "sinusoidal_poisson_generator"
    recordables = ("rate",)
    first_stamp_steps = 0
    params = {
        "y_0": Param(0.0, state=True, readonly=True, doc="Oscillator state (cosine part)"),
        "y_1": Param(0.0, state=True, readonly=True, doc="Oscillator state (sine part)"),
        **_device_params(),
        **_oscillator_params(),
    }

    def counts(self, group, kernel, t0, m, st):
        lam = np.maximum(_sine_rates(group, kernel, t0, m), 0.0) * kernel.h / 1000.0
        return _poisson_counts(st["keys"], st["gen"], lam, t0, m)


@njit(cache=True)
def _poisson_counts(keys, gen, lam, t0, m):
    out = np.zeros((keys.shape[0], m), dtype=np.int64)
    for c in range(keys.shape[0]):
        for k in range(m):
            out[c, k] = _poisson(rng.counter_key(keys[c], t0 + k), 0, lam[gen[c], k])
    return out


class InhomogeneousPoissonGenerator(TrainGenerator):
    """Poisson trains whose rate jumps to ``rate_values[i]`` at ``rate_times[i]``."""

    name = "inhomogeneous_poisson_generator"
    first_stamp_steps = 0
    params = {
        **_device_params(),
        "rate_times": Param([], kind="floats", doc="Times of the rate changes", unit="ms"),
        "rate_values": Param([], kind="floats", doc="Rates from those times on", unit="spikes/s"),
        "allow_offgrid_times": Param(False, kind="bool", doc="Round times to the grid instead of refusing"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        times = np.asarray(v["rate_times"], dtype=float)
        values = np.asarray(v["rate_values"], dtype=float)
        require(times.shape == values.shape, self, gid, "Rate times and values have to be the same size.")
        require(np.all(np.diff(times) > 0), self, gid, "Rate times must be strictly increasing.")
        if times.size and not np.all(v["allow_offgrid_times"]):
            from ...engine.kernel import kernel

            tics = np.rint(times * kernel.tics_per_ms).astype(np.int64)
            off = tics % kernel.tics_per_step != 0
            require(
                not off.any(),
                self,
                gid,
                f"{self.name}: Time point {times[off][0] if off.any() else 0:g} is not representable in current "
                "resolution.",
            )

    def counts(self, group, kernel, t0, m, st):
        v = group.values
        stamps = np.arange(t0 + 1, t0 + m + 1)
        lam = np.zeros((group.n, m))
        for i in range(group.n):
            times = np.asarray(v["rate_times"][i], dtype=float)
            if times.size == 0:
                continue
            steps = kernel.time_to_steps(
                times, f"{self.name} rate_times", allow_offgrid=bool(v["allow_offgrid_times"][i])
            )
            # A rate set at time T is the rate of the spikes stamped T on (NEST's figures).
            idx = np.searchsorted(steps, stamps, side="right") - 1
            vals = np.asarray(v["rate_values"][i], dtype=float)
            lam[i] = np.where(idx >= 0, vals[np.maximum(idx, 0)], 0.0) * kernel.h / 1000.0
        return _poisson_counts(st["keys"], st["gen"], lam, t0, m)


class MipGenerator(TrainGenerator):
    """A Poisson mother train of ``rate``; each target gets each of its spikes with
    probability ``p_copy`` (Kuhn et al. 2003's multiple interaction process)."""

    name = "mip_generator"
    params = {
        **_device_params(),
        "rate": Param(0.0, doc="Rate of the mother train", unit="spikes/s"),
        "p_copy": Param(1.0, doc="Probability to copy a mother spike to a target"),
    }

    def first_stamp(self, kernel) -> int:
        return 1 + int(round(1.0 / kernel.h))

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["rate"] >= 0, self, gid, "Rate must be non-negative.")
        require((v["p_copy"] >= 0) & (v["p_copy"] <= 1), self, gid, "Copy probability must be in [0, 1].")

    def counts(self, group, kernel, t0, m, st):
        mother_keys = rng.stream_keys(
            np.uint64(kernel.rng_seed), np.uint64(PURPOSE_MOTHER), np.arange(group.first, group.first + group.n)
        )
        lam = np.repeat((group.values["rate"] * kernel.h / 1000.0)[:, None], m, axis=1)
        mother = _poisson_counts(mother_keys, np.arange(group.n, dtype=np.int64), lam, t0, m)
        return _copies(st["keys"], st["gen"], mother, group.values["p_copy"], t0, m)


@njit(cache=True)
def _copies(keys, gen, mother, p, t0, m):
    out = np.zeros((keys.shape[0], m), dtype=np.int64)
    for c in range(keys.shape[0]):
        g = gen[c]
        for k in range(m):
            if mother[g, k]:
                out[c, k] = _binomial(rng.counter_key(keys[c], t0 + k), 0, mother[g, k], p[g])
    return out


class GammaSupGenerator(TrainGenerator):
    """Superposition of ``n_proc`` gamma processes of order ``gamma_shape`` and rate ``rate``
    each, drawn for every target: the processes are counted in the phases of their gamma
    cycle; each step a binomial number moves on, a spike when one leaves the last phase."""

    name = "gamma_sup_generator"
    params = {
        **_device_params(),
        "rate": Param(0.0, doc="Rate of each component process", unit="spikes/s"),
        "gamma_shape": Param(1, kind="int", doc="Order of the gamma processes"),
        "n_proc": Param(1, kind="int", doc="Number of superimposed processes"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["rate"] >= 0, self, gid, "The rate must be larger than 0.")
        require(v["gamma_shape"] >= 1, self, gid, "The shape must be larger or equal 1")
        require(v["n_proc"] >= 1, self, gid, "The number of component processes cannot be smaller than one")

    def init_streams(self, group, kernel, st):
        shape = group.values["gamma_shape"][st["gen"]].astype(np.int64)
        n_proc = group.values["n_proc"][st["gen"]].astype(np.int64)
        st["occ"] = _gamma_init(st["keys"], shape, n_proc, int(shape.max()) if len(shape) else 1)

    def counts(self, group, kernel, t0, m, st):
        v = group.values
        shape = v["gamma_shape"][st["gen"]].astype(np.int64)
        if st["occ"].shape[1] < shape.max() or np.any(st.get("shape_of", shape) != shape):
            self.init_streams(group, kernel, st)  # gamma_shape or n_proc changed
        st["shape_of"] = shape
        p = -np.expm1(-v["rate"][st["gen"]] * shape * kernel.h / 1000.0)
        n_proc = v["n_proc"][st["gen"]].astype(np.int64)
        return _gamma_steps(st["keys"], st["occ"], shape, p, n_proc, t0, m)


@njit(cache=True)
def _gamma_init(keys, shape, n_proc, width):
    # The processes start spread evenly over the phases, the remainder in the last one (about
    # to fire): with one process, a burst of first spikes as in NEST 3.10's figures.
    occ = np.zeros((keys.shape[0], width), dtype=np.int64)
    for c in range(keys.shape[0]):
        occ[c, : shape[c]] = n_proc[c] // shape[c]
        occ[c, shape[c] - 1] += n_proc[c] % shape[c]
    return occ


@njit(cache=True)
def _gamma_steps(keys, occ, shape, p, n_proc, t0, m):
    # Every process moves on with the same probability p, so the number that move is
    # Binomial(n_proc, p); which ones is drawn without replacement. Most steps move none,
    # which costs one uniform (u below (1 - p) ** n_proc).
    out = np.zeros((keys.shape[0], m), dtype=np.int64)
    moved = np.zeros(occ.shape[1], dtype=np.int64)
    for c in range(keys.shape[0]):
        k_c = shape[c]
        n = n_proc[c]
        none = math.exp(n * math.log1p(-p[c])) if p[c] < 1.0 else 0.0
        for k in range(m):
            key = rng.counter_key(keys[c], t0 + k)
            if rng.uniform(key, 0) < none:
                continue
            total = _binomial_above_zero(key, 1, n, p[c], none)
            moved[:k_c] = 0
            left = n
            for r in range(total):
                # The r-th mover: a random process among those not yet picked.
                x = int(rng.uniform(key, 100 + r) * (left - r))
                j = 0
                while x >= occ[c, j] - moved[j]:
                    x -= occ[c, j] - moved[j]
                    j += 1
                moved[j] += 1
            for j in range(k_c):
                occ[c, j] -= moved[j]
            for j in range(k_c):
                occ[c, (j + 1) % k_c] += moved[j]
            out[c, k] = moved[k_c - 1]
    return out


@njit(cache=True)
def _binomial_above_zero(key, idx, n, p, p0):
    """Binomial(n, p) given that it is not 0 (``p0`` is its probability of 0), by inversion."""
    u = p0 + rng.uniform(key, idx) * (1.0 - p0)
    if p >= 1.0:
        return n
    pk = p0
    cdf = p0
    k = 0
    while u >= cdf and k < n:
        pk *= (n - k) / (k + 1.0) * p / (1.0 - p)
        k += 1
        cdf += pk
    return max(k, 1)


class PpdSupGenerator(TrainGenerator):
    """Superposition of ``n_proc`` Poisson processes with dead time, drawn for every target.

    A process fires with hazard ``rate / (1 - rate dead_time)`` (so it keeps the mean rate
    ``rate``) times ``1 + relative_amplitude sin(2 pi frequency t)``, then stays silent for
    ``dead_time``; the processes are counted by how long ago they fired.
    """

    name = "ppd_sup_generator"
    params = {
        **_device_params(),
        "rate": Param(0.0, doc="Rate of each component process", unit="spikes/s"),
        "dead_time": Param(0.0, doc="Dead time of each process", unit="ms"),
        "n_proc": Param(1, kind="int", doc="Number of superimposed processes"),
        "frequency": Param(0.0, doc="Frequency of the rate modulation", unit="Hz"),
        "relative_amplitude": Param(0.0, doc="Relative amplitude of the rate modulation"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        # A negative rate fails this test too (its inverse is negative), as in NEST.
        rate = np.asarray(v["rate"], dtype=float)
        require(
            (rate == 0) | (1000.0 / np.where(rate == 0, 1.0, rate) >= v["dead_time"]),
            self,
            gid,
            "The inverse rate has to be larger than the dead time.",
        )
        require(v["dead_time"] >= 0, self, gid, "The dead time cannot be negative.")
        require(v["n_proc"] >= 1, self, gid, "The number of component processes cannot be smaller than one")
        require(
            (v["relative_amplitude"] >= 0) & (v["relative_amplitude"] <= 1),
            self,
            gid,
            "The relative amplitude of the rate modulation must be in [0,1].",
        )

    def init_streams(self, group, kernel, st):
        bins = np.rint(group.values["dead_time"][st["gen"]] / kernel.h).astype(np.int64)
        st["bins"] = bins
        # Columns 0 .. bins-1: processes that fired 1 .. bins steps ago; the last: free ones.
        width = int(bins.max()) + 1 if len(bins) else 1
        st["occ"] = np.zeros((len(bins), width), dtype=np.int64)
        st["occ"][:, -1] = group.values["n_proc"][st["gen"]]

    def counts(self, group, kernel, t0, m, st):
        v = group.values
        bins = np.rint(v["dead_time"][st["gen"]] / kernel.h).astype(np.int64)
        if not np.array_equal(bins, st["bins"]):
            self.init_streams(group, kernel, st)
        t = self.stamp_times(kernel, t0, m)[None, :]
        # The hazard of the free processes is modulated (not the rate): NEST's figures.
        hazard = (v["rate"] / np.maximum(1.0 - v["rate"] * v["dead_time"] / 1000.0, 1e-12))[:, None] * (
            1.0 + v["relative_amplitude"][:, None] * np.sin(2.0 * math.pi * v["frequency"][:, None] * t / 1000.0)
        )
        p = np.minimum(hazard * kernel.h / 1000.0, 1.0)
        return _ppd_steps(st["keys"], st["gen"], st["occ"], st["bins"], p, t0, m)


@njit(cache=True)
def _ppd_steps(keys, gen, occ, bins, p, t0, m):
    out = np.zeros((keys.shape[0], m), dtype=np.int64)
    free = occ.shape[1] - 1
    for c in range(keys.shape[0]):
        nb = bins[c]
        for k in range(m):
            n = _binomial(rng.counter_key(keys[c], t0 + k), 0, occ[c, free], p[gen[c], k])
            out[c, k] = n
            if nb == 0:
                continue
            # The slot of step s holds the processes that fired nb steps ago: free again
            # after this step, so the shortest interval is nb + 1 steps (as NEST's).
            slot = (t0 + k) % nb
            occ[c, free] += occ[c, slot] - n
            occ[c, slot] = n
    return out


class SinusoidalGammaGenerator(IndividualTrains):
    """Inhomogeneous gamma trains of order ``order`` and rate ``rate + amplitude sin(...)``.

    Each train keeps its rescaled time since the last spike, ``order * integral of the
    rate``; a step fires with the probability that a gamma interval of that order ends in
    it, ``1 - Q(order, tau + d tau) / Q(order, tau)``.
    """

    name = "sinusoidal_gamma_generator"
    recordables = ("rate",)
    params = {**_device_params(), **_oscillator_params(), "order": Param(1.0, doc="Order of the gamma process")}

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["order"] >= 1.0, self, gid, "The gamma order must be at least 1.")
        require(
            (v["amplitude"] >= 0) & (v["amplitude"] <= v["rate"]),
            self,
            gid,
            "Rate parameters must fulfill 0 <= amplitude <= rate.",
        )

    def init_streams(self, group, kernel, st):
        st["tau"] = np.zeros(len(st["keys"]))
        st["surv"] = np.ones(len(st["keys"]))

    def counts(self, group, kernel, t0, m, st):
        rate = np.maximum(_sine_rates(group, kernel, t0, m), 0.0)
        order = group.values["order"]
        return _gamma_hazard_steps(st["keys"], st["gen"], st["tau"], st["surv"], order, rate * kernel.h / 1000.0, t0, m)


@njit(cache=True)
def _gamma_hazard_steps(keys, gen, tau, surv, order, lam, t0, m):
    # surv[c] = Q(order, tau[c]) is kept from the step before: one Q per step and train.
    out = np.zeros((keys.shape[0], m), dtype=np.int64)
    for c in range(keys.shape[0]):
        g = gen[c]
        a = order[g]
        for k in range(m):
            d = a * lam[g, k]
            if d <= 0.0:
                continue
            q1 = _gamma_q(a, tau[c] + d)
            p = 1.0 if surv[c] < 1e-300 else 1.0 - q1 / surv[c]
            if rng.uniform(rng.counter_key(keys[c], t0 + k), 0) < p:
                out[c, k] = 1
                tau[c] = 0.0
                surv[c] = 1.0
            else:
                tau[c] += d
                surv[c] = q1
    return out


class PulsepacketGenerator(Stimulator):
    """``activity`` spikes around each of ``pulse_times``, Gaussian with ``sdev``; one train
    for all targets. A spike drawn at time t is sent in the step after t (NEST's timing:
    a pulse at 10 ms with ``sdev`` 0 gives spikes at 10.1 ms at a resolution of 0.1 ms)."""

    name = "pulsepacket_generator"
    role = ROLE_SPIKE_SOURCE
    params = {
        **_device_params(),
        "pulse_times": Param([], kind="floats", doc="Centres of the pulses", unit="ms"),
        "activity": Param(0, kind="int", doc="Number of spikes per pulse"),
        "sdev": Param(0.0, doc="Standard deviation of the spike times in a pulse", unit="ms"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["activity"] >= 0, self, gid, "The activity cannot be negative.")
        require(v["sdev"] >= 0, self, gid, "The standard deviation cannot be negative.")

    def prepare(self, group, kernel):
        v = group.values
        stamps, mults = [], []
        gids = np.arange(group.first, group.first + group.n)
        keys = rng.stream_keys(np.uint64(kernel.rng_seed), np.uint64(PURPOSE_PACKET), gids.astype(np.uint64))
        for i in range(group.n):
            pulses = np.asarray(v["pulse_times"][i], dtype=float)
            a = int(v["activity"][i])
            t = np.repeat(pulses, a)
            if v["sdev"][i] > 0 and t.size:
                t = t + v["sdev"][i] * _normals(keys[i], t.size)
            s = np.rint(t / kernel.h).astype(np.int64) + 1
            s, counts = np.unique(s[s > 0], return_counts=True)
            lo, hi = window_steps(v["origin"][i : i + 1], v["start"][i : i + 1], v["stop"][i : i + 1], kernel.h)
            keep = (s > lo[0]) & (s <= hi[0])
            stamps.append(s[keep])
            mults.append(counts[keep].astype(np.float64))
        group.aux["stamps"], group.aux["mults"] = stamps, mults
        kernel.reserve_spikes(group, 0)

    def update(self, group, kernel, t0, m):
        out_gid, out_t, out_m = [], [], []
        for i in range(group.n):
            st = group.aux["stamps"][i]
            a, b = np.searchsorted(st, [t0, t0 + m], side="right")
            if a < b:
                out_gid.append(np.full(b - a, group.first + i))
                out_t.append(st[a:b])
                out_m.append(group.aux["mults"][i][a:b])
        if out_gid:
            t = np.concatenate(out_t)
            order = np.argsort(t, kind="stable")
            kernel.add_spikes(np.concatenate(out_gid)[order], t[order], np.concatenate(out_m)[order])


@njit(cache=True)
def _normals_jit(key, n):
    out = np.empty(n)
    for j in range(n):
        out[j] = rng.normal(key, 2 * j)
    return out


def _normals(key, n):
    return _normals_jit(np.uint64(key), n)


class SpikeTrainInjector(SpikeGenerator):
    """A spike generator that is a neuron in NEST 3.10 (any synapse model can carry its
    spikes); ``spike_times`` with ``spike_multiplicities``, no weights, label or source."""

    name = "spike_train_injector"
    element_type = "neuron"
    params = {k: p for k, p in SpikeGenerator.params.items() if k not in ("label", "stimulus_source", "spike_weights")}

    def check_receptor(self, group, local, r) -> None:
        """Any spike input is refused, with NEST's message (it is a neuron only as a sender)."""
        from ...errors import IllegalConnection

        raise IllegalConnection(
            "Creation of connection is not possible because:\nThe target node or synapse model does not support "
            "spike input.\n  Note that volt/multimeters must be connected as Connect(meter, neuron)."
        )

    def check(self, v, n, gid):
        full = {**v, "spike_weights": []}
        super().check(full, n, gid)
        v["spike_times"] = full["spike_times"]  # moved onto the grid (allow_offgrid_times)

    def prepare(self, group, kernel):
        # The spike generator's preparation, with no weights.
        group.values["spike_weights"] = [np.zeros(0)] * group.n
        try:
            super().prepare(group, kernel)
        finally:
            del group.values["spike_weights"]


class SpikeDilutor(Stimulator):
    """Repeats each spike it receives to each of its targets with probability ``p_copy``,
    independently for every target.

    The engine treats it like a parrot on its input side (its incoming spikes arrive as
    counts in its ring buffer) but it never puts spikes in the register: in its update it
    reads the counts and adds each target's binomial share to that target's ring buffer
    itself, through its outgoing connections read from the kernel's CSR.
    """

    name = "spike_dilutor"
    role = ROLE_NEURON
    counts_spikes = True
    params = {
        **{k: p for k, p in _device_params().items() if k != "stimulus_source"},
        "stimulus_source": Param("", kind="str", doc="Source of the stimulus (input backend)"),
        "p_copy": Param(1.0, doc="Probability to pass a spike on to a target"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require((v["p_copy"] >= 0) & (v["p_copy"] <= 1), self, gid, "Copy probability must be in [0, 1].")

    def prepare(self, group, kernel):
        kernel.reserve_spikes(group, 0)

    def _outgoing(self, group, kernel) -> dict:
        st = group.aux.get("out")
        if st is not None and st["csr"] is kernel.csr:
            return st
        src, tgt, w, d = kernel.csr.columns() if kernel.csr is not None else (np.zeros(0, np.int64),) * 4
        pick = (src >= group.first) & (src < group.first + group.n)
        src, tgt = src[pick].astype(np.int64), tgt[pick].astype(np.int64)
        w = np.where(kernel._counts_spikes[tgt - 1], 1.0, np.asarray(w, dtype=np.float64)[pick])
        ranks = np.arange(len(src)) - np.searchsorted(src, src)  # rows are sorted by source
        keys = rng.stream_keys(
            np.uint64(kernel.rng_seed), np.uint64(PURPOSE_TRAIN), (src * 2**24 + ranks).astype(np.uint64)
        )
        st = {"csr": kernel.csr, "gen": src - group.first, "tgt": tgt - 1, "w": w,
              "d": np.asarray(d, dtype=np.int64)[pick], "keys": keys}  # fmt: skip
        group.aux["out"] = st
        return st

    def update(self, group, kernel, t0, m):
        st = self._outgoing(group, kernel)
        received = _take_counts(t0, m, kernel.slots, group.offset, group.n, kernel.buf)
        received *= self.active_mask(group, kernel, t0, m)
        copies = _copies(st["keys"], st["gen"], received, group.values["p_copy"], t0, m)
        _scatter_counts(t0, m, kernel.slots, kernel.buf, st["tgt"], st["w"], st["d"], copies)


@njit(cache=True)
def _take_counts(t0, m, slots, off, n, buf):
    out = np.zeros((n, m), dtype=np.int64)
    for i in range(n):
        for k in range(m):
            slot = (t0 + k) % slots
            out[i, k] = int(round(buf[0, slot, off + i] + buf[1, slot, off + i]))
            buf[0, slot, off + i] = 0.0
            buf[1, slot, off + i] = 0.0
    return out


class StepRateGenerator(StepCurrentGenerator):
    """A piecewise-constant rate (``amplitude_values`` from ``amplitude_times`` on), for rate
    models; a multimeter records it as ``rate``."""

    name = "step_rate_generator"
    recordables = ("rate",)


MODELS = [
    StepRateGenerator,
    SinusoidalPoissonGenerator,
    InhomogeneousPoissonGenerator,
    GammaSupGenerator,
    PpdSupGenerator,
    PulsepacketGenerator,
    MipGenerator,
    SinusoidalGammaGenerator,
    SpikeTrainInjector,
    SpikeDilutor,
]
