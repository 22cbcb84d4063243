"""Data augmentation for small square images: shifts and rotations, pure numpy.

Every function takes either a stack of images (m, h, w) or a data matrix X (side*side, m) in course
shape (one flattened image per column, row-major, as ``helpers.datasets.load_digits`` gives it) and
returns the same form. A data matrix's image size is stated, not guessed: side=8 (the digits) by
default, so X given transposed, (m, 64), is refused rather than read as m-pixel images. Pixels that come
from outside the image are filled with 0 (the digits' background). Nothing here is random: the caller
chooses the shifts and angles (or draws them from its own ``numpy.random.Generator``).
"""
from __future__ import annotations

import numpy as np

from .validation import as_labels, check_positive_int

DEFAULT_SHIFTS = ((1, 0), (-1, 0), (0, 1), (0, -1))  # (dx, dy): right, left, down, up by one pixel
DEFAULT_ANGLES = (-10.0, 10.0)  # degrees, counter-clockwise as displayed


def _as_images(images, side: int = 8, name: str = "images"):
    """Return (stack (m, h, w) float, was_X): accept images (m, h, w) or X (side*side, m)."""
    arr = np.asarray(images)
    if not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool) or np.iscomplexobj(arr):
        raise ValueError(f"{name} must be numeric; got dtype {arr.dtype}")
    arr = arr.astype(np.float64)
    if arr.ndim == 3:
        if min(arr.shape) == 0:
            raise ValueError(f"images must have shape (m, h, w) with m, h, w >= 1; got {arr.shape}")
        stack, was_X = arr, False
    elif arr.ndim == 2:
        n_x, m = arr.shape
        side = check_positive_int(side, "side (the images' height = width, in pixels)")
        if n_x != side * side or m == 0:
            hint = f" (did you pass it transposed, as (m, {side * side})? use X.T)" if m == side * side else ""
            raise ValueError(f"X must have shape ({side * side}, m) for square {side}x{side} images, one flattened "
                             f"image per column; got {arr.shape}{hint}. For other square images pass side=..., "
                             "or a stack (m, h, w)")
        stack, was_X = arr.T.reshape(m, side, side), True
    else:
        raise ValueError(f"images must be a stack (m, h, w) or a data matrix X (h*w, m); got shape {arr.shape}")
    if not np.all(np.isfinite(stack)):
        raise ValueError("images contain NaN or inf; expected finite pixel values")
    return stack, was_X


def _as_output(stack: np.ndarray, was_X: bool) -> np.ndarray:
    m = stack.shape[0]
    return stack.reshape(m, -1).T.copy() if was_X else stack


def shift(images, dx: int, dy: int, side: int = 8) -> np.ndarray:
    """Move every image dx pixels right and dy pixels down (negative: left / up), filling with 0.

    images: (m, h, w) or X (side*side, m), side = 8 for the digits; returns the same form and shape.
    """
    stack, was_X = _as_images(images, side)
    _, h, w = stack.shape
    for name, d, size in (("dx", dx, w), ("dy", dy, h)):
        if isinstance(d, bool) or not isinstance(d, (int, np.integer)) or abs(d) >= size:
            raise ValueError(f"{name} must be an integer number of pixels with |{name}| < {size}; got {d!r}")
    out = np.zeros_like(stack)
    rows_out = slice(max(dy, 0), h + min(dy, 0))
    rows_in = slice(max(-dy, 0), h + min(-dy, 0))
    cols_out = slice(max(dx, 0), w + min(dx, 0))
    cols_in = slice(max(-dx, 0), w + min(-dx, 0))
    out[:, rows_out, cols_out] = stack[:, rows_in, cols_in]
    return _as_output(out, was_X)


def rotate(images, degrees: float, side: int = 8) -> np.ndarray:
    """Rotate every image counter-clockwise (as displayed) by degrees about its centre.

    Each output pixel takes the bilinear interpolation of the four input pixels around the point that
    the rotation maps onto it; points outside the image count as 0. images: (m, h, w) or X (side*side, m),
    side = 8 for the digits; returns the same form and shape. rotate(x, 90) equals np.rot90 on each image.
    """
    stack, was_X = _as_images(images, side)
    try:
        theta = np.deg2rad(float(degrees))
    except (TypeError, ValueError):
        raise ValueError(f"degrees must be a finite number; got {degrees!r}") from None
    if not np.isfinite(theta):
        raise ValueError(f"degrees must be a finite number; got {degrees!r}")
    m, h, w = stack.shape
    cy, cx = (h - 1) / 2, (w - 1) / 2
    r, c = np.meshgrid(np.arange(h), np.arange(w), indexing="ij")
    x, y = c - cx, cy - r  # display coordinates: x to the right, y up
    cos, sin = np.cos(theta), np.sin(theta)
    x_src, y_src = cos * x + sin * y, -sin * x + cos * y  # inverse rotation of each output pixel
    r_src, c_src = cy - y_src, x_src + cx
    r_src, c_src = np.round(r_src, 12), np.round(c_src, 12)  # exact grid points stay exact (90°, 180°)
    r0, c0 = np.floor(r_src).astype(int), np.floor(c_src).astype(int)
    fr, fc = r_src - r0, c_src - c0
    out = np.zeros_like(stack)
    for dr, dc, weight in ((0, 0, (1 - fr) * (1 - fc)), (0, 1, (1 - fr) * fc),
                           (1, 0, fr * (1 - fc)), (1, 1, fr * fc)):
        rr, cc = r0 + dr, c0 + dc
        inside = (rr >= 0) & (rr < h) & (cc >= 0) & (cc < w) & (weight > 0)
        out[:, inside] += weight[inside] * stack[:, rr[inside], cc[inside]]
    return _as_output(out, was_X)


def augment(X, Y, shifts=DEFAULT_SHIFTS, angles=DEFAULT_ANGLES, side: int = 8):
    """The training set followed by one shifted copy per (dx, dy) in shifts and one rotated copy per angle.

    X: (side*side, m) images as columns (side = 8 for the digits); Y: (n_y, m) labels (0/1 or one-hot),
    repeated for every copy. Returns X_aug (side*side, m * (1 + len(shifts) + len(angles))) and Y_aug.
    """
    stack, was_X = _as_images(X, side, name="X")
    if not was_X:
        raise ValueError(f"X must be a data matrix (side*side, m), one image per column; got shape {np.shape(X)}")
    m = stack.shape[0]
    Y = as_labels(Y, m)
    shifts, angles = list(shifts), list(angles)
    for s in shifts:
        if np.ndim(s) != 1 or len(s) != 2:
            raise ValueError(f"shifts must be a list of (dx, dy) pairs; got {shifts!r}")
    copies = [np.asarray(X, dtype=np.float64)]
    copies += [shift(X, dx, dy, side) for dx, dy in shifts]
    copies += [rotate(X, a, side) for a in angles]
    return np.hstack(copies), np.hstack([Y] * len(copies))
