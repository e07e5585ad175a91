"""Whether two sides are alike enough to compare: their channel and priority mixes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import polars as pl

MIX_COLUMNS = ("channel", "priority")
MIX_THRESHOLD = 0.2
"""Total variation distance between two sides' channel (or priority) mixes above which the
comparison warns: at 0.2, a fifth of one side's contacts would have to change channel to match."""


def mix_notes(lazy: pl.LazyFrame, side: str, sides: Sequence[str], by: Sequence[str]) -> list[str]:
    """A warning when two sides' channel or priority mixes differ a lot (total variation
    distance ≥ 0.2): comparing one side's chats with another's emails says little."""
    names = lazy.collect_schema().names()
    notes = []
    for column in MIX_COLUMNS:
        # sides that are channels (--by channel) differ in their channel mix by definition
        if column not in names or column in by or column == side:
            continue
        counts = lazy.group_by(side, column).agg(pl.len().alias("n")).collect()
        shares: dict[str, dict[Any, float]] = {}
        for name in sides:
            rows = counts.filter(pl.col(side) == name)
            total = rows["n"].sum()
            if total:
                shares[name] = {k: n / total for k, n in rows.select(column, "n").iter_rows()}
        worst = None
        for i, a in enumerate(sides):
            for b in sides[i + 1 :]:
                if a in shares and b in shares:
                    keys = set(shares[a]) | set(shares[b])
                    distance = sum(abs(shares[a].get(k, 0) - shares[b].get(k, 0)) for k in keys) / 2
                    if worst is None or distance > worst[0]:
                        worst = (distance, a, b)
        if worst and worst[0] >= MIX_THRESHOLD:
            distance, a, b = worst
            notes.append(
                f"The {column} mix differs between {a} ({_mix(shares[a])}) and {b} "
                f"({_mix(shares[b])}); distance {distance:.2f}. Compare like with like: --by {column}."
            )
    return notes


def _mix(shares: Mapping[Any, float]) -> str:
    top = sorted(shares.items(), key=lambda kv: -kv[1])[:3]
    return ", ".join(f"{'(none)' if k is None else k} {v:.0%}" for k, v in top)
