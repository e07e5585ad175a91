"""Build ``examples/contacts.csv``: six months of contacts (July-December 2025) handled by four
outsourcing vendors, sized so that every target of ``examples/kpi.yaml`` is judged per vendor
and month. Deterministic (seeded), standard library only. Run from anywhere::

    python examples/generate_example.py

Each vendor has a profile (below): monthly volume, how fast it answers and resolves, its queue,
handle times, first-contact resolution and how satisfied its customers are.

* Acme BPO, the largest, is steady and mostly on target.
* Contoso Care answers email slowly (its contract allows it), resolves slowly and is
  short-staffed in the December peak.
* Fabrikam Helpdesk, the smallest, is quick and well rated.
* Northwind Support starts well, then slips from September on: slower first responses and
  resolutions, a longer queue, less satisfied customers.

All values are valid, so the first command prints no data warnings; the export is a real one's
shape: tickets (email, web, social) with first response and resolution timestamps, calls and
chats with their queue columns, sparse surveys, a few contacts still open at the end of the year,
and the language of each contact (each vendor answers in a few).
``examples/messy/`` has the example with deliberate data problems.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 18
MONTHS = [(2025, m) for m in range(7, 13)]
EXPORTED_AT = datetime(2026, 1, 1, 8, 0, tzinfo=UTC)  # later events are not known yet
PEAK = {11: 1.05, 12: 1.15}  # volume multiplier of the busier months

COLUMNS = [
    "ticket_id", "created_at", "channel", "vendor", "agent", "team", "priority", "status",
    "customer_id", "topic", "language", "first_response_at", "resolved_at", "first_response_seconds",
    "resolution_seconds", "reopens", "agent_replies", "customer_contacts", "transfers",
    "escalated", "csat", "nps", "ces", "qa_score", "answered_at", "abandoned", "wait_seconds",
    "talk_seconds", "hold_seconds", "acw_seconds", "converted", "order_value",
]  # fmt: skip
CHANNELS = {"email": 0.45, "chat": 0.22, "phone": 0.22, "web": 0.07, "social": 0.04}
PRIORITIES = {"low": 0.20, "normal": 0.55, "high": 0.20, "urgent": 0.05}
SPEED = {"low": 1.4, "normal": 1.0, "high": 0.6, "urgent": 0.25}  # multiplies ticket times
TOPICS = {"billing": 0.25, "technical": 0.30, "account": 0.15, "shipping": 0.18, "returns": 0.12}
TEAMS = {"billing": "Billing", "technical": "Tech Support", "account": "Accounts",
         "shipping": "Logistics", "returns": "Logistics", "sales": "Sales"}  # fmt: skip
HOURS = [0.2] * 7 + [3, 6, 9, 10, 10, 9, 9, 10, 10, 9, 7, 5, 4, 3] + [0.5] * 3  # UTC hour weights
AGENTS = 14  # per vendor
# the languages each vendor's desks answer in (ISO 639-1), and their shares of its contacts
LANGUAGES = {
    "Acme BPO": {"en": 0.5, "de": 0.3, "fr": 0.2},
    "Contoso Care": {"en": 0.6, "es": 0.25, "it": 0.15},
    "Fabrikam Helpdesk": {"de": 0.7, "en": 0.3},
    "Northwind Support": {"en": 0.55, "nl": 0.25, "sv": 0.2},
}


@dataclass(frozen=True)
class Profile:
    code: str  # agents are e.g. "ACM-007"
    volume: int  # contacts a month (before the peak)
    first_response_hours: float  # median for a normal-priority ticket
    resolution_hours: float  # median time from first response to resolution of a ticket
    wait_seconds: float  # mean wait in the queue of an answered call or chat
    abandon_share: float
    handle: float  # multiplies talk, hold and after-contact work
    one_touch: float  # share of tickets solved with one reply
    satisfied: float  # share of 4-5 answers to the 1-5 survey


PROFILES = {
    "Acme BPO": Profile("ACM", 240, 2.2, 14, 9, 0.03, 0.9, 0.58, 0.90),
    "Contoso Care": Profile("CON", 160, 5.5, 26, 10, 0.04, 1.05, 0.47, 0.83),
    "Fabrikam Helpdesk": Profile("FAB", 110, 1.2, 9, 7, 0.025, 0.9, 0.62, 0.93),
    "Northwind Support": Profile("NWS", 190, 2.0, 12, 8, 0.03, 0.95, 0.58, 0.90),
}
# Northwind's slip, month by month (0 = as its profile, 1 = as SLIPPED)
NORTHWIND_SLIP = [0.0, 0.0, 0.3, 0.6, 0.85, 1.0]
SLIPPED = Profile("NWS", 190, 8.5, 50, 26, 0.10, 1.15, 0.35, 0.70)
# Contoso is short-staffed in December: a longer queue, more callers hang up
CONTOSO_DECEMBER = {"wait_seconds": 19.0, "abandon_share": 0.09}


def month_profile(vendor: str, index: int, month: int) -> Profile:
    """The vendor's profile in the ``index``-th month of the data (calendar ``month``)."""
    profile = PROFILES[vendor]
    if vendor == "Northwind Support":
        w = NORTHWIND_SLIP[index]
        mixed = {
            name: getattr(profile, name) * (1 - w) + getattr(SLIPPED, name) * w
            for name in ("first_response_hours", "resolution_hours", "wait_seconds", "abandon_share",
                         "handle", "one_touch", "satisfied")
        }  # fmt: skip
        profile = replace(profile, **mixed)
    if vendor == "Contoso Care" and month == 12:
        profile = replace(profile, **CONTOSO_DECEMBER)
    return profile


def pick(rng: random.Random, shares: dict[str, float]) -> str:
    return rng.choices(list(shares), weights=list(shares.values()))[0]


def created_times(rng: random.Random, year: int, month: int, n: int) -> list[datetime]:
    """``n`` moments in the month: fewer at weekends (the days' weights) and at night."""
    start = datetime(year, month, 1, tzinfo=UTC)
    days = ((start.replace(month=month % 12 + 1) if month < 12 else start.replace(year=year + 1, month=1)) - start).days
    weights = [{5: 0.5, 6: 0.35}.get((start + timedelta(days=d)).weekday(), 1.0) for d in range(days)]
    picked = []
    for _ in range(n):
        day = rng.choices(range(days), weights=weights)[0]
        hour = rng.choices(range(24), weights=HOURS)[0]
        picked.append(start + timedelta(days=day, hours=hour, seconds=rng.randrange(3600)))
    return sorted(picked)


def survey(rng: random.Random, satisfied: float) -> int:
    if rng.random() < satisfied:
        return 5 if rng.random() < 0.6 else 4
    return rng.choices([1, 2, 3], weights=[0.3, 0.25, 0.45])[0]


def contact(rng: random.Random, vendor: str, p: Profile, created: datetime) -> dict[str, object]:
    """One contact's columns (ticket_id and customer_id are set by the caller)."""
    channel = pick(rng, CHANNELS)
    priority = pick(rng, PRIORITIES)
    topic = "sales" if channel == "phone" and rng.random() < 0.2 else pick(rng, TOPICS)
    queued = channel in ("chat", "phone")
    row: dict[str, object] = {
        "created_at": created, "channel": channel, "vendor": vendor,
        "agent": f"{p.code}-{rng.randrange(1, AGENTS + 1):03d}", "team": TEAMS[topic],
        "priority": priority, "topic": topic, "reopens": 0, "transfers": 0, "escalated": False,
    }  # fmt: skip
    reopens = 1 if rng.random() < 0.12 * (1.6 - p.one_touch) else 0
    if queued:
        abandoned = rng.random() < p.abandon_share
        wait = round(rng.uniform(6, 240) if abandoned else rng.expovariate(1 / p.wait_seconds))
        row.update(abandoned=abandoned, wait_seconds=wait)
        if topic == "sales":
            row["converted"] = not abandoned and rng.random() < 0.3
            if row["converted"]:
                row["order_value"] = f"{90 * rng.lognormvariate(0, 0.5):.2f}"
        if abandoned:  # the customer hung up: no agent, the contact ends there
            left = created + timedelta(seconds=wait)
            row.update(agent=None, status="closed", resolved_at=left, agent_replies=0, customer_contacts=1)
            return row
        answered = created + timedelta(seconds=wait)
        talk = round(p.handle * (300 if channel == "phone" else 420) * rng.lognormvariate(0, 0.45))
        hold = round(p.handle * 40 * rng.lognormvariate(0, 0.7)) if channel == "phone" and rng.random() < 0.35 else 0
        acw = round(p.handle * (55 if channel == "phone" else 30) * rng.lognormvariate(0, 0.4))
        first_response = answered
        row.update(answered_at=answered, talk_seconds=talk, hold_seconds=hold, acw_seconds=acw)
        ended = answered + timedelta(seconds=talk + hold + acw)
        on_the_call = reopens == 0 and rng.random() < p.one_touch + 0.2
        replies = 1 if on_the_call else rng.choice([2, 2, 3])
        follow_up = 0.0 if on_the_call else p.resolution_hours * rng.lognormvariate(0, 0.9)
        resolved = ended + timedelta(hours=follow_up)
    else:
        first_response = created + timedelta(
            hours=p.first_response_hours * SPEED[priority] * rng.lognormvariate(0, 0.8)
        )
        replies = 1 if reopens == 0 and rng.random() < p.one_touch else rng.choice([2, 2, 3, 4])
        resolved = first_response + timedelta(hours=p.resolution_hours * SPEED[priority] * rng.lognormvariate(0, 0.9))
    resolved += timedelta(days=2 * reopens * rng.lognormvariate(0, 0.5))
    row.update(first_response_at=first_response, resolved_at=resolved, status="solved" if rng.random() < 0.3 else "closed",
               agent_replies=replies + reopens, reopens=reopens,
               customer_contacts=rng.choices([1, 2, 3], weights=[0.8, 0.15, 0.05])[0])  # fmt: skip
    if rng.random() < 0.15:
        row["transfers"] = 1
    row["escalated"] = rng.random() < (0.15 if row["transfers"] else 0.03)
    if resolved > EXPORTED_AT:  # still open when the export was taken: never reopened either
        row.update(resolved_at=None, status=rng.choice(["open", "pending"]), reopens=0, agent_replies=replies)
        if first_response > EXPORTED_AT:
            row.update(first_response_at=None, status="new", agent=None, agent_replies=0)
        return row
    if rng.random() < 0.38:
        row["csat"] = survey(rng, p.satisfied - 0.2 * reopens)
    if rng.random() < 0.15:
        row["nps"] = min(10, max(0, round(rng.gauss(8.5 if p.satisfied > 0.85 else 7, 2))))
    if rng.random() < 0.10:
        row["ces"] = min(7, max(1, round(rng.gauss(5.6 if p.satisfied > 0.85 else 4.8, 1.2))))
    if rng.random() < 0.10:
        row["qa_score"] = min(100, max(40, round(rng.gauss(84 * (0.6 + 0.4 * p.satisfied / 0.9), 7))))
    return row


def text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%dT%H:%M:%SZ}"
    return str(value)


def build() -> list[dict[str, str]]:
    rng = random.Random(SEED)
    rows: list[dict[str, object]] = []
    for index, (year, month) in enumerate(MONTHS):
        for vendor in PROFILES:
            profile = month_profile(vendor, index, month)
            n = round(profile.volume * PEAK.get(month, 1.0))
            rows += [contact(rng, vendor, profile, t) for t in created_times(rng, year, month, n)]
    rows.sort(key=lambda r: (r["created_at"], r["vendor"]))  # type: ignore[arg-type, return-value]
    # customers: a fifth of the contacts come from someone who contacted support not long before
    customers: list[str] = []
    for number, row in enumerate(rows, start=1):
        row["ticket_id"] = f"T{number:06d}"
        if customers and rng.random() < 0.2:
            row["customer_id"] = rng.choice(customers[-300:])
        else:  # a number scrambled so that customer ids do not follow the tickets
            row["customer_id"] = f"C{(len(customers) * 7919 + 104729) % 1_000_000:06d}"
            customers.append(row["customer_id"])  # type: ignore[arg-type]
    # languages from a generator of their own, so that every other value is as it was before
    # the example had a language
    speakers = random.Random(f"{SEED}-language")
    for row in rows:
        row["language"] = pick(speakers, LANGUAGES[row["vendor"]])  # type: ignore[index]
    return [{c: text(row.get(c)) for c in COLUMNS} for row in rows]


def write(out: Path) -> None:
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(build())


if __name__ == "__main__":
    write(HERE / "contacts.csv")
    print(f"wrote {HERE / 'contacts.csv'}")
