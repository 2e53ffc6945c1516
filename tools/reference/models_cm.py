"""The compartmental neuron cm_default in real NEST 3.10 -> tests/reference/models_cm.npz/.json

Protocols (resolution 0.1 ms; multimeters at 0.1 ms record every recordable):

* ``passive``: three passive compartments in a chain (soma C_m 10, g_L 1; two dendrites
  C_m 0.1, g_C 0.1, g_L 0.1, e_L -60, v_comp -65), dc 1.0 into compartment 2 (5-30 ms,
  delay 0.1) and dc -0.5 into compartment 0 (12-20 ms), 50 ms.
* ``receptors``: one compartment (C_m 1, g_L 0.1) per receptor type AMPA, GABA, NMDA,
  AMPA_NMDA, spikes of weight 0.5 at 10 and 13 ms (delay 1), 60 ms.
* ``active``: a soma with Na and K channels (gbar_Na 10, gbar_K 5) and two dendrites
  (one active, gbar_Na 2, gbar_K 1), an AMPA_NMDA receptor on each compartment and a GABA
  one with its own parameters on the soma; spike trains into receptors 0, 1 and 3, a dc
  ramp into compartment 0 and another into compartment 2; 120 ms, with the soma's spikes.
* ``example``: NEST's receptors_and_current example (three compartments; GABA, AMPA,
  AMPA_NMDA; dc into compartment 1), 400 ms.

The outcomes (``"ok"`` or error class and message) of bad structures and connections are
stored in the JSON file.
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def _record(nest, cm, t):
    mm = nest.Create("multimeter", params={"record_from": list(cm.recordables), "interval": 0.1})
    nest.Connect(mm, cm)
    sr = nest.Create("spike_recorder")
    nest.Connect(cm, sr)
    nest.Simulate(t)
    out = {k: np.asarray(v, dtype=float) for k, v in mm.events.items() if k != "senders"}
    out["spikes"] = np.asarray(sr.events["times"], dtype=float)
    return out


def passive(nest):
    nest.ResetKernel()
    cm = nest.Create("cm_default")
    soma = {"C_m": 10.0, "g_C": 0.0, "g_L": 1.0, "e_L": -70.0, "v_comp": -70.0}
    dend = {"C_m": 0.1, "g_C": 0.1, "g_L": 0.1, "e_L": -60.0, "v_comp": -65.0}
    cm.compartments = [{"parent_idx": -1, "params": soma}, {"parent_idx": 0, "params": dend},
                       {"parent_idx": 1, "params": dend}]  # fmt: skip
    dc = nest.Create("dc_generator", params={"amplitude": 1.0, "start": 5.0, "stop": 30.0})
    nest.Connect(dc, cm, syn_spec={"receptor_type": 2, "delay": 0.1})
    dc0 = nest.Create("dc_generator", params={"amplitude": -0.5, "start": 12.0, "stop": 20.0})
    nest.Connect(dc0, cm, syn_spec={"receptor_type": 0})
    return _record(nest, cm, 50.0)


def receptors(nest):
    out = {}
    for kind in ("AMPA", "GABA", "NMDA", "AMPA_NMDA"):
        nest.ResetKernel()
        cm = nest.Create("cm_default")
        cm.compartments = [{"parent_idx": -1, "params": {"C_m": 1.0, "g_L": 0.1, "e_L": -70.0, "v_comp": -70.0}}]
        cm.receptors = [{"comp_idx": 0, "receptor_type": kind}]
        sg = nest.Create("spike_generator", params={"spike_times": [10.0, 13.0]})
        nest.Connect(sg, cm, syn_spec={"weight": 0.5, "delay": 1.0, "receptor_type": 0})
        for key, val in _record(nest, cm, 60.0).items():
            out[f"{kind}:{key}"] = val
    return out


def active(nest):
    nest.ResetKernel()
    cm = nest.Create("cm_default")
    soma = {"C_m": 1.0, "g_L": 0.1, "e_L": -70.0, "v_comp": -70.0, "gbar_Na": 10.0, "gbar_K": 5.0}
    dend_a = {"C_m": 0.2, "g_C": 0.05, "g_L": 0.02, "e_L": -65.0, "v_comp": -68.0, "gbar_Na": 2.0, "gbar_K": 1.0}
    dend_p = {"C_m": 0.3, "g_C": 0.08, "g_L": 0.03, "e_L": -72.0, "v_comp": -71.0}
    cm.compartments = [{"parent_idx": -1, "params": soma}, {"parent_idx": 0, "params": dend_a},
                       {"parent_idx": 0, "params": dend_p}]  # fmt: skip
    cm.receptors = [
        {"comp_idx": 0, "receptor_type": "AMPA_NMDA"},
        {"comp_idx": 1, "receptor_type": "AMPA_NMDA", "params": {"NMDA_ratio": 1.5, "tau_d_NMDA": 60.0}},
        {"comp_idx": 0, "receptor_type": "GABA", "params": {"tau_d_GABA": 7.0, "e_GABA": -75.0}},
        {"comp_idx": 2, "receptor_type": "AMPA_NMDA"},
    ]
    cm.V_th = -40.0
    for times, w, r in (([10.0, 12.0, 30.0, 31.0], 0.8, 0), ([20.0, 21.0, 22.0, 60.0], 1.5, 1),
                        ([40.0, 80.0], 2.0, 3), ([50.0, 90.0], 0.7, 2)):  # fmt: skip
        sg = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(sg, cm, syn_spec={"weight": w, "delay": 0.5, "receptor_type": r})
    ramp = nest.Create("step_current_generator",
                       params={"amplitude_times": [5.0, 50.0, 70.0], "amplitude_values": [0.5, 2.5, 0.0]})  # fmt: skip
    nest.Connect(ramp, cm, syn_spec={"receptor_type": 0})
    dc2 = nest.Create("dc_generator", params={"amplitude": 0.3, "start": 95.0, "stop": 110.0})
    nest.Connect(dc2, cm, syn_spec={"receptor_type": 2})
    return _record(nest, cm, 120.0)


def example(nest):
    nest.ResetKernel()
    soma = {"C_m": 10.0, "g_C": 0.0, "g_L": 1.0, "e_L": -70.0, "v_comp": -70.0}
    dend = {"C_m": 0.1, "g_C": 0.1, "g_L": 0.1, "e_L": -70.0, "v_comp": -70.0}
    cm = nest.Create("cm_default")
    cm.compartments = [{"parent_idx": -1, "params": soma}, {"parent_idx": 0, "params": dend},
                       {"parent_idx": 0, "params": dend}]  # fmt: skip
    cm.V_th = -50.0
    cm.receptors = [
        {"comp_idx": 0, "receptor_type": "GABA"},
        {"comp_idx": 1, "receptor_type": "AMPA", "params": {"tau_r_AMPA": 0.2, "tau_d_AMPA": 3.0, "e_AMPA": 0.0}},
        {"comp_idx": 2, "receptor_type": "AMPA_NMDA"},
    ]
    for times, w, r in (([101.0, 105.0, 106.0, 110.0, 150.0], 0.1, 1),
                        ([115.0, 155.0, 160.0, 162.0, 170.0, 254.0, 260.0, 272.0, 278.0], 0.2, 2),
                        ([250.0, 255.0, 260.0, 262.0, 270.0], 0.3, 0)):  # fmt: skip
        sg = nest.Create("spike_generator", params={"spike_times": times})
        nest.Connect(sg, cm, syn_spec={"weight": w, "delay": 0.5, "receptor_type": r})
    dcg = nest.Create("dc_generator", params={"amplitude": 1.0})
    nest.Connect(dcg, cm, syn_spec={"weight": 1.0, "delay": 0.1, "receptor_type": 1})
    return _record(nest, cm, 400.0)


PROTOCOLS = {"passive": passive, "receptors": receptors, "active": active, "example": example}


def _outcome(fn):
    try:
        result = fn()
        return ["ok", result]
    except Exception as err:  # NEST's error class and words are what we record
        return [type(err).__name__, str(err)]


def structure_cases(nest) -> dict:
    """Bad structures and connections (and one good status), each after a fresh ResetKernel."""

    def comps(value):
        nest.ResetKernel()
        c = nest.Create("cm_default")
        c.compartments = value
        return [dict(x) for x in c.compartments]

    def recs(value, n_comp=1):
        nest.ResetKernel()
        c = nest.Create("cm_default")
        c.compartments = [{"parent_idx": -1}] + [{"parent_idx": 0}] * (n_comp - 1)
        c.receptors = value
        return [dict(x) for x in c.receptors]

    def twice(key):
        nest.ResetKernel()
        c = nest.Create("cm_default")
        c.compartments = [{"parent_idx": -1}]
        c.receptors = [{"comp_idx": 0, "receptor_type": "AMPA"}]
        c.set({key: [{"parent_idx": 0}] if key == "compartments" else [{"comp_idx": 0, "receptor_type": "GABA"}]})

    def connect(source, port):
        nest.ResetKernel()
        c = nest.Create("cm_default")
        c.compartments = [{"parent_idx": -1}, {"parent_idx": 0}]
        c.receptors = [{"comp_idx": 0, "receptor_type": "AMPA"}, {"comp_idx": 1, "receptor_type": "GABA"}]
        nest.Connect(nest.Create(source), c, syn_spec={"receptor_type": port})

    def empty():
        nest.ResetKernel()
        nest.Create("cm_default")
        nest.Simulate(1.0)

    def status():
        nest.ResetKernel()
        c = nest.Create("cm_default")
        c.compartments = [{"parent_idx": -1}, {"parent_idx": 0}, {"parent_idx": 0}]
        c.receptors = [{"comp_idx": 2, "receptor_type": "NMDA"}, {"comp_idx": 0, "receptor_type": "AMPA_NMDA"},
                       {"comp_idx": 0, "receptor_type": "GABA"}, {"comp_idx": 0, "receptor_type": "AMPA"}]  # fmt: skip
        return [[dict(x) for x in c.compartments], [dict(x) for x in c.receptors], list(c.recordables)]

    def plus_equals():
        nest.ResetKernel()
        c = nest.Create("cm_default")
        c.compartments = [{"parent_idx": -1}]
        c.compartments += [{"parent_idx": 0, "params": {"C_m": 0.5}}]
        c.receptors += {"comp_idx": 1, "receptor_type": "AMPA"}
        c.receptors += {"comp_idx": 0, "receptor_type": "GABA"}
        return [type(c.compartments).__name__, [dict(x) for x in c.compartments], [dict(x) for x in c.receptors],
                list(c.recordables)]  # fmt: skip

    cases = {
        "plus_equals": plus_equals,
        "one dict": lambda: comps({"parent_idx": -1, "params": {"C_m": 2.0}}),
        "parent missing": lambda: comps([{"parent_idx": -1}, {"parent_idx": 5}]),
        "two roots": lambda: comps([{"parent_idx": -1}, {"parent_idx": -1}]),
        "first not root": lambda: comps([{"parent_idx": 0}]),
        "no parent_idx": lambda: comps([{"params": {"C_m": 1.0}}]),
        "unknown compartment parameter": lambda: comps([{"parent_idx": -1, "params": {"foo": 1.0}}]),
        "receptor on missing compartment": lambda: recs({"comp_idx": 3, "receptor_type": "AMPA"}, 2),
        "unknown receptor type": lambda: recs({"comp_idx": 0, "receptor_type": "XXX"}),
        "unknown receptor parameter": lambda: recs({"comp_idx": 0, "receptor_type": "AMPA", "params": {"foo": 1}}),
        "compartments twice": lambda: twice("compartments"),
        "receptors twice": lambda: twice("receptors"),
        "spike port 1": lambda: connect("spike_generator", 1),
        "spike port 2": lambda: connect("spike_generator", 2),
        "current port 1": lambda: connect("dc_generator", 1),
        "current port 2": lambda: connect("dc_generator", 2),
        "no compartments": empty,
        "status": status,
    }
    return cases


def structure_outcomes(nest) -> dict:
    return {name: _outcome(fn) for name, fn in structure_cases(nest).items()}


def main():
    import nest

    _common.quiet(nest)
    arrays = {}
    for name, fn in PROTOCOLS.items():
        for key, val in fn(nest).items():
            arrays[f"{name}/{key}"] = val
    path = os.path.join(_common.REF_DIR, "models_cm.npz")
    np.savez_compressed(path, **arrays)
    print("wrote", os.path.relpath(path, _common.REPO_ROOT), os.path.getsize(path), "bytes")
    _common.write_json("models_cm.json", {"nest_version": nest.__version__, "structure": structure_outcomes(nest)})


if __name__ == "__main__":
    main()
