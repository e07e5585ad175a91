"""Build ``examples/orders.csv``: an online store's orders for the customers of
``examples/contacts.csv``, for ``supportkpi clv``. Deterministic (seeded), standard library only::

    python examples/generate_orders.py

* About 60 % of the customers in the contacts placed orders, plus 400 customers who never
  contacted support (ids starting C9...).
* Orders fall in 2025 (as the contacts do); values are log-normal around 55 (in the store's
  currency), rounded to cents.
* Each customer places one order, then another with a probability that depends on their support
  experience (their last survey answer in the contacts, 1-5): 0.60 when satisfied (4-5), 0.30
  when not, 0.45 without an answer or without a contact. So the example shows satisfied customers
  re-ordering more; the data are made up and prove nothing.
* The last three rows are awkward on purpose: a guest checkout without customer_id, a refund
  written as a negative value, and a value that is not a number. ``clv`` leaves them out and counts
  them (the last two are data errors under ``--strict``).
"""

from __future__ import annotations

import csv
import math
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 2025
START = datetime(2025, 1, 1, tzinfo=UTC)
SECONDS = int((datetime(2026, 1, 1, tzinfo=UTC) - START).total_seconds())
REORDER = {"satisfied": 0.60, "not satisfied": 0.30, "none": 0.45}
NEVER_CONTACTED = 400


def experience(path: Path) -> dict[str, str]:
    """customer_id -> satisfied / not satisfied / none, from the last answered 1-5 survey."""
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    out: dict[str, str] = {}
    for row in sorted(rows, key=lambda r: r["created_at"]):
        customer = row["customer_id"].strip()
        if not customer:
            continue
        out.setdefault(customer, "none")
        try:
            score = float(row["csat"])
        except ValueError:
            continue
        if 1 <= score <= 5:
            out[customer] = "satisfied" if score >= 4 else "not satisfied"
    return out


def main() -> None:
    rng = random.Random(SEED)
    customers = experience(HERE / "contacts.csv")
    buyers = [(c, kind) for c, kind in sorted(customers.items()) if rng.random() < 0.6]
    contacted_buyers = len(buyers)
    while len(buyers) < contacted_buyers + NEVER_CONTACTED:
        candidate = f"C9{rng.randrange(10**8):08d}"
        if candidate not in customers and all(candidate != c for c, _ in buyers):
            buyers.append((candidate, "none"))
    orders = []
    for customer, kind in buyers:
        count = 1
        while count < 8 and rng.random() < REORDER[kind]:
            count += 1
        for _ in range(count):
            when = START + timedelta(seconds=rng.randrange(SECONDS))
            value = round(max(4.99, math.exp(rng.gauss(math.log(55), 0.6))), 2)
            orders.append((when, customer, f"{value:.2f}"))
    orders.sort()
    rows = [
        {
            "order_id": f"O{i:06d}",
            "customer_id": customer,
            "ordered_at": f"{when:%Y-%m-%dT%H:%M:%SZ}",
            "order_value": value,
        }
        for i, (when, customer, value) in enumerate(orders, start=1)
    ]
    n = len(rows)
    rows += [
        {"order_id": f"O{n + 1:06d}", "customer_id": "", "ordered_at": "2025-06-14T10:12:00Z", "order_value": "39.90"},
        {
            "order_id": f"O{n + 2:06d}",
            "customer_id": rows[0]["customer_id"],
            "ordered_at": "2025-02-03T08:00:00Z",
            "order_value": "-24.90",
        },
        {
            "order_id": f"O{n + 3:06d}",
            "customer_id": rows[1]["customer_id"],
            "ordered_at": "2025-09-30T17:45:00Z",
            "order_value": "n/a",
        },
    ]
    with (HERE / "orders.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=["order_id", "customer_id", "ordered_at", "order_value"], lineterminator="\n"
        )
        writer.writeheader()
        writer.writerows(rows)


if __name__ == "__main__":
    main()
