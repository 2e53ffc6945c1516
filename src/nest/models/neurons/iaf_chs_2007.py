"""``iaf_chs_2007``: the normalised integrate-and-fire neuron of Carandini, Horton and
Sincich (2007), with its noise waveform, as NEST 3.10 has it.

The membrane potential is a sum, recomputed every step:

    V_m = V_syn + V_spike + V_noise * noise[k]

``V_syn`` is the response to excitatory input: a spike of weight w adds w to a current
decaying with ``tau_epsp``, which drives ``V_syn`` (also decaying with ``tau_epsp``) so
that a weight of 1 gives an EPSP peaking at ``V_epsp``. Spikes of negative weight are
ignored. At ``V_m >= 1`` (the normalised threshold) the neuron spikes and ``V_spike``
drops by ``V_reset``, recovering with ``tau_reset``; there is no refractory period.
``noise`` is a waveform given by the user, one sample per step, read from its start
whenever it is set (and only while ``V_noise > 0``). The model takes no current input.

Integration is exact (NEST's propagators and step order). Beyond the end of ``noise``
NEST reads past its array (undefined values); nestling adds 0 there.
"""

from __future__ import annotations

import numpy as np
from numba import prange

from ...engine.jit import threaded_kernel
from ...errors import NESTErrors
from ..base import Param, archiving_params, require
from ._exact import ExactNeuron

# The normalised threshold (NEST's U_th, not a status entry).
U_TH = 1.0


class IafChs2007(ExactNeuron):
    """Carandini-Horton-Sincich (2007) neuron: exponential EPSPs, an after-spike
    potential instead of a reset, and a noise waveform added to the membrane."""

    name = "iaf_chs_2007"
    elementsize = 680
    status_note = "exact integration, NEST's step order, noise waveform (`tests/test_models_ht.py`)"
    params = {
        **archiving_params(),
        "V_m": Param(0.0, state=True, doc="Membrane potential (normalised)"),
        "V_epsp": Param(0.77, doc="Peak of the EPSP of a unit weight (normalised)"),
        "V_reset": Param(2.31, doc="Drop of V_spike at a spike (normalised)"),
        "tau_epsp": Param(8.5, doc="Time constant of the EPSP", unit="ms"),
        "tau_reset": Param(15.4, doc="Time constant of the recovery after a spike", unit="ms"),
        "V_noise": Param(0.0, doc="Amplitude of the noise waveform (normalised)"),
        "noise": Param(np.zeros(0), kind="floats", doc="Noise waveform, one sample per step"),
    }
    recordables = ("V_m",)
    # i_syn, V_syn, V_spike: the state; pos: the next sample of the noise waveform.
    state_columns = ("V_m", "i_syn", "V_syn", "V_spike", "pos")
    visible = ("V_m",)
    vm_relative = False

    def check(self, v, n, gid):
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")
        require(v["V_epsp"] >= 0, self, gid, "EPSP cannot be negative.")
        require(v["V_reset"] >= 0, self, gid, "Reset potential cannot be negative.")
        require((v["tau_epsp"] > 0) & (v["tau_reset"] > 0), self, gid, "All time constants must be strictly positive.")

    def check_receptor_event(self, group, local, port: int, event: str) -> None:
        """Spikes and recording requests to port 0 only; no current input (NEST's words)."""
        if event == "CurrentEvent":
            raise NESTErrors.IllegalConnection(
                "Creation of connection is not possible because:\n"
                "The target node or synapse model does not support current input."
            )
        if port != 0:
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")

    def before_set(self, group, local, key) -> None:
        # A new waveform is read from its start (NEST resets the position when it is set).
        if key == "noise":
            group.aux.setdefault("noise_restart", []).append(np.asarray(local).copy())

    def prepare(self, group, kernel):
        super().prepare(group, kernel)
        a, v = group.aux, group.values
        for local in a.pop("noise_restart", []):
            a["S"][local, 4] = 0.0
        lengths = np.array([len(x) for x in v["noise"]], dtype=np.int64)
        width = max(int(lengths.max(initial=0)), 1)
        W = np.zeros((group.n, width))
        for i, x in enumerate(v["noise"]):
            W[i, : len(x)] = x
        a["W"] = W
        a["W_len"] = lengths

    def constants(self, v, kernel):
        n = len(v["V_m"])
        return np.column_stack(
            [np.broadcast_to(v["V_noise"], (n,)), np.full(n, U_TH), np.broadcast_to(v["V_reset"], (n,))]
        )

    def propagators(self, v, h):
        decay = np.exp(-h / v["tau_epsp"])
        # Unit input current to V_syn over a step: the EPSP of weight 1 peaks at V_epsp.
        to_v = v["V_epsp"] * np.exp(1.0) * decay * h / v["tau_epsp"]
        return np.column_stack([decay, decay, to_v, np.exp(-h / v["tau_reset"])])

    def update(self, group, kernel, t0, m):
        a = group.aux
        counts = _chs_update(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.buf, a["S"], a["Q"], a["P"], a["W"],
            a["W_len"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"],
        )  # fmt: skip
        kernel.collect_spikes(group, counts)


@threaded_kernel
def _chs_update(n_chunks, t0, m, slots, off, buf, S, Q, P, W, W_len, rec_row, rec_out, spk_i, spk_t, spk_off):
    n = S.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            for i in range(lo, hi):
                gi = off + i
                v_syn = S[i, 2] * P[i, 1] + S[i, 1] * P[i, 2]
                # Only excitatory input counts; negative weights are dropped.
                i_syn = S[i, 1] * P[i, 0] + b_exc[gi]
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                v_spike = S[i, 3] * P[i, 3]
                noise = 0.0
                if Q[i, 0] > 0.0 and W_len[i] > 0:
                    pos = int(S[i, 4])
                    if pos < W_len[i]:
                        noise = Q[i, 0] * W[i, pos]
                    S[i, 4] = pos + 1
                v = v_syn + v_spike + noise
                if v >= Q[i, 1]:
                    v_spike -= Q[i, 2]
                    v -= Q[i, 2]
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                S[i, 0] = v
                S[i, 1] = i_syn
                S[i, 2] = v_syn
                S[i, 3] = v_spike
                row = rec_row[i]
                if row >= 0:
                    rec_out[row, 0, k] = v
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts


MODELS = [IafChs2007]
