"""Benchmark a Brunel network on nestling against real NEST 3.10 and Brian2.

Every run is a fresh interpreter executing a worker that reports its timings as
JSON: ``benchmarks/brunel_worker.py`` for nestling and NEST (it uses only the
public NEST 3 API, so the same file runs on both) and
``benchmarks/brian2_worker.py`` for Brian2 (Cython code generation, runtime mode).
Runs alternate between the selected simulators (nestling, NEST, Brian2, nestling,
NEST, Brian2, ...) so that slow drifts of the machine (thermal throttling, other
load) affect all alike.  The medians of all repeats and the ratios of the first
simulator to each other one (nestling / NEST, nestling / Brian2) are printed as a
table, or with ``--markdown`` as a Markdown table headed by the command line and
the machine, ready to paste into BENCHMARKS.md.

Three networks: ``--network delta`` (default) is seed 002's network (iaf_psc_delta,
NE = 5000, CE = 1000); ``--network alpha`` is the network of NEST's example
``brunel_alpha_nest.py`` (iaf_psc_alpha, NE = 10000, CE = NE / 10);
``--network microcircuit`` is the cortical microcircuit of Potjans & Diesmann
(2014) at ``--scale`` (default 0.1) of its neurons, run by
``benchmarks/microcircuit_worker.py``.  Brian2 runs only the delta network.

Each simulator runs in its own virtual environment at the repository root, holding
only what it needs: nestling in ``.bench-nestling`` (this checkout installed
editable, so its dependencies and nothing else: with SciPy present, Numba imports
it when it loads its first kernel, 0.3 s and 20 MiB that are not nestling's),
NEST 3.10 in ``.ref-nest`` and Brian2 in ``.brian2``. A missing one is created
with ``python -m venv`` and ``pip install`` (``-e .``; ``nest-simulator==3.10.0``;
``brian2==2.9.*`` with ``numpy<2.3``).

Examples
--------
``python benchmarks/brunel.py``
    NE = 5000, 1000 ms, 2 threads, 3 repeats of nestling and NEST.
``python benchmarks/brunel.py --impl nestling,nest,brian2``
    The same with Brian2 as a third simulator.
``python benchmarks/brunel.py --network alpha``
    NEST's brunel_alpha_nest network on nestling and NEST.
``python benchmarks/brunel.py --network microcircuit --threads 1 --repeats 1``
    The Potjans-Diesmann microcircuit at 10 % of its neurons, once on each simulator.
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
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKER = HERE / "brunel_worker.py"
BRIAN2_WORKER = HERE / "brian2_worker.py"
MICROCIRCUIT_WORKER = HERE / "microcircuit_worker.py"
REF_VENV = ROOT / ".ref-nest"
NESTLING_VENV = ROOT / ".bench-nestling"
NEST_PIN = "nest-simulator==3.10.0"
BRIAN2_VENV = ROOT / ".brian2"
# Brian2 2.9 still builds against NumPy < 2.3 only.
BRIAN2_PINS = ("brian2==2.9.*", "numpy<2.3")

IMPLEMENTATIONS = ("nestling", "nest", "brian2")
DEFAULT_IMPLEMENTATIONS = "nestling,nest"
LABELS = {"nestling": "nestling", "nest": "NEST 3.10", "brian2": "Brian2"}
WORKERS = {"nestling": WORKER, "nest": WORKER, "brian2": BRIAN2_WORKER}
NETWORKS = ("delta", "alpha", "microcircuit")
MICROCIRCUIT_POPULATIONS = ("L23E", "L23I", "L4E", "L4I", "L5E", "L5I", "L6E", "L6I")
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


def ensure_venv(python, venv, packages):
    """Return ``python``, first creating ``venv`` with ``packages`` if it is absent.

    Parameters
    ----------
    python : pathlib.Path
        Interpreter expected to have the packages installed.
    venv : pathlib.Path
        The git-ignored virtual environment that is the default home of ``python``.
    packages : sequence of str
        Requirements handed to ``pip install`` when the environment is created.

    Returns
    -------
    pathlib.Path
        The same interpreter, now present.
    """
    if python.exists():
        return python
    if python != venv / "bin" / "python":
        sys.exit(f"interpreter {python} does not exist")
    print(f"{venv} is missing: creating it and installing {' '.join(packages)} ...", file=sys.stderr)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    subprocess.run([str(venv / "bin" / "pip"), "install", *packages], check=True)
    return python


def ensure_reference_venv(python):
    """Return the NEST interpreter, creating ``.ref-nest`` first if it is absent."""
    return ensure_venv(python, REF_VENV, [NEST_PIN])


def ensure_nestling_venv(python):
    """The interpreter of ``.bench-nestling`` (this checkout and its dependencies), made if missing."""
    return ensure_venv(python, NESTLING_VENV, ["-e", str(ROOT)])


def run_worker(python, worker_args, timeout, worker=WORKER):
    """Run a worker once in a fresh interpreter and return its JSON result.

    Parameters
    ----------
    python : str or pathlib.Path
        Interpreter to run the worker with.
    worker_args : list of str
        Command-line arguments for the worker.
    timeout : float
        Seconds after which the run is abandoned.
    worker : pathlib.Path, optional
        The worker script (default ``brunel_worker.py``).

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
        [str(python), str(worker), *worker_args],
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
    """Render the medians, and the first simulator's ratio to each other one, as text."""
    header = ["simulator"] + [title for _, title, _ in METRICS]
    rows = []
    for impl in implementations:
        rows.append([LABELS[impl]] + [fmt.format(summary[impl][key]) for key, _, fmt in METRICS])
    base = implementations[0]
    for other in implementations[1:]:
        ratio = [f"{LABELS[base]} / {LABELS[other].split()[0]}"]
        for key, _, _ in METRICS:
            ref = summary[other][key]
            ratio.append(f"{summary[base][key] / ref:.2f}" if ref else "n/a")
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


def format_population_rates(runs, implementations, markdown):
    """Median rate of every microcircuit population per simulator, as text or Markdown."""
    header = ["rate (Hz)", *MICROCIRCUIT_POPULATIONS]
    rows = [
        [LABELS[impl]]
        + [f"{statistics.median(run['rates_hz'][pop] for run in runs[impl]):.2f}" for pop in MICROCIRCUIT_POPULATIONS]
        for impl in implementations
    ]
    if markdown:
        lines = [
            "| " + " | ".join(header) + " |",
            "|" + "|".join(["---"] + ["---:"] * len(MICROCIRCUIT_POPULATIONS)) + "|",
        ]
        return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in rows])
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(widths[0]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row))
        for row in [header, *rows]
    )


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


def parse_implementations(text):
    """Turn ``"nestling,nest,brian2"`` into a checked list without repeats."""
    chosen = []
    for name in (part.strip() for part in text.split(",")):
        if name not in IMPLEMENTATIONS:
            raise argparse.ArgumentTypeError(f"unknown simulator {name!r} (choose from {', '.join(IMPLEMENTATIONS)})")
        if name not in chosen:
            chosen.append(name)
    return chosen


def versions(runs):
    """The simulator versions the workers reported, e.g. ``"NEST 3.10.0, Brian2 2.9.0"``."""
    found = []
    if runs.get("nest"):
        found.append(f"NEST {runs['nest'][0].get('nest_version')}")
    if runs.get("brian2"):
        run = runs["brian2"][0]
        found.append(f"Brian2 {run.get('brian2_version')} ({run.get('codegen_target')}, 1 thread)")
    return ", ".join(found)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--network",
        choices=NETWORKS,
        default="delta",
        help="delta: seed 002 (iaf_psc_delta); alpha: NEST's brunel_alpha_nest (iaf_psc_alpha); "
        "microcircuit: Potjans & Diesmann 2014 (iaf_psc_exp); default delta",
    )
    parser.add_argument("--ne", type=int, help="number of excitatory neurons (default 5000 for delta, 10000 for alpha)")
    parser.add_argument("--ce", type=int, help="excitatory in-degree (default 1000 for delta, NE / 10 for alpha)")
    parser.add_argument(
        "--scale", type=float, help="microcircuit only: fraction of the full model's neurons (default 0.1)"
    )
    parser.add_argument("--simtime", type=float, default=1000.0, help="simulated time in ms (default 1000)")
    parser.add_argument(
        "--threads", type=int, default=2, help="local_num_threads (default 2, as in seed 002; Brian2 uses 1)"
    )
    parser.add_argument("--repeats", type=int, default=3, help="runs of each simulator (default 3)")
    parser.add_argument(
        "--impl",
        type=parse_implementations,
        default=DEFAULT_IMPLEMENTATIONS,
        help=f"comma-separated simulators from {', '.join(IMPLEMENTATIONS)}, run in this order "
        f"(default {DEFAULT_IMPLEMENTATIONS})",
    )
    parser.add_argument("--only", choices=IMPLEMENTATIONS, help="time only one simulator (same as --impl NAME)")
    parser.add_argument(
        "--nestling-python",
        default=str(NESTLING_VENV / "bin" / "python"),
        help="interpreter with nestling (default: .bench-nestling)",
    )
    parser.add_argument(
        "--nest-python",
        default=str(REF_VENV / "bin" / "python"),
        help="interpreter with NEST 3.10 (default: .ref-nest)",
    )
    parser.add_argument(
        "--brian2-python",
        default=str(BRIAN2_VENV / "bin" / "python"),
        help="interpreter with Brian2 (default: .brian2)",
    )
    parser.add_argument(
        "--brian2-cold",
        action="store_true",
        help="give every Brian2 run an empty Cython cache, so that its C compilation is timed too",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed per run (default 3600)")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table with the command line")
    parser.add_argument("--save", metavar="PATH", help="also write every run's measurements to this JSON file")
    args = parser.parse_args(argv)

    implementations = [args.only] if args.only else args.impl
    if isinstance(implementations, str):  # the default string is not passed through `type`
        implementations = parse_implementations(implementations)
    if "brian2" in implementations and args.network != "delta":
        parser.error(f"Brian2 runs only the delta network; leave brian2 out of --impl for --network {args.network}")
    if args.network == "microcircuit" and (args.ne is not None or args.ce is not None):
        parser.error("--ne and --ce do not apply to --network microcircuit; use --scale")
    if args.network != "microcircuit" and args.scale is not None:
        parser.error("--scale applies only to --network microcircuit")
    workers = dict(WORKERS)
    if args.network == "microcircuit":
        workers["nestling"] = workers["nest"] = MICROCIRCUIT_WORKER
    pythons = {
        "nestling": args.nestling_python,
        "nest": args.nest_python,
        "brian2": args.brian2_python,
    }
    if "nestling" in implementations:
        pythons["nestling"] = str(ensure_nestling_venv(Path(args.nestling_python)))
    if "nest" in implementations:
        pythons["nest"] = str(ensure_reference_venv(Path(args.nest_python)))
    if "brian2" in implementations:
        pythons["brian2"] = str(ensure_venv(Path(args.brian2_python), BRIAN2_VENV, BRIAN2_PINS))

    runs = {impl: [] for impl in implementations}
    for repeat in range(args.repeats):
        # Same seed for all simulators within a round, a new one per round.
        if args.network == "microcircuit":
            worker_args = ["--simtime", str(args.simtime)]
            if args.scale is not None:
                worker_args += ["--scale", str(args.scale)]
        else:
            worker_args = ["--network", args.network, "--simtime", str(args.simtime)]
        if args.ne is not None:
            worker_args += ["--ne", str(args.ne)]
        if args.ce is not None:
            worker_args += ["--ce", str(args.ce)]
        worker_args += ["--threads", str(args.threads), "--seed", str(repeat + 1)]
        for impl in implementations:
            if impl == "brian2" and args.brian2_cold:
                with tempfile.TemporaryDirectory(prefix="brian2-cache-") as cache:
                    result = run_worker(
                        pythons[impl], [*worker_args, "--cache-dir", cache], args.timeout, workers[impl]
                    )
            else:
                result = run_worker(pythons[impl], worker_args, args.timeout, workers[impl])
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

    first = runs[implementations[0]][0]
    command = "python " + " ".join(shlex.quote(a) for a in [os.path.relpath(__file__, ROOT), *sys.argv[1:]])
    if args.network == "microcircuit":
        size = (
            f"microcircuit network (Potjans & Diesmann 2014, iaf_psc_exp), scale {first['scale']:g}, "
            f"{first['neurons']} neurons, {first['synapses']} synapses"
        )
    else:
        network = "seed 002, iaf_psc_delta" if args.network == "delta" else "brunel_alpha_nest, iaf_psc_alpha"
        size = f"{args.network} network ({network}), NE = {first['ne']}, CE = {first['ce']}"
    setup = (
        f"{size}, {args.simtime:g} ms simulated, "
        f"{args.threads} thread(s), median of {args.repeats} run(s) each, alternating, fresh process per run"
    )
    if "brian2" in implementations:
        cache = "empty Cython cache per run" if args.brian2_cold else "Cython cache kept between runs"
        setup += f"; Brian2: {cache}"
    found = versions(runs)
    if found:
        setup += f"; {found}"
    table = format_table(summary, implementations, args.markdown)
    if args.network == "microcircuit":
        table += "\n\n" + format_population_rates(runs, implementations, args.markdown)
    if args.markdown:
        print(f"`{command}`\n\n{setup}; {machine_description()}.\n\n{table}")
    else:
        print(f"{setup}\n{machine_description()}\n\n{table}")


if __name__ == "__main__":
    main()
