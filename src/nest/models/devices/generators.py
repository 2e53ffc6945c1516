"""Stimulation devices: current generators, Poisson generators, spike generators.

A current generator fills, once per slice, one row of amplitudes per output stream
(one per generator, or one per connection where each target gets its own noise); the
engine scatters the rows into its targets' current buffers with each connection's weight
and delay. A device emits at step ``s`` the value stamped ``s + 1`` and is active for
stamps in ``(origin + start, origin + stop]``.
"""

from __future__ import annotations

import math

import numpy as np

from ...engine import rng
from ...engine.precise import precise_stamps
from ..base import (
    DBL_MAX,
    ROLE_CURRENT_SOURCE,
    ROLE_POISSON_SOURCE,
    ROLE_SPIKE_SOURCE,
    Model,
    Param,
    require,
    window_steps,
)


def _device_params() -> dict[str, Param]:
    return {
        "start": Param(0.0, doc="Activation time, relative to origin", unit="ms"),
        "stop": Param(DBL_MAX, doc="Deactivation time, relative to origin", unit="ms"),
        "origin": Param(0.0, doc="Time origin of start and stop", unit="ms"),
        "label": Param("", kind="str", doc="Name of the device"),
        "stimulus_source": Param("", kind="str", doc="Source of the stimulus (input backend)"),
    }


class Stimulator(Model):
    element_type = "stimulator"
    window_closed_left = False  # active for stamps in (start, stop]

    def check(self, v, n, gid):
        require(v["stop"] >= v["start"], self, gid, "stop >= start required.")

    def window_of(self, group, i: int, h: float) -> tuple[float, float]:
        """(lo, hi] in steps of node ``i``'s active stamps (spike-emitting devices)."""
        v = group.values
        lo, hi = window_steps(v["origin"][i : i + 1], v["start"][i : i + 1], v["stop"][i : i + 1], h)
        return float(lo[0]), float(hi[0])

    def active_mask(self, group, kernel, t0: int, m: int) -> np.ndarray:
        """(n, m) booleans: is node i active for the output stamped t0 + k + 1."""
        v = group.values
        lo, hi = window_steps(v["origin"], v["start"], v["stop"], kernel.h)
        stamps = np.arange(t0 + 1, t0 + m + 1, dtype=np.float64)
        if self.window_closed_left:
            return (stamps[None, :] >= lo[:, None]) & (stamps[None, :] < hi[:, None])
        return (stamps[None, :] > lo[:, None]) & (stamps[None, :] <= hi[:, None])


class CurrentGenerator(Stimulator):
    """A device whose output is a current; active for stamps in ``[start, stop)``.

    NEST's current generators switch on one step earlier than its spike generators:
    a ``dc_generator`` with ``start=5`` and delay 1 ms first moves ``V_m`` at 6.1 ms.
    """

    role = ROLE_CURRENT_SOURCE
    window_closed_left = True
    recordables = ("I",)
    per_target = False  # True: every connection gets its own stream (noise_generator)

    def amplitudes(self, group, kernel, t0, m) -> np.ndarray:
        """(n_rows, m) currents for the output stamps t0 + 1 .. t0 + m."""
        raise NotImplementedError


class DCGenerator(CurrentGenerator):
    """Constant current ``amplitude`` (pA) while active."""

    name = "dc_generator"
    params = {**_device_params(), "amplitude": Param(0.0, doc="Amplitude of the current", unit="pA")}

    def amplitudes(self, group, kernel, t0, m):
        return np.where(self.active_mask(group, kernel, t0, m), group.values["amplitude"][:, None], 0.0)


class ACGenerator(CurrentGenerator):
    """Sinusoidal current ``offset + amplitude * sin(2 pi frequency t + phase)``."""

    name = "ac_generator"
    elementsize = 328
    params = {
        "y_0": Param(0.0, state=True, readonly=True, doc="Oscillator state (cosine part)"),
        "y_1": Param(0.0, state=True, readonly=True, doc="Oscillator state (sine part)"),
        **_device_params(),
        "amplitude": Param(0.0, doc="Amplitude of the sine", unit="pA"),
        "offset": Param(0.0, doc="Constant offset", unit="pA"),
        "phase": Param(0.0, doc="Phase of the sine", unit="deg"),
        "frequency": Param(0.0, doc="Frequency", unit="Hz"),
    }

    def amplitudes(self, group, kernel, t0, m):
        v = group.values
        t = np.arange(t0 + 1, t0 + m + 1) * kernel.h  # ms
        omega = 2.0 * math.pi * v["frequency"][:, None] / 1000.0
        phi = v["phase"][:, None] * math.pi / 180.0
        cur = v["offset"][:, None] + v["amplitude"][:, None] * np.sin(omega * t[None, :] + phi)
        return np.where(self.active_mask(group, kernel, t0, m), cur, 0.0)


class StepCurrentGenerator(CurrentGenerator):
    """Piecewise-constant current: ``amplitude_values[i]`` from ``amplitude_times[i]`` on."""

    name = "step_current_generator"
    params = {
        **_device_params(),
        "amplitude_times": Param([], kind="floats", doc="Times of the amplitude changes", unit="ms"),
        "amplitude_values": Param([], kind="floats", doc="Amplitudes from those times on", unit="pA"),
        "allow_offgrid_times": Param(False, kind="bool", doc="Round times to the grid instead of refusing"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        times = np.asarray(v["amplitude_times"], dtype=float)
        values = np.asarray(v["amplitude_values"], dtype=float)
        require(times.shape == values.shape, self, gid, "Amplitude times and values have to be the same size.")
        require(np.all(np.diff(times) > 0), self, gid, "Amplitude times must be strictly increasing.")

    def amplitudes(self, group, kernel, t0, m):
        out = np.zeros((group.n, m))
        stamps = np.arange(t0 + 1, t0 + m + 1)
        for i in range(group.n):
            times = np.asarray(group.values["amplitude_times"][i], dtype=float)
            if times.size == 0:
                continue
            steps = kernel.time_to_steps(
                times, f"{self.name} amplitude_times", allow_offgrid=bool(group.values["allow_offgrid_times"][i])
            )
            vals = np.asarray(group.values["amplitude_values"][i], dtype=float)
            # A value set at time t is the current of the output stamped t.
            idx = np.searchsorted(steps, stamps, side="right") - 1
            out[i] = np.where(idx >= 0, vals[np.maximum(idx, 0)], 0.0)
        return np.where(self.active_mask(group, kernel, t0, m), out, 0.0)


class NoiseGenerator(CurrentGenerator):
    """Gaussian white-noise current, a new value every ``dt``, independent per target."""

    name = "noise_generator"
    per_target = True
    elementsize = 440
    params = {
        "y_0": Param(0.0, state=True, readonly=True, doc="Modulation oscillator state"),
        "y_1": Param(0.0, state=True, readonly=True, doc="Modulation oscillator state"),
        **_device_params(),
        "mean": Param(0.0, doc="Mean of the current", unit="pA"),
        "std": Param(0.0, doc="Standard deviation of the current", unit="pA"),
        "std_mod": Param(0.0, doc="Modulation amplitude of the standard deviation", unit="pA"),
        "frequency": Param(0.0, doc="Frequency of the modulation", unit="Hz"),
        "phase": Param(0.0, doc="Phase of the modulation", unit="deg"),
        "dt": Param(1.0, doc="Interval between two new values", unit="ms"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["std"] >= 0, self, gid, "The standard deviation cannot be negative.")
        require(v["std_mod"] >= 0, self, gid, "The standard deviation cannot be negative.")
        require(
            v["std_mod"] <= v["std"],
            self,
            gid,
            "The modulation apmlitude must be smaller or equal to the baseline amplitude.",
        )
        require(v["dt"] > 0, self, gid, "dt must be positive.")

    def amplitudes_per_target(self, group, kernel, t0, m, gen_local, ordinal):
        """(n_conn, m) currents, one independent stream per connection."""
        v = group.values
        h = kernel.h
        dt_steps = np.maximum(np.rint(v["dt"] / h).astype(np.int64), 1)[gen_local]
        stamps = np.arange(t0 + 1, t0 + m + 1)
        epoch = (stamps[None, :] - 1) // dt_steps[:, None]
        keys = group.aux["noise_keys"]
        z = _noise_draws(keys, epoch)
        mean = v["mean"][gen_local][:, None]
        std = v["std"][gen_local][:, None]
        mod = v["std_mod"][gen_local][:, None]
        if np.any(mod != 0):
            t = stamps * h
            omega = 2 * math.pi * v["frequency"][gen_local][:, None] / 1000.0
            phi = v["phase"][gen_local][:, None] * math.pi / 180.0
            std = np.sqrt(std**2 + mod**2 * np.sin(omega * t[None, :] + phi))
        active = self.active_mask(group, kernel, t0, m)[gen_local]
        return np.where(active, mean + std * z, 0.0)


def _noise_draws(keys: np.ndarray, epoch: np.ndarray) -> np.ndarray:
    return _noise_draws_jit(keys, epoch)


from numba import njit  # noqa: E402


@njit(cache=True)
def _noise_draws_jit(keys, epoch):
    out = np.empty(epoch.shape)
    for c in range(epoch.shape[0]):
        for k in range(epoch.shape[1]):
            out[c, k] = rng.normal(rng.counter_key(keys[c], epoch[c, k]), 0)
    return out


class PoissonGenerator(Stimulator):
    """Poisson spike trains of ``rate`` (1/s), drawn independently for every target."""

    name = "poisson_generator"
    role = ROLE_POISSON_SOURCE
    params = {**_device_params(), "rate": Param(0.0, doc="Mean firing rate", unit="spikes/s")}

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["rate"] >= 0, self, gid, "The rate cannot be negative.")


class PoissonGeneratorPs(PoissonGenerator):
    """Poisson trains with spike times off the grid, one independent train per target.

    Intervals are ``dead_time`` plus an exponential wait whose rate keeps the mean rate
    at ``rate``; spikes fall in ``(origin + start, origin + stop]``.
    """

    name = "poisson_generator_ps"
    precise_source = True
    elementsize = 288
    params = {**PoissonGenerator.params, "dead_time": Param(0.0, doc="Dead time after each spike", unit="ms")}

    def check(self, v, n, gid):
        super().check(v, n, gid)  # start, stop and rate
        require(v["dead_time"] >= 0, self, gid, "The dead time cannot be negative.")
        require(
            (v["rate"] == 0) | (1000.0 / np.where(v["rate"] > 0, v["rate"], 1.0) >= v["dead_time"]),
            self,
            gid,
            "The inverse rate cannot be smaller than the dead time.",
        )

    def train_params(self, group, i, h):
        """(start, stop in ms, rate of the exponential part in 1/ms, dead time) of node ``i``."""
        v = group.values
        rate, dead = v["rate"][i] / 1000.0, v["dead_time"][i]
        free = 1.0 / rate - dead if rate > 0 else 0.0
        lam = 1.0 / free if free > 0 else (np.inf if rate > 0 else 0.0)
        return v["origin"][i] + v["start"][i], v["origin"][i] + v["stop"][i], lam, dead


class SpikeGenerator(Stimulator):
    """Emits spikes at ``spike_times`` to all its targets."""

    name = "spike_generator"
    role = ROLE_SPIKE_SOURCE
    elementsize = 320
    params = {
        **_device_params(),
        "spike_times": Param([], kind="floats", doc="Spike times", unit="ms"),
        "spike_weights": Param([], kind="floats", doc="Weight of each spike (replaces the connection weight)"),
        "spike_multiplicities": Param([], kind="floats", doc="Multiplicity of each spike"),
        "precise_times": Param(False, kind="bool", doc="Keep times off the grid as offsets (precise spikes)"),
        "allow_offgrid_times": Param(False, kind="bool", doc="Round off-grid times to the grid"),
        "shift_now_spikes": Param(False, kind="bool", doc="Shift spikes at the current time by one step"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        times = np.asarray(v["spike_times"], dtype=float)
        require(np.all(np.diff(times) >= 0), self, gid, "spike_times must be sorted in non-descending order.")
        for key in ("spike_weights", "spike_multiplicities"):
            vals = np.asarray(v[key])
            require(
                vals.size in (0, times.size), self, gid, f"{key} must have the same number of elements as spike_times."
            )
        require(
            not np.any(np.asarray(v["precise_times"]) & (np.asarray(v["allow_offgrid_times"]) | v["shift_now_spikes"])),
            self,
            gid,
            "Option precise_times cannot be set to true when either allow_offgrid_times or shift_now_spikes is set "
            "to true.",
        )
        if times.size and not np.any(v["precise_times"]):
            self._grid_times(v, times, gid)

    def _grid_times(self, v, times, gid):
        """Times on the grid: refused off it, or (``allow_offgrid_times``) moved to the end
        of their step, as NEST does (1.03 ms becomes 1.1 ms at a resolution of 0.1 ms)."""
        from ...engine.kernel import kernel

        tics = np.rint(times * kernel.tics_per_ms).astype(np.int64)  # the nearest tic first
        tps = kernel.tics_per_step
        off = tics % tps != 0
        if not np.any(off):
            return
        require(
            np.all(v["allow_offgrid_times"]),
            self,
            gid,
            f"spike_generator: Time point {times[off][0]:g} is not representable in current resolution.",
        )
        v["spike_times"] = kernel.steps_to_ms(-(-tics // tps))

    def prepare(self, group, kernel):
        stamps, mults, offsets = [], [], []
        for i in range(group.n):
            times = np.asarray(group.values["spike_times"][i], dtype=float)
            if group.values["precise_times"][i]:
                # Off-grid times stay exact: the step at whose end they fall, and an offset.
                steps, offs = precise_stamps(times, kernel.h, kernel.tics_per_ms)
            else:
                steps = kernel.time_to_steps(
                    times, "spike_generator spike_times", allow_offgrid=bool(group.values["allow_offgrid_times"][i])
                )
                offs = np.zeros(steps.size)
            offsets.append(offs)
            mult = np.asarray(group.values["spike_multiplicities"][i], dtype=float)
            if mult.size == 0:
                mult = np.ones(steps.size)
            w = np.asarray(group.values["spike_weights"][i], dtype=float)
            if w.size:
                mult = mult * w
            stamps.append(steps)
            mults.append(mult)
        group.aux["stamps"] = stamps
        group.aux["mults"] = mults
        group.aux["offsets"] = offsets
        group.aux["precise"] = bool(np.any(group.values["precise_times"]))
        kernel.reserve_spikes(group, 0)

    def update(self, group, kernel, t0, m):
        v = group.values
        h = kernel.h
        out_gid, out_t, out_m, out_o = [], [], [], []
        for i in range(group.n):
            st = group.aux["stamps"][i]
            a = np.searchsorted(st, t0, side="right")
            b = np.searchsorted(st, t0 + m, side="right")
            if a == b:
                continue
            s = st[a:b]
            lo, hi = window_steps(v["origin"][i : i + 1], v["start"][i : i + 1], v["stop"][i : i + 1], h)
            keep = (s > lo) & (s <= hi)
            out_gid.append(np.full(int(keep.sum()), group.first + i))
            out_t.append(s[keep])
            out_m.append(group.aux["mults"][i][a:b][keep])
            out_o.append(group.aux["offsets"][i][a:b][keep])
        if out_gid:
            offs = np.concatenate(out_o) if group.aux["precise"] else None
            kernel.add_spikes(np.concatenate(out_gid), np.concatenate(out_t), np.concatenate(out_m), offs)


MODELS = [DCGenerator, ACGenerator, StepCurrentGenerator, NoiseGenerator, PoissonGenerator, SpikeGenerator]
MODELS += [PoissonGeneratorPs]
