"""``aeif_cond_alpha_multisynapse`` and ``aeif_cond_beta_multisynapse``: AdEx neurons
(Brette & Gerstner 2005) with one conductance per receptor port.

Port ``q`` (``receptor_type`` q, 1 to ``n_receptors``) has its reversal potential
``E_rev[q-1]`` and its conductance shape: an alpha function of time constant
``tau_syn[q-1]``, or a beta function (difference of exponentials) of rise and decay times
``tau_rise[q-1]`` <= ``tau_decay[q-1]``; a spike of weight w nS makes it peak at w nS.
The membrane and adaptation equations, the capping of V at ``V_peak`` in the right-hand
side, the spike test after every internal step of the adaptive RKF45 integration and the
error bound (``gsl_error_tol`` on the value and on the step times the slope) are those of
``aeif_cond_alpha`` (aeif.py, whose hooks are reused). Weights must not be negative: NEST
refuses such a spike when it arrives, with BadProperty.

State per node: ``V_m``, then ``dg``, ``g`` of every port, then ``w`` (last, where the
shared AdEx hooks look for it).
"""

from __future__ import annotations

import numpy as np
from numba import njit

from ..base import Param
from ._adaptive_ports import PortedModel, PortLists, no_pre, ported_kernel
from .aeif import _ALL_TAUS, _Adex, _adex_checks, _adex_inner, _adex_params, _capped_v, _dv_dw
from .iaf_cond import beta_peak_factor

# The first 19 columns of the parameter row are aeif.py's; then per port these four.
_FIRST = 19
E_REV, INV_RISE, INV_DECAY, G0 = range(4)


@njit(cache=True, inline="always")
def _rhs(y, f, p, i, refr, i_stim):
    V = _capped_v(y, p, i, refr)
    n_ports = (y.shape[0] - 2) // 2
    i_syn = 0.0
    for q in range(n_ports):
        b = _FIRST + 4 * q
        dg = y[1 + 2 * q]
        g = y[2 + 2 * q]
        i_syn -= g * (V - p[i, b + E_REV])
        f[1 + 2 * q] = -dg * p[i, b + INV_RISE]
        f[2 + 2 * q] = dg - g * p[i, b + INV_DECAY]
    _dv_dw(V, refr, y, p, i, i_syn, i_stim, f)


@njit(cache=True, inline="always")
def _outer(y, S, p, i, r, ref, u):
    # The count set at a spike is one more than t_ref's steps: it is decreased here.
    if r > 0:
        return r - 1, 0
    return r, 0


@njit(cache=True, inline="always")
def _receive(y, p, i, q, w):
    if w < 0.0:
        return False
    y[1 + 2 * q] += w * p[i, _FIRST + 4 * q + G0]
    return True


_KERNEL = ported_kernel("aeif_cond_multisynapse", _rhs, no_pre, _adex_inner, _outer, _receive, slope_rel=True,
                        ports=True)  # fmt: skip


def _floats(default, doc, unit="", state=False, readonly=False):
    return Param(np.array(default, dtype=float), kind="floats", state=state, readonly=readonly, doc=doc, unit=unit)


class _AeifMultisynapse(PortLists, PortedModel):
    """What the two models share: ports, recordables, state layout, parameter rows."""

    kernel = _KERNEL
    uses_ports = True
    alpha = False  # read by aeif.py's parameter matrix (no alpha-shaped ex/in synapses)
    spikes_per_step = 4

    def port_recordables(self, k: int) -> tuple[str, ...]:
        return ("V_m", "w", *(f"g_{q + 1}" for q in range(k)))

    def check(self, v, n, gid):
        from ..base import require

        lists = self.check_port_lists(v, gid)
        for cond, msg in self.checks:
            require(cond(v), self, gid, msg)
        require(
            all(np.all(t > 0) for t in lists[1:]), self, gid, "All synaptic time constants must be strictly positive"
        )
        self.check_shapes(v, lists, gid)
        require(~np.asarray(v["ignore_and_spike"]), self, gid, "ignore_and_spike is not supported yet.")

    def check_shapes(self, v, lists, gid) -> None:
        """Model-specific checks of the port lists."""

    def extra_status(self, group, i):
        # The conductances as NEST shows them: as long as the state was at the last run.
        out = {"recordables": sorted(self.port_recordables(len(group.values["E_rev"][i])))}
        a = group.aux
        if "S" not in a:
            return out
        dim = a["dim"]
        k = (dim - 2) // 2
        row = a["S"][i]
        return {**out, "dg": row[1 : 1 + 2 * k : 2].copy(), "g": row[2 : 2 + 2 * k : 2].copy()}

    # ----- kernel ------------------------------------------------------------------------
    def layout(self, group):
        k = int(self.receptor_ports(group).max(initial=0))
        dim = 2 + 2 * k
        S = np.zeros((group.n, dim))
        old = group.aux.get("S")
        if old is not None and old.shape[0] == group.n:
            # Conductances carry over where the port count stays (a new port starts at 0).
            kk = min(k, (old.shape[1] - 2) // 2)
            S[:, 1 : 1 + 2 * kk] = old[:, 1 : 1 + 2 * kk]
        return dim, S

    def load_state(self, group, S):
        S[:, 0] = group.values["V_m"]
        S[:, -1] = group.values["w"]

    def write_back(self, group):
        S = group.aux["S"]
        group.values["V_m"][:] = S[:, 0]
        group.values["w"][:] = S[:, -1]

    def record_columns(self, group):
        dim = group.aux["dim"]
        cols = []
        for name in self.recordables:
            if name == "V_m":
                cols.append(0)
            elif name == "w":
                cols.append(dim - 1)
            else:
                q = int(name[2:]) - 1
                cols.append(2 + 2 * q if 2 + 2 * q < dim - 1 else 0)
        return cols

    def shapes(self, v, i) -> tuple[np.ndarray, np.ndarray]:
        """(rise, decay) time constants of node ``i``'s ports."""
        raise NotImplementedError

    def param_matrix(self, group, h):
        v = group.values
        base = _Adex.param_matrix(self, v, h)
        k = int(self.receptor_ports(group).max(initial=0))
        ports = np.zeros((group.n, 4 * k))
        for i in range(group.n):
            e = np.asarray(v["E_rev"][i], dtype=float)
            rise, decay = self.shapes(v, i)
            q = len(e)
            ports[i, 0 : 4 * q : 4] = e
            ports[i, 1 : 4 * q : 4] = 1.0 / rise
            ports[i, 2 : 4 * q : 4] = 1.0 / decay
            ports[i, 3 : 4 * q : 4] = beta_peak_factor(rise, decay)
        return np.hstack([base, ports])


_CHECKS = _adex_checks(
    False, "Ensure that: V_reset < V_peak .", "Capacitance must be strictly positive.", _ALL_TAUS, ("tau_w",)
)
_COMMON = {
    "E_rev": _floats([0.0], "Reversal potential of each receptor port", "mV"),
    "n_receptors": Param(1, kind="int", readonly=True, doc="Number of receptor ports"),
    "has_connections": Param(False, kind="bool", readonly=True, doc="Whether the node has incoming connections"),
    "g": _floats([0.0], "Conductance of each receptor port", "nS", state=True, readonly=True),
    "dg": _floats([0.0], "First derivative of each port's conductance", "nS/ms", state=True, readonly=True),
}


class AeifCondAlphaMultisynapse(_AeifMultisynapse):
    """AdEx neuron with an alpha-shaped conductance per receptor port."""

    name = "aeif_cond_alpha_multisynapse"
    elementsize = 848
    status_note = "adaptive RKF45 as NEST, spike test per internal step (`tests/test_models_multisyn_adaptive.py`)"
    params = {
        **_adex_params(),
        **_COMMON,
        "tau_syn": _floats([2.0], "Time constant of each port's alpha function", "ms"),
    }
    port_lists = ("E_rev", "tau_syn")
    size_message = "The reversal potential, and synaptic time constant arrays must have the same size."
    checks = _CHECKS

    def shapes(self, v, i):
        t = np.asarray(v["tau_syn"][i], dtype=float)
        return t, t


class AeifCondBetaMultisynapse(_AeifMultisynapse):
    """AdEx neuron with a beta-shaped conductance (rise and decay time) per receptor port."""

    name = "aeif_cond_beta_multisynapse"
    elementsize = 872
    status_note = AeifCondAlphaMultisynapse.status_note
    params = {
        **_adex_params(),
        **_COMMON,
        "tau_rise": _floats([2.0], "Rise time of each port's conductance", "ms"),
        "tau_decay": _floats([20.0], "Decay time of each port's conductance", "ms"),
    }
    port_lists = ("E_rev", "tau_rise", "tau_decay")
    size_message = "The reversal potential, synaptic rise time and synaptic decay time arrays must have the same size."
    checks = _CHECKS

    def check_shapes(self, v, lists, gid):
        from ..base import require

        _, rise, decay = lists
        require(np.all(rise <= decay), self, gid, "Synaptic rise time must be smaller than or equal to decay time.")

    def shapes(self, v, i):
        return np.asarray(v["tau_rise"][i], dtype=float), np.asarray(v["tau_decay"][i], dtype=float)


MODELS = [AeifCondAlphaMultisynapse, AeifCondBetaMultisynapse]
