"""The checks of lab 11 pass the references, fail each typical slip with its own hint, and report stubs."""
import numpy as np
import pytest

from helpers import checks, network
from helpers.checks import softmax as ref


def _exp_norm(E, axis=0):
    return E / E.sum(axis=axis, keepdims=True)


def _sigmoid(Z):
    return 1 / (1 + np.exp(-Z))


# ---------------------------------------------------------------- softmax
SOFTMAX_SLIPS = {
    "no max shift": (lambda Z: _exp_norm(np.exp(Z)), "e^1000 overflows"),
    "max of the whole matrix": (lambda Z: _exp_norm(np.exp(Z - Z.max())), "max of the WHOLE matrix"),
    "softmax over the rows": (lambda Z: _exp_norm(np.exp(Z - Z.max(axis=1, keepdims=True)), axis=1),
                              "wrong axis: each COLUMN is one example"),
    "row max, column sum": (lambda Z: _exp_norm(np.exp(Z - Z.max(axis=1, keepdims=True))), "each ROW's max"),
    "column max, row sum": (lambda Z: _exp_norm(np.exp(Z - Z.max(axis=0, keepdims=True)), axis=1), "each ROW's sum"),
    "sigmoid": (_sigmoid, "sigmoid of each entry"),
    "not normalized": (lambda Z: np.exp(Z - Z.max(axis=0, keepdims=True)), "not normalized"),
    "whole-matrix sum": (lambda Z: np.exp(Z - Z.max()) / np.exp(Z - Z.max()).sum(), "sum of the whole matrix"),
    "transposed": (lambda Z: network.softmax(Z).T, "transposed"),
    "no return": (lambda Z: None, "forget the `return`"),
}


def _in_place(Z):
    Z -= Z.max(axis=0, keepdims=True)
    return _exp_norm(np.exp(Z))


SOFTMAX_SLIPS["in place"] = (_in_place, "changed Z in place")


def test_softmax_reference_passes(capsys):
    assert checks.check_softmax(ref.softmax) is True
    assert "all 4 cases" in capsys.readouterr().out


@pytest.mark.parametrize("slip", SOFTMAX_SLIPS, ids=list(SOFTMAX_SLIPS))
def test_softmax_slip_gets_its_hint(slip, capsys):
    fn, hint = SOFTMAX_SLIPS[slip]
    with np.errstate(all="ignore"):
        assert checks.check_softmax(fn) is False
    out = capsys.readouterr().out
    assert "❌" in out and hint in out, out


def test_softmax_stub_and_crash_are_reported(capsys):
    def stub(Z):
        raise NotImplementedError

    assert checks.check_softmax(stub) is False
    assert "not done yet" in capsys.readouterr().out
    assert checks.check_softmax(lambda Z: Z.undefined) is False
    assert "AttributeError" in capsys.readouterr().out
    with pytest.raises(ValueError, match="itself"):
        checks.check_softmax(ref.softmax(np.zeros((2, 2))))


# ---------------------------------------------------------------- softmax_cost
def _log_no_lse(ZL, Y):
    A = network.softmax(ZL)
    return float(-np.sum(Y * np.log(A)) / ZL.shape[1]), A - Y


def _clipped(ZL, Y):
    A = network.softmax(ZL)
    return float(-np.sum(Y * np.log(np.clip(A, 1e-12, 1))) / ZL.shape[1]), A - Y


def _no_shift(ZL, Y):
    A = _exp_norm(np.exp(ZL))
    return float(-np.sum(Y * np.log(A)) / ZL.shape[1]), A - Y


def _scaled(j=1.0, dz=1.0, m_in_J=False, m_in_dZ=False, C_in_J=False):
    def cost(ZL, Y):
        J, dZ = ref.softmax_cost(ZL, Y)
        C, m = ZL.shape
        return j * J * (m if m_in_J else 1) / (C if C_in_J else 1), dz * dZ / (m if m_in_dZ else 1)
    return cost


def _sigmoid_bce(ZL, Y):
    S = _sigmoid(ZL)
    return float(-np.sum(Y * np.log(S) + (1 - Y) * np.log(1 - S)) / ZL.shape[1]), S - Y


def _sigmoid_dZ(ZL, Y):
    return ref.softmax_cost(ZL, Y)[0], _sigmoid(ZL) - Y


def _rows(ZL, Y):
    A = _exp_norm(np.exp(ZL - ZL.max(axis=1, keepdims=True)), axis=1)
    return float(-np.sum(Y * np.log(A)) / ZL.shape[1]), A - Y


COST_SLIPS = {
    "log of probabilities, no clip or log-sum-exp": (_log_no_lse, "log 0 = −inf"),
    "no max shift": (_no_shift, "e^1000 overflows"),
    "forgot 1/m in J": (_scaled(m_in_J=True), "forgot the 1/m"),
    "1/m in dZ": (_scaled(m_in_dZ=True), "dZ has no 1/m"),
    "J sign": (_scaled(j=-1.0), "wrong sign: J"),
    "dZ sign": (_scaled(dz=-1.0), "wrong sign: dZ = A − Y"),
    "mean over C and m": (_scaled(C_in_J=True), "divided by C·m"),
    "sigmoid binary cross-entropy": (_sigmoid_bce, "binary cross-entropy of sigmoid"),
    "sigmoid in dZ": (_sigmoid_dZ, "used the sigmoid"),
    "softmax over the rows": (_rows, "wrong axis"),
    "forgot -Y": (lambda ZL, Y: (ref.softmax_cost(ZL, Y)[0], network.softmax(ZL)), "forgot to subtract Y"),
    "only J returned": (lambda ZL, Y: ref.softmax_cost(ZL, Y)[0], "return a pair (J, dZ)"),
    "J per example": (lambda ZL, Y: (-(Y * np.log(network.softmax(ZL))).sum(axis=0), ZL), "J must be one number"),
}


def test_cost_reference_and_a_clipped_log_pass(capsys):
    assert checks.check_softmax_cost(ref.softmax_cost) is True
    assert checks.check_softmax_cost(_clipped) is True
    assert capsys.readouterr().out.count("all 4 cases") == 2


@pytest.mark.parametrize("slip", COST_SLIPS, ids=list(COST_SLIPS))
def test_cost_slip_gets_its_hint(slip, capsys):
    fn, hint = COST_SLIPS[slip]
    with np.errstate(all="ignore"):
        assert checks.check_softmax_cost(fn) is False
    out = capsys.readouterr().out
    assert "❌" in out and hint in out, out


def test_cost_stub_is_reported(capsys):
    def stub(ZL, Y):
        raise NotImplementedError

    assert checks.check_softmax_cost(stub) is False
    assert "not done yet" in capsys.readouterr().out


def test_references_are_what_the_network_runs():
    Z = np.random.default_rng(0).standard_normal((4, 6))
    Y = np.eye(4)[:, [0, 1, 2, 3, 0, 1]]
    np.testing.assert_array_equal(ref.softmax(Z), network.softmax(Z))
    J, dZ = ref.softmax_cost(Z, Y)
    assert J == pytest.approx(network.cross_entropy_from_logits(Z, Y, "softmax"))
    np.testing.assert_allclose(dZ, network.softmax(Z) - Y)


def test_the_references_can_drive_the_network_without_recursion():
    Z = np.random.default_rng(1).standard_normal((3, 4))
    Y = np.eye(3)[:, [0, 1, 2, 0]]
    with network.substituted(softmax=ref.softmax, softmax_cost=ref.softmax_cost):
        J = network.cross_entropy_from_logits(Z, Y, "softmax")
        A = network.activation_forward(Z, "softmax")
    np.testing.assert_allclose(A, network.softmax(Z))
    assert J == pytest.approx(network.cross_entropy_from_logits(Z, Y, "softmax"))
