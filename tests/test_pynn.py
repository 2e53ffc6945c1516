"""PyNN's NEST backend (PyNN 0.13 from PyPI, unmodified) on nestling gives real NEST's numbers."""

from __future__ import annotations

import pathlib
import subprocess
import sys
import warnings

import numpy as np
from conftest import load_json

sys.path.insert(0, str(pathlib.Path(__file__).parents[1] / "tools" / "reference"))
import pynn_basic  # noqa: E402

REF = load_json("pynn_basic.json")
EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_traces_and_spikes_equal_nest_with_pynn():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # PyNN warns that it cannot build its NEST extensions
        import pyNN.nest as sim

        got = pynn_basic.run(sim)
    # IF_curr_exp is NEST's iaf_psc_exp_ps here (spikes off the grid), IF_cond_exp iaf_cond_exp.
    np.testing.assert_allclose(got["v1"], REF["v1"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(got["v2"], REF["v2"], rtol=0, atol=1e-9)
    for name in ("spikes1", "spikes2"):
        assert [len(s) for s in got[name]] == [len(s) for s in REF[name]]
        for a, b in zip(got[name], REF[name]):
            np.testing.assert_allclose(a, b, rtol=0, atol=1e-9)
    assert sum(len(s) for s in REF["spikes1"]) > 10


def test_pynn_api_survey_as_on_nest():
    """Every PyNN type of the survey behaves as on real NEST (works, or fails as there)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import pyNN.nest as sim

        got = pynn_basic.api_survey(sim)
    ref = REF["survey"]
    assert got == ref
    assert sum(v == "ok" for v in ref.values()) >= 30


def run_script(name, out):
    """Run ``examples/<name>`` as a script (headless) writing its figures into ``out``."""
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return result


def test_seed003_tutorial_runs(tmp_path):
    result = run_script("pynn_seed003.py", tmp_path)
    assert "Spikes: population 1" in result.stdout
    assert (tmp_path / "seed003_membrane.png").stat().st_size > 10000
