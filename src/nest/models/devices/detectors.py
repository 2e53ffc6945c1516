"""Detectors of spike correlations and of binary neurons' states.

``correlation_detector`` and ``correlomatrix_detector`` take spikes like a spike recorder
(the kernel hands them every spike of their sources) and tell the sources apart by the
receptor port of their connection (``receptor_type`` in ``Connect``, read from the blocks
at preparation). They keep the spikes inside ``[Tstart, Tstop]`` and build their histograms
when read, as NEST's do: a pair of spikes counts when its later spike lies inside
``[Tstart, Tstop]``, the earlier one may lie anywhere; each pair adds the product of the
two spikes' weights to the histogram and 1 to the count histogram.

``spin_detector`` decodes the events of binary neurons: a spike of multiplicity 2 (two
events of one sender at one time) is an "up" transition (state 1), a single one "down".
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import DBL_MAX, ROLE_SPIKE_RECORDER, Model, Param, require, window_steps
from .recorders import Recording, SpikeRecorder


def _window_params() -> dict[str, Param]:
    return {
        "start": Param(0.0, doc="Begin of activity, relative to origin", unit="ms"),
        "stop": Param(DBL_MAX, doc="End of activity, relative to origin", unit="ms"),
        "origin": Param(0.0, doc="Time origin of start and stop", unit="ms"),
        "Tstart": Param(0.0, doc="Spikes before this time are not counted", unit="ms"),
        "Tstop": Param(DBL_MAX, doc="Spikes after this time are not counted", unit="ms"),
        "delta_tau": Param(0.5, doc="Width of a histogram bin", unit="ms"),
        "tau_max": Param(5.0, doc="Largest time difference in the histogram", unit="ms"),
    }


class CorrelationBase(Model):
    """Shared parts: ports of the sources, the spikes kept, the pair histogram."""

    element_type = "recorder"
    role = ROLE_SPIKE_RECORDER
    own_events = True  # no ``events``; ``n_events`` per port
    n_receptors = 2  # correlation_detector's ports 0 and 1

    def check(self, v, n, gid):
        require(v["stop"] >= v["start"], self, gid, "stop >= start required.")
        from ...engine.kernel import kernel
        from ...errors import NESTErrors

        tpm, tps = kernel.tics_per_ms, kernel.tics_per_step

        def told(ms):
            # NEST's wording of a time: ms, tics and steps.
            tics = int(np.rint(float(np.max(ms)) * tpm))
            steps = int(np.floor(tics / tps + 0.5))
            return f"{tics / tpm:g} ms (= {tics} tics = {steps} step{'' if steps == 1 else 's'})"

        dt_tics = np.rint(np.asarray(v["delta_tau"]) * tpm)
        if np.any(dt_tics % tps != 0) or np.any(dt_tics <= 0):
            raise NESTErrors.StepMultipleRequired(
                f"The time property delta_tau = {told(v['delta_tau'])} of model {self.name} must be a multiple of "
                f"the resolution {told(kernel.h)}."
            )
        tm_tics = np.rint(np.asarray(v["tau_max"]) * tpm)
        if np.any(tm_tics % dt_tics != 0) or np.any(tm_tics < 0):
            raise NESTErrors.TimeMultipleRequired(
                f"In model {self.name}, the time property tau_max = {told(v['tau_max'])} must be multiple of "
                f"time property delta_tau = {told(v['delta_tau'])}."
            )

    def check_receptor(self, group, local, r) -> None:
        """Ports 0 .. ports - 1 take spikes (``receptor_type`` in ``Connect``)."""
        if r >= min(self.ports_of(group, int(i)) for i in local):
            from ...errors import NESTErrors

            raise NESTErrors.UnknownReceptorType(f"Receptor type {r} is not available in {self.name}.")

    # Setting one of these clears what was collected (as NEST 3.10 does).
    RESETTING = ("delta_tau", "tau_max", "Tstart", "Tstop", "N_channels", "n_events")

    def before_set(self, group, idx, key) -> None:
        if key in self.RESETTING and "spikes" in group.aux:
            for i in idx:
                group.aux["spikes"][int(i)] = []

    def window(self, group, h):
        v = group.values
        return window_steps(v["origin"], v["start"], v["stop"], h)

    def prepare(self, group, kernel):
        # Per detector and port: the weight of each source connected there (NaN: none). A
        # source may reach several ports of one detector.
        inputs: list[dict[int, np.ndarray]] = [{} for _ in range(group.n)]
        for b in kernel.blocks:
            if b.released or not len(b):
                continue
            tgt = b.target
            mine = (tgt >= group.first) & (tgt < group.first + group.n)
            if not mine.any():
                continue
            src, loc, w = b.source[mine], tgt[mine] - group.first, b.weights()[mine]
            ports = np.broadcast_to(np.asarray(b.extra.get("ports", b.receptor)), (len(b),))[mine]
            for port in np.unique(ports):
                on = ports == port
                for i in np.unique(loc[on]):
                    row = inputs[i].setdefault(int(port), np.full(kernel.n_nodes + 1, np.nan))
                    sel = on & (loc == i)
                    row[src[sel]] = w[sel]
        group.aux["inputs"] = inputs
        spikes = group.aux.setdefault("spikes", [[] for _ in range(group.n)])
        spikes.extend([] for _ in range(group.n - len(spikes)))

    def record(self, group, kernel, i, senders, stamps, offsets):
        for port, weights in group.aux["inputs"][i].items():
            w = weights[senders]
            keep = ~np.isnan(w)
            if keep.any():
                group.aux["spikes"][i].append((np.full(int(keep.sum()), port), stamps[keep], w[keep]))

    def _spikes(self, group, i):
        parts = group.aux.get("spikes", [[]] * group.n)[i]
        if not parts:
            z = np.zeros(0, dtype=np.int64)
            return z, z, np.zeros(0)
        port = np.concatenate([p[0] for p in parts])
        stamp = np.concatenate([p[1] for p in parts])
        w = np.concatenate([p[2] for p in parts])
        return port, stamp, w

    def _steps(self, group, i, h):
        v = group.values
        dt = int(round(v["delta_tau"][i] / h))
        tm = int(round(v["tau_max"][i] / h))
        t_lo = v["Tstart"][i] / h - 1e-9
        t_hi = v["Tstop"][i] / h + 1e-9 if v["Tstop"][i] < DBL_MAX / 2 else np.inf
        return dt, tm, t_lo, t_hi

    def _pairs(self, a_t, a_w, b_t, b_w, t_lo, t_hi, reach):
        """All pairs (a, b) with |t_a - t_b| <= reach whose later spike is in [t_lo, t_hi]:
        their time differences t_a - t_b (steps) and weight products."""
        order = np.argsort(b_t, kind="stable")
        b_t, b_w = b_t[order], b_w[order]
        lo = np.searchsorted(b_t, a_t - reach, side="left")
        hi = np.searchsorted(b_t, a_t + reach, side="right")
        n = hi - lo
        ia = np.repeat(np.arange(len(a_t)), n)
        ib = np.concatenate([np.arange(x, y) for x, y in zip(lo, hi)]) if len(a_t) else np.zeros(0, np.int64)
        ib = ib.astype(np.int64)
        later = np.maximum(a_t[ia], b_t[ib])
        ok = (later >= t_lo) & (later <= t_hi)
        return (a_t[ia] - b_t[ib])[ok], (a_w[ia] * b_w[ib])[ok]

    def _n_events(self, group, i, h):
        port, stamp, _ = self._spikes(group, i)
        _, _, t_lo, t_hi = self._steps(group, i, h)
        inside = (stamp >= t_lo) & (stamp <= t_hi)
        return np.bincount(port[inside], minlength=self.ports_of(group, i))[: self.ports_of(group, i)]

    def ports_of(self, group, i) -> int:
        return self.n_receptors


class CorrelationDetector(CorrelationBase):
    """Histogram of the time differences ``t_1 - t_0`` between spikes arriving on port 1
    and on port 0, in ``2 tau_max / delta_tau + 1`` bins centred on multiples of
    ``delta_tau`` from ``-tau_max`` to ``tau_max``."""

    name = "correlation_detector"
    params = {
        **_window_params(),
        "histogram": Param([], kind="floats", readonly=True, doc="Weighted histogram of the differences"),
        "histogram_correction": Param([], kind="floats", readonly=True, doc="Kahan compensation of the sums"),
        "count_histogram": Param([], kind="floats", readonly=True, doc="Number of pairs in each bin"),
        "n_events": Param(np.array([0, 0]), kind="list", doc="Spikes counted on each port (set [0, 0] to reset)"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(np.all(np.asarray(v["n_events"]) == 0), self, gid, "/n_events can only be set to [0 0].")

    def extra_status(self, group, i):
        from ...engine.kernel import kernel

        if "inputs" not in group.aux:  # before the first Simulate NEST shows empty histograms
            return {key: np.zeros(0) for key in ("histogram", "histogram_correction", "count_histogram")}

        h = kernel.h
        dt, tm, t_lo, t_hi = self._steps(group, i, h)
        nb = 2 * (tm // dt) + 1
        port, stamp, w = self._spikes(group, i)
        hist, count = np.zeros(nb), np.zeros(nb, dtype=np.int64)
        if len(stamp):
            p0, p1 = port == 0, port == 1
            reach = tm + dt // 2 + 1
            tau, ww = self._pairs(stamp[p1], w[p1], stamp[p0], w[p0], t_lo, t_hi, reach)
            # Bin i is centred on (i - nb // 2) delta_tau; a difference half way goes up.
            idx = (2 * (tau + tm) + dt) // (2 * dt)
            ok = (idx >= 0) & (idx < nb)
            hist = np.bincount(idx[ok], weights=ww[ok], minlength=nb).astype(float)
            count = np.bincount(idx[ok], minlength=nb)
        return {
            "histogram": hist,
            "histogram_correction": np.zeros(nb),
            "count_histogram": count,
            "n_events": self._n_events(group, i, h),
        }


class CorrelomatrixDetector(CorrelationBase):
    """Cross-covariances of ``N_channels`` inputs (receptor ports 0 .. N_channels - 1):
    ``covariance[i][j][k]`` sums the weight products of pairs of a spike on port i and an
    earlier (or simultaneous) one on port j, ``k delta_tau`` apart, for ``k`` from 0 to
    ``tau_max / delta_tau``."""

    name = "correlomatrix_detector"
    params = {
        **_window_params(),
        "N_channels": Param(1, kind="int", doc="Number of input channels (receptor ports)"),
        "covariance": Param(np.zeros((1, 1, 0)), kind="list", readonly=True, doc="Weighted covariances"),
        "count_covariance": Param(np.zeros((1, 1, 0)), kind="list", readonly=True, doc="Pair counts"),
        "n_events": Param(np.array([0]), kind="list", readonly=True, doc="Spikes counted on each channel"),
    }

    def check(self, v, n, gid):
        require(v["N_channels"] >= 1, self, gid, "/N_channels can only be larger than zero.")
        from ...engine.kernel import kernel

        steps = np.rint(np.asarray(v["delta_tau"]) / kernel.h).astype(np.int64)
        require(steps % 2 == 1, self, gid, "/delta_tau must be odd multiple of resolution.")
        super().check(v, n, gid)

    def ports_of(self, group, i) -> int:
        return int(group.values["N_channels"][i])

    def extra_status(self, group, i):
        from ...engine.kernel import kernel

        if "inputs" not in group.aux:  # before the first Simulate NEST shows empty matrices
            return {key: np.zeros((1, 1, 0)) for key in ("covariance", "count_covariance")}

        h = kernel.h
        dt, tm, t_lo, t_hi = self._steps(group, i, h)
        nb = tm // dt + 1
        nc = self.ports_of(group, i)
        cov, count = np.zeros((nc, nc, nb)), np.zeros((nc, nc, nb), dtype=np.int64)
        port, stamp, w = self._spikes(group, i)
        for a in range(nc):
            for b in range(nc):
                pa, pb = port == a, port == b
                if not (pa.any() and pb.any()):
                    continue
                tau, ww = self._pairs(stamp[pa], w[pa], stamp[pb], w[pb], t_lo, t_hi, tm + dt)
                idx = (2 * tau + dt) // (2 * dt)
                ok = (idx >= 0) & (idx < nb)
                cov[a, b] = np.bincount(idx[ok], weights=ww[ok], minlength=nb)
                count[a, b] = np.bincount(idx[ok], minlength=nb)
        return {"covariance": cov, "count_covariance": count, "n_events": self._n_events(group, i, h)}


class SpinDetector(SpikeRecorder):
    """Records binary neurons' transitions: ``state`` 1 for a double event (up), 0 for a
    single one (down)."""

    name = "spin_detector"

    def new_recording(self, group, i):
        return Recording(["senders", "times", "state"], {"senders": np.int64, "state": np.int64})

    def file_columns(self, rec):
        return ["sender", "time_ms", "state"]

    def record(self, group, kernel, i, senders, stamps, offsets):
        n = len(senders)
        if n == 0:
            return
        # Events of one sender at one time are neighbours (sorted by sender, then time).
        same = np.zeros(n, bool)
        same[1:] = (senders[1:] == senders[:-1]) & (stamps[1:] == stamps[:-1])
        first = np.ones(n, bool)
        j = 1
        while j < n:  # pair events: an event paired with the one before it is not a new one
            if same[j] and first[j - 1]:
                first[j] = False
            j += 1
        idx = np.flatnonzero(first)
        up = np.zeros(len(idx), dtype=np.int64)
        nxt = idx + 1
        has = nxt < n
        up[has] = (~first[nxt[has]]).astype(np.int64)
        self.recording(group, i).append(
            {"senders": senders[idx], "times": kernel.steps_to_ms(stamps[idx]) - offsets[idx], "state": up}
        )


class CorrelospinmatrixDetector(CorrelationBase):
    """Auto- and cross-correlations of the binary states of ``N_channels`` inputs (ports
    0 .. N_channels - 1): ``count_covariance[i][j][k]`` counts the steps ``t`` with channel
    ``i`` up at ``t`` and channel ``j`` up at ``t + (k - K) delta_tau``,
    ``K = tau_max / delta_tau``.

    The events are decoded as NEST does, one at a time in the order they arrive (a slice's
    events by sender): two events of one sender at one time are taken as one event of
    multiplicity 2 (what binary neurons send), which switches its channel up; a single event is a tentative down transition, confirmed by the next
    event (of any channel) that is not its partner. A confirmed pulse ``[t_on, t_off)`` is
    correlated with itself and every earlier pulse still within reach; a pulse whose down
    transition has not been confirmed yet (the last event seen) is not counted.
    """

    name = "correlospinmatrix_detector"
    status_note = "NEST's event decoding and pulse overlaps, fed by binary neurons (`tests/test_models_binary.py`)"
    elementsize = 392
    params = {
        "start": Param(0.0, doc="Begin of activity, relative to origin", unit="ms"),
        "stop": Param(DBL_MAX, doc="End of activity, relative to origin", unit="ms"),
        "origin": Param(0.0, doc="Time origin of start and stop", unit="ms"),
        "Tstart": Param(0.0, doc="Begin of the time window (not used by NEST 3.10's counting)", unit="ms"),
        "Tstop": Param(DBL_MAX, doc="End of the time window (not used by NEST 3.10's counting)", unit="ms"),
        "delta_tau": Param(0.1, doc="Width of a histogram bin", unit="ms"),
        "tau_max": Param(1.0, doc="Largest time lag in the histogram", unit="ms"),
        "N_channels": Param(1, kind="int", doc="Number of input channels (receptor ports)"),
        "count_covariance": Param(np.zeros((1, 1, 0)), kind="list", readonly=True, doc="Overlap counts (steps)"),
    }
    RESETTING = ("delta_tau", "tau_max", "Tstart", "Tstop", "N_channels")

    def check(self, v, n, gid):
        require(v["N_channels"] >= 1, self, gid, "/N_channels can only be larger than zero.")
        for key in ("delta_tau", "tau_max", "Tstart", "Tstop"):
            require(np.asarray(v[key]) >= 0, self, gid, f"/{key} must not be negative.")
        super().check(v, n, gid)

    def ports_of(self, group, i) -> int:
        return int(group.values["N_channels"][i])

    def before_set(self, group, idx, key) -> None:
        # NEST sizes (and clears) the matrix whenever one of these is set.
        if key in self.RESETTING:
            sized = group.aux.setdefault("sized", np.zeros(group.n, bool))
            sized[np.asarray(idx, dtype=np.int64)] = True
            for i in idx:
                group.aux.pop(("spin", int(i)), None)

    def _state(self, group, i, h):
        key = ("spin", i)
        st = group.aux.get(key)
        if st is None:
            nc = self.ports_of(group, i)
            dt, tm, _, _ = self._steps(group, i, h)
            st = {
                # last channel, stamp of the last event, tentative down (0/1), pulses kept
                "scalars": np.array([0, np.iinfo(np.int64).min, 0, 0], dtype=np.int64),
                "up": np.zeros(nc, dtype=np.bool_),
                "last_change": np.zeros(nc, dtype=np.int64),
                "pulses": np.zeros((16, 3), dtype=np.int64),  # t_on, t_off, channel; by t_off
                "cov": np.zeros((nc, nc, 2 * (tm // dt) + 1), dtype=np.int64),
                "steps": (dt, tm),
            }
            group.aux[key] = st
        return st

    def prepare(self, group, kernel):
        super().prepare(group, kernel)
        for i in range(group.n):
            self._state(group, i, kernel.h)

    def record(self, group, kernel, i, senders, stamps, offsets):
        inputs = group.aux["inputs"][i]
        if not inputs or not len(senders):
            return
        ports = sorted(inputs)
        # Two events of one sender at one time are one event of multiplicity 2 (what binary
        # neurons send; NEST decodes it apart from two single events).
        mult = _pair_events(senders.astype(np.int64), stamps.astype(np.int64))
        keep = mult > 0
        senders, stamps, mult = senders[keep], stamps[keep], mult[keep]
        # Each event reaches every port its sender is connected to, in port order.
        hit = np.array([~np.isnan(inputs[p][senders]) for p in ports])
        ev, pi = np.nonzero(hit.T)
        if not len(ev):
            return
        channel = np.asarray(ports, dtype=np.int64)[pi]
        st = self._state(group, i, kernel.h)
        need = int(st["scalars"][3]) + len(ev) + 1
        if need > len(st["pulses"]):
            grown = np.zeros((max(need, 2 * len(st["pulses"])), 3), dtype=np.int64)
            grown[: len(st["pulses"])] = st["pulses"]
            st["pulses"] = grown
        dt, tm = st["steps"]
        _spin_events(channel, stamps[ev].astype(np.int64), mult[ev], st["scalars"], st["up"], st["last_change"],
                     st["pulses"], st["cov"], dt, tm, kernel.min_delay_steps)  # fmt: skip

    def extra_status(self, group, i):
        from ...engine.kernel import kernel

        st = group.aux.get(("spin", i))
        if st is not None:
            return {"count_covariance": st["cov"].copy()}
        if "sized" in group.aux and group.aux["sized"][i]:
            nc = self.ports_of(group, i)
            dt, tm, _, _ = self._steps(group, i, kernel.h)
            return {"count_covariance": np.zeros((nc, nc, 2 * (tm // dt) + 1), dtype=np.int64)}
        return {"count_covariance": np.zeros((1, 1, 0), dtype=np.int64)}


@njit(cache=True)
def _pair_events(senders, stamps):
    """Multiplicity of each event: 2 for the first of two of one sender and time (the
    second gets 0), 1 otherwise; events come sorted by sender, then time."""
    n = senders.shape[0]
    mult = np.ones(n, dtype=np.int64)
    j = 0
    while j < n:
        if j + 1 < n and senders[j + 1] == senders[j] and stamps[j + 1] == stamps[j]:
            mult[j] = 2
            mult[j + 1] = 0
            j += 2
        else:
            j += 1
    return mult


@njit(cache=True)
def _spin_events(channel, stamp, mult, sc, up, last_change, pulses, cov, dt, tm, min_delay):
    """Decode binary events one by one and add each confirmed pulse's overlaps to ``cov``.

    ``sc``: last channel, stamp of the last event, tentative down transition, pulses kept.
    NEST's order of updates is kept, quirks included: an event of multiplicity 2 marks its
    channel's switch-on time before a down transition it confirms is processed, so a
    channel that goes up right after its own down loses that pulse (and the next pulse
    starts at the down time); it also marks the previous event's channel as down.
    """
    k0 = tm // dt
    for e in range(channel.shape[0]):
        c = channel[e]
        t = stamp[e]
        down = False
        if mult[e] == 2:
            up[c] = True
            down = sc[2] == 1
            up[sc[0]] = False
            last_change[c] = t
            sc[2] = 0
        elif c == sc[0] and t == sc[1]:
            # The partner of the event before: an up transition, not a down one.
            up[c] = True
            last_change[c] = t
            sc[2] = 0
        else:
            down = sc[2] == 1
            sc[2] = 1
        if down:
            i = sc[0]
            t_on = last_change[i]
            t_off = sc[1]
            # Pulses that ended too long before every open pulse can no longer overlap.
            t_min = t_on
            for n in range(up.shape[0]):
                if up[n] and last_change[n] < t_min:
                    t_min = last_change[n]
            drop = 0
            while drop < sc[3] and t_min - pulses[drop, 1] >= tm + dt + min_delay:
                drop += 1
            if drop:
                pulses[: sc[3] - drop] = pulses[drop : sc[3]].copy()
                sc[3] -= drop
            # Insert before the first pulse that ends later (ties keep arrival order).
            pos = sc[3]
            for q in range(sc[3]):
                if pulses[q, 1] > t_off:
                    pos = q
                    break
            for q in range(sc[3], pos, -1):
                pulses[q] = pulses[q - 1]
            pulses[pos, 0] = t_on
            pulses[pos, 1] = t_off
            pulses[pos, 2] = i
            sc[3] += 1
            for q in range(sc[3]):
                j = pulses[q, 2]
                a_on = pulses[q, 0]
                a_off = pulses[q, 1]
                lag = min(t_off, a_off) - max(t_on, a_on)
                if lag > 0:
                    cov[i, j, k0] += lag
                    if i != j:
                        cov[j, i, k0] += lag
                # Shifts of the other pulse by whole bins; division truncates towards zero.
                lo = max(a_on - t_off, -tm)
                lo = -((-lo) // dt) if lo < 0 else lo // dt
                for d in range(lo, 0):
                    lag = min(t_off, a_off - d * dt) - max(t_on, a_on - d * dt)
                    if lag > 0:
                        cov[i, j, k0 - d] += lag
                        cov[j, i, k0 + d] += lag
                if i != j:
                    hi = min(a_off - t_on, tm)
                    hi = hi // dt if hi >= 0 else -((-hi) // dt)
                    for d in range(1, hi + 1):
                        lag = min(t_off, a_off - d * dt) - max(t_on, a_on - d * dt)
                        if lag > 0:
                            cov[i, j, k0 - d] += lag
                            cov[j, i, k0 + d] += lag
            last_change[i] = t_off
        sc[0] = c
        sc[1] = t


MODELS = [CorrelationDetector, CorrelomatrixDetector, SpinDetector, CorrelospinmatrixDetector]
