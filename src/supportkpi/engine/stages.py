"""The pass's aggregations split in three stages, so that each distinct piece is computed once.

The KPIs' aggregations repeat themselves: every rate counts its denominator twice (for its n
and inside its value), a dozen KPIs count the same "abandoned" rows, and their row masks share
most of their terms (the rows every KPI considers, the abandoned calls). Inside one
``group_by().agg()`` polars evaluates each aggregation on its own, so the pass computed 184
aggregations of about 1,800 row operations for 130 distinct ones. Split apart:

* **rows**: the distinct per-row expressions the aggregations read, as columns added before the
  ``group_by`` (where polars also finds their common terms);
* **aggregations**: the distinct aggregations (counts and sums of whole numbers, minimums and
  maximums of those columns, ``len``, null counts), one column each;
* **figures**: each output column from the aggregated ones, evaluated on the small table of
  groups (a rate's ``when(n > 0).then(...)`` division).

The arithmetic is the same, on the same values, so every figure is identical. Only aggregations
whose result cannot depend on the order of the additions are split: a mean, or a sum of
fractional numbers, is rounded differently when polars adds a group's values in another order,
and that order follows how it evaluates the expression (a mean of 133 durations differed in its
16th digit). Those, and expressions of other shapes (a sample's list of values, a window), stay
whole in the ``group_by``, as before.

    >>> import polars as pl
    >>> frame = pl.LazyFrame({"g": ["a", "a", "b"], "x": [1, None, 3]})
    >>> n = (pl.col("x").is_not_null()).sum()
    >>> wanted = [n.alias("n"), pl.when(n > 0).then(pl.col("x").sum() / n).alias("mean")]
    >>> staged = split(wanted, frame.collect_schema())
    >>> len(staged.aggregations)  # the count of non-null x once, and the sum of x
    2
    >>> staged.apply(frame, ["g"]).sort("g").collect().rows()
    [('a', 1, 1.0), ('b', 1, 3.0)]
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import polars as pl

_ROW, _AGG, _LITERAL, _OTHER = "row", "agg", "literal", "other"
_ROW_PREFIX, _AGG_PREFIX = "_stage_row_", "_stage_agg_"
_ELEMENTWISE = frozenset(
    json.dumps(f)
    for f in (
        "FillNull",
        "Abs",
        "Sqrt",
        "Coalesce",
        "MinHorizontal",
        "MaxHorizontal",
        {"Boolean": "IsNotNull"},
        {"Boolean": "IsNull"},
        {"Boolean": "Not"},
        {"Boolean": "AnyHorizontal"},
        {"Boolean": "AllHorizontal"},
    )
)
"""Functions of the serialised expressions that work row by row (the others stay whole)."""
_ELEMENTWISE_KINDS = ("Round", "SumHorizontal", "TemporalExpr")
_ELEMENTWISE_BOOLEAN = ("IsIn",)
_AGGREGATIONS = ("Sum", "Min", "Max")


@dataclass
class Stages:
    """The three stages of :func:`split`, and the output columns in the order asked for."""

    rows: dict[str, str] = field(default_factory=dict)
    """Serialised per-row expression -> its column."""
    aggregations: dict[str, str] = field(default_factory=dict)
    """Serialised aggregation -> its column."""
    figures: list[pl.Expr] = field(default_factory=list)
    kept: list[pl.Expr] = field(default_factory=list)
    """Aggregations of other shapes, computed as they are."""
    kept_at: list[int] = field(default_factory=list)
    """Their positions among the aggregations given to :func:`split`."""

    def apply(self, frame: pl.LazyFrame, keys: Sequence[str]) -> pl.LazyFrame:
        """``frame.group_by(keys).agg(...)`` of the expressions given to :func:`split`."""
        rows = [_expression(text).alias(name) for text, name in self.rows.items()]
        aggregated = [_expression(text).alias(name) for text, name in self.aggregations.items()]
        grouped = (frame.with_columns(rows) if rows else frame).group_by(*keys).agg(*aggregated, *self.kept)
        return grouped.select(*keys, *self.figures)


def split(aggregations: Sequence[pl.Expr], schema: pl.Schema) -> Stages:
    """The ``aggregations`` (each with its output name) over a frame of ``schema`` in
    :class:`Stages`. The split of the same expressions over the same columns is kept: working
    it out took a third of a small run's pass (the example's: 0.07 s of 0.22 s), and a run
    repeats it (a scorecard's runs with overrides, a comparison's sides, the periods of a
    forecast, the examples of a property test)."""
    texts = tuple(expr.meta.serialize(format="json") for expr in aggregations)
    split_once = _split(texts, tuple(schema.items()))
    # the expressions kept whole are this call's own (a batch function in one is this run's)
    return replace(split_once, kept=[aggregations[i] for i in split_once.kept_at])


@functools.lru_cache(maxsize=32)
def _split(texts: tuple[str, ...], columns: tuple[tuple[str, pl.DataType], ...]) -> Stages:
    stages = Stages()
    empty = pl.LazyFrame(schema=dict(columns))
    for position, text in enumerate(texts):
        node = _unaliased(json.loads(text))
        name = _expression(text).meta.output_name()
        if _kind(node, empty) == _AGG:
            stages.figures.append(_expression(json.dumps(_figure(node, stages))).alias(name))
        else:
            stages.kept_at.append(position)
            stages.figures.append(pl.col(name))
    return stages


def _expression(text: str) -> pl.Expr:
    return pl.Expr.deserialize(io.StringIO(text), format="json")


def _unaliased(node: Any) -> Any:
    while isinstance(node, dict) and "Alias" in node:
        node = node["Alias"][0]
    return node


def _aggregated(node: dict[str, Any]) -> tuple[str, Any] | None:
    """The aggregation of an ``Agg`` node this module splits, and its input."""
    (how, body), *rest = node["Agg"].items()
    if rest or how not in _AGGREGATIONS:
        return None
    return how, body["input"] if isinstance(body, dict) and "input" in body else body


def _is_elementwise(function: Any) -> bool:
    if json.dumps(function) in _ELEMENTWISE:
        return True
    if isinstance(function, dict) and len(function) == 1:
        (kind, detail), *_ = function.items()
        if kind in _ELEMENTWISE_KINDS:
            return True
        return kind == "Boolean" and isinstance(detail, dict) and next(iter(detail)) in _ELEMENTWISE_BOOLEAN
    return False


def _kind(node: Any, frame: pl.LazyFrame) -> str:
    """Whether ``node`` is per row, an aggregation (of per-row values) or of aggregations, a
    scalar literal, or of another shape."""
    if node == "Len":
        return _AGG
    if not isinstance(node, dict) or len(node) != 1:
        return _OTHER
    (tag, body), *_ = node.items()
    if tag == "Column":
        return _ROW
    if tag == "Literal":
        return _LITERAL if isinstance(body, dict) and next(iter(body)) in ("Scalar", "Dyn") else _OTHER
    if tag == "Alias":
        return _kind(body[0], frame)
    if tag == "Cast":
        return _kind(body["expr"], frame)
    if tag == "BinaryExpr":
        return _combined([body["left"], body["right"]], frame)
    if tag == "Ternary":
        return _combined([body["predicate"], body["truthy"], body["falsy"]], frame)
    if tag == "Function":
        if body["function"] == "NullCount":
            return _AGG if _kind(body["input"][0], frame) == _ROW else _OTHER
        return _combined(body["input"], frame) if _is_elementwise(body["function"]) else _OTHER
    if tag == "Agg":
        aggregated = _aggregated(node)
        if aggregated is None or not _aggregates_rows(aggregated[1], frame):
            return _OTHER
        how, values = aggregated
        return _AGG if how != "Sum" or _whole_numbers(values, frame) else _OTHER
    return _OTHER


def _aggregates_rows(node: Any, frame: pl.LazyFrame) -> bool:
    """An aggregation's input: per-row values, or per-row values filtered by a per-row mask."""
    if isinstance(node, dict) and "Filter" in node:
        return _kind(node["Filter"]["input"], frame) == _ROW and _kind(node["Filter"]["by"], frame) == _ROW
    return _kind(node, frame) == _ROW


def _whole_numbers(node: Any, frame: pl.LazyFrame) -> bool:
    """Whether per-row values are booleans or integers, whose sum is the same in any order."""
    if isinstance(node, dict) and "Filter" in node:
        node = node["Filter"]["input"]
    dtype = frame.select(_expression(json.dumps(node)).alias("_")).collect_schema()["_"]
    return dtype == pl.Boolean or dtype.is_integer()


def _combined(children: list[Any], frame: pl.LazyFrame) -> str:
    kinds = {_kind(c, frame) for c in children} - {_LITERAL}
    if not kinds:
        return _LITERAL
    return kinds.pop() if len(kinds) == 1 and kinds <= {_ROW, _AGG} else _OTHER


def _figure(node: Any, stages: Stages) -> Any:
    """``node`` (of aggregations) with each aggregation read from its column."""
    if node == "Len" or (isinstance(node, dict) and ("Agg" in node or "Function" in node) and _is_aggregation(node)):
        return {"Column": _aggregation_column(node, stages)}
    if isinstance(node, dict):
        return {key: _figure(value, stages) for key, value in node.items()}
    if isinstance(node, list):
        return [_figure(value, stages) for value in node]
    return node


def _is_aggregation(node: dict[str, Any]) -> bool:
    return "Agg" in node or node["Function"]["function"] == "NullCount"


def _aggregation_column(node: Any, stages: Stages) -> str:
    """The column of one aggregation, its per-row input read from a column of its own."""
    if isinstance(node, dict) and "Agg" in node:
        (how, body), *_ = node["Agg"].items()
        if isinstance(body, dict) and "input" in body:
            node = {"Agg": {how: {**body, "input": _row_input(body["input"], stages)}}}
        else:
            node = {"Agg": {how: _row_input(body, stages)}}
    elif isinstance(node, dict):
        function = node["Function"]
        node = {"Function": {**function, "input": [_row_column(function["input"][0], stages)]}}
    text = json.dumps(node, sort_keys=True)
    return stages.aggregations.setdefault(text, f"{_AGG_PREFIX}{len(stages.aggregations)}")


def _row_input(node: Any, stages: Stages) -> Any:
    if isinstance(node, dict) and "Filter" in node:
        body = node["Filter"]
        return {"Filter": {"input": _row_column(body["input"], stages), "by": _row_column(body["by"], stages)}}
    return _row_column(node, stages)


def _row_column(node: Any, stages: Stages) -> Any:
    """A per-row expression as a column reference: a column as it is, any other expression
    as a column added once before the ``group_by``."""
    if isinstance(node, dict) and "Column" in node:
        return node
    text = json.dumps(node, sort_keys=True)
    return {"Column": stages.rows.setdefault(text, f"{_ROW_PREFIX}{len(stages.rows)}")}
