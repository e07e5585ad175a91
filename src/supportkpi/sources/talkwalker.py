"""Talkwalker mentions as its results export writes them (Excel; the same document fields as its
search API, nested ones flattened with dots: ``extra_author_attributes.name``): one row per
post, article or comment found by a project's search. Every cell is text.

What maps where:

* ``mention_id`` is ``url`` (the post's address: Talkwalker's documents have no other id).
* ``posted_at`` is ``published``, written ``22/09/17 11:00:24`` (day first, two-digit year) in
  the account's time zone, which the file does not name: read in the run's ``--tz`` as other
  exports without a zone are. ``indexed`` and ``search_indexed`` are when Talkwalker found the
  post, not read.
* ``network`` is ``source_type``, a list from the family to the network
  (``SOCIALMEDIA,SOCIALMEDIA_TWITTER``): Twitter is ``x``; Facebook, Instagram, YouTube, TikTok,
  LinkedIn and Reddit keep their names; news sites, blogs, forums, print, broadcast and review
  sites are ``other``. Any other type is reported as an unknown value.
* ``sentiment`` is ``sentiment``, Talkwalker's score from -5 to 5: below 0 negative, 0 neutral,
  above 0 positive (the data model's threshold on the scale brought to [-1, 1]).
* ``author`` is ``extra_author_attributes.short_name`` (the handle), else ``.name``;
  ``language`` ``lang`` (ISO 639-1); ``reach`` ``reach`` (followers or page views).

What the export cannot give: a listening tool holds what others posted, not the brand's answers:
no reply time, complaint flag or rating. Reposts (``tags_internal`` holding ``isRepost``) are
mentions as Talkwalker counts them and are kept.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source, sentiment_scale, timestamp, vocabulary

_SOCIAL = {
    "SOCIALMEDIA_TWITTER": "x",
    "SOCIALMEDIA_FACEBOOK": "facebook",
    "SOCIALMEDIA_INSTAGRAM": "instagram",
    "SOCIALMEDIA_YOUTUBE": "youtube",
    "SOCIALMEDIA_TIKTOK": "tiktok",
    "SOCIALMEDIA_LINKEDIN": "linkedin",
    "SOCIALMEDIA_REDDIT": "reddit",
}
# source families without a network of their own (their sub-types, ONLINENEWS_NEWSPAPER, alike)
_OTHER = ("ONLINENEWS", "NEWS", "BLOG", "FORUM", "MESSAGEBOARD", "PRINT", "BROADCAST", "REVIEW", "OTHER")
_NETWORKS = vocabulary({**_SOCIAL, **dict.fromkeys(_OTHER, "other")})


def _network(raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """The network of ``source_type``: its most specific item when that is a social network,
    else the family of its first item.

    >>> frame = pl.DataFrame({"t": ["SOCIALMEDIA,SOCIALMEDIA_TWITTER", "ONLINENEWS,ONLINENEWS_NEWSPAPER", "FAX"]})
    >>> value, ok = _network(pl.col("t"))
    >>> frame.select(value, ok.alias("ok")).rows()
    [('x', True), ('other', True), (None, False)]
    """
    items = raw.cast(pl.String).str.strip_chars().str.to_uppercase().str.split(",")
    last = items.list.last().str.strip_chars()
    family = items.list.first().str.strip_chars().str.split("_").list.first()
    return _NETWORKS(pl.when(last.is_in(list(_SOCIAL))).then(last).otherwise(family))


_AUTHOR = ("extra_author_attributes.short_name", "extra_author_attributes.name")


def _author(col) -> pl.Expr:
    """The handle, else the name (a Facebook page's post has a name and no handle)."""
    texts = [col(f).cast(pl.String).str.strip_chars() for f in _AUTHOR]
    return pl.coalesce([pl.when(t.str.len_bytes() > 0).then(t) for t in texts])


SOURCE = Source(
    name="talkwalker",
    title="Talkwalker results export (Excel: url, published, source_type, sentiment -5..5, reach)",
    docs=(
        "https://developer.talkwalker.com/docs/talkwalker-documents (document fields: published, "
        "source_type, sentiment, reach, extra_author_attributes)"
    ),
    fields={
        "mention_id": Field("url"),
        "posted_at": Field("published", timestamp("%d/%m/%y %H:%M:%S")),
        "network": Field("source_type", _network),
        "author": Derived(_AUTHOR, _author),
        "language": Field("lang"),
        "sentiment": Field("sentiment", sentiment_scale(-5, 5)),
        "reach": Field("reach"),
    },
    signature=frozenset(
        {
            "url",
            "published",
            "search_indexed",
            "source_type",
            "sentiment",
            "reach",
            "matched_profile",
            "tags_internal",
            "extra_author_attributes.name",
        }
    ),
    notes=(
        "published has no time zone (the account's): read in --tz. Sentiment -5..5. No replies, complaint "
        "flag or rating; reposts are kept as mentions."
    ),
    canonical_table="mentions",
)
