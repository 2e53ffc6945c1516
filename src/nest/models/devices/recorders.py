"""Recording devices: ``spike_recorder``, ``multimeter``, ``voltmeter``.

A recorder keeps its events as chunks of NumPy arrays appended once per slice; reading
``events`` concatenates them. As in NEST, a multimeter's samples taken during a slice
of ``min_delay`` steps become visible once the simulation has moved past that slice.
"""

from __future__ import annotations

import os

import numpy as np

from ..base import DBL_MAX, ROLE_MULTIMETER, ROLE_SPIKE_RECORDER, Model, Param, require, window_steps


class Recording:
    """Growable columns of one recorder."""

    def __init__(self, keys: list[str], dtypes: dict[str, type]):
        self.keys = list(keys)
        self.dtypes = dtypes
        self.chunks: dict[str, list[np.ndarray]] = {k: [] for k in self.keys}
        self.pending: list[tuple[int, dict[str, np.ndarray]]] = []
        self._cache: dict[str, np.ndarray] | None = None
        self.n = 0
        self.written = 0  # rows already written to a file

    def append(self, cols: dict[str, np.ndarray]) -> None:
        n = len(next(iter(cols.values())))
        if n == 0:
            return
        for k in self.keys:
            self.chunks[k].append(cols[k])
        self.n += n
        self._cache = None

    def hold(self, slice_index: int, cols: dict[str, np.ndarray]) -> None:
        """Keep samples of a slice until the simulation moves past it."""
        self.pending.append((slice_index, cols))

    def release(self, before_slice: int) -> None:
        keep, ready = [], {}
        for idx, cols in self.pending:
            if idx < before_slice:
                ready.setdefault(idx, []).append(cols)
            else:
                keep.append((idx, cols))
        for parts in ready.values():
            if len(parts) > 1:
                # A slice run in parts (Simulate calls ending inside it): NEST lists the
                # whole slice node by node.
                cols = {k: np.concatenate([p[k] for p in parts]) for k in parts[0]}
                order = np.argsort(cols["senders"], kind="stable")
                parts = [{k: v[order] for k, v in cols.items()}]
            self.append(parts[0])
        self.pending = keep

    def events(self) -> dict[str, np.ndarray]:
        if self._cache is None:
            out = {}
            for k in self.keys:
                ch = self.chunks[k]
                if len(ch) > 1:
                    ch[:] = [np.concatenate(ch)]
                out[k] = ch[0].copy() if ch else np.zeros(0, dtype=self.dtypes.get(k, np.float64))
            self._cache = out
        return {k: v.copy() for k, v in self._cache.items()}

    def clear(self) -> None:
        self.chunks = {k: [] for k in self.keys}
        self.n = 0
        self.written = 0
        self._cache = None


def _recorder_params() -> dict[str, Param]:
    return {
        "start": Param(0.0, doc="Begin of recording, relative to origin", unit="ms"),
        "stop": Param(DBL_MAX, doc="End of recording, relative to origin", unit="ms"),
        "origin": Param(0.0, doc="Time origin of start and stop", unit="ms"),
        "label": Param("", kind="str", doc="Name used in file names"),
        "record_to": Param("memory", kind="str", doc="Recording backend: memory, ascii or screen"),
        "time_in_steps": Param(False, kind="bool", doc="Record times as steps (and offsets)"),
    }


BACKENDS = ("memory", "ascii", "screen")


class Recorder(Model):
    element_type = "recorder"

    def check(self, v, n, gid):
        require(v["stop"] >= v["start"], self, gid, "stop >= start required.")
        rt = v["record_to"]
        if rt not in BACKENDS:
            from ...errors import BadProperty

            raise BadProperty(f"Recording backend '{rt}' is unknown. Valid backends: {', '.join(BACKENDS)}.")

    def recording(self, group, i) -> Recording:
        recs = group.aux.setdefault("recordings", [None] * group.n)
        if recs[i] is None:
            recs[i] = self.new_recording(group, i)
        return recs[i]

    def window(self, group, h):
        """(lo, hi] in steps per node: the recording window."""
        v = group.values
        return window_steps(v["origin"], v["start"], v["stop"], h)

    def extra_status(self, group, i):
        rec = self.recording(group, i)
        st = {"events": rec.events(), "n_events": rec.n}
        if group.values["record_to"][i] == "ascii":
            from ...engine.kernel import kernel

            st["filenames"] = [kernel.data_file(self.name, group.values["label"][i], group.first + i)]
        return st

    def set_extra(self, group, idx, key, value):
        if key == "n_events":
            if value != 0:
                from ...errors import BadProperty

                raise BadProperty("n_events can only be set to 0.")
            for i in idx:
                self.recording(group, i).clear()
            return True
        return False

    def finish_run(self, group, kernel) -> None:
        self.flush_files(group, kernel)

    def flush_files(self, group, kernel) -> None:
        """Write what was recorded since the last flush (ascii) or print it (screen)."""
        for i in range(group.n):
            backend = group.values["record_to"][i]
            if backend == "memory":
                continue
            rec = self.recording(group, i)
            ev = rec.events()
            new = {k: v[rec.written :] for k, v in ev.items()}
            if backend == "screen":
                for row in zip(*[new[k] for k in rec.keys]):
                    print("\t".join(str(x) for x in row))
            else:
                path = kernel.data_file(self.name, group.values["label"][i], group.first + i)
                fresh = rec.written == 0
                if fresh and os.path.exists(path) and not kernel.overwrite_files:
                    from ...errors import NESTErrors

                    raise NESTErrors.IOError(
                        f"The file '{path}' already exists; set overwrite_files to True to replace it."
                    )
                with open(path, "w" if fresh else "a") as f:
                    if fresh:
                        f.write("# NEST version: 3.10.0 (nestling)\n# RecordingBackendASCII version: 2\n")
                        f.write("\t".join(self.file_columns(rec)) + "\n")
                    for row in zip(*[new[k] for k in rec.keys]):
                        f.write("\t".join(_fmt(x) for x in row) + "\n")
            rec.written = rec.n


def _fmt(x) -> str:
    if isinstance(x, (np.integer, int)):
        return str(int(x))
    return f"{float(x):.3f}" if abs(float(x)) < 1e15 else repr(float(x))


class SpikeRecorder(Recorder):
    """Records the spikes of the nodes connected to it: ``senders`` and ``times``."""

    name = "spike_recorder"
    role = ROLE_SPIKE_RECORDER
    params = _recorder_params()

    def new_recording(self, group, i):
        if group.values["time_in_steps"][i]:
            return Recording(["senders", "times", "offsets"], {"senders": np.int64, "times": np.int64})
        return Recording(["senders", "times"], {"senders": np.int64})

    def file_columns(self, rec):
        return ["sender", "time_ms"] if "offsets" not in rec.keys else ["sender", "time_step", "offset"]

    def record(self, group, kernel, i, senders, stamps, offsets):
        """Spikes as (stamp, offset): ``times`` in ms are ``stamp * h - offset``, as NEST's."""
        rec = self.recording(group, i)
        if "offsets" in rec.keys:
            rec.append({"senders": senders, "times": stamps, "offsets": offsets})
        else:
            rec.append({"senders": senders, "times": kernel.steps_to_ms(stamps) - offsets})


class Multimeter(Recorder):
    """Samples the recordables in ``record_from`` of its targets every ``interval``."""

    name = "multimeter"
    role = ROLE_MULTIMETER
    params = {
        **_recorder_params(),
        "interval": Param(1.0, doc="Sampling interval", unit="ms"),
        "offset": Param(0.0, doc="First sampling time", unit="ms"),
        "record_from": Param([], kind="list", doc="Names of the recordables to sample"),
    }

    def check(self, v, n, gid):
        super().check(v, n, gid)
        require(v["interval"] > 0, self, gid, "The sampling interval must be > 0.")
        require(v["offset"] >= 0, self, gid, "The offset must be >= 0.")

    def before_set(self, group, idx, key) -> None:
        """NEST's rule: what is sampled cannot change once the multimeter is connected."""
        if key in ("record_from", "interval", "offset"):
            from ...engine.kernel import kernel

            gids = group.first + np.asarray(idx)
            if any(not b.released and b.source is not None and np.isin(gids, b.source).any() for b in kernel.blocks):
                from ...errors import BadProperty

                raise BadProperty(
                    f"Setting status of a '{self.name}' with node ID {int(gids[0])}: The recording interval, the "
                    "interval offset and the list of properties to record cannot be changed after the "
                    f"{self.name} has been connected to nodes."
                )
            # Nothing recorded yet: the events take the new columns.
            recs = group.aux.get("recordings")
            if recs is not None:
                for i in idx:
                    recs[i] = None

    def new_recording(self, group, i):
        keys = ["senders", "times", *group.values["record_from"][i]]
        dt = {"senders": np.int64}
        if group.values["time_in_steps"][i]:
            dt["times"] = np.int64
        return Recording(keys, dt)

    def file_columns(self, rec):
        return ["sender", "time_ms", *rec.keys[2:]]


class Voltmeter(Multimeter):
    """A multimeter that records ``V_m``."""

    name = "voltmeter"

    def __init__(self, name=None):
        super().__init__(name)
        self.defaults["record_from"] = ["V_m"]


# A weight_recorder takes no connections: synapse models name it as their recorder.
ROLE_WEIGHT_RECORDER = "weight_recorder"


class WeightRecorder(Recorder):
    """Records every spike sent through the synapses whose model names it as its
    ``weight_recorder``: ``senders``, ``targets``, ``times`` (the spike's), ``weights``,
    ``receptors`` and ``ports``. ``senders`` and ``targets`` (NodeCollections, empty for
    all) restrict what is recorded. The engine's pass is ``nest.engine.weight_recording``."""

    name = "weight_recorder"
    role = ROLE_WEIGHT_RECORDER
    elementsize = 240
    params = {
        **_recorder_params(),
        "senders": Param([], kind="list", doc="Record only spikes of these nodes (all if empty)"),
        "targets": Param([], kind="list", doc="Record only spikes to these nodes (all if empty)"),
    }

    def new_recording(self, group, i):
        dt = {"senders": np.int64, "targets": np.int64, "receptors": np.int64, "ports": np.int64}
        time = ["times"]
        if group.values["time_in_steps"][i]:
            dt["times"] = np.int64
            time.append("offsets")
        # In the order of the file's columns.
        return Recording(["senders", *time, "weights", "targets", "receptors", "ports"], dt)

    def file_columns(self, rec):
        time = ["time_step", "offset"] if "offsets" in rec.keys else ["time_ms"]
        return ["sender", *time, "weights", "targets", "receptors", "ports"]

    def filter_ids(self, group, i, key: str) -> np.ndarray:
        """The ids in ``senders`` or ``targets`` (stored as given: ids or NodeCollections)."""
        ids = []
        for x in group.values[key][i]:
            ids.extend(x.tolist() if hasattr(x, "tolist") else [int(x)])
        return np.asarray(ids, dtype=np.int64)

    def extra_status(self, group, i):
        from ...api.nodes import NodeCollection

        st = super().extra_status(group, i)
        if not st["n_events"]:
            # NEST's memory backend names the other columns only once something is recorded.
            st["events"] = {k: st["events"][k] for k in ("senders", "times")}
        for key in ("senders", "targets"):
            st[key] = NodeCollection(np.unique(self.filter_ids(group, i, key)))
        return st

    def record_events(self, group, kernel, i, cols) -> None:
        rec = self.recording(group, i)
        if "offsets" in rec.keys:
            cols = dict(cols, offsets=np.zeros(len(cols["times"])))
        else:
            cols = dict(cols, times=kernel.steps_to_ms(cols["times"]))
        rec.append(cols)


MODELS = [SpikeRecorder, Multimeter, Voltmeter, WeightRecorder]
