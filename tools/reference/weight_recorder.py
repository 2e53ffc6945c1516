"""The weight_recorder of real NEST 3.10 -> tests/reference/weight_recorder.json

"defaults": ``GetDefaults("weight_recorder")``; "status": ``get()`` of a created one;
"syn_defaults": ``GetDefaults("syn_rec")`` after ``CopyModel("static_synapse", "syn_rec",
{"weight_recorder": wr})``.

"network": the events of a weight_recorder ``wr`` set on a copy ``syn_rec`` of
static_synapse, in this network (resolution 0.1 ms, one thread):
    sg = spike_generator, spike_times [1.0, 2.0, 5.5, 5.5]
    p  = 2 parrot_neuron, Connect(sg, p) (static_synapse, weight 1, delay 1)
    n  = 3 iaf_psc_alpha, I_e 400.0 pA (they fire at 27.0 and 56.8 ms)
    Connect(p, n, all_to_all, syn_rec, weight 2.5, delay 1.0)
    Connect(n, n[::2], all_to_all, syn_rec, weight -1.0, delay 2.0)
    Connect(p, n[:1], static_synapse, weight 7.0)   (not recorded)
    Simulate(60.0)
  and the same with the recorder's ``senders`` set to p[1:] + n[2:], ``targets`` to
  n[:1] + n[2:], ``start`` 2.5 and ``stop`` 56.8 ("filtered"); with ``time_in_steps``
  True ("in_steps"); and simulated in three calls of 20 ms ("split").

"ascii_header": the column names of the file of a weight_recorder with record_to "ascii".

"errors": Connect(n, wr); a weight_recorder in a Connect syn_spec; SetDefaults of
static_synapse with a neuron as weight_recorder (error class and message).
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402
from facts import probe  # noqa: E402


def network(nest, wr_params=None, chunks=(60.0,)):
    wr = nest.Create("weight_recorder", params=wr_params or {})
    nest.CopyModel("static_synapse", "syn_rec", {"weight_recorder": wr})
    sg = nest.Create("spike_generator", params={"spike_times": [1.0, 2.0, 5.5, 5.5]})
    p = nest.Create("parrot_neuron", 2)
    n = nest.Create("iaf_psc_alpha", 3, params={"I_e": 400.0})
    nest.Connect(sg, p)
    nest.Connect(p, n, syn_spec={"synapse_model": "syn_rec", "weight": 2.5, "delay": 1.0})
    nest.Connect(n, n[::2], "all_to_all", syn_spec={"synapse_model": "syn_rec", "weight": -1.0, "delay": 2.0})
    nest.Connect(p, n[:1], syn_spec={"weight": 7.0})
    return wr, p, n


def run(wr_params=None, filtered=False, chunks=(60.0,)):
    def f(nest):
        wr, p, n = network(nest, wr_params)
        if filtered:
            wr.set(senders=p[1:] + n[2:], targets=n[:1] + n[2:], start=2.5, stop=56.8)
        for t in chunks:
            nest.Simulate(t)
        return {"events": wr.get("events"), "n_events": wr.get("n_events")}

    return f


def errors_connect(nest):
    wr = nest.Create("weight_recorder")
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(n, wr)


def errors_syn_spec(nest):
    wr = nest.Create("weight_recorder")
    n = nest.Create("iaf_psc_alpha", 2)
    nest.Connect(n, n, syn_spec={"synapse_model": "static_synapse", "weight_recorder": wr})


def errors_not_recorder(nest):
    n = nest.Create("iaf_psc_alpha", 2)
    nest.SetDefaults("static_synapse", {"weight_recorder": n[:1]})


def main():
    import nest

    _common.quiet(nest)
    nest.ResetKernel()
    out = {"defaults": nest.GetDefaults("weight_recorder")}
    wr = nest.Create("weight_recorder")
    out["status"] = _common.to_jsonable(wr.get())
    nest.CopyModel("static_synapse", "syn_rec", {"weight_recorder": wr})
    out["syn_defaults"] = _common.to_jsonable(nest.GetDefaults("syn_rec"))
    out["network"] = probe(nest, "network", run())
    out["filtered"] = probe(nest, "filtered", run(filtered=True))
    out["in_steps"] = probe(nest, "in_steps", run({"time_in_steps": True}))
    out["split"] = probe(nest, "split", run(chunks=(20.0, 20.0, 20.0)))
    out["errors"] = {
        "connect_to_recorder": probe(nest, "Connect(n, wr)", errors_connect),
        "in_syn_spec": probe(nest, "weight_recorder in syn_spec", errors_syn_spec),
        "not_a_recorder": probe(nest, "SetDefaults weight_recorder=neuron", errors_not_recorder),
    }
    out["ascii_header"] = ascii_header(nest)
    _common.write_json("weight_recorder.json", out)


def ascii_header(nest):
    import tempfile

    nest.ResetKernel()
    with tempfile.TemporaryDirectory() as tmp:
        nest.data_path = tmp
        wr = nest.Create("weight_recorder", params={"record_to": "ascii", "label": "w"})
        nest.Simulate(1.0)
        with open(os.path.join(tmp, f"w-{wr.global_id}-0.dat")) as f:
            header = f.read().splitlines()[2]
        nest.ResetKernel()
    return header.split("\t")


if __name__ == "__main__":
    main()
