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


# ---------------------------------------------------------------- lab 10: batch normalization


# ---------------------------------------------------------------- lab 11: softmax regression


# ---------------------------------------------------------------- lab 12: a first framework (PyTorch)
