"""Regenerate every reference file in tests/reference/ with real NEST 3.10.

Usage (from the repository root):
    .ref-nest/bin/python tools/reference/make_all.py            # everything
    .ref-nest/bin/python tools/reference/make_all.py --skip brunel,brunel_states
    .ref-nest/bin/python tools/reference/make_all.py --only facts

Each step runs one script of tools/reference/ in its own process with the
same interpreter.  At the end the sizes of the files in tests/reference/ are
checked against the limits (2 MB per file, 20 MB in total: figures for some 180 models).
Approximate wall times on a 2-core machine: defaults/facts/single_neurons/plots
a few seconds each, brunel ~0.5-1.5 min, brunel_states ~4-6 min.
"""

import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import _common  # noqa: E402

STEPS = [
    "defaults",
    "all_defaults",
    "bad_params",
    "parrot_ports",
    "models_astro",
    "models_cm",
    "api_extras",
    "facts",
    "api_names",
    "api_output",
    "weight_recorder",
    "kernel_api",
    "ascii_files",
    "single_neurons",
    "recorders",
    "plots",
    "spatial",
    "adaptive_models",
    "exact_models",
    "models_glif",
    "models_ht",
    "models_rate",
    "model_names",
    "plasticity",
    "models_clopath",
    "multisynapse",
    "models_multisyn_adaptive",
    "poisson_window",
    "pynn_basic",
    "pynn_examples",
    "precise",
    "synapses_more",
    "generators_extra",
    "models_binary",
    "models_eprop",
    "brunel",
    "brunel_states",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="", help="comma-separated steps to run")
    ap.add_argument("--skip", default="", help="comma-separated steps to skip")
    args = ap.parse_args()
    steps = [s for s in args.only.split(",") if s] or STEPS
    skip = {s for s in args.skip.split(",") if s}
    env = dict(os.environ, PYNEST_QUIET="1")
    for step in steps:
        if step not in STEPS:
            sys.exit("unknown step %r (known: %s)" % (step, ", ".join(STEPS)))
        if step in skip:
            continue
        t0 = time.time()
        print("== %s" % step, flush=True)
        subprocess.run([sys.executable, os.path.join(HERE, step + ".py")], check=True, cwd=_common.REPO_ROOT, env=env)
        print("== %s done in %.1f s" % (step, time.time() - t0), flush=True)

    total = 0
    for name in sorted(os.listdir(_common.REF_DIR)):
        size = os.path.getsize(os.path.join(_common.REF_DIR, name))
        total += size
        flag = "  TOO BIG" if size > 2 * 1024 * 1024 else ""
        print("%10d  %s%s" % (size, name, flag))
    print("%10d  total%s" % (total, "  TOO BIG" if total > 20 * 1024 * 1024 else ""))


if __name__ == "__main__":
    main()
