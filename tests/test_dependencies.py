"""nestling needs only NumPy, Numba and matplotlib: it imports, and every model can be
created, with the optional packages (and SciPy, which is not a dependency) blocked."""

from __future__ import annotations

import subprocess
import sys

SCRIPT = """
import sys
for name in ("scipy", "pandas", "pyNN", "neo", "mpi4py", "h5py"):
    sys.modules[name] = None  # an import of it now raises ImportError
import nest
for model in nest.node_models:
    nest.ResetKernel()
    nest.Create(model)
nest.ResetKernel()
n = nest.Create("iaf_psc_alpha", params={"I_e": 376.0})
nest.Simulate(100.0)
print("ok", len(nest.node_models))
"""


def test_imports_and_creates_every_model_without_optional_packages():
    out = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().startswith("ok")
