"""Time ``supportkpi.calendars.business_seconds`` against plain ``end - start``.

Run on demand (never in the test suite)::

    pip install -e '.[bench]'
    python benchmarks/bench_business_hours.py [--rows 1000000] [--repeat 3]

Builds N random (start, end) pairs in memory (starts spread over 2024-2025, durations from
seconds to three weeks, 1 % nulls), then times, in-process, the median of ``--repeat`` runs of:

* ``end - start`` in seconds (the floor);
* ``business_seconds`` on Mon-Fri 08:00-18:00 Europe/Berlin with German holidays and two half
  days;
* ``business_seconds`` on a harder schedule: split days, a Saturday overnight shift, the same
  holidays;
* ``clock_start`` on the office schedule.

The first call of each schedule also builds its (cached) plan; that one-off cost is printed apart.
"""

from __future__ import annotations

import argparse
import statistics
import time
from datetime import date
from datetime import time as clock

import numpy as np
import polars as pl

from supportkpi.calendars import Schedule, Window, business_seconds, clock_start

GERMAN_HOLIDAYS = frozenset(
    date(y, m, d) for y in (2024, 2025, 2026) for m, d in [(1, 1), (5, 1), (10, 3), (12, 25), (12, 26)]
) | frozenset(
    {
        date(2024, 3, 29),
        date(2024, 4, 1),
        date(2024, 5, 9),
        date(2024, 5, 20),
        date(2025, 4, 18),
        date(2025, 4, 21),
        date(2025, 5, 29),
        date(2025, 6, 9),
    }
)
HALF_DAYS = {date(y, 12, d): (Window(clock(8), clock(12)),) for y in (2024, 2025) for d in (24, 31)}
OFFICE = (Window(clock(8), clock(18)),)
SPLIT = (Window(clock(8), clock(12)), Window(clock(13), clock(17)))


def frame(rows: int) -> pl.DataFrame:
    rng = np.random.default_rng(42)
    first = np.datetime64("2024-01-01T00:00:00", "us").astype(np.int64)
    span = 2 * 365 * 86_400_000_000
    start = first + rng.integers(0, span, rows)
    duration = (10 ** rng.uniform(0, 6.3, rows) * 1_000_000).astype(np.int64)  # 1 s .. 23 days
    df = pl.DataFrame({"start": start, "end": start + duration}).with_columns(pl.all().cast(pl.Datetime("us", "UTC")))
    nulls = rng.random(rows) < 0.01
    return df.with_columns(end=pl.when(pl.lit(pl.Series(nulls))).then(None).otherwise("end"))


def timed(df: pl.DataFrame, expr: pl.Expr, repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        df.select(expr)
        runs.append(time.perf_counter() - began)
    return statistics.median(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    df = frame(args.rows)
    office = Schedule("Europe/Berlin", (OFFICE,) * 5 + ((), ()), GERMAN_HOLIDAYS, HALF_DAYS)
    harder = Schedule(
        "Europe/Berlin",
        (SPLIT,) * 5 + ((Window(clock(22), clock(6)),), ()),
        GERMAN_HOLIDAYS,
        HALF_DAYS,
    )
    s, e = pl.col("start"), pl.col("end")

    plans = {}
    for name, schedule in {"office": office, "harder": harder}.items():
        began = time.perf_counter()
        business_seconds(s, e, schedule)
        plans[name] = time.perf_counter() - began

    workloads = {
        "end - start (seconds)": (e - s).dt.total_microseconds() / 1e6,
        "business_seconds, office + holidays": business_seconds(s, e, office),
        "business_seconds, split + night shift": business_seconds(s, e, harder),
        "clock_start, office + holidays": clock_start(s, office),
    }
    results = {name: timed(df, expr, args.repeat) for name, expr in workloads.items()}
    base = results["end - start (seconds)"]
    print(f"{args.rows:,} rows, median of {args.repeat} runs, {pl.thread_pool_size()} threads")
    print(f"{'workload':40} {'wall s':>8} {'x plain':>8}")
    for name, wall in results.items():
        print(f"{name:40} {wall:8.3f} {wall / base:8.1f}")
    print("one-off plan per schedule: " + ", ".join(f"{k} {v:.3f} s" for k, v in plans.items()))


if __name__ == "__main__":
    main()
