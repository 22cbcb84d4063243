"""Critical points of a loss: where the gradient is zero, and what kind of point each one is.

At a critical point the Hessian's eigenvalues decide its kind: all positive, a (local) minimum; some
negative, a saddle point, with ``index`` = the number of negative eigenvalues (directions that go down).
Lab 08 measures how rare minima are among critical points as the dimension grows:

* ``fraction_positive_definite(n, samples, rng)``: on random symmetric (GOE) matrices, a stand-in for the
  Hessian at a random critical point, the fraction with every eigenvalue positive;
* ``TanhNet``: the cross-entropy (+ an optional L2 term) of a one-hidden-layer tanh network [n_x, h, 1] as a function of its flat
  parameter vector (W1, b1, W2, b2, row-major), with gradients and finite-difference Hessians computed for
  a whole batch of parameter vectors at once;
* ``find_critical_points``: Levenberg-Marquardt on 1/2 ||grad||^2 from many starts (it converges to minima
  and saddles alike, which is what a census needs; gradient descent would avoid the saddles);
* ``Plateau``: a 2-D degenerate saddle (zero curvature across it) where gradient descent crawls.
"""
from __future__ import annotations

import numpy as np

from .validation import check_positive, check_positive_int, check_rng


# ---------------------------------------------------------------- random symmetric matrices
def goe(n: int, samples: int, rng: np.random.Generator) -> np.ndarray:
    """(samples, n, n) matrices of the Gaussian orthogonal ensemble: (A + A^T) / sqrt(2n) with A standard normal
    (off-diagonal entries of variance 1/n, diagonal ones 2/n; for large n the eigenvalues fill [-2, 2], a semicircle)."""
    n, samples = check_positive_int(n, "n"), check_positive_int(samples, "samples")
    A = check_rng(rng).standard_normal((samples, n, n))
    return (A + np.swapaxes(A, 1, 2)) / np.sqrt(2 * n)


def fraction_positive_definite(n: int, samples: int, rng: np.random.Generator, chunk: int = 20000) -> tuple[float, int]:
    """(fraction, count) of `samples` GOE n x n matrices whose eigenvalues are all > 0 (drawn in chunks)."""
    n, samples = check_positive_int(n, "n"), check_positive_int(samples, "samples")
    count, done = 0, 0
    while done < samples:
        size = min(chunk, samples - done)
        count += int(np.sum(np.linalg.eigvalsh(goe(n, size, rng))[:, 0] > 0))
        done += size
    return count / samples, count


# ---------------------------------------------------------------- a small network's loss, batched
class TanhNet:
    """J(theta) = cross-entropy of the network [n_x, h, 1] (tanh hidden layer, sigmoid output) on X (n_x, m),
    Y (1, m), as a function of the flat parameters theta = (W1, b1, W2, b2) raveled, P = h(n_x + 2) + 1 numbers.

    value/grad take theta of shape (P,) or a batch (B, P) and return () / (P,) or (B,) / (B, P).
    """

    def __init__(self, X, Y, hidden: int, lambd: float = 0.0):
        self.lambd = float(lambd)
        if not self.lambd >= 0:
            raise ValueError(f"lambd (the L2 strength) must be >= 0; got {lambd!r}")
        self.X, self.Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float).reshape(1, -1)
        if self.X.ndim != 2 or self.X.shape[1] != self.Y.shape[1]:
            raise ValueError(f"X must be (n_x, m) and Y (1, m); got {self.X.shape} and {np.shape(Y)}")
        self.n_x, self.m = self.X.shape
        self.h = check_positive_int(hidden, "hidden (the number of hidden units)")
        self.P = self.h * (self.n_x + 2) + 1

    def unflatten(self, theta) -> dict:
        """The params dict {W1 (h, n_x), b1 (h, 1), W2 (1, h), b2 (1, 1)} of one flat theta (P,), or with a
        leading batch axis for theta (B, P)."""
        theta = np.asarray(theta, dtype=float)
        if theta.shape[-1] != self.P:
            raise ValueError(f"theta must have {self.P} entries (W1, b1, W2, b2) in its last axis; got {theta.shape}")
        h, n_x, lead = self.h, self.n_x, theta.shape[:-1]
        cuts = np.cumsum([h * n_x, h, h])
        W1, b1, W2, b2 = np.split(theta, cuts, axis=-1)
        return {"W1": W1.reshape(*lead, h, n_x), "b1": b1.reshape(*lead, h, 1),
                "W2": W2.reshape(*lead, 1, h), "b2": b2.reshape(*lead, 1, 1)}

    def _forward(self, theta):
        p = self.unflatten(np.atleast_2d(theta))
        A1 = np.tanh(p["W1"] @ self.X + p["b1"])                     # (B, h, m)
        Z2 = np.einsum("bih,bhm->bim", p["W2"], A1) + p["b2"]        # (B, 1, m)
        return p, A1, Z2

    def value(self, theta):
        p, _, Z2 = self._forward(theta)
        # cross-entropy from the logit, stable: log(1 + e^z) - y z
        J = np.mean(np.logaddexp(0.0, Z2) - self.Y * Z2, axis=(-2, -1))
        if self.lambd:
            J = J + self.lambd / (2 * self.m) * (np.sum(p["W1"] ** 2, axis=(-2, -1)) + np.sum(p["W2"] ** 2, axis=(-2, -1)))
        return J if np.ndim(theta) == 2 else J[0]

    def grad(self, theta):
        p, A1, Z2 = self._forward(theta)
        dZ2 = (1.0 / (1.0 + np.exp(-Z2)) - self.Y) / self.m            # (B, 1, m)
        dW2 = np.einsum("bim,bjm->bij", dZ2, A1) + self.lambd / self.m * p["W2"]   # (B, 1, h)
        db2 = dZ2.sum(axis=-1, keepdims=True)
        dZ1 = np.swapaxes(p["W2"], -1, -2) * dZ2 * (1 - A1 ** 2)        # (B, h, m)
        dW1 = dZ1 @ self.X.T + self.lambd / self.m * p["W1"]
        db1 = dZ1.sum(axis=-1, keepdims=True)
        B = dZ2.shape[0]
        g = np.concatenate([d.reshape(B, -1) for d in (dW1, db1, dW2, db2)], axis=1)
        return g if np.ndim(theta) == 2 else g[0]

    def hessian(self, theta, eps: float = 1e-5):
        """(P, P), or (B, P, P) for a batch: central differences of the exact gradient along every axis
        (2P gradients per point, all in one batched call), symmetrized."""
        theta = np.asarray(theta, dtype=float)
        batch = np.atleast_2d(theta)
        B, P = batch.shape
        if B == 0:
            return np.zeros((0, P, P))
        shifts = eps * np.eye(P)
        points = np.concatenate([batch[:, None, :] + shifts, batch[:, None, :] - shifts], axis=1)  # (B, 2P, P)
        g = self.grad(points.reshape(-1, P)).reshape(B, 2, P, P)
        H = (g[:, 0] - g[:, 1]) / (2 * eps)
        H = 0.5 * (H + np.swapaxes(H, 1, 2))
        return H if theta.ndim == 2 else H[0]


# ---------------------------------------------------------------- finding and classifying critical points
def find_critical_points(loss, starts, iterations: int = 40, mu: float = 1e-6):
    """Levenberg-Marquardt on q(theta) = 1/2 ||grad J||^2 from every row of starts (S, P), all at once.

    Since grad q = H g, the step is -(H^2 + mu I)^{-1} H g (mu -> 0: Newton's step -H^{-1} g, which goes to
    the nearest critical point whatever its kind); mu shrinks after a step that lowers q, grows otherwise.
    Returns (thetas (S, P), gradient norms (S,)): a row is a critical point when its norm is ~0.
    """
    theta = np.array(starts, dtype=float)
    if theta.ndim != 2 or theta.shape[1] != loss.P:
        raise ValueError(f"starts must be (number of starts, {loss.P}); got {theta.shape}")
    iterations, mu = check_positive_int(iterations, "iterations"), check_positive(mu, "mu")
    S, P = theta.shape
    damping = np.full(S, mu)
    eye = np.eye(P)
    with np.errstate(over="ignore", invalid="ignore"):
        g = loss.grad(theta)
        q = 0.5 * np.sum(g * g, axis=1)
        for _ in range(iterations):
            H = loss.hessian(theta)
            rhs = np.einsum("sij,sj->si", H, g)
            step = -np.linalg.solve(H @ H + damping[:, None, None] * eye, rhs[..., None])[..., 0]
            new = theta + step
            g_new = loss.grad(new)
            q_new = 0.5 * np.sum(g_new * g_new, axis=1)
            better = np.isfinite(q_new) & (q_new < q)
            theta[better], g[better], q[better] = new[better], g_new[better], q_new[better]
            damping = np.clip(np.where(better, damping / 3, damping * 3), 1e-12, 1e8)
    return theta, np.sqrt(2 * q)


def classify(eigenvalues, tol: float = 1e-6) -> tuple[np.ndarray, np.ndarray]:
    """(index, zeros) of each row of eigenvalues (S, P): the number of eigenvalues below -tol (directions
    going down) and the number within +-tol (flat directions). index > 0 is a saddle; index 0 with no flat
    direction a strict minimum; index 0 with flat directions is a minimum OR a degenerate saddle (Plateau's
    origin has eigenvalues 1 and 0), which second derivatives cannot tell apart."""
    ev = np.atleast_2d(np.asarray(eigenvalues, dtype=float))
    tol = check_positive(tol, "tol")
    return np.sum(ev < -tol, axis=1), np.sum(np.abs(ev) <= tol, axis=1)


# ---------------------------------------------------------------- a 2-D plateau
class Plateau:
    """f = 1/2 x^2 - y^4 / 4 + y^6 / 6: a degenerate saddle at the origin (curvature 1 along x, ZERO along y,
    so the gradient across the ridge is only -y^3: a plateau) between two minima at (0, +-1), f = -1/12."""

    minimum = np.array([0.0, 1.0])  # one of the two

    def value(self, w):
        x, y = np.asarray(w, dtype=float)
        return 0.5 * x ** 2 - y ** 4 / 4 + y ** 6 / 6

    def grad(self, w):
        x, y = np.asarray(w, dtype=float)
        return np.array([x, -y ** 3 + y ** 5])
