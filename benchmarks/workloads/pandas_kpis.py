"""Every KPI per vendor and month in pandas, written as a careful pandas user would: columns read
with pyarrow (``engine="pyarrow"``, pyarrow-backed dtypes, only the columns the KPIs use),
vectorised row flags, one ``groupby(...).agg(...)`` for every count, mean and median, and a
vectorised nearest-rank p90 (sort once per duration, pick the rank). No loops over rows.

    python benchmarks/workloads/pandas_kpis.py FILE OUT.json

The formulas are supportkpi's (see ``duckdb_kpis.sql`` for the rules, which are the same):
repeated ticket_ids left out (the first kept), abandoned/answered/offered as the metrics define
them, timestamps winning over given seconds, negative durations left out, median = mean of the two
middle values, p90 = the ceil(0.9 n)-th smallest, backlog as a stock across months per vendor.
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd
import pyarrow as pa
from _common import COLUMNS, DURATIONS, USED, write_results

ARROW = {
    "string": pd.ArrowDtype(pa.string()),
    "datetime": pd.ArrowDtype(pa.timestamp("us", tz="UTC")),
    "float": pd.ArrowDtype(pa.float64()),
    "int": pd.ArrowDtype(pa.int64()),
    "bool": pd.ArrowDtype(pa.bool_()),
}
KEYS = ["vendor", "month"]
MEDIAN_HEADLINE = {"first_response_time", "resolution_time"}


def read(path: str) -> pd.DataFrame:
    if path.endswith(".parquet"):
        return pd.read_parquet(path, columns=USED, dtype_backend="pyarrow")
    dtypes = {c: ARROW[COLUMNS[c]] for c in USED}
    return pd.read_csv(path, engine="pyarrow", usecols=USED, dtype=dtypes, dtype_backend="pyarrow")


def flag(s: pd.Series) -> np.ndarray:
    """A boolean condition with null taken as false."""
    return s.to_numpy(dtype=bool, na_value=False)


def known(s: pd.Series) -> np.ndarray:
    return s.notna().to_numpy()


def number(s: pd.Series) -> np.ndarray:
    return s.to_numpy(dtype="float64", na_value=np.nan)


def seconds_between(end: pd.Series, start: pd.Series) -> np.ndarray:
    micros = number(end.astype("int64[pyarrow]")) - number(start.astype("int64[pyarrow]"))
    return micros / 1e6


def month_of(ts: pd.Series) -> np.ndarray:
    """Months since year 0 of a UTC timestamp (null: -1)."""
    months = ts.dt.year * 12 + ts.dt.month - 1
    return months.to_numpy(dtype="int64", na_value=-1)


def main() -> None:
    path, out = sys.argv[1], sys.argv[2]
    df = read(path)
    # a repeated ticket_id is left out of every KPI (the first kept); then rows without
    # created_at, which fall in no period
    first = ~df["ticket_id"].duplicated(keep="first") | df["ticket_id"].isna()
    df = df[first & df["created_at"].notna()]

    created = df["created_at"]
    ab = flag(df["abandoned"]) & ~known(df["answered_at"])  # abandoned in the queue
    answered = known(df["answered_at"]) | flag(df["abandoned"] == False)  # noqa: E712
    offered = answered | ab
    resolved = (known(df["resolved_at"]) | known(df["resolution_seconds"])) & ~ab

    fr = seconds_between(df["first_response_at"], created)
    fr = np.where(np.isnan(fr), number(df["first_response_seconds"]), fr)
    res = seconds_between(df["resolved_at"], created)
    res = np.where(np.isnan(res), number(df["resolution_seconds"]), res)
    # when it was resolved (never before it was created), for the backlog
    given = created + pd.to_timedelta(number(df["resolution_seconds"]), unit="s")
    resolved_when = df["resolved_at"].fillna(given.astype(created.dtype))
    resolved_month = np.maximum(month_of(resolved_when), month_of(created))
    resolved_month = np.where(known(resolved_when), resolved_month, -1)

    talk, hold, acw = (number(df[c]) for c in ("talk_seconds", "hold_seconds", "acw_seconds"))
    wait = number(df["wait_seconds"])
    with np.errstate(invalid="ignore"):
        has_wait = wait >= 0
        neg_wait = wait < 0
        short = ab & has_wait & (wait < 5)
        sl_counted = offered & ~neg_wait & ~short & (has_wait | ab)
        ab_counted = offered & ~neg_wait & ~short
        handle = talk + hold + acw  # NaN unless every part is known
        csat, nps, ces, qa = (number(df[c]) for c in ("csat", "nps", "ces", "qa_score"))
        csat_ok = (csat >= 1) & (csat <= 5)
        nps_ok = (nps >= 0) & (nps <= 10) & (nps == np.round(nps))

        def only(values: np.ndarray, eligible: np.ndarray) -> np.ndarray:
            return np.where(eligible & (values >= 0), values, np.nan)

        durations = {
            "first_response_time": only(fr, ~ab) / 3600,
            "resolution_time": only(res, ~ab) / 3600,
            "aht": only(np.where(np.fmin(np.fmin(talk, hold), acw) < 0, -1, handle), answered),
            "talk_time": only(talk, answered),
            "hold_time": only(hold, answered),
            "acw_time": only(acw, answered),
            "asa": only(wait, answered),
        }
        means = {
            "ces": np.where((ces >= 1) & (ces <= 7), ces, np.nan),
            "qa_score": np.where((qa >= 0) & (qa <= 100), qa, np.nan),
        }
    reopens, replies, transfers = (number(df[c]) for c in ("reopens", "agent_replies", "transfers"))
    with np.errstate(invalid="ignore"):
        rates = {  # KPI: (numerator, denominator)
            "resolution_rate": (resolved, ~ab),
            "reopen_rate": (reopens > 0, resolved & ~np.isnan(reopens)),
            "fcr_rate": (
                (replies <= 1) & (reopens == 0),
                resolved & ~np.isnan(replies) & ~np.isnan(reopens),
            ),
            "escalation_rate": (flag(df["escalated"]), known(df["escalated"])),
            "transfer_rate": (transfers > 0, ~ab & ~np.isnan(transfers)),
            "csat": (csat >= 4, csat_ok),
            "service_level": (answered & has_wait & (wait <= 20), sl_counted),
            "abandonment_rate": (ab, ab_counted),
            "conversion_rate": (flag(df["converted"]), known(df["converted"]) & ~ab),
        }

    frame = {"vendor": df["vendor"], "month": month_of(created)}
    spec: dict[str, tuple[str, str]] = {"ticket_volume__value": ("month", "size")}
    for kpi, (numerator, denominator) in rates.items():
        frame[f"{kpi}:num"] = numerator & denominator
        frame[f"{kpi}:den"] = denominator
        spec[f"{kpi}:num"] = (f"{kpi}:num", "sum")
        spec[f"{kpi}__n"] = (f"{kpi}:den", "sum")
    for kpi, values in {**durations, **means}.items():
        frame[kpi] = values
        spec[f"{kpi}__n"] = (kpi, "count")
        spec[f"{kpi}__mean"] = (kpi, "mean")
        if kpi in durations:
            spec[f"{kpi}__median"] = (kpi, "median")
    frame["nps:prom"] = nps_ok & (nps >= 9)
    frame["nps:det"] = nps_ok & (nps <= 6)
    frame["nps:n"] = nps_ok
    spec.update({"nps:prom": ("nps:prom", "sum"), "nps:det": ("nps:det", "sum"), "nps__n": ("nps:n", "sum")})
    frame["backlog:created"] = ~ab
    spec["backlog:created"] = ("backlog:created", "sum")
    frame = pd.DataFrame(frame, index=df.index)

    grouped = frame.groupby(KEYS, sort=True, dropna=False)
    table = grouped.agg(**spec)
    codes = grouped.ngroup().to_numpy()  # group numbers in the table's (sorted) order
    for kpi in DURATIONS:
        table[f"{kpi}__p90"] = nearest_rank_p90(codes, durations[kpi], len(table))
    table["ticket_volume__n"] = table["ticket_volume__value"]
    for kpi in rates:
        table[f"{kpi}__value"] = percent(table.pop(f"{kpi}:num"), table[f"{kpi}__n"])
    prom, det = table.pop("nps:prom"), table.pop("nps:det")
    table["nps__value"] = percent(prom - det, table["nps__n"])
    table["nps__promoters_pct"] = percent(prom, table["nps__n"])
    table["nps__detractors_pct"] = percent(det, table["nps__n"])
    for kpi in DURATIONS:  # the headline: median of ticket durations, mean of call durations
        table[f"{kpi}__value"] = table[f"{kpi}__median" if kpi in MEDIAN_HEADLINE else f"{kpi}__mean"]
    for kpi in means:
        table[f"{kpi}__value"] = table.pop(f"{kpi}__mean")

    # backlog: per vendor, contacts created up to the month's end minus those resolved by then
    counted = ~ab & (resolved_month >= 0)
    resolutions = (
        pd.DataFrame({"vendor": df["vendor"].array[counted], "month": resolved_month[counted]})
        .groupby(KEYS, dropna=False)
        .size()
        .rename("resolved")
    )
    stock = pd.concat([table["backlog:created"].rename("created"), resolutions], axis=1).fillna(0)
    stock = stock.sort_index().groupby(level="vendor", dropna=False).cumsum()
    table["backlog__value"] = (stock["created"] - stock["resolved"]).astype("int64")
    table["backlog__n"] = stock["created"].astype("int64")
    table = table.drop(columns="backlog:created").reset_index()
    table["period"] = [f"{m // 12:04d}-{m % 12 + 1:02d}" for m in table["month"]]
    write_results(out, table.drop(columns="month").to_dict("records"))


def percent(count: pd.Series, n: pd.Series) -> pd.Series:
    """``100 * count / n``, null for an empty denominator."""
    return (count * 100.0 / n).where(n > 0)


def nearest_rank_p90(codes: np.ndarray, values: np.ndarray, groups: int) -> np.ndarray:
    """Per group: the smallest value with at least 90 % of the group's values at or below it,
    i.e. the ceil(0.9 n)-th smallest (integer arithmetic). NaN marks values left out."""
    ok = ~np.isnan(values)
    pairs = pd.DataFrame({"g": codes[ok], "v": values[ok]}).sort_values(["g", "v"])
    n = np.bincount(pairs["g"].to_numpy(), minlength=groups)
    first = np.concatenate([[0], np.cumsum(n)[:-1]])
    pick = first + (n * 90 + 99) // 100 - 1
    ordered = pairs["v"].to_numpy()
    if not len(ordered):
        return np.full(groups, np.nan)
    return np.where(n > 0, ordered[np.clip(pick, 0, len(ordered) - 1)], np.nan)


if __name__ == "__main__":
    main()
