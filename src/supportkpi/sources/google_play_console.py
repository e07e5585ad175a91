"""Google Play Console review reports (Play Console > Download reports > Reviews, or the
``reviews/reviews_<package>_<yyyymm>.csv`` files of the bucket behind it): one row per review,
CSV. Google writes them in UTF-16 with a byte-order mark; copies re-saved as UTF-8 read the same.

What maps where:

* The report has **no review id column**: ``mention_id`` is the ``reviewid=`` of ``Review Link``
  where there is one, else ``Package Name | Review Submit Millis Since Epoch`` (a rating
  without text has no link).
* ``posted_at`` is ``Review Submit Date and Time`` (ISO 8601, UTC); ``Review Last Update Date
  and Time`` is the last edit, by which Google groups the monthly files.
* ``rating`` is ``Star Rating``; ``language`` is ``Reviewer Language`` (``en``, ``pt_BR``).
* ``replied_at`` is ``Developer Reply Date and Time``.
* ``network`` is ``play_store`` for every row.

What the report cannot give: no author (Google does not export it), sentiment, complaint flag or
reach. Which reviews need a reply cannot be told from the file: the response KPIs need
``reply_to: all`` in kpi.yaml.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived, Field, Source
from supportkpi.sources._mentions import on_network


def _review_id(col) -> pl.Expr:
    from_link = col("Review Link").cast(pl.String).str.extract(r"reviewid=([^&\s]+)")
    made = pl.concat_str(
        [col("Package Name").cast(pl.String), col("Review Submit Millis Since Epoch").cast(pl.String)],
        separator=" | ",
    )
    return pl.coalesce(from_link, made)


SOURCE = Source(
    name="google_play_console",
    title="Google Play Console review report (CSV: Package Name, Review Submit Date and Time, Star Rating, ...)",
    docs="https://support.google.com/googleplay/android-developer/answer/6135870 (reviews reports, column list)",
    fields={
        "mention_id": Derived(("Review Link", "Package Name", "Review Submit Millis Since Epoch"), _review_id),
        "posted_at": Field("Review Submit Date and Time"),
        "network": on_network("play_store", "Package Name"),
        "language": Field("Reviewer Language"),
        "rating": Field("Star Rating"),
        "replied_at": Field("Developer Reply Date and Time"),
    },
    signature=frozenset(
        {
            "Package Name",
            "Reviewer Language",
            "Review Submit Date and Time",
            "Review Last Update Date and Time",
            "Star Rating",
            "Developer Reply Date and Time",
            "Review Link",
        }
    ),
    notes="No review id column: taken from Review Link, else package | submit millis. No author or sentiment.",
    canonical_table="mentions",
)
