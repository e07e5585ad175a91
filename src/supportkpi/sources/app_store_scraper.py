"""App Store reviews as the ``app-store-scraper`` Python package saves them (``AppStore.review()``
then ``.reviews`` dumped as a JSON array): one row per review, the developer's answer nested
under ``developerResponse``.

What maps where:

* The export has **no review id**. ``mention_id`` is ``userName | date`` (the author's name and
  the time of the review, which tell the reviews of a store apart); two reviews by one name at
  one second would count as one, reported as a duplicate.
* ``posted_at`` is ``date``, written ``YYYY-MM-DD HH:MM:SS`` without an offset: the package reads
  Apple's UTC time and drops the ``Z``, so it is read as UTC. For an edited review (``isEdited``)
  it is the time of the edit.
* ``rating`` is ``rating`` (1-5 stars); ``author`` is ``userName``.
* ``replied_at`` is ``developerResponse.modified`` (ISO 8601 with ``Z``): the answer's last
  change, the only time the feed gives. An answer older than an edited review is a negative
  duration, left out of the response time and counted.
* ``network`` is ``app_store`` for every row.

What the export cannot give: no sentiment, complaint flag, language or reach. Which reviews need
a reply cannot be told from the file: the response KPIs need ``reply_to: all`` in kpi.yaml.
The feed behind the package returns about the latest 500 reviews of a country's store.
"""

from __future__ import annotations

from supportkpi.sources._base import Field, Source
from supportkpi.sources._mentions import joined_id, on_network

SOURCE = Source(
    name="app_store_scraper",
    title="App Store reviews from app-store-scraper (JSON: date, userName, rating, developerResponse)",
    docs="https://github.com/cowboy-bebug/app-store-scraper (README: reviews)",
    fields={
        "mention_id": joined_id("userName", "date"),
        "posted_at": Field("date"),
        "network": on_network("app_store", "userName"),
        "author": Field("userName"),
        "rating": Field("rating"),
        "replied_at": Field("developerResponse.modified"),
    },
    signature=frozenset({"date", "review", "rating", "isEdited", "title", "userName"}),
    notes=(
        "No review id: mention_id is 'userName | date'. Reply time is the answer's last change. "
        "No sentiment; reply KPIs need reply_to: all in kpi.yaml."
    ),
    canonical_table="mentions",
)
