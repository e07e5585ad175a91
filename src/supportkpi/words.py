"""The words real exports use for the canonical vocabularies, and the header spellings that
mean a canonical column in a file read without a preset.

Words and headers are compared by their :func:`word_key`: case, spaces, underscores and other
punctuation ignored, so ``In Progress``, ``in_progress`` and ``IN-PROGRESS`` are one word. A
word that could mean two canonical values (``Waiting``: on the customer or on a third party?
``Unresolved``: open or pending?) is in no table: it stays unknown and is reported, for kpi.yaml
``values`` to settle.
"""

from __future__ import annotations

import re

import polars as pl

from supportkpi.schema import VOCABULARIES


def word_key(text: str) -> str:
    """A word or header as it is compared: lower case, letters and digits only.

    A number keeps its sign and point, so that ``-103`` and ``103`` (Freshdesk's extremes of
    satisfaction) stay two words.

    >>> word_key("In Progress"), word_key("in_progress"), word_key(" Web-Portal "), word_key(" -103 ")
    ('inprogress', 'inprogress', 'webportal', '-103')
    """
    stripped = text.strip()
    if _NUMBER.match(stripped):
        return stripped
    return re.sub(_PUNCTUATION, "", text.lower())


_PUNCTUATION = r"[\W_]+"
_NUMBER = re.compile(r"^[-+]?\d+(?:\.\d+)?$")


def word_key_expr(text: pl.Expr) -> pl.Expr:
    """:func:`word_key` of a column of text, as a polars expression."""
    stripped = text.str.strip_chars()
    return (
        pl.when(stripped.str.contains(_NUMBER.pattern))
        .then(stripped)
        .otherwise(text.str.to_lowercase().str.replace_all(_PUNCTUATION, ""))
    )


SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "status": {
        "new": ("unassigned", "not started"),
        "open": ("in progress", "working", "assigned", "active", "reopened", "escalated", "ongoing"),
        "pending": (
            "waiting on customer",
            "waiting for customer",
            "awaiting customer",
            "awaiting customer response",
            "pending customer response",
            "waiting on customer response",
            "customer response pending",
            "pending customer",
        ),
        "on_hold": ("hold", "waiting on third party", "waiting for third party", "pending third party"),
        "solved": ("resolved", "done", "completed", "fixed"),
        "closed": ("closed resolved",),
    },
    "priority": {
        "low": ("p4", "lowest", "minor"),
        "normal": ("medium", "moderate", "p3", "standard"),
        "high": ("p2", "major", "important"),
        "urgent": ("critical", "p1", "highest", "emergency", "blocker"),
    },
    "channel": {
        "email": ("e-mail", "mail", "inbound email"),
        "chat": ("live chat", "web chat", "chat widget"),
        "phone": ("phone call", "call", "voice", "telephone", "inbound call"),
        "web": ("web portal", "web form", "portal", "webform", "website", "help center", "contact form"),
        "social": ("social media", "twitter", "facebook", "instagram", "x twitter", "linkedin"),
        "messaging": ("whatsapp", "messenger", "facebook messenger", "in app", "in app message", "wechat", "line"),
        "sms": ("text", "text message", "sms text"),
        "other": (),
    },
    "network": {
        "x": ("twitter", "x twitter", "twitter x", "x com", "twitter com"),
        "facebook": ("fb", "facebook com", "meta"),
        "instagram": ("ig", "insta", "instagram com"),
        "tiktok": ("tik tok",),
        "youtube": ("yt", "youtube com"),
        "linkedin": ("linkedin com",),
        "reddit": ("reddit com",),
        "trustpilot": ("trustpilot com",),
        "google": ("google reviews", "google business profile", "google my business", "gmb", "google maps"),
        "app_store": ("apple app store", "ios", "itunes", "apple"),
        "play_store": ("google play", "google play store", "android"),
        "other": (),
    },
    "sentiment": {
        "positive": ("pos", "good"),
        "neutral": ("neu",),
        "negative": ("neg", "bad"),
    },
}
"""Per vocabulary column, canonical word -> the other words exports write for it."""


def lookup(column: str) -> dict[str, str]:
    """The word keys of a vocabulary column's canonical words and their synonyms -> the
    canonical word.

    >>> table = lookup("status")
    >>> table[word_key("Pending Customer Response")], table[word_key("ON-HOLD")]
    ('pending', 'on_hold')
    """
    table = {word_key(w): w for w in VOCABULARIES[column]}
    for canonical, words in SYNONYMS.get(column, {}).items():
        for word in words:
            table.setdefault(word_key(word), canonical)
    return table


HEADER_SYNONYMS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket number", "case id", "case number", "call id", "conversation id", "id"),
    "created_at": (
        "created",
        "created date",
        "date created",
        "created time",
        "creation date",
        "created on",
        "opened",
        "opened at",
        "opened date",
        "date opened",
        "submitted at",
        "ticket created",
    ),
    "resolved_at": ("resolved date", "date resolved", "resolution date", "closed at", "closed date", "date closed"),
    "first_response_at": ("first responded at", "first reply at"),
    "agent": ("assigned agent", "agent name", "assignee", "assigned to", "owner", "agent id"),
    "team": ("group", "queue", "assigned group", "team name"),
    "status": ("ticket status", "case status", "state"),
    "priority": ("ticket priority", "case priority"),
    "channel": ("ticket channel", "origin", "contact channel", "case origin"),
    "topic": ("ticket type", "category", "issue type", "case type", "reason", "type"),
    "language": (
        "lang",
        "locale",
        "language code",
        "locale code",
        "customer language",
        "requester language",
        "ticket language",
        "contact language",
        "sprache",
        "langue",
        "idioma",
        "lingua",
        "taal",
    ),
    "customer_id": ("customer", "requester", "requester id", "customer email", "contact id"),
    "csat": (
        "csat score",
        "customer satisfaction",
        "customer satisfaction rating",
        "customer satisfaction score",
        "satisfaction",
        "satisfaction rating",
        "satisfaction score",
    ),
    "nps": ("nps score", "net promoter score"),
    "reopens": ("reopen count", "times reopened", "reopened count"),
    "agent_replies": ("replies", "agent reply count", "reply count"),
    "answered": ("answered y n", "call answered", "is answered"),
    "resolved": ("resolved y n", "is resolved", "solved"),
    "escalated": ("is escalated",),
    "abandoned": ("is abandoned", "call abandoned"),
}
"""Headers of files read without a preset that mean a canonical column (compared by
:func:`word_key`); a duration's unit may follow (:func:`duration_header`)."""

DURATION_HEADERS: dict[str, tuple[str, ...]] = {
    "first_response_seconds": ("first response time", "first reply time", "time to first response", "frt"),
    "resolution_seconds": ("resolution time", "time to resolution", "time to resolve", "full resolution time"),
    "wait_seconds": ("wait time", "speed of answer", "queue time", "time in queue"),
    "talk_seconds": ("talk time", "talk duration", "chat duration", "call duration"),
    "hold_seconds": ("hold time", "hold duration"),
    "acw_seconds": ("after call work", "acw", "wrap up time", "wrap time"),
}
"""Duration columns, by their header *with a unit* (``Resolution_Time_Hours``, ``Talk time
(min)``, ``Speed of answer in seconds``): without a unit such a header is not taken, as it may
hold timestamps (a "First Response Time" column of dates)."""

UNITS: dict[str, str] = {
    "seconds": "s",
    "second": "s",
    "secs": "s",
    "sec": "s",
    "s": "s",
    "milliseconds": "ms",
    "millisecond": "ms",
    "ms": "ms",
    "minutes": "min",
    "minute": "min",
    "mins": "min",
    "min": "min",
    "hours": "h",
    "hour": "h",
    "hrs": "h",
    "hr": "h",
    "h": "h",
    "days": "d",
    "day": "d",
    "d": "d",
}
"""Words a header states its unit with -> the unit (s, ms, min, h, d)."""

_HEADER_WORDS = re.compile(r"[a-z0-9]+")
_HEADER_KEYS = {word_key(n): column for column, names in HEADER_SYNONYMS.items() for n in names}
_DURATION_KEYS = {word_key(n): column for column, names in DURATION_HEADERS.items() for n in names}


def duration_header(header: str) -> tuple[str, str] | None:
    """The canonical duration column and unit a header names, or None.

    >>> duration_header("First_Response_Time_Hours"), duration_header("Talk time (min)")
    (('first_response_seconds', 'h'), ('talk_seconds', 'min'))
    >>> duration_header("Speed of answer in seconds"), duration_header("First Response Time")
    (('wait_seconds', 's'), None)
    """
    words = _HEADER_WORDS.findall(header.lower())
    if len(words) < 2 or words[-1] not in UNITS:
        return None
    unit = UNITS[words[-1]]
    stem = words[:-1]
    if stem and stem[-1] in ("in", "per"):
        stem = stem[:-1]
    column = _DURATION_KEYS.get("".join(stem))
    return (column, unit) if column is not None else None


def header_column(header: str) -> str | None:
    """The canonical column a header of a file without a preset means (not a duration).

    >>> header_column("Created_Date"), header_column("Ticket Priority"), header_column("Answered (Y/N)")
    ('created_at', 'priority', 'answered')
    >>> header_column("lang"), header_column("Locale"), header_column("Sprache")
    ('language', 'language', 'language')
    """
    return _HEADER_KEYS.get(word_key(header))


_MEANINGS: dict[str, tuple[tuple[str, bool], ...]] = {
    "abandoned": (
        ("unanswered", True),
        ("notanswered", True),
        ("abandon", True),
        ("missed", True),
        ("answered", False),
        ("pickedup", False),
        ("connected", False),
    ),
    "answered": (
        ("unanswered", False),
        ("notanswered", False),
        ("abandon", False),
        ("missed", False),
        ("answered", True),
        ("pickedup", True),
    ),
    "resolved": (("unresolved", False), ("notresolved", False), ("resolved", True), ("solved", True)),
}
"""Per yes/no column, words in a header that say the header means the same (True) or the
opposite (False); the first found decides."""


def header_agrees(column: str, header: str) -> bool | None:
    """Whether a header means the same yes/no as ``column`` (True), the opposite (False), or
    cannot tell (None): ``--map abandoned="Answered (Y/N)"`` is most likely inverted.

    >>> header_agrees("abandoned", "Answered (Y/N)"), header_agrees("abandoned", "Unanswered")
    (False, True)
    >>> header_agrees("abandoned", "Outcome") is None
    True
    """
    key = word_key(header)
    for word, same in _MEANINGS.get(column, ()):
        if word in key:
            return same
    return None
