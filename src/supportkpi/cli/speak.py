"""What a run tells on stderr: which preset read each input, data-quality findings, what was
left out; the progress line. (polars' memory budget for bounded runs is set before polars
loads: :mod:`supportkpi.cli.budget`.)"""

from __future__ import annotations

import sys

from supportkpi.api import Listener
from supportkpi.cli.options import working
from supportkpi.render.formatting import LIMIT, printable
from supportkpi.results import LEFT_OUT_WARNING


class Speaker(Listener):
    """The command line's listener: sources and left-out contacts unless ``quiet``; findings
    unless ``quiet``, or with ``strict`` (whose data errors end the run, so they are told)."""

    def __init__(self, quiet: bool = False, strict: bool = False):
        self.quiet, self.strict = quiet, strict

    def working(self, what, inputs):
        rows = sum(i.estimated_rows or 0 for i in inputs) or None
        return working(what, self.quiet, [i.path for i in inputs], rows)

    def read(self, inputs) -> None:
        if not self.quiet:
            report_sources(inputs)

    def findings(self, findings) -> None:
        if not self.quiet or self.strict:
            report_findings(findings)

    def left_out(self, what: str, counts: dict[str, int]) -> None:
        if not self.quiet:
            for reason, count in counts.items():
                say(f"supportkpi: {what}: left out {count:,} contact(s): {reason}")

    def orders(self, result, path: str) -> None:
        if not self.quiet or self.strict:
            report_exclusions(result, path)


def report_sources(inputs) -> None:
    """Which preset read each input, when it was detected rather than named, and what the
    loader did to read it (an envelope unwrapped, tables joined)."""
    for item in inputs:
        if item.confidence is not None and item.source != "canonical":
            say(
                f"supportkpi: {item.path}: read as {item.source} (detected, "
                f"{item.confidence:.0%} of its fields found; --source to choose)",
            )
        for note in item.notes or ():
            print(f"supportkpi: {item.path}: {note}", file=sys.stderr)


def report_findings(findings) -> None:
    """Data-quality findings on stderr, each with its first examples (file, row, value)."""
    for finding in findings:
        label = "warning" if finding.kind == LEFT_OUT_WARNING else "data"
        say(f"supportkpi: {label}: {finding.message()}")
        for example in finding.examples[:3]:
            where = ", ".join(f"{k} {v!r}" if k == "value" else f"{k} {v}" for k, v in example.items())
            say(f"    {where}")


def report_exclusions(result, path: str) -> None:
    """What clv left out, on stderr, with the first rows of each reason."""
    for reason, n in result.orders_excluded.items():
        say(f"supportkpi: orders: {n} left out: {reason}")
        for example in result.examples.get(reason, [])[:3]:
            value = f", value {example['value']!r}" if example["value"] is not None else ""
            say(f"    file {path}, row {example['row']}{value}")
    if result.orders_before_contact:
        say(
            f"supportkpi: orders: {result.orders_before_contact} placed before the customer's first contact "
            "(--after-contact)",
        )
    if result.customers_contact_after_orders:
        say(
            f"supportkpi: contacts: {result.customers_contact_after_orders} customer(s) left out: first contact at or "
            "after the last order of the table (--after-contact)",
        )
    for reason, n in result.contacts_excluded.items():
        say(f"supportkpi: contacts: {n} left out: {reason}")
    if result.contacted_without_orders:
        say(
            f"supportkpi: contacts: {result.contacted_without_orders} contacted customer(s) have no order in the "
            "orders table (not in any segment)",
        )


def say(line: str) -> None:
    """One line on stderr, with what came from the data (file names, values, headers, names)
    shown with its control characters escaped, never sent raw to the terminal."""
    print(printable(line, one_line=True, limit=LIMIT), file=sys.stderr)
