"""Time ``supportkpi compute`` against a bare polars read of the same file.

Run on demand (never in the test suite)::

    pip install -e '.[bench]'
    python benchmarks/bench_compute.py --rows 1000000 [--repeat 3] [--mixed-offsets]

Generates N canonical contacts once into ``benchmarks/data/`` (git-ignored), then runs each
workload ``--repeat`` times as a separate process under ``/usr/bin/time -v`` and prints the median
wall time, the peak RSS and the ratio to the bare read. Each process pays Python start-up and
imports; so does the baseline, so the ratio is fair to both.

Workloads:

* ``polars read_csv``: ``pl.read_csv(path)``, the floor for reading the file at all;
* ``polars scan (strings)``: ``pl.scan_csv(path, infer_schema=False).collect()``;
* ``supportkpi compute``: every KPI, one group; ``--by vendor --period month``; and ticket
  durations in business hours of a Mon-Fri office calendar with German holidays.
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"


def ensure_data(rows: int, mixed: bool) -> Path:
    DATA.mkdir(exist_ok=True)
    path = DATA / f"contacts_{rows}{'_mixed' if mixed else ''}.csv"
    if not path.exists():
        args = [sys.executable, str(HERE / "generate_contacts.py"), str(rows), str(path)]
        if mixed:
            args.append("--mixed-offsets")
        subprocess.run(args, check=True)
    return path


def timed(command: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of one run."""
    run = subprocess.run(["/usr/bin/time", "-v", *command], capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise SystemExit(f"failed: {' '.join(command)}\n{run.stderr[-2000:]}")
    wall = re.search(r"Elapsed \(wall clock\) time.*: (?:(\d+):)?(\d+):([\d.]+)", run.stderr)
    hours, minutes, seconds = (float(g) if g else 0.0 for g in wall.groups())
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", run.stderr)
    return hours * 3600 + minutes * 60 + seconds, int(rss.group(1)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mixed-offsets", action="store_true")
    args = parser.parse_args()
    path = ensure_data(args.rows, args.mixed_offsets)
    py = sys.executable
    cli = [py, "-m", "supportkpi", "compute", str(path), "--format", "json", "-o", "/dev/null", "-q"]
    workloads = {
        "polars read_csv": [py, "-c", f"import polars as pl; pl.read_csv({str(path)!r})"],
        "polars scan (strings)": [
            py,
            "-c",
            f"import polars as pl; pl.scan_csv({str(path)!r}, infer_schema=False).collect()",
        ],
        "supportkpi compute": cli,
        "supportkpi compute --by vendor --period month": [*cli, "--by", "vendor", "--period", "month"],
        "supportkpi compute --hours business (Berlin office)": [
            *cli,
            "--hours",
            "business",
            "--config",
            str(HERE / "business_hours.yaml"),
        ],
    }
    results = {}
    for name, command in workloads.items():
        runs = [timed(command) for _ in range(args.repeat)]
        results[name] = (statistics.median(r[0] for r in runs), max(r[1] for r in runs))
    base = results["polars read_csv"][0]
    size = path.stat().st_size / 2**20
    print(f"{args.rows:,} rows, {size:,.0f} MiB CSV, median of {args.repeat} runs")
    print(f"{'workload':48} {'wall s':>8} {'peak MiB':>9} {'x read':>7}")
    for name, (wall, rss) in results.items():
        print(f"{name:48} {wall:8.2f} {rss:9.0f} {wall / base:7.2f}")


if __name__ == "__main__":
    main()
