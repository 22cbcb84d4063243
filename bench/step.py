"""Training step: the helpers' network against PyTorch CPU and against bare matrix multiplies.

One step is forward + backward + gradient-descent update of the MLP 784-256-128-10 (ReLU hidden
layers, softmax output, cross-entropy), batch 512, in float32 and float64, on 1 BLAS thread (as ``make``
runs the labs) and on every core. The helpers run it through ``network._forward``, ``network._backward``
and ``optim.gradient_descent`` on inputs validated once, outside the loop; PyTorch runs the same sizes
as ``nn.Sequential`` + ``F.cross_entropy`` + ``optim.SGD`` on as many threads. The GEMM reference does
the step's own matrix multiplies (3 forward, 5 backward, same shapes and transposes) as bare
``np.matmul`` into preallocated outputs, so "% of GEMM" is the share of the step's time spent on useful
matrix work; the same multiplies in PyTorch show how fast its BLAS is. All contestants of a row run
interleaved in one loop: every round times one block of steps of each, in an order that alternates
between rounds; the table gives the median and the best round.
"""
from __future__ import annotations

import time

import numpy as np

from helpers import network, optim
from helpers.validation import as_labels, as_matrix

from .table import Section, Target, ms

LAYER_DIMS = (784, 256, 128, 10)
BATCH = 512
DTYPES = (np.float32, np.float64)
LEARNING_RATE = 1e-3
GEMM_TARGET = 0.85


# ---------------------------------------------------------------- malloc (the benchmark process only)
def keep_freed_memory() -> bool:
    """Ask glibc's malloc to keep freed memory for the next step instead of handing it back to the OS.

    Every step allocates its Z, A and gradient arrays afresh and frees them at its end. With glibc's
    defaults, a float64 step of a few-MB network gives that memory back and faults it in again on the
    next step, page by page: about 2,400 page faults, a third of the time of the benchmark's
    784-256-128-10 float64 step (``python -m bench --only step``). PyTorch's allocator keeps freed blocks
    for the same reason. Arrays under 32 MiB then come from the heap, which keeps up to 128 MiB free.
    Does nothing where there is no glibc (macOS, Windows, musl); returns whether it changed the settings.

    This changes malloc for the whole process, so it lives here, in the benchmark, and is called by ``run``
    only: importing ``helpers`` changes no process-wide setting (a lab's kernel keeps glibc's defaults).
    """
    import ctypes
    import platform

    if platform.system() != "Linux" or platform.libc_ver()[0] != "glibc":
        return False
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return False
    M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # from glibc's <malloc.h>
    mallopt(M_MMAP_THRESHOLD, 32 << 20)
    mallopt(M_TRIM_THRESHOLD, 128 << 20)
    return True


# ---------------------------------------------------------------- threads and FLOPs
def blas_threads() -> int:
    """Threads numpy's BLAS uses (threadpoolctl if installed, else the usual env variables, else cores)."""
    try:
        from threadpoolctl import threadpool_info
        counts = [p["num_threads"] for p in threadpool_info() if p.get("user_api") == "blas"]
        if counts:
            return int(counts[0])
    except ImportError:
        pass
    import os
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    return os.cpu_count() or 1


def step_matmuls(dims=LAYER_DIMS, m=BATCH) -> list[tuple[str, tuple, tuple, bool]]:
    """The step's matrix multiplies as (name, A shape, B shape, B transposed), in course notation.

    Forward Z[l] = W[l] A[l-1]; backward dW[l] = dZ[l] A[l-1]^T for every layer and dA[l-1] = W[l]^T dZ[l]
    for l >= 2 (nothing needs dA[0], the gradient with respect to X).
    """
    L = len(dims) - 1
    mats = [(f"Z{l} = W{l} A{l - 1}", (dims[l], dims[l - 1]), (dims[l - 1], m), False) for l in range(1, L + 1)]
    mats += [(f"dW{l} = dZ{l} A{l - 1}^T", (dims[l], m), (dims[l - 1], m), True) for l in range(L, 0, -1)]
    mats += [(f"dA{l - 1} = W{l}^T dZ{l}", (dims[l - 1], dims[l]), (dims[l], m), False) for l in range(L, 1, -1)]
    return mats


def matmul_flops(a_shape, b_shape, b_transposed) -> int:
    """2 m n k for (m, k) @ (k, n)."""
    k_b, n = (b_shape[1], b_shape[0]) if b_transposed else b_shape
    assert a_shape[1] == k_b
    return 2 * a_shape[0] * a_shape[1] * n


def step_flops(dims=LAYER_DIMS, m=BATCH) -> int:
    """FLOPs of the step's matrix multiplies (elementwise work not counted)."""
    return sum(matmul_flops(a, b, t) for _, a, b, t in step_matmuls(dims, m))


# ---------------------------------------------------------------- contestants
def make_data(dtype, seed: int = 0, dims=LAYER_DIMS, m=BATCH):
    """Deterministic X (n_x, m), one-hot Y (n_y, m) and He-initialized params, all of dtype."""
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((dims[0], m)).astype(dtype)
    Y = np.eye(dims[-1], dtype=dtype)[:, rng.integers(0, dims[-1], m)]
    params = network.initialize_parameters(dims, "he", rng, dtype=dtype)
    return X, Y, params


def helpers_step(X, Y, params):
    """A closure doing one helpers step; inputs are validated here, once, as ``forward`` would."""
    network.layer_dims_of(params)
    X = as_matrix(X, "X", rows=params["W1"].shape[1])
    Y = as_labels(Y, X.shape[1], rows=Y.shape[0])
    keep = (1.0,) * (network.num_layers(params) - 1)
    state: dict = {}  # kept across steps, as helpers.training.train does

    def step():
        _, cache = network._forward(X, params, "relu", "softmax", keep, None)
        grads = network._backward(cache, Y, 0.0)
        optim.gradient_descent(params, grads, state, LEARNING_RATE)
    return step


def torch_step(X, Y, params, threads: int):
    """A closure doing one PyTorch step on a copy of params (same sizes, dtype, threads); None without torch."""
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        return None
    torch.set_num_threads(threads)
    L = network.num_layers(params)
    layers = []
    for l in range(1, L + 1):
        W = params[f"W{l}"]
        linear = torch.nn.Linear(W.shape[1], W.shape[0], dtype=torch.from_numpy(W).dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W))
            linear.bias.copy_(torch.from_numpy(params[f"b{l}"][:, 0]))
        layers += [linear, torch.nn.ReLU()] if l < L else [linear]
    model = torch.nn.Sequential(*layers)
    opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE)
    Xt = torch.from_numpy(np.ascontiguousarray(X.T))  # torch's layout: one example per row
    yt = torch.from_numpy(Y.argmax(axis=0))

    def step():
        opt.zero_grad(set_to_none=True)
        F.cross_entropy(model(Xt), yt).backward()
        opt.step()
    return step


def gemm_step(dtype, seed: int = 1, dims=LAYER_DIMS, m=BATCH):
    """A closure doing the step's matrix multiplies, bare, into preallocated outputs."""
    rng = np.random.default_rng(seed)
    work = []
    for _, a_shape, b_shape, transposed in step_matmuls(dims, m):
        A = rng.standard_normal(a_shape).astype(dtype)
        B = rng.standard_normal(b_shape).astype(dtype)
        B = B.T if transposed else B
        work.append((A, B, np.empty((A.shape[0], B.shape[1]), dtype)))

    def step():
        for A, B, out in work:
            np.matmul(A, B, out=out)
    return step


def torch_gemm_step(dtype, seed: int = 1, dims=LAYER_DIMS, m=BATCH):
    """gemm_step's matrix multiplies done by PyTorch (its own BLAS); None without torch."""
    try:
        import torch
    except ImportError:
        return None
    rng = np.random.default_rng(seed)
    work = []
    for _, a_shape, b_shape, transposed in step_matmuls(dims, m):
        A = torch.from_numpy(rng.standard_normal(a_shape).astype(dtype))
        B = torch.from_numpy(rng.standard_normal(b_shape).astype(dtype))
        B = B.t() if transposed else B
        work.append((A, B, torch.empty((A.shape[0], B.shape[1]), dtype=A.dtype)))

    def step():
        for A, B, out in work:
            torch.matmul(A, B, out=out)
    return step


def square_step(dtype, flops: int, seed: int = 2):
    """A closure doing one square n x n matmul with about ``flops`` FLOPs; returns (closure, n)."""
    n = max(1, round((flops / 2) ** (1 / 3)))
    rng = np.random.default_rng(seed)
    A, B = (rng.standard_normal((n, n)).astype(dtype) for _ in range(2))
    out = np.empty((n, n), dtype)
    return (lambda: np.matmul(A, B, out=out)), n


# ---------------------------------------------------------------- timing
def interleaved(steps: dict, rounds: int, block: int, warmup: int = 3, pause: float = 0.15) -> dict:
    """{name: [seconds per call in each round]} of each closure, from blocks of ``block`` calls timed in
    an order that alternates between rounds.

    Before each block: an untimed pause, then one untimed call. OpenBLAS's worker threads spin for about
    0.1 s after their last task (and OpenMP's for a while too); on 2 cores, one contestant's spinning
    threads would otherwise slow down the next contestant's block (PyTorch's steps took 4x longer with
    a 20 ms pause). The untimed call wakes the contestant's own threads up.
    """
    for fn in steps.values():
        for _ in range(warmup):
            fn()
    times = {name: [] for name in steps}
    names = list(steps)
    for r in range(rounds):
        for name in names if r % 2 == 0 else reversed(names):
            fn = steps[name]
            time.sleep(pause)
            fn()
            t0 = time.perf_counter()
            for _ in range(block):
                fn()
            times[name].append((time.perf_counter() - t0) / block)
    return times


def thread_counts() -> list[int]:
    """BLAS thread counts to measure: numpy's current one and, where threadpoolctl can switch, 1 and every core.

    ``make`` runs the labs with OPENBLAS_NUM_THREADS=1 (see the Makefile), a notebook opened by hand uses
    every core: both are what learners get.
    """
    import os
    try:
        import threadpoolctl  # noqa: F401
    except ImportError:
        return [blas_threads()]
    return sorted({1, blas_threads(), os.cpu_count() or 1})


def with_blas_threads(threads: int, fn):
    """fn() with numpy's BLAS limited to ``threads`` threads (as is, without threadpoolctl)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return fn()
    with threadpool_limits(limits=threads, user_api="blas"):
        return fn()


def measure(dtype, rounds: int, block: int, threads: int) -> tuple[dict, int]:
    """({name: per-round seconds per step} for helpers, gemm, square, torch and torch_gemm (if torch is
    installed), square's n),
    numpy's BLAS and torch both on ``threads`` threads."""
    X, Y, params = make_data(dtype)
    square, n = square_step(dtype, step_flops())
    steps = {"helpers": helpers_step(X, Y, params), "gemm": gemm_step(dtype), "square": square}
    torch_fn = torch_step(X, Y, params, threads)
    if torch_fn is not None:
        steps["torch"] = torch_fn
        steps["torch_gemm"] = torch_gemm_step(dtype)
    return with_blas_threads(threads, lambda: interleaved(steps, rounds, block)), n


def config_row(name: str, times: dict, n: int, flops: int) -> tuple[list[str], list[Target]]:
    """The table row and the two targets of one dtype and thread count. Ratios and rates use each
    contestant's best round (the least disturbed, as timeit does); the median round's follow in parentheses."""
    best = {k: min(v) for k, v in times.items()}
    med = {k: float(np.median(v)) for k, v in times.items()}
    gflops = lambda s: f"{flops / s / 1e9:.1f}"  # noqa: E731
    share, share_med = best["gemm"] / best["helpers"], med["gemm"] / med["helpers"]
    if "torch" in times:
        ratio = best["helpers"] / best["torch"]
        torch_cells = [f"{ms(med['torch'])} / {ms(best['torch'])}",
                       f"{ratio:.2f} ({med['helpers'] / med['torch']:.2f})", gflops(best["torch"]),
                       gflops(best["torch_gemm"])]
        torch_target = Target(f"step {name}: helpers no slower than PyTorch CPU (time ratio <= 1)", f"{ratio:.2f}",
                              ratio <= 1.0)
    else:
        torch_cells = ["n/a", "n/a", "n/a", "n/a"]
        torch_target = Target(f"step {name}: helpers no slower than PyTorch CPU", "torch not installed", None)
    row = [name, f"{ms(med['helpers'])} / {ms(best['helpers'])}", torch_cells[0], torch_cells[1],
           gflops(best["helpers"]), torch_cells[2], gflops(best["gemm"]), torch_cells[3],
           f"{100 * share:.0f} % ({100 * share_med:.0f} %)", f"{2 * n ** 3 / best['square'] / 1e9:.1f}"]
    gemm_target = Target(f"step {name}: helpers >= 85 % of bare GEMM throughput", f"{100 * share:.0f} %",
                         share >= GEMM_TARGET)
    return row, [torch_target, gemm_target]


def run(repeats: int = 20, block: int = 10, log=None) -> Section:
    """The step section: a row per dtype and thread count, and the two step targets of each."""
    flops = step_flops()
    kept = keep_freed_memory()
    section = Section(
        "Training step: 784-256-128-10 MLP, relu/softmax, batch 512 (forward + backward + SGD update)",
        ["dtype, threads", "helpers ms median / best", "torch ms median / best", "helpers/torch time",
         "helpers GFLOP/s", "torch GFLOP/s", "GEMM GFLOP/s", "torch GEMM GFLOP/s", "helpers % GEMM",
         "square GFLOP/s"])
    n = None
    for threads in thread_counts():
        for dtype in DTYPES:
            name = f"{np.dtype(dtype).name}, {threads} thread{'s' if threads > 1 else ''}"
            if log:
                log(f"  step: {name}", flush=True)
            times, n = measure(dtype, repeats, block, threads)
            row, targets = config_row(name, times, n, flops)
            section.rows.append(row)
            section.targets += targets
    section.notes += [
        f"one interleaved run per row: {repeats} rounds, each timing a block of {block} steps of every contestant "
        "in alternating order; ratios and GFLOP/s from each one's best round, the median round's in parentheses.",
        f"FLOPs: {flops / 1e6:.1f} MFLOP per step = 2*m*n*k over its 8 matmuls (3 forward, 5 backward; "
        "dA0 = W1^T dZ1 is not needed and not computed).",
        "GEMM = those 8 matmuls, same shapes and transposes, as bare np.matmul(out=...); helpers % GEMM = "
        "GEMM time / helpers time. torch GEMM = the same 8 as torch.matmul(out=...), PyTorch's own BLAS: "
        "where its rate beats numpy's, PyTorch's step can beat the helpers' however lean their non-GEMM work.",
        f"square = one {n} x {n} matmul (about the step's FLOPs), for the machine's large-GEMM rate.",
        ("malloc: this benchmark process keeps freed memory (glibc mallopt, bench.step.keep_freed_memory), as "
         "PyTorch's allocator does; a lab's kernel keeps glibc's defaults (helpers change no process-wide "
         "setting), where a float64 step refaults its arrays' pages." if kept else
         "malloc: glibc's defaults (no glibc here, so keep_freed_memory did nothing)."),
        "threads: numpy's BLAS limited with threadpoolctl, torch.set_num_threads to the same count "
        f"(numpy's BLAS default here: {blas_threads()}).",
    ]
    return section
