"""Plastic synapse models: spike-timing-dependent and short-term plasticity.

A plastic model describes its parameters; the connections of each such model live in
their own store (``engine/plasticity.py``), where a jitted delivery kernel changes every
synapse's weight and state as spikes pass, the way NEST's model does it:

- ``stdp_synapse`` (Guetig et al. 2003; Rubin et al. 2001): at a presynaptic spike at t, the
  weight is first potentiated once for every postsynaptic spike in ``(t_last - d, t - d]``
  (d: the synapse's delay, taken as dendritic), each with the presynaptic trace ``Kplus`` decayed
  to that spike; then depressed with the postsynaptic trace ``K_minus`` just before ``t - d``;
  then sent. ``facilitate(w, K) = min(w/W + lambda (1 - w/W)**mu_plus K, 1) W`` and
  ``depress(w, K) = max(w/W - alpha lambda (w/W)**mu_minus K, 0) W`` with ``W = Wmax``.
- ``stdp_synapse_hom``: the same rule, its parameters shared by all connections of the model
  (set with ``SetDefaults`` or ``CopyModel``).
- ``tsodyks2_synapse`` (Tsodyks & Markram 1997; Fuhrmann et al. 2002): resources ``x`` and use
  ``u`` relax between spikes with ``tau_rec`` and ``tau_fac``; a spike sends ``x u weight``.
- ``stdp_pl_synapse_hom`` (Morrison et al. 2007): the same pairing scheme with power-law
  potentiation ``w + lambda w**mu K`` and multiplicative depression ``w - alpha lambda w K``.
- ``tsodyks_synapse`` / ``_hom`` (Tsodyks et al. 1998): recovered ``x``, active ``y`` and
  inactive ``1 - x - y`` resources with ``tau_rec`` and ``tau_psc``, use ``u`` with ``tau_fac``;
  a spike moves ``u x`` from recovered to active and sends ``u x weight``.
- ``static_synapse_hom_w``: a static synapse whose weight is shared by the model.
"""

from __future__ import annotations

import numpy as np

from ...errors import BadDelay, BadProperty, NESTErrors
from .static import StaticSynapse

STATIC, STDP, STDP_PL, TRIPLET, TSODYKS, TSODYKS2, VOGELS = (
    "static",
    "stdp",
    "stdp_pl",
    "triplet",
    "tsodyks",
    "tsodyks2",
    "vogels",
)
HT, BERNOULLI, QUANTAL, DOPAMINE = "ht", "bernoulli", "quantal", "dopamine"
FACETSHW, CONT_DELAY = "facetshw", "cont_delay"


class PlasticSynapse(StaticSynapse):
    """A synapse model whose connections carry their own state.

    ``per_connection``: keys that may differ between connections (given in ``Connect``'s
    ``syn_spec`` or set on a ``SynapseCollection``), beyond weight and delay; ``common``:
    keys shared by the model's connections (``SetDefaults`` only); ``family``: the delivery
    kernel that applies the rule.
    """

    plastic = True
    family = ""
    sizeof = 32
    show_sizeof = True  # NEST's GetDefaults of tsodyks_synapse_hom has no sizeof
    per_connection: tuple[str, ...] = ()
    common: tuple[str, ...] = ()
    extra_defaults: dict = {}

    def __init__(self):
        super().__init__()
        self.defaults.update(self.extra_defaults)

    def status(self) -> dict:
        st = super().status()
        st["sizeof"] = self.sizeof
        if not self.show_sizeof:
            del st["sizeof"]
        return st

    def value(self, values: dict, key: str) -> np.ndarray:
        """``values[key]`` as an array, the model's default where not given (common keys)."""
        return np.asarray(values.get(key, self.defaults[key]), dtype=float)

    def check(self, values: dict, on_set: bool = False) -> None:
        """Raise a NEST error for values the model refuses (scalars or arrays per connection).

        ``on_set``: the values are being set on existing connections, or ``Connect`` was
        given parameters beyond weight and delay (NEST checks some only then: ``Connect``
        with just a negative weight takes it, whatever ``Wmax`` is).
        """


class StdpSynapse(PlasticSynapse):
    name = "stdp_synapse"
    family = STDP
    rule = 0
    sizeof = 96
    extra_defaults = {
        "Kplus": 0.0,
        "Wmax": 100.0,
        "alpha": 1.0,
        "lambda": 0.01,
        "mu_minus": 1.0,
        "mu_plus": 1.0,
        "tau_plus": 20.0,
    }
    per_connection = ("Kplus", "Wmax", "alpha", "lambda", "mu_minus", "mu_plus", "tau_plus")

    def check(self, values: dict, on_set: bool = False) -> None:
        w = self.value(values, "weight")
        wmax = self.value(values, "Wmax")
        if on_set and np.any(np.sign(w) * np.sign(wmax) < 0):
            raise BadProperty("Weight and Wmax must have same sign.")
        if "Kplus" in self.defaults and np.any(self.value(values, "Kplus") < 0):
            raise BadProperty("Kplus must be non-negative.")


class StdpNnSymmSynapse(StdpSynapse):
    """Symmetric nearest-neighbour pairing: each spike pairs with the nearest earlier spike of the other side."""

    name = "stdp_nn_symm_synapse"
    rule = 1
    sizeof = 88
    extra_defaults = {k: v for k, v in StdpSynapse.extra_defaults.items() if k != "Kplus"}
    per_connection = tuple(k for k in StdpSynapse.per_connection if k != "Kplus")


class StdpNnPreCenteredSynapse(StdpSynapse):
    """Presynaptic-centred pairing: a post spike pairs with every pre spike since the previous post
    spike, a pre spike with the nearest earlier post spike."""

    name = "stdp_nn_pre_centered_synapse"
    rule = 2


class StdpNnRestrSynapse(StdpNnSymmSynapse):
    """Restricted symmetric nearest-neighbour pairing: no spike takes part in two pairs of one kind."""

    name = "stdp_nn_restr_synapse"
    rule = 3


class StdpTripletSynapse(PlasticSynapse):
    """Triplet rule (Pfister & Gerstner 2006): pair and triplet terms for potentiation and depression."""

    name = "stdp_triplet_synapse"
    family = TRIPLET
    sizeof = 112
    show_sizeof = False
    extra_defaults = {
        "Aminus": 0.007,
        "Aminus_triplet": 0.00023,
        "Aplus": 5e-10,
        "Aplus_triplet": 0.0062,
        "Kplus": 0.0,
        "Kplus_triplet": 0.0,
        "Wmax": 100.0,
        "tau_plus": 16.8,
        "tau_plus_triplet": 101.0,
    }
    per_connection = tuple(extra_defaults)


class VogelsSprekelerSynapse(PlasticSynapse):
    """Inhibitory plasticity (Vogels et al. 2011): potentiation by near pre/post pairs, a constant
    depression ``alpha eta`` per presynaptic spike; magnitudes change, Wmax gives the sign."""

    name = "vogels_sprekeler_synapse"
    family = VOGELS
    sizeof = 80
    extra_defaults = {"Kplus": 0.0, "Wmax": 1.0, "alpha": 0.12, "eta": 0.001, "tau": 20.0}
    per_connection = tuple(extra_defaults)

    def __init__(self):
        super().__init__()
        self.defaults["weight"] = 0.5


class StdpSynapseHom(StdpSynapse):
    name = "stdp_synapse_hom"
    sizeof = 48
    per_connection = ("Kplus",)
    common = ("Wmax", "alpha", "lambda", "mu_minus", "mu_plus", "tau_plus")


class Tsodyks2Synapse(PlasticSynapse):
    name = "tsodyks2_synapse"
    family = TSODYKS2
    sizeof = 80
    extra_defaults = {"U": 0.5, "tau_fac": 0.0, "tau_rec": 800.0, "u": 0.5, "x": 1.0}
    per_connection = ("U", "tau_fac", "tau_rec", "u", "x")

    def check(self, values: dict, on_set: bool = False) -> None:
        U = self.value(values, "U")
        if np.any((U < 0) | (U > 1)):
            raise BadProperty("'U' must be in [0,1].")
        u = self.value(values, "u")
        if np.any((u < 0) | (u > 1)):
            raise BadProperty("'u' must be in [0,1].")
        if np.any(self.value(values, "tau_rec") <= 0):
            raise BadProperty("'tau_rec' must be > 0.")
        if np.any(self.value(values, "tau_fac") < 0):
            raise BadProperty("'tau_fac' must be >= 0.")


class StdpPlSynapseHom(PlasticSynapse):
    name = "stdp_pl_synapse_hom"
    family = STDP_PL
    sizeof = 48
    extra_defaults = {"Kplus": 0.0, "alpha": 1.0, "lambda": 0.1, "mu": 0.4, "tau_plus": 20.0}
    per_connection = ("Kplus",)
    common = ("alpha", "lambda", "mu", "tau_plus")

    def check(self, values: dict, on_set: bool = False) -> None:
        if np.any(self.value(values, "Kplus") < 0):
            raise BadProperty("Kplus must be non-negative.")


class TsodyksSynapse(PlasticSynapse):
    name = "tsodyks_synapse"
    family = TSODYKS
    sizeof = 96
    extra_defaults = {"U": 0.5, "tau_fac": 0.0, "tau_psc": 3.0, "tau_rec": 800.0, "u": 0.0, "x": 1.0, "y": 0.0}
    per_connection = ("U", "tau_fac", "tau_psc", "tau_rec", "u", "x", "y")

    def check(self, values: dict, on_set: bool = False) -> None:
        if np.any(self.value(values, "tau_psc") <= 0):
            raise BadProperty("'tau_psc' must be > 0.")
        U = self.value(values, "U")
        if np.any((U < 0) | (U > 1)):
            raise BadProperty("'U' must be in [0,1].")
        if np.any(self.value(values, "tau_rec") <= 0):
            raise BadProperty("'tau_rec' must be > 0.")
        if np.any(self.value(values, "tau_fac") < 0):
            raise BadProperty("'tau_fac' must be >= 0.")
        if np.any(self.value(values, "x") + self.value(values, "y") > 1.0):
            raise BadProperty("x + y must be <= 1.0.")
        u = self.value(values, "u")
        if np.any((u < 0) | (u > 1)):
            raise BadProperty("'u' must be in [0,1].")


class TsodyksSynapseHom(TsodyksSynapse):
    name = "tsodyks_synapse_hom"
    sizeof = 56
    show_sizeof = False
    per_connection = ("u", "x", "y")
    common = ("U", "tau_fac", "tau_psc", "tau_rec")


class HtSynapse(PlasticSynapse):
    """Depressing synapse of Hill & Tononi (2005): a spike sends ``P weight``, then ``P`` drops by
    the fraction ``delta_P`` and recovers towards 1 with ``tau_P``."""

    name = "ht_synapse"
    family = HT
    sizeof = 72
    extra_defaults = {"P": 1.0, "delta_P": 0.125, "tau_P": 500.0}
    per_connection = ("P", "delta_P", "tau_P")

    def check(self, values: dict, on_set: bool = False) -> None:
        if np.any(self.value(values, "tau_P") <= 0):
            raise BadProperty("tau_P > 0 required.")
        d = self.value(values, "delta_P")
        if np.any((d < 0) | (d > 1)):
            raise BadProperty("0 <= delta_P <= 1 required.")
        P = self.value(values, "P")
        if np.any((P < 0) | (P > 1)):
            raise BadProperty("0 <= P <= 1 required.")


class BernoulliSynapse(PlasticSynapse):
    """Static synapse that passes each spike on with probability ``p_transmit``."""

    name = "bernoulli_synapse"
    family = BERNOULLI
    sizeof = 40
    extra_defaults = {"p_transmit": 1.0}
    per_connection = ("p_transmit",)

    def check(self, values: dict, on_set: bool = False) -> None:
        p = self.value(values, "p_transmit")
        if np.any((p < 0) | (p > 1)):
            raise BadProperty("Spike transmission probability must be in [0, 1].")


class QuantalStpSynapse(PlasticSynapse):
    """Stochastic short-term plasticity (Fuhrmann et al. 2002): ``n`` release sites, ``a`` of
    them ready; depleted sites recover with ``tau_rec``, each ready site releases with the use
    ``u`` (facilitating with ``tau_fac``), and a spike sends ``weight`` per released site."""

    name = "quantal_stp_synapse"
    family = QUANTAL
    sizeof = 80
    show_sizeof = False
    extra_defaults = {"U": 0.5, "a": 1, "n": 1, "tau_fac": 0.0, "tau_rec": 800.0, "u": 0.5}
    per_connection = ("U", "a", "n", "tau_fac", "tau_rec", "u")
    integer_keys = ("a", "n")

    def check(self, values: dict, on_set: bool = False) -> None:
        U = self.value(values, "U")
        if np.any((U < 0) | (U > 1)):
            raise BadProperty("'U' must be in [0,1].")


class StdpDopamineSynapse(PlasticSynapse):
    """Dopamine-modulated STDP (Izhikevich 2007; Potjans et al. 2010): pre/post pairs change
    an eligibility trace ``c`` (``A_plus``, ``A_minus``), dopamine spikes collected by the
    model's ``volume_transmitter`` raise the dopamine trace ``n``, and the weight follows
    ``dw/dt = c (n - b)`` within [``Wmin``, ``Wmax``]."""

    name = "stdp_dopamine_synapse"
    family = DOPAMINE
    sizeof = 80
    show_sizeof = False
    extra_defaults = {
        "A_minus": 1.5,
        "A_plus": 1.0,
        "Kplus": 0.0,
        "Wmax": 200.0,
        "Wmin": 0.0,
        "b": 0.0,
        "c": 0.0,
        "n": 0.0,
        "tau_c": 1000.0,
        "tau_n": 200.0,
        "tau_plus": 20.0,
        "volume_transmitter": None,
    }
    per_connection = ("Kplus", "c", "n")
    common = ("A_minus", "A_plus", "Wmax", "Wmin", "b", "tau_c", "tau_n", "tau_plus", "volume_transmitter")
    # State NEST keeps per connection without showing it: the dopamine spike reached so far.
    hidden = ("dopa_idx",)

    def check(self, values: dict, on_set: bool = False) -> None:
        if self.volume_transmitter_id() is None:
            raise BadProperty("No volume transmitter has been assigned to the dopamine synapse.")

    def volume_transmitter_id(self):
        vt = self.defaults.get("volume_transmitter")
        if vt is None:
            return None
        ids = vt.tolist() if hasattr(vt, "tolist") else list(np.atleast_1d(vt))
        return int(ids[0]) if len(ids) else None

    def status(self) -> dict:
        st = super().status()
        from ...api.nodes import NodeCollection

        vt = self.volume_transmitter_id()
        st["volume_transmitter"] = NodeCollection([vt] if vt is not None else [])
        return st


class JonkeSynapse(PlasticSynapse):
    """STDP with exponential weight dependence and an additive offset (Nessler et al. 2013;
    Jonke et al. 2017): all-to-all pairing as ``stdp_synapse``, each post spike after the last
    pre spike adding ``lambda (exp(mu_plus w) K_plus - beta)`` (capped at ``Wmax``), each pre
    spike ``lambda (-alpha exp(mu_minus w) K_minus - beta)`` (floored at 0); parameters common."""

    name = "jonke_synapse"
    family = STDP
    rule = 4  # of the pairing kernel (engine/plasticity.py)
    sizeof = 48
    status_note = "event-driven, NEST's pairing and order (`tests/test_synapses_more.py`)"
    extra_defaults = {
        "Kplus": 0.0,
        "Wmax": 100.0,
        "alpha": 1.0,
        "beta": 0.0,
        "lambda": 0.01,
        "mu_minus": 0.0,
        "mu_plus": 0.0,
        "tau_plus": 20.0,
    }
    per_connection = ("Kplus",)
    common = ("Wmax", "alpha", "beta", "lambda", "mu_minus", "mu_plus", "tau_plus")

    def check(self, values: dict, on_set: bool = False) -> None:
        if np.any(self.value(values, "Kplus") < 0):
            raise BadProperty("Kplus must be non-negative.")


_FACETS_LUT = {
    "lookuptable_0": [2, 3, 4, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 14, 15],
    "lookuptable_1": [0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10, 11, 12, 13],
    "lookuptable_2": list(range(16)),
}


class StdpFacetshwSynapseHom(PlasticSynapse):
    """STDP as the FACETS wafer-scale hardware does it (Pfeil et al. 2012): 4-bit weights, a
    causal and an acausal accumulator per synapse (reduced symmetric nearest-neighbour
    pairing), and weight updates only when the synapse's driver is read out, through one of
    three look-up tables chosen by comparing the accumulators with thresholds.

    Every ``synapses_per_driver`` synapses (numbered in the order of their first spike) share
    a driver; drivers are read out ``driver_readout_time`` apart, the whole cycle taking
    ``readout_cycle_duration``. The tables, thresholds' configuration and the counters live
    in the model (common properties): ``SetDefaults`` or ``CopyModel``.
    """

    name = "stdp_facetshw_synapse_hom"
    family = FACETSHW
    sizeof = 112 - 8  # the _lbl twin shows 112; NEST's plain model shows no sizeof
    show_sizeof = False
    status_note = "event-driven, readout cycle and tables as NEST (`tests/test_synapses_more.py`)"
    extra_defaults = {
        "Wmax": 100.0,
        "a_acausal": 0.0,
        "a_causal": 0.0,
        "a_thresh_th": 21.835,
        "a_thresh_tl": 21.835,
        "configbit_0": np.array([0, 0, 1, 0]),
        "configbit_1": np.array([0, 1, 0, 0]),
        "driver_readout_time": 15.0,
        "init_flag": False,
        **{k: np.array(v) for k, v in _FACETS_LUT.items()},
        "next_readout_time": 0.0,
        "no_synapses": 0,
        "readout_cycle_duration": 0.0,
        "reset_pattern": np.array([1, 1, 1, 1, 1, 1]),
        "synapse_id": 0,
        "synapses_per_driver": 50,
        "tau_minus_stdp": 20.0,
        "tau_plus": 20.0,
        "weight_per_lut_entry": 100.0 / 15,
    }
    per_connection = ("a_acausal", "a_causal", "a_thresh_th", "a_thresh_tl", "init_flag", "next_readout_time",
                      "synapse_id")  # fmt: skip
    common = ("Wmax", "configbit_0", "configbit_1", "driver_readout_time", "lookuptable_0", "lookuptable_1",
              "lookuptable_2", "no_synapses", "readout_cycle_duration", "reset_pattern", "synapses_per_driver",
              "tau_minus_stdp", "tau_plus", "weight_per_lut_entry")  # fmt: skip
    integer_keys = ("synapse_id",)
    bool_keys = ("init_flag",)

    def __init__(self):
        super().__init__()
        self.defaults = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in self.defaults.items()}

    def copy(self, new_name: str):
        other = super().copy(new_name)
        other.defaults = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in other.defaults.items()}
        return other

    def readout_cycle(self) -> float:
        """The readout cycle: one ``driver_readout_time`` per driver the synapses so far fill."""
        d = self.defaults
        return int((d["no_synapses"] - 1.0) / d["synapses_per_driver"] + 1.0) * d["driver_readout_time"]

    def set_defaults(self, params: dict) -> dict:
        """Take the common properties in NEST's order (each stored before it is checked, as
        NEST does), recomputing the quantities derived from them; return the other keys."""
        d = self.defaults
        rest = dict(params)
        for key in ("tau_plus", "tau_minus_stdp", "Wmax", "weight_per_lut_entry", "readout_cycle_duration",
                    "no_synapses", "synapses_per_driver", "driver_readout_time"):  # fmt: skip
            if key not in rest:
                continue
            v = rest.pop(key)
            d[key] = int(v) if key in ("no_synapses", "synapses_per_driver") else float(v)
            if key == "Wmax":
                d["weight_per_lut_entry"] = d["Wmax"] / (len(d["lookuptable_0"]) - 1)
            elif key in ("no_synapses", "synapses_per_driver", "driver_readout_time"):
                d["readout_cycle_duration"] = self.readout_cycle()
        for key in ("lookuptable_0", "lookuptable_1", "lookuptable_2"):
            if key in rest:
                d[key] = np.asarray(rest.pop(key), dtype=np.int64)
                if len(d[key]) != len(d["lookuptable_1" if key == "lookuptable_0" else "lookuptable_0"]):
                    raise BadProperty("Look-up table has not 2^4 entries!")
                if np.any((d[key] < 0) | (d[key] > 15)):
                    raise BadProperty("Look-up table entries must be integers in [0,15]")
        for key, size, what in (("configbit_0", 4, "configuration"), ("configbit_1", 4, "configuration"),
                                ("reset_pattern", 6, "reset")):  # fmt: skip
            if key in rest:
                d[key] = np.asarray(rest.pop(key), dtype=np.int64)
                if len(d[key]) != size:
                    raise BadProperty(f"Wrong number of {what} bits (!={size}).")
        return rest


def split_delay(delay_ms: np.ndarray, h: float) -> tuple[np.ndarray, np.ndarray]:
    """A continuous delay as NEST's ``cont_delay_synapse`` keeps it: whole steps (the next step
    up where the delay is off the grid) and the part ``delay_offset`` in ``[0, h)`` taken back."""
    frac, whole = np.modf(np.asarray(delay_ms, dtype=np.float64) / h)
    off_grid = frac != 0.0
    steps = np.where(off_grid, whole + 1.0, whole).astype(np.int64)
    return steps, np.where(off_grid, h * (1.0 - frac), 0.0)


class ContDelaySynapse(PlasticSynapse):
    """Static synapse with a delay that need not be a multiple of the resolution: ``delay``
    steps less ``delay_offset`` (in ``[0, h)``), the offset added to the spike's own. Precise
    targets get the spike at its exact time; grid targets at the end of its step. A delay
    given to ``Connect`` is rounded to the grid, as in NEST; ``SetDefaults``/``CopyModel``
    and setting it on connections keep it whole."""

    name = "cont_delay_synapse"
    family = CONT_DELAY
    sizeof = 40
    status_note = "offsets into precise neurons, grid neurons at step ends as NEST (`tests/test_synapses_more.py`)"
    continuous_delay = True
    hidden = ("delay_offset",)
    # The model's default delay as (steps, offset), once set off the grid.
    default_split: tuple[int, float] | None = None

    def set_defaults(self, params: dict) -> dict:
        rest = dict(params)
        if "delay" in rest:
            steps, off = split_delay(rest.pop("delay"), self.h())
            if steps[()] - (off[()] > 0) < 1:
                raise BadDelay("Delay value 0 is invalid: Delay must be greater than or equal to resolution")
            from ...api.kernel_status import check_delays_in_range

            # Both whole steps around the delay must lie in a range set with SetKernelStatus (NEST).
            check_delays_in_range([steps[()] - (off[()] > 0), steps[()]])
            self.default_split = (int(steps[()]), float(off[()]))
            self.defaults["delay"] = float(self.steps_to_ms(steps[()])) - float(off[()])
        return rest

    @staticmethod
    def h() -> float:
        from ...engine.kernel import kernel

        return kernel.h

    @staticmethod
    def steps_to_ms(steps):
        from ...engine.kernel import kernel

        return kernel.steps_to_ms(steps)


class StaticSynapseHomW(StaticSynapse):
    """Static synapse whose weight is a property of the model, not of each connection."""

    name = "static_synapse_hom_w"
    common = ("weight",)
    sizeof = 24

    def status(self) -> dict:
        st = super().status()
        st["sizeof"] = self.sizeof
        return st


def refuse_common(model, spec: dict) -> None:
    """NEST refuses per-connection values of a model's common properties in ``Connect``."""
    for key in getattr(model, "common", ()):
        if key in spec:
            raise NESTErrors.NotImplemented(
                f'Synapse parameter "{key}" can only be set via SetDefaults() or CopyModel().'
            )


class StaticSynapseStored(PlasticSynapse):
    """A static synapse kept in a store of its own, for a per-connection ``synapse_label``."""

    family = STATIC


def hpc_variant(model_cls):
    """NEST's ``_hpc`` twin: the same rule with a smaller connection (no target pointer)."""
    return type(
        model_cls.__name__ + "Hpc", (model_cls,), {"name": model_cls.name + "_hpc", "sizeof": model_cls.sizeof - 16}
    )


def lbl_variant(model_cls):
    """NEST's ``_lbl`` twin: each connection carries an integer ``synapse_label`` (default -1),
    which ``GetConnections(synapse_label=...)`` selects by."""
    base = model_cls if getattr(model_cls, "plastic", False) else StaticSynapseStored
    attrs = {
        "name": model_cls.name + "_lbl",
        "sizeof": model_cls.sizeof + 8,
        "show_sizeof": True,
        "extra_defaults": {**getattr(model_cls, "extra_defaults", {}), "synapse_label": -1},
        "per_connection": (*getattr(model_cls, "per_connection", ()), "synapse_label"),
        "common": getattr(model_cls, "common", ()),
    }
    if not getattr(model_cls, "plastic", False):
        attrs["family"] = STATIC
    return type(model_cls.__name__ + "Lbl", (base,), attrs)
