"""Figures shared by the labs, in one consistent style.

Decision boundaries are drawn from a precomputed probability grid (``decision_grid``) so a slider
can redraw them in milliseconds without touching the network.
"""
from __future__ import annotations

from typing import Callable, NamedTuple

import matplotlib as mpl
import numpy as np

from .validation import as_labels, as_matrix

CLASS_COLORS = ("#1f77b4", "#ff7f0e")  # class 0 blue, class 1 orange, in every lab
TRAIN_COLOR, DEV_COLOR, REFERENCE_COLOR = "#1f77b4", "#d62728", "#555555"
BOUNDARY_CMAP = mpl.colors.LinearSegmentedColormap.from_list("boundary", ["#c6dbef", "#ffffff", "#fdd0a2"])

STYLE = {
    "figure.figsize": (8.0, 3.6),
    "figure.dpi": 80,
    "savefig.dpi": 80,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "axes.titlesize": 11,
    "axes.labelsize": 10,
    "legend.fontsize": 9,
    "legend.frameon": False,
    "figure.autolayout": True,
}


def use_style() -> None:
    """Apply the labs' matplotlib style (small, PNG-friendly figures)."""
    mpl.rcParams.update(STYLE)


class Grid(NamedTuple):
    """A probability surface over the plane: probs[i, j] = P(y=1 | x1 = x1s[j], x2 = x2s[i])."""
    x1s: np.ndarray
    x2s: np.ndarray
    probs: np.ndarray

    @property
    def extent(self):
        return (self.x1s[0], self.x1s[-1], self.x2s[0], self.x2s[-1])


def decision_grid(prob_fn: Callable, limits, resolution: int = 120) -> Grid:
    """Evaluate prob_fn (a function of X (2, k) returning (1, k) probabilities) on a resolution^2 grid.

    limits = (x1_min, x1_max, x2_min, x2_max).
    """
    x1_min, x1_max, x2_min, x2_max = limits
    x1s = np.linspace(x1_min, x1_max, resolution)
    x2s = np.linspace(x2_min, x2_max, resolution)
    xx, yy = np.meshgrid(x1s, x2s)
    probs = np.asarray(prob_fn(np.vstack([xx.ravel(), yy.ravel()])))
    if probs.shape != (1, xx.size):
        raise ValueError(f"prob_fn must return shape (1, {xx.size}) for X of shape (2, {xx.size}); got {probs.shape}")
    return Grid(x1s, x2s, probs.reshape(xx.shape))


def limits_of(X, margin: float = 0.3):
    """(x1_min, x1_max, x2_min, x2_max) of a (2, m) data set, widened by margin."""
    X = as_matrix(X, "X", rows=2)
    return (X[0].min() - margin, X[0].max() + margin, X[1].min() - margin, X[1].max() + margin)


def scatter_classes(ax, X, Y, size: float = 14, alpha: float = 0.9) -> None:
    """Scatter a 2-D data set X (2, m) coloured by its 0/1 labels Y (1, m)."""
    X = as_matrix(X, "X", rows=2)
    Y = as_labels(Y, X.shape[1], rows=1)
    for label, color in enumerate(CLASS_COLORS):
        pts = X[:, Y[0] == label]
        ax.scatter(pts[0], pts[1], s=size, c=color, alpha=alpha, edgecolors="white", linewidths=0.4,
                   label=f"y = {label}")


def plot_decision_boundary(ax, grid: Grid, X=None, Y=None, title: str | None = None) -> None:
    """Shade P(y=1|x) from a precomputed grid, draw the 0.5 contour, and scatter (X, Y) on top."""
    ax.imshow(grid.probs, origin="lower", extent=grid.extent, cmap=BOUNDARY_CMAP, vmin=0, vmax=1,
              aspect="auto", interpolation="bilinear")
    ax.contour(grid.x1s, grid.x2s, grid.probs, levels=[0.5], colors="k", linewidths=1.2)
    if X is not None:
        scatter_classes(ax, X, Y)
    ax.set_xlim(grid.extent[:2])
    ax.set_ylim(grid.extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)


def plot_learning_curves(ax, sizes, train_errors, dev_errors, reference: float | None = None,
                         reference_label: str = "Bayes error", title: str | None = None) -> None:
    """Train and dev error against training-set size (log x axis), with an optional reference line."""
    ax.plot(sizes, train_errors, "o-", color=TRAIN_COLOR, label="train error")
    ax.plot(sizes, dev_errors, "s-", color=DEV_COLOR, label="dev error")
    if reference is not None:
        ax.axhline(reference, color=REFERENCE_COLOR, ls="--", lw=1, label=reference_label)
    ax.set_xscale("log")
    ax.set_xticks(sizes, [str(s) for s in sizes])
    ax.minorticks_off()
    ax.set_xlabel("training-set size m")
    ax.set_ylabel("error")
    ax.legend()
    if title:
        ax.set_title(title)


def plot_costs(ax, epochs, costs, dev_costs=None, title: str | None = None, log: bool = False) -> None:
    """Cost J against epoch for the training set (and the dev set when given)."""
    ax.plot(epochs, costs, color=TRAIN_COLOR, label="train cost")
    if dev_costs is not None and len(dev_costs):
        ax.plot(epochs, dev_costs, color=DEV_COLOR, label="dev cost")
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost J")
    if log:
        ax.set_yscale("log")
    ax.legend()
    if title:
        ax.set_title(title)


# ================================================================ figures of one lab each
# Each lab's own figure functions sit under its marker (shared style and helpers above).

# ---------------------------------------------------------------- lab 01: bias and variance

# ---------------------------------------------------------------- lab 02: L2 regularization

# ---------------------------------------------------------------- lab 03: dropout

# ---------------------------------------------------------------- lab 04: initialization

# ---------------------------------------------------------------- lab 05: gradient checking

# ---------------------------------------------------------------- lab 06: mini-batches and averages

# ---------------------------------------------------------------- lab 07: momentum, RMSprop, Adam
