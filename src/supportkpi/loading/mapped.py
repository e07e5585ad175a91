"""What a ``--map``/kpi.yaml ``columns`` entry says beyond a header name, once the file's headers
are known: a unit (``first_response_seconds=reply_time_in_minutes:min``) and a timestamp written
in two columns (``created_at=Date+Time``).

Both are read only when the whole text is not a header of the file: a header named ``a:min`` or
``Date+Time`` is that header.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import polars as pl

from supportkpi.errors import UsageError
from supportkpi.loading import durations
from supportkpi.schema import COLUMNS, Kind


@dataclass
class Resolved:
    """A mapping with its units taken out and its joined columns added to the frame."""

    frame: pl.LazyFrame
    names: list[str]
    mapping: dict[str, str]
    units: dict[str, str] = field(default_factory=dict)


def resolve(
    frame: pl.LazyFrame, names: list[str], mapping: Mapping[str, str], units: Mapping[str, str], path: str
) -> Resolved:
    """``mapping`` (canonical -> header text) against the file's ``names``; ``units`` (canonical
    -> unit, e.g. from header synonyms) are checked and kept, a unit in the mapping wins."""
    out = Resolved(frame, list(names), {}, dict(units))
    joined: dict[str, pl.Expr] = {}
    for canonical, text in mapping.items():
        header, unit = durations.split_unit(text, names)
        if unit is not None:
            out.units[canonical] = unit
        parts = [p.strip() for p in header.split("+")]
        if header not in names and len(parts) > 1 and all(p in names for p in parts):
            if canonical in COLUMNS and COLUMNS[canonical].kind is not Kind.DATETIME:
                raise UsageError(f"--map {canonical}={text}: only a timestamp can be joined from several columns")
            # a date and a time of day: the text the timestamp parser reads, "2021-01-31 9:12:58"
            joined[header] = pl.concat_str(
                [pl.col(p).cast(pl.String).str.strip_chars() for p in parts], separator=" ", ignore_nulls=True
            )
            out.names.append(header)
        out.mapping[canonical] = header
    for canonical, unit in out.units.items():
        try:
            durations.check_unit(unit, f"{path}: the unit of {canonical}")
        except ValueError as exc:
            raise UsageError(str(exc)) from None
        if not durations.is_duration(canonical):
            raise UsageError(
                f"{path}: '{canonical}' takes no unit (units are for the *_seconds columns: "
                f"{', '.join(c for c in COLUMNS if durations.is_duration(c))})"
            )
    if joined:
        out.frame = frame.with_columns(expr.alias(name) for name, expr in joined.items())
    return out
