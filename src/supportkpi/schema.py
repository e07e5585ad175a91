"""The canonical data model in code: one definition of every column of the two canonical
tables, ``contacts`` (tickets, chats, calls) and ``mentions`` (public posts, comments and reviews).

Loaders map exports onto these names and types; the metrics core reads only these names. The
contract is ``docs/data-model.md``.

Besides the canonical columns a loaded frame carries a few internal columns, all starting with an
underscore so they can never clash with an export's own header:

* ``_source``: index of the input file the row came from,
* ``_row``: the row's 1-based position in that input (data rows, header not counted),
* ``_duplicate``: the row repeats an earlier ``ticket_id`` (the first one is kept),
* ``_invalid_<column>``: the raw value of ``<column>`` could not be parsed (the value is null),
* ``_left_out:<reason>``: true where a preset's rule (or kpi.yaml ``dedupe``) leaves the row out
  of every KPI for that reason (a deleted ticket, an outbound conversation, an earlier version of
  a re-delivered record); such rows are counted and reported with the reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import polars as pl


class Kind(str, Enum):
    """How a column is parsed from text."""

    STRING = "string"
    DATETIME = "datetime"
    FLOAT = "float"
    INT = "int"
    BOOL = "bool"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    meaning: str
    required: bool = False

    @property
    def dtype(self):
        """The polars dtype of the column once loaded."""
        import polars as pl

        return {
            Kind.STRING: pl.String,
            Kind.DATETIME: pl.Datetime("us", "UTC"),
            Kind.FLOAT: pl.Float64,
            Kind.INT: pl.Int64,
            Kind.BOOL: pl.Boolean,
        }[self.kind]


CONTACT_COLUMNS: tuple[Column, ...] = (
    Column("ticket_id", Kind.STRING, "unique id within the source", required=True),
    Column("created_at", Kind.DATETIME, "when the customer's contact arrived", required=True),
    # required of every file that has a creation time; a file with no such column at all is
    # read without it, and the KPIs that need it are not available
    Column("channel", Kind.STRING, "email, chat, phone, web, social, messaging, sms, other"),
    Column("vendor", Kind.STRING, "outsourcing partner or in-house team responsible"),
    Column("agent", Kind.STRING, "assignee / agent who handled it"),
    Column("team", Kind.STRING, "group, queue or team"),
    Column("priority", Kind.STRING, "low, normal, high, urgent"),
    Column("status", Kind.STRING, "new, open, pending, on_hold, solved, closed"),
    Column("customer_id", Kind.STRING, "requester"),
    Column("topic", Kind.STRING, "type / category / reason for contact"),
    Column("language", Kind.STRING, "ISO 639-1 code (de, en); locale tags and names are read as codes"),
    Column("first_response_at", Kind.DATETIME, "first public reply by an agent"),
    Column("resolved_at", Kind.DATETIME, "final resolution; null while unresolved"),
    Column("resolved", Kind.BOOL, "resolved (yes/no), for exports without a resolution time"),
    Column("first_response_seconds", Kind.FLOAT, "first response time given as seconds"),
    Column("resolution_seconds", Kind.FLOAT, "resolution time given as seconds"),
    Column("reopens", Kind.INT, "times reopened after a resolution"),
    Column("agent_replies", Kind.INT, "public agent replies"),
    Column("customer_contacts", Kind.INT, "times the customer contacted about this issue"),
    Column("transfers", Kind.INT, "transfers between agents or queues"),
    Column("escalated", Kind.BOOL, "escalated to a higher tier or to the client"),
    Column("csat", Kind.FLOAT, "satisfaction score on the declared scale"),
    Column("nps", Kind.FLOAT, "likelihood to recommend, 0-10"),
    Column("ces", Kind.FLOAT, "customer effort score on the declared scale"),
    Column("qa_score", Kind.FLOAT, "quality review score, 0-100"),
    Column("answered_at", Kind.DATETIME, "when an agent picked up; null = not answered"),
    Column("answered", Kind.BOOL, "an agent took the call or chat (yes/no); the opposite of abandoned"),
    Column("abandoned", Kind.BOOL, "the customer left while waiting"),
    Column("wait_seconds", Kind.FLOAT, "time in queue until answer or abandon"),
    Column("talk_seconds", Kind.FLOAT, "talk or chat time with the agent"),
    Column("hold_seconds", Kind.FLOAT, "time on hold"),
    Column("acw_seconds", Kind.FLOAT, "after-contact work time"),
    Column("converted", Kind.BOOL, "a sales contact that ended in an order"),
    Column("order_value", Kind.FLOAT, "value of that order"),
    Column("cost", Kind.FLOAT, "what the vendor charged for this contact (instead of kpi.yaml pricing)"),
)
# ``nps`` is read as a float so that an off-scale 7.5 is reported as off-scale rather than as an
# unparseable value; the NPS KPI only accepts whole numbers 0-10.

MENTION_COLUMNS: tuple[Column, ...] = (
    Column("mention_id", Kind.STRING, "unique id of the post, comment or review within the source", required=True),
    Column("posted_at", Kind.DATETIME, "when it was posted", required=True),
    Column("vendor", Kind.STRING, "the team responsible for answering"),
    Column("network", Kind.STRING, "x, facebook, instagram, tiktok, youtube, linkedin, reddit, trustpilot, ..."),
    Column("author", Kind.STRING, "the public author"),
    Column("language", Kind.STRING, "language of the post, as the source writes it"),
    Column("sentiment", Kind.STRING, "positive, neutral, negative (a score in [-1, 1] is read as one of them)"),
    Column("rating", Kind.FLOAT, "stars of a review, 1-5"),
    Column("is_complaint", Kind.BOOL, "the post is a complaint"),
    Column("needs_reply", Kind.BOOL, "the post calls for an answer; unknown: negative or a complaint"),
    Column("replied_at", Kind.DATETIME, "first public or private answer by the brand"),
    Column("reach", Kind.INT, "followers or impressions, for weighting"),
)

VOCABULARIES: dict[str, tuple[str, ...]] = {
    "channel": ("email", "chat", "phone", "web", "social", "messaging", "sms", "other"),
    "priority": ("low", "normal", "high", "urgent"),
    "status": ("new", "open", "pending", "on_hold", "solved", "closed"),
    "network": (
        "x",
        "facebook",
        "instagram",
        "tiktok",
        "youtube",
        "linkedin",
        "reddit",
        "trustpilot",
        "google",
        "app_store",
        "play_store",
        "other",
    ),
    "sentiment": ("positive", "neutral", "negative"),
}
"""Normalized values of the vocabulary columns; anything else is a data-quality finding. The other
words exports use for them (``In Progress``, ``Medium``, ``Web Portal``) are in
:mod:`supportkpi.words`."""

RESOLVED_STATUSES: tuple[str, ...] = ("solved", "closed")
"""The statuses of a resolved contact, when an export has no resolution time."""

SENTIMENT_THRESHOLD = 0.05
"""A sentiment score in [-1, 1] below ``-SENTIMENT_THRESHOLD`` is negative, above it positive,
and neutral in between (both ends included)."""


def sentiment_word(score: pl.Expr) -> pl.Expr:
    """The word of a sentiment score in [-1, 1] by :data:`SENTIMENT_THRESHOLD` (the caller
    keeps scores off that range apart)."""
    import polars as pl  # deferred: the data model is read without polars

    return (
        pl.when(score < -SENTIMENT_THRESHOLD)
        .then(pl.lit("negative"))
        .when(score > SENTIMENT_THRESHOLD)
        .then(pl.lit("positive"))
        .otherwise(pl.lit("neutral"))
    )


COLUMNS: dict[str, Column] = {c.name: c for c in (*CONTACT_COLUMNS, *MENTION_COLUMNS)}
# a column of both tables (vendor) has one definition: the same name, type and kind
"""Every canonical column of either table, by name: what the loader types and ``--map`` accepts."""
REQUIRED: tuple[str, ...] = tuple(c.name for c in CONTACT_COLUMNS if c.required)


@dataclass(frozen=True)
class Table:
    """A canonical table: its name, the column that identifies a row (repeats are duplicates),
    the timestamp that places a row in a period, and the noun of its rows."""

    name: str
    id: str
    time: str
    columns: tuple[Column, ...]
    noun: str

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    @property
    def by_name(self) -> dict[str, Column]:
        return {c.name: c for c in self.columns}


CONTACTS = Table("contacts", "ticket_id", "created_at", CONTACT_COLUMNS, "contacts")
MENTIONS = Table("mentions", "mention_id", "posted_at", MENTION_COLUMNS, "mentions")
TABLES: dict[str, Table] = {t.name: t for t in (CONTACTS, MENTIONS)}


def table_of(columns) -> Table:
    """The canonical table a file's (canonical) columns belong to: mentions when it carries
    both ``mention_id`` and ``posted_at``, else contacts.

    >>> table_of(["mention_id", "posted_at", "rating"]).name, table_of(["ticket_id", "created_at"]).name
    ('mentions', 'contacts')
    """
    names = set(columns)
    return MENTIONS if set(MENTIONS.required) <= names else CONTACTS


SOURCE = "_source"
ROW = "_row"
DUPLICATE = "_duplicate"
INVALID_PREFIX = "_invalid_"
LEFT_OUT_PREFIX = "_left_out:"


def column_spelling(header: str) -> str:
    """A header as a column name, but for case, spaces and hyphens: how a header that names a
    canonical column is recognised (``Ticket ID`` -> ``ticket_id``).

    >>> column_spelling(" Ticket ID "), column_spelling("first-response-at")
    ('ticket_id', 'first_response_at')
    """
    return re.sub(r"[\s\-]+", "_", str(header).strip().lower())


def invalid_flag(column: str) -> str:
    """Name of the internal column that marks unparseable values of ``column``."""
    return INVALID_PREFIX + column


def left_out_flag(reason: str) -> str:
    """Name of the internal column that marks rows left out for ``reason``."""
    return LEFT_OUT_PREFIX + reason


def left_out_flags(columns) -> list[str]:
    """The left-out flag columns among ``columns``, in their order.

    >>> left_out_flags(["ticket_id", left_out_flag("deleted ticket")])
    ['_left_out:deleted ticket']
    """
    return [c for c in columns if c.startswith(LEFT_OUT_PREFIX)]


def is_internal(name: str) -> bool:
    return name.startswith("_")
