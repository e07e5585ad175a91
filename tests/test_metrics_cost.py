"""cost_per_contact: every pricing model worked out by hand."""

from __future__ import annotations

from datetime import UTC, datetime

import polars as pl
import pytest

from supportkpi import compute
from supportkpi.config import parse_config
from supportkpi.errors import ConfigError


def day(month: int, d: int) -> datetime:
    return datetime(2025, month, d, 10, tzinfo=UTC)


def calls(vendor: str = "A", **columns) -> pl.DataFrame:
    """Four handled calls in January (30, 20, 10, 0 minutes of handle time) and one abandoned."""
    base = {
        "ticket_id": [f"{vendor}{i}" for i in range(5)],
        "vendor": [vendor] * 5,
        "channel": ["phone", "phone", "chat", "email", "phone"],
        "created_at": [day(1, 2), day(1, 3), day(1, 4), day(1, 5), day(1, 6)],
        "abandoned": [False, False, False, False, True],
        "talk_seconds": [1500.0, 1000, 500, 0, None],
        "hold_seconds": [200.0, 100, 0, 0, None],
        "acw_seconds": [100.0, 100, 100, 0, None],
    }
    base.update(columns)
    return pl.DataFrame(base)


def cost(frame: pl.DataFrame, pricing: dict, **kwargs):
    result = compute(frame, ["cost_per_contact"], params={"cost_per_contact": {"pricing": pricing}}, **kwargs)
    return [g.kpis["cost_per_contact"] for g in result.groups]


def test_flat_price_per_contact():
    (k,) = cost(calls(), {"A": {"per_contact": 3.0}})
    assert (k.value, k.n, k.excluded["abandoned"]) == (3.0, 4, 1)


def test_price_per_channel_and_a_channel_without_price():
    # phone 4, chat 2, email has no price and no `other`: 3 priced contacts, (4 + 4 + 2) / 3
    (k,) = cost(calls(), {"A": {"per_contact": {"phone": 4.0, "chat": 2.0}}})
    assert k.value == pytest.approx(10 / 3) and k.n == 3 and k.excluded["no price for this channel"] == 1
    # with `other`: email at 1 -> (4 + 4 + 2 + 1) / 4
    (k,) = cost(calls(), {"A": {"per_contact": {"phone": 4.0, "chat": 2.0, "other": 1.0}}})
    assert k.value == pytest.approx(11 / 4)


def test_price_per_handled_hour():
    # handle time 1800 + 1200 + 600 + 0 s = 1 h; at 40 per hour: 40 / 4 contacts = 10
    (k,) = cost(calls(), {"A": {"per_handled_hour": 40.0}})
    assert k.value == pytest.approx(10.0)


def test_fte_months_and_fees_follow_the_period():
    pricing = {"A": {"per_fte_month": 3000.0, "ftes": 2, "monthly_fee": 400.0}}
    # one month: (2 x 3000 + 400) / 4 = 1600
    (k,) = cost(calls(), pricing, period="month")
    assert k.value == pytest.approx(1600.0)
    # a quarter holding the same 4 contacts: 3 x 6400 / 4 = 4800
    (k,) = cost(calls(), pricing, period="quarter")
    assert k.value == pytest.approx(4800.0)
    # no period: calendar months with contacts (January only) -> as for one month
    (k,) = cost(calls(), pricing)
    assert k.value == pytest.approx(1600.0)
    # contacts in January and March, no period: 2 months -> 2 x 6400 / 4 = 3200
    spread = calls(created_at=[day(1, 2), day(1, 3), day(3, 4), day(3, 5), day(3, 6)])
    (k,) = cost(spread, pricing)
    assert k.value == pytest.approx(3200.0)


def test_monthly_minimum():
    # usage 4 x 1.0 = 4 a month, minimum 100 -> 100 / 4 = 25; with a high price the minimum is moot
    (k,) = cost(calls(), {"A": {"per_contact": 1.0, "monthly_minimum": 100.0}}, period="month")
    assert k.value == pytest.approx(25.0)
    (k,) = cost(calls(), {"A": {"per_contact": 50.0, "monthly_minimum": 100.0}}, period="month")
    assert k.value == pytest.approx(50.0)


def test_combined_price_list():
    # 4 x 2.0 + 1 h x 30 + 100 fee = 138 over 4 contacts = 34.5
    (k,) = cost(calls(), {"A": {"per_contact": 2.0, "per_handled_hour": 30.0, "monthly_fee": 100.0, "currency": "EUR"}})
    assert k.value == pytest.approx(34.5) and k.unit == "EUR"
    assert "2.00 per contact + 30.00 per handled hour + 100.00 a month EUR" in k.variant


def test_a_cost_column_wins_over_pricing():
    frame = calls(cost=[5.0, 7.0, None, 3.0, 9.0])
    (k,) = cost(frame, {"A": {"per_contact": 100.0}})
    # handled with a cost: 5, 7, 3 -> 15 / 3; the abandoned call's 9 is not a handled contact
    assert (k.value, k.n, k.variant, k.excluded["no cost value"]) == (5.0, 3, "cost column", 1)


def test_vendors_priced_separately_and_a_mixed_group_has_no_value():
    frame = pl.concat([calls("A"), calls("B")])
    pricing = {"A": {"per_contact": 2.0, "monthly_fee": 40.0}, "B": {"per_contact": 5.0}}
    a, b = cost(frame, pricing, by=["vendor"])
    assert (a.value, b.value) == (pytest.approx(12.0), pytest.approx(5.0))  # (8 + 40) / 4; 20 / 4
    (mixed,) = cost(frame, pricing)
    assert mixed.value is None


def test_a_vendor_without_pricing_is_left_out():
    frame = pl.concat([calls("A"), calls("C")])
    (k,) = cost(frame, {"A": {"per_contact": 2.0}})
    assert (k.value, k.n, k.excluded["no pricing for this vendor"]) == (2.0, 4, 4)


def test_not_available_without_pricing_or_cost_column():
    (k,) = cost(calls(), {})
    assert not k.available and "pricing" in k.needs[0]


@pytest.mark.parametrize(
    ("pricing", "words"),
    [
        ("{per_fte_month: 3000}", "go together"),
        ("{currency: EUR}", "at least one of"),
        ("{per_contact: {chatt: 2}}", "not a canonical channel"),
        ("{per_contact: -1}", "greater than or equal to 0"),
    ],
)
def test_pricing_mistakes_are_config_errors(pricing, words):
    with pytest.raises(ConfigError) as info:
        parse_config(f"vendors:\n  A:\n    pricing: {pricing}\n")
    assert words in str(info.value) and info.value.line == 3
