"""Business hours, holidays, vendor calendars and SLA policies, end to end (issue 4).

Worked examples by hand through the public API (``supportkpi.compute`` / ``engine.breaches``
with a kpi.yaml parsed by ``parse_config``) and through the CLI (``supportkpi compute
--hours business / --as-of / --breaches``). Every expected number is worked out in a comment.

Time zones: Europe/Berlin is CET = UTC+1 in winter and CEST = UTC+2 in summer; in 2025 the
clocks go forward on Sun 2025-03-30 (02:00 CET -> 03:00 CEST) and back on Sun 2025-10-26
(03:00 CEST -> 02:00 CET). "L" below means Berlin local wall-clock time.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import polars as pl
import pytest

from supportkpi import compute
from supportkpi.config import parse_config
from supportkpi.engine import breaches
from supportkpi.errors import ConfigError
from supportkpi.schedules import Calendars

UTC = UTC
BERLIN = ZoneInfo("Europe/Berlin")
BUSINESS = {"first_response_time": {"clock": "business"}, "resolution_time": {"clock": "business"}}


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def berlin(*args: int) -> datetime:
    """A Berlin wall-clock time as a UTC instant."""
    return datetime(*args, tzinfo=BERLIN).astimezone(UTC)


OFFICE_YAML = """
calendars:
  default:
    timezone: Europe/Berlin
    hours:
      weekdays: ["08:00-18:00"]
"""

HOLIDAY_YAML = """
calendars:
  default:
    timezone: Europe/Berlin
    hours:
      weekdays: ["08:00-18:00"]
    holidays: {country: DE, subdiv: BE}
"""


def calendars_of(text: str) -> Calendars:
    return Calendars.from_config(parse_config(text))


def tickets(rows: list[dict]) -> pl.DataFrame:
    """Canonical contacts; timestamps as Datetime("us", "UTC")."""
    columns = ["ticket_id", "created_at", "first_response_at", "resolved_at", "vendor", "priority", "channel"]
    data = {c: [r.get(c) for r in rows] for c in columns}
    schema = {
        "ticket_id": pl.String,
        "created_at": pl.Datetime("us", "UTC"),
        "first_response_at": pl.Datetime("us", "UTC"),
        "resolved_at": pl.Datetime("us", "UTC"),
        "vendor": pl.String,
        "priority": pl.String,
        "channel": pl.String,
    }
    return pl.DataFrame(data, schema=schema)


def business_kpis(rows: list[dict], yaml_text: str, by: list[str] = ()) -> list:
    result = compute(
        tickets(rows),
        ["first_response_time", "resolution_time"],
        by=list(by),
        calendars=calendars_of(yaml_text),
        params=BUSINESS,
    )
    return result.groups


def hours(rows: list[dict], yaml_text: str, kpi: str = "first_response_time") -> float | None:
    """Headline (median) of a one-group business-hours duration KPI."""
    (group,) = business_kpis(rows, yaml_text)
    return group.kpis[kpi].value


# ============================================================================================
# Business-hours durations: Mon-Fri 08:00-18:00 Europe/Berlin, calendar named `default`
# ============================================================================================


def test_ticket_spanning_a_weekend_counts_only_weekday_hours():
    # Created Fri 2025-01-10 17:00 L (16:00 UTC), first reply Mon 2025-01-13 09:00 L (08:00 UTC):
    #   Friday 17:00-18:00 = 1 h, Sat/Sun closed, Monday 08:00-09:00 = 1 h  -> 2 h
    # Resolved Tue 2025-01-14 10:00 L: Fri 1 h + Mon 10 h + Tue 2 h = 13 h
    # (calendar time would be 64 h and 89 h)
    rows = [
        {
            "ticket_id": "W",
            "created_at": berlin(2025, 1, 10, 17),
            "first_response_at": utc(2025, 1, 13, 8),
            "resolved_at": berlin(2025, 1, 14, 10),
        }
    ]
    (group,) = business_kpis(rows, OFFICE_YAML)
    assert group.kpis["first_response_time"].value == pytest.approx(2.0)
    assert group.kpis["resolution_time"].value == pytest.approx(13.0)
    assert group.kpis["first_response_time"].n == 1


def test_calendar_clock_is_unchanged_by_a_calendar_being_declared():
    # same ticket, calendar clock: Fri 16:00 UTC -> Mon 08:00 UTC = 8 + 48 + 8 = 64 h
    rows = [{"ticket_id": "W", "created_at": berlin(2025, 1, 10, 17), "first_response_at": utc(2025, 1, 13, 8)}]
    result = compute(tickets(rows), ["first_response_time"], calendars=calendars_of(OFFICE_YAML))
    assert result.groups[0].kpis["first_response_time"].value == pytest.approx(64.0)


def test_output_names_the_schedule_used():
    rows = [{"ticket_id": "W", "created_at": berlin(2025, 1, 10, 17), "first_response_at": utc(2025, 1, 13, 8)}]
    (group,) = business_kpis(rows, OFFICE_YAML)
    variant = group.kpis["first_response_time"].variant
    assert "business hours" in variant and "default" in variant


def test_public_holiday_is_closed():
    # Created Thu 2025-10-02 17:00 L (15:00 UTC, CEST), reply Mon 2025-10-06 10:00 L (08:00 UTC).
    #   Thu 17:00-18:00 = 1 h; Fri 10-03 German Unity Day closed; weekend closed;
    #   Mon 08:00-10:00 = 2 h  -> 3 h  (13 h without the holiday)
    rows = [{"ticket_id": "H", "created_at": utc(2025, 10, 2, 15), "first_response_at": utc(2025, 10, 6, 8)}]
    assert hours(rows, HOLIDAY_YAML) == pytest.approx(3.0)
    assert hours(rows, OFFICE_YAML) == pytest.approx(13.0)


def test_remove_reopens_a_holiday():
    # As above with `remove: [2025-10-03]`: Friday counts its 10 h again -> 1 + 10 + 2 = 13 h
    yaml_text = HOLIDAY_YAML + "    remove: [2025-10-03]\n"
    rows = [{"ticket_id": "H", "created_at": utc(2025, 10, 2, 15), "first_response_at": utc(2025, 10, 6, 8)}]
    assert hours(rows, yaml_text) == pytest.approx(13.0)


def test_add_half_day_and_closed_day():
    # add: 2025-12-24 (Wed) open 08:00-12:00 only; 2025-12-22 (Mon) closed; Dec 25/26 are
    # public holidays in Berlin; Dec 27/28 weekend.
    yaml_text = HOLIDAY_YAML + ("    add:\n      - 2025-12-22\n      - {date: 2025-12-24, hours: ['08:00-12:00']}\n")
    rows = [
        # "half": created Wed Dec 24 11:00 L (10:00 UTC, CET), reply Mon Dec 29 09:00 L:
        #   Dec 24 11:00-12:00 = 1 h, Dec 25-28 closed, Dec 29 08:00-09:00 = 1 h -> 2 h
        {"ticket_id": "half", "created_at": utc(2025, 12, 24, 10), "first_response_at": berlin(2025, 12, 29, 9)},
    ]
    assert hours(rows, yaml_text) == pytest.approx(2.0)
    # "closed": created Fri Dec 19 17:00 L, reply Tue Dec 23 09:00 L:
    #   Fri 1 h, weekend closed, Mon Dec 22 added as closed, Tue 08:00-09:00 1 h -> 2 h
    rows = [
        {"ticket_id": "closed", "created_at": berlin(2025, 12, 19, 17), "first_response_at": berlin(2025, 12, 23, 9)}
    ]
    assert hours(rows, yaml_text) == pytest.approx(2.0)
    assert hours(rows, HOLIDAY_YAML) == pytest.approx(12.0)  # Mon Dec 22 open: 1 + 10 + 1


def test_weekday_calendar_across_spring_dst_change():
    # Created Fri 2025-03-28 17:00 L = 16:00 UTC (CET); reply Mon 2025-03-31 09:00 L = 07:00 UTC
    # (CEST). Fri 1 h + Mon 08:00-09:00 1 h = 2 h  (calendar time 63 h: the weekend lost an hour)
    rows = [{"ticket_id": "D", "created_at": utc(2025, 3, 28, 16), "first_response_at": utc(2025, 3, 31, 7)}]
    assert hours(rows, OFFICE_YAML) == pytest.approx(2.0)


NIGHT_YAML = """
calendars:
  default:
    timezone: Europe/Berlin
    hours:
      daily: ["22:00-06:00"]
"""


def test_overnight_shift_on_the_night_clocks_go_forward_lasts_7_hours():
    # Shift Sat 2025-03-29 22:00 CET (21:00 UTC) -> Sun 03-30 06:00 CEST (04:00 UTC): 7 real hours.
    # Ticket created 20:00 UTC (21:00 L, before the shift), resolved Sun 05:00 UTC (07:00 L,
    # after it): business 7 h, calendar 9 h.
    rows = [{"ticket_id": "N", "created_at": utc(2025, 3, 29, 20), "resolved_at": utc(2025, 3, 30, 5)}]
    assert hours(rows, NIGHT_YAML, "resolution_time") == pytest.approx(7.0)


def test_overnight_shift_on_the_night_clocks_go_back_lasts_9_hours():
    # Shift Sat 2025-10-25 22:00 CEST (20:00 UTC) -> Sun 10-26 06:00 CET (05:00 UTC): 9 real hours.
    # Ticket created 19:00 UTC, resolved 06:00 UTC: business 9 h, calendar 11 h.
    rows = [{"ticket_id": "N", "created_at": utc(2025, 10, 25, 19), "resolved_at": utc(2025, 10, 26, 6)}]
    assert hours(rows, NIGHT_YAML, "resolution_time") == pytest.approx(9.0)


def test_overnight_shift_belongs_to_the_day_it_starts():
    # weekdays 22:00-06:00: Friday's shift runs into Saturday 06:00; Saturday has none.
    # Created Sat 2025-01-11 03:00 L (02:00 UTC), reply Sat 10:00 L: 03:00-06:00 = 3 h
    # Created Sat 2025-01-11 07:00 L, reply Mon 2025-01-13 02:00 L: no Saturday or Sunday
    #   shift, and Monday's opens only at 22:00 -> 0 h
    yaml_text = NIGHT_YAML.replace("daily", "weekdays")
    rows = [{"ticket_id": "a", "created_at": berlin(2025, 1, 11, 3), "first_response_at": berlin(2025, 1, 11, 10)}]
    assert hours(rows, yaml_text) == pytest.approx(3.0)
    rows = [{"ticket_id": "b", "created_at": berlin(2025, 1, 11, 7), "first_response_at": berlin(2025, 1, 13, 2)}]
    assert hours(rows, yaml_text) == pytest.approx(0.0)


def test_created_saturday_answered_monday_0900_is_one_business_hour():
    # Created Sat 2025-01-11 11:00 L: the clock starts Mon 08:00 L; reply Mon 09:00 L -> 1 h
    rows = [{"ticket_id": "S", "created_at": berlin(2025, 1, 11, 11), "first_response_at": berlin(2025, 1, 13, 9)}]
    assert hours(rows, OFFICE_YAML) == pytest.approx(1.0)


def test_resolved_before_opening_is_zero_business_hours_and_still_counted():
    # Created Sat 2025-01-11 11:00 L, resolved Sun 2025-01-12 15:00 L: nothing open -> 0 h.
    # 0 is a valid duration (not negative): n = 1, nothing excluded as negative.
    rows = [{"ticket_id": "Z", "created_at": berlin(2025, 1, 11, 11), "resolved_at": berlin(2025, 1, 12, 15)}]
    (group,) = business_kpis(rows, OFFICE_YAML)
    kpi = group.kpis["resolution_time"]
    assert kpi.value == 0.0
    assert kpi.n == 1
    assert kpi.excluded["negative duration"] == 0


def test_median_over_several_business_durations():
    # 1 h (Sat -> Mon 09:00), 2 h (weekend), 3 h (Mon 08:00 -> 11:00), no reply (excluded)
    # median of [1, 2, 3] = 2; mean 2; p90 nearest rank ceil(2.7) = 3rd = 3
    rows = [
        {"ticket_id": "1", "created_at": berlin(2025, 1, 11, 11), "first_response_at": berlin(2025, 1, 13, 9)},
        {"ticket_id": "2", "created_at": berlin(2025, 1, 10, 17), "first_response_at": berlin(2025, 1, 13, 9)},
        {"ticket_id": "3", "created_at": berlin(2025, 1, 13, 8), "first_response_at": berlin(2025, 1, 13, 11)},
        {"ticket_id": "4", "created_at": berlin(2025, 1, 13, 8)},
    ]
    (group,) = business_kpis(rows, OFFICE_YAML)
    kpi = group.kpis["first_response_time"]
    assert (kpi.value, kpi.n) == (pytest.approx(2.0), 3)
    assert kpi.stats["mean"] == pytest.approx(2.0)
    assert kpi.stats["p90"] == pytest.approx(3.0)
    assert kpi.excluded["no response yet"] == 1


def test_no_calendar_declared_means_24_7_in_the_report_time_zone():
    # business clock without calendars: every hour counts: Fri 16:00 -> Mon 08:00 UTC = 64 h
    rows = [{"ticket_id": "W", "created_at": utc(2025, 1, 10, 16), "first_response_at": utc(2025, 1, 13, 8)}]
    result = compute(tickets(rows), ["first_response_time"], params=BUSINESS)
    assert result.groups[0].kpis["first_response_time"].value == pytest.approx(64.0)


# ============================================================================================
# A vendor with its own calendar
# ============================================================================================

VENDOR_YAML = (
    OFFICE_YAML
    + """
  night:
    timezone: Europe/Berlin
    hours:
      daily: ["22:00-06:00"]
vendors:
  Acme: {calendar: night}
"""
)


def test_vendor_with_its_own_calendar_vs_the_default():
    # Same timestamps for both vendors: created Mon 2025-01-13 20:00 L, reply Tue 09:00 L.
    #   Acme (night 22:00-06:00): 22:00-06:00 = 8 h
    #   Beta (default office):    Mon 20:00 is after closing; Tue 08:00-09:00 = 1 h
    rows = [
        {
            "ticket_id": v,
            "vendor": v,
            "created_at": berlin(2025, 1, 13, 20),
            "first_response_at": berlin(2025, 1, 14, 9),
        }
        for v in ("Acme", "Beta")
    ]
    groups = business_kpis(rows, VENDOR_YAML, by=["vendor"])
    values = {g.keys["vendor"]: g.kpis["first_response_time"].value for g in groups}
    assert values == {"Acme": pytest.approx(8.0), "Beta": pytest.approx(1.0)}
    variant = groups[0].kpis["first_response_time"].variant
    assert "Acme -> night" in variant


def test_vendor_calendar_applies_without_grouping():
    # ungrouped: durations 8 h and 1 h -> median (1 + 8) / 2 = 4.5, mean 4.5
    rows = [
        {
            "ticket_id": v,
            "vendor": v,
            "created_at": berlin(2025, 1, 13, 20),
            "first_response_at": berlin(2025, 1, 14, 9),
        }
        for v in ("Acme", "Beta")
    ]
    assert hours(rows, VENDOR_YAML) == pytest.approx(4.5)


# ============================================================================================
# SLA policies
# ============================================================================================
#
# Calendar `default`: Mon-Fri 08:00-18:00 Berlin (January: CET, L = UTC+1).
# Policy first_reply (first_response_time, business clock) and first_reply_cal (same targets,
# calendar clock); targets, first match wins:
#   1. priority high + channel chat: 30 min
#   2. priority high:                4 h
#   3. channel email:                8 h
#
#        priority channel created (L)        first reply (L)     target  business        calendar
#   T1   high     chat    Mon 01-13 09:00    Mon 09:30           0.5 h   0.5 met exactly 0.5 met
#   T2   high     email   Mon 01-13 15:00    Tue 09:00           4 h     3+1 = 4 met     18 late
#   T3   high     email   Mon 01-13 10:00    Mon 14:30           4 h     4.5 late        4.5 late
#   T4   normal   email   Fri 01-10 17:00    Mon 01-13 15:00     8 h     1+7 = 8 met     70 late
#   T5   normal   phone   Mon 01-13 09:00    Mon 20:00           none: excluded ("no target")
#   T6   high     email   Tue 01-14 09:00    -                   4 h     waiting
#   T7   high     chat    Tue 01-14 11:00    -                   0.5 h   waiting
#
# Latest timestamp in the data: T7's creation, Tue 11:00 L (10:00 UTC) = default as_of.
#   T6 waited 09:00-11:00 = 2 h < 4 h, T7 0 h: both "in progress".
#   business: met T1 T2 T4, late T3 -> 3/4 = 75 %; calendar: met T1 -> 1/4 = 25 %
# At as_of Tue 13:30 L (12:30 UTC):
#   T6 waited 4.5 h > 4 (breached by 0.5), T7 waited 11:00-13:30 = 2.5 h > 0.5 (by 2.0)
#   business: 3 met / 6 = 50 %; calendar: 1 met / 6 = 16.67 %

SLA_YAML = (
    OFFICE_YAML
    + """
sla:
  - name: first_reply
    metric: first_response_time
    targets:
      - {priority: high, channel: chat, minutes: 30}
      - {priority: high, hours: 4}
      - {channel: email, hours: 8}
  - name: first_reply_cal
    metric: first_response_time
    clock: calendar
    targets:
      - {priority: high, channel: chat, minutes: 30}
      - {priority: high, hours: 4}
      - {channel: email, hours: 8}
"""
)

SLA_ROWS = [
    ("T1", "high", "chat", berlin(2025, 1, 13, 9), berlin(2025, 1, 13, 9, 30)),
    ("T2", "high", "email", berlin(2025, 1, 13, 15), berlin(2025, 1, 14, 9)),
    ("T3", "high", "email", berlin(2025, 1, 13, 10), berlin(2025, 1, 13, 14, 30)),
    ("T4", "normal", "email", berlin(2025, 1, 10, 17), berlin(2025, 1, 13, 15)),
    ("T5", "normal", "phone", berlin(2025, 1, 13, 9), berlin(2025, 1, 13, 20)),
    ("T6", "high", "email", berlin(2025, 1, 14, 9), None),
    ("T7", "high", "chat", berlin(2025, 1, 14, 11), None),
]
LATER = utc(2025, 1, 14, 12, 30)  # Tue 13:30 L


def sla_frame() -> pl.DataFrame:
    return tickets(
        [
            {"ticket_id": t, "priority": p, "channel": c, "created_at": s, "first_response_at": e}
            for t, p, c, s, e in SLA_ROWS
        ]
    )


def sla_result(as_of: datetime | None = None, kpis=("sla_compliance",)) -> dict:
    config = parse_config(SLA_YAML)
    result = compute(
        sla_frame(),
        None if kpis is None else list(kpis),
        calendars=Calendars.from_config(config),
        sla=config.sla,
        as_of=as_of,
    )
    (group,) = result.groups
    return group.kpis


def test_sla_at_default_as_of_business_clock():
    kpi = sla_result()["sla_compliance.first_reply"]
    assert kpi.value == pytest.approx(75.0)
    assert kpi.n == 4
    assert kpi.stats["breached"] == 1
    assert kpi.excluded["in progress"] == 2
    assert kpi.excluded["no target for this contact"] == 1
    assert "business" in kpi.variant and "first_response_time" in kpi.variant


def test_sla_at_default_as_of_calendar_clock():
    kpi = sla_result()["sla_compliance.first_reply_cal"]
    assert kpi.value == pytest.approx(25.0)
    assert (kpi.n, kpi.stats["breached"]) == (4, 3)
    assert kpi.excluded["in progress"] == 2
    assert "calendar" in kpi.variant


def test_default_as_of_is_the_latest_timestamp_not_the_wall_clock():
    # If "now" were used, T6 and T7 would be long overdue (2 more breaches, n 6).
    assert (
        sla_result()["sla_compliance.first_reply"].n
        == sla_result(as_of=utc(2025, 1, 14, 10))["sla_compliance.first_reply"].n
        == 4
    )


def test_open_tickets_past_their_target_at_as_of_are_breached():
    kpis = sla_result(as_of=LATER)
    business = kpis["sla_compliance.first_reply"]
    assert business.value == pytest.approx(50.0)
    assert (business.n, business.stats["breached"], business.excluded["in progress"]) == (6, 3, 0)
    calendar = kpis["sla_compliance.first_reply_cal"]
    assert calendar.value == pytest.approx(100 / 6)
    assert (calendar.n, calendar.stats["breached"]) == (6, 5)


def test_open_ticket_inside_target_is_in_progress_on_business_clock_only():
    # as_of Tue 12:30 L (11:30 UTC): T6 waited 3.5 h (< 4), T7 1.5 h (> 0.5: breached).
    # business: met 3 of T1-T4 + T7 -> 3/5 = 60 %, in progress 1
    kpi = sla_result(as_of=utc(2025, 1, 14, 11, 30))["sla_compliance.first_reply"]
    assert kpi.value == pytest.approx(60.0)
    assert (kpi.n, kpi.excluded["in progress"]) == (5, 1)


def test_open_ticket_waiting_outside_hours_does_not_breach():
    # as_of Tue 2025-01-14 23:00 L is after closing: T6 waited 09:00-18:00 = 9 h > 4 (breached),
    # T7 11:00-18:00 = 7 h. A business-clock waiting time stops at closing, so as_of Wed 07:00 L
    # gives the same counts.
    a = sla_result(as_of=berlin(2025, 1, 14, 23))["sla_compliance.first_reply"]
    b = sla_result(as_of=berlin(2025, 1, 15, 7))["sla_compliance.first_reply"]
    assert (a.value, a.n) == (b.value, b.n) == (pytest.approx(50.0), 6)


def test_sla_compliance_only_when_asked_or_all():
    # asking for another KPI only leaves the policies out; no --kpi computes them too
    assert "sla_compliance.first_reply" not in sla_result(kpis=("ticket_volume",))
    assert "sla_compliance.first_reply" in sla_result(kpis=None)


def test_contacts_without_a_priority_column_get_no_priority_target():
    # Without `priority`, only target 3 (email: 8 h) can match: T2, T3, T4, T6 (email).
    # business: T2 4 h, T3 4.5 h, T4 8 h all <= 8: met 3; T6 at default as_of
    # (latest = T7 created Tue 11:00 L) waited 2 h -> in progress. T1, T5, T7 no target.
    config = parse_config(SLA_YAML)
    frame = sla_frame().drop("priority")
    result = compute(frame, ["sla_compliance"], calendars=Calendars.from_config(config), sla=config.sla[:1])
    kpi = result.groups[0].kpis["sla_compliance.first_reply"]
    assert (kpi.value, kpi.n) == (pytest.approx(100.0), 3)
    assert kpi.excluded["no target for this contact"] == 3
    assert kpi.excluded["in progress"] == 1


def test_resolution_policy_met_exactly_and_late():
    # resolution_time, business, target 10 h:
    #   R1 Fri 01-10 08:00 L -> Mon 01-13 08:00 L: Fri 10 h = 10 h exactly  -> met
    #   R2 Fri 01-10 08:00 L -> Mon 01-13 08:01 L: 10 h 1 min            -> late
    yaml_text = (
        OFFICE_YAML
        + """
sla:
  - name: fix
    metric: resolution_time
    targets: [{hours: 10}]
"""
    )
    config = parse_config(yaml_text)
    frame = tickets(
        [
            {"ticket_id": "R1", "created_at": berlin(2025, 1, 10, 8), "resolved_at": berlin(2025, 1, 13, 8)},
            {"ticket_id": "R2", "created_at": berlin(2025, 1, 10, 8), "resolved_at": berlin(2025, 1, 13, 8, 1)},
        ]
    )
    result = compute(frame, ["sla_compliance"], calendars=Calendars.from_config(config), sla=config.sla)
    kpi = result.groups[0].kpis["sla_compliance.fix"]
    assert (kpi.value, kpi.n, kpi.stats["breached"]) == (pytest.approx(50.0), 2, 1)
    table, _ = breaches(frame, config.sla, calendars=Calendars.from_config(config))
    assert table["ticket_id"].to_list() == ["R2"]
    assert table["over_by_hours"][0] == pytest.approx(1 / 60)


# --- vendors and SLA ---------------------------------------------------------------------

SLA_VENDOR_YAML = (
    VENDOR_YAML
    + """
sla:
  - name: own
    metric: first_response_time
    targets: [{hours: 4}]
  - name: office
    metric: first_response_time
    calendar: default
    targets: [{hours: 4}]
  - name: acme_only
    metric: first_response_time
    targets: [{vendor: Acme, hours: 4}]
"""
)


def test_sla_uses_each_vendors_calendar_unless_the_policy_names_one():
    # created Mon 2025-01-13 20:00 L, reply Tue 09:00 L (as in the vendor test above):
    #   own:       Acme night 8 h > 4 late; Beta office 1 h met           -> 50 %
    #   office:    both office 1 h, met                                     -> 100 %
    #   acme_only: Acme night 8 h late; Beta no target                     -> 0 %, n 1
    config = parse_config(SLA_VENDOR_YAML)
    rows = [
        {
            "ticket_id": v,
            "vendor": v,
            "created_at": berlin(2025, 1, 13, 20),
            "first_response_at": berlin(2025, 1, 14, 9),
        }
        for v in ("Acme", "Beta")
    ]
    result = compute(tickets(rows), ["sla_compliance"], calendars=Calendars.from_config(config), sla=config.sla)
    kpis = result.groups[0].kpis
    assert (kpis["sla_compliance.own"].value, kpis["sla_compliance.own"].n) == (pytest.approx(50.0), 2)
    assert (kpis["sla_compliance.office"].value, kpis["sla_compliance.office"].n) == (pytest.approx(100.0), 2)
    acme = kpis["sla_compliance.acme_only"]
    assert (acme.value, acme.n, acme.excluded["no target for this contact"]) == (pytest.approx(0.0), 1, 1)
    table, _ = breaches(tickets(rows), config.sla, calendars=Calendars.from_config(config))
    assert sorted(zip(table["policy"], table["ticket_id"])) == [("acme_only", "Acme"), ("own", "Acme")]
    assert table["measured_hours"].to_list() == [pytest.approx(8.0)] * 2


# --- the breach list ---------------------------------------------------------------------


def test_breaches_api_lists_late_and_still_waiting_contacts():
    config = parse_config(SLA_YAML)
    table, _ = breaches(sla_frame(), config.sla[:1], calendars=Calendars.from_config(config), as_of=LATER)
    rows = {r["ticket_id"]: r for r in table.to_dicts()}
    assert sorted(rows) == ["T3", "T6", "T7"]
    assert rows["T3"]["state"] == "late"
    assert (rows["T3"]["target_hours"], rows["T3"]["measured_hours"], rows["T3"]["over_by_hours"]) == (
        pytest.approx(4.0),
        pytest.approx(4.5),
        pytest.approx(0.5),
    )
    assert rows["T6"]["state"] == rows["T7"]["state"] == "still waiting"
    assert (rows["T7"]["target_hours"], rows["T7"]["measured_hours"], rows["T7"]["over_by_hours"]) == (
        pytest.approx(0.5),
        pytest.approx(2.5),
        pytest.approx(2.0),
    )
    assert all(r["policy"] == "first_reply" for r in rows.values())


def test_breaches_api_default_as_of_lists_only_answered_late():
    config = parse_config(SLA_YAML)
    table, _ = breaches(sla_frame(), config.sla[:1], calendars=Calendars.from_config(config))
    assert table["ticket_id"].to_list() == ["T3"]


# ============================================================================================
# CLI
# ============================================================================================

CSV_HEADER = ["ticket_id", "created_at", "priority", "channel", "first_response_at"]


def iso(value: datetime | None) -> str:
    return "" if value is None else value.strftime("%Y-%m-%dT%H:%M:%SZ")


def write_inputs(tmp_path: Path, yaml_text: str = SLA_YAML) -> tuple[Path, Path]:
    data = tmp_path / "tickets.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for t, p, c, s, e in SLA_ROWS:
        writer.writerow([t, iso(s), p, c, iso(e)])
    data.write_text(out.getvalue(), encoding="utf-8")
    config = tmp_path / "kpi.yaml"
    config.write_text(yaml_text, encoding="utf-8")
    return data, config


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    env.pop("FORCE_COLOR", None)
    env.update({"NO_COLOR": "1", "COLUMNS": "100"})
    return subprocess.run(
        [sys.executable, "-m", "supportkpi", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def compute_json(*args: str, cwd: Path) -> dict:
    proc = run("compute", *args, "--format", "json", "--quiet", cwd=cwd)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def test_cli_hours_business(tmp_path):
    # first response, business: T1 0.5, T2 4, T3 4.5, T4 8, T5 Mon 09:00-18:00 = 9 h
    #   median of [0.5, 4, 4.5, 8, 9] = 4.5; calendar: [0.5, 18, 4.5, 70, 11] -> median 11
    data, config = write_inputs(tmp_path)
    doc = compute_json(data, "--config", config, "--hours", "business", "--kpi", "first_response_time", cwd=tmp_path)
    kpi = doc["groups"][0]["kpis"]["first_response_time"]
    assert kpi["value"] == pytest.approx(4.5)
    assert kpi["n"] == 5
    assert "business hours" in kpi["variant"] and "default" in kpi["variant"]
    doc = compute_json(data, "--config", config, "--hours", "calendar", "--kpi", "first_response_time", cwd=tmp_path)
    assert doc["groups"][0]["kpis"]["first_response_time"]["value"] == pytest.approx(11.0)


def test_cli_hours_business_from_kpi_yaml(tmp_path):
    data, config = write_inputs(tmp_path, SLA_YAML + "kpis:\n  first_response_time: {clock: business}\n")
    doc = compute_json(data, "--config", config, "--kpi", "first_response_time", cwd=tmp_path)
    assert doc["groups"][0]["kpis"]["first_response_time"]["value"] == pytest.approx(4.5)


def test_cli_hours_bad_value_is_a_usage_error(tmp_path):
    data, config = write_inputs(tmp_path)
    proc = run("compute", data, "--config", config, "--hours", "office", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--hours" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_sla_compliance_default_and_as_of(tmp_path):
    data, config = write_inputs(tmp_path)
    doc = compute_json(data, "--config", config, "--kpi", "sla_compliance", cwd=tmp_path)
    kpi = doc["groups"][0]["kpis"]["sla_compliance.first_reply"]
    assert (kpi["value"], kpi["n"]) == (pytest.approx(75.0), 4)
    assert kpi["excluded"]["in progress"] == 2
    doc = compute_json(
        data, "--config", config, "--kpi", "sla_compliance", "--as-of", "2025-01-14T12:30:00Z", cwd=tmp_path
    )
    kpis = doc["groups"][0]["kpis"]
    assert (kpis["sla_compliance.first_reply"]["value"], kpis["sla_compliance.first_reply"]["n"]) == (
        pytest.approx(50.0),
        6,
    )
    assert kpis["sla_compliance.first_reply_cal"]["value"] == pytest.approx(100 / 6)


def test_cli_as_of_naive_is_in_the_report_time_zone(tmp_path):
    # --tz Europe/Berlin: "2025-01-14T13:30" is 12:30 UTC, the same as LATER
    data, config = write_inputs(tmp_path)
    doc = compute_json(
        data,
        "--config",
        config,
        "--kpi",
        "sla_compliance",
        "--tz",
        "Europe/Berlin",
        "--as-of",
        "2025-01-14T13:30",
        cwd=tmp_path,
    )
    assert doc["groups"][0]["kpis"]["sla_compliance.first_reply"]["n"] == 6


def test_cli_bad_as_of_is_a_usage_error(tmp_path):
    data, config = write_inputs(tmp_path)
    proc = run("compute", data, "--config", config, "--as-of", "yesterday", cwd=tmp_path)
    assert proc.returncode == 2
    assert "--as-of" in proc.stderr and "Traceback" not in proc.stderr


def test_cli_breaches_json(tmp_path):
    data, config = write_inputs(tmp_path)
    proc = run(
        "compute",
        data,
        "--config",
        config,
        "--breaches",
        "--format",
        "json",
        "--as-of",
        "2025-01-14T12:30:00Z",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    rows = json.loads(proc.stdout)["breaches"]
    business = {r["ticket_id"]: r for r in rows if r["policy"] == "first_reply"}
    assert sorted(business) == ["T3", "T6", "T7"]
    for row in business.values():
        assert {"ticket_id", "policy", "target_hours", "measured_hours", "over_by_hours"} <= set(row)
    assert business["T3"]["state"] == "late"
    assert business["T6"]["state"] == "still waiting"
    assert (business["T6"]["target_hours"], business["T6"]["measured_hours"], business["T6"]["over_by_hours"]) == (
        pytest.approx(4.0),
        pytest.approx(4.5),
        pytest.approx(0.5),
    )
    # calendar clock, at 12:30 UTC: T2 18 h (over 14), T3 4.5 (0.5), T4 70 h vs 8 (62),
    # T6 waited 08:00-12:30 UTC = 4.5 h (0.5), T7 10:00-12:30 = 2.5 h vs 0.5 (2.0)
    calendar = {r["ticket_id"]: r["over_by_hours"] for r in rows if r["policy"] == "first_reply_cal"}
    assert calendar == {
        "T2": pytest.approx(14.0),
        "T3": pytest.approx(0.5),
        "T4": pytest.approx(62.0),
        "T6": pytest.approx(0.5),
        "T7": pytest.approx(2.0),
    }


def test_cli_breaches_csv(tmp_path):
    data, config = write_inputs(tmp_path)
    proc = run(
        "compute",
        data,
        "--config",
        config,
        "--breaches",
        "--format",
        "csv",
        "--as-of",
        "2025-01-14T12:30:00Z",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    rows = list(csv.DictReader(io.StringIO(proc.stdout)))
    business = {r["ticket_id"]: r for r in rows if r["policy"] == "first_reply"}
    assert sorted(business) == ["T3", "T6", "T7"]
    assert business["T7"]["state"] == "still waiting"
    assert float(business["T7"]["target_hours"]) == pytest.approx(0.5)
    assert float(business["T7"]["measured_hours"]) == pytest.approx(2.5)
    assert float(business["T7"]["over_by_hours"]) == pytest.approx(2.0)
    assert float(business["T3"]["over_by_hours"]) == pytest.approx(0.5)


def test_cli_breaches_without_policies_is_a_usage_error(tmp_path):
    data, config = write_inputs(tmp_path, OFFICE_YAML)
    proc = run("compute", data, "--config", config, "--breaches", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2
    assert "sla" in proc.stderr and "Traceback" not in proc.stderr


# ============================================================================================
# kpi.yaml validation
# ============================================================================================


def config_error(text: str) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        Calendars.from_config(parse_config(text))
    assert info.value.exit_code == 2
    return info.value


def test_unknown_calendar_under_vendors():
    error = config_error(OFFICE_YAML + "vendors:\n  Acme: {calendar: nite}\n")
    assert "Acme" in str(error) and "nite" in str(error)


def test_unknown_calendar_under_sla():
    error = config_error(
        OFFICE_YAML
        + """
sla:
  - name: frt
    metric: first_response_time
    calendar: ofice
    targets: [{hours: 4}]
"""
    )
    assert "frt" in str(error) and "ofice" in str(error)


def test_target_with_both_hours_and_minutes():
    error = config_error("""
sla:
  - name: frt
    metric: first_response_time
    targets: [{hours: 4, minutes: 30}]
""")
    assert "hours" in str(error) and "minutes" in str(error)


def test_target_with_neither_hours_nor_minutes():
    config_error("""
sla:
  - name: frt
    metric: first_response_time
    targets: [{priority: high}]
""")


def test_two_policies_with_the_same_name():
    error = config_error("""
sla:
  - name: frt
    metric: first_response_time
    targets: [{hours: 4}]
  - name: frt
    metric: resolution_time
    targets: [{hours: 24}]
""")
    assert "frt" in str(error)


def test_calendar_with_neither_hours_nor_always_open():
    error = config_error("""
calendars:
  office:
    timezone: Europe/Berlin
""")
    assert "always_open" in str(error)


def test_always_open_calendar_is_valid():
    calendars = calendars_of("calendars:\n  default: {timezone: Europe/Berlin, always_open: true}\n")
    assert calendars.default is not None


def test_unknown_holiday_country_names_the_calendar():
    error = config_error("""
calendars:
  office:
    timezone: Europe/Berlin
    hours: {weekdays: ["08:00-18:00"]}
    holidays: {country: XX}
""")
    assert "office" in str(error) and "XX" in str(error)


def test_unknown_holiday_subdivision_names_the_calendar():
    error = config_error("""
calendars:
  office:
    timezone: Europe/Berlin
    hours: {weekdays: ["08:00-18:00"]}
    holidays: {country: DE, subdiv: ZZ}
""")
    assert "office" in str(error) and "ZZ" in str(error)


def test_unknown_time_zone_in_a_calendar():
    error = config_error("calendars:\n  office: {timezone: Europe/Berlinn, always_open: true}\n")
    assert "Europe/Berlinn" in str(error)


def test_cli_unknown_vendor_calendar_exits_2_with_one_line(tmp_path):
    data, config = write_inputs(tmp_path, OFFICE_YAML + "vendors:\n  Acme: {calendar: nite}\n")
    proc = run("compute", data, "--config", config, cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == "" and "Traceback" not in proc.stderr
    assert "nite" in proc.stderr


def test_cli_unknown_holiday_country_exits_2(tmp_path):
    data, config = write_inputs(tmp_path, OFFICE_YAML + "    holidays: {country: XX}\n")
    proc = run("compute", data, "--config", config, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "default" in proc.stderr and "XX" in proc.stderr and "Traceback" not in proc.stderr


# ============================================================================================
# Bugs found by these tests, now fixed
# ============================================================================================


def test_business_clock_reply_before_creation_is_a_negative_duration():
    # "neg": created Mon 2025-01-13 11:00 L, reply 10:00 L (1 h before); "ok": 09:00 -> 10:00 L = 1 h
    # correct: neg left out as negative duration -> n 1, median 1.0 (calendar clock does this)
    rows = [
        {"ticket_id": "neg", "created_at": berlin(2025, 1, 13, 11), "first_response_at": berlin(2025, 1, 13, 10)},
        {"ticket_id": "ok", "created_at": berlin(2025, 1, 13, 9), "first_response_at": berlin(2025, 1, 13, 10)},
        {"ticket_id": "ok2", "created_at": berlin(2025, 1, 13, 9), "first_response_at": berlin(2025, 1, 13, 12)},
    ]
    (group,) = business_kpis(rows, OFFICE_YAML)
    kpi = group.kpis["first_response_time"]
    assert kpi.excluded["negative duration"] == 1
    assert (kpi.n, kpi.value) == (2, pytest.approx(2.0))  # median of [1, 3]


def test_business_clock_sla_leaves_out_negative_durations():
    # target 4 h; "neg" reply 1 h before creation; "late" 09:00 -> 16:00 L = 7 h > 4
    # correct: applicable = late only -> 0 %, n 1, negative duration 1
    yaml_text = OFFICE_YAML + "sla:\n  - {name: frt, metric: first_response_time, targets: [{hours: 4}]}\n"
    config = parse_config(yaml_text)
    frame = tickets(
        [
            {"ticket_id": "neg", "created_at": berlin(2025, 1, 13, 11), "first_response_at": berlin(2025, 1, 13, 10)},
            {"ticket_id": "late", "created_at": berlin(2025, 1, 13, 9), "first_response_at": berlin(2025, 1, 13, 16)},
        ]
    )
    result = compute(frame, ["sla_compliance"], calendars=Calendars.from_config(config), sla=config.sla)
    kpi = result.groups[0].kpis["sla_compliance.frt"]
    assert kpi.excluded["negative duration"] == 1
    assert (kpi.value, kpi.n) == (pytest.approx(0.0), 1)


def test_contact_answered_after_as_of_is_judged_as_waiting_at_as_of():
    # as_of Mon 2025-01-13 10:30 L. "A" created 09:00 L, answered 16:00 L (7 h business, after
    # as_of): at as_of it had waited 1.5 h < 4 h target -> in progress, not breached.
    # "B" created 08:00, answered 09:00 L (1 h, before as_of) -> met.  Correct: 100 %, n 1.
    yaml_text = OFFICE_YAML + "sla:\n  - {name: frt, metric: first_response_time, targets: [{hours: 4}]}\n"
    config = parse_config(yaml_text)
    frame = tickets(
        [
            {"ticket_id": "A", "created_at": berlin(2025, 1, 13, 9), "first_response_at": berlin(2025, 1, 13, 16)},
            {"ticket_id": "B", "created_at": berlin(2025, 1, 13, 8), "first_response_at": berlin(2025, 1, 13, 9)},
        ]
    )
    result = compute(
        frame,
        ["sla_compliance"],
        calendars=Calendars.from_config(config),
        sla=config.sla,
        as_of=berlin(2025, 1, 13, 10, 30),
    )
    kpi = result.groups[0].kpis["sla_compliance.frt"]
    assert kpi.excluded["in progress"] == 1
    assert (kpi.value, kpi.n) == (pytest.approx(100.0), 1)


def test_cli_breaches_markdown_is_a_pipe_table(tmp_path):
    data, config = write_inputs(tmp_path)
    proc = run(
        "compute",
        data,
        "--config",
        config,
        "--breaches",
        "--format",
        "markdown",
        "--as-of",
        "2025-01-14T12:30:00Z",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if line.strip()]
    assert lines[0].startswith("|") and "ticket_id" in lines[0]
    assert set(lines[1].replace("|", "").strip()) <= set("-: ")


def test_cli_breaches_table_output_writes_the_file(tmp_path):
    data, config = write_inputs(tmp_path)
    out = tmp_path / "breaches.txt"
    proc = run(
        "compute",
        data,
        "--config",
        config,
        "--breaches",
        "--output",
        out,
        "--as-of",
        "2025-01-14T12:30:00Z",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    assert out.is_file() and "T7" in out.read_text(encoding="utf-8")


def test_cli_calendar_error_names_the_config_file_given(tmp_path):
    data, _ = write_inputs(tmp_path)
    config = tmp_path / "contract.yaml"
    config.write_text(HOLIDAY_YAML.replace("DE", "XX"), encoding="utf-8")
    proc = run("compute", data, "--config", config, cwd=tmp_path)
    assert proc.returncode == 2
    assert "contract.yaml" in proc.stderr


@pytest.mark.parametrize(
    "extra, line",
    [
        ("vendors:\n  Acme: {calendar: nite}\n", 8),  # line 8: "  Acme: {calendar: nite}"
        (
            "sla:\n  - name: frt\n    metric: first_response_time\n    calendar: ofice\n    targets: [{hours: 4}]\n",
            10,
        ),  # line 10: "    calendar: ofice"
        (
            "sla:\n  - {name: frt, metric: first_response_time, targets: [{hours: 4}]}\n"
            "  - {name: frt, metric: resolution_time, targets: [{hours: 4}]}\n",
            9,
        ),  # the second one
    ],
    ids=["vendor-calendar", "sla-calendar", "duplicate-policy"],
)
def test_cross_reference_errors_report_the_offending_line(extra, line):
    # OFFICE_YAML is lines 1-6 (line 1 empty); `extra` starts on line 7
    with pytest.raises(ConfigError) as info:
        parse_config(OFFICE_YAML + extra)
    assert info.value.line == line
    assert "(top level)" not in str(info.value)


def test_team_calendar_wins_over_its_vendor():
    # Acme works 08-18 (default); Acme's team "nights" works 22:00-06:00 every day.
    # Both tickets: created Mon 2025-01-13 20:00 Berlin, answered Tue 07:00 Berlin.
    # day team: Mon 20:00 -> Tue 07:00 has no office hours: 0 h.
    # nights: Mon 22:00 -> Tue 06:00 is open: 8 h.
    text = (
        OFFICE_YAML
        + """
  night:
    timezone: Europe/Berlin
    hours: {daily: ["22:00-06:00"]}
vendors:
  Acme: {calendar: default}
teams:
  nights: {calendar: night}
"""
    )
    rows = [
        {
            "ticket_id": t,
            "created_at": berlin(2025, 1, 13, 20),
            "first_response_at": berlin(2025, 1, 14, 7),
            "vendor": "Acme",
            "team": team,
        }
        for t, team in (("day", "day"), ("night", "nights"))
    ]
    frame = pl.DataFrame(
        rows,
        schema={
            "ticket_id": pl.String,
            "created_at": pl.Datetime("us", "UTC"),
            "first_response_at": pl.Datetime("us", "UTC"),
            "vendor": pl.String,
            "team": pl.String,
        },
    )
    result = compute(
        frame,
        ["first_response_time"],
        by=["team"],
        calendars=calendars_of(text),
        params={"first_response_time": {"clock": "business"}},
    )
    values = {g.keys["team"]: g.kpis["first_response_time"].value for g in result.groups}
    assert values == {"day": 0.0, "nights": 8.0}
