"""Shared fixtures: a fresh kernel per test, and the reference figures from real NEST."""

from __future__ import annotations

import json
import pathlib
import warnings

import matplotlib
import numpy as np
import pytest

matplotlib.use("Agg")

import nest  # noqa: E402

REF = pathlib.Path(__file__).parent / "reference"


@pytest.fixture(autouse=True)
def fresh_kernel():
    nest.ResetKernel()
    nest.set_verbosity("M_WARNING")
    yield
    nest.ResetKernel()


def load_npz(name: str) -> dict[str, np.ndarray]:
    with np.load(REF / name, allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def load_json(name: str):
    return json.loads((REF / name).read_text())


@pytest.fixture
def no_deprecation_noise():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield


def nest_words(err: BaseException) -> str:
    """An error's message without what nestling adds to NEST's words for a bad status value:
    the parameters given and their values, " (given: key = value)" (engine/nodes.py)."""
    return str(err).split(" (given: ")[0]
