"""Shared pieces of the mentions KPIs (social posts, comments and reviews): which mentions have
a sentiment, and which call for a reply.

A mention needs a reply where the source says so (``needs_reply``); where it does not, when it
is negative or a complaint (the data model's default).

>>> import polars as pl
>>> from supportkpi.metrics._base import Context
>>> frame = pl.DataFrame({"needs_reply": [True, False, None, None, None],
...                       "sentiment": ["positive", "negative", "negative", "neutral", None],
...                       "is_complaint": [None, None, None, True, None]})
>>> frame.select(needing_reply(Context(frozenset(frame.columns))).alias("x"))["x"].to_list()
[True, False, True, True, False]
"""

from __future__ import annotations

import polars as pl

from supportkpi.metrics._base import Context, NotAvailable

NEEDS_REPLY_COLUMNS = ("needs_reply", "sentiment", "is_complaint")


def with_sentiment(ctx: Context) -> tuple[pl.Expr, dict[str, pl.Expr]]:
    """Mentions with a sentiment, and the exclusions: no sentiment, an unknown one."""
    ctx.need("sentiment")
    known = ctx.rows & ctx.known("sentiment")
    excluded = {
        "no sentiment": ctx.rows & ctx.missing("sentiment"),
        **{k: ctx.rows & v for k, v in ctx.unparseable("sentiment").items()},
    }
    return known, excluded


def is_sentiment(word: str) -> pl.Expr:
    return (pl.col("sentiment") == word).fill_null(False)


REPLY_TO_HELP = (
    "which mentions need a reply: 'needing' (needs_reply where the source says, else negative ones and "
    "complaints) or 'all' (every mention: review sites' usual reply rate, for exports that say nothing "
    "of sentiment)"
)


def needing_reply(ctx: Context, reply_to: str = "needing") -> pl.Expr:
    """Whether each mention calls for a reply: with ``reply_to="all"`` every one; else
    ``needs_reply`` where given, else negative or a complaint. Not available then when the
    input has none of the three columns."""
    if reply_to == "all":
        return pl.lit(True)
    if not any(ctx.has(c) for c in NEEDS_REPLY_COLUMNS):
        raise NotAvailable([" or ".join(NEEDS_REPLY_COLUMNS)])
    negative = is_sentiment("negative") if ctx.has("sentiment") else pl.lit(False)
    complaint = pl.col("is_complaint").fill_null(False) if ctx.has("is_complaint") else pl.lit(False)
    default = negative | complaint
    if ctx.has("needs_reply"):
        return pl.coalesce(pl.col("needs_reply"), default)
    return default


def reply_seconds() -> pl.Expr:
    """Calendar seconds from ``posted_at`` to ``replied_at``."""
    return (pl.col("replied_at") - pl.col("posted_at")).dt.total_microseconds() / 1e6
