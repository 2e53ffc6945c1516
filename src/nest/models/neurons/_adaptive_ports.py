"""The adaptive RKF45 group kernel for neurons whose state length varies with their lists.

``_rk45.adaptive_kernel`` compiles the state length in and hands a model the step's
excitatory and inhibitory input sums. The models here need more: one conductance per
receptor port (``aeif_cond_*_multisynapse``, ``gif_cond_exp_multisynapse``: spikes arrive
through ``kernel.rbuf``), escape noise drawn from counter-based streams (the ``gif``
family) and kernels that live next to the ODE state (``gif``'s spike-triggered currents
and threshold kernels). This module builds such kernels from the same integrator
(:func:`~._rk45.evolve`), with the state length read from the group's arrays.

A model supplies jitted hooks:

``rhs(y, f, p, i, refr, i_stim)``
    dy/dt of the ODE state ``y`` (the first ``dim`` columns of ``S[i]``).
``pre(y, S, p, i)``
    before the step's integration (``gif``: sum and decay the kernels kept in
    ``S[i, dim:]``, and put the sums into ODE entries whose slope is zero).
``inner(y, p, i, r, ref) -> (r, event)``
    after every internal step (AdEx: spike and reset at ``V_peak``); event 1 is a spike,
    2 a numerical instability.
``outer(y, S, p, i, r, ref, u) -> (r, event)``
    once at the end of the step; ``u`` is a uniform draw in [0, 1) from the node's
    stream at this step (used by escape-noise models; 0 when the kernel draws none).
``receive(y, p, i, q, w) -> ok``
    adds weight ``w`` arriving at port ``q`` (0-based; with ``ports`` the receptor
    ports, else 0 for the sum of positive weights and 1 for the sum of negative ones);
    returns False for input the model refuses (negative conductance weights).

The kernel returns ``(counts, status)``; ``status`` per chunk is 0, 1 (numerical
instability) or 2 (refused input).
"""

from __future__ import annotations

import numpy as np
from numba import carray, njit, prange

from ...engine import rng
from ...engine.jit import threaded_kernel
from ...errors import NESTErrors
from ..base import Model, require
from ._rk45 import _address_as_pointer, _source_key, _unowned, evolve

RHS = PRE = INNER = OUTER = RECEIVE = None
SLOPE_REL = False
PORTS = False
NOISE = False
PRECISE = False


def _template(n_chunks, t0, m, slots, off, dt, eps, buf, rbuf, row0, cur, S, dim, P, H, Ist, r, ref, ports, keys,
              rec_cols, rec_row, rec_out, spk_i, spk_t, spk_off, spk_o):  # fmt: skip
    n = S.shape[0]
    cap = spk_i.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    status = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        end = spk_off[c + 1] if c + 1 < n_chunks else cap
        scratch = np.empty(9 * dim)
        Pu = carray(_address_as_pointer(P.ctypes.data), P.shape)
        Su = carray(_address_as_pointer(S.ctypes.data), S.shape)
        y = _unowned(scratch, 0, dim)
        k0 = _unowned(scratch, 1, dim)
        k1 = _unowned(scratch, 2, dim)
        k2 = _unowned(scratch, 3, dim)
        k3 = _unowned(scratch, 4, dim)
        k4 = _unowned(scratch, 5, dim)
        k5 = _unowned(scratch, 6, dim)
        y0 = _unowned(scratch, 7, dim)
        yt = _unowned(scratch, 8, dim)
        cnt = 0
        base = spk_off[c]
        slot = t0 % slots
        for k in range(m):
            b_exc = buf[0, slot]
            b_inh = buf[1, slot]
            b_cur = cur[slot]
            for i in range(lo, hi):
                gi = off + i
                for j in range(dim):
                    y[j] = S[i, j]
                PRE(y, Su, Pu, i)
                rr = r[i]
                h = H[i]
                t = 0.0
                k0_valid = False
                while t < dt:
                    t, h = evolve(RHS, dim, y, k0, k1, k2, k3, k4, k5, y0, yt, Pu, i, rr > 0, Ist[i], t, dt, h, eps[i],
                                  SLOPE_REL, k0_valid)  # fmt: skip
                    k0_valid = SLOPE_REL
                    r_before = rr
                    rr, ev = INNER(y, Pu, i, rr, ref[i])
                    if ev != 0 or rr != r_before:
                        k0_valid = False
                    if ev == 1 and base + cnt < end:
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        cnt += 1
                    elif ev == 2:
                        status[c] = 1
                # Input of this step first (NEST adds it before the escape-noise draw of the
                # gif models; the AdEx models' outer hook does not look at the conductances).
                if PORTS:
                    row = row0 + i
                    for q in range(ports[i]):
                        w = rbuf[q, slot, row]
                        if w != 0.0:
                            rbuf[q, slot, row] = 0.0
                            if not RECEIVE(y, Pu, i, q, w):
                                status[c] = 2
                else:
                    RECEIVE(y, Pu, i, 0, b_exc[gi])
                    RECEIVE(y, Pu, i, 1, b_inh[gi])
                    b_exc[gi] = 0.0
                    b_inh[gi] = 0.0
                u = 0.0
                if NOISE:
                    u = rng.uniform(rng.counter_key(keys[i], t0 + k), 0)
                rr, ev = OUTER(y, Su, Pu, i, rr, ref[i], u)
                if ev == 1 and base + cnt < end:
                    if PRECISE:
                        # The outer hook left the spike's offset in the last column of S.
                        spk_o[base + cnt] = S[i, S.shape[1] - 1]
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                Ist[i] = b_cur[gi]
                b_cur[gi] = 0.0
                for j in range(dim):
                    S[i, j] = y[j]
                r[i] = rr
                H[i] = h
                row = rec_row[i]
                if row >= 0:
                    for q in range(rec_cols.shape[0]):
                        rec_out[row, q, k] = S[i, rec_cols[q]]
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts, status


def ported_kernel(name, rhs, pre, inner, outer, receive, slope_rel=False, ports=False, noise=False, precise=False):
    """The group kernel of model ``name`` with its hooks compiled in (see the module's docstring).

    Called as ``kernel(n_chunks, t0, m, slots, off, dt, eps, buf, rbuf, row0, cur, S, dim, P,
    H, Ist, r, ref, ports, keys, rec_cols, rec_row, rec_out, spk_i, spk_t, spk_off, spk_o)``; with
    ``precise`` the outer hook leaves a spike's offset (ms before the step's end) in the
    last column of ``S`` and the kernel hands it on in ``spk_o``.
    """
    import types

    glb = dict(_template.__globals__)
    glb.update(RHS=rhs, PRE=pre, INNER=inner, OUTER=outer, RECEIVE=receive, SLOPE_REL=slope_rel, PORTS=ports,
               NOISE=noise, PRECISE=precise)  # fmt: skip
    key = _source_key(rhs, pre, inner, outer, receive)
    f = types.FunctionType(_template.__code__, glb, f"ported_{name}_{key}")
    f.__qualname__ = f.__name__
    f.__module__ = __name__
    return threaded_kernel(f)


@njit(cache=True, inline="always")
def no_pre(y, S, p, i):
    """``pre`` hook of models without state outside the ODE."""


_NO_OFFSETS = np.zeros(1)


class PortedModel(Model):
    """A neuron integrated by a :func:`ported_kernel`.

    Subclasses set ``kernel``, ``spikes_per_step`` and implement ``layout`` (the width of
    the ODE state and of all of ``S``, and the state's initial values), ``param_matrix``,
    ``error_bound``, ``record_columns`` and ``write_back``.
    """

    kernel = None
    spikes_per_step = 1
    uses_ports = False
    uses_noise = False
    # Spikes carry offsets off the grid (the kernel was built with ``precise``).
    precise_output = False
    # Setting a read-only entry (g, n_receptors, E_sfa) fails as in NEST: unaccessed.
    readonly_unaccessed = True
    refused_input = "Synaptic weights for conductance-based multisynapse models must be positive."

    # ----- what subclasses provide ---------------------------------------------------
    def layout(self, group) -> tuple[int, np.ndarray]:
        """``(dim, S0)``: the ODE state's length and a fresh state matrix for ``group``."""
        raise NotImplementedError

    def load_state(self, group, S) -> None:
        """Copy the user-settable state (``V_m``, ``w``) from the values into ``S``."""
        S[:, 0] = group.values["V_m"]

    def param_matrix(self, group, h) -> np.ndarray:
        raise NotImplementedError

    def error_bound(self, v) -> np.ndarray:
        return np.asarray(v["gsl_error_tol"], dtype=np.float64)

    def record_columns(self, group) -> list[int]:
        """The column of ``S`` each recordable is read from."""
        raise NotImplementedError

    def write_back(self, group) -> None:
        group.values["V_m"][:] = group.aux["S"][:, 0]

    def refractory_steps(self, v, h) -> np.ndarray:
        return np.rint(np.asarray(v["t_ref"]) / h).astype(np.int64)

    # ----- engine hooks --------------------------------------------------------------
    def prepare(self, group, kernel):
        a, v, h = group.aux, group.values, kernel.h
        dim, S0 = self.layout(group)
        old = a.get("S")
        if old is None or old.shape != S0.shape or a.get("dim") != dim:
            a["S"] = np.ascontiguousarray(S0, dtype=np.float64)
            a["H"] = np.full(group.n, h)
            a["I"] = np.zeros(group.n)
            a["r"] = np.zeros(group.n, dtype=np.int64)
        a["dim"] = dim
        self.load_state(group, a["S"])
        a["P"] = np.ascontiguousarray(self.param_matrix(group, h), dtype=np.float64)
        a["eps"] = np.ascontiguousarray(np.broadcast_to(self.error_bound(v), (group.n,)), dtype=np.float64)
        ref = self.refractory_steps(v, h)
        a["ref_counts"] = ref
        a["ports"] = np.asarray(self.receptor_ports(group) if self.uses_ports else np.zeros(group.n), dtype=np.int64)
        if self.uses_noise:
            from .pp import stream_keys

            a["keys"] = stream_keys(kernel, group)
        else:
            a["keys"] = np.zeros(group.n, dtype=np.uint64)
        a["rec_cols"] = np.asarray(self.record_columns(group), dtype=np.int64)
        per_node = -(-kernel.slice_steps // (ref + 1))
        if self.spikes_per_step > 1:
            per_node = np.where(ref == 0, self.spikes_per_step * kernel.slice_steps, per_node)
        kernel.reserve_spikes(group, per_node)
        if self.precise_output:
            # Offsets of the emitted spikes: kernel.collect_spikes hands them on. The model
            # takes grid input (it is no precise_input model).
            a["spk_o"] = np.zeros(a["spk_cap"])

    def update(self, group, kernel, t0, m):
        a = group.aux
        row0 = -1
        if self.uses_ports and len(kernel.ridx) > group.offset:
            row0 = int(kernel.ridx[group.offset])
        rbuf = kernel.rbuf
        if row0 < 0 or rbuf.shape[1] != kernel.slots:
            # No port buffer for this group: nothing arrives.
            a["ports"][:] = 0
            row0 = 0
        counts, status = self.kernel(
            kernel.n_chunks(group), t0, m, kernel.slots, group.offset, kernel.h, a["eps"], kernel.buf, rbuf, row0,
            kernel.cur, a["S"], a["dim"], a["P"], a["H"], a["I"], a["r"], a["ref_counts"], a["ports"], a["keys"],
            a["rec_cols"], a["rec_row"], a["rec_out"], a["spk_i"], a["spk_t"], a["spk_off"], a.get("spk_o", _NO_OFFSETS),
        )  # fmt: skip
        if (status == 2).any():
            raise NESTErrors.BadProperty(self.refused_input)
        if (status == 1).any():
            S = a["S"]
            bad = int(np.flatnonzero(~np.isfinite(S).all(axis=1) | (S[:, 0] < -1e3))[:1].sum())
            raise NESTErrors.NumericalInstability(
                f"{self.name} with node ID {group.first + bad}: numerical instability at "
                f"{(t0 + m) * kernel.h} ms (V_m < -1000 mV or |w| > 1e6 pA)."
            )
        kernel.collect_spikes(group, counts)
        if self.precise_output and counts.any() and "t_spike" in group.values:
            # NEST keeps the step of the last spike as t_spike, not its precise time.
            for c, start in enumerate(a["spk_off"]):
                k = int(counts[c])
                group.values["t_spike"][a["spk_i"][start : start + k]] = a["spk_t"][start : start + k] * kernel.h

    def finish_run(self, group, kernel):
        if "S" in group.aux:
            self.write_back(group)


class PortLists:
    """Receptor ports given by lists of equal length (``E_rev``, ``tau_syn``, ...), as NEST's
    multisynapse models have them: ports 1 to ``n_receptors`` take spikes, and a status
    change that alters the count must name every list.

    A model sets ``port_lists`` (the first one counts the ports), ``size_message`` and
    ``port_recordables(k)``; its ``check`` calls :meth:`check_port_lists`.
    """

    port_lists: tuple[str, ...] = ()
    size_message = ""

    def __init__(self, name=None):
        super().__init__(name)
        self._given: set[str] = set()

    def port_recordables(self, k: int) -> tuple[str, ...]:
        return ()

    def receptor_ports(self, group) -> np.ndarray:
        return np.array([len(e) for e in group.values[self.port_lists[0]]], dtype=np.int64)

    def check_receptor(self, group, local, port) -> None:
        if port < 1 or port > self.receptor_ports(group)[local].min():
            raise NESTErrors.IncompatibleReceptorType(
                f"Receptor type {port} in {self.name} does not accept SpikeEvent."
            )
        # A spike connection is about to be made: NEST then keeps the ports from shrinking.
        group.values["has_connections"][local] = True

    def check_receptor_event(self, group, local, port, event) -> None:
        """``Connect``'s check: spikes to ports 1 .. n_receptors, everything else to port 0."""
        if event == "SpikeEvent":
            self.check_receptor(group, local, port)
        elif port != 0:
            raise NESTErrors.UnknownReceptorType(f"Receptor type {port} is not available in {self.name}.")

    @property
    def recordables(self) -> tuple[str, ...]:
        from ...engine.kernel import kernel

        k = len(self.defaults[self.port_lists[0]])
        for g in kernel.groups:
            if g.model is self:
                k = max(k, int(self.receptor_ports(g).max(initial=0)))
        # NEST lists them in the order of their names (g_10 before g_2).
        return tuple(sorted(self.port_recordables(k)))

    def coerce(self, key, value, n):
        # Which lists a SetStatus names decides NEST's message for lists of unequal length.
        if key in self.port_lists:
            self._given.add(key)
        return super().coerce(key, value, n)

    def check_port_lists(self, v, gid) -> list[np.ndarray]:
        """NEST's checks of the lists' lengths; sets ``n_receptors``; returns the lists."""
        given, self._given = self._given, set()
        lists = [np.atleast_1d(np.asarray(v[k], dtype=float)) for k in self.port_lists]
        if len({len(x) for x in lists}) > 1:
            old = int(np.asarray(v["n_receptors"]).flat[0]) if np.size(v["n_receptors"]) else len(lists[0])
            if given != set(self.port_lists) and any(len(x) != old for x in lists):
                names = self.port_lists
                which = (
                    f"both arrays {names[0]} and {names[1]}"
                    if len(names) == 2
                    else f"all three arrays {', '.join(names[:-1])} and {names[-1]}"
                )
                require(False, self, gid, f"If the number of receptor ports is changed, {which} must be provided.")
            require(False, self, gid, self.size_message)
        if isinstance(v.get("n_receptors"), np.ndarray):
            connected = np.asarray(v["has_connections"], dtype=bool)
            require(
                ~(connected & (len(lists[0]) < v["n_receptors"])),
                self,
                gid,
                "The neuron has connections, therefore the number of ports cannot be reduced.",
            )
            v["n_receptors"][:] = len(lists[0])
        return lists
