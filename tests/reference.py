"""A slow, obviously correct reference: every KPI of the catalog in plain Python over a list of
row dicts (canonical columns, durations as timestamps). The property tests compare the polars
core against it. Written from docs/kpi-catalog.md, not from the core's code."""

from __future__ import annotations

import math
from statistics import mean, median


def _pct(num: int, den: int):
    return None if den == 0 else 100.0 * num / den


def _hours(a, b):
    return (a - b).total_seconds() / 3600.0


def _stats(values, statistic):
    if not values:
        return None, {"mean": None, "median": None, "p90": None}
    ordered = sorted(values)
    p90 = ordered[math.ceil(0.9 * len(ordered)) - 1]
    stats = {"mean": mean(values), "median": median(values), "p90": p90}
    return stats[statistic], stats


def _answered(r):
    return r.get("answered_at") is not None or r.get("abandoned") is False


def _abandoned(r):
    return r.get("abandoned") is True and r.get("answered_at") is None


def _negative_wait(r):
    return r.get("wait_seconds") is not None and r["wait_seconds"] < 0


def _offered(r):
    return _answered(r) or _abandoned(r)


def _handled(rows):
    """Calls abandoned in the queue were never handled: no ticket KPI counts them."""
    return [r for r in rows if not _abandoned(r)]


def _resolved(rows):
    return [r for r in _handled(rows) if r.get("resolved_at") is not None]


def ticket_volume(rows, **p):
    return len(rows), len(rows), {}


def _ticket_duration(end):
    def duration(rows, **p):
        values = [_hours(r[end], r["created_at"]) for r in _handled(rows) if r.get(end) is not None]
        values = [v for v in values if v >= 0]
        value, stats = _stats(values, p.get("statistic", "median"))
        return value, len(values), stats

    return duration


def resolution_rate(rows, **p):
    handled = _handled(rows)
    return _pct(len(_resolved(rows)), len(handled)), len(handled), {}


def reopen_rate(rows, **p):
    known = [r for r in _resolved(rows) if r.get("reopens") is not None]
    return _pct(sum(r["reopens"] > 0 for r in known), len(known)), len(known), {}


FCR_DEFINITIONS = {
    "one_touch": (("agent_replies", "reopens"), lambda r: r["agent_replies"] <= 1 and r["reopens"] == 0),
    "exactly_one_reply": (("agent_replies", "reopens"), lambda r: r["agent_replies"] == 1 and r["reopens"] == 0),
    "no_reopen": (("reopens",), lambda r: r["reopens"] == 0),
    "single_contact": (("customer_contacts", "reopens"), lambda r: r["customer_contacts"] == 1 and r["reopens"] == 0),
}


def fcr_rate(rows, **p):
    needs, test = FCR_DEFINITIONS[p.get("definition", "one_touch")]
    known = [r for r in _resolved(rows) if all(r.get(c) is not None for c in needs)]
    return _pct(sum(test(r) for r in known), len(known)), len(known), {}


def backlog(rows, **p):
    handled = _handled(rows)
    return sum(r.get("resolved_at") is None for r in handled), len(handled), {}


def escalation_rate(rows, **p):
    known = [r for r in rows if r.get("escalated") is not None]
    return _pct(sum(r["escalated"] for r in known), len(known)), len(known), {}


def transfer_rate(rows, **p):
    known = [r for r in _handled(rows) if r.get("transfers") is not None]
    return _pct(sum(r["transfers"] > 0 for r in known), len(known)), len(known), {}


def csat(rows, **p):
    low, high = p.get("scale", (1, 5))
    sat, dis = p.get("satisfied_min", 4), p.get("dissatisfied_max", 2)
    answers = [r["csat"] for r in rows if r.get("csat") is not None and low <= r["csat"] <= high]
    if p.get("variant", "top_box") == "exclude_neutral":
        answers = [a for a in answers if a >= sat or a <= dis]
    return _pct(sum(a >= sat for a in answers), len(answers)), len(answers), {}


def nps(rows, **p):
    answers = [r["nps"] for r in rows if r.get("nps") is not None and 0 <= r["nps"] <= 10 and r["nps"] == int(r["nps"])]
    if not answers:
        return None, 0, {}
    promoters = sum(a >= 9 for a in answers)
    detractors = sum(a <= 6 for a in answers)
    return 100.0 * (promoters - detractors) / len(answers), len(answers), {}


def _score(column, default_scale, scaled):
    def score(rows, **p):
        low, high = p.get("scale", default_scale) if scaled else default_scale
        answers = [r[column] for r in rows if r.get(column) is not None and low <= r[column] <= high]
        return (mean(answers) if answers else None), len(answers), {}

    return score


def _call_duration(*parts):
    def duration(rows, **p):
        values = [
            sum(r[c] for c in parts)
            for r in rows
            if _answered(r) and all(r.get(c) is not None for c in parts) and all(r[c] >= 0 for c in parts)
        ]
        value, stats = _stats(values, p.get("statistic", "mean"))
        return value, len(values), stats

    return duration


def service_level(rows, **p):
    t = p.get("threshold_seconds", 20)
    short = p.get("short_abandon_seconds", 5)
    variant = p.get("variant", "abandons_missed")
    offered = [r for r in rows if _offered(r) and not _negative_wait(r)]
    if variant == "abandons_ignored":
        counted = [r for r in offered if _answered(r) and r.get("wait_seconds") is not None]
        met = [r for r in counted if r["wait_seconds"] <= t]
    else:

        def is_short(r):
            return _abandoned(r) and r.get("wait_seconds") is not None and r["wait_seconds"] < short

        counted = [r for r in offered if not is_short(r) and (r.get("wait_seconds") is not None or _abandoned(r))]
        met = [
            r
            for r in counted
            if r.get("wait_seconds") is not None
            and r["wait_seconds"] <= t
            and (_answered(r) or variant == "abandons_within_t_met")
        ]
    return _pct(len(met), len(counted)), len(counted), {}


def abandonment_rate(rows, **p):
    short = p.get("short_abandon_seconds", 5)
    counted = [
        r
        for r in rows
        if _offered(r)
        and not _negative_wait(r)
        and not (_abandoned(r) and r.get("wait_seconds") is not None and r["wait_seconds"] < short)
    ]
    return _pct(sum(_abandoned(r) for r in counted), len(counted)), len(counted), {}


def conversion_rate(rows, **p):
    sales = [r for r in _handled(rows) if r.get("converted") is not None]
    return _pct(sum(r["converted"] for r in sales), len(sales)), len(sales), {}


REFERENCES = {
    "ticket_volume": ticket_volume,
    "first_response_time": _ticket_duration("first_response_at"),
    "resolution_time": _ticket_duration("resolved_at"),
    "resolution_rate": resolution_rate,
    "reopen_rate": reopen_rate,
    "fcr_rate": fcr_rate,
    "backlog": backlog,
    "escalation_rate": escalation_rate,
    "transfer_rate": transfer_rate,
    "csat": csat,
    "nps": nps,
    "ces": _score("ces", (1, 7), scaled=True),
    "qa_score": _score("qa_score", (0, 100), scaled=False),
    "aht": _call_duration("talk_seconds", "hold_seconds", "acw_seconds"),
    "talk_time": _call_duration("talk_seconds"),
    "hold_time": _call_duration("hold_seconds"),
    "acw_time": _call_duration("acw_seconds"),
    "asa": _call_duration("wait_seconds"),
    "service_level": service_level,
    "abandonment_rate": abandonment_rate,
    "conversion_rate": conversion_rate,
}
"""KPI id -> its reference: ``(rows, **params) -> (value, n, stats)``."""


def reference(rows: list[dict], kpi_id: str, **p):
    """(value, n, stats) of one KPI over ``rows`` (unique ticket ids assumed); rows without a
    ``created_at`` are in no KPI."""
    return REFERENCES[kpi_id]([r for r in rows if r.get("created_at") is not None], **p)
