"""Stochastic and rate generators, spike_train_injector and the correlation/spin detectors
of real NEST 3.10 -> tests/reference/generators_extra.json

Each protocol below is a function of the ``nest`` module: the tests run the very same
function in nestling (``tests/test_generators_extra.py`` imports this file) and compare.

Protocol:
  * ``defaults``: ``GetDefaults`` of every model in MODELS after ``ResetKernel``;
    ``node_status``: the keys of a fresh node's status and the sizes of its arrays.
  * Deterministic (compared exactly): ``step_rate`` (a multimeter records ``rate`` of a
    step_rate_generator with a start/stop window), ``injector`` (spike_train_injector with
    repeated times and multiplicities -> spike_recorder, and -> parrot -> spike_recorder),
    ``pulsepacket_exact`` (sdev 0 -> spike_recorder), ``correlation`` (two
    spike_generators on receptor ports 0 and 1 of correlation_detectors with several
    tau_max/delta_tau/Tstart/Tstop), ``correlomatrix`` (three channels), ``spin`` (a
    spike_generator whose multiplicity 2 spikes mean "up").
  * ``edges``: first and last spike steps of the stochastic generators in a start/stop window.
  * ``rate_record``: a multimeter's ``rate`` of sinusoidal generators (compared to 1e-9).
  * ``resets``: parameters whose setting clears a correlation detector's data.
  * ``errors``: class and message of bad receptor ports and detector parameters.
  * Stochastic (compared by statistics): ``trains(model, params, ...)`` connects one
    generator to ``n`` parrot neurons (delay 1 ms) recorded by a spike_recorder, for
    rng_seed 1..SEEDS, and reports the histogram of spike times (summed over targets and
    seeds), the number of spikes of every seed, the count of every target, the interval histogram, the coefficient of variation
    of the intervals and the number of spikes two targets share (same time).
"""

import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import _common  # noqa: E402

MODELS = [
    "gamma_sup_generator",
    "ppd_sup_generator",
    "sinusoidal_poisson_generator",
    "sinusoidal_gamma_generator",
    "inhomogeneous_poisson_generator",
    "pulsepacket_generator",
    "mip_generator",
    "step_rate_generator",
    "spike_dilutor",
    "spike_train_injector",
    "correlation_detector",
    "correlomatrix_detector",
    "spin_detector",
]

SEEDS = 4
N_TARGETS = 100
T_SIM = 1000.0

# (name, model, params, defaults set before Create or None, simulated ms)
TRAINS = [
    ("sinpois", "sinusoidal_poisson_generator", {"rate": 80.0, "amplitude": 60.0, "frequency": 10.0, "phase": 90.0}),
    ("sinpois_shared", "sinusoidal_poisson_generator", {"rate": 80.0, "amplitude": 60.0, "frequency": 10.0}),
    ("inhom", "inhomogeneous_poisson_generator", {"rate_times": [10.0, 300.0, 600.0], "rate_values": [100.0, 0.0, 400.0]}),
    ("gamma_sup", "gamma_sup_generator", {"rate": 50.0, "gamma_shape": 4, "n_proc": 1}),
    ("gamma_sup5", "gamma_sup_generator", {"rate": 20.0, "gamma_shape": 3, "n_proc": 5}),
    ("ppd_sup", "ppd_sup_generator", {"rate": 50.0, "dead_time": 5.0, "n_proc": 1}),
    ("ppd_sup_mod", "ppd_sup_generator",
     {"rate": 40.0, "dead_time": 3.0, "n_proc": 3, "relative_amplitude": 0.8, "frequency": 10.0}),
    ("mip", "mip_generator", {"rate": 100.0, "p_copy": 0.3}),
    ("singamma", "sinusoidal_gamma_generator", {"rate": 40.0, "order": 3.0}),
    ("singamma_mod", "sinusoidal_gamma_generator", {"rate": 60.0, "amplitude": 40.0, "frequency": 10.0, "order": 2.0}),
    ("pulsepacket", "pulsepacket_generator", {"pulse_times": [100.0, 400.0, 700.0], "activity": 20, "sdev": 5.0}),
    ("dilutor", "spike_dilutor", {"p_copy": 0.4}),
    ("poisson_window", "sinusoidal_poisson_generator", {"rate": 200.0, "start": 100.0, "stop": 300.0}),
]  # fmt: skip
SHARED = {"sinpois_shared": ("sinusoidal_poisson_generator", {"individual_spike_trains": False})}


def defaults(nest):
    out = {}
    for model in MODELS:
        nest.ResetKernel()
        out[model] = nest.GetDefaults(model)
    return out


NODE_IDS = ("model_id", "thread_local_id", "vp", "thread", "global_id", "elementsize")


def node_status(nest):
    """Keys of a fresh node's status (ids left out) and the sizes of its array entries."""
    out = {}
    for model in MODELS:
        nest.ResetKernel()
        st = nest.Create(model).get()
        out[model] = {
            "keys": sorted(k for k in st if k not in NODE_IDS),
            "sizes": {k: int(np.size(v)) for k, v in st.items() if isinstance(v, (np.ndarray, list))},
        }
    return out


EDGE_CASES = [
    ("inhomogeneous_poisson_generator", {"rate_times": [5.0, 7.0], "rate_values": [1e5, 0.0]}, None),
    ("sinusoidal_poisson_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0}, None),
    ("sinusoidal_poisson_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0}, False),
    ("sinusoidal_gamma_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0}, None),
    ("sinusoidal_gamma_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0}, False),
    ("gamma_sup_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0}, None),
    ("ppd_sup_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0, "n_proc": 10}, None),
    ("mip_generator", {"rate": 1e5, "start": 5.0, "stop": 7.0}, None),
]


def edges(nest):
    """First and last spike stamps (steps) of generators so fast that every step has spikes
    (P(no spike in a step) < 1e-4), active from 5 to 7 ms, through a parrot (delay 1 ms), at
    resolutions 0.1 and 0.2 ms; ``individual_spike_trains`` False where the third entry says so."""
    out = {}
    for res in (0.1, 0.2):
        for k, (model, params, individual) in enumerate(EDGE_CASES):
            nest.ResetKernel()
            nest.resolution = res
            if individual is not None:
                nest.CopyModel(model, "edge_model", {"individual_spike_trains": individual})
                model = "edge_model"
            gen = nest.Create(model, params=params)
            parrot = nest.Create("parrot_neuron")
            sr = nest.Create("spike_recorder")
            nest.Connect(gen, parrot, syn_spec={"delay": 1.0})
            nest.Connect(parrot, sr)
            nest.Simulate(14.0)
            t = np.asarray(sr.events["times"]) - 1.0
            out[f"{res}_{k}"] = np.array([round(t.min() / res), round(t.max() / res)], dtype=float)
    return out


def step_rate(nest):
    nest.ResetKernel()
    g = nest.Create(
        "step_rate_generator",
        params={"amplitude_times": [2.0, 5.0, 7.3], "amplitude_values": [10.0, -3.0, 4.5], "start": 1.0, "stop": 9.0},
    )
    mm = nest.Create("multimeter", params={"record_from": ["rate"], "interval": 0.1})
    nest.Connect(mm, g)
    nest.Simulate(12.0)
    ev = mm.events
    return {"times": ev["times"], "rate": ev["rate"]}


def rate_record(nest):
    """Multimeters (interval 0.5 ms) record ``rate`` of sinusoidal generators for 20 ms."""
    nest.ResetKernel()
    out = {}
    for name, params in (
        ("sinusoidal_poisson_generator", {"rate": 10.0, "amplitude": 5.0, "frequency": 30.0, "phase": 30.0}),
        ("sinusoidal_gamma_generator", {"rate": 20.0, "amplitude": 15.0, "frequency": 50.0, "order": 2.0}),
    ):
        g = nest.Create(name, params=params)
        mm = nest.Create("multimeter", params={"record_from": ["rate"], "interval": 0.5})
        nest.Connect(mm, g)
        out[name] = mm
    nest.Simulate(20.0)
    res = {}
    for name, mm in out.items():
        res[f"{name}_times"] = mm.events["times"]
        res[f"{name}_rate"] = mm.events["rate"]
    return res


def injector(nest):
    nest.ResetKernel()
    inj = nest.Create(
        "spike_train_injector",
        params={"spike_times": [1.0, 2.5, 2.5, 7.0, 9.0], "spike_multiplicities": [1, 2, 1, 3, 1], "stop": 8.0},
    )
    sr = nest.Create("spike_recorder")
    parrot = nest.Create("parrot_neuron")
    sr2 = nest.Create("spike_recorder")
    nest.Connect(inj, sr)
    nest.Connect(inj, parrot, syn_spec={"delay": 1.5})
    nest.Connect(parrot, sr2)
    nest.Simulate(15.0)
    return {"times": sr.events["times"], "parrot_times": sr2.events["times"]}


def pulsepacket_exact(nest):
    nest.ResetKernel()
    pp = nest.Create("pulsepacket_generator", params={"pulse_times": [10.0, 30.5, 50.0], "activity": 3, "sdev": 0.0})
    sr = nest.Create("spike_recorder")
    nest.Connect(pp, sr)
    nest.Simulate(60.0)
    return {"times": sr.events["times"], "senders": sr.events["senders"]}


CORR_TIMES = (
    [1.0, 2.0, 4.5, 6.0, 6.1, 10.0, 12.3, 15.0, 20.0],
    [1.5, 2.0, 3.0, 5.9, 9.0, 10.5, 13.0, 19.2, 20.0, 22.0],
)
CORR_PARAMS = [
    {},
    {"delta_tau": 0.1, "tau_max": 2.0},
    {"delta_tau": 1.0, "tau_max": 4.0, "Tstart": 3.0, "Tstop": 15.0},
    {"delta_tau": 0.3, "tau_max": 2.1},
]


def correlation(nest):
    nest.ResetKernel()
    sg0 = nest.Create("spike_generator", params={"spike_times": CORR_TIMES[0]})
    sg1 = nest.Create("spike_generator", params={"spike_times": CORR_TIMES[1]})
    out = {}
    for k, p in enumerate(CORR_PARAMS):
        det = nest.Create("correlation_detector", params=p)
        nest.Connect(sg0, det, syn_spec={"receptor_type": 0, "weight": 1.0})
        nest.Connect(sg1, det, syn_spec={"receptor_type": 1, "weight": 2.0 if k == 3 else 1.0})
        out[k] = det
    nest.Simulate(30.0)
    res = {}
    for k, det in out.items():
        for key in ("histogram", "count_histogram", "histogram_correction", "n_events"):
            res[f"{k}_{key}"] = np.asarray(det.get(key), dtype=float)
    return res


def correlomatrix(nest):
    nest.ResetKernel()
    sgs = [nest.Create("spike_generator", params={"spike_times": t}) for t in (*CORR_TIMES, [2.0, 6.0, 11.0, 19.5])]
    det = nest.Create("correlomatrix_detector", params={"N_channels": 3, "delta_tau": 0.5, "tau_max": 3.0})
    for port, sg in enumerate(sgs):
        nest.Connect(sg, det, syn_spec={"receptor_type": port})
    nest.Simulate(30.0)
    return {key: np.asarray(det.get(key), dtype=float) for key in ("covariance", "count_covariance", "n_events")}


def spin(nest):
    nest.ResetKernel()
    sg = nest.Create(
        "spike_generator",
        params={"spike_times": [1.0, 2.0, 3.0, 5.0, 7.0], "spike_multiplicities": [1, 2, 1, 2, 1]},
    )
    sd = nest.Create("spin_detector")
    nest.Connect(sg, sd)
    nest.Simulate(10.0)
    ev = sd.events
    return {k: np.asarray(v, dtype=float) for k, v in ev.items()}


RESETS = [
    ("correlation_detector", "delta_tau", 1.0),
    ("correlation_detector", "tau_max", 2.0),
    ("correlation_detector", "Tstart", 0.5),
    ("correlation_detector", "Tstop", 100.0),
    ("correlation_detector", "n_events", [0, 0]),
    ("correlation_detector", "start", 0.0),
    ("correlomatrix_detector", "tau_max", 2.5),
    ("correlomatrix_detector", "N_channels", 2),
    ("correlomatrix_detector", "Tstart", 0.5),
]


def resets(nest):
    """One source on ports 0 and 1 (0 only for correlomatrix), 5 ms, then one parameter set:
    the detector's ``n_events`` and the sum of its counts afterwards (setting some clears them)."""
    out = {}
    for k, (model, key, value) in enumerate(RESETS):
        nest.ResetKernel()
        sg = nest.Create("spike_generator", params={"spike_times": [1.0, 2.0, 3.0]})
        det = nest.Create(model)
        nest.Connect(sg, det)
        if model == "correlation_detector":
            nest.Connect(sg, det, syn_spec={"receptor_type": 1})
        nest.Simulate(5.0)
        counts = "count_histogram" if model == "correlation_detector" else "count_covariance"
        before = float(np.sum(det.get(counts)))
        det.set({key: value})
        out[f"{k}_n_events"] = np.asarray(det.get("n_events"), dtype=float)
        out[f"{k}_counts"] = np.array([before, float(np.sum(det.get(counts)))])
    return out


ERROR_CASES = [
    ("connect", "correlation_detector", {}, 2),
    ("connect", "correlomatrix_detector", {"N_channels": 3}, 3),
    ("connect", "correlomatrix_detector", {}, 1),
    ("set", "correlation_detector", {"delta_tau": 0.25}, None),
    ("set", "correlation_detector", {"tau_max": 5.2}, None),
    ("set", "correlomatrix_detector", {"N_channels": 0}, None),
    ("set", "correlomatrix_detector", {"delta_tau": 0.2, "tau_max": 2.0}, None),
    ("set", "correlation_detector", {"n_events": [1, 0]}, None),
    ("set", "sinusoidal_poisson_generator", {"frequency": -1.0}, None),
    ("set", "sinusoidal_poisson_generator", {"individual_spike_trains": False}, None),
    ("set", "sinusoidal_gamma_generator", {"order": 0.5}, None),
    ("set", "sinusoidal_gamma_generator", {"rate": 10.0, "amplitude": 20.0}, None),
    ("set", "inhomogeneous_poisson_generator", {"rate_times": [1.0, 2.0], "rate_values": [1.0]}, None),
    ("set", "inhomogeneous_poisson_generator", {"rate_times": [2.0, 1.0], "rate_values": [1.0, 2.0]}, None),
    ("set", "inhomogeneous_poisson_generator", {"rate_times": [1.05], "rate_values": [1.0]}, None),
    ("set", "gamma_sup_generator", {"rate": -1.0}, None),
    ("set", "gamma_sup_generator", {"gamma_shape": 0}, None),
    ("set", "gamma_sup_generator", {"n_proc": 0}, None),
    ("set", "ppd_sup_generator", {"rate": -1.0}, None),
    ("set", "ppd_sup_generator", {"dead_time": -1.0}, None),
    ("set", "ppd_sup_generator", {"relative_amplitude": 1.5}, None),
    ("set", "ppd_sup_generator", {"rate": 500.0, "dead_time": 3.0}, None),
    ("set", "mip_generator", {"p_copy": 1.5}, None),
    ("set", "spike_dilutor", {"p_copy": 1.5}, None),
    ("set", "pulsepacket_generator", {"activity": -1}, None),
    ("set", "pulsepacket_generator", {"sdev": -1.0}, None),
]


def errors(nest):
    """Error class and message of each of ERROR_CASES ("ok" when accepted)."""
    out = []
    for kind, model, params, port in ERROR_CASES:
        nest.ResetKernel()
        try:
            if kind == "connect":
                det = nest.Create(model, params=params)
                nest.Connect(nest.Create("spike_generator"), det, syn_spec={"receptor_type": port})
            else:
                nest.Create(model).set(params)
            out.append(["ok", ""])
        except Exception as err:  # noqa: BLE001 - the class is what is recorded
            out.append([type(err).__name__, str(err)])
    return out


def trains(nest, name, seeds=SEEDS, n=N_TARGETS, t_sim=T_SIM):
    """Statistics of the trains a generator sends to ``n`` parrots, over ``seeds`` seeds."""
    spec = {row[0]: row[1:] for row in TRAINS}
    model, params = spec[name]
    edges = np.arange(0.0, t_sim + 10.0, 10.0)
    hist = np.zeros(len(edges) - 1)
    isi_edges = np.arange(0.0, 101.0, 1.0)
    isi_hist = np.zeros(len(isi_edges) - 1)
    counts, isis, shared, totals = [], [], 0.0, []
    for seed in range(1, seeds + 1):
        nest.ResetKernel()
        nest.rng_seed = seed
        if name in SHARED:
            nest.CopyModel(SHARED[name][0], "shared_gen", SHARED[name][1])
            model = "shared_gen"
        gen = nest.Create(model, params=params)
        source = gen
        if name == "dilutor":
            source = nest.Create("spike_generator", params={"spike_times": np.arange(1.0, t_sim, 2.0)})
            nest.Connect(source, gen)
        parrots = nest.Create("parrot_neuron", n)
        sr = nest.Create("spike_recorder")
        nest.Connect(gen, parrots, syn_spec={"delay": 1.0})
        nest.Connect(parrots, sr)
        nest.Simulate(t_sim)
        ev = sr.events
        senders, times = np.asarray(ev["senders"]), np.asarray(ev["times"])
        hist += np.histogram(times, edges)[0]
        totals.append(len(times))
        first = parrots.tolist()[0]
        per = [np.sort(times[senders == first + j]) for j in range(n)]
        counts += [len(t) for t in per]
        for t in per:
            d = np.diff(t)
            isis.append(d)
            isi_hist += np.histogram(d, isi_edges)[0]
        # Spikes two targets share: coincidences of target j with target j + 1.
        shared += sum(len(np.intersect1d(per[j], per[j + 1])) for j in range(0, n - 1, 2))
    isi = np.concatenate(isis) if isis else np.zeros(0)
    isi = isi[isi > 0]
    return {
        "hist": hist,
        "counts": np.asarray(counts, dtype=float),
        "isi_hist": isi_hist,
        "isi_cv": np.array([isi.std() / isi.mean() if len(isi) > 1 else 0.0]),
        "isi_min": np.array([isi.min() if len(isi) else 0.0]),
        "shared": np.array([shared]),
        "seed_totals": np.asarray(totals, dtype=float),
    }


def main():
    import nest

    _common.quiet(nest)
    out = {"defaults": defaults(nest), "node_status": node_status(nest)}
    for fn in (
        step_rate,
        rate_record,
        edges,
        injector,
        pulsepacket_exact,
        correlation,
        correlomatrix,
        spin,
        resets,
        errors,
    ):
        out[fn.__name__] = fn(nest)
    out["trains"] = {row[0]: trains(nest, row[0]) for row in TRAINS}
    _common.write_json("generators_extra.json", out)


if __name__ == "__main__":
    main()
