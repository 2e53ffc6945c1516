"""Files written by NEST 3.10's ascii recording backend -> tests/reference/ascii_files.json

Protocol: three iaf_psc_alpha with I_e 376, 400 and 450 pA; a spike_recorder and a
voltmeter (interval 5 ms) writing to ascii (labels "spikes" and "volts"), and the same
two recorders with the memory backend; Simulate(100.0); ResetKernel (which closes the
files). Stored: the text of both files and the memory recorders' events, so that
``raster_plot.from_file`` and ``voltage_trace.from_file`` can be checked on NEST's own files.
"""

import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402


def main():
    import nest

    _common.quiet(nest)
    nest.ResetKernel()
    with tempfile.TemporaryDirectory() as tmp:
        nest.data_path = tmp
        n = nest.Create("iaf_psc_alpha", 3, params={"I_e": [376.0, 400.0, 450.0]})
        recorders = {}
        for backend in ("ascii", "memory"):
            sr = nest.Create("spike_recorder", params={"record_to": backend, "label": "spikes"})
            vm = nest.Create("voltmeter", params={"record_to": backend, "label": "volts", "interval": 5.0})
            nest.Connect(n, sr)
            nest.Connect(vm, n)
            recorders[backend] = (sr, vm)
        nest.Simulate(100.0)
        sr, vm = recorders["memory"]
        out = {"spike_events": sr.get("events"), "voltmeter_events": vm.get("events")}
        names = {
            "spikes": recorders["ascii"][0].get("filenames")[0],
            "volts": recorders["ascii"][1].get("filenames")[0],
        }
        nest.ResetKernel()
        for key, path in names.items():
            with open(path) as f:
                out[f"{key}_text"] = f.read()
    _common.write_json("ascii_files.json", out)


if __name__ == "__main__":
    main()
