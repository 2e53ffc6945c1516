"""poisson_generator's active window equals NEST 3.10's to the step."""

from __future__ import annotations

import pathlib
import sys

import pytest
from conftest import load_json

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import poisson_window as protocol  # noqa: E402

REF = load_json("poisson_window.json")


@pytest.mark.parametrize("k", range(len(protocol.CASES)))
def test_first_and_last_spike_as_nest(k):
    assert protocol.window(nest, protocol.CASES[k]) == REF[k]
