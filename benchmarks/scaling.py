"""How nestling's cost grows with the size of the seed-002 Brunel network.

Runs ``brunel_worker.py`` (one fresh process per size, in-degrees fixed at CE = 1000,
CI = 250, so synapses grow linearly with NE) for each NE given, optionally NEST 3.10
beside it, and writes a plot of simulate time, build time and peak memory against the
number of synapses, plus a Markdown table.

Examples
--------
``python benchmarks/scaling.py``  (NE = 1250 ... 20000, 1 s, nestling only)
``python benchmarks/scaling.py --ne 1250 2500 5000 --with-nest``
``python benchmarks/scaling.py --ne 160000 --simtime 100``  (a size near the memory limit)
"""

from __future__ import annotations

import argparse
import json
import pathlib
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).parent))
from brunel import NESTLING_VENV, REF_VENV, ensure_nestling_venv, run_worker  # noqa: E402

RESULTS = pathlib.Path(__file__).parent / "results"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--ne", type=int, nargs="+", default=[1250, 2500, 5000, 10000, 20000])
    ap.add_argument("--simtime", type=float, default=1000.0)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--with-nest", action="store_true", help="also run NEST 3.10 (.ref-nest) at each size")
    ap.add_argument("--out", default=str(RESULTS / "scaling.png"))
    ap.add_argument("--json", default=str(RESULTS / "scaling.json"))
    args = ap.parse_args(argv)

    sims = {"nestling": str(ensure_nestling_venv(NESTLING_VENV / "bin" / "python"))}
    if args.with_nest:
        sims["NEST 3.10"] = str(REF_VENV / "bin" / "python")
    rows = []
    for ne in args.ne:
        for name, python in sims.items():
            r = run_worker(
                python, ["--ne", str(ne), "--simtime", str(args.simtime), "--threads", str(args.threads)], 7200
            )
            r["simulator"] = name
            rows.append(r)
            print(
                f"{name:9s} NE={ne:7d} synapses={r['connections'] / 1e6:8.1f}M build {r['build_s']:7.2f} s "
                f"simulate {r['simulate_s']:7.2f} s peak {r['peak_rss_mib']:8.0f} MiB rate {r['rate_hz']:.1f} Hz",
                flush=True,
            )
    pathlib.Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    pathlib.Path(args.json).write_text(json.dumps(rows, indent=1))

    fig, axes = plt.subplots(1, 3, figsize=(13, 4))
    for name in sims:
        sel = [r for r in rows if r["simulator"] == name]
        syn = [r["connections"] / 1e6 for r in sel]
        for ax, key in zip(axes, ("simulate_s", "build_s", "peak_rss_mib")):
            ax.plot(syn, [r[key] for r in sel], "o-", label=name)
    for ax, title in zip(axes, ("simulate (s)", "build: create + connect + prepare (s)", "peak RSS (MiB)")):
        ax.set_xlabel("synapses (millions)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
        ax.legend()
    fig.suptitle(f"Brunel network (seed 002), {args.simtime:g} ms, {args.threads} thread(s)")
    fig.tight_layout()
    fig.savefig(args.out, dpi=100)
    print(f"wrote {args.out}")

    print(f"\n`python benchmarks/scaling.py {' '.join(sys.argv[1:])}`\n")
    print("| simulator | NE | synapses (M) | build (s) | simulate (s) | peak RSS (MiB) | rate (Hz) |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['simulator']} | {r['ne']} | {r['connections'] / 1e6:.1f} | {r['build_s']:.2f} | "
            f"{r['simulate_s']:.2f} | {r['peak_rss_mib']:.0f} | {r['rate_hz']:.1f} |"
        )


if __name__ == "__main__":
    main()
