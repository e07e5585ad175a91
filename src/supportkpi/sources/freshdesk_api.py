"""Freshdesk API v2 tickets with their stats: the JSON array returned by
``GET /api/v2/tickets?include=stats`` (pages concatenated into one array).

What maps where:

* ``id`` is the ticket, ``created_at`` (ISO 8601, UTC) its creation; ``requester_id`` the
  customer, ``responder_id`` the agent, ``group_id`` the team, ``type`` the topic.
* ``status`` 2 open, 3 pending, 4 resolved (``solved``), 5 closed; custom statuses (numbers
  from 6 on, defined per account) are reported as unknown values.
* ``priority`` 1 low, 2 medium (``normal``), 3 high, 4 urgent.
* ``source`` 1 email, 2 portal (``web``), 3 phone, 7 chat, 9 feedback widget (``web``),
  10 outbound email (``email``) as the API reference lists them; Freshdesk's own ticket
  constants add 4 forum (``web``), 5 Twitter and 6 Facebook (``social``), 8 MobiHelp (``web``),
  11 e-commerce (``other``), 12 bot (``chat``) and 13 WhatsApp (``messaging``).
* ``stats.first_responded_at`` is the first response. ``resolved_at`` is
  ``stats.resolved_at`` (``stats.closed_at`` for a ticket closed without being resolved first)
  while ``status`` is 4 or 5, or while no reopen (``stats.reopened_at``) came after it: a
  reopened ticket is open again, but a resolution that was never reopened stands whatever the
  status says (Freshdesk's sample ticket is status 2 with a resolution and no reopen).
* ``reopens`` is 1 when ``stats.reopened_at`` is set and 0 when it is empty: the API gives the
  time of the last reopen, not a count, so 1 means "reopened at least once". Reopen rate and the
  ``no_reopen`` FCR definition are exact with it; the number of reopens is not.

* ``csat``: the satisfaction ratings (``GET /api/v2/surveys/satisfaction_ratings``, a separate
  endpoint, or a sync tool's ``satisfaction_ratings`` table) given beside the tickets are joined
  on ``ticket_id`` (the last rating of a ticket); the default question's answer 103 (extremely
  happy) to -103 (extremely unhappy) is put on the 1-5 scale: 103 = 5, 102 and 101 = 4, 100
  (neutral) = 3, -101 and -102 = 2, -103 = 1, so the top-2-box CSAT is the share of happy
  answers, as Freshdesk counts it. Ratings without their tickets are a data error.

Not available from this endpoint: agent reply counts (the default ``one_touch`` FCR and
``exactly_one_reply`` need ``agent_replies``; pick ``kpis.fcr_rate.definition: no_reopen``), NPS, CES,
transfers and queue data. ``is_escalated``/``fr_escalated`` flag SLA escalation notices, not a
hand-over to a higher tier, so they are not mapped onto ``escalated``.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Companion, Derived, Field, Source, vocabulary

_STATUS = {"2": "open", "3": "pending", "4": "solved", "5": "closed"}
_PRIORITY = {"1": "low", "2": "normal", "3": "high", "4": "urgent"}
_CHANNEL = {
    "1": "email",
    "2": "web",
    "3": "phone",
    "4": "web",
    "5": "social",
    "6": "social",
    "7": "chat",
    "8": "web",
    "9": "web",
    "10": "email",
    "11": "other",
    "12": "chat",
    "13": "messaging",
}
# Satisfaction survey answers (GET /api/v2/surveys/satisfaction_ratings, "ratings" per question):
# 103 extremely happy ... 100 neutral ... -103 extremely unhappy, whatever the survey's number of
# points. On the 1-5 scale the happy answers are 4-5 and the unhappy ones 1-2, so the default
# top-2-box CSAT is Freshdesk's own share of positive ratings.
CSAT = {"103": 5.0, "102": 4.0, "101": 4.0, "100": 3.0, "-101": 2.0, "-102": 2.0, "-103": 1.0}
RATINGS = Companion(
    key="ticket_id",
    prefix="satisfaction_rating",
    signature=frozenset({"ticket_id", "survey_id", "ratings.default_question"}),
    title="Freshdesk satisfaction ratings",
    aliases=("satisfaction_rating", "surveys_satisfaction_ratings"),
)


def _text(expr: pl.Expr) -> pl.Expr:
    text = expr.cast(pl.String).str.strip_chars()
    return pl.when(text.str.len_bytes() > 0).then(text)


def _instant(text: pl.Expr) -> pl.Expr:
    return text.str.to_datetime("%Y-%m-%dT%H:%M:%S%#z", strict=False, time_zone="UTC")


def _resolved_at(col) -> pl.Expr:
    # ISO text: the loader's typing parses it and reports a value it cannot read.
    done = _text(col("status")).is_in(["4", "5"])
    stamp = pl.coalesce(_text(col("stats.resolved_at")), _text(col("stats.closed_at")))
    # a reopen sets stats.reopened_at; without a reopen after it, the resolution stands
    reopened = _text(col("stats.reopened_at"))
    standing = reopened.is_null() | (_instant(reopened) < _instant(stamp)).fill_null(False)
    return pl.when(done | standing).then(stamp)


def _reopens(col) -> pl.Expr:
    return pl.when(_text(col("stats.reopened_at")).is_not_null()).then(1).otherwise(0)


SOURCE = Source(
    name="freshdesk_api",
    title="Freshdesk API v2 tickets with stats (GET /api/v2/tickets?include=stats, JSON)",
    docs=(
        "https://developers.freshdesk.com/api/#tickets (ticket properties, include=stats); "
        "https://developers.freshworks.com/freshdesk-sdk/docs/Stats.html (stats object)"
    ),
    fields={
        "ticket_id": Field("id"),
        "created_at": Field("created_at"),
        "channel": Field("source", vocabulary(_CHANNEL)),
        "agent": Field("responder_id"),
        "team": Field("group_id"),
        "priority": Field("priority", vocabulary(_PRIORITY)),
        "status": Field("status", vocabulary(_STATUS)),
        "customer_id": Field("requester_id"),
        "topic": Field("type"),
        "first_response_at": Field("stats.first_responded_at"),
        "resolved_at": Derived(("status", "stats.resolved_at", "stats.closed_at"), _resolved_at),
        "reopens": Derived(("stats.reopened_at",), _reopens),
        "csat": Field("satisfaction_rating.ratings.default_question", vocabulary(CSAT)),
    },
    signature=frozenset(
        {
            "requester_id",
            "responder_id",
            "fr_due_by",
            "fr_escalated",
            "email_config_id",
            "stats.first_responded_at",
            "stats.reopened_at",
        }
    ),
    notes=(
        "reopens is 1 when stats.reopened_at is set (at least once). No agent reply counts: "
        "use fcr definition no_reopen. CSAT comes from the satisfaction ratings, given beside "
        "the tickets."
    ),
    table="tickets",
    tables={"satisfaction_ratings": RATINGS},
)
