"""The checks of lab 02 pass the reference, fail each typical slip with its own hint, and report stubs."""
import numpy as np
import pytest

from helpers import checks, network
from helpers.checks import regularization


def _ce(AL, Y):
    m = AL.shape[1]
    return float(-np.sum(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)) / m)


def _sq(params):
    return sum(float(np.sum(params[f"W{l}"] ** 2)) for l in range(1, network.num_layers(params) + 1))


def _b_sq(params):
    return sum(float(np.sum(params[f"b{l}"] ** 2)) for l in range(1, network.num_layers(params) + 1))


def cost_reference(AL, Y, params, lambd):
    return _ce(AL, Y) + lambd / (2 * AL.shape[1]) * _sq(params)


def run(check, fn, capsys):
    ok = check(fn)
    return ok, capsys.readouterr().out


# ---------------------------------------------------------------- compute_cost_with_l2
def test_cost_reference_passes(capsys):
    ok, out = run(checks.check_compute_cost_with_l2, cost_reference, capsys)
    assert ok and "all 4 cases" in out


def test_cost_accepts_numpy_scalar_and_size_one_array(capsys):
    ok, _ = run(checks.check_compute_cost_with_l2, lambda AL, Y, p, lam: np.array([[cost_reference(AL, Y, p, lam)]]),
                capsys)
    assert ok


def test_cost_stub_is_not_done(capsys):
    def stub(AL, Y, params, lambd):
        raise NotImplementedError

    ok, out = run(checks.check_compute_cost_with_l2, stub, capsys)
    assert not ok and "not done yet" in out


def test_cost_crash_is_reported(capsys):
    ok, out = run(checks.check_compute_cost_with_l2, lambda AL, Y, p, lam: p["W9"], capsys)
    assert not ok and "raised KeyError" in out


@pytest.mark.parametrize("bug, hint", [
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / AL.shape[1] * _sq(p), "forgot the 1/2"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + 1 / AL.shape[1] * _sq(p) * (lam > 0), "used 1/m instead of λ/(2m)"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + 1 / (2 * AL.shape[1]) * _sq(p) * (lam > 0), "forgot λ"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / 2 * _sq(p), "forgot to divide by m"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / (2 * AL.shape[1]) * (_sq(p) + _b_sq(p)), "summed b too"),
    (lambda AL, Y, p, lam: _ce(AL, Y) - lam / (2 * AL.shape[1]) * _sq(p), "wrong sign: the L2 term"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / (2 * AL.shape[1]) * sum(np.linalg.norm(p[k]) for k in p if k[0] == "W"),
     "square the Frobenius norms"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / (2 * AL.shape[1]) * float(np.sum(p["W1"] ** 2)), "only W1 counted"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam * _sq(p), "the factor is λ/(2m), not λ"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / AL.shape[1] * (_sq(p) + _b_sq(p)), "summed b too (and forgot the 1/2)"),
    (lambda AL, Y, p, lam: _ce(AL, Y) + lam / (2 * AL.shape[1]) * sum(float(np.sum(p[k])) for k in p if k[0] == "W"),
     "square each weight before summing"),
    (lambda AL, Y, p, lam: _ce(AL, Y) / AL.shape[1], "divided by m twice"),
    (lambda AL, Y, p, lam: _ce(AL, Y), "the L2 term is missing"),
    (lambda AL, Y, p, lam: -_ce(AL, Y), "wrong sign: the cross-entropy"),
    (lambda AL, Y, p, lam: _ce(AL, Y) * AL.shape[1], "forgot the 1/m"),
    (lambda AL, Y, p, lam: float(-np.sum(Y * np.log(AL)) / AL.shape[1]), "(1 − y) log(1 − a) term is missing"),
    (lambda AL, Y, p, lam: -(Y * np.log(AL) + (1 - Y) * np.log(1 - AL)), "Did you forget to sum"),
    (lambda AL, Y, p, lam: None, "forget the `return`"),
])
def test_cost_bugs_get_specific_hints(capsys, bug, hint):
    ok, out = run(checks.check_compute_cost_with_l2, bug, capsys)
    assert not ok
    assert hint in out, out


def test_cost_that_modifies_params_fails(capsys):
    def bad(AL, Y, params, lambd):
        cost = cost_reference(AL, Y, params, lambd)
        params["W1"] *= 0
        return cost

    ok, out = run(checks.check_compute_cost_with_l2, bad, capsys)
    assert not ok and "changed params" in out


def test_cost_cases_keep_the_slips_apart():
    # Every named slip must give a different number in every case with λ > 0, or a hint could be wrong.
    for i, (dims, m, lambd) in enumerate(regularization._CASES, 1):
        if lambd == 0:
            continue
        params = regularization._case(i, dims, m)[0]
        P, Pb = _sq(params), _b_sq(params)
        values = [lambd / (2 * m) * P, lambd / m * P, P / m, P / (2 * m), lambd / 2 * P, lambd * P,
                  lambd / (2 * m) * (P + Pb), -lambd / (2 * m) * P, 0.0]
        assert min(abs(a - b) for j, a in enumerate(values) for b in values[j + 1:]) > 1e-3
        factors = [lambd / m, lambd / (2 * m), 2 * lambd / m, lambd, 1 / m, -lambd / m, 0.0]  # of W in dW
        assert min(abs(a - b) for j, a in enumerate(factors) for b in factors[j + 1:]) > 1e-3


def test_check_rejects_a_non_function():
    with pytest.raises(ValueError, match="expects your function"):
        checks.check_compute_cost_with_l2(0.5)
    with pytest.raises(ValueError, match="expects your function"):
        checks.check_add_l2_to_gradients({"dW1": 0})


# ---------------------------------------------------------------- add_l2_to_gradients
def grads_reference(grads, params, lambd, m):
    return {k: g + lambd / m * params[k[1:]] if k.startswith("dW") else g.copy() for k, g in grads.items()}


def _with_dW(term):
    """A learner's function that adds term(W, lambd, m) to every dW and leaves db alone."""
    return lambda grads, params, lambd, m: {k: g + term(params[k[1:]], lambd, m) if k.startswith("dW") else g
                                            for k, g in grads.items()}


def test_grads_reference_passes(capsys):
    ok, out = run(checks.check_add_l2_to_gradients, grads_reference, capsys)
    assert ok and "all 3 cases" in out


def test_grads_stub_is_not_done(capsys):
    def stub(grads, params, lambd, m):
        raise NotImplementedError

    ok, out = run(checks.check_add_l2_to_gradients, stub, capsys)
    assert not ok and "not done yet" in out


@pytest.mark.parametrize("bug, hint", [
    (_with_dW(lambda W, lam, m: lam / (2 * m) * W), "the 2 from W² cancels the 1/2"),
    (_with_dW(lambda W, lam, m: 2 * lam / m * W), "not 2λ/m"),
    (_with_dW(lambda W, lam, m: lam * W), "forgot to divide by m"),
    (_with_dW(lambda W, lam, m: W / m), "forgot λ"),
    (_with_dW(lambda W, lam, m: -lam / m * W), "wrong sign"),
    (_with_dW(lambda W, lam, m: lam / m * W ** 2), "not λ/m·W²"),
    (_with_dW(lambda W, lam, m: lam / m * np.sign(W)), "L1"),
    (_with_dW(lambda W, lam, m: 0 * W), "the λ/m·W term is missing"),
    (lambda grads, params, lambd, m: {k: lambd / m * params[k[1:]] if k.startswith("dW") else g
                                      for k, g in grads.items()}, "keep the backprop part"),
    (lambda grads, params, lambd, m: {k: g + lambd / m * params[k[1:]] for k, g in grads.items()}, "biases are not penalized"),
    (lambda grads, params, lambd, m: {k: g + lambd / m * params[k[1:]] for k, g in grads.items() if k.startswith("dW")},
     "lacks db1"),
    (lambda grads, params, lambd, m: {k: (g + lambd / m * params[k[1:]]).T if k.startswith("dW") else g
                                      for k, g in grads.items()}, "expected"),
    (lambda grads, params, lambd, m: [grads], "return a dict"),
    (lambda grads, params, lambd, m: None, "forget the `return`"),
])
def test_grads_bugs_get_specific_hints(capsys, bug, hint):
    ok, out = run(checks.check_add_l2_to_gradients, bug, capsys)
    assert not ok
    assert hint in out, out


def test_grads_in_place_update_is_flagged(capsys):
    def in_place(grads, params, lambd, m):
        for l in range(1, network.num_layers(params) + 1):
            grads[f"dW{l}"] += lambd / m * params[f"W{l}"]
        return grads

    ok, out = run(checks.check_add_l2_to_gradients, in_place, capsys)
    assert not ok and "in place" in out


def test_grads_matches_helpers_backward():
    # The reference solution really is helpers.network.backward with lambd.
    params, _, Y, _, cache = regularization._case(1, [2, 5, 3, 1], 7)
    got = grads_reference(network.backward(cache, Y), params, 0.7, 7)
    want = network.backward(cache, Y, 0.7)
    assert all(np.allclose(got[k], want[k]) for k in want)


def test_the_references_the_lab_falls_back_to_pass_their_checks(capsys):
    # use_if_passed runs these until the learner's functions pass: they must be right.
    assert checks.check_compute_cost_with_l2(regularization.compute_cost_with_l2)
    assert checks.check_add_l2_to_gradients(regularization.add_l2_to_gradients)
