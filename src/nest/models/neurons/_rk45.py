"""Adaptive embedded Runge-Kutta-Fehlberg 4(5) integration of neuron groups.

NEST integrates its nonlinear and conductance-based neurons with an embedded
Runge-Kutta-Fehlberg 4(5) pair and an absolute error bound, inside every step of
``resolution``, each neuron carrying its own internal step size from one step to the
next. This module does the same for a whole group in one jitted loop:

* **The pair.** Fehlberg's six-stage tableau; the state advances with the fifth-order
  weights and the difference to the fourth-order weights estimates the error.
* **Error control.** ``r = max_i |err_i| / D_i`` with ``D_i = eps_abs`` (NEST's
  ``iaf_cond_*`` and HH models), or ``D_i = eps_abs (1 + |h dy_i/dt|)`` with the slope at
  the new state (AdEx models, whose relative bound on the slope equals the absolute one).
  Above 1.1 the step is rejected and retried with ``h * max(0.9 r^(-1/5), 0.2)``; below
  0.5 the next step grows to ``h * min(max(0.9 r^(-1/6), 1), 5)``; otherwise it is kept.
* **Within one step of resolution** the integrator is applied until the step's end; an
  internal step reaching past the end is shortened to land on it, and the step size
  proposed after that (shortened) step is what the neuron carries into the next one.

A model supplies small jitted functions, and :func:`adaptive_kernel` builds its group
kernel with them compiled in (one kernel per model, so Numba inlines the right-hand side;
passing the functions as arguments instead defeats Numba's cache):

``rhs(y, f, p, i, refractory, i_stim)``
    writes dy/dt into ``f`` for state ``y`` of neuron ``i``, whose parameters are ``p[i]``.
``inner(y, p, i, r, ref) -> (r, event)``
    runs after every internal step (AdEx models spike and reset here); ``event`` is 0,
    1 for a spike, 2 for a numerical instability.
``outer(y, p, i, r, ref, v_old) -> (r, event)``
    runs once at the end of the step (threshold, refractoriness); ``v_old`` is ``y[0]``
    at the start of the step.
``receive(y, p, i, r, w_exc, w_inh)``
    adds the step's input: ``w_exc`` the sum of positive weights, ``w_inh`` of negative;
    at the end of the step, or (``receive_in_loop``) right after the step's first internal
    step, before ``inner`` looks for a spike (``aeif_psc_delta``'s voltage jumps).

The state of neuron ``i`` is ``S[i]`` (``S[i, 0]`` is ``V_m``), its parameters ``P[i]``
(the hooks get ``P`` and ``i``, not a row), its internal step size ``H[i]``, its
refractory counter ``r[i]`` and the external current it integrates in this step ``Ist[i]``
(latched at the end of the previous step, as NEST does). Inside the loop every array is
one that owns no memory (:func:`_unowned`): Numba counts references with atomic
operations, and a view per evaluation of the right-hand side cost 13 % of the time.
"""

from __future__ import annotations

import inspect
import zlib

import numpy as np
from numba import carray, njit, prange, types
from numba.extending import intrinsic

from ...engine.jit import threaded_kernel

DBL_MIN = float(np.finfo(np.float64).tiny)

# Fehlberg's tableau (stage nodes are not needed: the right-hand sides are autonomous
# within a step, the input current being constant over it).
A21 = 1.0 / 4.0
A31, A32 = 3.0 / 32.0, 9.0 / 32.0
A41, A42, A43 = 1932.0 / 2197.0, -7200.0 / 2197.0, 7296.0 / 2197.0
A51, A52, A53, A54 = 439.0 / 216.0, -8.0, 3680.0 / 513.0, -845.0 / 4104.0
A61, A62, A63, A64, A65 = -8.0 / 27.0, 2.0, -3544.0 / 2565.0, 1859.0 / 4104.0, -11.0 / 40.0
# Fifth-order weights (the solution carried on) ...
B1, B3, B4, B5, B6 = 16.0 / 135.0, 6656.0 / 12825.0, 28561.0 / 56430.0, -9.0 / 50.0, 2.0 / 55.0
# ... minus the fourth-order ones (25/216, 0, 1408/2565, 2197/4104, -1/5, 0): the error.
E1 = B1 - 25.0 / 216.0
E3 = B3 - 1408.0 / 2565.0
E4 = B4 - 2197.0 / 4104.0
E5 = B5 + 1.0 / 5.0
E6 = B6
ORDER = 5.0
# Error ratios beyond which the step factor is clamped at 0.2 (shrink) or 5 (grow).
SHRINK_CLAMPED = (0.9 / 0.2) ** ORDER
GROW_CLAMPED = (0.9 / 5.0) ** (ORDER + 1.0)


@njit(inline="always")
def _keep_slope(k0, slope, slope_rel):
    if slope_rel:
        for j in range(slope.shape[0]):
            k0[j] = slope[j]


@njit(inline="always")
def evolve(rhs, dim, y, k0, k1, k2, k3, k4, k5, y0, yt, p, i, refr, i_stim, t, t1, h, eps_abs, slope_rel, k0_valid):
    """One accepted internal step from ``t`` toward ``t1``; returns (new t, next h).

    ``k0``-``k5`` (the stages), ``y0`` (the start state) and ``yt`` (the stage argument)
    are scratch vectors of length ``dim``, separate arrays so that no view is made per
    evaluation (each would cost two atomic reference counts). With ``k0_valid`` ``k0``
    already holds dy/dt at ``y`` (left there by
    the previous call with ``slope_rel``, whose error bound needs the slope at the new
    state anyway), which saves one of the seven evaluations of a step.
    """
    for j in range(dim):
        y0[j] = y[j]
    if not k0_valid:
        rhs(y0, k0, p, i, refr, i_stim)
    while True:
        h0 = h
        final = False
        if h0 > t1 - t:
            h0 = t1 - t
            final = True
        for j in range(dim):
            yt[j] = y0[j] + h0 * (A21 * k0[j])
        rhs(yt, k1, p, i, refr, i_stim)
        for j in range(dim):
            yt[j] = y0[j] + h0 * (A31 * k0[j] + A32 * k1[j])
        rhs(yt, k2, p, i, refr, i_stim)
        for j in range(dim):
            yt[j] = y0[j] + h0 * (A41 * k0[j] + A42 * k1[j] + A43 * k2[j])
        rhs(yt, k3, p, i, refr, i_stim)
        for j in range(dim):
            yt[j] = y0[j] + h0 * (A51 * k0[j] + A52 * k1[j] + A53 * k2[j] + A54 * k3[j])
        rhs(yt, k4, p, i, refr, i_stim)
        for j in range(dim):
            yt[j] = y0[j] + h0 * (A61 * k0[j] + A62 * k1[j] + A63 * k2[j] + A64 * k3[j] + A65 * k4[j])
        rhs(yt, k5, p, i, refr, i_stim)
        for j in range(dim):
            y[j] = y0[j] + h0 * (B1 * k0[j] + B3 * k2[j] + B4 * k3[j] + B5 * k4[j] + B6 * k5[j])
        if slope_rel:
            rhs(y, yt, p, i, refr, i_stim)
        rmax = DBL_MIN
        for j in range(dim):
            e = h0 * (E1 * k0[j] + E3 * k2[j] + E4 * k3[j] + E5 * k4[j] + E6 * k5[j])
            bound = eps_abs
            if slope_rel:
                bound += eps_abs * abs(h0 * yt[j])
            q = abs(e) / bound
            if q > rmax:
                rmax = q
        t_new = t1 if final else t + h0
        if rmax > 1.1:
            # The power only where the factor is not clamped (it costs as much as the
            # exponential of a right-hand side).
            shrink = 0.2
            if rmax < SHRINK_CLAMPED:
                shrink = max(0.9 / rmax ** (1.0 / ORDER), 0.2)
            h_new = shrink * h0
            # Retry smaller unless the shrunk step would not move time at all.
            if h_new < h0 and t_new + h_new != t_new:
                for j in range(dim):
                    y[j] = y0[j]
                h = h_new
                continue
            _keep_slope(k0, yt, slope_rel)
            return t_new, h0
        _keep_slope(k0, yt, slope_rel)
        if rmax < 0.5:
            grow = 5.0
            if rmax > GROW_CLAMPED:
                grow = min(max(0.9 / rmax ** (1.0 / (ORDER + 1.0)), 1.0), 5.0)
            return t_new, grow * h0
        return t_new, h0


@intrinsic
def _address_as_pointer(typingctx, address):
    """An integer address as a ``float64*``."""

    def codegen(context, builder, signature, args):
        return builder.inttoptr(args[0], context.get_value_type(types.CPointer(types.float64)))

    return types.CPointer(types.float64)(address), codegen


@njit(inline="always")
def _unowned(block, k, dim):
    """The ``k``-th length-``dim`` piece of ``block`` as an array that owns no memory.

    Passing such an array around costs no reference counting (Numba's counts are atomic
    operations, and a view per evaluation of the right-hand side spent 13 % of the time
    in them); ``block`` must outlive it.
    """
    return carray(_address_as_pointer(block.ctypes.data + 8 * k * dim), (dim,))


@njit(inline="always")
def integrate_step(rhs, dim, y, scratch, first, p, i, refr, i_stim, dt, h, eps_abs):
    """Advance ``y`` over one step of resolution ``dt`` with absolute error control, starting
    with internal step ``h``; returns the internal step to carry into the next step.

    The stages and work vectors are the pieces ``first`` to ``first + 7`` (each ``dim``
    long) of ``scratch`` (see :func:`_unowned`), for kernels that write their own loop.
    """
    k0 = _unowned(scratch, first, dim)
    k1 = _unowned(scratch, first + 1, dim)
    k2 = _unowned(scratch, first + 2, dim)
    k3 = _unowned(scratch, first + 3, dim)
    k4 = _unowned(scratch, first + 4, dim)
    k5 = _unowned(scratch, first + 5, dim)
    y0 = _unowned(scratch, first + 6, dim)
    yt = _unowned(scratch, first + 7, dim)
    t = 0.0
    while t < dt:
        t, h = evolve(rhs, dim, y, k0, k1, k2, k3, k4, k5, y0, yt, p, i, refr, i_stim, t, dt, h, eps_abs, False, False)
    return h


# The hooks _template calls: each model's kernel is _template compiled with its own.
RHS = INNER = OUTER = RECEIVE = None
SLOPE_REL = False
RECEIVE_IN_LOOP = False
DIM = 1


def _template(n_chunks, t0, m, slots, off, dt, eps, buf, cur, S, P, H, Ist, r, ref, rec_cols, rec_row, rec_out,
              spk_i, spk_t, spk_off):  # fmt: skip
    n = S.shape[0]
    dim = DIM
    cap = spk_i.shape[0]
    counts = np.zeros(n_chunks, dtype=np.int64)
    status = np.zeros(n_chunks, dtype=np.int64)
    for c in prange(n_chunks):
        lo = c * n // n_chunks
        hi = (c + 1) * n // n_chunks
        end = spk_off[c + 1] if c + 1 < n_chunks else cap
        scratch = np.empty(9 * dim)
        # P and the scratch vectors without reference counting (see _unowned).
        Pu = carray(_address_as_pointer(P.ctypes.data), P.shape)
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
                v_old = y[0]
                rr = r[i]
                h = H[i]
                t = 0.0
                k0_valid = False
                while t < dt:
                    t_prev = t
                    t, h = evolve(
                        RHS,
                        DIM,
                        y,
                        k0,
                        k1,
                        k2,
                        k3,
                        k4,
                        k5,
                        y0,
                        yt,
                        Pu,
                        i,
                        rr > 0,
                        Ist[i],
                        t,
                        dt,
                        h,
                        eps[i],
                        SLOPE_REL,
                        k0_valid,
                    )
                    k0_valid = SLOPE_REL
                    if RECEIVE_IN_LOOP and t_prev == 0.0:
                        RECEIVE(y, Pu, i, rr, b_exc[gi], b_inh[gi])
                        k0_valid = False
                    r_before = rr
                    rr, ev = INNER(y, Pu, i, rr, ref[i])
                    if ev != 0 or rr != r_before:
                        # The state or the refractory flag changed: the slope is stale.
                        k0_valid = False
                    if ev == 1 and base + cnt < end:
                        spk_i[base + cnt] = i
                        spk_t[base + cnt] = t0 + k + 1
                        cnt += 1
                    elif ev == 2:
                        status[c] = 1
                rr, ev = OUTER(y, Pu, i, rr, ref[i], v_old)
                if ev == 1 and base + cnt < end:
                    spk_i[base + cnt] = i
                    spk_t[base + cnt] = t0 + k + 1
                    cnt += 1
                if not RECEIVE_IN_LOOP:
                    RECEIVE(y, Pu, i, rr, b_exc[gi], b_inh[gi])
                b_exc[gi] = 0.0
                b_inh[gi] = 0.0
                Ist[i] = b_cur[gi]
                b_cur[gi] = 0.0
                for j in range(dim):
                    S[i, j] = y[j]
                r[i] = rr
                H[i] = h
                row = rec_row[i]
                if row >= 0:
                    for q in range(rec_cols.shape[0]):
                        col = rec_cols[q]
                        rec_out[row, q, k] = y[col] if col >= 0 else rr * dt
            slot += 1
            if slot == slots:
                slot = 0
        counts[c] = cnt
    return counts, status


def _source_key(*funcs) -> str:
    """Checksum of the source files defining ``funcs`` (and of what they call there)."""
    files = sorted({inspect.getsourcefile(getattr(f, "py_func", f)) for f in funcs})
    crc = 0
    for name in files:
        with open(name, "rb") as fh:
            crc = zlib.crc32(fh.read(), crc)
    return format(crc, "08x")


def adaptive_kernel(
    name: str, dim: int, rhs, inner, outer, receive, slope_rel: bool = False, receive_in_loop: bool = False
):
    """The group kernel of model ``name`` with its jitted hooks compiled in.

    ``dim`` is the length of the state vector (a constant of the compiled loops);
    ``slope_rel`` selects the error bound relative to the slope, ``receive_in_loop``
    where the input is added (see the module's docstring).

    The returned kernel is called as ``kernel(n_chunks, t0, m, slots, off, dt, eps, buf,
    cur, S, P, H, Ist, r, ref, rec_cols, rec_row, rec_out, spk_i, spk_t, spk_off)`` and
    returns ``(counts, status)``: spikes per chunk, and 1 per chunk that met a numerical
    instability. Numba caches it per model under a name that includes a checksum of the
    hooks' source, so editing a hook recompiles.
    """
    import types

    glb = dict(_template.__globals__)
    glb.update(
        RHS=rhs,
        INNER=inner,
        OUTER=outer,
        RECEIVE=receive,
        SLOPE_REL=slope_rel,
        RECEIVE_IN_LOOP=receive_in_loop,
        DIM=dim,
    )
    f = types.FunctionType(_template.__code__, glb, f"adaptive_{name}_{_source_key(rhs, inner, outer, receive)}")
    f.__qualname__ = f.__name__
    f.__module__ = __name__
    kernel = threaded_kernel(f)
    kernel.dim = dim
    return kernel


@njit(cache=True)
def no_event(y, p, i, r, ref):
    """``inner`` hook of models that act only at the end of a step."""
    return r, 0


@njit(cache=True)
def iaf_outer(y, p, i, r, ref, v_old):
    """End of step of ``iaf_cond_*``: clamp while refractory, else spike at ``p[i, 0]``
    (``V_th``) and reset to ``p[i, 1]`` (``V_reset``) for ``ref`` steps."""
    if r > 0:
        y[0] = p[i, 1]
        return r - 1, 0
    if y[0] >= p[i, 0]:
        y[0] = p[i, 1]
        return ref, 1
    return r, 0
