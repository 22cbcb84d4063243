"""``python -m bench``: run the benchmark sections and print their tables (see bench/__init__.py)."""
from __future__ import annotations

import argparse
import os
import platform
import sys

from . import browser, gradcheck, notebooks, sliders, step
from .table import Section, format_section, format_targets

SECTIONS = ("notebooks", "sliders", "browser", "step", "gradcheck")


def parse_args(argv=None) -> argparse.Namespace:
    """--only (default: every section), --repeats, --suite."""
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="The labs' benchmark: prints tables, never pass/fail; the last one lists the targets.")
    parser.add_argument("--only", action="append", choices=SECTIONS,
                        help="run only this section (repeatable); default: all")
    parser.add_argument("--repeats", type=int, default=None, metavar="N",
                        help="timed repetitions: interleaved rounds of the training step (default 20), "
                             "renders per slider setting (default 3), runs per gradient check (default 3)")
    parser.add_argument("--suite", action="store_true",
                        help="also time the real `make test` run (python -m pytest: unit tests + nbval labs)")
    args = parser.parse_args(argv)
    if args.repeats is not None and args.repeats < 1:
        parser.error("--repeats must be at least 1")
    args.only = args.only or list(SECTIONS)
    return args


def log(*parts, **kwargs) -> None:
    """Progress goes to stderr so stdout holds only the tables."""
    kwargs.pop("file", None)
    print(*parts, file=sys.stderr, **kwargs)


def machine() -> str:
    """One line on what the numbers were measured on (load average included: other users add noise)."""
    import numpy as np
    try:
        import torch
        torch_version = torch.__version__
    except ImportError:
        torch_version = "not installed"
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return (f"machine: {os.cpu_count()} cores, {platform.machine()}, Python {platform.python_version()}, "
            f"numpy {np.__version__} (BLAS threads {step.blas_threads()}), torch {torch_version}; load average {load}")


def lab_sections(args) -> list[Section]:
    """Execute every lab once; the notebook and/or slider sections come from that one execution."""
    want_sliders = "sliders" in args.only
    probe = sliders.probe_source(str(notebooks.ROOT), args.repeats or 3) if want_sliders else None
    log("labs: executing notebooks/*.ipynb in fresh kernels")
    runs = notebooks.execute_all(probe, log=log)
    suite = None
    if args.suite and "notebooks" in args.only:
        log("labs: timing the whole suite (python -m pytest)")
        suite = notebooks.time_test_suite()
    out = []
    if "notebooks" in args.only:
        out.append(notebooks.section(runs, suite))
    if want_sliders:
        out.append(sliders.section(runs))
    return out


def main(argv=None) -> int:
    """Run the chosen sections, printing each table as soon as it is ready, then the targets."""
    args = parse_args(argv)
    print(machine(), flush=True)
    sections = []
    if {"notebooks", "sliders"} & set(args.only):
        sections += lab_sections(args)
        for s in sections:
            print("\n" + format_section(s), flush=True)
    if "browser" in args.only:
        direct = {}
        for sec in sections:
            for row in sec.rows if sec.title.startswith("Slider latency in the kernel") else []:
                lab = row[0].split(":")[0]
                if lab not in direct and row[2] not in ("-", ""):
                    direct[lab] = float(row[2])
        sections.append(browser.run(log=log, direct_ms=direct))
        print("\n" + format_section(sections[-1]), flush=True)
    if "step" in args.only:
        log("step: helpers / PyTorch / bare GEMMs, interleaved")
        sections.append(step.run(repeats=args.repeats or 20, log=log))
        print("\n" + format_section(sections[-1]), flush=True)
    if "gradcheck" in args.only:
        sections.append(gradcheck.run(repeats=args.repeats or 3))
        print("\n" + format_section(sections[-1]), flush=True)
    print("\n" + format_targets(sections))
    print("\nload average at the end: " + " ".join(f"{x:.2f}" for x in os.getloadavg()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
