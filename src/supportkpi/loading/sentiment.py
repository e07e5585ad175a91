"""Sentiment given as a score: tools write either a word (positive, neutral, negative) or a
score in [-1, 1]. A score is read as its word before typing, so the vocabulary's checks apply
to both: a score outside [-1, 1] stays as written and is reported as an unknown value.

The thresholds are the data model's: below ``-SENTIMENT_THRESHOLD`` negative, above
``SENTIMENT_THRESHOLD`` positive, neutral in between (both ends included).

>>> import polars as pl
>>> frame = pl.LazyFrame({"sentiment": ["0.8", "-0.2", "0.05", "negative", "1.5", None]})
>>> as_words(frame, ["sentiment"]).collect()["sentiment"].to_list()
['positive', 'negative', 'neutral', 'negative', '1.5', None]
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from supportkpi.schema import sentiment_word

COLUMN = "sentiment"


def as_words(frame: pl.LazyFrame, names: Sequence[str]) -> pl.LazyFrame:
    """``sentiment`` scores in [-1, 1] replaced by their words; other values kept as text."""
    if COLUMN not in names:
        return frame
    text = pl.col(COLUMN).cast(pl.String)
    score = text.str.strip_chars().cast(pl.Float64, strict=False)
    in_range = score.is_not_null() & score.is_between(-1.0, 1.0)
    return frame.with_columns(pl.when(in_range).then(sentiment_word(score)).otherwise(text).alias(COLUMN))
