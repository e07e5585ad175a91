"""YouTube comment threads, as the YouTube Data API's ``commentThreads.list`` returns them (the
response saved as JSON: ``items`` in an envelope with ``pageInfo`` and ``nextPageToken``): one
row per top-level comment.

What maps where:

* ``mention_id`` is the thread's ``id`` (the top-level comment's id); ``posted_at`` is
  ``snippet.topLevelComment.snippet.publishedAt`` (ISO 8601, UTC); ``author`` is its
  ``authorDisplayName``.
* A top-level comment written by the channel itself (``authorChannelId.value`` equal to
  ``snippet.channelId``: a pinned description) is the brand's own post, not a mention: it is
  left out of every KPI and counted as "the channel's own comment".
* ``network`` is ``youtube`` for every row.

What the response cannot give: no sentiment, rating, complaint flag or reach (``likeCount``
counts likes). The brand's answers are among ``replies.comments``, which holds only some of a
thread's replies (``comments.list`` returns the rest), so ``replied_at`` is not read: the
response KPIs are not available. A response holds one page of a video's threads.
"""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Field, LeaveOut, Source
from supportkpi.sources._mentions import on_network

_SNIPPET = "snippet.topLevelComment.snippet."


def _own_comment(col) -> pl.Expr:
    return col(_SNIPPET + "authorChannelId.value") == col("snippet.channelId")


SOURCE = Source(
    name="youtube_comments",
    title="YouTube Data API comment threads (JSON: items[].snippet.topLevelComment)",
    docs="https://developers.google.com/youtube/v3/docs/commentThreads (resource, list)",
    fields={
        "mention_id": Field("id"),
        "posted_at": Field(_SNIPPET + "publishedAt"),
        "network": on_network("youtube", _SNIPPET + "publishedAt"),
        "author": Field(_SNIPPET + "authorDisplayName"),
    },
    signature=frozenset(
        {
            "id",
            "snippet.channelId",
            "snippet.videoId",
            _SNIPPET + "publishedAt",
            _SNIPPET + "authorDisplayName",
            "snippet.totalReplyCount",
        }
    ),
    leave_out=(
        LeaveOut("the channel's own comment", (_SNIPPET + "authorChannelId.value", "snippet.channelId"), _own_comment),
    ),
    notes="One page of threads per response; the channel's own comments are left out; no reply times.",
    canonical_table="mentions",
)
