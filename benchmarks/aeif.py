"""Benchmark a group of aeif_cond_alpha neurons on nestling against real NEST 3.10.

``benchmarks/aeif_worker.py`` (the public NEST 3 API only, so the same file runs on
both) builds N aeif_cond_alpha neurons with Poisson input and times ``nest.Run``. Every
run is a fresh interpreter; runs alternate between nestling and NEST so that slow drifts
of the machine affect both alike. Medians and the ratio nestling / NEST are printed as a
table (``--markdown``: ready for BENCHMARKS.md). The environments are those of
``benchmarks/brunel.py``: ``.bench-nestling`` and ``.ref-nest``, made if missing.

Examples
--------
``python benchmarks/aeif.py``
    10,000 neurons, 200 ms, one thread, 2 repeats of each simulator.
``python benchmarks/aeif.py --n 1000 --simtime 1000 --repeats 3 --markdown``
"""

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from brunel import (  # noqa: E402
    LABELS,
    NESTLING_VENV,
    REF_VENV,
    ensure_nestling_venv,
    ensure_reference_venv,
    format_table,
    machine_description,
    medians,
    run_worker,
)

WORKER = Path(__file__).resolve().parent / "aeif_worker.py"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10000, help="number of neurons (default 10000)")
    parser.add_argument("--simtime", type=float, default=200.0, help="simulated time in ms (default 200)")
    parser.add_argument("--threads", type=int, default=1, help="local_num_threads (default 1)")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each simulator (default 2)")
    parser.add_argument("--nestling-python", default=str(NESTLING_VENV / "bin" / "python"))
    parser.add_argument("--nest-python", default=str(REF_VENV / "bin" / "python"))
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed per run (default 3600)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table with the command line")
    args = parser.parse_args(argv)

    pythons = {
        "nestling": ensure_nestling_venv(Path(args.nestling_python)),
        "nest": ensure_reference_venv(Path(args.nest_python)),
    }
    worker_args = ["--n", str(args.n), "--simtime", str(args.simtime), "--threads", str(args.threads)]
    impls = ["nestling", "nest"]
    runs = {impl: [] for impl in impls}
    for rep in range(args.repeats):
        for impl in impls:
            result = run_worker(pythons[impl], worker_args, args.timeout, worker=WORKER)
            runs[impl].append(result)
            print(
                f"[{rep + 1}/{args.repeats}] {LABELS[impl]}: simulate {result['simulate_s']:.2f} s, "
                f"rate {result['rate_hz']:.2f} Hz",
                file=sys.stderr,
            )
    summary = {impl: medians(runs[impl]) for impl in impls}
    table = format_table(summary, impls, args.markdown)
    if args.markdown:
        print(f"`python benchmarks/aeif.py {shlex.join(argv if argv is not None else sys.argv[1:])}`\n")
        print(f"Machine: {machine_description()}; {runs['nest'][0].get('nest_version')}\n")
    print(table)


if __name__ == "__main__":
    main()
