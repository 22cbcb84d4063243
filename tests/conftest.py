"""Shared setup for the unit tests: a headless matplotlib backend and no leaked figures.

The backend is chosen with matplotlib.use, not the MPLBACKEND variable: kernels started by nbval and the
browser test inherit the environment, and ipykernel would then keep Agg instead of the inline backend.
"""
import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")
