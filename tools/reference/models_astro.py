"""Astrocytes in real NEST 3.10 -> tests/reference/models_astro.npz

Protocol (resolution 0.1 ms, 10 s): one ``astrocyte_lr_1994`` with ``delta_IP3`` 0.2 takes
spikes from a spike_generator (every 400 ms from 100 ms, weight 1; at 5000.0 ms and
5000.1 ms weight 3) and sends its slow inward current through ``sic_connection`` (weight 1,
delay 1 ms, and weight 2.5, delay 2 ms) to two ``aeif_cond_alpha_astro`` neurons (I_e 650
and 700 pA). Multimeters at interval 1 ms record the astrocyte's ``IP3``, ``Ca_astro``,
``h_IP3R`` and the neurons' ``V_m``, ``I_SIC``, ``w``; spike recorders the
neurons' spikes. Stored as ``astro_<key>`` (3 x samples), ``neuron_<key>`` (2 x samples),
``times``, and the spikes as ``spk_senders``/``spk_times``.

Also -> tests/reference/models_astro.json: the outcome (``"ok"`` or error class and message)
of connecting, after a fresh ResetKernel, each pair in ``PAIRS`` with each synapse model;
and for ``TripartiteConnect`` (100 aeif_cond_alpha_astro to 50, pairwise_bernoulli 0.5, the
third-factor specs in ``TRIPARTITE``): the numbers of primary and third-factor connections,
the fewest and most astrocytes per target and each target's astrocytes (block pools), and
the outcome of the bad specifications in ``TRIPARTITE_BAD`` (3 to 2 neurons, 3 astrocytes).
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

T = 10000.0
PAIRS = [
    ("iaf_psc_alpha", "aeif_cond_alpha_astro", "sic_connection"),
    ("astrocyte_lr_1994", "iaf_psc_alpha", "sic_connection"),
    ("astrocyte_lr_1994", "aeif_cond_alpha_astro", "sic_connection"),
    ("astrocyte_lr_1994", "aeif_cond_alpha_astro", "static_synapse"),
    ("astrocyte_lr_1994", "astrocyte_lr_1994", "static_synapse"),
    ("iaf_psc_alpha", "astrocyte_lr_1994", "static_synapse"),
]


TRIPARTITE = {
    "random": ({"p": 0.2, "pool_type": "random", "pool_size": 3}, 20),
    "block1": ({"p": 0.5, "pool_type": "block", "pool_size": 1}, 25),
    "block2": ({"p": 1.0, "pool_type": "block", "pool_size": 2}, 100),
}
TRIPARTITE_BAD = {
    "block_sizes": {"pool_type": "block", "pool_size": 2},
    "pool_too_big": {"pool_size": 5},
    "p": {"p": 1.5},
    "pool_type": {"pool_type": "xx"},
    "rule": {"rule": "xyz"},
    "static_out": None,
}


def tripartite(nest) -> dict:
    out = {}
    for name, (spec, n_astro) in TRIPARTITE.items():
        nest.ResetKernel()
        pre = nest.Create("aeif_cond_alpha_astro", 100)
        post = nest.Create("aeif_cond_alpha_astro", 50)
        astro = nest.Create("astrocyte_lr_1994", n_astro)
        nest.TripartiteConnect(pre, post, astro, {"rule": "pairwise_bernoulli", "p": 0.5},
                               {"rule": "third_factor_bernoulli_with_pool", **spec},
                               {"third_out": {"synapse_model": "sic_connection"}})  # fmt: skip
        prim = nest.GetConnections(pre, post)
        c_in = nest.GetConnections(pre, astro)
        c_out = nest.GetConnections(astro, post)
        a = np.asarray(c_out.source) - astro[0].global_id
        t = np.asarray(c_out.target) - post[0].global_id
        pools = [sorted({int(x) for x in a[t == j]}) for j in range(50)]
        out[name] = {"primary": len(prim), "third_in": len(c_in), "third_out": len(c_out),
                     "pool_min": min(map(len, pools)), "pool_max": max(map(len, pools)),
                     "pools": pools if spec["pool_type"] == "block" else None}  # fmt: skip
    for name, spec in TRIPARTITE_BAD.items():
        nest.ResetKernel()
        pre = nest.Create("aeif_cond_alpha_astro", 3)
        post = nest.Create("aeif_cond_alpha_astro", 2)
        astro = nest.Create("astrocyte_lr_1994", 3)
        syn = None if spec is None else {"third_out": {"synapse_model": "sic_connection"}}
        third = {"rule": "third_factor_bernoulli_with_pool", **(spec or {})}
        try:
            nest.TripartiteConnect(pre, post, astro, {"rule": "pairwise_bernoulli", "p": 1.0}, third, syn)
            out[name] = "ok"
        except Exception as err:  # NEST's error class and words are what we record
            out[name] = [type(err).__name__, str(err), nest.num_connections]
    return out


def connect_outcomes(nest) -> dict:
    out = {}
    for pre, post, syn in PAIRS:
        nest.ResetKernel()
        a, b = nest.Create(pre), nest.Create(post)
        try:
            nest.Connect(a, b, syn_spec={"synapse_model": syn})
            out[f"{pre} {post} {syn}"] = "ok"
        except Exception as err:  # NEST's error class and words are what we record
            out[f"{pre} {post} {syn}"] = [type(err).__name__, str(err)]
    return out


SPIKES = [100.0 + 400.0 * k for k in range(25)]


def run(nest):
    """The protocol; returns a dict of arrays (also used by the test, in nestling)."""
    nest.ResetKernel()
    nest.resolution = 0.1
    astro = nest.Create("astrocyte_lr_1994", params={"delta_IP3": 0.2})
    sg = nest.Create("spike_generator", params={"spike_times": SPIKES})
    sg2 = nest.Create("spike_generator", params={"spike_times": [5000.0, 5000.1]})
    nest.Connect(sg, astro, syn_spec={"weight": 1.0})
    nest.Connect(sg2, astro, syn_spec={"weight": 3.0})
    neurons = nest.Create("aeif_cond_alpha_astro", 2)
    neurons.I_e = [650.0, 700.0]
    nest.Connect(astro, neurons[0], syn_spec={"synapse_model": "sic_connection", "weight": 1.0, "delay": 1.0})
    nest.Connect(astro, neurons[1], syn_spec={"synapse_model": "sic_connection", "weight": 2.5, "delay": 2.0})
    mm_a = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["IP3", "Ca_astro", "h_IP3R"]})
    mm_n = nest.Create("multimeter", params={"interval": 1.0, "record_from": ["V_m", "I_SIC", "w"]})
    sr = nest.Create("spike_recorder")
    nest.Connect(mm_a, astro)
    nest.Connect(mm_n, neurons)
    nest.Connect(neurons, sr)
    nest.Simulate(T)
    out = {}
    ea = mm_a.events
    out["times"] = ea["times"]
    for key in ("IP3", "Ca_astro", "h_IP3R"):
        out[f"astro_{key}"] = np.asarray(ea[key])
    en = mm_n.events
    for key in ("V_m", "I_SIC", "w"):
        out[f"neuron_{key}"] = np.stack([en[key][en["senders"] == n.global_id] for n in neurons])
    out["spk_senders"] = sr.events["senders"] - neurons[0].global_id
    out["spk_times"] = sr.events["times"]
    return out


def main():
    import nest

    _common.quiet(nest)
    out = run(nest)
    path = os.path.join(_common.REF_DIR, "models_astro.npz")
    np.savez_compressed(path, **out)
    print("wrote", os.path.relpath(path, _common.REPO_ROOT), os.path.getsize(path), "bytes")
    _common.write_json(
        "models_astro.json",
        {"nest_version": nest.__version__, "connect": connect_outcomes(nest), "tripartite": tripartite(nest)},
    )


if __name__ == "__main__":
    main()
