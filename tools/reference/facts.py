"""Behaviours of real NEST 3.10 -> tests/reference/facts.json

Every probe starts from ``nest.ResetKernel()`` (default resolution 0.1 ms,
1 thread) and runs the action described in its entry.  For each probe we
store:

  "action":     text describing what was done (the code in PROBES below)
  "raised":     True if a Python exception escaped
  "error_class": exception class name (e.g. "UnknownModelName"), or null
  "error_module": module of that class (e.g. "NESTErrors")
  "error_mro":   names of the class hierarchy up to Exception
  "message":     str(exception)
  "result":      (only if nothing was raised) whatever the probe returned,
                 e.g. the value read back after a set.

Extra sections:
  "kernel_delays": kernel min_delay/max_delay right after ResetKernel, after
      creating two iaf_psc_alpha, after Connect(a, b, syn_spec={"delay": 1.5}),
      and after Simulate(10.0); plus other small scenarios (two delays;
      default delay; only multimeter->neuron; only neuron->spike_recorder).
  "multimeter_sample_times": an iaf_psc_alpha (I_e=376.0) with a multimeter
      record_from ["V_m"], interval 1.0 (default) and another with
      interval 0.1, Simulate(5.0) twice, in three scenarios (no other
      connection / an extra neuron->neuron connection with delay 0.1 / 1.5):
      sample times and values, see the "observation" entry there.
  "spike_recorder_empty": events dict of a fresh spike_recorder.
"""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
os.environ.setdefault("PYNEST_QUIET", "1")
import _common  # noqa: E402


def probe(nest, action, func):
    nest.ResetKernel()
    entry = {"action": action}
    try:
        res = func(nest)
        entry.update(raised=False, error_class=None, error_module=None, error_mro=None, message=None, result=res)
    except Exception as e:  # noqa: BLE001 -- we record whatever NEST raises
        mro = []
        for cls in type(e).__mro__:
            if cls is Exception:
                break
            mro.append(cls.__name__)
        entry.update(
            raised=True, error_class=type(e).__name__, error_module=type(e).__module__, error_mro=mro, message=str(e)
        )
    return entry


def _cm(value):
    def f(nest):
        n = nest.Create("iaf_psc_alpha")
        n.set(C_m=value)
        return {"C_m": n.get("C_m")}

    return f


def _vreset_vth(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(V_reset=-50.0)  # default V_th = -55.0
    return {"V_reset": n.get("V_reset"), "V_th": n.get("V_th")}


def _vreset_eq_vth(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(V_reset=-55.0)  # == default V_th
    return {"V_reset": n.get("V_reset"), "V_th": n.get("V_th")}


def _vth_below_vreset(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(V_th=-75.0)  # below default V_reset -70
    return {"V_reset": n.get("V_reset"), "V_th": n.get("V_th")}


def _tref_neg(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(t_ref=-1.0)
    return {"t_ref": n.get("t_ref")}


def _tref_zero(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(t_ref=0.0)
    return {"t_ref": n.get("t_ref")}


def _sim_neg(nest):
    nest.Create("iaf_psc_alpha")
    nest.Simulate(-1.0)
    return {"biological_time": nest.biological_time}


def _sim_zero(nest):
    nest.Create("iaf_psc_alpha")
    nest.Simulate(0.0)
    return {"biological_time": nest.biological_time}


def _sim_offgrid(nest):
    nest.Create("iaf_psc_alpha")
    nest.Simulate(10.05)
    return {"biological_time": nest.biological_time}


def _conn_neuron_mm(nest):
    n = nest.Create("iaf_psc_alpha")
    mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
    nest.Connect(n, mm)
    return {"num_connections": nest.num_connections}


def _conn_sr_neuron(nest):
    n = nest.Create("iaf_psc_alpha")
    sr = nest.Create("spike_recorder")
    nest.Connect(sr, n)
    return {"num_connections": nest.num_connections}


def _conn_mm_neuron_ok(nest):
    n = nest.Create("iaf_psc_alpha")
    mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
    nest.Connect(mm, n)
    return {"num_connections": nest.num_connections}


def _delay(value):
    def f(nest):
        a = nest.Create("iaf_psc_alpha")
        b = nest.Create("iaf_psc_alpha")
        nest.Connect(a, b, syn_spec={"delay": value})
        c = nest.GetConnections(a, b)
        return {"stored_delay": c.get("delay"), "min_delay": nest.min_delay, "max_delay": nest.max_delay}

    return f


def _resolution_after_nodes(nest):
    nest.Create("iaf_psc_alpha")
    nest.resolution = 0.01
    return {"resolution": nest.resolution}


def _resolution_set_kernel_status_after_nodes(nest):
    nest.Create("iaf_psc_alpha")
    nest.SetKernelStatus({"resolution": 0.01})
    return {"resolution": nest.resolution}


def _resolution_after_simulate(nest):
    nest.Simulate(1.0)
    nest.resolution = 0.01
    return {"resolution": nest.resolution}


def _ie(value):
    def f(nest):
        n = nest.Create("iaf_psc_alpha")
        n.set(I_e=value)
        v = n.get("I_e")
        return {"I_e": v, "type": type(v).__name__}

    return f


def _ie_create_params_int(nest):
    n = nest.Create("iaf_psc_alpha", params={"I_e": 376})
    v = n.get("I_e")
    return {"I_e": v, "type": type(v).__name__}


def _weight_int(nest):
    a = nest.Create("iaf_psc_alpha")
    b = nest.Create("iaf_psc_alpha")
    nest.Connect(a, b, syn_spec={"weight": 20})
    w = nest.GetConnections(a, b).get("weight")
    return {"weight": w, "type": type(w).__name__}


def _tau_m_neg(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(tau_m=-10.0)
    return {"tau_m": n.get("tau_m")}


def _tau_syn_zero(nest):
    n = nest.Create("iaf_psc_alpha")
    n.set(tau_syn_ex=0.0)
    return {"tau_syn_ex": n.get("tau_syn_ex")}


def _get_unknown(nest):
    n = nest.Create("iaf_psc_alpha")
    return n.get("foo")


def _poisson_neg_rate(nest):
    g = nest.Create("poisson_generator")
    g.set(rate=-5.0)
    return {"rate": g.get("rate")}


def _mm_unknown_recordable(nest):
    n = nest.Create("iaf_psc_alpha")
    mm = nest.Create("multimeter", params={"record_from": ["foo"]})
    nest.Connect(mm, n)
    nest.Simulate(1.0)
    return {}


def _sg_unsorted(nest):
    sg = nest.Create("spike_generator")
    sg.set(spike_times=[5.0, 2.0])
    return {"spike_times": sg.get("spike_times")}


def _sg_offgrid(nest):
    sg = nest.Create("spike_generator")
    sg.set(spike_times=[1.05])
    return {"spike_times": sg.get("spike_times")}


def _connect_weight_zero_delta(nest):
    a = nest.Create("iaf_psc_delta")
    b = nest.Create("iaf_psc_delta")
    nest.Connect(a, b, syn_spec={"weight": 0.0})
    return {"num_connections": nest.num_connections}


def _create_zero(nest):
    nest.Create("iaf_psc_alpha", 0)
    return {}


def _create_negative(nest):
    nest.Create("iaf_psc_alpha", -1)
    return {}


def _unknown_kernel_attr(nest):
    nest.SetKernelStatus({"foo": 1})
    return {}


def _syn_unknown(nest):
    a = nest.Create("iaf_psc_alpha")
    nest.Connect(a, a, syn_spec={"synapse_model": "no_such_synapse"})
    return {}


def _conn_unknown_rule(nest):
    a = nest.Create("iaf_psc_alpha")
    nest.Connect(a, a, conn_spec={"rule": "no_such_rule"})
    return {}


def _delay_negative(nest):
    a = nest.Create("iaf_psc_alpha")
    nest.Connect(a, a, syn_spec={"delay": -1.0})
    return {}


PROBES = {
    "create_unknown_model": ("nest.Create('no_such_model')", lambda nest: nest.Create("no_such_model")),
    "create_zero": ("nest.Create('iaf_psc_alpha', 0)", _create_zero),
    "create_negative": ("nest.Create('iaf_psc_alpha', -1)", _create_negative),
    "set_unknown_param": ("n.set(foo=1) on iaf_psc_alpha", lambda nest: nest.Create("iaf_psc_alpha").set(foo=1)),
    "SetStatus_unknown_param": (
        "nest.SetStatus(n, {'foo': 1}) on iaf_psc_alpha",
        lambda nest: nest.SetStatus(nest.Create("iaf_psc_alpha"), {"foo": 1}),
    ),
    "get_unknown_param": ("n.get('foo') on iaf_psc_alpha", _get_unknown),
    "set_C_m_zero": ("n.set(C_m=0.0) on iaf_psc_alpha", _cm(0.0)),
    "set_C_m_negative": ("n.set(C_m=-1.0) on iaf_psc_alpha", _cm(-1.0)),
    "set_V_reset_above_V_th": ("n.set(V_reset=-50.0) (V_th=-55) on iaf_psc_alpha", _vreset_vth),
    "set_V_reset_equal_V_th": ("n.set(V_reset=-55.0) (V_th=-55) on iaf_psc_alpha", _vreset_eq_vth),
    "set_V_th_below_V_reset": ("n.set(V_th=-75.0) (V_reset=-70) on iaf_psc_alpha", _vth_below_vreset),
    "set_t_ref_negative": ("n.set(t_ref=-1.0) on iaf_psc_alpha", _tref_neg),
    "set_t_ref_zero": ("n.set(t_ref=0.0) on iaf_psc_alpha", _tref_zero),
    "set_tau_m_negative": ("n.set(tau_m=-10.0) on iaf_psc_alpha", _tau_m_neg),
    "set_tau_syn_ex_zero": ("n.set(tau_syn_ex=0.0) on iaf_psc_alpha", _tau_syn_zero),
    "simulate_negative": ("Create iaf_psc_alpha; nest.Simulate(-1.0)", _sim_neg),
    "simulate_zero": ("Create iaf_psc_alpha; nest.Simulate(0.0)", _sim_zero),
    "simulate_off_grid": ("Create iaf_psc_alpha; nest.Simulate(10.05) at resolution 0.1", _sim_offgrid),
    "connect_neuron_to_multimeter": ("nest.Connect(neuron, multimeter)", _conn_neuron_mm),
    "connect_multimeter_to_neuron": ("nest.Connect(multimeter, neuron) (correct way)", _conn_mm_neuron_ok),
    "connect_spike_recorder_to_neuron": ("nest.Connect(spike_recorder, neuron)", _conn_sr_neuron),
    "delay_0.05_res_0.1": ("Connect(a, b, syn_spec={'delay': 0.05}) at resolution 0.1, before Simulate", _delay(0.05)),
    "delay_0.1_res_0.1": ("Connect(a, b, syn_spec={'delay': 0.1}) at resolution 0.1", _delay(0.1)),
    "delay_1.55_res_0.1": ("Connect(a, b, syn_spec={'delay': 1.55}) at resolution 0.1, before Simulate", _delay(1.55)),
    "delay_1.54_res_0.1": ("Connect(a, b, syn_spec={'delay': 1.54}) at resolution 0.1", _delay(1.54)),
    "delay_1.56_res_0.1": ("Connect(a, b, syn_spec={'delay': 1.56}) at resolution 0.1", _delay(1.56)),
    "delay_1.45_res_0.1": ("Connect(a, b, syn_spec={'delay': 1.45}) at resolution 0.1", _delay(1.45)),
    "delay_negative": ("Connect(a, a, syn_spec={'delay': -1.0})", _delay_negative),
    "resolution_after_nodes_attr": ("Create iaf_psc_alpha; nest.resolution = 0.01", _resolution_after_nodes),
    "resolution_after_nodes_SetKernelStatus": (
        "Create iaf_psc_alpha; nest.SetKernelStatus({'resolution': 0.01})",
        _resolution_set_kernel_status_after_nodes,
    ),
    "resolution_after_simulate": ("Simulate(1.0) (no nodes); nest.resolution = 0.01", _resolution_after_simulate),
    "set_I_e_int_376": ("n.set(I_e=376) (int) on iaf_psc_alpha", _ie(376)),
    "set_I_e_float_376": ("n.set(I_e=376.0) on iaf_psc_alpha", _ie(376.0)),
    "create_params_I_e_int_376": ("nest.Create('iaf_psc_alpha', params={'I_e': 376})", _ie_create_params_int),
    "connect_weight_int_20": ("Connect(a, b, syn_spec={'weight': 20}) (int)", _weight_int),
    "poisson_negative_rate": ("poisson_generator.set(rate=-5.0)", _poisson_neg_rate),
    "multimeter_unknown_recordable": (
        "multimeter record_from ['foo'], Connect to iaf_psc_alpha, Simulate(1.0)",
        _mm_unknown_recordable,
    ),
    "spike_generator_unsorted": ("spike_generator.set(spike_times=[5.0, 2.0])", _sg_unsorted),
    "spike_generator_off_grid": ("spike_generator.set(spike_times=[1.05]) at resolution 0.1", _sg_offgrid),
    "set_kernel_unknown_key": ("nest.SetKernelStatus({'foo': 1})", _unknown_kernel_attr),
    "connect_unknown_synapse": ("Connect(a, a, syn_spec={'synapse_model': 'no_such_synapse'})", _syn_unknown),
    "connect_unknown_rule": ("Connect(a, a, conn_spec={'rule': 'no_such_rule'})", _conn_unknown_rule),
}


def kernel_delays(nest):
    nest.ResetKernel()
    out = {"after_reset": {"min_delay": nest.min_delay, "max_delay": nest.max_delay}}
    a = nest.Create("iaf_psc_alpha")
    b = nest.Create("iaf_psc_alpha")
    out["after_create"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    nest.Connect(a, b, syn_spec={"delay": 1.5})
    out["after_connect_delay_1.5"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    nest.Simulate(10.0)
    out["after_simulate_10"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    # second scenario: two connections with different delays
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha")
    b = nest.Create("iaf_psc_alpha")
    nest.Connect(a, b, syn_spec={"delay": 2.0})
    nest.Connect(b, a, syn_spec={"delay": 3.5})
    out["after_connect_delays_2.0_and_3.5"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    # third: only default-delay connection
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha")
    b = nest.Create("iaf_psc_alpha")
    nest.Connect(a, b)
    out["after_connect_default_delay"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    # fourth: only a multimeter -> neuron connection
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha")
    mm = nest.Create("multimeter", params={"record_from": ["V_m"]})
    nest.Connect(mm, a)
    out["after_connect_multimeter_only"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    # fifth: only a neuron -> spike_recorder connection
    nest.ResetKernel()
    a = nest.Create("iaf_psc_alpha")
    sr = nest.Create("spike_recorder")
    nest.Connect(a, sr)
    out["after_connect_spike_recorder_only"] = {"min_delay": nest.min_delay, "max_delay": nest.max_delay}
    return out


def multimeter_sample_times(nest):
    out = {}
    # scenario key -> delay of an extra neuron->neuron connection (None: none)
    for key, extra_delay in (("mm_only", None), ("extra_conn_delay_0.1", 0.1), ("extra_conn_delay_1.5", 1.5)):
        nest.ResetKernel()
        n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
        if extra_delay is not None:
            nest.Connect(n, nest.Create("iaf_psc_alpha"), syn_spec={"delay": extra_delay})
        mm1 = nest.Create("multimeter", params={"record_from": ["V_m"]})
        mm2 = nest.Create("multimeter", params={"record_from": ["V_m"], "interval": 0.1})
        nest.Connect(mm1, n)
        nest.Connect(mm2, n)
        sc = {"min_delay_after_connect": nest.min_delay, "max_delay_after_connect": nest.max_delay}
        nest.Simulate(5.0)
        e1 = mm1.get("events")
        e2 = mm2.get("events")
        sc["after_sim_5"] = {
            "interval_1.0_times": e1["times"],
            "interval_1.0_V_m": e1["V_m"],
            "interval_0.1_n": len(e2["times"]),
            "interval_0.1_times_first3": e2["times"][:3],
            "interval_0.1_times_last2": e2["times"][-2:],
            "interval_0.1_V_m_first3": e2["V_m"][:3],
            "min_delay": nest.min_delay,
        }
        nest.Simulate(5.0)
        e2 = mm2.get("events")
        sc["after_second_sim_5"] = {
            "interval_0.1_n": len(e2["times"]),
            "interval_0.1_times_last2": e2["times"][-2:],
        }
        out[key] = sc
    out["protocol"] = (
        "iaf_psc_alpha I_e=376.0; optional extra Connect(n, other iaf_psc_alpha, delay d); "
        "multimeter mm1 (record_from V_m, default interval 1.0) and mm2 (interval 0.1), "
        "Connect(mm, n) with default syn_spec; Simulate(5.0), read events; Simulate(5.0) again."
    )
    out["event_keys"] = sorted(e1.keys())
    out["observation"] = (
        "Samples are stamped t = k*interval (k>=1, never t=0). Samples inside the last "
        "min_delay slice of a Simulate call are only delivered by the next Simulate call; "
        "Connect(multimeter, neuron) uses the default delay 1.0 and thus sets min_delay=1.0 "
        "unless a smaller delay exists."
    )
    return out


def spike_recorder_empty(nest):
    nest.ResetKernel()
    sr = nest.Create("spike_recorder")
    ev = sr.get("events")
    return {
        "events": ev,
        "n_events": sr.get("n_events"),
        "types": {k: str(getattr(v, "dtype", type(v).__name__)) for k, v in ev.items()},
    }


def main():
    import nest

    _common.quiet(nest)
    out = {"nest_version": nest.__version__, "probes": {}}
    for key, (action, func) in PROBES.items():
        out["probes"][key] = probe(nest, action, func)
    out["kernel_delays"] = kernel_delays(nest)
    out["multimeter_sample_times"] = multimeter_sample_times(nest)
    out["spike_recorder_empty"] = spike_recorder_empty(nest)
    _common.write_json("facts.json", out)


if __name__ == "__main__":
    main()
