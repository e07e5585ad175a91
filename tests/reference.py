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


def reference(rows: list[dict], kpi_id: str, **p):
    """(value, n, stats) of one KPI over ``rows`` (unique ticket ids assumed)."""
    rows = [r for r in rows if r.get("created_at") is not None]
    if kpi_id == "ticket_volume":
        return len(rows), len(rows), {}
    # calls abandoned in the queue were never handled: no ticket KPI counts them
    handled = [r for r in rows if not _abandoned(r)]
    resolved = [r for r in handled if r.get("resolved_at") is not None]
    if kpi_id in ("first_response_time", "resolution_time"):
        end = "first_response_at" if kpi_id == "first_response_time" else "resolved_at"
        values = [_hours(r[end], r["created_at"]) for r in handled if r.get(end) is not None]
        values = [v for v in values if v >= 0]
        value, stats = _stats(values, p.get("statistic", "median"))
        return value, len(values), stats
    if kpi_id == "resolution_rate":
        return _pct(len(resolved), len(handled)), len(handled), {}
    if kpi_id == "reopen_rate":
        known = [r for r in resolved if r.get("reopens") is not None]
        return _pct(sum(r["reopens"] > 0 for r in known), len(known)), len(known), {}
    if kpi_id == "fcr_rate":
        definition = p.get("definition", "one_touch")
        needs, test = {
            "one_touch": (("agent_replies", "reopens"), lambda r: r["agent_replies"] <= 1 and r["reopens"] == 0),
            "exactly_one_reply": (("agent_replies", "reopens"), lambda r: r["agent_replies"] == 1 and r["reopens"] == 0),
            "no_reopen": (("reopens",), lambda r: r["reopens"] == 0),
            "single_contact": (("customer_contacts", "reopens"), lambda r: r["customer_contacts"] == 1 and r["reopens"] == 0),
        }[definition]
        known = [r for r in resolved if all(r.get(c) is not None for c in needs)]
        return _pct(sum(test(r) for r in known), len(known)), len(known), {}
    if kpi_id == "backlog":
        return sum(r.get("resolved_at") is None for r in handled), len(handled), {}
    if kpi_id == "escalation_rate":
        known = [r for r in rows if r.get("escalated") is not None]
        return _pct(sum(r["escalated"] for r in known), len(known)), len(known), {}
    if kpi_id == "transfer_rate":
        known = [r for r in handled if r.get("transfers") is not None]
        return _pct(sum(r["transfers"] > 0 for r in known), len(known)), len(known), {}
    if kpi_id == "csat":
        low, high = p.get("scale", (1, 5))
        sat, dis = p.get("satisfied_min", 4), p.get("dissatisfied_max", 2)
        answers = [r["csat"] for r in rows if r.get("csat") is not None and low <= r["csat"] <= high]
        if p.get("variant", "top_box") == "exclude_neutral":
            answers = [a for a in answers if a >= sat or a <= dis]
        return _pct(sum(a >= sat for a in answers), len(answers)), len(answers), {}
    if kpi_id == "nps":
        answers = [r["nps"] for r in rows if r.get("nps") is not None and 0 <= r["nps"] <= 10 and r["nps"] == int(r["nps"])]
        if not answers:
            return None, 0, {}
        promoters = sum(a >= 9 for a in answers)
        detractors = sum(a <= 6 for a in answers)
        return 100.0 * (promoters - detractors) / len(answers), len(answers), {}
    if kpi_id in ("ces", "qa_score"):
        low, high = p.get("scale", (1, 7)) if kpi_id == "ces" else (0, 100)
        answers = [r[kpi_id] for r in rows if r.get(kpi_id) is not None and low <= r[kpi_id] <= high]
        return (mean(answers) if answers else None), len(answers), {}
    if kpi_id in ("aht", "talk_time", "hold_time", "acw_time", "asa"):
        parts = {
            "aht": ("talk_seconds", "hold_seconds", "acw_seconds"),
            "talk_time": ("talk_seconds",),
            "hold_time": ("hold_seconds",),
            "acw_time": ("acw_seconds",),
            "asa": ("wait_seconds",),
        }[kpi_id]
        values = [
            sum(r[c] for c in parts)
            for r in rows
            if _answered(r) and all(r.get(c) is not None for c in parts) and all(r[c] >= 0 for c in parts)
        ]
        value, stats = _stats(values, p.get("statistic", "mean"))
        return value, len(values), stats
    if kpi_id == "service_level":
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

            counted = [
                r for r in offered
                if not is_short(r) and (r.get("wait_seconds") is not None or _abandoned(r))
            ]
            met = [
                r for r in counted
                if r.get("wait_seconds") is not None and r["wait_seconds"] <= t
                and (_answered(r) or variant == "abandons_within_t_met")
            ]
        return _pct(len(met), len(counted)), len(counted), {}
    if kpi_id == "abandonment_rate":
        short = p.get("short_abandon_seconds", 5)
        counted = [
            r for r in rows if _offered(r) and not _negative_wait(r)
            and not (_abandoned(r) and r.get("wait_seconds") is not None and r["wait_seconds"] < short)
        ]
        return _pct(sum(_abandoned(r) for r in counted), len(counted)), len(counted), {}
    if kpi_id == "conversion_rate":
        sales = [r for r in handled if r.get("converted") is not None]
        return _pct(sum(r["converted"] for r in sales), len(sales)), len(sales), {}
    raise KeyError(kpi_id)
