"""cont_delay_synapse, stdp_facetshw_synapse_hom and jonke_synapse in real NEST 3.10.

Writes ``tests/reference/synapses_more.json``; ``tests/test_synapses_more.py`` runs the same
protocol functions (imported from here) on nestling. Only the public NEST 3 API is used.

- ``cont_delay_protocol``: parrots fed on-grid spikes and a ``parrot_neuron_ps`` fed precise
  spike times drive ``iaf_psc_exp_ps``, ``iaf_psc_alpha_ps`` and ``iaf_psc_alpha`` neurons
  through ``cont_delay_synapse`` with continuous delays set as model default (``SetDefaults``),
  by ``CopyModel``, on the connections (``set``) and one given to ``Connect`` (rounded);
  the delays read back, V_m every 0.1 ms and the (precise) spike times.
- ``jonke_protocol``: pre and post parrots made to fire in pairs at fixed lags (both signs),
  then at random, through ``jonke_synapse`` copies with different common parameters;
  weights and Kplus every 10 ms.
- ``facetshw_protocol``: pre and post parrots with causal, acausal and random pairings
  through copies of ``stdp_facetshw_synapse_hom`` with small drivers and low thresholds, so
  that all three look-up tables act; weights and the accumulators every 5 ms, the model's
  counters at the end.
"""

import json
import os
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)

MODELS = [f"{b}{s}" for b in ("cont_delay_synapse", "stdp_facetshw_synapse_hom", "jonke_synapse")
          for s in ("", "_hpc", "_lbl")]  # fmt: skip

JONKE_SETS = {
    "jonke_a": {},
    "jonke_b": {
        "lambda": 0.05,
        "alpha": 1.2,
        "beta": 0.01,
        "mu_plus": -0.05,
        "mu_minus": 0.02,
        "tau_plus": 15.0,
        "Wmax": 30.0,
    },  # fmt: skip
    "jonke_c": {"lambda": 0.1, "beta": 0.3, "mu_plus": 0.05, "Wmax": 20.0},
}
LAGS = (-20.0, -10.0, -4.0, 3.0, 8.0, 15.0)


def _grid_times(rng, rate_hz, t0, t1, h=0.1):
    k = rng.poisson(rate_hz * (t1 - t0) / 1000.0)
    return np.round(np.unique(rng.integers(int(t0 / h) + 1, int(t1 / h), size=k)) * h, 1)


def _parrots(nest, trains):
    """Parrots that fire at the given times (each 1 ms after its generator's spike)."""
    par = nest.Create("parrot_neuron", len(trains))
    gen = nest.Create("spike_generator", len(trains))
    for g, tr in zip(gen, trains):
        g.spike_times = [float(t) - 1.0 for t in tr]
    nest.Connect(gen, par, "one_to_one", {"delay": 1.0})
    return par


def jonke_protocol(nest, t_stop=500.0, threads=1):
    nest.ResetKernel()
    nest.SetKernelStatus({"local_num_threads": threads})
    rng = np.random.default_rng(7)
    pre_tr, post_tr = [], []
    for lag in LAGS:
        base = np.arange(30.0, 250.0, 40.0)
        pre_tr.append(np.concatenate([base, _grid_times(rng, 30.0, 260.0, t_stop - 2.0)]))
        post_tr.append(np.concatenate([np.round(base + lag, 1), _grid_times(rng, 30.0, 260.0, t_stop - 2.0)]))
    pre = _parrots(nest, pre_tr)
    post = _parrots(nest, post_tr)
    post.tau_minus = 25.0
    for name, params in JONKE_SETS.items():
        nest.CopyModel("jonke_synapse", name, params)
        for delay in (1.0, 2.3):
            nest.Connect(pre, post, "one_to_one", {"synapse_model": name, "weight": 10.0, "delay": delay})
    nest.Connect(pre[:2], post[:2], "one_to_one", {"synapse_model": "jonke_synapse_lbl", "weight": 5.0,
                                                   "Kplus": 0.5})  # fmt: skip
    weights, kplus = [], []
    c = nest.GetConnections(synapse_model=None)
    keep = [m != "static_synapse" for m in c.get("synapse_model")]
    for _ in range(int(t_stop / 10.0)):
        nest.Simulate(10.0)
        c = nest.GetConnections()
        weights.append([w for w, k in zip(c.get("weight"), keep) if k])
        kplus.append([w for w, k in zip(c.get("Kplus"), keep) if k])
    c = nest.GetConnections()
    return {
        "source": [s for s, k in zip(c.get("source"), keep) if k],
        "target": [s for s, k in zip(c.get("target"), keep) if k],
        "model": [s for s, k in zip(c.get("synapse_model"), keep) if k],
        "weights": weights,
        "kplus": kplus,
    }


def captured_stdout(fn):
    """``fn()`` and what it wrote on standard output, at the descriptor (NEST writes from C++)."""
    import tempfile

    sys.stdout.flush()
    saved_fd, saved = os.dup(1), sys.stdout
    with tempfile.TemporaryFile(mode="w+") as tmp:
        os.dup2(tmp.fileno(), 1)
        sys.stdout = tmp
        try:
            result = fn()
        finally:
            sys.stdout.flush()
            os.dup2(saved_fd, 1)
            os.close(saved_fd)
            sys.stdout = saved
        tmp.seek(0)
        return result, tmp.read()


FACETS_KEYS = ("weight", "a_causal", "a_acausal", "next_readout_time", "synapse_id", "init_flag")


def facetshw_protocol(nest, t_stop=400.0):
    nest.ResetKernel()
    rng = np.random.default_rng(11)
    pre_tr, post_tr = [], []
    # Two causal, two acausal, two random pairs; first spikes a few ms apart (synapse numbering).
    for i, lag in enumerate((4.0, 9.0, -5.0, -12.0, None, None)):
        base = np.arange(20.0 + 3.0 * i, t_stop - 20.0, 25.0)
        if lag is None:
            pre_tr.append(np.concatenate([[base[0]], _grid_times(rng, 40.0, base[0] + 5.0, t_stop - 2.0)]))
            post_tr.append(_grid_times(rng, 40.0, base[0] + 5.0, t_stop - 2.0))
        else:
            pre_tr.append(base)
            post_tr.append(np.round(base + lag, 1))
    pre = _parrots(nest, pre_tr)
    post = _parrots(nest, post_tr)
    nest.SetDefaults("stdp_facetshw_synapse_hom", {"synapses_per_driver": 2, "driver_readout_time": 10.0})
    nest.CopyModel("stdp_facetshw_synapse_hom", "facets_b",
                   {"Wmax": 60.0, "tau_plus": 15.0, "tau_minus_stdp": 30.0, "synapses_per_driver": 3,
                    "driver_readout_time": 7.0, "reset_pattern": [1, 0, 0, 1, 1, 1],
                    "lookuptable_2": [1, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14]})  # fmt: skip
    for i in range(len(pre_tr)):
        nest.Connect(pre[i], post[i], syn_spec={"synapse_model": "stdp_facetshw_synapse_hom", "weight": 30.0 + 5 * i,
                                                "a_thresh_th": 1.5, "a_thresh_tl": 1.2})  # fmt: skip
        nest.Connect(pre[i], post[i], syn_spec={"synapse_model": "facets_b", "weight": 25.0,
                                                "a_thresh_th": 0.9, "a_thresh_tl": 1.0})  # fmt: skip
    models = ("stdp_facetshw_synapse_hom", "facets_b")
    out = {k: [] for k in FACETS_KEYS}

    def read(key):
        return [float(v) for m in models for v in nest.GetConnections(synapse_model=m).get(key)]

    def run():
        for _ in range(int(t_stop / 5.0)):
            nest.Simulate(5.0)
            for k in FACETS_KEYS:
                out[k].append(read(k))

    # NEST reports each synapse's number and first readout time as the synapse is first used.
    out["stdout"] = [line for line in captured_stdout(run)[1].splitlines() if line.startswith("init synapse")]
    out["source"] = read("source")
    out["target"] = read("target")
    out["counters"] = {
        m: [nest.GetDefaults(m)[k] for k in ("no_synapses", "readout_cycle_duration")]
        for m in ("stdp_facetshw_synapse_hom", "facets_b")
    }
    return out


CONT_TARGETS = ("iaf_psc_exp_ps", "iaf_psc_alpha_ps", "iaf_psc_alpha")


def cont_delay_protocol(nest, t_stop=300.0):
    nest.ResetKernel()
    rng = np.random.default_rng(5)
    grid = [_grid_times(rng, 40.0, 2.0, t_stop - 5.0) for _ in range(2)]
    src = _parrots(nest, grid)
    precise_src = nest.Create("parrot_neuron_ps")
    pg = nest.Create("spike_generator", params={"precise_times": True})
    times = np.sort(rng.uniform(2.0, t_stop - 5.0, 12))
    pg.spike_times = [float(t) for t in times]
    nest.Connect(pg, precise_src, syn_spec={"delay": 1.0})
    nest.SetDefaults("cont_delay_synapse", {"delay": 1.73})
    nest.CopyModel("cont_delay_synapse", "cont_b", {"delay": 2.345, "weight": -150.0})
    out = {"delays": {}, "vm": {}, "spikes": {}}
    recs = {}
    for model in CONT_TARGETS:
        tg = nest.Create(model, 2, params={"I_e": 330.0})
        nest.Connect(src[0], tg, syn_spec={"synapse_model": "cont_delay_synapse", "weight": 250.0})
        nest.Connect(src[1], tg, syn_spec={"synapse_model": "cont_b"})
        nest.Connect(precise_src, tg, syn_spec={"synapse_model": "cont_delay_synapse_lbl", "weight": 180.0,
                                                "synapse_label": 3})  # fmt: skip
        # Given to Connect, the delay is rounded to the grid (NEST warns).
        nest.Connect(src[1], tg[1], syn_spec={"synapse_model": "cont_delay_synapse", "weight": 120.0, "delay": 1.26})
        mm = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
        sr = nest.Create("spike_recorder")
        nest.Connect(mm, tg)
        nest.Connect(tg, sr)
        recs[model] = (tg, mm, sr)
    # Delays set on existing connections keep their off-grid part.
    c = nest.GetConnections(synapse_model="cont_delay_synapse_lbl")
    c.set(delay=[1.05, 3.07, 1.5, 0.95, 2.0, 1.33])
    for m in ("cont_delay_synapse", "cont_b", "cont_delay_synapse_lbl"):
        out["delays"][m] = [float(d) for d in nest.GetConnections(synapse_model=m).get("delay")]
    out["default_delays"] = [nest.GetDefaults(m)["delay"] for m in ("cont_delay_synapse", "cont_b")]
    nest.Simulate(t_stop)
    for model, (_, mm, sr) in recs.items():
        ev = mm.get("events")
        order = np.lexsort((ev["senders"], ev["times"]))
        out["vm"][model] = [float(v) for v in ev["V_m"][order]]
        sp = sr.get("events")
        order = np.lexsort((sp["times"], sp["senders"]))
        out["spikes"][model] = {"senders": [int(s) for s in sp["senders"][order]],
                                "times": [float(t) for t in sp["times"][order]]}  # fmt: skip
    out["kernel_delays"] = [nest.GetKernelStatus("min_delay"), nest.GetKernelStatus("max_delay")]
    return out


def errors_protocol(nest, only=None):
    """What NEST refuses, as (error class name, message) per case (all, or just ``only``)."""
    cases = {
        "cont_short": ("SetDefaults", "cont_delay_synapse", {"delay": 0.05}),
        # Both whole steps around the delay must lie within a min_delay set beforehand.
        "cont_min_delay": ("SetDefaults", "cont_delay_synapse", {"delay": 1.73}),
        "lut_size": ("SetDefaults", "stdp_facetshw_synapse_hom", {"lookuptable_0": [1, 2]}),
        "lut_range": ("SetDefaults", "stdp_facetshw_synapse_hom", {"lookuptable_1": [16] * 16}),
        "configbits": ("SetDefaults", "stdp_facetshw_synapse_hom", {"configbit_0": [1, 0]}),
        "reset": ("SetDefaults", "stdp_facetshw_synapse_hom", {"reset_pattern": [1]}),
        "facets_common": ("Connect", "stdp_facetshw_synapse_hom", {"Wmax": 3.0}),
        "jonke_common": ("Connect", "jonke_synapse", {"tau_plus": 3.0}),
        "jonke_kplus": ("Connect", "jonke_synapse", {"Kplus": -1.0}),
    }
    out = {}
    for name, (call, model, params) in cases.items():
        if only is not None and name != only:
            continue
        nest.ResetKernel()
        if name == "cont_min_delay":
            nest.SetKernelStatus({"min_delay": 1.8, "max_delay": 2.0})
        n = nest.Create("parrot_neuron", 2)
        try:
            if call == "SetDefaults":
                nest.SetDefaults(model, params)
            else:
                nest.Connect(n[0], n[1], syn_spec={"synapse_model": model, **params})
            out[name] = None
        except Exception as e:  # noqa: BLE001 - the class is what is recorded
            out[name] = [type(e).__name__, str(e)]
    return out


def main():
    import _common

    import nest

    _common.quiet(nest)
    defaults = {}
    for m in MODELS:
        d = nest.GetDefaults(m)
        defaults[m] = {k: v for k, v in d.items() if k not in ("synapse_modelid", "num_connections")}
    out = {
        "defaults": defaults,
        "jonke": jonke_protocol(nest),
        "facetshw": facetshw_protocol(nest),
        "cont_delay": cont_delay_protocol(nest),
        "errors": errors_protocol(nest),
    }
    path = os.path.join(_common.REF_DIR, "synapses_more.json")
    with open(path, "w") as f:
        json.dump(_common.to_jsonable(out), f)
    print("wrote", path)


if __name__ == "__main__":
    main()
