"""Trustpilot reviews as the public review pages hold them (the ``reviews`` array of the page's
``__NEXT_DATA__``, as scrapers save it; the same fields as the Trustpilot business API's
reviews): one row per review, JSON, nested objects read as ``dates.publishedDate`` etc.

What maps where:

* ``mention_id`` is ``id`` (a 24-hex review id). Scrapers that save page after page repeat the
  reviews where pages overlap: repeats of an id are counted as duplicates, the first kept.
* ``posted_at`` is ``dates.publishedDate`` (ISO 8601, UTC). ``dates.experiencedDate`` is the
  day the customer says the experience took place, and ``dates.updatedDate`` a later edit:
  neither is read.
* ``rating`` is ``rating`` (1-5 stars); ``author`` ``consumer.displayName``; ``language``
  ``language`` (ISO 639-1 already).
* ``replied_at`` is ``reply.publishedDate``, the company's reply (``reply.updatedDate`` is an
  edit of it, not the first answer).
* ``network`` is ``trustpilot`` for every row.

What the export cannot give: no sentiment, complaint flag, reach or team (a reply's signature
names an agent in its text only). The sentiment KPIs are not available, and which reviews need
a reply cannot be told from the file: the response KPIs need ``reply_to: all`` (every review
needs a reply, review sites' usual reply rate) under ``kpis.social_response_rate`` and
``kpis.social_response_time`` in kpi.yaml.
"""

from __future__ import annotations

from supportkpi.sources._base import Field, Source
from supportkpi.sources._mentions import on_network

SOURCE = Source(
    name="trustpilot",
    title="Trustpilot reviews (JSON: id, dates.publishedDate, rating, consumer.displayName, reply.publishedDate)",
    docs=(
        "https://developers.trustpilot.com/business-units-api-(public)#get-a-business-unit's-reviews ; "
        "the reviews of a Trustpilot review page (__NEXT_DATA__ props.pageProps.reviews)"
    ),
    fields={
        "mention_id": Field("id"),
        "posted_at": Field("dates.publishedDate"),
        "network": on_network("trustpilot", "dates.publishedDate"),
        "author": Field("consumer.displayName"),
        "language": Field("language"),
        "rating": Field("rating"),
        "replied_at": Field("reply.publishedDate"),
    },
    signature=frozenset(
        {
            "id",
            "rating",
            "dates.publishedDate",
            "dates.experiencedDate",
            "consumer.displayName",
            "consumer.numberOfReviews",
            "labels.verification.isVerified",
        }
    ),
    notes=(
        "No sentiment, complaint flag or reach; reply KPIs need reply_to: all in kpi.yaml. Repeated review "
        "ids (overlapping pages) are counted as duplicates."
    ),
    canonical_table="mentions",
)
