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


def _finish_plane(ax, grid: Grid, title: str | None) -> None:
    """Axes of a picture over the (x1, x2) plane: the grid's extent, x1/x2 labels, no grid lines, a title."""
    ax.set_xlim(grid.extent[:2])
    ax.set_ylim(grid.extent[2:])
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.grid(False)
    if title:
        ax.set_title(title)


def plot_decision_boundary(ax, grid: Grid, X=None, Y=None, title: str | None = None) -> None:
    """Shade P(y=1|x) from a precomputed grid, draw the 0.5 contour, and scatter (X, Y) on top."""
    ax.imshow(grid.probs, origin="lower", extent=grid.extent, cmap=BOUNDARY_CMAP, vmin=0, vmax=1,
              aspect="auto", interpolation="bilinear")
    ax.contour(grid.x1s, grid.x2s, grid.probs, levels=[0.5], colors="k", linewidths=1.2)
    if X is not None:
        scatter_classes(ax, X, Y)
    _finish_plane(ax, grid, title)


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
def plot_true_boundary(ax, true_curve: Callable, limits) -> None:
    """The true (Bayes) boundary x2 = true_curve(x1), dashed, across limits = (x1_min, x1_max, ...)."""
    x1 = np.linspace(limits[0], limits[1], 200)
    ax.plot(x1, true_curve(x1), "--", color=REFERENCE_COLOR, lw=1, label="Bayes boundary")


def plot_boundary_row(fig, panels, true_curve: Callable) -> None:
    """One decision-boundary panel per (grid, X (2, m), Y (1, m), title) in a row, each with the true
    boundary dashed."""
    axes = np.atleast_1d(fig.subplots(1, len(panels)))
    for ax, (grid, X, Y, title) in zip(axes, panels, strict=True):
        plot_decision_boundary(ax, grid, X, Y, title=title)
        plot_true_boundary(ax, true_curve, grid.extent)
    _boundary_key(fig, axes[0])


def _boundary_key(fig, ax) -> None:
    """One legend under the figure: the two classes, the model's boundary (solid) and the Bayes boundary."""
    handles, labels = ax.get_legend_handles_labels()
    model = mpl.lines.Line2D([], [], color="k", lw=1.2, label="model boundary (P(y=1|x) = 0.5)")
    fig.legend([*handles, model], [*labels, model.get_label()], loc="outside lower center", ncols=4, frameon=False)


def _percent_axis(ax, ylim=(0, 0.3)) -> None:
    """Error axis in percent, like the printed tables."""
    ax.set_ylim(*ylim)
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))


def plot_learning_row(fig, sizes, curves, reference: float, ylim=(0, 0.3)) -> None:
    """One learning-curve panel per (train_errors, dev_errors, title) in a row, sharing the error axis;
    reference is the Bayes error (a dashed line)."""
    axes = list(np.atleast_1d(fig.subplots(1, len(curves), sharey=True)))
    for ax, (train_errors, dev_errors, title) in zip(axes, curves, strict=True):
        plot_learning_curves(ax, sizes, train_errors, dev_errors, reference=reference, title=title)
        _percent_axis(ax, ylim)


def plot_bias_variance_view(fig, grid, X, Y, true_curve: Callable, sizes, train_errors, dev_errors, m,
                            reference: float, boundary_title: str, curve_title: str) -> None:
    """Lab 01's slider view: left, a decision boundary on its training points (X, Y) with the true boundary;
    right, the learning curve (errors per size in sizes) with the gap at the chosen m marked."""
    ax_boundary = fig.add_subplot(1, 2, 1)
    plot_decision_boundary(ax_boundary, grid, X, Y, title=boundary_title)
    plot_true_boundary(ax_boundary, true_curve, grid.extent)
    ax_curve = fig.add_subplot(1, 2, 2)
    plot_learning_curves(ax_curve, sizes, train_errors, dev_errors, reference=reference, title=curve_title)
    k = list(sizes).index(m)
    ax_curve.plot([m, m], [train_errors[k], dev_errors[k]], "k:", lw=1)
    _percent_axis(ax_curve)


# ---------------------------------------------------------------- lab 02: L2 regularization
def lambda_axis(ax, lambdas) -> None:
    """λ on a log scale that still shows λ = 0: linear between 0 and the smallest positive λ, ticks at 0
    and the powers of ten in range."""
    positive = [lam for lam in lambdas if lam > 0]
    lo, hi = min(positive), max(positive)
    ax.set_xscale("symlog", linthresh=lo, linscale=0.4)
    ticks = [0.0] + [10.0 ** k for k in range(int(np.floor(np.log10(lo))), int(np.floor(np.log10(hi))) + 1)]
    ax.set_xticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()
    ax.set_xlim(-0.2 * lo, 1.3 * hi)
    ax.set_xlabel("λ")


def plot_errors_vs_lambda(ax, lambdas, train, dev, bayes_error: float, title: str | None = None) -> None:
    """Train and dev error against λ: train, dev are (len(lambdas), 2) arrays of (mean, spread over seeds);
    a band of ± one spread, and the Bayes error as a dashed line."""
    for part, values, color in (("train", train, TRAIN_COLOR), ("dev", dev, DEV_COLOR)):
        mean, std = np.asarray(values, dtype=float).T
        ax.plot(lambdas, mean, "o-", ms=3, color=color, label=f"{part} error")
        ax.fill_between(lambdas, mean - std, mean + std, color=color, alpha=0.2, lw=0)
    ax.axhline(bayes_error, color=REFERENCE_COLOR, ls="--", lw=1, label=f"Bayes error ({100 * bayes_error:g} %)")
    lambda_axis(ax, lambdas)
    ax.set_ylabel("error")
    ax.set_ylim(0, 0.3)
    ax.yaxis.set_major_formatter(mpl.ticker.PercentFormatter(1.0, decimals=0))  # the tables print percent too
    ax.legend(loc="upper left")
    if title:
        ax.set_title(title)


def plot_norms_vs_lambda(ax, lambdas, norms) -> None:
    """Each layer's mean ‖W^[l]‖_F against λ, log scale: norms is (len(lambdas), L)."""
    norms = np.asarray(norms, dtype=float)
    for l in range(norms.shape[1]):
        ax.plot(lambdas, norms[:, l], "os^Dv"[l % 5] + "-", ms=3, label=f"$\\|W^{{[{l + 1}]}}\\|_F$")
    lambda_axis(ax, lambdas)
    ax.set_yscale("log")
    ax.set_ylabel("Frobenius norm")
    ax.set_title("weight norms shrink as λ grows")
    ax.legend()

# ---------------------------------------------------------------- lab 03: dropout
def plot_boundaries(axes, grids, titles, X, Y) -> None:
    """One decision boundary per axis from precomputed grids, the training set X (2, m), Y (1, m) on top.

    No legends (blue is y = 0, orange y = 1 in every lab): the titles carry the numbers.
    """
    for ax, grid, title in zip(axes, grids, titles, strict=True):
        plot_decision_boundary(ax, grid, X, Y, title=title)
        if ax.get_legend():
            ax.get_legend().remove()


def plot_costs_per_epoch(ax, curves: dict, title: str | None = None) -> None:
    """Training cost against epoch (1, 2, ...), one thin line per entry of curves {label: costs}."""
    for (label, costs), color in zip(curves.items(), (TRAIN_COLOR, DEV_COLOR, REFERENCE_COLOR), strict=False):
        ax.plot(np.arange(1, len(costs) + 1), costs, color=color, lw=1, label=label)
    ax.set_xlabel("epoch")
    ax.set_ylabel("training cost J")
    ax.legend()
    if title:
        ax.set_title(title)


def plot_early_stopping(ax_cost, ax_w, history: dict, best_epoch: int) -> None:
    """Left: train and dev cost per epoch (log scale); right: sum_l ||W[l]||_F^2; the best epoch marked.

    history holds equal-length lists "train", "dev" (costs) and "weights", one entry per epoch from 1.
    """
    epochs = np.arange(1, len(history["train"]) + 1)
    ax_cost.plot(epochs, history["train"], color=TRAIN_COLOR, label="train cost")
    ax_cost.plot(epochs, history["dev"], color=DEV_COLOR, label="dev cost")
    ax_w.plot(epochs, history["weights"], color="k")
    for ax in (ax_cost, ax_w):
        ax.axvline(best_epoch, color=REFERENCE_COLOR, ls="--", lw=1, label=f"lowest dev cost (epoch {best_epoch})")
        ax.set_xlabel("epoch")
    ax_cost.set_ylabel("cost J (cross-entropy)")
    ax_cost.set_yscale("log")
    ax_cost.legend()
    ax_w.set_ylabel(r"$\sum_l \|W^{[l]}\|_F^2$")
    ax_w.set_title("the weights grow as training goes on")


def plot_image_versions(fig, versions: dict, side: int = 8) -> None:
    """A grid of images: one column per entry of versions {name: X (side*side, k)}, one row per image."""
    rows = next(iter(versions.values())).shape[1]
    axes = fig.subplots(rows, len(versions), squeeze=False)
    for j, (name, Xv) in enumerate(versions.items()):
        for i in range(rows):
            ax = axes[i, j]
            ax.imshow(Xv[:, i].reshape(side, side), cmap="gray_r", vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
            ax.grid(False)
            ax.spines[:].set_visible(True)  # a frame, so that a one-pixel shift shows
        axes[0, j].set_title(name)


def plot_keep_prob_errors(ax, keeps, errors: dict, selected=None, reference=None) -> None:
    """Mean dev error (± spread over seeds) against keep_prob, one line per entry of
    errors {label: (means, stds)} (each over keeps); selected = (label, keep) is ringed in red;
    reference = (label, value) draws a labelled dashed horizontal line (for example no dropout)."""
    offsets = np.linspace(-0.012, 0.012, len(errors))  # side by side, so the error bars do not overlap
    colors = ("#1f77b4", "#2ca02c", "#9467bd", "#8c564b")[:len(errors)]
    top = 0.0
    for (label, (means, stds)), dx, color in zip(errors.items(), offsets, colors, strict=True):
        means, stds = 100 * np.asarray(means), 100 * np.asarray(stds)
        ax.errorbar(np.asarray(keeps) + dx, means, yerr=stds, fmt="o-", color=color, capsize=3, lw=1.2, ms=4,
                    label=label)
        top = max(top, float(np.max(means + stds)))
        if selected and selected[0] == label:
            k = list(keeps).index(selected[1])
            ax.plot(keeps[k] + dx, means[k], "o", ms=13, mfc="none", mec="red", mew=2)
    if reference:
        ax.axhline(100 * reference[1], color=REFERENCE_COLOR, ls="--", lw=1)
        ax.text(keeps[-1], 100 * reference[1], reference[0] + " ", ha="right", va="bottom", fontsize=9,
                color=REFERENCE_COLOR)
        top = max(top, 100 * reference[1])
    bottom = ax.get_ylim()[0]
    ax.set_ylim(bottom, top + 0.25 * (top - bottom))  # room for the legend above the lines
    ax.set_xticks(list(keeps), [str(k) for k in keeps])
    ax.set_xlabel("keep_prob of the dropped layer(s)")
    ax.set_ylabel("dev error (%)")
    ax.legend(loc="upper center", ncol=len(errors))

# ---------------------------------------------------------------- lab 04: initialization
INIT_COLORS = {"zeros": "#7f7f7f", "random ×0.01": "#9467bd", "random ×10": "#d62728", "Xavier": "#ff7f0e",
               "He": "#2ca02c", "He uniform": "#17becf"}
SATURATION_COLOR = "#d62728"


def log_window(values, keep=None, decades: float = 12.0) -> tuple[float, float]:
    """y-limits (low, high) for a log axis over per-layer statistics that may span 100 decades.

    values: every positive number the axis may show (an iterable of arrays); keep: the curves that must stay
    readable (e.g. the gain-1 reference), default all of values. The window covers values with a factor-3
    margin, but at most `decades` decades: centred on keep when keep fits, else on keep's top `decades`
    (the layers near the output). Curves outside it are clipped; ``mark_off_axis`` labels where they go.
    """
    def span(arrays):
        flat = np.concatenate([np.ravel(np.asarray(a, dtype=float)) for a in arrays])
        flat = flat[np.isfinite(flat) & (flat > 0)]
        if flat.size == 0:
            raise ValueError("log_window needs at least one finite positive value")
        return np.log10(flat.min() / 3), np.log10(flat.max() * 3)

    lo, hi = span(values)
    if hi - lo <= decades:
        return 10 ** lo, 10 ** hi
    k_lo, k_hi = span(keep if keep is not None else values)
    if k_hi - k_lo >= decades:
        return 10 ** (k_hi - decades), 10 ** k_hi
    centre = (k_lo + k_hi) / 2
    low = min(max(lo, centre - decades / 2), hi - decades)  # slide the window to stay inside the data
    return 10 ** low, 10 ** (low + decades)


def log_ticks(ax, window, max_ticks: int = 5) -> None:
    """Log y-axis limited to window = (low, high), with at most max_ticks plain labels ("1e-8", "1").

    Fixed ticks and no minor ticks: a LogLocator with mathtext labels costs a large part of a slider redraw.
    """
    low, high = window
    ax.set_yscale("log")
    ax.set_ylim(low, high)
    first, last = int(np.ceil(np.log10(low))), int(np.floor(np.log10(high)))
    step = max(1, int(np.ceil((last - first + 1) / max_ticks)))
    exponents = [e for e in range(first, last + 1) if e % step == 0]
    if len(exponents) >= 2:
        ax.set_yticks([10.0 ** e for e in exponents], ["1" if e == 0 else f"1e{e}" for e in exponents])
    else:  # less than two decades shown: 1, 2 and 5 times the powers of ten in range
        ticks = [m * 10.0 ** e for e in range(first - 1, last + 1) for m in (1, 2, 5) if low <= m * 10.0 ** e <= high]
        ax.set_yticks(ticks, [f"{t:g}" for t in ticks])
    ax.minorticks_off()


def mark_off_axis(ax, x, y, window, color, fontsize: float = 8) -> None:
    """When the curve (x, y) leaves the log window, write its extreme value at the edge it crosses."""
    y = np.asarray(y, dtype=float)
    low, high = window
    for extreme, edge, beyond, va, arrow in ((np.argmin(y), low, y.min() < low, "bottom", "↓"),
                                             (np.argmax(y), high, y.max() > high, "top", "↑")):
        if beyond:
            ax.text(x[extreme], edge, f"{arrow} {y[extreme]:.0e} (layer {x[extreme]})", color=color,
                    fontsize=fontsize, ha="right" if extreme > len(y) / 2 else "left", va=va)


def plot_per_layer(ax, curves: dict, window, ylabel: str, colors: dict | None = None) -> None:
    """One line per label -> values (values[l - 1] is layer l) on a log axis clipped to window, each curve
    that leaves the window marked with its extreme value."""
    colors = colors or INIT_COLORS
    for label, values in curves.items():
        layers = np.arange(1, len(values) + 1)
        ax.plot(layers, values, color=colors.get(label), label=label)
        mark_off_axis(ax, layers, values, window, colors.get(label))
    log_ticks(ax, window)
    ax.set_xlabel("layer l")
    ax.set_ylabel(ylabel)


INIT_STYLES = {"random ×0.01": (0, (3, 2))}  # dashed: it lies on top of Xavier's flat line at log 2


def plot_start_costs(ax, runs: dict, title: str, colors: dict | None = None) -> None:
    """Training cost against epoch, one line per label -> (epochs, costs); None marks a run whose cost
    overflowed: nothing to draw, so the title names it (each panel its own). A thin line marks log 2,
    the cost of guessing 0.5."""
    colors = colors or INIT_COLORS
    ax.axhline(np.log(2), color=REFERENCE_COLOR, lw=0.8, ls=":")
    overflowed = []
    for label, run in runs.items():
        style = INIT_STYLES.get(label, "-")
        if run is None:
            overflowed.append(label)
            ax.plot([], [], color=colors.get(label), ls=style, label=label)
        else:
            ax.plot(*run, color=colors.get(label), ls=style, label=label, zorder=3 + (label in INIT_STYLES))
    ax.set_title(title + "\noverflowed: " + (", ".join(overflowed) or "none"), fontsize=10)
    ax.set_xlabel("epoch")
    ax.set_ylim(0, 1.2)


def plot_layer_histograms(ax, bins, rows, labels, relu: bool) -> None:
    """Step histograms of a few layers' activations (rows[i] over bins), legend outside the axes on the right
    so it never covers the bars."""
    centers = (np.asarray(bins)[:-1] + np.asarray(bins)[1:]) / 2
    for row, label in zip(rows, labels, strict=True):
        ax.plot(centers, row, drawstyle="steps-mid", label=label)
    ax.set_xlabel("$a^{[l]}$ / std (positive entries)" if relu else "$a^{[l]}$")
    ax.set_ylabel("fraction of entries")
    ax.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, handlelength=1.2)


def histogram_labels(saturated, layers) -> list:
    """'layer 5: 3.9 % sat.' for each shown layer (no saturation part for ReLU, whose values are NaN)."""
    return [f"layer {l}" + ("" if np.isnan(saturated[l - 1]) else f": {100 * saturated[l - 1]:.1f} % sat.")
            for l in layers]


def _quick_title(ax, text: str) -> None:
    """A title as plain axes text: set_title re-measures the axes' tick labels on every draw to place it."""
    ax.text(0.5, 1.03, text, transform=ax.transAxes, ha="center", va="bottom", fontsize=mpl.rcParams["axes.titlesize"])


def plot_signal_view(fig, stats, reference, hist, bins, activation: str, shown_layers, windows: dict,
                     saturation_top: float | None) -> None:
    """Lab 04's slider figure: per hidden layer, the std of A and dW (log scale, gain-1 reference dashed),
    the % saturated units, and histograms of a few layers.

    stats, reference: ``helpers.diagnostics.LayerStats`` of the shown net and of gain 1 (output layer last);
    hist: (L - 1, len(bins) - 1) histograms of the hidden layers; windows: {"act_std": (low, high), "grad_std": ...}.
    Kept cheap for the slider: axes at fixed positions (no layout engine), three ticks per linear axis (every
    tick is a line and a text to build and draw), titles as plain text.
    """
    fig.set_layout_engine("none")
    ax_a, ax_g = fig.add_axes((0.07, 0.6, 0.36, 0.33)), fig.add_axes((0.54, 0.6, 0.3, 0.33))
    ax_s, ax_h = fig.add_axes((0.07, 0.1, 0.36, 0.33)), fig.add_axes((0.54, 0.1, 0.3, 0.33))
    layers = np.arange(1, len(stats.act_std))
    layer_ticks = list(layers) if len(layers) <= 5 else sorted({1, (len(layers) + 1) // 2, len(layers)})
    for ax, key, title in ((ax_a, "act_std", "std of $A^{[l]}$"), (ax_g, "grad_std", "std of $dW^{[l]}$")):
        ax.plot(layers, getattr(reference, key)[:-1], "--", color="0.6", label="gain 1")
        values = getattr(stats, key)[:-1]
        ax.plot(layers, values, color=TRAIN_COLOR, label="this gain")
        mark_off_axis(ax, layers, values, windows[key], TRAIN_COLOR)
        log_ticks(ax, windows[key], max_ticks=4)
        ax.set_xlim(0.5, len(layers) + 0.5)  # the same layer axis as the saturation panel below
        ax.set_xticks(layer_ticks)
        ax.set_xlabel("layer l")
        _quick_title(ax, title)
    ax_g.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0))
    if saturation_top is None:
        ax_s.text(0.5, 0.5, "ReLU has no flat tail for z > 0:\nnothing to count here", ha="center", va="center",
                  transform=ax_s.transAxes)
        ax_s.set_yticks([])
    else:
        # one step per layer, centred on it (a single artist: cheap to redraw)
        ax_s.stairs(100 * stats.saturated[:-1], np.arange(0.5, len(layers) + 1), fill=True, color=SATURATION_COLOR,
                    alpha=0.8)
        ax_s.set_ylim(0, saturation_top)
        ax_s.set_yticks([0, saturation_top / 2, saturation_top])
    ax_s.set_xlim(0.5, len(layers) + 0.5)
    ax_s.set_xticks(layer_ticks)
    ax_s.set_xlabel("layer l")
    _quick_title(ax_s, "% saturated units")
    plot_layer_histograms(ax_h, bins, hist[np.asarray(shown_layers) - 1],
                          histogram_labels(stats.saturated, shown_layers), relu=activation == "relu")
    ax_h.set_xticks([bins[0] if activation != "relu" else 0, (bins[0] + bins[-1]) / 2, bins[-1]])
    ax_h.yaxis.set_major_locator(mpl.ticker.MaxNLocator(3))
    _quick_title(ax_h, "histograms of $A^{[l]}$")


# ---------------------------------------------------------------- lab 05: gradient checking
_LOG_TICKS = [1e-12, 1e-9, 1e-6, 1e-3, 1]  # few ticks on the log axes: the slider redraws faster


def _epsilon_axis(ax) -> None:
    """ε on a log axis, large ε on the left (read left to right as ε shrinks)."""
    ax.set_xscale("log")
    ax.invert_xaxis()
    ax.set_xlabel("ε")


EPSILON_SWEEP_COLORS = {"tanh, two-sided": "#1f77b4", "tanh, one-sided": "#ff7f0e", "tanh, float32": "#9467bd",
                        "ReLU, two-sided": "#2ca02c"}  # one colour per curve in both panels


def plot_epsilon_sweep(ax_smooth, ax_what, epsilons, curves: dict, course_bar: float = 1e-7) -> None:
    """The relative difference of a correct backward pass against ε (log-log), from the sweep of lab 05.

    curves: {"tanh, two-sided": values, "tanh, one-sided": ..., "tanh, float32": ..., "ReLU, two-sided": ...},
    each a 1-D array over epsilons (decreasing). Left: the two tanh float64 curves with an ∝ ε² guide
    (through the two-sided value at ε = 1e-2) and an ∝ u/ε guide (through its smallest-ε value); right:
    the two-sided tanh curve against float32 and ReLU. Both panels mark 1e-7, the lecture's "great" level.
    """
    eps = np.asarray(epsilons, dtype=float)
    two = np.asarray(curves["tanh, two-sided"], dtype=float)
    for name, style in [("tanh, two-sided", "o-"), ("tanh, one-sided", "s-")]:
        ax_smooth.plot(eps, curves[name], style, ms=4, color=EPSILON_SWEEP_COLORS[name], label=name)
    large, small = eps >= 1e-4 * 0.999, eps <= 3e-8
    at_1e2 = two[np.argmin(np.abs(np.log10(eps) + 2))]
    ax_smooth.plot(eps[large], at_1e2 * (eps[large] / 1e-2) ** 2, "k:", lw=1, label="∝ ε² (truncation)")
    ax_smooth.plot(eps[small], two[-1] * eps[-1] / eps[small], "k--", lw=1, label="∝ u/ε (round-off)")
    ax_smooth.set_title("smooth cost (tanh), float64")
    ax_smooth.set_ylabel("relative difference (correct backward)")
    for name, style in [("tanh, two-sided", "o-"), ("tanh, float32", "^-"), ("ReLU, two-sided", "d-")]:
        ax_what.plot(eps, curves[name], style, ms=4, color=EPSILON_SWEEP_COLORS[name], label=name)
    ax_what.set_title("what moves the curve")
    for ax in (ax_smooth, ax_what):
        ax.set_yscale("log")
        _epsilon_axis(ax)
        ax.axhline(course_bar, color="0.5", lw=0.8, ls="-.")
        ax.text(3e-2, 1.6 * course_bar, f"{course_bar:g}: the lecture's \"great\"", fontsize=8, color="0.4")
    ax_smooth.legend(loc="upper center", fontsize=8)  # the empty parts of each panel
    ax_what.legend(loc="lower left", fontsize=8)


def plot_block_differences(ax, blocks: dict, correct: dict, threshold: float, title: str) -> None:
    """Bars of the relative difference per block (log scale): the correct pass's in grey, the tested
    pass's beside it, red above threshold and blue below. blocks, correct: {"W1": d, ..., "overall": d}."""
    names = list(blocks)
    x = np.arange(len(names))
    ax.bar(x - 0.2, [correct[k] for k in names], 0.4, color="0.7")
    ax.bar(x + 0.2, [blocks[k] for k in names], 0.4,
           color=[DEV_COLOR if blocks[k] > threshold else TRAIN_COLOR for k in names])
    ax.set_yscale("log")
    ax.set_xticks(x, names)
    ax.axhline(threshold, color="k", ls="--", lw=1)
    ax.set_ylim(1e-13, 3)
    ax.set_yticks(_LOG_TICKS)
    ax.minorticks_off()
    ax.set_title(title)


def plot_difference_vs_epsilon(ax, epsilons, curves: dict, marked: tuple, threshold: float) -> None:
    """The overall relative difference against ε for a few backward passes: curves {name: (values, colour)},
    a square around the point marked = (ε, difference), and the threshold as a dashed line."""
    for name, (values, color) in curves.items():
        ax.plot(epsilons, values, "o-", ms=3, color=color, label=name)
    ax.plot(*marked, "ks", ms=7, mfc="none")
    ax.axhline(threshold, color="k", ls="--", lw=1)
    ax.text(3e-2, 2 * threshold, f"threshold {threshold:g}", fontsize=8)
    ax.set_yscale("log")
    ax.set_ylim(1e-13, 3)
    _epsilon_axis(ax)
    ax.set_xticks([1e-2, 1e-5, 1e-8, 1e-11])
    ax.set_yticks(_LOG_TICKS)
    ax.minorticks_off()
    ax.set_title("overall difference against ε")
    ax.legend(loc="lower left", fontsize=8)

# ---------------------------------------------------------------- lab 06: mini-batches and averages
def batch_size_colors(sizes) -> dict:
    """{batch size: colour}: from dark (batch 1, stochastic) to light (the whole set), in the order given."""
    cmap = mpl.colormaps["viridis"]
    sizes = list(sizes)
    return {size: cmap(0.8 * k / max(1, len(sizes) - 1)) for k, size in enumerate(sizes)}  # 0.8: no pale yellow


def plot_cost_curves(ax, curves: dict, colors: dict, highlight=None, xlabel: str = "epoch",
                     log_x: bool = False, title: str | None = None) -> None:
    """Cost against x for several runs, curves {label: (x, costs)} on a log cost axis; the highlighted
    label drawn thick, the others thin, so one run stands out of the family."""
    for label, (x, costs) in curves.items():
        strong = highlight is None or label == highlight
        ax.plot(x, costs, color=colors[label], lw=2.0 if strong else 1.0, alpha=1.0 if strong else 0.45,
                label=f"batch {label}", zorder=3 if label == highlight else 2)
    ax.set_yscale("log")
    if log_x:
        ax.set_xscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("cost J (epoch mean)")
    ax.legend(fontsize=8, ncol=2)
    if title:
        ax.set_title(title)


def plot_iteration_costs(ax, batch_costs, iterations_per_epoch: int, color, smoothed=None,
                         epoch_costs=None, top: float | None = None, title: str | None = None) -> None:
    """Every mini-batch's cost against the epoch (iteration / iterations per epoch) as a thin line; optional
    smoothed curve (same length) and epoch means (one per epoch, drawn at the epoch's end) on top.
    Linear cost axis from 0; top (if given) cuts it there, so a few huge SGD costs do not flatten the rest."""
    batch_costs = np.asarray(batch_costs, dtype=float)
    x = np.arange(1, batch_costs.size + 1) / iterations_per_epoch
    ax.plot(x, batch_costs, color=color, lw=0.6, alpha=0.35 if batch_costs.size > 200 else 0.9,
            label="cost of each mini-batch")
    if smoothed is not None:
        ax.plot(x, smoothed, color="k", lw=1.5, label="its EWA")
    if epoch_costs is not None:
        ax.plot(np.arange(1, len(epoch_costs) + 1), epoch_costs, "o", color="#d62728", ms=4.5, label="epoch mean",
                zorder=4)
    ax.set_ylim(0, top)
    ax.set_xlabel("epoch")
    ax.set_ylabel("cost J")
    ax.legend(fontsize=8, frameon=True, framealpha=0.9, edgecolor="none")  # readable over a dense SGD curve
    if title:
        ax.set_title(title)


def plot_series_and_averages(ax, theta, averages: dict, colors: dict | None = None,
                             title: str | None = None) -> None:
    """A noisy series theta_1..theta_T as grey dots and each average {label: v (T,)} as a line."""
    t = np.arange(1, len(theta) + 1)
    ax.plot(t, theta, ".", color="0.6", ms=3, label="θ_t")
    for label, v in averages.items():
        ax.plot(t, v, lw=1.8, color=(colors or {}).get(label), label=label)
    ax.set_xlabel("day t")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)


def add_start_inset(ax, theta, v, color, days: int = 20, ylim=(-2, 12)) -> None:
    """An inset in ax's upper left: the first `days` values of theta (grey dots) and of its average v (a line),
    so the start of a long series, where bias correction matters, can be read."""
    inset = ax.inset_axes([0.03, 0.6, 0.3, 0.36])
    t = np.arange(1, days + 1)
    inset.plot(t, np.asarray(theta)[:days], ".", color="0.6", ms=3)
    inset.plot(t, np.asarray(v)[:days], color=color, lw=1.5)
    inset.set_ylim(*ylim)
    inset.set_xticks([1, days // 2, days])
    inset.set_yticks([0, 10])
    inset.tick_params(labelsize=7)
    inset.text(0.97, 0.93, f"days 1–{days}", transform=inset.transAxes, ha="right", va="top", fontsize=7)


def plot_ewa_weights(ax, beta: float, k_max: int, title: str | None = None) -> None:
    """The weight beta^k (1 - beta) that v_t gives to theta_{t-k}, k = 0..k_max, with the 1/e level of the
    first weight and k = 1/(1 - beta) marked."""
    k = np.arange(int(k_max) + 1)
    weights = beta ** k * (1 - beta)
    ax.fill_between(k, weights, step="mid", color="#1f77b4", alpha=0.6, lw=0)  # one polygon: fast to redraw
    ax.axhline((1 - beta) / np.e, color=REFERENCE_COLOR, ls="--", lw=1, label="first weight / e")
    ax.axvline(1 / (1 - beta), color="#d62728", ls=":", lw=1.5, label="k = 1/(1 − β)")
    ax.set_xlim(-0.5, k_max + 0.5)
    ax.set_xlabel("k (steps back)")
    ax.set_ylabel("weight β^k (1 − β)")
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)


# ---------------------------------------------------------------- lab 07: momentum, RMSprop, Adam
OPTIMIZER_COLORS = {"gradient descent": "#555555", "momentum": "#1f77b4", "RMSprop": "#2ca02c", "Adam": "#d62728"}


def surface_grid(surface, limits, resolution: int = 120):
    """(x1s, x2s, values) of surface.value on a resolution x resolution grid over limits = (x1_min, x1_max,
    x2_min, x2_max); values[i, j] is f at (x1s[j], x2s[i]). Compute once, draw many times."""
    x1s, x2s = np.linspace(limits[0], limits[1], resolution), np.linspace(limits[2], limits[3], resolution)
    X1, X2 = np.meshgrid(x1s, x2s)
    return x1s, x2s, surface.value(np.array([X1, X2]))


_CONTOUR_LINES: dict = {}  # id(values) -> (values, levels, line segments): computed once per grid


def _contour_lines(grid, levels: int) -> list:
    """The contour lines of a surface_grid, spaced evenly in log(f - f_min) so both the steep walls and the
    flat valley floor get lines; computed once per grid (a slider redraw only draws them)."""
    x1s, x2s, values = grid
    cached = _CONTOUR_LINES.get(id(values))
    if cached is not None and cached[0] is values and cached[1] == levels:
        return cached[2]
    import contourpy

    low = float(values.min())
    gaps = np.geomspace(max(float(np.percentile(values - low, 1)), 1e-3), float(values.max() - low), levels)
    generator = contourpy.contour_generator(x1s, x2s, values)
    segments = [line for level in low + gaps for line in generator.lines(level)]
    _CONTOUR_LINES[id(values)] = (values, levels, segments)
    return segments


def plot_contours(ax, grid, minimum=None, levels: int = 12, title: str | None = None) -> None:
    """Contour lines of a surface_grid (see _contour_lines) as one collection; the minimum (shape (2,)) as a star."""
    x1s, x2s, _ = grid
    ax.add_collection(mpl.collections.LineCollection(_contour_lines(grid, levels), colors="0.75", linewidths=0.7))
    if minimum is not None:
        ax.plot(*minimum, "*", color="k", ms=9, zorder=5)
    ax.set_xlim(x1s[0], x1s[-1])
    ax.set_ylim(x2s[0], x2s[-1])
    ax.set_xlabel("$w_1$")
    ax.set_ylabel("$w_2$")
    if title:
        ax.set_title(title)


def plot_paths(ax, paths: dict, markers: bool = True) -> None:
    """Each path (steps + 1, 2) of paths {name: path} as a line from its start, coloured by OPTIMIZER_COLORS."""
    for name, path in paths.items():
        color = OPTIMIZER_COLORS.get(name)
        ax.plot(path[:, 0], path[:, 1], "-", color=color, lw=1.2, label=name, marker="." if markers else None,
                ms=3)
    ax.legend(loc="lower left", fontsize=8)


def plot_gaps(ax, surface, paths: dict, floor: float = 1e-12, title: str | None = None) -> None:
    """f(w_t) - f(minimum) against the step t for each path, on a log axis (clipped to [floor, 1e4])."""
    f_min = float(surface.value(surface.minimum))
    for name, path in paths.items():
        with np.errstate(over="ignore", invalid="ignore"):  # a diverging path overflows before it turns NaN
            gap = np.clip(surface.value(path.T) - f_min, floor, 1e4)
        ax.semilogy(np.arange(len(path)), gap, color=OPTIMIZER_COLORS.get(name), lw=1.2, label=name)
    ax.set_ylim(floor, 1e4)
    ax.set_yticks(10.0 ** np.arange(np.ceil(np.log10(floor)), 5, 4))  # few fixed ticks: a log axis's many
    ax.minorticks_off()                                                 # minor ticks cost most of a redraw
    ax.set_xlabel("step t")
    ax.set_ylabel("$f(w_t) - f_{min}$")
    if title:
        ax.set_title(title)


def plot_landscape_view(fig, grid, surface, paths: dict, title: str, gap_title: str | None = None) -> None:
    """Lab 07's slider view: left, the paths over the contours; right, f - f_min against the step."""
    ax_paths, ax_gaps = fig.subplots(1, 2, width_ratios=[1.25, 1])
    plot_contours(ax_paths, grid, surface.minimum, title=title)
    plot_paths(ax_paths, paths)
    plot_gaps(ax_gaps, surface, paths, title=gap_title)


def plot_error_vs_learning_rate(ax, learning_rates, errors: dict, chance: float | None = None,
                                title: str | None = None) -> None:
    """Final dev error against the learning rate (log axis) per optimizer: errors {name: (len(lr), 2) array of
    (mean, spread over seeds)}, a band of ± one spread; chance (the error of guessing) as a dashed line."""
    for name, values in errors.items():
        mean, std = np.asarray(values, dtype=float).T
        color = OPTIMIZER_COLORS.get(name)
        ax.plot(learning_rates, mean, "o-", ms=3, color=color, label=name)
        ax.fill_between(learning_rates, mean - std, mean + std, color=color, alpha=0.15, lw=0)
    if chance is not None:
        ax.axhline(chance, color=REFERENCE_COLOR, ls="--", lw=1, label="chance")
    ax.set_xscale("log")
    ax.set_xlabel("learning rate α")
    ax.set_ylabel("dev error")
    ax.set_ylim(0, 1.05 * max(chance or 0, max(float(np.nanmax(np.asarray(v)[:, 0])) for v in errors.values())))
    ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title)


# ---------------------------------------------------------------- lab 08: learning-rate decay and local optima
SCHEDULE_COLORS = {"constant": "#555555", "inverse time": "#d62728", "exponential": "#1f77b4",
                   "staircase": "#2ca02c", "1/√t": "#9467bd", "cosine": "#ff7f0e"}


def _schedule_color(name: str):
    return next((c for key, c in SCHEDULE_COLORS.items() if name.startswith(key)), None)


def plot_rates(ax, epochs, rates: dict, title: str | None = None, floor: float = 1e-6) -> None:
    """Learning rate against the epoch (log axis, from floor up) for each schedule: rates {name: (len(epochs),)
    rates}; the legend goes to the right of the axes."""
    for name, values in rates.items():
        ax.plot(epochs, values, lw=1.4, color=_schedule_color(name), label=name)
    ax.set_yscale("log")
    ax.set_ylim(floor, 2 * max(float(np.max(v)) for v in rates.values()))
    ax.set_xlabel("epoch t (completed)")
    ax.set_ylabel("learning rate α")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.02, 1))
    if title:
        ax.set_title(title)


def plot_decay_view(fig, epochs, rates, train_costs, dev_costs, title: str, rate_ylim=(1e-5, 1)) -> None:
    """Lab 08's slider view: left, the schedule's rate per epoch; right, training (thin) and dev (thick) cost per
    recorded epoch of each seed. train_costs / dev_costs: (seeds, len(epochs))."""
    ax_rate, ax_cost = fig.subplots(1, 2)
    ax_rate.plot(epochs, rates, color=_schedule_color(title), lw=1.6)
    ax_rate.set_yscale("log")
    ax_rate.set_ylim(*rate_ylim)
    ax_rate.set_yticks(10.0 ** np.arange(np.ceil(np.log10(rate_ylim[0])), np.log10(rate_ylim[1]) + 0.5))
    ax_rate.minorticks_off()  # a log axis's many minor ticks cost most of a redraw
    ax_rate.set_xlabel("epoch")
    ax_rate.set_ylabel("learning rate α")
    ax_rate.set_title(title, fontsize=10)
    for k, (train, dev) in enumerate(zip(train_costs, dev_costs, strict=True)):
        ax_cost.plot(epochs, train, color=TRAIN_COLOR, lw=0.8, alpha=0.7, label="train" if k == 0 else None)
        ax_cost.plot(epochs, dev, color=DEV_COLOR, lw=1.4, alpha=0.8, label="dev" if k == 0 else None)
    ax_cost.set_ylim(0, 0.75)
    ax_cost.set_xlabel("epoch")
    ax_cost.set_ylabel("cross-entropy cost")
    ax_cost.set_title("cost, one line per seed", fontsize=10)
    ax_cost.legend(fontsize=8, loc="lower left")  # the flat, collapsed runs sit at the top right


def plot_pd_fractions(ax, ns, fractions, samples: int) -> None:
    """Fraction of positive-definite random symmetric matrices against n (log axis), beside 2^-n (independent
    coin flips for the signs); zero counts drawn as a marker at the floor 1/samples."""
    ns, fractions = np.asarray(ns), np.asarray(fractions, dtype=float)
    floor = 1.0 / samples
    seen = fractions > 0
    ax.semilogy(ns[seen], fractions[seen], "o-", color=DEV_COLOR, label="GOE: all eigenvalues > 0")
    ax.semilogy(ns[~seen], np.full((~seen).sum(), floor), "v", color=DEV_COLOR, ms=7,
                label=f"none in {samples:,} (below {floor:.0e})")
    ax.semilogy(ns, 0.5 ** ns, "--", color=REFERENCE_COLOR, lw=1, label="$2^{-n}$ (independent signs)")
    ax.set_xlabel("dimension n")
    ax.set_ylabel("fraction of minima")
    ax.legend(fontsize=8, loc="lower left")


def plot_critical_points(ax, index_fraction, losses, P: int) -> None:
    """Each critical point as (fraction of negative Hessian eigenvalues, loss), jittered sideways a little
    so repeats show; minima (index 0) as circles, saddles as crosses (Dauphin et al. 2014, figure 1)."""
    index_fraction, losses = np.asarray(index_fraction, dtype=float), np.asarray(losses, dtype=float)
    jitter = 0.15 / P * np.sin(np.arange(len(losses)) * 2.399)  # deterministic spread
    minimum = index_fraction == 0
    ax.plot(index_fraction[minimum] + jitter[minimum], losses[minimum], "o", color=TRAIN_COLOR, ms=5,
            alpha=0.6, label="index 0 (minimum, or degenerate)")
    ax.plot(index_fraction[~minimum] + jitter[~minimum], losses[~minimum], "x", color=DEV_COLOR, ms=6,
            label="saddle (index > 0)")
    ax.set_xlabel(f"index / P (fraction of the P = {P} directions that go down)")
    ax.set_ylabel("loss J at the critical point")
    ax.legend(fontsize=8, loc="center right")  # saddles sit at the bottom and top right


# ---------------------------------------------------------------- lab 09: hyperparameter search
SEARCH_COLORS = {"grid": "#555555", "random": "#1f77b4", "random (linear scale)": "#9467bd",
                 "Bayesian optimization": "#d62728", "Optuna TPE + pruning": "#2ca02c"}
PERCENT_TICKS = ([0.03, 0.05, 0.1, 0.2, 0.5], ["3 %", "5 %", "10 %", "20 %", "50 %"])
# Slider views below keep text to a minimum (titles placed at a fixed height, few tick labels, one legend):
# in these small figures each piece of text costs more to lay out and render than all the data drawn.
_RUG = (-0.17, -0.05)  # the strip under the toy's square where a tick marks every x tried


def plot_toy_search(fig, loss_x, loss_along_x, points: dict, best: dict) -> None:
    """Lab 09's grid-vs-random view: one panel per method, its trials (points[name] (n, 2) in [0, 1]^2) over the toy
    loss, shaded by its value along x (loss_along_x at the cell edges loss_x; y barely changes it), a tick under
    the square at every x it tried, and a star at its best trial (best[name] = (x, y, loss))."""
    axes = fig.subplots(1, len(points), sharey=True)
    for ax, (name, P) in zip(axes, points.items(), strict=True):
        color = SEARCH_COLORS.get(name, DEV_COLOR)
        ax.pcolormesh(loss_x, [0, 1], loss_along_x[None, :], cmap="Greys_r", vmin=0, vmax=1.1)
        ax.plot(P[:, 0], P[:, 1], "o", ms=5, color=color, mec="white", mew=0.6)
        ax.vlines(P[:, 0], *_RUG, color=color, lw=1)
        bx, by, _ = best[name]
        ax.plot([bx], [by], "*", ms=15, color="#ff7f0e", mec="black", mew=0.6)
        ax.set_title(name, fontsize=10, y=1.0)
        ax.set(xlim=(0, 1), ylim=(_RUG[0] - 0.02, 1), xticks=[0, 0.5, 1], yticks=[0, 1])
        ax.grid(False)
    axes[0].set_ylabel("y (barely matters)")
    fig.supxlabel("x (the input that matters)", fontsize=10)


def plot_scale_view(fig, alpha_counts, window_counts, scale: str) -> None:
    """Lab 09's sampling-scale view from precomputed histograms: left, how many α samples fall in each half-decade
    of [1e-4, 1] (alpha_counts, 8 bins); right, β's averaging window 1/(1 − β) per quarter-decade of [10, 1000]
    (window_counts, 8 bins). The y limits are fixed so that switching the scale keeps the axes."""
    ax_a, ax_b = fig.subplots(1, 2)
    color = "#1f77b4" if scale == "log" else "#9467bd"
    ax_a.stairs(alpha_counts, np.linspace(-4, 0, len(alpha_counts) + 1), fill=True, color=color, alpha=0.85)
    ax_a.set(xticks=np.arange(-4, 1), xticklabels=["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹", "1"], ylim=(0, 160),
             yticks=[0, 50, 100, 150], xlabel="learning rate α", ylabel="samples")
    ax_a.set_title(f"α, {scale} scale", fontsize=10, y=1.0)
    ax_b.stairs(window_counts, np.linspace(1, 3, len(window_counts) + 1), fill=True, color=color, alpha=0.85)
    ax_b.set(xticks=[1, 2, 3], xticklabels=["10\n(β = 0.9)", "100\n(β = 0.99)", "1000\n(β = 0.999)"], ylim=(0, 90),
             yticks=[0, 40, 80], xlabel="averaging window 1/(1 − β)")
    ax_b.set_title(f"β, {scale} scale" + (" (through 1 − β)" if scale == "log" else ""), fontsize=10, y=1.0)
    for ax in (ax_a, ax_b):
        ax.grid(False)
        ax.grid(True, axis="y")


def plot_best_so_far(ax, curves: dict, n: int | None = None, ylim=None) -> None:
    """Best dev error so far against the number of trials: curves[name] (seeds, N); the mean as a line, the
    seeds' min-max as a band; a vertical line at n trials; the legend outside the axes, on the right."""
    for name, C in curves.items():
        C = np.asarray(C, dtype=float)
        t = np.arange(1, C.shape[1] + 1)
        color = SEARCH_COLORS.get(name)
        ax.plot(t, C.mean(0), color=color, lw=1.8, label=name)
        if C.shape[0] > 1:
            ax.fill_between(t, C.min(0), C.max(0), color=color, alpha=0.12, lw=0)
    if n is not None:
        ax.axvline(n, color=REFERENCE_COLOR, lw=1, ls=":")
    ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set_yticks(*PERCENT_TICKS)
    ax.minorticks_off()
    ax.set_xticks([1, 5, 10, 15, 20, 25][: 1 + sum(k <= len(t) for k in (5, 10, 15, 20, 25))])
    ax.set_xlabel("number of trials")
    ax.set_ylabel("best dev error so far")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1),
              title=f"mean of {len(C)} seeds,\nband min to max", title_fontsize=8)


def plot_bo_step(fig, xs, true_curve, X_obs, y_obs, mean, std, ei, x_next, xlabel: str) -> None:
    """Lab 09's Bayesian-optimization view: top, the observations, the GP's posterior mean and its ±2σ band (and
    the objective itself, dashed); bottom, expected improvement on a fixed log scale (so its shrinking shows from
    one iteration to the next); the next point chosen (max EI) as a vertical line in both. One legend, above."""
    top, bottom = fig.subplots(2, 1, sharex=True, height_ratios=[2.2, 1])
    objective, = top.plot(xs, true_curve, "--", color=REFERENCE_COLOR, lw=1)
    band = top.fill_between(xs, mean - 2 * std, mean + 2 * std, color="#d62728", alpha=0.15, lw=0)
    line, = top.plot(xs, mean, color="#d62728", lw=1.6)
    trials, = top.plot(X_obs, y_obs, "o", color="black", ms=5)
    nxt = top.axvline(x_next, color="#2ca02c", lw=1.2)
    top.set(ylim=(-0.05, 1.0), yticks=[0, 0.5, 1], ylabel="dev error")
    fig.legend([objective, trials, (band, line), nxt],
               ["objective (unseen)", "trials so far", "posterior mean μ ± 2σ", "next trial (max EI)"],
               loc="outside upper center", ncols=4, fontsize=8)
    bottom.plot(xs, np.maximum(ei, 1e-5), color="#2ca02c", lw=1.4)
    bottom.axvline(x_next, color="#2ca02c", lw=1.2)
    bottom.set_yscale("log")
    bottom.set(ylim=(1e-4, 0.1), xticks=np.arange(np.ceil(xs[0]), np.floor(xs[-1]) + 1), ylabel="EI", xlabel=xlabel)
    bottom.set_yticks([1e-4, 1e-3, 1e-2, 1e-1], ["10⁻⁴", "10⁻³", "10⁻²", "10⁻¹"])
    bottom.minorticks_off()


def plot_coarse_to_fine(ax, coarse, fine, box, x: str = "learning_rate", y: str = "hidden_units") -> None:
    """Coarse trials (circles) and fine trials inside the zoom box (squares) in the (x, y) plane on log axes,
    coloured by dev error (colour bar in %). coarse / fine: lists of (config, error); box: ((x_low, x_high),
    (y_low, y_high)). The legend sits above the axes (it covers no trial)."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    errors = [e for _, e in coarse + fine]
    norm = mpl.colors.LogNorm(vmin=max(min(errors), 1e-3), vmax=max(errors))
    for trials, marker in ((coarse, "o"), (fine, "s")):
        sc = ax.scatter([c[x] for c, _ in trials], [c[y] for c, _ in trials], c=[e for _, e in trials], s=36,
                        marker=marker, cmap="viridis_r", norm=norm, edgecolors="black", linewidths=0.4)
    (x0, x1), (y0, y1) = box
    ax.add_patch(Rectangle((x0, y0), x1 - x0, y1 - y0, fill=False, ec="#d62728", lw=1.4))
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel(x.replace("_", " "))
    ax.set_ylabel(y.replace("_", " "))
    bar = ax.figure.colorbar(sc, ax=ax, label="dev error")
    ticks = [t for t in PERCENT_TICKS[0] + [0.9] if norm.vmin <= t <= norm.vmax]
    bar.set_ticks(ticks, labels=[f"{100 * t:g} %" for t in ticks])
    bar.ax.minorticks_off()
    handles = [Line2D([], [], ls="", marker="o", mfc="white", mec="black", label="coarse (24 random trials)"),
               Line2D([], [], ls="", marker="s", mfc="white", mec="black", label="fine (inside the box)"),
               Rectangle((0, 0), 1, 1, fill=False, ec="#d62728", label="zoomed box")]
    ax.legend(handles=handles, fontsize=8, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=3)


def plot_study_by_worker(ax, numbers, values, workers, pruned) -> None:
    """An Optuna study's trials in the order the storage numbered them: dev error against trial number,
    coloured by the worker process that ran it; pruned trials (their last reported error) as crosses."""
    numbers, values, workers, pruned = map(np.asarray, (numbers, values, workers, pruned))
    for w, color in zip(sorted(set(workers.tolist())), ("#1f77b4", "#ff7f0e", "#2ca02c", "#9467bd"), strict=False):
        mine = workers == w
        ax.plot(numbers[mine & ~pruned], values[mine & ~pruned], "o", color=color, label=f"worker {w}")
        ax.plot(numbers[mine & pruned], values[mine & pruned], "x", color=color, ms=7,
                label=f"worker {w}, pruned")
    ax.set_yscale("log")
    ax.set_yticks(PERCENT_TICKS[0] + [0.9], PERCENT_TICKS[1] + ["90 %"])
    ax.set_ylim(min(0.03, values.min() * 0.9), 1.2)
    ax.minorticks_off()
    ax.set_xticks(numbers)
    ax.set_xlabel("trial number in the shared study")
    ax.set_ylabel("dev error (pruned: last reported)")
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1))


def plot_panda_caviar(fig, panda_errors, panda_rates, caviar: list, best_caviar: int) -> None:
    """Left: one babysat run's dev error per epoch, its learning rate on a second axis. Right: many runs at once
    (caviar: list of per-epoch dev-error lists), the best one highlighted."""
    ax_p, ax_c = fig.subplots(1, 2, sharey=True, width_ratios=[1.6, 1])
    epochs = np.arange(1, len(panda_errors) + 1)
    ax_p.plot(epochs, panda_errors, color=TRAIN_COLOR, lw=1.6)
    ax_p.set_yscale("log")
    ax_p.set_xlabel("epoch")
    ax_p.set_ylabel("dev error", color=TRAIN_COLOR)
    ax_p.set_title("panda: one model, babysat", fontsize=10)
    ax_p.set_xticks(np.arange(0, len(panda_errors) + 1, 3))
    ax_r = ax_p.twinx()
    ax_r.step(epochs, panda_rates, where="mid", color="#2ca02c", lw=1.2)
    ax_r.set_yscale("log")
    rates = sorted(set(np.round(panda_rates, 12)))
    ax_r.set_yticks(rates, [f"{r:.2g}" for r in rates])
    ax_r.minorticks_off()
    ax_r.set_ylabel("learning rate α (steps)", color="#2ca02c")
    ax_r.grid(False)
    for k, errors in enumerate(caviar):
        if k != best_caviar:
            ax_c.plot(np.arange(1, len(errors) + 1), errors, color="#999999", lw=0.8, alpha=0.7)
    best = caviar[best_caviar]
    ax_c.plot(np.arange(1, len(best) + 1), best, color=DEV_COLOR, lw=2)
    ax_c.set_xlabel("epoch")
    ax_c.set_title(f"caviar: {len(caviar)} models, the best in red", fontsize=10)
    ax_p.set_yticks(*PERCENT_TICKS)
    ax_p.minorticks_off()


# ---------------------------------------------------------------- lab 10: batch normalization
NORM_COLORS = {"no normalization": "#7f7f7f", "batch norm": "#1f77b4", "layer norm": "#2ca02c"}


def _norm_color(label: str):
    """The colour of a label that starts with one of NORM_COLORS' names ("batch norm, k = 4" is batch norm's)."""
    return next((c for name, c in NORM_COLORS.items() if label.startswith(name)), None)


def _lean_axis(axis, ticks, lo: float, hi: float, fmt: str = "{:g}") -> None:
    """Major ticks only at the given values inside [lo, hi], labelled with fmt, and no minor ticks. A log axis
    otherwise makes, measures and draws dozens of tick artists on every redraw: most of a slider frame's time."""
    from matplotlib import ticker
    shown = [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
    axis.set_major_locator(ticker.FixedLocator(shown))
    axis.set_major_formatter(ticker.FixedFormatter([fmt.format(t) for t in shown]))
    axis.set_minor_locator(ticker.NullLocator())


def _log_ticks(lo: float, hi: float) -> list:
    """1, 2, 5 times the powers of ten that cover [lo, hi] (lo > 0); 1 and 3 times them when [lo, hi] spans more
    than a decade and a half (fewer labels to draw)."""
    steps = (1, 3) if hi / lo > 30 else (1, 2, 5)
    return [m * 10.0 ** e for e in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1)
            for m in steps]


def _error_axis(ax) -> None:
    """A dev-error y axis from 0 to 1, labelled 0 %, 50 %, 100 % (three labels to draw on every redraw)."""
    ax.set_ylim(0, 1)
    _lean_axis(ax.yaxis, [0, 0.5, 1], 0, 1, fmt="{:.0%}")


def plot_seed_curves(ax, runs: dict, ylabel: str = "training cost J (epoch mean)", title: str | None = None,
                     log: bool = True, legend: bool = True) -> None:
    """runs {label: [(epochs, values) or None per seed]}: a thin line per seed (one collection per label), the mean
    over the seeds that finished bold; seeds that diverged (None) are counted in the legend."""
    from matplotlib.collections import LineCollection
    finite = []
    for label, seeds in runs.items():
        color = _norm_color(label)
        done = [s for s in seeds if s is not None]
        ax.add_collection(LineCollection([np.column_stack([e, v]) for e, v in done], colors=color, lw=0.8,
                                         alpha=0.35))
        lost = len(seeds) - len(done)
        note = f" ({lost}/{len(seeds)} diverged)" if lost else ""
        if done:
            ax.plot(done[0][0], np.mean([v for _, v in done], axis=0), color=color, lw=2, label=label + note)
            finite += [np.asarray(v, dtype=float) for _, v in done]
        else:
            ax.plot([], [], color=color, lw=2, label=label + note)
    values = np.concatenate(finite) if finite else np.array([1.0])
    values = values[np.isfinite(values) & (values > 0)] if log else values[np.isfinite(values)]
    lo, hi = (values.min(), values.max()) if values.size else (0.1, 1.0)
    epochs = [e for seeds in runs.values() for s in seeds if s is not None for e in s[0]] or [1]
    first, last = min(epochs), max(epochs)
    ax.set_xlim(first, last)
    _lean_axis(ax.xaxis, sorted({first, *range(5, last + 1, 5)}), first, last)
    if log:
        ax.set_yscale("log")
        ax.set_ylim(lo / 1.3, hi * 1.3)
        _lean_axis(ax.yaxis, _log_ticks(lo / 1.3, hi * 1.3), lo / 1.3, hi * 1.3)
    else:
        pad = 0.05 * (hi - lo or 1)
        ax.set_ylim(lo - pad, hi + pad)
    ax.set_xlabel("epoch")
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend(fontsize=8, loc="lower left")  # the curves start high on the left and fall; one stuck at chance stays high
    if title:
        ax.set_title(title)


def plot_metric_vs(ax, xs, values: dict, xlabel: str, ylabel: str, marker=None, log_x: bool = True,
                   log_y: bool = False, reference: float | None = None, title: str | None = None,
                   xticks=None, legend: bool = True, reference_at: float = 0.01) -> None:
    """values {label: (len(xs), 2) array of (mean, spread) over seeds, NaN where every seed diverged}: a line
    with a ± spread band per label; marker (an x) drawn as a vertical line; reference (chance) dashed.
    xticks: ticks only at these x values (cheap to redraw; for sliders), else matplotlib's. legend=False (the
    colours are explained next to it): no legend, the reference line labelled "chance" in place, at reference_at
    (0 = left edge, 1 = right edge)."""
    for label, v in values.items():
        mean, std = np.asarray(v, dtype=float).T
        color = _norm_color(label)
        ax.plot(xs, mean, "o-", ms=3.5, color=color, label=label)
        ax.fill_between(xs, mean - std, mean + std, color=color, alpha=0.15, lw=0)
        gone = np.isnan(mean)
        if gone.any():
            top = np.nanmax([np.nanmax(np.asarray(w, dtype=float)[:, 0]) for w in values.values()])
            ax.plot(np.asarray(xs)[gone], np.full(gone.sum(), top), "x", color=color, ms=7, mew=2)
    if reference is not None:
        ax.axhline(reference, color=REFERENCE_COLOR, ls="--", lw=1, label="chance")
        if not legend:
            ax.text(reference_at, reference, " chance ", transform=ax.get_yaxis_transform(), va="bottom",
                    ha="left" if reference_at < 0.5 else "right", fontsize=8, color=REFERENCE_COLOR)
    if marker is not None:
        ax.axvline(marker, color="k", lw=1, alpha=0.5)
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    if xticks is not None:
        ax.set_xlim(min(xticks) / 1.25 if log_x else min(xticks), max(xticks) * 1.25 if log_x else max(xticks))
        _lean_axis(ax.xaxis, list(xticks), min(xticks), max(xticks))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if legend:
        ax.legend(fontsize=8, loc="best")
    if title:
        ax.set_title(title)


def plot_layer_ridges(ax, centers, hists, title: str, xlabel: str, ylabels: bool = True) -> None:
    """One histogram per layer (hists (L, bins), each scaled to its own peak), stacked upwards from layer 1,
    so a layer whose distribution widens, narrows or drifts stands out (one filled and one line collection)."""
    from matplotlib.collections import LineCollection, PolyCollection
    centers = np.asarray(centers, dtype=float)
    tops, colors = [], [plt_color(l) for l in range(1, len(hists) + 1)]
    for l, h in enumerate(hists, start=1):
        peak = h.max() if h.max() > 0 else 1.0
        tops.append(np.column_stack([centers, l + 0.85 * h / peak]))
    fills = [np.vstack([top, [[centers[-1], l], [centers[0], l]]]) for l, top in enumerate(tops, start=1)]
    ax.add_collection(PolyCollection(fills, facecolors=colors, alpha=0.55, lw=0))
    ax.add_collection(LineCollection(tops, colors=colors, lw=0.8))
    ax.set_xlim(centers[0], centers[-1])
    ax.set_ylim(0.8, len(hists) + 1)
    _lean_axis(ax.xaxis, range(int(np.ceil(centers[0])), int(centers[-1]) + 1, 2), centers[0], centers[-1])
    ax.set_yticks(range(1, len(hists) + 1), labels=None if ylabels else [])
    if ylabels:
        ax.set_ylabel("layer l")
    ax.set_xlabel(xlabel)
    ax.set_title(title)
    ax.grid(False)


def plt_color(l: int):
    """The colour of layer l (1, 2, ...) in lab 10's per-layer figures."""
    return mpl.colormaps["viridis"](0.85 * (l - 1) / 7)


def plot_layer_stds(ax, iterations, stds, marker, title: str, dashed=None, lo: float | None = None,
                    hi: float | None = None, ylabels: bool = True) -> None:
    """The std of each layer's values against the iteration (stds (T, L), log axis from lo to hi); dashed (T, L)
    optional, drawn thin and dashed in the same colours; a vertical line at marker (None: none). One collection
    per style."""
    from matplotlib.collections import LineCollection
    x = np.asarray(iterations, dtype=float)
    colors = [plt_color(l + 1) for l in range(stds.shape[1])]
    ax.add_collection(LineCollection([np.column_stack([x, s]) for s in stds.T], colors=colors, lw=1.6))
    if dashed is not None:
        ax.add_collection(LineCollection([np.column_stack([x, s]) for s in dashed.T], colors=colors, lw=0.9,
                                         linestyles="--"))
    if marker is not None:
        ax.axvline(marker, color="k", lw=1, alpha=0.5)
    ax.set_yscale("log")
    lo = float(np.nanmin(stds)) / 1.5 if lo is None else lo
    hi = float(np.nanmax(stds)) * 1.5 if hi is None else hi
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(lo, hi)
    _lean_axis(ax.yaxis, _log_ticks(lo, hi), lo, hi, fmt="{:g}" if ylabels else "")
    _lean_axis(ax.xaxis, np.linspace(x[0], x[-1], 4), x[0], x[-1])
    ax.set_xlabel("iteration (mini-batch step)")
    ax.set_title(title)


def plot_z_view(fig, centers, hists: dict, iterations, step: int, labels: dict) -> None:
    """Lab 10's slider over the iteration: per-layer histograms at iteration `step` (hists {name: (T, L, bins)}),
    one panel per name, labels {name: x-axis label}. (The std over training, which does not move with the
    slider, is plot_z_stds' static figure.)"""
    axes = fig.subplots(1, len(hists))
    t = list(iterations).index(step)
    for k, name in enumerate(hists):
        plot_layer_ridges(axes[k], centers, hists[name][t], f"{name}: iteration {step}", labels[name],
                          ylabels=k == 0)


def plot_z_stds(axes, iterations, stds: dict, raw_stds) -> None:
    """Each layer's std over training, one panel per name (stds {name: (T, L)}), the batch-norm net's std of Z
    before normalization (raw_stds (T, L)) dashed; one y range for all panels and a legend of the layers."""
    from matplotlib.lines import Line2D
    lo = min(float(np.nanmin(s)) for s in [*stds.values(), raw_stds]) / 1.5
    hi = max(float(np.nanmax(s)) for s in [*stds.values(), raw_stds]) * 1.5
    for ax, name in zip(axes, stds, strict=False):
        plot_layer_stds(ax, iterations, stds[name], None, f"{name}: std per layer over training",
                        dashed=raw_stds if name == "batch norm" else None, lo=lo, hi=hi)
    axes[0].set_ylabel("std of the activation's input")
    n_layers = raw_stds.shape[1]
    handles = [Line2D([], [], color=plt_color(l), lw=1.6) for l in range(1, n_layers + 1)]
    handles.append(Line2D([], [], color="k", lw=0.9, ls="--"))
    axes[-1].legend(handles, [f"layer {l}" for l in range(1, n_layers + 1)] + ["Z before normalization"],
                    fontsize=7, ncol=2, loc="upper left")


def plot_speed_view(fig, runs: dict, learning_rates, finals: dict, learning_rate, chance: float) -> None:
    """Lab 10's slider over α: left, cost per epoch of every seed at α (runs {label: seeds}); right, the final
    dev error against α for each label (finals {label: (len(α), 2)}), α marked."""
    left, right = fig.subplots(1, 2)
    plot_seed_curves(left, runs, title=f"α = {learning_rate}: training cost per epoch")
    plot_metric_vs(right, learning_rates, finals, "learning rate α", "dev error after training",
                   marker=learning_rate, reference=chance, title="dev error against α (× = every seed diverged)",
                   xticks=learning_rates, legend=False)
    _error_axis(right)


def plot_group_view(fig, runs: dict, groups, curves: dict, k, chance: float, steps: int) -> None:
    """Lab 10's slider over k, the examples each μ, σ² is computed over: left, cost per epoch of every seed at k and
    of the references (runs {label: seeds}); right, the final dev error against k (curves {label: (len(groups), 2)},
    constant for the references), k marked, on a log axis (errors from a few % to chance). No legend on the right:
    the colours are the left's."""
    left, right = fig.subplots(1, 2)
    plot_seed_curves(left, runs, title=f"statistics over groups of k = {k}: training cost")
    plot_metric_vs(right, groups, curves, "k, the examples each μ, σ² is computed over", "dev error (log scale)",
                   marker=k, log_y=True, reference=chance, title=f"dev error after training ({steps} steps)",
                   xticks=groups, legend=False, reference_at=0.99)
    right.set_ylim(0.015, 1)
    _lean_axis(right.yaxis, [0.02, 0.05, 0.1, 0.2, 0.5, 1], 0.015, 1, fmt="{:.0%}")


# ---------------------------------------------------------------- lab 11: softmax regression
MULTICLASS_COLORS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
                     "#bcbd22", "#17becf")  # class k's colour; classes 0 and 1 as CLASS_COLORS


class ClassGrid(Grid):
    """Grid for C classes: probs[k, i, j] = P(y = k | x1 = x1s[j], x2 = x2s[i]), shape (C, r, r)."""
    __slots__ = ()


def class_grid(prob_fn: Callable, limits, resolution: int = 100) -> ClassGrid:
    """Evaluate prob_fn (X (2, k) -> (C, k) probabilities, e.g. a softmax network's A[L]) on a resolution² grid."""
    x1_min, x1_max, x2_min, x2_max = limits
    x1s, x2s = np.linspace(x1_min, x1_max, resolution), np.linspace(x2_min, x2_max, resolution)
    xx, yy = np.meshgrid(x1s, x2s)
    probs = np.asarray(prob_fn(np.vstack([xx.ravel(), yy.ravel()])))
    if probs.ndim != 2 or probs.shape[1] != xx.size or probs.shape[0] < 2:
        raise ValueError(f"prob_fn must return (C, {xx.size}) class probabilities for X of shape (2, {xx.size}); "
                         f"got {probs.shape}")
    return ClassGrid(x1s, x2s, probs.reshape(-1, *xx.shape))


def class_region_image(grid: ClassGrid) -> np.ndarray:
    """(r, r, 3) RGB: each point takes its predicted class's colour, paler where the top probability is low."""
    C = grid.probs.shape[0]
    colors = np.array([mpl.colors.to_rgb(c) for c in MULTICLASS_COLORS[:C]])
    top = grid.probs.max(axis=0)
    strength = 0.15 + 0.45 * (top - 1 / C) / (1 - 1 / C)  # 0.15 (a tie) .. 0.6 (certain)
    return 1 - strength[..., None] * (1 - colors[grid.probs.argmax(axis=0)])


def scatter_multiclass(ax, X, Y, size: float = 12) -> None:
    """Scatter X (2, m) coloured by its classes, Y (C, m) one-hot."""
    X, Y = as_matrix(X, "X", rows=2), as_labels(Y, np.shape(X)[1], one_hot=True)
    labels = Y.argmax(axis=0)
    for k in range(Y.shape[0]):
        pts = X[:, labels == k]
        ax.scatter(pts[0], pts[1], s=size, c=MULTICLASS_COLORS[k], edgecolors="white", linewidths=0.4,
                   label=f"class {k}")


def plot_class_regions(ax, grid: ClassGrid, X=None, Y=None, title: str | None = None) -> None:
    """The predicted class over the plane (paler where less sure), the region borders, and the data on top."""
    ax.imshow(class_region_image(grid), origin="lower", extent=grid.extent, aspect="auto", interpolation="nearest")
    for k in range(grid.probs.shape[0]):  # class k's border: where p_k equals the largest other probability
        others = np.delete(grid.probs, k, axis=0).max(axis=0)
        margin = grid.probs[k] - others
        if margin.min() < 0 < margin.max():
            ax.contour(grid.x1s, grid.x2s, margin, levels=[0], colors="k", linewidths=0.8)
    if X is not None:
        scatter_multiclass(ax, X, Y)
    _finish_plane(ax, grid, title)


def plot_softmax_bars(ax, z, title: str | None = None) -> None:
    """For one column of logits z: softmax(z) next to the hard max (one-hot of the largest z)."""
    z = np.asarray(z, dtype=float).ravel()
    a = np.exp(z - z.max())
    a /= a.sum()
    hard = (np.arange(z.size) == z.argmax()).astype(float)
    k = np.arange(z.size)
    ax.bar(k - 0.2, a, 0.4, color=TRAIN_COLOR, label="softmax(z)")
    ax.bar(k + 0.2, hard, 0.4, color="0.75", label="hard max")
    for x, v in zip(k, a, strict=True):
        ax.text(x - 0.2, v + 0.02, f"{v:.3f}", ha="center", fontsize=8)
    ax.set_xticks(k, [f"z = {v:g}" for v in z])
    ax.set_ylim(0, 1.12)
    ax.set_ylabel("probability")
    ax.legend(loc="upper right")
    if title:
        ax.set_title(title)


def plot_accuracy_vs_epoch(ax, epochs, curves: dict, marked=None, chance: float | None = None) -> None:
    """Accuracy against epoch (log x) for several runs {label: (train, dev)}; marked = (label, epoch) rings
    that run's dev accuracy at that epoch (the slider's position). Runs are coloured along viridis (in order),
    so their colours are not mistaken for class colours."""
    colors = mpl.colormaps["viridis"](np.linspace(0.0, 0.85, max(len(curves), 2)))
    markers = "osD^v<>ph*"  # neighbouring viridis shades are close: a marker per run tells them apart
    for k, (color, (label, (train_acc, dev_acc))) in enumerate(zip(colors, curves.items(), strict=False)):
        ax.plot(epochs, dev_acc, "-", color=color, lw=1.6, marker=markers[k % len(markers)], ms=4, label=label)
        ax.plot(epochs, train_acc, ":", color=color, lw=1)
        if marked is not None and marked[0] == label:
            ax.plot([marked[1]], [dev_acc[list(epochs).index(marked[1])]], "o", ms=9, mfc="none", mec="k", mew=1.5)
    if chance is not None:
        ax.axhline(chance, color=REFERENCE_COLOR, lw=0.8, ls="--")
    ax.set_xscale("log")
    # Ticks at the recorded epochs only: they are the slider's positions, and a log axis's minor ticks
    # would double the time of every redraw.
    ax.set_xticks(list(epochs), [f"{e / 1000:g}k" if e >= 1000 else f"{e:g}" for e in epochs])
    ax.xaxis.set_minor_locator(mpl.ticker.NullLocator())
    ax.set_xlabel("epoch (log scale)")
    ax.set_ylabel("accuracy (dev solid, train dotted)")
    ax.set_ylim(0, 1.02)
    ax.legend(fontsize=8, loc="lower right")


def plot_confusion_matrix(ax, counts, title: str | None = None) -> None:
    """A (C, C) confusion matrix (rows true class, columns predicted); off-diagonal counts written in red."""
    counts = np.asarray(counts)
    C = len(counts)
    ax.imshow(np.log1p(counts), cmap="Blues", vmin=0, aspect="equal")
    for i in range(C):
        for j in range(C):
            if counts[i, j] and i != j:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", color=DEV_COLOR, fontsize=9,
                        fontweight="bold")
            elif i == j:
                ax.text(j, i, str(counts[i, j]), ha="center", va="center", color="white", fontsize=7)
    ax.set_xticks(range(C))
    ax.set_yticks(range(C))
    ax.set_xlabel("predicted class")
    ax.set_ylabel("true class")
    ax.grid(False)
    if title:
        ax.set_title(title)


def plot_reliability(ax, edges, counts, confidence, accuracy, title: str | None = None) -> None:
    """A reliability diagram: each confidence bin's accuracy as a bar, hatched up (or down) to the bin's mean
    confidence, the diagonal of perfect calibration, and the bin's number of predictions written above it.
    Bars below the diagonal: overconfident."""
    edges, counts = np.asarray(edges), np.asarray(counts)
    width = np.diff(edges)
    full = counts > 0
    ax.bar(edges[:-1][full], np.asarray(accuracy)[full], width[full], align="edge", color=TRAIN_COLOR,
           edgecolor="white", label="accuracy in the bin")
    ax.bar(edges[:-1][full], np.asarray(confidence)[full] - np.asarray(accuracy)[full], width[full],
           bottom=np.asarray(accuracy)[full], align="edge", color="none", edgecolor=DEV_COLOR, hatch="///",
           lw=0.6, label="gap to the mean confidence")
    for left, w, n, top in zip(edges[:-1][full], width[full], counts[full],
                               np.maximum(np.asarray(accuracy), np.asarray(confidence))[full], strict=True):
        ax.text(left + w / 2, min(top, 0.9) + 0.015, f"{n}", ha="center", fontsize=7,
                bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8})
    ax.plot([0, 1], [0, 1], "--", color=REFERENCE_COLOR, lw=1, label="perfect calibration")
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1.0)
    ax.set_xlabel("confidence (top softmax probability); number of predictions above each bar")
    ax.set_ylabel("accuracy")
    # Above the axes: inside, any corner can hold a bar (an underconfident bin reaches the top left).
    ax.legend(fontsize=7, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=3, frameon=False,
              handlelength=1.5, columnspacing=1.0)
    if title:
        ax.set_title(title, pad=18)


def plot_confused_examples(fig, examples, side: int = 8) -> None:
    """A row of images, each titled; examples: list of (image (side, side), title)."""
    axes = fig.subplots(1, len(examples), squeeze=False)[0]
    for ax, (image, title) in zip(axes, examples, strict=True):
        ax.imshow(np.asarray(image).reshape(side, side), cmap="gray_r", interpolation="nearest")
        ax.set_title(title, fontsize=7.5)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)




# ---------------------------------------------------------------- lab 12: a first framework (PyTorch)
def plot_loop_comparison(fig, epochs, correct: dict, other: dict, other_label: str, title: str,
                         cost_ylim=(0.0, 4.0), accuracy_ylim=(20.0, 100.0)) -> None:
    """Lab 12's slider view: left, the training cost per epoch (cross-entropy of the logits on the whole
    training set, eval mode, solid) and the loss the loop itself reported (dotted); right, the dev accuracy
    per epoch in %. correct / other: {"train cost": [...], "loop loss": [...], "dev accuracy": [...]} per
    epoch, accuracies as fractions (other may also hold "dev accuracy, shown" to plot instead of "dev
    accuracy"). The correct loop in grey, the other in red.

    Drawn on every slider move, so it is lean: six lines, a handful of fixed ticks and one legend (each tick
    and text costs more to render than a line)."""
    from matplotlib.lines import Line2D

    epochs = np.asarray(epochs)
    ax_cost, ax_acc = fig.subplots(1, 2)
    for hist, color in ((correct, REFERENCE_COLOR), (other, DEV_COLOR)):
        ax_cost.plot(epochs, hist["train cost"], color=color, lw=1.6)
        ax_cost.plot(epochs, hist["loop loss"], color=color, lw=1.0, ls=":")
        ax_acc.plot(epochs, 100 * np.asarray(hist.get("dev accuracy, shown", hist["dev accuracy"])), color=color,
                    lw=1.6)
    x_ticks = sorted({int(epochs[0]), *range(4, int(epochs[-1]) + 1, 4), int(epochs[-1])})
    for ax, ylim, ylabel in ((ax_cost, cost_ylim, "cross-entropy"), (ax_acc, accuracy_ylim, "dev accuracy (%)")):
        y_ticks = np.linspace(*ylim, 5)
        ax.set_xlim(epochs[0], epochs[-1])
        ax.set_ylim(*ylim)
        ax.set_xticks(x_ticks, [str(t) for t in x_ticks])
        ax.set_yticks(y_ticks, [f"{t:g}" for t in y_ticks])
        ax.minorticks_off()
        ax.set_xlabel("epoch")
        ax.set_ylabel(ylabel)
    ax_cost.set_title(title, fontsize=10)
    ax_acc.set_title("dev accuracy", fontsize=10)
    handles = [Line2D([], [], color=REFERENCE_COLOR, lw=1.6), Line2D([], [], color=DEV_COLOR, lw=1.6),
               Line2D([], [], color="k", lw=1.6), Line2D([], [], color="k", lw=1.0, ls=":")]
    ax_cost.legend(handles, ["correct loop", other_label, "training cost", "loop's printed loss"], loc="upper right",
                   ncol=2, fontsize=8)
