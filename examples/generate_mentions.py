"""Build ``examples/mentions.csv``: six months (July-December 2025) of public posts, comments and
reviews about the store of ``examples/contacts.csv``, answered by two of its vendors' social
teams. Deterministic (seeded), standard library only. Run from anywhere::

    python examples/generate_mentions.py

* Social posts and comments (x, facebook, instagram, tiktok) carry a sentiment, a complaint
  flag where the listening tool tagged one, and the author's reach (followers).
* Reviews (trustpilot, google, app_store, play_store) carry stars, and a sentiment that follows
  them (1-2 negative, 3 neutral, 4-5 positive).
* Acme BPO answers quickly and almost always; Northwind Support answers fewer posts and
  slower, more so from October on, and its networks see more complaints.

A mention needs an answer when it is negative or a complaint (the data model's default); a few
rows say so themselves in ``needs_reply`` (a question, spam). All values are valid.
"""

from __future__ import annotations

import csv
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 16
START = datetime(2025, 7, 1, tzinfo=UTC)
DAYS = 184  # July to December
EXPORTED_AT = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)  # later replies are not known yet
COLUMNS = [
    "mention_id", "posted_at", "network", "vendor", "author", "language", "sentiment", "rating",
    "is_complaint", "needs_reply", "replied_at", "reach",
]  # fmt: skip
SOCIAL = {"x": 0.35, "facebook": 0.25, "instagram": 0.25, "tiktok": 0.15}
REVIEWS = {"trustpilot": 0.4, "google": 0.3, "app_store": 0.15, "play_store": 0.15}
LANGUAGES = {"en": 0.6, "de": 0.25, "fr": 0.15}
# vendor: (posts per day, share that are reviews, share negative, reply chance, median reply hours)
VENDORS = {
    "Acme BPO": (4.0, 0.35, 0.22, 0.93, 1.5),
    "Northwind Support": (2.5, 0.30, 0.30, 0.72, 5.0),
}


def pick(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def stars(rng: random.Random, negative: float) -> int:
    return rng.choices([1, 2, 3, 4, 5], weights=[negative * 0.7, negative * 0.3, 0.12, 0.3, 0.58 - negative])[0]


def mention(rng: random.Random, number: int, vendor: str, day: int) -> dict:
    per_day, review_share, negative, reply_chance, reply_hours = VENDORS[vendor]
    late = day >= 92 and vendor == "Northwind Support"  # October on: busier, slower
    posted = START + timedelta(days=day, minutes=rng.randrange(24 * 60))
    row = {c: "" for c in COLUMNS}
    row.update(
        posted_at=posted.strftime("%Y-%m-%dT%H:%M:%SZ"),
        vendor=vendor,
        author=f"user{rng.randrange(1, 4000):04d}",
        language=pick(rng, LANGUAGES),
    )
    if rng.random() < review_share:
        row["network"] = pick(rng, REVIEWS)
        rating = stars(rng, negative + (0.08 if late else 0))
        row["rating"] = str(rating)
        row["sentiment"] = "negative" if rating <= 2 else "neutral" if rating == 3 else "positive"
        row["is_complaint"] = "true" if rating == 1 else "false"
    else:
        row["network"] = pick(rng, SOCIAL)
        share = negative + (0.08 if late else 0)
        row["sentiment"] = rng.choices(["negative", "neutral", "positive"], weights=[share, 0.35, 0.65 - share])[0]
        complaint = row["sentiment"] == "negative" and rng.random() < 0.6
        row["is_complaint"] = "true" if complaint else "false"
        row["reach"] = str(int(rng.lognormvariate(5.5, 1.6)))
        if row["sentiment"] != "negative" and rng.random() < 0.05:
            row["needs_reply"] = "true"  # a question
        elif row["sentiment"] == "negative" and rng.random() < 0.03:
            row["needs_reply"] = "false"  # spam
    needs = row["needs_reply"] == "true" or (
        row["needs_reply"] == "" and (row["sentiment"] == "negative" or row["is_complaint"] == "true")
    )
    answers = rng.random() < (reply_chance - (0.1 if late else 0)) * (1.0 if needs else 0.3)
    if answers:
        hours = rng.lognormvariate(0, 1.0) * reply_hours * (1.8 if late else 1.0)
        replied = posted + timedelta(hours=hours)
        if replied < EXPORTED_AT:
            row["replied_at"] = replied.strftime("%Y-%m-%dT%H:%M:%SZ")
    return row


def write(path: Path) -> int:
    """Write the mentions to ``path``; the number of rows."""
    rng = random.Random(SEED)
    rows = []
    for day in range(DAYS):
        for vendor, (per_day, *_) in VENDORS.items():
            for _ in range(round(rng.expovariate(1 / per_day))):
                rows.append(mention(rng, len(rows) + 1, vendor, day))
    rows.sort(key=lambda r: (r["posted_at"], r["vendor"]))
    for number, row in enumerate(rows, 1):
        row["mention_id"] = f"M{number:05d}"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def main() -> None:
    path = HERE / "mentions.csv"
    print(f"wrote {write(path)} mentions to {path}")


if __name__ == "__main__":
    main()
