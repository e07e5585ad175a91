"""Google Maps (Google Business Profile) reviews as the ``gosom/google-maps-scraper`` saves a
place with ``-extra-reviews`` in JSON: one object per place, its reviews in
``user_reviews_extended`` (or ``user_reviews``). One row per review.

What maps where:

* ``mention_id`` is ``review_id``; ``posted_at`` is ``published_at`` (RFC 3339 in UTC, with a
  fraction of varying width); ``rating`` is ``Rating``; ``author`` is ``Name``; ``language`` is
  ``language``. The place's ``title`` is kept on each review as ``place``, a dimension for
  ``--by place``.
* ``replied_at`` is ``reply_posted_at_unix_micros`` (epoch microseconds, UTC), the owner's first
  reply (``reply_updated_at_unix_micros`` is an edit).
* ``network`` is ``google`` for every row.

What the export cannot give: no sentiment, complaint flag or reach; ``When`` ("2 months ago")
is relative to the day of scraping and is not read. Which reviews need a reply cannot be told
from the file: the response KPIs need ``reply_to: all`` in kpi.yaml. The scraper writes one
pretty-printed object per place one after the other: a file of one place reads as it is.
"""

from __future__ import annotations

from typing import Any

from supportkpi.sources._base import Field, Source, epoch_micros
from supportkpi.sources._mentions import on_network

_REVIEWS = ("user_reviews_extended", "user_reviews")


def prepare(document: Any) -> list[dict] | None:
    """The reviews of a place object, each with the place's title as ``place``; None for any
    other document."""
    if not isinstance(document, dict) or not any(isinstance(document.get(k), list) for k in _REVIEWS):
        return None
    reviews = next(document[k] for k in _REVIEWS if isinstance(document.get(k), list))
    place = document.get("title")
    return [{**review, "place": place} if isinstance(review, dict) else review for review in reviews]


SOURCE = Source(
    name="google_maps_scraper",
    title="Google Maps reviews from gosom/google-maps-scraper (JSON place with user_reviews_extended)",
    docs="https://github.com/gosom/google-maps-scraper (README: JSON output, -extra-reviews)",
    fields={
        "mention_id": Field("review_id"),
        "posted_at": Field("published_at"),
        "network": on_network("google", "review_id"),
        "author": Field("Name"),
        "language": Field("language"),
        "rating": Field("Rating"),
        "replied_at": Field("reply_posted_at_unix_micros", epoch_micros),
        "place": Field("place"),
    },
    signature=frozenset({"review_id", "Name", "Rating", "When", "published_at", "posted_at_unix_micros", "place"}),
    prepare=prepare,
    notes="One place per file; no sentiment; reply KPIs need reply_to: all in kpi.yaml.",
    canonical_table="mentions",
)
