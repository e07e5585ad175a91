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

from supportkpi.clv.compute import (
    DEFAULT_LIFESPAN_YEARS,
    DEFAULT_MARGIN,
    DEFAULT_MIN_CUSTOMERS,
    check_params,
    clv,
)
from supportkpi.clv.model import DAYS_PER_YEAR, FAMILIES, ClvResult, Segment
from supportkpi.clv.orders import (
    DATA_ERRORS,
    ORDER_COLUMNS,
    ORDER_REASONS,
    prepare_orders,
)

__all__ = [
    "DATA_ERRORS",
    "DAYS_PER_YEAR",
    "DEFAULT_LIFESPAN_YEARS",
    "DEFAULT_MARGIN",
    "DEFAULT_MIN_CUSTOMERS",
    "FAMILIES",
    "ORDER_COLUMNS",
    "ORDER_REASONS",
    "ClvResult",
    "Segment",
    "check_params",
    "clv",
    "prepare_orders",
]
