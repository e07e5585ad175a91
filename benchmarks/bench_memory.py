"""Peak RSS and CPU time of every command that takes ``--memory``, bounded against in memory.

Run on demand (never in the test suite), on a file ``benchmarks/run.py`` generated::

    python benchmarks/run.py --rows 10000000 --repeat 1 --only polars --formats parquet --no-check
    python benchmarks/bench_memory.py benchmarks/data/contacts_10000000.parquet [--repeat 3]

Each run is a separate ``python -m supportkpi`` process under ``/usr/bin/time -v`` (so polars'
budget is set from the arguments, as for a user); the two modes of a command are interleaved,
and the table shows the median CPU time (user + sys: the machine is shared, wall times are
noisy), the median wall time and the largest peak RSS. ``compare`` compares the vendors of the
one file (``--by vendor``).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONFIG = HERE.parent / "examples" / "kpi.yaml"
COMMANDS = {
    "compute": ["compute", "{data}", "--by", "vendor"],
    "check": ["check", "{data}", "-c", "{config}", "--insufficient", "skip", "--missing", "skip"],
    "scorecard": ["scorecard", "{data}", "-c", "{config}"],
    "compare": ["compare", "{data}", "--by", "vendor"],
    "forecast": ["forecast", "{data}", "--by", "vendor"],
}
MODES = ("in-memory", "bounded")


def measure(args: list[str], python: str) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of one run."""
    with tempfile.TemporaryDirectory() as out:
        command = ["/usr/bin/time", "-v", python, "-m", "supportkpi", *args, "-f", "json", "-o", f"{out}/out.json"]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
    report = done.stderr
    user = float(re.search(r"User time \(seconds\): ([\d.]+)", report).group(1))
    system = float(re.search(r"System time \(seconds\): ([\d.]+)", report).group(1))
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", report).group(1)) / 1024
    clock = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", report)
    wall = int(clock.group(1) or 0) * 3600 + int(clock.group(2)) * 60 + float(clock.group(3))
    status = re.search(r"Exit status: (\d+)", report)
    return wall, user + system, rss, int(status.group(1)) if status else -1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", help="a contacts file (Parquet or CSV)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--only", default=",".join(COMMANDS), help="commands, comma-separated")
    parser.add_argument("--python", default=sys.executable)
    options = parser.parse_args()
    print("| command | memory | wall s | CPU s | peak RSS MiB | exit |")
    print("|---|---|---:|---:|---:|---:|")
    for name in options.only.split(","):
        args = [a.format(data=options.data, config=CONFIG) for a in COMMANDS[name]]
        runs: dict[str, list[tuple[float, float, float, int]]] = {m: [] for m in MODES}
        for _ in range(options.repeat):
            for mode in MODES:  # interleaved, so that a busy spell hits both modes
                runs[mode].append(measure([*args, "--memory", mode], options.python))
        for mode in MODES:
            walls, cpus, peaks, codes = zip(*runs[mode], strict=True)
            print(
                f"| {name} | {mode} | {statistics.median(walls):.1f} | {statistics.median(cpus):.1f} "
                f"| {max(peaks):,.0f} | {','.join(map(str, sorted(set(codes))))} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
