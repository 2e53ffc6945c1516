"""Rate neurons: NEST's ``*_rate_ipn``, ``*_rate_opn`` and ``rate_transformer_*``.

A rate neuron ``X`` follows ``tau dX/dt = -lambda X + mean + phi(input) + noise``, with
Gaussian white noise of standard deviation ``std`` in the input (``_ipn``) or added to
the rate it sends (``_opn``, ``noisy_rate``). The nonlinearity ``phi`` (lin, tanh,
threshold_lin, sigmoid, sigmoid_gg_1998, gauss) acts on the summed input
(``linear_summation``) or on every incoming rate before the sum. With ``mult_coupling``
excitatory and inhibitory input are scaled by factors of the node's own rate (only the
linear model's differ from 1). A rate transformer sends ``phi`` of its summed input at
once, with no dynamics of its own.

Integration is NEST's exponential Euler step: ``X <- P1 X + P2 (mean + phi(input)) +
noise_factor std xi`` with ``P1 = exp(-lambda h / tau)``, ``P2 = (1 - P1) / lambda``
(``h / tau`` for ``lambda = 0``) and the input noise factor
``sqrt((1 - P1**2) / (2 lambda))``; an ``_opn`` node sends ``X + sqrt(tau / h) std xi``.
A step reads its input at the step's start and the node sends its rate at the step's
start, as NEST does (a delay ``d`` means the rate of ``d`` steps before).

The nodes of all these models are updated together by ``engine/secondary.py``; this
module describes them and holds their jitted step. ``mu``/``mean`` and ``sigma``/``std``
are one value under two names (NEST 3.10 keeps both; ``mean``/``std`` win when both are
given); the Gaussian models' own ``mu`` and ``sigma`` shape the nonlinearity, and setting
them sets ``mean``/``std`` too (measured in NEST 3.10).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from ...engine import rng
from ...engine.jit import _renamed
from ..base import Model, Param, archiving_params, require
from .siegert_rate import ALPHA_SHIFT, siegert

# Nonlinearities.
LIN, TANH, THRESHOLD_LIN, SIGMOID, SIGMOID_GG, GAUSS = range(6)
# Kinds of node.
IPN, OPN, TRANSFORMER, SIEGERT = range(4)
# Columns of the parameter table Q.
P1, P2, NOISE_F, MEAN, STD, G, G_EX, G_IN, THETA, THETA_IN, ALPHA, BETA, GMU, GSIGMA, RECT_RATE, N_Q = range(16)
# Siegert neurons keep tau_m in G, t_ref in G_IN, V_reset in THETA_IN, the threshold shift in BETA.
# Columns of the code table C.
KIND, NONLIN, LIN_SUM, MULT, RECTIFY, N_C = range(6)
# Columns of the state: rate, noise, noisy rate.
RATE, NOISE, NOISY = range(3)

PURPOSE_RATE_NOISE = 0x72617465  # streams of the rate neurons' noise, keyed by node id


# Float errors as NumPy has them (NaN, inf), not exceptions: NEST's default Gaussian rate
# neuron (sigma 0) divides by zero and its rate is NaN.
@njit(inline="always", cache=True, error_model="numpy")
def phi(kind, x, q):
    """The nonlinearity ``kind`` of a node with parameters ``q`` (a row of Q) at ``x``."""
    if kind == LIN:
        return q[G] * x
    if kind == TANH:
        return math.tanh(q[G] * (x - q[THETA]))
    if kind == THRESHOLD_LIN:
        return min(max(q[G] * (x - q[THETA]), 0.0), q[ALPHA])
    if kind == SIGMOID:
        return q[G] / (1.0 + math.exp(-q[BETA] * (x - q[THETA])))
    if kind == SIGMOID_GG:
        gx4 = (q[G] * x) ** 4
        return gx4 / (0.1**4 + gx4)
    d = x - q[GMU]
    return q[G] * math.exp(-d * d / (2.0 * q[GSIGMA] * q[GSIGMA]))


@njit(inline="always", cache=True)
def coupling_ex(kind, rate, q):
    """Factor of the excitatory input under ``mult_coupling`` (1 except for ``lin``)."""
    return q[G_EX] * (q[THETA] - rate) if kind == LIN else 1.0


@njit(inline="always", cache=True)
def coupling_in(kind, rate, q):
    return q[G_IN] * (q[THETA_IN] + rate) if kind == LIN else 1.0


def _two_variants(func):
    """``func`` compiled serially and with threads (``prange`` over chunks), both with NumPy's
    float error model; called with the chunk bounds first (``engine/jit.py`` does the same
    with Python's error model)."""
    serial = njit(cache=True, error_model="numpy")(_renamed(func, "serial"))
    threaded = njit(cache=True, error_model="numpy", parallel=True)(_renamed(func, "threaded"))

    def call(bounds, *args):
        return (threaded if len(bounds) > 2 else serial)(bounds, *args)

    call.serial, call.threaded, call.__doc__ = serial, threaded, func.__doc__
    return call


def _rate_steps(bounds, t0, m, Q, C, state, keys, dbuf, slots, clear, ibuf, sent, y, rec, record):
    """Advance every rate node ``m`` steps from ``t0``; threads take the chunks of nodes
    between ``bounds`` (nodes do not interact within a slice).

    Input of step ``k``: the delayed buffers' slot of step ``t0 + k`` (``dbuf[channel]``,
    emptied when ``clear``) plus the instantaneous ones (``ibuf[channel, k]``); channel 0
    holds excitatory (drift, for Siegert nodes) input, 1 inhibitory (diffusion). Writes
    what each node sends at step ``k`` into ``sent`` and its new rate into ``y``.
    """
    for c in prange(bounds.shape[0] - 1):
        for i in range(bounds[c], bounds[c + 1]):
            for k in range(m):
                slot = (t0 + k) % slots
                q = Q[i]
                kind = C[i, KIND]
                nl = C[i, NONLIN]
                old = state[i, RATE]
                ex = dbuf[0, slot, i] + ibuf[0, k, i]
                inh = dbuf[1, slot, i] + ibuf[1, k, i]
                if clear:
                    dbuf[0, slot, i] = 0.0
                    dbuf[1, slot, i] = 0.0
                noise = 0.0
                noisy = 0.0
                out = old
                if kind == TRANSFORMER:
                    new = phi(nl, ex + inh, q) if C[i, LIN_SUM] else ex + inh
                elif kind == SIEGERT:
                    new = q[P1] * old + q[P2] * (
                        q[MEAN] + siegert(ex, inh, q[G], q[G_IN], q[THETA], q[THETA_IN], q[BETA])
                    )
                else:
                    if q[STD] > 0.0:
                        noise = q[STD] * rng.normal(rng.counter_key(keys[i], t0 + k), 0)
                    if kind == IPN:
                        new = q[P1] * old + q[P2] * q[MEAN] + q[NOISE_F] * noise
                    else:
                        noisy = old + q[NOISE_F] * noise
                        out = noisy
                        new = q[P1] * old + q[P2] * q[MEAN]
                    if C[i, MULT]:
                        if C[i, LIN_SUM]:
                            ex = phi(nl, ex, q)
                            inh = phi(nl, inh, q)
                        new += q[P2] * (coupling_ex(nl, old, q) * ex + coupling_in(nl, old, q) * inh)
                    elif C[i, LIN_SUM]:
                        new += q[P2] * phi(nl, ex + inh, q)
                    else:
                        new += q[P2] * (ex + inh)
                    if C[i, RECTIFY] and new < q[RECT_RATE]:
                        new = q[RECT_RATE]
                state[i, RATE] = new
                state[i, NOISE] = noise
                state[i, NOISY] = noisy
                sent[i, k] = out
                y[i, k] = new
                if record:
                    rec[RATE, i, k] = new
                    rec[NOISE, i, k] = noise
                    rec[NOISY, i, k] = noisy


def _deliver_rates(bounds, t0, m, slots, src, tgt, w1, w2, d, sent, Q, C, out, instant, diffusion):
    """Add what the sources sent in the slice to their targets' buffers; connections are
    sorted by target and threads take the runs between ``bounds`` (no two share a target).

    Rate connections add ``w1 * value`` (``phi`` of it for targets without linear
    summation) to channel 0 for ``w1 >= 0``, else to channel 1; diffusion connections add
    ``w1 * value`` (drift) to channel 0 and ``w2 * value`` (diffusion) to channel 1.
    Instantaneous values go to ``out[channel, k]``, delayed ones to the slot of step
    ``t0 + k + delay``.
    """
    for ch_ in prange(bounds.shape[0] - 1):
        for c in range(bounds[ch_], bounds[ch_ + 1]):
            s = src[c]
            t = tgt[c]
            wc = w1[c]
            ch = 0 if wc >= 0.0 else 1
            apply_phi = (not diffusion) and C[t, KIND] != SIEGERT and C[t, LIN_SUM] == 0
            # The slot advances by one per step (a modulo per step would cost more than the add).
            pos = 0 if instant else (t0 + d[c]) % slots
            for k in range(m):
                v = sent[s, k]
                if diffusion:
                    out[0, pos, t] += wc * v
                    out[1, pos, t] += w2[c] * v
                elif apply_phi:
                    out[ch, pos, t] += wc * phi(C[t, NONLIN], v, Q[t])
                else:
                    out[ch, pos, t] += wc * v
                pos += 1
                if pos == slots and not instant:
                    pos = 0


# ----------------------------------------------------------------- model descriptions
def _rate_params(noise_in: bool) -> dict[str, Param]:
    p = {
        **archiving_params(),
        "tau": Param(10.0, doc="Time constant of the rate dynamics", unit="ms"),
        "mean": Param(0.0, doc="Mean input (same value as mu)"),
        "mu": Param(0.0, doc="Mean input (same value as mean)"),
        "std": Param(1.0, doc="Standard deviation of the noise (same value as sigma)"),
        "sigma": Param(1.0, doc="Standard deviation of the noise (same value as std)"),
        "linear_summation": Param(True, kind="bool", doc="Apply the nonlinearity to the summed input"),
        "mult_coupling": Param(False, kind="bool", doc="Scale the input by factors of the rate"),
        "rate": Param(0.0, state=True, doc="Rate"),
        "noise": Param(0.0, state=True, doc="Noise of the last step"),
    }
    if noise_in:
        p["lambda"] = Param(1.0, doc="Passive decay rate")
        p["rectify_output"] = Param(False, kind="bool", doc="Keep the rate at or above rectify_rate")
        p["rectify_rate"] = Param(0.0, doc="Lowest rate when rectify_output is set")
    else:
        p["noisy_rate"] = Param(0.0, state=True, doc="Rate plus output noise (sent to targets)")
    return p


_NONLIN_PARAMS = {
    LIN: {"g": Param(1.0), "g_ex": Param(1.0), "g_in": Param(1.0), "theta_ex": Param(0.0), "theta_in": Param(0.0)},
    TANH: {"g": Param(1.0), "theta": Param(0.0)},
    THRESHOLD_LIN: {"g": Param(1.0), "theta": Param(0.0), "alpha": Param(float("inf"))},
    SIGMOID: {"g": Param(1.0), "theta": Param(0.0), "beta": Param(1.0)},
    SIGMOID_GG: {"g": Param(1.0)},
    GAUSS: {"g": Param(1.0), "mu": Param(0.0), "sigma": Param(0.0)},
}


class RateNode(Model):
    """What every node updated by the secondary-event path shares."""

    node_uses_wfr = True  # NEST 3.10 reports use_wfr's default
    spike_io = False  # neither sends nor receives spikes
    secondary_out: tuple[str, ...] = ("delayed_rate", "instantaneous_rate")
    secondary_in: tuple[str, ...] = ("delayed_rate", "instantaneous_rate")
    kind = IPN
    nonlinearity = LIN

    def prepare(self, group, kernel) -> None:
        group.aux.pop("secondary_state", None)

    def update(self, group, kernel, t0, m) -> None:
        """Nothing: ``engine/secondary.py`` updates all rate nodes together."""

    def table(self, v, h: float) -> tuple[np.ndarray, np.ndarray]:
        """Rows of Q and C (engine/secondary.py) for the nodes with status ``v``."""
        n = len(v["rate"])
        Q = np.zeros((n, N_Q))
        C = np.zeros((n, N_C), dtype=np.int64)
        C[:, KIND] = self.kind
        C[:, NONLIN] = self.nonlinearity
        C[:, LIN_SUM] = v["linear_summation"] if "linear_summation" in v else 1
        for key, col in (("g", G), ("g_ex", G_EX), ("g_in", G_IN), ("alpha", ALPHA), ("beta", BETA)):
            if key in v:
                Q[:, col] = v[key]
        Q[:, THETA] = v["theta"] if "theta" in v else v.get("theta_ex", 0.0)
        if "theta_in" in v:
            Q[:, THETA_IN] = v["theta_in"]
        if self.nonlinearity == GAUSS:
            Q[:, GMU] = v["mu"]
            Q[:, GSIGMA] = v["sigma"]
        return Q, C

    def translate_params(self, params: dict) -> dict:
        return params

    def check_receptor(self, group, local, port: int) -> None:
        """Spikes to a port: NEST refuses spike input before it looks at the port."""
        if port != 0:
            from ...errors import IllegalConnection

            raise IllegalConnection(
                "Creation of connection is not possible because:\nThe target node or synapse model does not "
                "support spike input.\n  Note that volt/multimeters must be connected as Connect(meter, neuron)."
            )

    def finish_run(self, group, kernel) -> None:
        if kernel.secondary is not None:
            kernel.secondary.write_back(group)


class RateNeuron(RateNode):
    """A rate neuron with input (``_ipn``) or output (``_opn``) noise."""

    def translate_params(self, params: dict) -> dict:
        """``mu``/``mean`` and ``sigma``/``std``: one value each, ``mean``/``std`` win.

        In the Gaussian model ``mu`` and ``sigma`` belong to the nonlinearity; setting them
        sets ``mean`` and ``std`` as well (unless those are given too), as in NEST 3.10.
        """
        out = dict(params)
        gauss = self.nonlinearity == GAUSS
        for alias, key in (("mu", "mean"), ("sigma", "std")):
            if key in out:
                if not gauss:
                    out[alias] = out[key]
            elif alias in out:
                out[key] = out[alias]
        return out

    def check(self, v, n, gid):
        require(v["tau"] > 0, self, gid, "Time constant must be > 0.")
        if "lambda" in v:
            require(v["lambda"] >= 0, self, gid, "Passive decay rate must be >= 0.")
        require(v["std"] >= 0, self, gid, "Noise parameter must not be negative.")
        if "rectify_rate" in v:
            require(v["rectify_rate"] >= 0, self, gid, "Rectifying rate must not be negative.")

    def table(self, v, h):
        Q, C = super().table(v, h)
        tau = np.asarray(v["tau"], dtype=np.float64)
        lam = np.asarray(v["lambda"], dtype=np.float64) if "lambda" in v else np.ones_like(tau)
        decay = lam > 0
        lam_safe = np.where(decay, lam, 1.0)
        Q[:, P1] = np.where(decay, np.exp(-lam_safe * h / tau), 1.0)
        Q[:, P2] = np.where(decay, -np.expm1(-lam_safe * h / tau) / lam_safe, h / tau)
        if self.kind == IPN:
            Q[:, NOISE_F] = np.where(decay, np.sqrt(-0.5 * np.expm1(-2.0 * lam_safe * h / tau) / lam_safe),
                                     np.sqrt(h / tau))  # fmt: skip
            C[:, RECTIFY] = v["rectify_output"]
            Q[:, RECT_RATE] = v["rectify_rate"]
        else:
            Q[:, NOISE_F] = np.sqrt(tau / h)
        Q[:, MEAN] = v["mean"]
        Q[:, STD] = v["std"]
        C[:, MULT] = v["mult_coupling"]
        return Q, C


class RateTransformer(RateNode):
    """Sends ``phi`` of its summed input of each step, without dynamics or noise."""

    kind = TRANSFORMER
    recordables = ("rate",)

    def table(self, v, h):
        return super().table(v, h)


class SiegertNeuron(RateNode):
    """``siegert_neuron``: ``tau dr/dt = -r + mean + Phi(mu, sigma^2)``, ``Phi`` the Siegert
    rate of a leaky integrate-and-fire neuron (``siegert_rate.py``) whose input mean and
    variance are the drift and diffusion its ``diffusion_connection`` inputs carry."""

    name = "siegert_neuron"
    kind = SIEGERT
    elementsize = 592
    secondary_out = ("diffusion",)
    secondary_in = ("diffusion",)
    recordables = ("rate",)
    params = {
        **archiving_params(),
        "tau": Param(1.0, doc="Time constant of the rate dynamics", unit="ms"),
        "tau_m": Param(5.0, doc="Membrane time constant", unit="ms"),
        "tau_syn": Param(0.0, doc="Synaptic time constant", unit="ms"),
        "t_ref": Param(2.0, doc="Refractory period", unit="ms"),
        "theta": Param(15.0, doc="Threshold relative to rest", unit="mV"),
        "V_reset": Param(0.0, doc="Reset relative to rest", unit="mV"),
        "mean": Param(0.0, doc="Constant input rate", unit="1/s"),
        "rate": Param(0.0, state=True, doc="Rate", unit="1/s"),
    }
    status_note = (
        "exponential Euler, Siegert integral by adaptive Gauss-Kronrod; rates to 1e-9 (`tests/test_models_rate.py`)"
    )

    def check(self, v, n, gid):
        require(v["tau"] > 0, self, gid, "time constant must be > 0.")
        require(v["tau_m"] > 0, self, gid, "Membrane time constant must be > 0.")
        require(v["tau_syn"] >= 0, self, gid, "Membrane time constant must not be negative.")
        require(v["t_ref"] >= 0, self, gid, "Refractory time must not be negative.")
        require(v["V_reset"] < v["theta"], self, gid, "Reset potential must be smaller than threshold.")

    def table(self, v, h):
        n = len(v["rate"])
        Q = np.zeros((n, N_Q))
        C = np.zeros((n, N_C), dtype=np.int64)
        C[:, KIND] = SIEGERT
        Q[:, P1] = np.exp(-h / v["tau"])
        Q[:, P2] = -np.expm1(-h / v["tau"])
        Q[:, MEAN] = v["mean"]
        Q[:, G] = v["tau_m"]
        Q[:, G_IN] = v["t_ref"]
        Q[:, THETA] = v["theta"]
        Q[:, THETA_IN] = v["V_reset"]
        Q[:, BETA] = 0.5 * ALPHA_SHIFT * np.sqrt(v["tau_syn"] / v["tau_m"])
        return Q, C


def _neuron(cls_name, name, nonlin, kind, elementsize):
    base_params = _rate_params(kind == IPN)
    params = {**base_params, **{k: Param(p.default, doc=f"Parameter of the {name.split('_rate')[0]} nonlinearity")
                                for k, p in _NONLIN_PARAMS[nonlin].items()}}  # fmt: skip
    recordables = ("noise", "rate") if kind == IPN else ("noise", "noisy_rate", "rate")
    note = "exponential Euler as NEST, noise from counter-based streams; traces to 1e-9 (`tests/test_models_rate.py`)"
    return type(cls_name, (RateNeuron,), {"name": name, "nonlinearity": nonlin, "kind": kind, "params": params,
                                           "recordables": recordables, "elementsize": elementsize,
                                           "status_note": note, "__doc__": RateNeuron.__doc__})  # fmt: skip


def _transformer(cls_name, name, nonlin, elementsize):
    params = {
        **archiving_params(),
        "linear_summation": Param(True, kind="bool", doc="Apply the nonlinearity to the summed input"),
        "rate": Param(0.0, state=True, doc="Rate"),
        **{k: Param(p.default) for k, p in _NONLIN_PARAMS[nonlin].items()},
    }
    note = "NEST's update order, instantaneous or delayed input; traces to 1e-9 (`tests/test_models_rate.py`)"
    return type(cls_name, (RateTransformer,), {"name": name, "nonlinearity": nonlin, "params": params,
                                                "elementsize": elementsize, "status_note": note,
                                                "__doc__": RateTransformer.__doc__})  # fmt: skip


LinRateIpn = _neuron("LinRateIpn", "lin_rate_ipn", LIN, IPN, 736)
LinRateOpn = _neuron("LinRateOpn", "lin_rate_opn", LIN, OPN, 728)
TanhRateIpn = _neuron("TanhRateIpn", "tanh_rate_ipn", TANH, IPN, 712)
TanhRateOpn = _neuron("TanhRateOpn", "tanh_rate_opn", TANH, OPN, 704)
ThresholdLinRateIpn = _neuron("ThresholdLinRateIpn", "threshold_lin_rate_ipn", THRESHOLD_LIN, IPN, 720)
ThresholdLinRateOpn = _neuron("ThresholdLinRateOpn", "threshold_lin_rate_opn", THRESHOLD_LIN, OPN, 712)
SigmoidRateIpn = _neuron("SigmoidRateIpn", "sigmoid_rate_ipn", SIGMOID, IPN, 720)
SigmoidRateGg1998Ipn = _neuron("SigmoidRateGg1998Ipn", "sigmoid_rate_gg_1998_ipn", SIGMOID_GG, IPN, 704)
GaussRateIpn = _neuron("GaussRateIpn", "gauss_rate_ipn", GAUSS, IPN, 720)

RateTransformerGauss = _transformer("RateTransformerGauss", "rate_transformer_gauss", GAUSS, 544)
RateTransformerLin = _transformer("RateTransformerLin", "rate_transformer_lin", LIN, 560)
RateTransformerSigmoid = _transformer("RateTransformerSigmoid", "rate_transformer_sigmoid", SIGMOID, 544)
RateTransformerSigmoidGg1998 = _transformer("RateTransformerSigmoidGg1998", "rate_transformer_sigmoid_gg_1998",
                                            SIGMOID_GG, 528)  # fmt: skip
RateTransformerTanh = _transformer("RateTransformerTanh", "rate_transformer_tanh", TANH, 536)
RateTransformerThresholdLin = _transformer("RateTransformerThresholdLin", "rate_transformer_threshold_lin",
                                           THRESHOLD_LIN, 544)  # fmt: skip

RATE_MODELS = [LinRateIpn, LinRateOpn, TanhRateIpn, TanhRateOpn, ThresholdLinRateIpn, ThresholdLinRateOpn,
               SigmoidRateIpn, SigmoidRateGg1998Ipn, GaussRateIpn, RateTransformerGauss, RateTransformerLin,
               RateTransformerSigmoid, RateTransformerSigmoidGg1998, RateTransformerTanh,
               RateTransformerThresholdLin, SiegertNeuron]  # fmt: skip

rate_steps = _two_variants(_rate_steps)
deliver_rates = _two_variants(_deliver_rates)
