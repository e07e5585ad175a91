"""The KPI pass's aggregations split in stages (engine/stages.py) give the figures of the plain
``group_by().agg()``, bit for bit, and leave whole what they cannot split exactly."""

from __future__ import annotations

import polars as pl
from hypothesis import given, settings
from hypothesis import strategies as st

from supportkpi.engine import stages
from supportkpi.metrics._base import count, mean_of, rate

rows_strategy = st.lists(
    st.tuples(
        st.sampled_from(["a", "b", None]),
        st.one_of(st.none(), st.booleans()),
        st.one_of(st.none(), st.integers(-5, 5)),
        st.one_of(st.none(), st.floats(-1e6, 1e6, allow_nan=False)),
    ),
    max_size=50,
)
SCHEMA = {"g": pl.String, "flag": pl.Boolean, "k": pl.Int64, "x": pl.Float64}


def aggregations() -> list[pl.Expr]:
    answered = pl.col("x").is_not_null() & ~pl.col("flag").fill_null(False)
    value, n = rate(pl.col("k") > 0, answered)
    mean, _, sample = mean_of(pl.col("x"), answered)
    return [
        value.alias("rate"),
        n.alias("n"),
        count(answered & (pl.col("k") < 0)).alias("negative"),
        (pl.len() - pl.col("x").null_count()).alias("with x"),
        pl.col("k").sum().alias("sum k"),
        pl.col("k").max().alias("max k"),
        pl.max_horizontal(pl.col("x").max(), pl.col("k").max().cast(pl.Float64)).alias("largest"),
        mean.alias("mean"),
        pl.col("x").sum().alias("sum x"),
        sample.implode().alias("sample"),
    ]


@settings(max_examples=40, deadline=None)
@given(rows_strategy)
def test_staged_figures_equal_the_plain_aggregation(rows):
    frame = pl.LazyFrame(rows, schema=SCHEMA, orient="row")
    plain = frame.group_by("g").agg(aggregations()).sort("g", nulls_last=True).collect()
    staged = stages.split(aggregations(), frame.collect_schema()).apply(frame, ["g"])
    assert staged.sort("g", nulls_last=True).collect().equals(plain)


def test_exact_aggregations_are_split_and_computed_once():
    staged = stages.split(aggregations(), pl.Schema(SCHEMA))
    kept = {e.meta.output_name() for e in staged.kept}
    # a mean and a sum of fractions depend on the order of additions; a list is no number
    assert kept == {"mean", "sum x", "sample"}
    # the rate's denominator is counted once for its n and its value
    assert sum('"Sum"' in text for text in staged.aggregations) == 4  # n, numerator, negative, k


def test_a_split_worked_out_once_serves_the_next_run_with_its_own_whole_expressions():
    frame = pl.LazyFrame({"g": ["a", "a", "b"], "x": [1.0, None, 3.0]})
    schema = frame.collect_schema()
    n = pl.col("x").is_not_null().sum()

    def asked():  # a new run builds new expressions: a mean stays whole, the count is split
        return [n.alias("n"), pl.col("x").mean().alias("mean")]

    first, second = asked(), asked()
    one, other = stages.split(first, schema), stages.split(second, schema)
    assert one.aggregations == other.aggregations and len(other.kept) == 1
    assert other.kept[0] is second[1] and one.kept[0] is first[1]
    rows = other.apply(frame, ["g"]).sort("g").collect().rows()
    assert rows == [("a", 1, 1.0), ("b", 1, 3.0)]
