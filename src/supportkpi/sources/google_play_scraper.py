"""Google Play reviews as the ``google-play-scraper`` Python package saves them (``reviews()``
or ``reviews_all()`` dumped as a JSON array): one row per review.

What maps where:

* ``mention_id`` is ``reviewId``; ``rating`` is ``score`` (1-5 stars); ``author`` is
  ``userName``.
* ``posted_at`` is ``at`` and ``replied_at`` is ``repliedAt``, both written
  ``YYYY-MM-DD HH:MM:SS`` without an offset: the package turns Google's epoch seconds into the
  local time of the machine that ran it. Pass ``--tz`` with that machine's zone (default UTC).
  ``at`` is the time of the review's latest edit, so a review edited after the developer's reply
  has a reply before its post: a negative duration, left out of the response time and counted.
* ``network`` is ``play_store`` for every row.

What the export cannot give: no sentiment, complaint flag, language or reach
(``thumbsUpCount`` counts "helpful" votes, not readers). Which reviews need a reply cannot be
told from the file: the response KPIs need ``reply_to: all`` in kpi.yaml.
"""

from __future__ import annotations

from supportkpi.sources._base import Field, Source
from supportkpi.sources._mentions import on_network

SOURCE = Source(
    name="google_play_scraper",
    title="Google Play reviews from google-play-scraper (JSON: reviewId, at, score, repliedAt)",
    docs="https://github.com/JoMingyu/google-play-scraper (README: reviews, result fields)",
    fields={
        "mention_id": Field("reviewId"),
        "posted_at": Field("at"),
        "network": on_network("play_store", "reviewId"),
        "author": Field("userName"),
        "rating": Field("score"),
        "replied_at": Field("repliedAt"),
    },
    signature=frozenset(
        {"reviewId", "userName", "score", "thumbsUpCount", "reviewCreatedVersion", "at", "replyContent", "repliedAt"}
    ),
    notes=(
        "Times are local to the machine that ran the scraper: pass --tz. 'at' is the latest edit of a review. "
        "No sentiment; reply KPIs need reply_to: all in kpi.yaml."
    ),
    canonical_table="mentions",
)
