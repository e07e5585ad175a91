"""dedupe.keep_latest: of the rows of one id, the one with the latest update time is kept, the
others are flagged as replaced; checked against a plain-Python reading of the same rows."""

from __future__ import annotations

from datetime import datetime, timedelta

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from supportkpi import dedupe
from supportkpi.schema import left_out_flag

FLAG = left_out_flag(dedupe.replaced("updated"))
START = datetime(2024, 1, 1)

rows = st.lists(
    st.tuples(st.sampled_from(["a", "b", "c", None]), st.one_of(st.none(), st.integers(0, 5))),
    min_size=1,
    max_size=30,
)


def _expected(data: list[tuple[str | None, int | None]]) -> list[bool]:
    """Replaced: an id with update times, and not the first row among its latest."""
    kept: dict[str, int] = {}
    for index, (key, hour) in enumerate(data):
        if key is None or hour is None:
            continue
        best = kept.get(key)
        if best is None or hour > data[best][1]:  # type: ignore[operator]
            kept[key] = index
    return [key is not None and key in kept and kept[key] != index for index, (key, _) in enumerate(data)]


@given(rows)
def test_keep_latest_matches_a_plain_reading(data):
    frame = pl.LazyFrame(
        {
            "_source": [0] * len(data),
            "_row": list(range(1, len(data) + 1)),
            "ticket_id": [key for key, _ in data],
            dedupe.UPDATED: [None if hour is None else START + timedelta(hours=hour) for _, hour in data],
        },
        schema_overrides={dedupe.UPDATED: pl.Datetime("us", "UTC")},
    )
    flagged = dedupe.keep_latest(frame, "updated").collect()
    assert dedupe.UPDATED not in flagged.columns
    assert flagged[FLAG].to_list() == _expected(data)


def test_ids_are_compared_within_their_source_only():
    frame = pl.LazyFrame(
        {
            "_source": [0, 1],
            "_row": [1, 1],
            "ticket_id": ["a", "a"],
            dedupe.UPDATED: [START, START + timedelta(hours=1)],
        }
    )
    assert dedupe.keep_latest(frame, "updated").collect()[FLAG].to_list() == [False, False]
