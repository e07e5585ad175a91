"""Cost per contact: what the vendor charges for one handled contact.

Formula: ``the period's cost / handled contacts``. Handled contacts are the period's contacts
that were not abandoned in the queue (duplicates left out, as everywhere).

The cost comes from a ``cost`` column when the export has one (the sum over handled contacts
that have a cost), else from the vendor's pricing in kpi.yaml (``vendors.<name>.pricing``)::

    cost = Σ per-contact price (by channel where the price list says so)
         + Σ handle hours (talk + hold + after-contact work) × per_handled_hour
         + months × (monthly_fee + per_fte_month × ftes)
    cost = max(cost, months × monthly_minimum)

``months`` is the length of the reporting period: 1 for a month, 3 for a quarter, 7/30.4375 for
a week and 1/30.4375 for a day (the fees pro rata); without ``--period``, the number of calendar
months (UTC) in which the group has contacts, as monthly invoices count them. The minimum is
applied to the period's total, which for a quarter is not quite month by month (stated).

Exclusions: abandoned contacts; contacts of a vendor without pricing; contacts whose channel has
no price (a per-channel price list without ``other``); contacts without handle time when the price
list charges per hour. Fixed fees need one vendor per group: a group mixing vendors (no
``--by vendor``) has no value.
Unit: the vendor's currency. Better: lower.

Example: 3 contacts at 2.00 each, plus 1 handled hour at 30.00, plus a 100.00 monthly fee, over
one month: (6 + 30 + 100) / 3 = 45.33.

>>> import polars as pl
>>> from datetime import datetime
>>> from supportkpi import kpi
>>> frame = pl.DataFrame({"vendor": ["A"] * 3, "created_at": [datetime(2025, 1, d) for d in (2, 3, 4)],
...                       "talk_seconds": [1800.0, 1200, 600], "hold_seconds": [0.0] * 3,
...                       "acw_seconds": [0.0] * 3, "abandoned": [False] * 3})
>>> pricing = {"A": {"per_contact": 2.0, "per_handled_hour": 30.0, "monthly_fee": 100.0}}
>>> round(kpi(frame, "cost_per_contact", pricing=pricing).value, 2)
45.33
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Any

import polars as pl
from pydantic import Field, model_validator

from supportkpi.metrics._base import Context, KpiInfo, Measure, NotAvailable, RunEnv, count
from supportkpi.metrics._queue import HANDLE_PARTS, abandoned
from supportkpi.params import StrictModel
from supportkpi.schema import VOCABULARIES
from supportkpi.suggest import suggest

if TYPE_CHECKING:
    from polars.expr.whenthen import ChainedThen, Then

INFO = KpiInfo(
    id="cost_per_contact",
    title="Cost per contact",
    unit="currency",
    direction="lower",
    kind="money",
    columns=("cost", "vendor", "channel", *HANDLE_PARTS),
    test="none",
)

_Amount = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class Pricing(StrictModel):
    """A vendor's price list (``vendors.<name>.pricing`` in kpi.yaml, the parameter of this KPI
    per vendor); the parts add up, then the monthly minimum applies.

    ``per_contact`` is one price, or prices per channel (``{chat: 2.1, email: 3.4, other: 3}``);
    ``per_handled_hour`` is charged on talk + hold + after-contact work; ``per_fte_month`` on
    ``ftes`` agents; ``monthly_fee`` is fixed. Amounts are in the vendor's ``currency``."""

    currency: str | None = None
    per_contact: _Amount | dict[str, _Amount] | None = None
    per_handled_hour: float | None = Field(None, ge=0, allow_inf_nan=False)
    per_fte_month: float | None = Field(None, ge=0, allow_inf_nan=False)
    ftes: float | None = Field(None, gt=0, allow_inf_nan=False)
    monthly_fee: float | None = Field(None, ge=0, allow_inf_nan=False)
    monthly_minimum: float | None = Field(None, ge=0, allow_inf_nan=False)

    @model_validator(mode="after")
    def _check(self) -> Pricing:
        if (self.per_fte_month is None) != (self.ftes is None):
            raise ValueError("`per_fte_month` and `ftes` go together (the price and how many agents)")
        if all(v is None for v in (self.per_contact, self.per_handled_hour, self.per_fte_month, self.monthly_fee)):
            raise ValueError(
                "give at least one of per_contact, per_handled_hour, per_fte_month (with ftes), monthly_fee"
            )
        if isinstance(self.per_contact, dict):
            for channel in self.per_contact:
                if channel != "other" and channel not in VOCABULARIES["channel"]:
                    raise ValueError(
                        f"per_contact: '{channel}' is not a canonical channel "
                        f"({suggest(channel, [*VOCABULARIES['channel'], 'other'])})"
                    )
        return self

    def describe(self) -> str:
        """``3.50 per contact + 28.00 per handled hour + 1,500.00 a month (minimum 10,000.00 a month) EUR``"""
        parts = []
        if isinstance(self.per_contact, dict):
            parts.append("per contact " + ", ".join(f"{k} {v:,.2f}" for k, v in self.per_contact.items()))
        elif self.per_contact is not None:
            parts.append(f"{self.per_contact:,.2f} per contact")
        if self.per_handled_hour is not None:
            parts.append(f"{self.per_handled_hour:,.2f} per handled hour")
        if self.per_fte_month is not None:
            parts.append(f"{self.per_fte_month:,.2f} per FTE-month x {self.ftes:g} FTEs")
        if self.monthly_fee is not None:
            parts.append(f"{self.monthly_fee:,.2f} a month")
        text = " + ".join(parts)
        if self.monthly_minimum is not None:
            text += f" (minimum {self.monthly_minimum:,.2f} a month)"
        return text + (f" {self.currency}" if self.currency else "")

    @staticmethod
    def kpi_parameters(by_vendor: Mapping[str, Pricing]) -> dict[str, dict[str, Any]]:
        """The KPI parameters that kpi.yaml's price lists (vendor -> pricing) give: ``{KPI id:
        parameters}``, the parameters of this KPI."""
        return {INFO.id: {"pricing": {name: pricing.model_dump() for name, pricing in by_vendor.items()}}}


DAYS_PER_MONTH = 30.4375  # 365.25 / 12
MONTHS = {"month": 1.0, "quarter": 3.0, "week": 7 / DAYS_PER_MONTH, "day": 1 / DAYS_PER_MONTH}


def measure(ctx: Context, pricing: Mapping[str, Mapping[str, Any]] | None = None, period: str | None = None) -> Measure:
    handled = ctx.rows & ~abandoned(ctx)
    if ctx.has("created_at"):
        handled = handled & ctx.known("created_at")
    excluded: dict[str, pl.Expr] = {"abandoned": ctx.rows & abandoned(ctx)}
    if ctx.has("cost"):
        priced = handled & ctx.known("cost")
        excluded["no cost value"] = handled & ctx.missing("cost")
        excluded.update({k: handled & v for k, v in ctx.unparseable("cost").items()})
        n = count(priced)
        value = pl.when(n > 0).then(pl.col("cost").filter(priced).sum() / n)
        return Measure(value=value, n=n, excluded=excluded, variant="cost column")
    pricing = {k: v for k, v in (pricing or {}).items() if v}
    if not pricing:
        raise NotAvailable(["pricing in kpi.yaml (vendors.<name>.pricing) or a cost column"])
    if not ctx.has("vendor") and len(pricing) > 1:
        raise NotAvailable(["vendor"])
    vendor = pl.col("vendor") if ctx.has("vendor") else pl.lit(next(iter(pricing)))

    def by_vendor(values: Mapping[str, Any]) -> pl.Expr:
        """A per-row value chosen by the row's vendor (null for vendors not listed)."""
        chain: Then | ChainedThen | None = None
        for name, item in values.items():
            if item is None:
                continue
            expr = item if isinstance(item, pl.Expr) else pl.lit(float(item))
            chain = (pl.when(vendor == name) if chain is None else chain.when(vendor == name)).then(expr)
        return pl.lit(None, pl.Float64) if chain is None else chain.otherwise(pl.lit(None, pl.Float64))

    has_pricing = vendor.is_in(list(pricing)).fill_null(False)
    unit_price = by_vendor({n: _contact_price(p, ctx) for n, p in pricing.items()})
    hourly = {n: p.get("per_handled_hour") for n, p in pricing.items()}
    charges_hours = any(v is not None for v in hourly.values())
    if charges_hours:
        ctx.need(*HANDLE_PARTS)
        hours = pl.sum_horizontal(pl.col(c) for c in HANDLE_PARTS) / 3600
        has_hours = pl.all_horizontal(ctx.known(c) for c in HANDLE_PARTS)
        charges_hours_here = by_vendor(hourly).is_not_null()
    else:
        hours, has_hours, charges_hours_here = pl.lit(0.0), pl.lit(True), pl.lit(False)
    no_price = has_pricing & unit_price.is_null() & _charges_per_contact(pricing, vendor)
    no_hours = has_pricing & charges_hours_here & ~has_hours
    priced = handled & has_pricing & ~no_price & ~no_hours
    excluded["no pricing for this vendor"] = handled & ~has_pricing
    if any(isinstance(p.get("per_contact"), dict) and "other" not in p["per_contact"] for p in pricing.values()):
        excluded["no price for this channel"] = handled & no_price
    if charges_hours:
        excluded["no handle time (priced per hour)"] = handled & no_hours & ~no_price

    variable = (
        (unit_price.fill_null(0.0) + hours.fill_null(0.0) * by_vendor(hourly).fill_null(0.0)).filter(priced).sum()
    )
    if period is not None:
        months = pl.lit(MONTHS[period])
    elif ctx.has("created_at"):
        months = pl.col("created_at").filter(priced).dt.truncate("1mo").n_unique().cast(pl.Float64)
    else:
        months = pl.lit(1.0)
    fixed = {
        n: (p.get("monthly_fee") or 0.0) + (p.get("per_fte_month") or 0.0) * (p.get("ftes") or 0.0)
        for n, p in pricing.items()
    }
    minimum = {n: p.get("monthly_minimum") or 0.0 for n, p in pricing.items()}
    group_vendor = vendor.filter(priced)
    one_vendor = group_vendor.n_unique() == 1
    fixed_total = months * by_vendor(fixed).filter(priced).first()
    minimum_total = months * by_vendor(minimum).filter(priced).first()
    total = pl.max_horizontal(variable + fixed_total, minimum_total)
    n = count(priced)
    value = pl.when((n > 0) & one_vendor).then(total / n)
    variant = "pricing: " + "; ".join(f"{name}: {Pricing.model_validate(p).describe()}" for name, p in pricing.items())
    currencies = {p.get("currency") for p in pricing.values()}
    unit = currencies.pop() if len(currencies) == 1 and None not in currencies else "currency"
    return Measure(value=value, n=n, excluded=excluded, variant=variant, unit=unit)


def _contact_price(pricing: Mapping[str, Any], ctx: Context) -> pl.Expr | float | None:
    price = pricing.get("per_contact")
    if price is None:
        return 0.0
    if not isinstance(price, Mapping):
        return float(price)
    channels = {k: float(v) for k, v in price.items() if k != "other"}
    default = float(price["other"]) if "other" in price else None
    if not ctx.has("channel"):
        return default
    return pl.col("channel").replace_strict(channels, default=default, return_dtype=pl.Float64)


def _charges_per_contact(pricing: Mapping[str, Mapping[str, Any]], vendor: pl.Expr) -> pl.Expr:
    names = [n for n, p in pricing.items() if p.get("per_contact") is not None]
    return vendor.is_in(names).fill_null(False) if names else pl.lit(False)


def run_params(params: Mapping[str, Any], env: RunEnv) -> dict[str, Any]:
    """Fixed monthly fees are charged per month of the reporting period."""
    return {**params, "period": env.period}


NOT_FROM_INTERVALS = "contact-level data: cost per contact is not computed from interval reports (yet)"
"""Why interval reports cannot give this KPI (said instead of the generic reason)."""
