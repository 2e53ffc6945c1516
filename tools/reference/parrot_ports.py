"""Port 1 of parrot neurons in real NEST 3.10 -> tests/reference/parrot_ports.json

Protocol, for parrot_neuron and parrot_neuron_ps: spike generators drive a "pre" and a
"post" parrot (pre at 10, 30.03, 50, 70.07, 90, 110 ms; post at 12, 27, 55.05, 66, 95,
120 ms; ``precise_times`` True); pre connects to post's receptor 1 by a static_synapse and by
an stdp_synapse (weight 5, delay 1). After 150 ms the spike recorder's senders and times
and the stdp_synapse's weight are stored: port 1 takes spikes (the synapse learns from
them) without the parrot repeating them.

Also ``tum_ports``: the outcome (``"ok"`` or error class and message) of connecting an
iaf_tum_2000, an iaf_psc_alpha and a spike_generator to an iaf_tum_2000 on ports 0, 1 and 2,
each after a fresh ResetKernel; and ``tum_network``: three iaf_tum_2000 (I_e 600, 450, 380 pA,
U 0.4, tau_fac 50, tau_rec 300) drive two more through port 1 (weights 300 and -500, delays 1
and 2 ms), one of them a third by an stdp_synapse on port 1, a spike_generator adds spikes on
ports 0 and 1; I_syn_ex, I_syn_in and V_m of all five every 1 ms for 200 ms, the spikes and the
learned weight.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

PRE = [10.0, 30.03, 50.0, 70.07, 90.0, 110.0]
POST = [12.0, 27.0, 55.05, 66.0, 95.0, 120.0]


def run(nest, model):
    nest.ResetKernel()
    sg_pre = nest.Create("spike_generator", params={"spike_times": PRE, "precise_times": True})
    sg_post = nest.Create("spike_generator", params={"spike_times": POST, "precise_times": True})
    pre = nest.Create(model)
    post = nest.Create(model)
    nest.Connect(sg_pre, pre)
    nest.Connect(sg_post, post)
    nest.Connect(pre, post, syn_spec={"receptor_type": 1, "weight": 5.0, "delay": 1.0})
    nest.Connect(pre, post, syn_spec={"synapse_model": "stdp_synapse", "receptor_type": 1, "weight": 5.0,
                                      "delay": 1.0})  # fmt: skip
    sr = nest.Create("spike_recorder")
    nest.Connect(pre + post, sr)
    nest.Simulate(150.0)
    conn = nest.GetConnections(pre, post, synapse_model="stdp_synapse")
    return {"senders": sr.events["senders"], "times": sr.events["times"], "weight": conn.get("weight")}


def tum_ports(nest) -> dict:
    out = {}
    for src in ("iaf_tum_2000", "iaf_psc_alpha", "spike_generator"):
        for port in (0, 1, 2):
            nest.ResetKernel()
            target = nest.Create("iaf_tum_2000")
            try:
                nest.Connect(nest.Create(src), target, syn_spec={"receptor_type": port})
                out[f"{src} {port}"] = "ok"
            except Exception as err:  # NEST's error class and words are what we record
                out[f"{src} {port}"] = [type(err).__name__, str(err)]
    return out


def tum_network(nest) -> dict:
    nest.ResetKernel()
    a = nest.Create("iaf_tum_2000", 3, params={"U": 0.4, "tau_fac": 50.0, "tau_rec": 300.0})
    a.I_e = [600.0, 450.0, 380.0]
    b = nest.Create("iaf_tum_2000", 2, params={"tau_syn_in": 5.0})
    nest.Connect(a, b, syn_spec={"receptor_type": 1, "weight": 300.0, "delay": 1.0})
    nest.Connect(a[1], b[1], syn_spec={"receptor_type": 1, "weight": -500.0, "delay": 2.0})
    nest.Connect(a[0], a[2], syn_spec={"receptor_type": 1, "synapse_model": "stdp_synapse", "weight": 400.0})
    sg = nest.Create("spike_generator", params={"spike_times": [30.0, 60.0]})
    nest.Connect(sg, b[0], syn_spec={"weight": 200.0})
    nest.Connect(sg, b[1], syn_spec={"receptor_type": 1, "weight": 200.0})
    mm = nest.Create("multimeter", params={"record_from": ["I_syn_ex", "I_syn_in", "V_m"], "interval": 1.0})
    nest.Connect(mm, a + b)
    sr = nest.Create("spike_recorder")
    nest.Connect(a + b, sr)
    nest.Simulate(200.0)
    e = mm.events
    out = {k: [float(x) for x in e[k]] for k in ("I_syn_ex", "I_syn_in", "V_m")}
    out["senders"] = [int(x) for x in e["senders"]]
    out["spike_senders"] = [int(x) for x in sr.events["senders"]]
    out["spike_times"] = [float(x) for x in sr.events["times"]]
    out["weight"] = float(nest.GetConnections(a[0], a[2]).get("weight"))
    return out


def main():
    import nest

    _common.quiet(nest)
    out = {"nest_version": nest.__version__}
    for model in ("parrot_neuron", "parrot_neuron_ps"):
        out[model] = run(nest, model)
    out["tum_ports"] = tum_ports(nest)
    out["tum_network"] = tum_network(nest)
    _common.write_json("parrot_ports.json", out)


if __name__ == "__main__":
    main()
