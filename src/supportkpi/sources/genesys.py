"""Genesys Cloud analytics conversation details: the response of
``POST /api/v2/analytics/conversations/details/query`` (or of an async details job),
``{"conversations": [...], "totalHits": N}``. One conversation is one contact.

A conversation holds ``participants[]`` (``purpose`` customer/external, ivr, acd, agent, ...),
each with ``sessions[]`` (``mediaType``) that carry ``metrics[]`` (``name``, ``value`` in
milliseconds or as a count, ``emitDate``). The loader keeps such lists as JSON text, so this
preset reduces ``participants`` to one flat record per conversation (:func:`summarize`):

* answered: an agent session has ``tAnswered`` (time from entering the queue to the answer);
  the first by ``emitDate`` gives ``answered_at`` (its ``emitDate``), ``wait_seconds`` (its value)
  and ``agent`` (that participant's ``userId``; else the first agent's ``userId``).
* abandoned: an acd session has ``tAbandon`` and no agent answered; ``wait_seconds`` is then the
  ``tAbandon`` value.
* talk / hold / ACW: the sum over all agent sessions of ``tTalkComplete`` / ``tHeldComplete`` /
  ``tAcw`` (a session without the "Complete" metric contributes its ``tTalk`` / ``tHeld``, which
  are per segment: summing both kinds would count the time twice). A transferred conversation
  keeps every agent's time: one customer contact, its whole handle time, as Genesys' handle time
  adds talk, hold and ACW.
* ``transfers`` = the sum of ``nTransferred`` over agent sessions.
* ``team`` = the first acd participant's ``participantName`` (the queue's name);
  ``customer_id`` = the customer participant's ``externalContactId``, else its session ``ani``;
  ``channel`` = the customer's first session ``mediaType``: voice and callback -> phone,
  chat -> chat, message (web messaging, SMS, social messengers) -> messaging, email -> email,
  video, cobrowse and screenshare -> other, unknown -> empty; any other value is reported.
* ``nps`` = the first ``surveys[].surveyPromoterScore`` (0-10) of the conversation.

Offered: an ``originatingDirection`` inbound conversation whose acd session has ``nOffered`` or
``tAcd``, and that was answered or abandoned. A flow-out (the queue sent the call on to
voicemail, a callback or another flow: ``tFlowOut``) is neither, as Genesys counts it, so it has
no queue data. Outbound conversations (agent or dialer calls) and conversations that never
reached a queue count in ticket volume only, not in the queue KPIs nor AHT and its parts.

Not in conversation details, so not available: resolution (no case state), first response time,
reopens, FCR, backlog, escalation, CSAT (Genesys surveys give a promoter score, i.e. NPS).

About ``prepare``: the loader hands a preset the whole document only when it holds several
arrays (a details query that also asked for ``aggregations``); ``{"conversations": [...]}`` alone
is read as its one array directly. So the reduction runs per row on the ``participants`` JSON
text, and ``prepare`` only picks the conversations out of a several-array document; both ways
give the same record.
"""

from __future__ import annotations

import json
from typing import Any

import polars as pl

from supportkpi.sources._base import Derived, Field, Source

_CHANNELS = {
    "voice": "phone",
    "callback": "phone",
    "chat": "chat",
    "message": "messaging",
    "email": "email",
    "video": "other",
    "cobrowse": "other",
    "screenshare": "other",
    "unknown": None,
}


def summarize(participants: Any) -> dict[str, Any]:
    """One conversation's ``participants`` reduced to the facts the preset maps (see above)."""
    out: dict[str, Any] = {
        "channel": None, "customer": None, "queue": None, "agent": None, "queued": False,
        "talk": 0.0, "hold": 0.0, "acw": 0.0, "transfers": 0,
    }
    answers: list[tuple[str, float, Any]] = []
    abandons: list[tuple[str, float]] = []
    first_agent = None
    for participant in participants if isinstance(participants, list) else []:
        if not isinstance(participant, dict):
            continue
        purpose = participant.get("purpose")
        for session in participant.get("sessions") or []:
            metrics = [m for m in session.get("metrics") or [] if isinstance(m, dict)]
            if purpose in ("customer", "external") and out["channel"] is None:
                out["channel"] = session.get("mediaType")
                out["customer"] = participant.get("externalContactId") or session.get("ani")
            if purpose == "acd":
                if any(m.get("name") in ("nOffered", "tAcd") for m in metrics):
                    out["queued"] = True
                    out["queue"] = out["queue"] or participant.get("participantName")
                abandons += [
                    (m.get("emitDate") or "", m.get("value") or 0)
                    for m in metrics
                    if m.get("name") == "tAbandon"
                ]
            if purpose == "agent":
                first_agent = first_agent or participant.get("userId")
                answers += [
                    (m.get("emitDate") or "", m.get("value") or 0, participant.get("userId"))
                    for m in metrics
                    if m.get("name") == "tAnswered"
                ]
                out["talk"] += _session_total(metrics, "tTalkComplete", "tTalk") / 1000
                out["hold"] += _session_total(metrics, "tHeldComplete", "tHeld") / 1000
                out["acw"] += _session_total(metrics, "tAcw") / 1000
                out["transfers"] += int(_session_total(metrics, "nTransferred"))
    if answers:
        answered_at, waited, agent = min(answers, key=lambda a: a[0])
        out["agent"] = agent
    else:
        out["agent"] = first_agent
    if out["channel"] is None:  # no customer participant: the first session's media
        sessions = [
            s for p in participants or [] if isinstance(p, dict) for s in p.get("sessions") or []
        ]
        out["channel"] = sessions[0].get("mediaType") if sessions else None
    # queue facts: only for a conversation that was offered to a queue and answered or abandoned
    # there (a flow-out is neither); the caller adds the direction
    handled = ("talk", "hold", "acw", "transfers")
    if out["queued"] and answers:
        out.update(abandoned=False, answered_at=answered_at, wait=waited / 1000)
    elif out["queued"] and abandons:
        out.update(abandoned=True, answered_at=None, wait=min(abandons, key=lambda a: a[0])[1] / 1000)
        out.update(dict.fromkeys(handled))
    else:
        out.update(abandoned=None, answered_at=None, wait=None)
        out.update(dict.fromkeys(handled))
    return out


def _session_total(metrics: list[dict], name: str, fallback: str | None = None) -> float:
    values = [m.get("value") or 0 for m in metrics if m.get("name") == name]
    if not values and fallback is not None:
        values = [m.get("value") or 0 for m in metrics if m.get("name") == fallback]
    return float(sum(values))


# Each canonical column is its own expression over the participants text, so the same text is
# reduced once per column: remember the reductions, keyed by (length, hash) of the text rather
# than the text itself to keep memory small; forget them all past 2**18 conversations.
_SUMMARIES: dict[tuple[int, int], dict[str, Any]] = {}


def _summary_of(text: str) -> dict[str, Any]:
    key = (len(text), hash(text))
    found = _SUMMARIES.get(key)
    if found is None:
        if len(_SUMMARIES) >= 1 << 18:
            _SUMMARIES.clear()
        try:
            participants = json.loads(text)
        except ValueError:
            participants = []
        found = _SUMMARIES[key] = summarize(participants)
    return found


def _fact(col, name: str, dtype: pl.DataType) -> pl.Expr:
    return col("participants").map_elements(
        lambda text: _summary_of(text).get(name), return_dtype=dtype, skip_nulls=True
    )


def _inbound(fact):
    """A queue fact of inbound conversations only (outbound calls have no queue data here)."""

    def build(col) -> pl.Expr:
        direction = col("originatingDirection").cast(pl.String).str.strip_chars().str.to_lowercase()
        return pl.when(direction == "inbound").then(fact(col))

    return build


def _fact_of(name: str, dtype: pl.DataType):
    return lambda col: _fact(col, name, dtype)


def _channel(col) -> pl.Expr:
    return col("participants").map_elements(_channel_of, return_dtype=pl.String, skip_nulls=True)


def _channel_of(text: str) -> str | None:
    media = _summary_of(text)["channel"]
    if not isinstance(media, str):
        return None
    key = media.strip().lower()
    # a value not in the map passes through unchanged, so that typing reports it as unknown
    return _CHANNELS[key] if key in _CHANNELS else media


def _promoter_score(text: str) -> float | None:
    try:
        surveys = json.loads(text)
    except ValueError:
        return None
    for survey in surveys if isinstance(surveys, list) else []:
        score = survey.get("surveyPromoterScore") if isinstance(survey, dict) else None
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            return float(score)
    return None


def _prepare(document: Any) -> list[dict] | None:
    """The conversations of a details response that holds other arrays too (aggregations)."""
    if not isinstance(document, dict):
        return None
    conversations = document.get("conversations")
    if isinstance(conversations, list) and all(
        isinstance(c, dict) and "conversationId" in c for c in conversations
    ):
        return conversations
    return None


_QUEUE = ("participants", "originatingDirection")

SOURCE = Source(
    name="genesys",
    title="Genesys Cloud analytics conversation details (conversations/details/query, JSON)",
    docs=(
        "Genesys Cloud Developer Center: POST /api/v2/analytics/conversations/details/query "
        "(AnalyticsConversationQueryResponse, AnalyticsParticipant, AnalyticsSession, "
        "AnalyticsSessionMetric, AnalyticsSurvey) and the Genesys Cloud Resource Center metric "
        "definitions (help.mypurecloud.com/articles/metric-definitions: abandon, flow-out, "
        "handle time = talk + hold + ACW)"
    ),
    fields={
        "ticket_id": Field("conversationId"),
        "created_at": Field("conversationStart"),
        "channel": Derived(("participants",), _channel),
        "agent": Derived(("participants",), _fact_of("agent", pl.String)),
        "team": Derived(("participants",), _fact_of("queue", pl.String)),
        "customer_id": Derived(("participants",), _fact_of("customer", pl.String)),
        "abandoned": Derived(_QUEUE, _inbound(_fact_of("abandoned", pl.Boolean))),
        "answered_at": Derived(_QUEUE, _inbound(_fact_of("answered_at", pl.String))),
        "wait_seconds": Derived(_QUEUE, _inbound(_fact_of("wait", pl.Float64))),
        "talk_seconds": Derived(_QUEUE, _inbound(_fact_of("talk", pl.Float64))),
        "hold_seconds": Derived(_QUEUE, _inbound(_fact_of("hold", pl.Float64))),
        "acw_seconds": Derived(_QUEUE, _inbound(_fact_of("acw", pl.Float64))),
        "transfers": Derived(_QUEUE, _inbound(_fact_of("transfers", pl.Int64))),
        "nps": Derived(
            ("surveys",),
            lambda col: col("surveys").map_elements(
                _promoter_score, return_dtype=pl.Float64, skip_nulls=True
            ),
        ),
    },
    signature=frozenset(
        {
            "conversationId",
            "conversationStart",
            "conversationEnd",
            "originatingDirection",
            "participants",
            "divisionIds",
        }
    ),
    prepare=_prepare,
)
