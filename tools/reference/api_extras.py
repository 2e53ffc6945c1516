"""Small API behaviours of real NEST 3.10 -> tests/reference/api_extras.json

Protocol (each after ResetKernel):
* ``nested_get``: two iaf_psc_alpha (I_e 400) into two spike recorders (one_to_one), 50 ms;
  ``sr[0].get("events", "senders")``, ``sr.get("events", "senders")`` and
  ``sr[0].get("events", ["senders", "times"])``.
* ``hh_singular``: an hh_psc_alpha after 100 ms is set to V_m -55 (a singular voltage of its
  rate functions) and Act_n 0.3 and run 0.1 ms: V_m and Act_n (nan in NEST, no error).
* ``random_ports``: 200 spike_generators to 50 iaf_psc_exp_multisynapse (3 ports), all to all,
  receptor_type ``nest.random.uniform_int(3) + 1``: the number of connections per port.
"""

import math
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402


def nested_get(nest):
    nest.ResetKernel()
    n = nest.Create("iaf_psc_alpha", 2, params={"I_e": 400.0})
    sr = nest.Create("spike_recorder", 2)
    nest.Connect(n, sr, "one_to_one")
    nest.Simulate(50.0)
    one = sr[0].get("events", "senders")
    both = sr.get("events", "senders")
    pair = sr[0].get("events", ["senders", "times"])
    return {"one": np.asarray(one).tolist(), "both": [np.asarray(x).tolist() for x in both],
            "both_type": type(both).__name__, "pair": {k: np.asarray(v).tolist() for k, v in pair.items()}}  # fmt: skip


def hh_singular(nest):
    nest.ResetKernel()
    n = nest.Create("hh_psc_alpha")
    nest.Simulate(100.0)
    n.set(V_m=-55.0, Act_n=0.3)
    nest.Simulate(0.1)
    return {"V_m_is_nan": math.isnan(n.V_m), "Act_n_is_nan": math.isnan(n.Act_n)}


def random_ports(nest):
    nest.ResetKernel()
    sg = nest.Create("spike_generator", 200)
    t = nest.Create("iaf_psc_exp_multisynapse", 50, params={"tau_syn": [1.0, 2.0, 3.0]})
    nest.Connect(sg, t, syn_spec={"receptor_type": nest.random.uniform_int(3) + 1})
    ports = np.asarray(nest.GetConnections(sg, t).get("receptor"))
    return {"counts": [int((ports == p).sum()) for p in (1, 2, 3)], "total": int(len(ports))}


def main():
    import nest

    _common.quiet(nest)
    out = {"nest_version": nest.__version__, "nested_get": nested_get(nest), "hh_singular": hh_singular(nest),
           "random_ports": random_ports(nest)}  # fmt: skip
    _common.write_json("api_extras.json", out)


if __name__ == "__main__":
    main()
