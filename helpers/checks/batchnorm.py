"""Checks for lab 10's exercises: batch norm's forward (train and test mode) and backward, in helpers.network's
signatures

    batchnorm_forward(Z, gamma, beta, eps, mode, running, momentum) -> (Z_tilde, cache)
    batchnorm_backward(dZ_tilde, cache) -> (dZ, dgamma, dbeta)

with cache a dict holding at least "Z_norm", "gamma", "inv_std" = 1/√(σ² + ε) and "mode" (what the backward
needs; the network passes the forward's cache to the backward, so a learner's pair and the reference mix).

Each check compares with helpers.network on several cases. When they differ, it replays the usual slips
(σ² with 1/(m − 1), statistics over the wrong axis, ε forgotten, the running averages updated in test mode or
not in place, the backward's test-mode formula in train mode, dγ and dβ without 1/m, ...) on the same case
and names the one that reproduces the learner's numbers.
"""
from __future__ import annotations

import numpy as np

from .. import network
from ._core import _call, _result

_RTOL, _ATOL = 1e-7, 1e-10
_CACHE_KEYS = ("Z_norm", "gamma", "inv_std", "mode")


# ---------------------------------------------------------------- the forward and its slips
def _forward(Z, gamma, beta, eps, mode, running, momentum, *, ddof=0, axis=1, no_eps=False, eps_outside=False,
             no_sqrt=False, no_affine=False, test_batch_stats=False, test_updates=False, swapped=False,
             not_in_place=False, unbiased_running=False):
    """The reference forward with one slip switched on (flags); returns (Z_tilde, running after)."""
    running = None if running is None else tuple(R.copy() for R in running)
    if mode == "train" or test_batch_stats:
        mu = Z.mean(axis=axis, keepdims=True)
        var = Z.var(axis=axis, ddof=ddof, keepdims=True)
        if running is not None and (mode == "train" or test_updates) and not not_in_place:
            m = Z.shape[1]
            for R, batch in zip(running, (mu, var * (m / (m - 1) if unbiased_running else 1)), strict=True):
                R[...] = (1 - momentum) * R + momentum * batch if swapped else momentum * R + (1 - momentum) * batch
    else:
        mu, var = (R.copy() for R in running)
        if test_updates:
            for R, batch in zip(running, (Z.mean(axis=1, keepdims=True), Z.var(axis=1, keepdims=True)), strict=True):
                R[...] = momentum * R + (1 - momentum) * batch
    with np.errstate(divide="ignore", invalid="ignore"):
        if no_eps:
            std = np.sqrt(var)
        elif eps_outside:
            std = np.sqrt(var) + eps
        elif no_sqrt:
            std = var + eps
        else:
            std = np.sqrt(var + eps)
        Z_norm = (Z - mu) / std
    return (Z_norm if no_affine else gamma * Z_norm + beta), running


_FORWARD_SLIPS = [
    ({"ddof": 1}, "σ² divided by m − 1: batch norm uses the batch's own variance, σ² = 1/m Σ (Z − μ)² "
                  "(np.var's default ddof=0; the unbiased m − 1 belongs only to PyTorch's running variance)."),
    ({"axis": 0}, "μ and σ² were taken over the wrong axis (each column, i.e. each example's units: that is layer "
                  "norm). Batch norm averages over the mini-batch, the m columns: axis=1, keepdims=True, "
                  "giving (n, 1)."),
    ({"no_eps": True}, "ε is missing: Z_norm = (Z − μ) / √(σ² + ε). Without it a unit with σ² = 0 divides by zero."),
    ({"eps_outside": True}, "ε belongs inside the root: √(σ² + ε), not √σ² + ε."),
    ({"no_sqrt": True}, "divide by the standard deviation √(σ² + ε), not by the variance σ² + ε."),
    ({"no_affine": True}, "you returned Z_norm: the layer's output is Z̃ = γ Z_norm + β (γ and β are learned)."),
    ({"test_batch_stats": True}, "test mode used the batch's own μ and σ²: at test time normalize with the running "
                                 "averages, mu, var = running (so one example gives the same output alone or in a batch)."),
    ({"swapped": True}, "the running average's weights are swapped: running = momentum · running + (1 − momentum) · "
                        "batch statistic (momentum = β_bn = 0.9 keeps most of the old value)."),
    ({"unbiased_running": True}, "the running variance averaged m/(m − 1) σ² (PyTorch's convention): the course's "
                                 "running average uses the σ² the batch was normalized with."),
    ({"not_in_place": True}, "the running averages did not change: update the arrays in place (running[0][...] = "
                             "..., or R *= momentum; R += (1 − momentum) * mu), not a new local variable: the "
                             "network keeps the same arrays between steps."),
    ({"test_updates": True}, "test mode changed the running averages: only a training step updates them; test "
                             "mode only reads them."),
]


def _forward_cases():
    """(description, args) for the forward: train with and without running, a constant unit, test mode."""
    rng = np.random.default_rng(10)
    Z = rng.standard_normal((3, 4))
    Z[1] = 2.0  # a unit with the same value for every example: σ² = 0
    cases = [("train mode, running=None, one unit constant over the batch (σ² = 0)",
              (Z, 1 + rng.random((3, 1)), rng.standard_normal((3, 1)), 1e-5, "train", None, 0.9))]
    for m, eps, momentum in ((5, 1e-5, 0.9), (3, 0.5, 0.7)):
        Z = 2 * rng.standard_normal((4, m)) + rng.standard_normal((4, 1))
        gamma, beta = 1 + 0.5 * rng.standard_normal((4, 1)), rng.standard_normal((4, 1))
        running = (rng.standard_normal((4, 1)), 0.5 + rng.random((4, 1)))
        cases.append((f"train mode, m = {m}, ε = {eps}, β_bn = {momentum}",
                      (Z, gamma, beta, eps, "train", running, momentum)))
    Z = 3 * rng.standard_normal((4, 6)) + 1
    cases.append(("test mode", (Z, 1 + rng.random((4, 1)), rng.standard_normal((4, 1)), 1e-3, "test",
                                (rng.standard_normal((4, 1)), 0.5 + rng.random((4, 1))), 0.9)))
    return cases


def _copy_args(args):
    Z, gamma, beta, eps, mode, running, momentum = args
    running = None if running is None else tuple(R.copy() for R in running)
    return (Z.copy(), gamma.copy(), beta.copy(), eps, mode, running, momentum)


def _close(a, b) -> bool:
    a = np.asarray(a, dtype=float)
    return a.shape == np.shape(b) and np.allclose(a, b, rtol=_RTOL, atol=_ATOL, equal_nan=True)


def _forward_problem(fn, name, args, what) -> str | None:
    """None if fn matches the reference on this case, else the message (with a slip's hint when one matches)."""
    Z, gamma, beta, eps, mode, running, momentum = args
    mine = _copy_args(args)
    out, crash = _call(name, fn, *mine)
    if crash:
        return crash
    if not (isinstance(out, tuple) and len(out) == 2):
        return (f"{what}: return the pair (Z_tilde, cache); got {type(out).__name__}"
                + (f" of length {len(out)}" if isinstance(out, tuple) else ""))
    Z_tilde, cache = out
    ref_args = _copy_args(args)
    want, want_cache = network.batchnorm_forward(*ref_args)
    want_running = ref_args[5]
    got_running = mine[5]
    if np.shape(Z_tilde) != want.shape:
        return f"{what}: Z_tilde should have Z's shape {want.shape}; got {np.shape(Z_tilde)}"
    output_ok = _close(Z_tilde, want)
    running_ok = running is None or all(_close(g, w) for g, w in zip(got_running, want_running, strict=True))
    if not (output_ok and running_ok):
        for flags, hint in _FORWARD_SLIPS:
            try:
                slip_out, slip_running = _forward(*_copy_args(args), **flags)
            except ValueError:  # a slip that cannot even run on this case (shapes that do not broadcast)
                continue
            if _close(Z_tilde, slip_out) and (running is None or all(
                    _close(g, w) for g, w in zip(got_running, slip_running, strict=True))):
                return f"{what}: Hint: {hint}"
        if not output_ok:
            return (f"{what}: Z_tilde differs from helpers.network.batchnorm_forward (largest difference "
                    f"{np.nanmax(np.abs(np.asarray(Z_tilde, dtype=float) - want)):.2e}). Train mode: μ, σ² over the "
                    "batch (axis=1), Z_norm = (Z − μ)/√(σ² + ε), Z̃ = γ Z_norm + β.")
        return (f"{what}: the running averages differ from helpers.network's: running = momentum · running + "
                "(1 − momentum) · (μ or σ²), in place, in train mode only.")
    if not isinstance(cache, dict) or any(k not in cache for k in _CACHE_KEYS):
        return (f"{what}: the cache must be a dict with the keys {list(_CACHE_KEYS)} (the backward reads them); "
                f"got {sorted(cache) if isinstance(cache, dict) else type(cache).__name__}")
    for key in ("Z_norm", "inv_std"):
        got = np.asarray(cache[key], dtype=float)
        if got.shape not in (want_cache[key].shape, Z.shape) or not _close(
                got, np.broadcast_to(want_cache[key], got.shape)):
            return f"{what}: cache['{key}'] differs from the reference's" + (
                " (inv_std = 1/√(σ² + ε), shape (n, 1))" if key == "inv_std" else " (Z_norm = (Z − μ)/√(σ² + ε))")
    if cache["mode"] != mode:
        return f"{what}: cache['mode'] must be the mode the forward ran in ({mode!r}); got {cache['mode']!r}"
    return None


def check_batchnorm_forward(fn) -> bool:
    """Check fn(Z, gamma, beta, eps, mode, running, momentum) -> (Z_tilde, cache) against network.batchnorm_forward."""
    name = "check_batchnorm_forward"
    cases = _forward_cases()
    for what, args in cases:
        problem = _forward_problem(fn, name, args, what)
        if problem is not None:
            if problem.startswith(("⏳", "❌")):
                print(problem)
                return False
            return _result(name, problem, len(cases))
    return _result(name, None, len(cases))


# ---------------------------------------------------------------- the backward and its slips
def _backward(dZ_tilde, cache, *, test_formula=False, train_formula=False, no_mean=False, axis=1, no_gamma=False,
              no_mu_term=False, no_var_term=False, sums_inside=False):
    """The reference backward with one slip switched on."""
    Z_norm, gamma, inv_std = cache["Z_norm"], cache["gamma"], cache["inv_std"]
    m = Z_norm.shape[1]
    scale_by = Z_norm.shape[axis] if axis == 0 else m
    sums = (dZ_tilde.sum(axis=axis, keepdims=True), (dZ_tilde * Z_norm).sum(axis=axis, keepdims=True))
    dbeta, dgamma = (s if no_mean else s / scale_by for s in sums)
    scale = (1.0 if no_gamma else gamma) * inv_std
    use_test = (cache["mode"] == "test" or test_formula) and not train_formula
    if use_test:
        return scale * dZ_tilde, dgamma, dbeta
    mu_term = 0 if no_mu_term else (sums[0] if sums_inside else dbeta)
    var_term = 0 if no_var_term else Z_norm * (sums[1] if sums_inside else dgamma)
    return scale * (dZ_tilde - mu_term - var_term), dgamma, dbeta


_BACKWARD_SLIPS = [
    ({"test_formula": True}, "in train mode dZ is not γ/√(σ² + ε) · dZ̃ (that is test mode, where μ and σ² are "
                             "constants): μ and σ² depend on every column of Z, which adds the terms: "
                             "dZ = γ/√(σ² + ε) (dZ̃ − dβ − Z_norm dγ)."),
    ({"no_mu_term": True}, "the term from μ is missing: dZ = γ/√(σ² + ε) (dZ̃ − dβ − Z_norm dγ); − dβ = − 1/m Σ dZ̃ "
                           "comes from μ depending on every example."),
    ({"no_var_term": True}, "the term from σ² is missing: dZ = γ/√(σ² + ε) (dZ̃ − dβ − Z_norm dγ); − Z_norm dγ "
                            "comes from σ² depending on every example."),
    ({"no_mean": True}, "dγ and dβ need 1/m: the course's gradients are means over the batch, dβ = 1/m Σ dZ̃, "
                        "dγ = 1/m Σ dZ̃ Z_norm (like db = 1/m Σ dZ)."),
    ({"sums_inside": True}, "inside dZ use the means dβ = 1/m Σ dZ̃ and dγ = 1/m Σ dZ̃ Z_norm, not the sums: "
                            "dZ = γ/√(σ² + ε) (dZ̃ − dβ − Z_norm dγ)."),
    ({"axis": 0}, "dγ and dβ were summed over the wrong axis: one value per unit (row), a sum over the m examples "
                  "(axis=1, keepdims=True), shape (n, 1)."),
    ({"no_gamma": True}, "γ is missing from dZ: Z̃ = γ Z_norm + β, so the gradient reaching Z_norm is γ dZ̃."),
    ({"train_formula": True}, "test mode normalizes with the running averages, constants: there dZ = "
                              "γ/√(σ² + ε) · dZ̃, without the − dβ − Z_norm dγ terms (use cache['mode'])."),
]


def _backward_cases():
    rng = np.random.default_rng(20)
    cases = []
    for m, mode in ((6, "train"), (2, "train"), (5, "test")):
        Z = 2 * rng.standard_normal((3, m)) + 1
        gamma, beta = 1 + 0.5 * rng.standard_normal((3, 1)), rng.standard_normal((3, 1))
        running = (rng.standard_normal((3, 1)), 0.5 + rng.random((3, 1))) if mode == "test" else None
        _, cache = network.batchnorm_forward(Z, gamma, beta, 1e-5, mode, running)
        cases.append((f"{mode} mode, m = {m}", rng.standard_normal((3, m)), cache))
    return cases


def check_batchnorm_backward(fn) -> bool:
    """Check fn(dZ_tilde, cache) -> (dZ, dgamma, dbeta) against network.batchnorm_backward."""
    name = "check_batchnorm_backward"
    cases = _backward_cases()
    for what, dZ_tilde, cache in cases:
        out, crash = _call(name, fn, dZ_tilde.copy(), {k: (v.copy() if isinstance(v, np.ndarray) else v)
                                                       for k, v in cache.items()})
        if crash:
            print(crash)
            return False
        if not (isinstance(out, tuple) and len(out) == 3):
            return _result(name, f"{what}: return the triple (dZ, dgamma, dbeta); got {type(out).__name__}", len(cases))
        want = network.batchnorm_backward(dZ_tilde, cache)
        for got, ref, label in zip(out, want, ("dZ", "dgamma", "dbeta"), strict=True):
            if np.shape(got) != ref.shape:
                hint = " (sum over axis=1 with keepdims=True)" if label != "dZ" else ""
                return _result(name, f"{what}: {label} should have shape {ref.shape}; got {np.shape(got)}{hint}",
                               len(cases))
        if all(_close(g, w) for g, w in zip(out, want, strict=True)):
            continue
        for flags, hint in _BACKWARD_SLIPS:
            if all(_close(g, w) for g, w in zip(out, _backward(dZ_tilde, cache, **flags), strict=True)):
                return _result(name, f"{what}: Hint: {hint}", len(cases))
        wrong = [label for g, w, label in zip(out, want, ("dZ", "dgamma", "dbeta"), strict=True) if not _close(g, w)]
        return _result(name, f"{what}: {', '.join(wrong)} differ from helpers.network.batchnorm_backward. Train mode: "
                             "dβ = 1/m Σ dZ̃, dγ = 1/m Σ dZ̃ Z_norm (over axis=1), dZ = γ/√(σ² + ε) (dZ̃ − dβ − Z_norm dγ).",
                       len(cases))
    return _result(name, None, len(cases))
