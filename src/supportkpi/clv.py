"""Customer lifetime value (CLV) and repeat purchase rate, split by support experience.

From an ``orders`` table (``customer_id``, ``ordered_at``, ``order_value``; see
``docs/data-model.md``) and the contacts, per segment of customers:

* ``customers``: customers with at least one order that counts (the orders table defines who is a
  customer; people who contacted support but never ordered are counted apart, not as zeros);
* ``orders``, ``revenue`` (sum of ``order_value``, in the orders' currency);
* ``aov``, average order value = revenue / orders;
* ``frequency``, purchases per customer per year = orders / customer-years observed. Every
  customer is observed over the same window, the span of the orders table: from its first to its
  last order that counts, in days / 365.25, so that customer-years = customers × years observed
  and frequency = orders / customers / years observed. (A window per customer, from their own
  first order, was not chosen: a customer whose first order is the table's last day would have an
  exposure of zero and an infinite frequency, and the table does not say when anyone became a
  customer.) Customers acquired late in the window had less time to order; that lowers every
  segment's frequency alike unless segments differ in when they were acquired;
* ``repeat_rate``: % of the segment's customers with 2 or more orders;
* ``clv`` = AOV × frequency × lifespan × margin, which equals revenue / customer-years ×
  lifespan × margin (so a segment whose customers placed no order counts has CLV 0):

  - ``lifespan_years``, the expected customer lifespan in years: a stated assumption (default
    3), the same for every segment. Nothing in an orders table measures a lifespan, and a rule
    such as 1 / (1 − repeat rate) turns a share of customers into "years" without a unit that
    fits. Because it is the same for every segment, the differences between segments come from
    AOV and frequency only; if satisfied customers also stay longer, the difference is
    understated (conservative). The repeat rate is shown beside it as the retention signal.
  - ``margin``, the share of revenue kept as gross profit, 0 < margin ≤ 1; default 1.0, that is
    *revenue* CLV. With ``margin=0.3`` the CLV is a profit CLV.
  - No discounting of future years, no acquisition cost subtracted.

Segments (from the contacts; the first of each family's rows is compared with its reference,
``clv_vs_reference_pct`` = 100 × (CLV / reference CLV − 1)):

* ``all``: every customer;
* ``contact``: ``contacted`` (the ``customer_id`` appears in the contacts) vs ``not contacted``
  (the reference);
* ``csat``, among contacted customers, by the customer's *last answered survey* (latest
  ``created_at``; answers off the declared scale or unparseable are no answers): ``satisfied``
  (≥ ``satisfied_min`` of kpi.yaml's ``kpis.csat``, default 4 of 1–5), ``not satisfied`` (the
  reference; neutral answers included), ``no survey``;
* ``fcr``, among contacted customers, by the customer's *last resolved contact* (resolved, not
  abandoned, with the columns of the definition): ``resolved first contact`` when it met kpi.yaml's
  FCR definition (``kpis.fcr_rate.definition``, default ``one_touch``: ≤ 1 agent reply and no
  reopen), ``not resolved first contact`` (the reference), ``no resolved contact``.

Both classifications use the customer's most recent experience, one per customer whatever their
number of contacts (with "any contact was bad", customers who buy and write more would fall into
"not" more often). Contacts are ordered by ``created_at`` (unknown first), then as read.

``after_contact=True`` keeps, for a contacted customer, only orders at or after their first
contact, and observes them from that moment (or the table's start, if later) to the table's end:
customer-years are then the sum of each customer's own exposure. A contacted customer without an
order after the contact counts with 0 orders; customers whose first contact is at or after the
last order of the table are left out (no time to order), and the orders placed before a first
contact are counted apart.

Customers are matched on ``customer_id`` exactly (spaces around it trimmed, case kept). One
currency per orders table: values are summed as they are.

Left out and counted: orders with no ``customer_id`` (guest checkouts), no or an unparseable
``ordered_at``, no or an unparseable ``order_value``, a negative ``order_value`` (a refund or a data
error), repeats of an ``order_id`` (when the table has one); each order under its first reason in
that order. Contacts: repeats of a ``ticket_id`` (first kept), contacts with no ``customer_id``;
survey answers off the scale or unparseable are not answers.

Read with care: this is correlation, not causation. Customers who contact support may differ
from those who do not (they bought something that went wrong; big buyers have more to ask), and
unhappy customers may have been unhappy with the product rather than with support. The split
shows what customers of each support experience are worth, not what improving support would earn.

Unit: the orders' currency (no conversion: one currency per table). Better: higher.

Example: A ordered 100 on 2024-01-01 and 50 on 2024-12-31 06:00 (365.25 days later: 1 year
observed) and answered a survey with 5; B never contacted support and ordered 30 once.
Contacted: 150 a year × 3 years = 450; not contacted: 30 × 3 = 90, so contacted is +400 %.

>>> from datetime import datetime, timezone
>>> import polars as pl
>>> utc = timezone.utc
>>> orders = pl.DataFrame({
...     "customer_id": ["A", "A", "B"],
...     "ordered_at": [datetime(2024, 1, 1, tzinfo=utc), datetime(2024, 12, 31, 6, tzinfo=utc),
...                    datetime(2024, 6, 1, tzinfo=utc)],
...     "order_value": [100.0, 50.0, 30.0]})
>>> contacts = pl.DataFrame({"ticket_id": ["T1"], "customer_id": ["A"],
...                          "created_at": [datetime(2024, 3, 1, tzinfo=utc)], "csat": [5.0]})
>>> result = clv(orders, contacts)
>>> [(s.segment, s.aov, s.frequency, s.clv) for s in result.segments if s.family == "contact"]
[('contacted', 75.0, 2.0, 450.0), ('not contacted', 30.0, 1.0, 90.0)]
>>> result.segment("contact", "contacted").clv_vs_reference_pct
400.0
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

import polars as pl

from supportkpi.errors import DataError, UsageError
from supportkpi.loading import parse
from supportkpi.metrics import NotAvailable
from supportkpi.metrics._base import Context
from supportkpi.metrics._resolved import resolved
from supportkpi.metrics.fcr_rate import DEFINITIONS

ORDER_COLUMNS = ("customer_id", "ordered_at", "order_value")
DAYS_PER_YEAR = 365.25
DEFAULT_LIFESPAN_YEARS = 3.0
DEFAULT_MARGIN = 1.0
DEFAULT_MIN_CUSTOMERS = 30

ORDER_REASONS = (
    "no customer_id",
    "no ordered_at",
    "unparseable ordered_at",
    "no order_value",
    "unparseable order_value",
    "negative order_value",
    "duplicate order_id",
)
"""Why an order is left out, in the order the reasons are tried (each order counts under one)."""
DATA_ERRORS = frozenset(
    {"unparseable ordered_at", "unparseable order_value", "negative order_value", "duplicate order_id"}
)
"""The reasons that are errors in the data (``--strict``), rather than orders outside the scope."""

CONTACTED, NOT_CONTACTED = "contacted", "not contacted"
SATISFIED, NOT_SATISFIED, NO_SURVEY = "satisfied", "not satisfied", "no survey"
FCR_YES, FCR_NO, NO_RESOLVED = "resolved first contact", "not resolved first contact", "no resolved contact"
ALL = "all customers"

FAMILIES: tuple[tuple[str, tuple[str, ...], str | None], ...] = (
    ("all", (ALL,), None),
    ("contact", (CONTACTED, NOT_CONTACTED), NOT_CONTACTED),
    ("csat", (SATISFIED, NOT_SATISFIED, NO_SURVEY), NOT_SATISFIED),
    ("fcr", (FCR_YES, FCR_NO, NO_RESOLVED), FCR_NO),
)
"""Family id, its segments in display order, its reference segment."""

_REASON, _RAW, _LINE, _ORDER = "__reason", "__raw", "__line", "__order"


@dataclass
class Segment:
    family: str
    segment: str
    reference: str | None
    """The segment of the family this one is compared with (None: it is the reference)."""
    customers: int
    orders: int
    revenue: float
    customer_years: float
    aov: float | None
    frequency: float | None
    """Purchases per customer per year."""
    repeat_rate: float | None
    """% of customers with 2+ orders."""
    clv: float | None
    clv_vs_reference_pct: float | None
    few_customers: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class ClvResult:
    segments: list[Segment]
    lifespan_years: float
    margin: float
    after_contact: bool
    window_start: datetime | None
    window_end: datetime | None
    years_observed: float | None
    satisfied_min: float
    csat_scale: tuple[float, float]
    fcr_definition: str
    min_customers: int
    orders_read: int
    orders_used: int
    orders_excluded: dict[str, int] = field(default_factory=dict)
    """Orders left out per reason (zero counts are not listed)."""
    orders_before_contact: int = 0
    """With ``after_contact``: orders of contacted customers placed before their first contact."""
    customers_contact_after_orders: int = 0
    """With ``after_contact``: customers left out because their first contact is at or after the
    last order of the table."""
    contacts_read: int = 0
    contacts_excluded: dict[str, int] = field(default_factory=dict)
    """Contacts left out (duplicates, no customer_id) and survey answers not counted."""
    contacted_without_orders: int = 0
    """Customers in the contacts with no order that counts: not in any segment."""
    unavailable: dict[str, list[str]] = field(default_factory=dict)
    """Families the contacts cannot support -> the columns they need."""
    examples: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    """First orders left out per reason: ``{"row": data row (1-based), "value": raw value}``."""

    @property
    def data_errors(self) -> int:
        return sum(n for reason, n in self.orders_excluded.items() if reason in DATA_ERRORS)

    def segment(self, family: str, name: str) -> Segment:
        for item in self.segments:
            if item.family == family and item.segment == name:
                return item
        raise KeyError((family, name))

    def notes(self) -> list[str]:
        """Plain-words caveats of this run (short window, small segments, missing columns)."""
        out = []
        if self.years_observed is None:
            out.append("no order counts: nothing to compute")
        elif self.years_observed == 0:
            out.append("all orders fall on one instant: purchases per year cannot be computed")
        elif self.years_observed * DAYS_PER_YEAR < 365:
            days = self.years_observed * DAYS_PER_YEAR
            out.append(f"the orders cover only {days:.0f} days: yearly figures are extrapolated")
        few = [s.segment for s in self.segments if s.few_customers and s.customers]
        if few:
            out.append(
                f"fewer than {self.min_customers} customers in: {', '.join(dict.fromkeys(few))} "
                "(too few to tell a difference)"
            )
        for family, needs in self.unavailable.items():
            out.append(f"{family} split not available (needs {', '.join(needs)})")
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "kpi": "clv",
            "unit": "orders' currency",
            "formula": "aov * frequency_per_year * lifespan_years * margin",
            "lifespan_years": self.lifespan_years,
            "margin": self.margin,
            "after_contact": self.after_contact,
            "window": {
                "start": _iso(self.window_start),
                "end": _iso(self.window_end),
                "years_observed": self.years_observed,
            },
            "csat": {"satisfied_min": self.satisfied_min, "scale": list(self.csat_scale),
                     "rule": "last answered survey"},
            "fcr": {"definition": self.fcr_definition, "rule": "last resolved contact"},
            "min_customers": self.min_customers,
            "segments": [s.to_dict() for s in self.segments],
            "orders": {
                "read": self.orders_read,
                "used": self.orders_used,
                "excluded": dict(self.orders_excluded),
                "examples": {k: list(v) for k, v in self.examples.items()},
                "before_first_contact": self.orders_before_contact,
            },
            "contacts": {
                "read": self.contacts_read,
                "excluded": dict(self.contacts_excluded),
                "customers_without_orders": self.contacted_without_orders,
                "customers_contact_after_orders": self.customers_contact_after_orders,
            },
            "unavailable": {k: list(v) for k, v in self.unavailable.items()},
            "notes": self.notes(),
        }


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat().replace("+00:00", "Z")


def check_params(lifespan_years: float, margin: float, min_customers: int = DEFAULT_MIN_CUSTOMERS) -> None:
    """Raise a UsageError for a lifespan or margin that makes no sense."""
    if not (math.isfinite(lifespan_years) and lifespan_years > 0):
        raise UsageError(f"lifespan {lifespan_years:g} years: expected a number of years above 0, e.g. 3")
    if not (math.isfinite(margin) and 0 < margin <= 1):
        raise UsageError(
            f"margin {margin:g}: expected a share of revenue above 0 and at most 1 (0.3 = 30 %; 1 = revenue CLV)"
        )
    if min_customers < 0:
        raise UsageError(f"min customers {min_customers}: expected 0 or more")


def prepare_orders(
    orders: pl.LazyFrame | pl.DataFrame,
    *,
    timezone: str = "UTC",
    datetime_format: str | None = None,
    decimal_comma: bool = False,
) -> pl.LazyFrame:
    """The orders typed (``customer_id`` text, ``ordered_at`` UTC, ``order_value`` float), with
    their 1-based data row in ``__line``, the reason an order is left out in ``__reason`` (null:
    it counts) and the offending raw value in ``__raw``. Columns may be text (as read from CSV or
    JSON) or already typed."""
    frame = orders.lazy() if isinstance(orders, pl.DataFrame) else orders
    schema = frame.collect_schema()
    missing = [c for c in ORDER_COLUMNS if c not in schema]
    if missing:
        raise DataError(
            f"orders lack required column(s) {', '.join(missing)} "
            f"(columns found: {', '.join(schema.names()) or 'none'})"
        )
    frame = frame.with_row_index(_LINE, offset=1)
    customer = parse.string(pl.col("customer_id"), schema["customer_id"])
    when_raw = parse.raw_text(pl.col("ordered_at"), schema["ordered_at"])
    when = parse.timestamp(pl.col("ordered_at"), schema["ordered_at"], timezone, datetime_format)
    value_raw = parse.raw_text(pl.col("order_value"), schema["order_value"])
    value_text = pl.col("order_value")
    if schema["order_value"] == pl.String and decimal_comma:
        value_text = parse.blank_to_null(value_text).str.replace(",", ".", literal=True)
    value = parse.number(value_text, schema["order_value"])
    frame = frame.with_columns(
        customer.alias("customer_id"),
        when_raw.alias("__when_raw"),
        when.alias("ordered_at"),
        value_raw.alias("__value_raw"),
        value.alias("order_value"),
    )
    if "order_id" in schema:
        order_id = parse.string(pl.col("order_id"), schema["order_id"])
        repeat = order_id.is_not_null() & ~order_id.is_first_distinct()
    else:
        order_id, repeat = pl.lit(None, pl.String), pl.lit(False)
    checks = [
        (pl.col("customer_id").is_null(), pl.lit(None, pl.String)),
        (pl.col("__when_raw").is_null(), pl.lit(None, pl.String)),
        (pl.col("ordered_at").is_null(), pl.col("__when_raw")),
        (pl.col("__value_raw").is_null(), pl.lit(None, pl.String)),
        (pl.col("order_value").is_null(), pl.col("__value_raw")),
        (pl.col("order_value") < 0, pl.col("__value_raw")),
        (repeat, order_id),
    ]
    reason: Any = pl
    raw: Any = pl
    for name, (condition, shown) in zip(ORDER_REASONS, checks):
        reason = reason.when(condition).then(pl.lit(name))
        raw = raw.when(condition).then(shown)
    return frame.with_columns(
        reason.otherwise(None).alias(_REASON), raw.otherwise(None).alias(_RAW)
    ).select(_LINE, "customer_id", "ordered_at", "order_value", _REASON, _RAW)


def clv(
    orders: pl.LazyFrame | pl.DataFrame,
    contacts: pl.LazyFrame | pl.DataFrame,
    *,
    lifespan_years: float = DEFAULT_LIFESPAN_YEARS,
    margin: float = DEFAULT_MARGIN,
    satisfied_min: float = 4,
    csat_scale: tuple[float, float] = (1, 5),
    fcr_definition: str = "one_touch",
    after_contact: bool = False,
    min_customers: int = DEFAULT_MIN_CUSTOMERS,
    timezone: str = "UTC",
    datetime_format: str | None = None,
    decimal_comma: bool = False,
) -> ClvResult:
    """CLV and repeat purchase rate per segment of support experience (see the module's
    docstring for every definition). ``orders`` as read or typed; ``contacts`` in the canonical
    columns (``supportkpi.load(...).frame`` or a frame with ``customer_id``, ``created_at``,
    ``csat``, ``resolved_at``, ``agent_replies``, ``reopens`` ...)."""
    check_params(lifespan_years, margin, min_customers)
    if fcr_definition not in DEFINITIONS:
        raise UsageError(f"FCR definition '{fcr_definition}': expected one of {', '.join(DEFINITIONS)}")
    prepared = prepare_orders(orders, timezone=timezone, datetime_format=datetime_format, decimal_comma=decimal_comma)
    per_customer, contact_counts, unavailable = _contacts_per_customer(
        contacts, satisfied_min=satisfied_min, csat_scale=csat_scale, fcr_definition=fcr_definition
    )

    # collected once, then reused: the typed orders and one row per contacted customer
    prepared_frame, per_customer_frame = pl.collect_all([prepared, per_customer])
    prepared, per_customer = prepared_frame.lazy(), per_customer_frame.lazy()
    counts, examples, window = pl.collect_all([
        prepared.group_by(_REASON).agg(pl.len().alias("n")),
        prepared.filter(pl.col(_REASON).is_not_null())
        .group_by(_REASON, maintain_order=True)
        .agg(pl.col(_LINE).head(3), pl.col(_RAW).head(3)),
        prepared.filter(pl.col(_REASON).is_null()).select(
            pl.col("ordered_at").min().alias("start"), pl.col("ordered_at").max().alias("end")
        ),
    ])
    by_reason = dict(counts.iter_rows())
    orders_read = sum(by_reason.values())
    excluded = {r: by_reason[r] for r in ORDER_REASONS if by_reason.get(r)}
    shown = {
        reason: [{"row": line, "value": value} for line, value in zip(lines, values)]
        for reason, lines, values in examples.iter_rows()
    }
    start, end = window.row(0)
    years = None if start is None else (end - start).total_seconds() / 86400 / DAYS_PER_YEAR

    customers = _customer_table(prepared, per_customer, start, end, years, after_contact)
    counted = customers.filter(pl.col("__exposure") > 0) if after_contact else customers
    before_contact = int(customers["__before"].sum()) if after_contact else 0
    late = customers.height - counted.height

    with_orders = prepared.filter(pl.col(_REASON).is_null()).select("customer_id").unique()
    without_orders = (
        per_customer.select("customer_id").join(with_orders, on="customer_id", how="anti").select(pl.len()).collect().item()
    )

    segments = _segments(counted, lifespan_years, margin, min_customers, unavailable)
    return ClvResult(
        segments=segments,
        lifespan_years=lifespan_years,
        margin=margin,
        after_contact=after_contact,
        window_start=start,
        window_end=end,
        years_observed=years,
        satisfied_min=satisfied_min,
        csat_scale=(float(csat_scale[0]), float(csat_scale[1])),
        fcr_definition=fcr_definition,
        min_customers=min_customers,
        orders_read=orders_read,
        orders_used=int(counted["__orders"].sum()) if counted.height else 0,
        orders_excluded=excluded,
        orders_before_contact=before_contact,
        customers_contact_after_orders=late,
        contacts_read=contact_counts.pop("read"),
        contacts_excluded={k: v for k, v in contact_counts.items() if v},
        contacted_without_orders=int(without_orders),
        unavailable=unavailable,
        examples=shown,
    )


def _contacts_per_customer(
    contacts: pl.LazyFrame | pl.DataFrame,
    *,
    satisfied_min: float,
    csat_scale: tuple[float, float],
    fcr_definition: str,
) -> tuple[pl.LazyFrame, dict[str, int], dict[str, list[str]]]:
    """One row per contacted customer: first contact, csat and fcr segment; the counts of
    contacts left out; the families the columns cannot support."""
    from supportkpi.engine import with_duplicate_flag

    frame = contacts.lazy() if isinstance(contacts, pl.DataFrame) else contacts
    names = frame.collect_schema().names()
    if "customer_id" not in names:
        raise DataError(
            "the contacts have no customer_id column, so customers cannot be matched with orders; "
            "map one with --map customer_id=HEADER"
        )
    schema = frame.collect_schema()
    typed = [parse.string(pl.col("customer_id"), schema["customer_id"]).alias("customer_id")]
    created = schema.get("created_at")
    if isinstance(created, pl.Datetime):  # naive times are UTC, as the engine reads them
        fix = pl.col("created_at")
        fix = fix.dt.replace_time_zone("UTC") if created.time_zone is None else fix.dt.convert_time_zone("UTC")
        typed.append(fix.dt.cast_time_unit("us"))
    frame = with_duplicate_flag(frame.with_columns(typed).with_row_index(_ORDER))
    ctx = Context(frozenset(frame.collect_schema().names()))
    kept = ctx.rows & pl.col("customer_id").is_not_null()
    unavailable: dict[str, list[str]] = {}

    count_exprs = [
        pl.len().alias("read"),
        (~ctx.rows).sum().alias("duplicate ticket_id"),
        (ctx.rows & pl.col("customer_id").is_null()).sum().alias("no customer_id"),
    ]
    aggs: list[pl.Expr] = [
        (pl.col("created_at").min() if ctx.has("created_at") else pl.lit(None, pl.Datetime("us", "UTC")))
        .alias("__first_contact"),
        pl.lit(True).alias("__contacted"),
    ]
    if ctx.has("csat"):
        low, high = csat_scale
        answered = pl.col("csat").is_not_null() & (pl.col("csat") >= low) & (pl.col("csat") <= high)
        count_exprs += [
            (kept & pl.col("csat").is_not_null() & ~answered).sum().alias("csat off the scale (not an answer)"),
            (kept & ctx.invalid("csat")).sum().alias("unparseable csat (not an answer)"),
        ]
        last = pl.col("csat").filter(answered).last()
        aggs.append(
            pl.when(last.is_null()).then(pl.lit(NO_SURVEY))
            .when(last >= satisfied_min).then(pl.lit(SATISFIED))
            .otherwise(pl.lit(NOT_SATISFIED)).alias("__csat")
        )
    else:
        unavailable["csat"] = ["csat"]
        aggs.append(pl.lit(None, pl.String).alias("__csat"))
    columns, first_contact = DEFINITIONS[fcr_definition]
    try:
        ctx.need(*columns)
        eligible = resolved(ctx) & pl.all_horizontal(ctx.known(c) for c in columns)
        last = first_contact.filter(eligible).last()
        aggs.append(
            pl.when(last.is_null()).then(pl.lit(NO_RESOLVED))
            .when(last).then(pl.lit(FCR_YES))
            .otherwise(pl.lit(FCR_NO)).alias("__fcr")
        )
    except NotAvailable as exc:
        unavailable["fcr"] = list(exc.needs)
        aggs.append(pl.lit(None, pl.String).alias("__fcr"))

    counts = frame.select(c.cast(pl.Int64) for c in count_exprs).collect().row(0, named=True)
    order = ["created_at", _ORDER] if ctx.has("created_at") else [_ORDER]
    per_customer = (
        frame.filter(kept)
        .sort(order, nulls_last=False)
        .group_by("customer_id", maintain_order=True)
        .agg(aggs)
    )
    return per_customer, counts, unavailable


def _customer_table(
    prepared: pl.LazyFrame,
    per_customer: pl.LazyFrame,
    start: datetime | None,
    end: datetime | None,
    years: float | None,
    after_contact: bool,
) -> pl.DataFrame:
    """One row per customer with an order that counts: orders, revenue, exposure in years and
    the segment of each family."""
    valid = prepared.filter(pl.col(_REASON).is_null())
    joined = valid.join(per_customer, on="customer_id", how="left").with_columns(
        pl.col("__contacted").fill_null(False)
    )
    first = pl.col("__first_contact")
    if after_contact:
        counts = pl.col("__contacted").not_() | first.is_null() | (pl.col("ordered_at") >= first)
    else:
        counts = pl.lit(True)
    joined = joined.with_columns(counts.alias("__counts"))
    table = joined.group_by("customer_id", maintain_order=True).agg(
        pl.col("__counts").sum().cast(pl.Int64).alias("__orders"),
        pl.col("order_value").filter(pl.col("__counts")).sum().alias("__revenue"),
        (~pl.col("__counts")).sum().cast(pl.Int64).alias("__before"),
        pl.col("__contacted").first(),
        first.first(),
        pl.col("__csat").first(),
        pl.col("__fcr").first(),
    )
    if years is None:
        exposure = pl.lit(0.0)
    elif after_contact:
        begin = pl.when(pl.col("__contacted") & first.is_not_null() & (first > pl.lit(start))).then(first).otherwise(
            pl.lit(start)
        )
        exposure = (pl.lit(end) - begin).dt.total_microseconds() / (86_400_000_000 * DAYS_PER_YEAR)
    else:
        exposure = pl.lit(years)
    return table.with_columns(
        exposure.cast(pl.Float64).alias("__exposure"),
        pl.lit(ALL).alias("__all"),
        pl.when(pl.col("__contacted")).then(pl.lit(CONTACTED)).otherwise(pl.lit(NOT_CONTACTED)).alias("__contact"),
    ).collect()


def _segments(
    customers: pl.DataFrame,
    lifespan_years: float,
    margin: float,
    min_customers: int,
    unavailable: dict[str, list[str]],
) -> list[Segment]:
    out: list[Segment] = []
    for family, labels, reference in FAMILIES:
        if family in unavailable:
            continue
        column = f"__{family}"
        sums = {
            row[0]: row[1:]
            for row in customers.group_by(column).agg(
                pl.len().alias("n"),
                pl.col("__orders").sum().alias("orders"),
                pl.col("__revenue").sum().alias("revenue"),
                pl.col("__exposure").sum().alias("years"),
                (pl.col("__orders") >= 2).sum().alias("repeaters"),
            ).iter_rows()
            if row[0] is not None
        }
        rows = []
        for label in labels:
            n, orders, revenue, years, repeaters = sums.get(label, (0, 0, 0.0, 0.0, 0))
            clv_value = revenue / years * lifespan_years * margin if years > 0 else None
            rows.append(Segment(
                family=family,
                segment=label,
                reference=reference if label != reference else None,
                customers=int(n),
                orders=int(orders),
                revenue=float(revenue),
                customer_years=float(years),
                aov=revenue / orders if orders else None,
                frequency=orders / years if years > 0 else None,
                repeat_rate=100 * repeaters / n if n else None,
                clv=clv_value,
                clv_vs_reference_pct=None,
                few_customers=n < min_customers,
            ))
        base = next((r.clv for r in rows if r.segment == reference), None)
        for row in rows:
            if row.reference is not None and row.clv is not None and base:
                row.clv_vs_reference_pct = 100 * (row.clv / base - 1)
        out += rows
    return out
