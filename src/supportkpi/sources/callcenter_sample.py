"""The widely shared call-center sample layout (one row per call):

``Call Id, Agent, Date, Time, Topic, Answered (Y/N), Resolved, Speed of answer in seconds,
AvgTalkDuration, Satisfaction rating``

Both public spellings are read: the original PwC dataset and its copies re-saved by Excel,
pandas or a US-locale tool (``Call id``, ``Talk Duration`` in seconds), and generated copies of
the layout.

* ``created_at`` is ``Date`` + ``Time`` as text, typed by the loader like any timestamp (so
  ``--datetime-format`` applies, the day/month order is inferred from the column, and a value
  that does not read is reported with its text); local time: pass ``--tz``. ``Time`` may be
  ``9:12:58``, ``9.12.58``, an Excel day fraction (``0.384004...``) or a pandas time on
  Excel's day 0 (``1900-01-01 09:12:58``); a ``Date`` that holds a time already is read alone.
  ``channel`` is phone.
* ``Answered (Y/N)`` = N is an abandoned call, Y an answered one (the layout has no answer
  time stamp, so ``answered_at`` is not given).
* ``AvgTalkDuration`` (or ``Talk Duration``) is the call's talk time: ``H:MM:SS``, seconds, or
  whatever duration the loader reads (:mod:`supportkpi.loading.durations`).
* ``Resolved`` (Y/N) gives ``status`` solved/open. The layout has no resolution timestamp, so
  resolution time and backlog are not available; hold and after-call work are absent, so AHT is
  not available either (talk time, ASA, service level and abandonment are).
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, time_of_day_text, vocabulary


def _created(col) -> pl.Expr:
    date = col("Date").cast(pl.String).str.strip_chars()
    time = time_of_day_text(col("Time"))
    # a Date that holds the time already ("2023-07-30 10:23:09"): its Time column is something else
    holds_time = date.str.contains(r"\s\d{1,2}[:.]\d{2}")
    joined = pl.concat_str(date, time, separator=" ", ignore_nulls=True)
    return pl.when(holds_time).then(date).otherwise(joined)


SOURCE = Source(
    name="callcenter_sample",
    title="Call-center sample layout (Call Id, Answered (Y/N), Speed of answer in seconds, ...)",
    docs="The public call-center sample dataset widely used in BI tutorials",
    fields={
        "ticket_id": Field("Call Id"),
        "created_at": Derived(("Date", "Time"), _created),
        "channel": Derived(("Call Id",), lambda col: pl.lit("phone")),
        "agent": Field("Agent"),
        "topic": Field("Topic"),
        "abandoned": Field("Answered (Y/N)", vocabulary({"y": False, "yes": False, "n": True, "no": True})),
        "status": Field("Resolved", vocabulary({"y": "solved", "yes": "solved", "n": "open", "no": "open"})),
        "wait_seconds": Field("Speed of answer in seconds"),
        "talk_seconds": Field(("AvgTalkDuration", "Talk Duration")),
        "csat": Field("Satisfaction rating"),
    },
    signature=frozenset(
        {"Call Id", "Answered (Y/N)", "Speed of answer in seconds", "AvgTalkDuration", "Satisfaction rating"}
    ),
)
