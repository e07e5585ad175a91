"""What the presets of review and social listening exports share: the network of a file that
comes from one network only, written as a constant, and how an id is made for exports that
have none."""

from __future__ import annotations

import polars as pl

from supportkpi.sources._base import Derived


def on_network(network: str, *fields: str) -> Derived:
    """``network`` for every row of a file that has one of ``fields`` (every review of a
    Trustpilot export is a Trustpilot review)."""
    return Derived(fields, lambda col: pl.lit(network, pl.String))


def joined_id(*fields: str) -> Derived:
    """An id for exports without one: the fields' text joined with `` | `` (an author and the
    time of the post tell reviews apart where the store writes no review id). A row missing
    one of the fields has no id (and is counted, not checked for repeats)."""

    def build(col) -> pl.Expr:
        return pl.concat_str([col(f).cast(pl.String) for f in fields], separator=" | ")

    return Derived(fields, build)
