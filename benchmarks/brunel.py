"""Benchmark the seed-002 Brunel network on nestling against real NEST 3.10.

Every run is a fresh interpreter executing ``benchmarks/brunel_worker.py``,
which uses only the public NEST 3 API and reports its timings as JSON.  Runs
alternate between the two simulators (nestling, NEST, nestling, NEST, ...)
so that slow drifts of the machine (thermal throttling, other load) affect
both alike.  The medians of all repeats and the nestling/NEST ratios are
printed as a table, or with ``--markdown`` as a Markdown table headed by the
command line and the machine, ready to paste into BENCHMARKS.md.

nestling runs in this interpreter's environment (``sys.executable``), NEST
3.10 in ``.ref-nest`` at the repository root; if that virtual environment is
missing it is created with ``python -m venv .ref-nest`` and
``pip install nest-simulator==3.10.0``.

Examples
--------
``python benchmarks/brunel.py``
    NE = 5000, 1000 ms, 2 threads, 3 repeats of each simulator.
``python benchmarks/brunel.py --ne 1000 --simtime 200 --repeats 5 --markdown``
    A smaller network, Markdown output.
``python benchmarks/brunel.py --only nest``
    Time real NEST alone (e.g. while nestling's core is unfinished).
"""

import argparse
import json
import os
import platform
import shlex
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKER = HERE / "brunel_worker.py"
REF_VENV = ROOT / ".ref-nest"
NEST_PIN = "nest-simulator==3.10.0"

IMPLEMENTATIONS = ("nestling", "nest")
LABELS = {"nestling": "nestling", "nest": "NEST 3.10"}
# (key in the worker's JSON, column title, format)
METRICS = [
    ("create_connect_s", "create+connect (s)", "{:.2f}"),
    ("prepare_s", "prepare (s)", "{:.2f}"),
    ("build_s", "build (s)", "{:.2f}"),
    ("simulate_s", "simulate (s)", "{:.2f}"),
    ("total_s", "total (s)", "{:.2f}"),
    ("import_s", "import (s)", "{:.2f}"),
    ("setup_s", "setup (s)", "{:.2f}"),
    ("peak_rss_mib", "peak RSS (MiB)", "{:.0f}"),
    ("rate_hz", "rate (Hz)", "{:.2f}"),
]


def ensure_reference_venv(python):
    """Return the NEST interpreter, creating ``.ref-nest`` first if it is absent.

    Parameters
    ----------
    python : pathlib.Path
        Interpreter expected to have NEST 3.10 installed.

    Returns
    -------
    pathlib.Path
        The same interpreter, now present.
    """
    if python.exists():
        return python
    if python != REF_VENV / "bin" / "python":
        sys.exit(f"NEST interpreter {python} does not exist")
    print(f"{REF_VENV} is missing: creating it and installing {NEST_PIN} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(REF_VENV)], check=True)
    subprocess.run([str(REF_VENV / "bin" / "pip"), "install", NEST_PIN], check=True)
    return python


def run_worker(python, worker_args, timeout):
    """Run the worker once in a fresh interpreter and return its JSON result.

    Parameters
    ----------
    python : str or pathlib.Path
        Interpreter to run the worker with.
    worker_args : list of str
        Command-line arguments for the worker.
    timeout : float
        Seconds after which the run is abandoned.

    Returns
    -------
    dict
        The worker's measurements, plus ``wall_s`` as seen from outside.
    """
    env = dict(os.environ)
    # Keep the worker from picking up a display or a GUI backend.
    env.setdefault("MPLBACKEND", "Agg")
    started = time.perf_counter()
    proc = subprocess.run(
        [str(python), str(WORKER), *worker_args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        cwd=ROOT,
    )
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"worker failed under {python} (exit {proc.returncode}):\n{proc.stderr[-4000:]}")
    # NEST prints a banner on stdout; the result is the last JSON line.
    for line in reversed(proc.stdout.splitlines()):
        if line.startswith("{"):
            result = json.loads(line)
            result["wall_s"] = wall
            return result
    raise RuntimeError(f"no JSON result from the worker under {python}:\n{proc.stdout[-2000:]}")


def medians(runs):
    """Median of every numeric metric over a list of worker results."""
    keys = [key for key, _, _ in METRICS] + ["wall_s"]
    return {key: statistics.median(run[key] for run in runs) for key in keys}


def format_table(summary, implementations, markdown):
    """Render the medians (and ratios when both simulators ran) as text."""
    header = ["simulator"] + [title for _, title, _ in METRICS]
    rows = []
    for impl in implementations:
        rows.append([LABELS[impl]] + [fmt.format(summary[impl][key]) for key, _, fmt in METRICS])
    if len(implementations) == 2:
        ratio = ["nestling / NEST"]
        for key, _, _ in METRICS:
            ref = summary["nest"][key]
            ratio.append(f"{summary['nestling'][key] / ref:.2f}" if ref else "n/a")
        rows.append(ratio)
    if markdown:
        lines = ["| " + " | ".join(header) + " |", "|" + "|".join(["---"] + ["---:"] * len(METRICS)) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    out = ["  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(header))]
    for row in rows:
        out.append("  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)))
    return "\n".join(out)


def machine_description():
    """One line naming the CPU, core count and Python version."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            for line in handle:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} logical CPUs, {platform.system()} {platform.release()}, Python {platform.python_version()}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ne", type=int, default=5000, help="number of excitatory neurons (default 5000)")
    parser.add_argument("--ce", type=int, default=1000, help="excitatory in-degree (default 1000)")
    parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
    parser.add_argument("--threads", type=int, default=2, help="local_num_threads (default 2, as in seed 002)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of each simulator (default 3)")
    parser.add_argument("--only", choices=IMPLEMENTATIONS, help="time only one simulator")
    parser.add_argument(
        "--nestling-python", default=sys.executable, help="interpreter with nestling (default: this one)"
    )
    parser.add_argument(
        "--nest-python",
        default=str(REF_VENV / "bin" / "python"),
        help="interpreter with NEST 3.10 (default: .ref-nest)",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed per run (default 3600)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table with the command line")
    parser.add_argument("--save", metavar="PATH", help="also write every run's measurements to this JSON file")
    args = parser.parse_args(argv)

    implementations = [args.only] if args.only else list(IMPLEMENTATIONS)
    pythons = {"nestling": args.nestling_python, "nest": args.nest_python}
    if "nest" in implementations:
        pythons["nest"] = str(ensure_reference_venv(Path(args.nest_python)))

    runs = {impl: [] for impl in implementations}
    for repeat in range(args.repeats):
        # Same seed for both simulators within a round, a new one per round.
        worker_args = ["--ne", str(args.ne), "--ce", str(args.ce), "--simtime", str(args.simtime)]
        worker_args += ["--threads", str(args.threads), "--seed", str(repeat + 1)]
        for impl in implementations:
            result = run_worker(pythons[impl], worker_args, args.timeout)
            runs[impl].append(result)
            print(
                f"[{repeat + 1}/{args.repeats}] {LABELS[impl]:<9} build {result['build_s']:.2f} s, "
                f"simulate {result['simulate_s']:.2f} s, rate {result['rate_hz']:.2f} Hz, "
                f"peak RSS {result['peak_rss_mib']:.0f} MiB",
                file=sys.stderr,
                flush=True,
            )

    summary = {impl: medians(runs[impl]) for impl in implementations}
    if args.save:
        Path(args.save).write_text(json.dumps({"argv": sys.argv, "runs": runs, "medians": summary}, indent=2))

    command = "python " + " ".join(shlex.quote(a) for a in [os.path.relpath(__file__, ROOT), *sys.argv[1:]])
    setup = (
        f"NE = {args.ne}, CE = {args.ce}, {args.simtime:g} ms simulated, {args.threads} thread(s), "
        f"median of {args.repeats} run(s) each, alternating, fresh process per run"
    )
    table = format_table(summary, implementations, args.markdown)
    if args.markdown:
        print(f"`{command}`\n\n{setup}; {machine_description()}.\n\n{table}")
    else:
        print(f"{setup}\n{machine_description()}\n\n{table}")


if __name__ == "__main__":
    main()
