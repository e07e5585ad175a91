"""The widely shared call-center sample layout (one row per call):

``Call Id, Agent, Date, Time, Topic, Answered (Y/N), Resolved, Speed of answer in seconds,
AvgTalkDuration, Satisfaction rating``

* ``created_at`` is ``Date`` + ``Time`` (local time: pass ``--tz``); ``channel`` is phone.
* ``Answered (Y/N)`` = N is an abandoned call; an answered call's ``answered_at`` is
  ``created_at + Speed of answer``.
* ``AvgTalkDuration`` is the call's talk time as ``H:MM:SS``.
* ``Resolved`` (Y/N) gives ``status`` solved/open. The layout has no resolution timestamp, so
  resolution time and backlog are not available; hold and after-call work are absent, so AHT is
  not available either (talk time, ASA, service level and abandonment are).
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, clock_duration, vocabulary

_YES_NO = {"y": True, "yes": True, "n": False, "no": False}


def _created(col) -> pl.Expr:
    stamp = pl.concat_str(col("Date"), pl.lit(" "), col("Time"))
    return stamp.str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False, time_unit="us")


def _answered_at(col) -> pl.Expr:
    answered = col("Answered (Y/N)").str.strip_chars().str.to_uppercase().is_in(["Y", "YES"])
    wait = col("Speed of answer in seconds").cast(pl.Float64, strict=False)
    return pl.when(answered).then(_created(col) + pl.duration(seconds=wait.fill_null(0)))


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
        "answered_at": Derived(("Answered (Y/N)", "Speed of answer in seconds"), _answered_at),
        "status": Field("Resolved", vocabulary({"y": "solved", "yes": "solved", "n": "open", "no": "open"})),
        "wait_seconds": Field("Speed of answer in seconds"),
        "talk_seconds": Field("AvgTalkDuration", clock_duration),
        "csat": Field("Satisfaction rating"),
    },
    signature=frozenset(
        {"Call Id", "Answered (Y/N)", "Speed of answer in seconds", "AvgTalkDuration", "Satisfaction rating"}
    ),
)
