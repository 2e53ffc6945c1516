"""cm_default (compartmental neuron) against NEST 3.10: traces of every recordable, spikes,
status and NEST's errors (tools/reference/models_cm.py)."""

from __future__ import annotations

import pathlib
import sys

import numpy as np
import pytest
from conftest import load_json

import nest

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import models_cm  # noqa: E402

REF = dict(np.load(pathlib.Path(__file__).parent / "reference" / "models_cm.npz"))
STRUCTURE = load_json("models_cm.json")["structure"]


@pytest.mark.parametrize("protocol", sorted(models_cm.PROTOCOLS))
def test_traces_and_spikes_equal_nest(protocol):
    ours = {f"{protocol}/{k}": v for k, v in models_cm.PROTOCOLS[protocol](nest).items()}
    ref = {k: v for k, v in REF.items() if k.startswith(f"{protocol}/")}
    assert sorted(ours) == sorted(ref)
    for key, want in ref.items():
        got = ours[key]
        assert got.shape == want.shape, key
        # Crank-Nicolson and exponential gates as NEST's: equal to rounding.
        assert np.allclose(got, want, rtol=0, atol=1e-9), (key, np.abs(got - want).max())


def test_active_protocol_spikes():
    assert len(REF["active/spikes"]) == 3  # the protocol exercises the channels


@pytest.mark.parametrize("case", sorted(STRUCTURE))
def test_structure_and_errors_as_nest(case):
    ours = models_cm._outcome(models_cm.structure_cases(nest)[case])
    assert ours == STRUCTURE[case]
