"""Genesys Cloud analytics conversation details: the response of
``POST /api/v2/analytics/conversations/details/query`` (or of an async details job),
``{"conversations": [...], "totalHits": N}``. One conversation is one contact.

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
as ``aggregations``) whose every item has ``conversationId`` and a ``participants`` list; it
returns None for anything else (e.g. Intercom's ``{"type": "conversation.list",
"conversations": [...]}``). Detection then sees the flat records, so the signature mixes
Genesys' own fields with keys only ``prepare`` emits. Conversations given one per line (JSON
Lines) are not reduced, as the loader hands no such file to ``prepare``: they are not detected
as this preset.
"""

from __future__ import annotations

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
    """One conversation's ``participants`` reduced to the facts the preset maps (see above)."""
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
    answers: list[tuple[str, float, Any]] = []
    abandons: list[tuple[str, float]] = []
    first_agent = None
    for participant in participants if isinstance(participants, list) else []:
        if not isinstance(participant, dict):
            continue
        purpose = participant.get("purpose")
        for session in participant.get("sessions") or []:
            if not isinstance(session, dict):
                continue
            metrics = [m for m in session.get("metrics") or [] if isinstance(m, dict)]
            if purpose in ("customer", "external") and out["channel"] is None:
                out["channel"] = session.get("mediaType")
                out["customer"] = participant.get("externalContactId") or session.get("ani")
            if purpose == "acd":
                if any(m.get("name") in ("nOffered", "tAcd") for m in metrics):
                    out["queued"] = True
                    out["queue"] = out["queue"] or participant.get("participantName")
                abandons += [
                    (m.get("emitDate") or "", m.get("value") or 0) for m in metrics if m.get("name") == "tAbandon"
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
            s
            for p in (participants if isinstance(participants, list) else [])
            if isinstance(p, dict)
            for s in p.get("sessions") or []
            if isinstance(s, dict)
        ]
        out["channel"] = sessions[0].get("mediaType") if sessions else None
    # queue facts: only for a conversation that was offered to a queue and answered or abandoned
    # there (a flow-out is neither); conversation_record adds the direction
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


def _prepare(document: Any) -> list[dict] | None:
    """A details response's conversations (or a bare array of them), one flat record each;
    None for another document."""
    conversations = document.get("conversations") if isinstance(document, dict) else document
    if not isinstance(conversations, list) or not conversations:
        return None
    if not all(
        isinstance(c, dict) and "conversationId" in c and isinstance(c.get("participants"), list) for c in conversations
    ):
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
