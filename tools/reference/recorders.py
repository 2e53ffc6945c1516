"""Recorder windows, parrot neurons and voltmeters in real NEST 3.10.

Protocol (ResetKernel, resolution 0.1 ms, defaults unless stated), nodes in this order:
    n   = Create("iaf_psc_alpha", params={"I_e": 376.0})
    sg  = Create("spike_generator", params={"spike_times": [10.0, 20.0, 20.0, 35.5, 399.0]})
    par = Create("parrot_neuron")
    Connect(sg, par, syn_spec={"weight": -3.0, "delay": 1.0})     (parrots ignore the weight)
    sr_all = Create("spike_recorder");                               Connect(n, sr_all)
    sr_win = Create("spike_recorder", params={"start": 100.0, "stop": 300.0, "origin": 50.0})
    Connect(n, sr_win)
    sr_par = Create("spike_recorder");                               Connect(par, sr_par)
    mm_win = Create("multimeter", params={"record_from": ["V_m"], "interval": 0.5,
                                          "start": 10.0, "stop": 30.0})
    Connect(mm_win, n)
    vm = Create("voltmeter");                                         Connect(vm, n)
    Simulate(400.0)
Writes tests/reference/recorders.npz with, for each recorder R in sr_all, sr_win, sr_par,
mm_win, vm: R__times, R__senders, R__n_events, and mm_win__V_m, vm__V_m, vm__interval.

Second protocol, the order of events in a spike recorder (ResetKernel first):
    n = Create("iaf_psc_alpha", 20, params={"I_e": [360.0 + 12 * i for i in range(20)]})
    sr = Create("spike_recorder"); Connect(n, sr)
    Connect(n[:10], n[10:], "one_to_one", {"delay": 1.5, "weight": 50.0})
    Simulate(300.0)
Keys order__senders, order__times: the events exactly as NEST lists them.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def recorders(nest):
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
    sg = nest.Create("spike_generator", params={"spike_times": [10.0, 20.0, 20.0, 35.5, 399.0]})
    par = nest.Create("parrot_neuron")
    nest.Connect(sg, par, syn_spec={"weight": -3.0, "delay": 1.0})
    sr_all = nest.Create("spike_recorder")
    nest.Connect(n, sr_all)
    sr_win = nest.Create("spike_recorder", params={"start": 100.0, "stop": 300.0, "origin": 50.0})
    nest.Connect(n, sr_win)
    sr_par = nest.Create("spike_recorder")
    nest.Connect(par, sr_par)
    mm_win = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.5, "start": 10.0, "stop": 30.0})
    nest.Connect(mm_win, n)
    vm = nest.Create("voltmeter")
    nest.Connect(vm, n)
    nest.Simulate(400.0)
    out = {}
    for name, rec in (("sr_all", sr_all), ("sr_win", sr_win), ("sr_par", sr_par), ("mm_win", mm_win), ("vm", vm)):
        ev = rec.get("events")
        out[f"{name}__times"] = ev["times"]
        out[f"{name}__senders"] = ev["senders"]
        out[f"{name}__n_events"] = np.array(rec.get("n_events"))
        if "V_m" in ev:
            out[f"{name}__V_m"] = ev["V_m"]
    out["vm__interval"] = np.array(vm.get("interval"))

    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", 20, params={"I_e": [360.0 + 12 * i for i in range(20)]})
    sr = nest.Create("spike_recorder")
    nest.Connect(n, sr)
    nest.Connect(n[:10], n[10:], "one_to_one", {"delay": 1.5, "weight": 50.0})
    nest.Simulate(300.0)
    ev = sr.get("events")
    out["order__senders"] = ev["senders"]
    out["order__times"] = ev["times"]
    _common.write_npz("recorders.npz", out)


if __name__ == "__main__":
    import nest

    _common.quiet(nest)
    recorders(nest)
