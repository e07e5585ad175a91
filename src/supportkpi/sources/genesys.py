"""Genesys Cloud analytics conversation details: the response of
``POST /api/v2/analytics/conversations/details/query`` (or of an async details job),
``{"conversations": [...], "totalHits": N}``, a bare array of conversations, or one conversation
object on its own (``GET /api/v2/analytics/conversations/{id}/details``). One conversation is
one contact.

A conversation holds ``participants[]`` (``purpose`` customer/external, ivr, acd, agent, ...),
each with ``sessions[]`` (``mediaType``) that carry ``metrics[]`` (``name``, ``value`` in
milliseconds or as a count, ``emitDate``). ``prepare`` (:func:`_prepare`) reduces that nesting in
plain Python, once per conversation, to one flat record: the conversation's own top-level fields
(``conversationId``, ``conversationStart``, ``originatingDirection``, ``divisionIds``, ...; not
``participants`` nor ``surveys``) plus the facts below, under snake_case keys. The preset's fields
then just name those keys. The facts (:func:`summarize`, :func:`conversation_record`):

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
* ``queue`` (-> team) = the first acd participant's ``participantName`` (the queue's name);
  ``customer`` = the customer participant's ``externalContactId``, else its session ``ani``;
  ``channel`` = the customer's first session ``mediaType``: voice and callback -> phone,
  chat -> chat, message (web messaging, SMS, social messengers) -> messaging, email -> email,
  video, cobrowse and screenshare -> other, unknown -> empty; any other value passes through
  unchanged, so that typing reports it.
* ``nps`` = the first ``surveys[].surveyPromoterScore`` (0-10) of the conversation.
* ``answered_at``: a ``tAnswered`` without ``emitDate`` takes the start of the agent's first
  ``interact`` segment.

Without metrics: a conversation none of whose sessions carries ``metrics[]`` (some exports and
older jobs give segments only) gets the same facts from the sessions' ``segments[]``
(``segmentStart``/``segmentEnd``): queued when an acd session has segments, and the wait is their
length (Genesys' ``tAcd``); answered when an agent session has an ``interact`` segment (its
start is ``answered_at``); talk, hold and ACW are the lengths of the agents' ``interact``,
``hold`` and ``wrapup`` segments; a transfer is an agent segment ending with ``disconnectType``
transfer; abandoned when no agent answered and the last queue segment did not end in a transfer
(a transfer out of the queue without an agent is a flow-out: neither). Times are read leniently:
some exports leave days unpadded (``2021-04-2T15:30:51.418Z``).

Offered: an ``originatingDirection`` inbound conversation whose acd session has ``nOffered`` or
``tAcd``, and that was answered or abandoned. A flow-out (the queue sent the call on to
voicemail, a callback or another flow: ``tFlowOut``) is neither, as Genesys counts it, so it has
no queue data. Outbound conversations (agent or dialer calls) and conversations that never
reached a queue count in ticket volume only, not in the queue KPIs nor AHT and its parts: their
``answered_at``, ``abandoned``, ``wait_seconds``, ``talk_seconds``, ``hold_seconds``,
``acw_seconds`` and ``transfers`` are empty.

Not in conversation details, so not available: resolution (no case state), first response time,
reopens, FCR, backlog, escalation, CSAT (Genesys surveys give a promoter score, i.e. NPS).

``prepare`` recognises a document ``{"conversations": [...]}`` (with or without other arrays such
as ``aggregations``), a bare array, or JSON Lines, whose every item has ``conversationId`` and a
``participants`` list, and a single such object; it returns None for anything else (e.g.
Intercom's ``{"type": "conversation.list", "conversations": [...]}``). Detection then sees the
flat records, so the signature mixes Genesys' own fields with keys only ``prepare`` emits.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from supportkpi.sources._base import Field, Source

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

# the facts prepare adds to each conversation; the queue facts are empty outside offered inbound
_QUEUE_FACTS = (
    "answered_at",
    "abandoned",
    "wait_seconds",
    "talk_seconds",
    "hold_seconds",
    "acw_seconds",
    "transfers",
)
_FACTS = ("channel", "agent", "queue", "customer", *_QUEUE_FACTS, "nps")
# reduced into the facts, so not passed through (they would be large JSON text)
_REDUCED = ("participants", "surveys")


def summarize(participants: Any) -> dict[str, Any]:
    """One conversation's ``participants`` reduced to the facts the preset maps (see above):
    from the sessions' ``metrics[]``, or, when no session has any, from their ``segments[]``."""
    people = [p for p in participants if isinstance(p, dict)] if isinstance(participants, list) else []
    sessions = [(p, s) for p in people for s in p.get("sessions") or [] if isinstance(s, dict)]
    by_segments = not any(isinstance(s.get("metrics"), list) and s["metrics"] for _, s in sessions)
    out: dict[str, Any] = {
        "channel": None,
        "customer": None,
        "queue": None,
        "agent": None,
        "queued": False,
        "talk": 0.0,
        "hold": 0.0,
        "acw": 0.0,
        "transfers": 0,
    }
    answers: list[tuple[str, float | None, Any]] = []
    abandons: list[tuple[str, float]] = []
    queue_seconds = 0.0
    left_queue = None  # how the last queue segment ended (segments only)
    first_agent = None
    for participant, session in sessions:
        purpose = participant.get("purpose")
        metrics = [m for m in session.get("metrics") or [] if isinstance(m, dict)]
        segments = [g for g in session.get("segments") or [] if isinstance(g, dict)]
        if purpose in ("customer", "external") and out["channel"] is None:
            out["channel"] = session.get("mediaType")
            out["customer"] = participant.get("externalContactId") or session.get("ani")
        if purpose == "acd":
            if any(m.get("name") in ("nOffered", "tAcd") for m in metrics) or (by_segments and segments):
                out["queued"] = True
                out["queue"] = out["queue"] or participant.get("participantName")
            abandons += [(m.get("emitDate") or "", m.get("value") or 0) for m in metrics if m.get("name") == "tAbandon"]
            if by_segments and segments:
                queue_seconds += _segment_seconds(segments)
                left_queue = segments[-1].get("disconnectType")
        if purpose == "agent":
            first_agent = first_agent or participant.get("userId")
            connected = [g for g in segments if g.get("segmentType") == "interact"]
            start = _iso(connected[0].get("segmentStart")) if connected else None
            if by_segments:
                if connected:
                    answers.append((start or "", None, participant.get("userId")))
                out["talk"] += _segment_seconds(connected)
                out["hold"] += _segment_seconds([g for g in segments if g.get("segmentType") == "hold"])
                out["acw"] += _segment_seconds([g for g in segments if g.get("segmentType") == "wrapup"])
                out["transfers"] += sum(g.get("disconnectType") == "transfer" for g in segments)
                continue
            answers += [
                (_iso(m.get("emitDate")) or start or "", m.get("value") or 0, participant.get("userId"))
                for m in metrics
                if m.get("name") == "tAnswered"
            ]
            out["talk"] += _session_total(metrics, "tTalkComplete", "tTalk") / 1000
            out["hold"] += _session_total(metrics, "tHeldComplete", "tHeld") / 1000
            out["acw"] += _session_total(metrics, "tAcw") / 1000
            out["transfers"] += int(_session_total(metrics, "nTransferred"))
    if by_segments and out["queued"] and not answers and left_queue not in (None, "transfer"):
        abandons.append(("", queue_seconds * 1000))  # left the queue, not routed on: abandoned
    if answers:
        answered_at, waited, agent = min(answers, key=lambda a: a[0])
        out["agent"] = agent
    else:
        out["agent"] = first_agent
    if out["channel"] is None:  # no customer participant: the first session's media
        out["channel"] = sessions[0][1].get("mediaType") if sessions else None
    # queue facts: only for a conversation that was offered to a queue and answered or abandoned
    # there (a flow-out is neither); conversation_record adds the direction
    handled = ("talk", "hold", "acw", "transfers")
    if out["queued"] and answers:
        wait = queue_seconds if waited is None else waited / 1000
        out.update(abandoned=False, answered_at=answered_at or None, wait=wait)
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


_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})T(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?\d*(Z|[+-]\d{2}:?\d{2})?$"
)


def _instant(text: Any) -> datetime | None:
    """An ISO 8601 time as Genesys writes it, leniently: some exports leave days and months
    unpadded (``2021-04-2T15:30:51.418Z``). Without a zone: UTC, as Genesys times are."""
    match = _ISO.match(text.strip()) if isinstance(text, str) else None
    if match is None:
        return None
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    micro = int((match.group(7) or "0").ljust(6, "0"))
    zone = match.group(8) or "Z"
    offset = timedelta(0)
    if zone != "Z":
        sign = -1 if zone[0] == "-" else 1
        digits = zone[1:].replace(":", "")
        offset = sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    try:
        local = datetime(year, month, day, hour, minute, second, micro, tzinfo=UTC)
    except ValueError:
        return None
    return local - offset


def _iso(text: Any) -> str | None:
    """A Genesys time with unpadded days or months as padded ISO 8601 UTC text; any other text
    passes through as it is (typing reads it, or reports it).

    >>> _iso("2021-04-2T15:30:51.418Z"), _iso("2021-04-02T17:30:51+02:00")
    ('2021-04-02T15:30:51.418000Z', '2021-04-02T17:30:51+02:00')
    """
    instant = _instant(text)
    if instant is None or re.match(r"^\d{4}-\d{2}-\d{2}T", str(text)):
        return text if isinstance(text, str) else None
    return instant.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _segment_seconds(segments: list[dict]) -> float:
    """The summed length of the segments that have both ends, in seconds.

    >>> _segment_seconds([{"segmentStart": "2021-04-01T12:27:53.388Z",
    ...                    "segmentEnd": "2021-04-01T12:28:04.567Z"}])
    11.179
    """
    total = 0.0
    for segment in segments:
        start, end = _instant(segment.get("segmentStart")), _instant(segment.get("segmentEnd"))
        if start is not None and end is not None:
            total += (end - start).total_seconds()
    return round(total, 6)


def _channel(media: Any) -> Any:
    if not isinstance(media, str):
        return None
    key = media.strip().lower()
    # a value not in the map passes through unchanged, so that typing reports it as unknown
    return _CHANNELS[key] if key in _CHANNELS else media


def _promoter_score(surveys: Any) -> float | None:
    for survey in surveys if isinstance(surveys, list) else []:
        score = survey.get("surveyPromoterScore") if isinstance(survey, dict) else None
        if isinstance(score, (int, float)) and not isinstance(score, bool):
            return float(score)
    return None


def conversation_record(conversation: dict) -> dict[str, Any]:
    """One conversation as the flat record the preset reads: its own top-level fields but
    ``participants`` and ``surveys``, plus the facts (keys of ``_FACTS``, always all present)."""
    facts = summarize(conversation.get("participants"))
    direction = conversation.get("originatingDirection")
    inbound = isinstance(direction, str) and direction.strip().lower() == "inbound"
    record = {k: v for k, v in conversation.items() if k not in _REDUCED and k not in _FACTS}
    for stamp in ("conversationStart", "conversationEnd"):
        if stamp in record:
            record[stamp] = _iso(record[stamp])
    record.update(
        channel=_channel(facts["channel"]),
        agent=facts["agent"],
        queue=facts["queue"],
        customer=facts["customer"],
        nps=_promoter_score(conversation.get("surveys")),
    )
    queue = {
        "answered_at": facts["answered_at"],
        "abandoned": facts["abandoned"],
        "wait_seconds": facts["wait"],
        "talk_seconds": facts["talk"],
        "hold_seconds": facts["hold"],
        "acw_seconds": facts["acw"],
        "transfers": facts["transfers"],
    }
    # outbound calls have no queue data here
    record.update(queue if inbound else dict.fromkeys(_QUEUE_FACTS))
    return record


def _is_conversation(item: Any) -> bool:
    return isinstance(item, dict) and "conversationId" in item and isinstance(item.get("participants"), list)


def _prepare(document: Any) -> list[dict] | None:
    """A details response's conversations (or a bare array of them, or one conversation object
    on its own), one flat record each; None for another document."""
    if _is_conversation(document):
        return [conversation_record(document)]
    conversations = document.get("conversations") if isinstance(document, dict) else document
    if not isinstance(conversations, list) or not conversations:
        return None
    if not all(_is_conversation(c) for c in conversations):
        return None
    return [conversation_record(c) for c in conversations]


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
    # the facts are canonical text already (ISO times, seconds, true/false, counts): typing reads
    # them as it reads a canonical file
    fields={
        "ticket_id": Field("conversationId"),
        "created_at": Field("conversationStart"),
        "channel": Field("channel"),
        "agent": Field("agent"),
        "team": Field("queue"),
        "customer_id": Field("customer"),
        "abandoned": Field("abandoned"),
        "answered_at": Field("answered_at"),
        "wait_seconds": Field("wait_seconds"),
        "talk_seconds": Field("talk_seconds"),
        "hold_seconds": Field("hold_seconds"),
        "acw_seconds": Field("acw_seconds"),
        "transfers": Field("transfers"),
        "nps": Field("nps"),
    },
    # Genesys' own fields and keys only prepare emits: raw conversations (not reduced) score 4/8,
    # below the detection threshold, rather than being read with their facts missing
    signature=frozenset(
        {
            "conversationId",
            "conversationStart",
            "originatingDirection",
            "divisionIds",
            "queue",
            "wait_seconds",
            "talk_seconds",
            "transfers",
        }
    ),
    prepare=_prepare,
)
