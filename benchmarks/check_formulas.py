"""Check that the DuckDB and pandas workloads compute supportkpi's formulas on awkward data too.

The generated benchmark data is clean, so ``run.py``'s agreement check cannot see whether the
other implementations handle what the catalog's exclusions are about. This script takes 30,000
generated contacts, spoils a share of them (repeated ticket ids with other values, negative
durations, durations given in seconds instead of timestamps, rows without created_at, a missing
vendor, off-scale survey answers, negative or missing waits, missing handle-time parts,
``abandoned`` or ``answered_at`` missing), writes them as CSV and Parquet, and compares every
figure of the DuckDB and pandas workloads with ``supportkpi compute --by vendor --period month``::

    python benchmarks/check_formulas.py [--bench-python PATH]

Exit status 1 on any difference.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys

import numpy as np
import polars as pl
from generate_contacts import generate, to_text
from run import DATA, WORKLOADS_DIR, compare, supportkpi_command


def spoiled(rows: int = 30_000) -> pl.DataFrame:
    df = generate(rows)
    rng = np.random.default_rng(1)

    def some(share: float) -> pl.Series:
        return pl.Series(rng.random(df.height) < share)

    hour = pl.duration(hours=1)
    df = df.with_columns(
        first_response_seconds=pl.when(some(0.05)).then(pl.lit(1234.0)).otherwise(None),
        resolution_seconds=pl.when(some(0.05))
        .then(pl.lit(-50.0))
        .when(some(0.05))
        .then(pl.lit(90000.5))
        .otherwise(None),
    )
    df = df.with_columns(
        first_response_at=pl.when(some(0.03))
        .then(pl.col("created_at") - hour)
        .when(some(0.03))
        .then(None)
        .otherwise("first_response_at"),
        resolved_at=pl.when(some(0.03))
        .then(pl.col("created_at") - hour)
        .when(some(0.03))
        .then(None)
        .otherwise("resolved_at"),
        vendor=pl.when(some(0.02)).then(None).otherwise("vendor"),
        csat=pl.when(some(0.02)).then(pl.lit(7.0)).when(some(0.01)).then(pl.lit(0.0)).otherwise("csat"),
        nps=pl.when(some(0.02)).then(pl.lit(5.5)).when(some(0.01)).then(pl.lit(11.0)).otherwise("nps"),
        ces=pl.when(some(0.02)).then(pl.lit(9.0)).otherwise("ces"),
        qa_score=pl.when(some(0.02)).then(pl.lit(120.0)).otherwise("qa_score"),
        wait_seconds=pl.when(some(0.02)).then(pl.lit(-3.0)).when(some(0.02)).then(None).otherwise("wait_seconds"),
        talk_seconds=pl.when(some(0.02)).then(pl.lit(-3.0)).when(some(0.01)).then(None).otherwise("talk_seconds"),
        hold_seconds=pl.when(some(0.01)).then(None).otherwise("hold_seconds"),
        abandoned=pl.when(some(0.02)).then(None).otherwise("abandoned"),
        answered_at=pl.when(some(0.02)).then(None).otherwise("answered_at"),
        escalated=pl.when(some(0.02)).then(None).otherwise("escalated"),
        transfers=pl.when(some(0.02)).then(None).otherwise("transfers"),
        reopens=pl.when(some(0.02)).then(None).otherwise("reopens"),
        agent_replies=pl.when(some(0.02)).then(None).otherwise("agent_replies"),
        converted=pl.when(some(0.3)).then(pl.lit(True)).otherwise("converted"),
        created_at=pl.when(some(0.01)).then(None).otherwise("created_at"),
    )
    # repeated ids at the end, with other values: the first row must be the one kept
    repeats = df.sample(500, seed=3).with_columns(csat=pl.lit(1.0), wait_seconds=pl.lit(3.0))
    return pl.concat([df, repeats])


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bench-python", default=os.environ.get("BENCH_PYTHON", sys.executable))
    args = p.parse_args()
    out = DATA / "formulas"
    out.mkdir(parents=True, exist_ok=True)
    df = spoiled()
    files = {"csv": out / "spoiled.csv", "parquet": out / "spoiled.parquet"}
    to_text(df).write_csv(files["csv"], float_precision=2)
    df.write_parquet(files["parquet"])
    failed = False
    for fmt, path in files.items():
        reference = out / f"supportkpi_{fmt}.json"
        subprocess.run(
            [*supportkpi_command(), "compute", str(path), "--by", "vendor", "--period", "month",
             "-f", "json", "-q", "-o", str(reference)], check=True, cwd=out,
        )  # fmt: skip
        for name in ("duckdb", "pandas"):
            result = out / f"{name}_{fmt}.json"
            script = WORKLOADS_DIR / f"{name}_kpis.py"
            subprocess.run([args.bench_python, str(script), str(path), str(result)], check=True)
            compared, largest, problems = compare(reference, result)
            failed |= bool(problems)
            verdict = "results agree" if not problems else f"{len(problems)} DIFFERENCES"
            print(f"{name}, {fmt}: {verdict} ({compared:,} figures; largest difference {largest:.1e})")
            for problem in problems[:25]:
                print(f"  {problem}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
