"""A run: kpi.yaml, the time zone and the inputs, and the verbs that compute with them.

The command line is a thin layer over this class: each command parses its options, calls one
verb and renders the result. A verb checks its arguments first (usage errors, exit 2, before any
data is read), then reads the inputs, computes, and tells its :class:`Listener` what it read and
found; with ``strict``, data errors end the run (:class:`~supportkpi.errors.DataError`, exit 3).
kpi.yaml is read when a verb first needs it, after that verb's own arguments are checked, so
errors come in the same order as on the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from supportkpi.api import inputs as reading
from supportkpi.api import planning, sections
from supportkpi.api.inputs import InputSpec
from supportkpi.api.listener import Listener
from supportkpi.errors import DataError, UsageError
from supportkpi.left_out import DEFAULT_MAX_LEFT_OUT, judge, judge_sides, parse_share

if TYPE_CHECKING:
    from supportkpi.config import Config


@dataclass
class CheckReport:
    """:meth:`Run.check`'s scorecard, each target's outcome and the exit code they make."""

    scorecard: Any
    outcomes: list
    exit_code: int


class Run:
    """kpi.yaml (``config``: a path, else ``$SUPPORTKPI_CONFIG``, else kpi.yaml in the current
    directory or its nearest parent, else defaults), ``tz`` (time zone of timestamps without an
    offset; default kpi.yaml's), ``hours`` (calendar or business: how
    ticket durations count; default kpi.yaml's) and the inputs added with :meth:`add_inputs`."""

    def __init__(
        self,
        config: str | Path | None = None,
        *,
        tz: str | None = None,
        hours: str | None = None,
        strict: bool = False,
        listener: Listener | None = None,
        max_left_out: str | float | None = None,
    ):
        self.config_path, self.tz, self.hours, self.strict = config, tz, hours, strict
        # checked now: a bad value is a usage error before anything is read
        self.max_left_out = None if max_left_out is None else parse_share(max_left_out)
        self.listener = listener or Listener()
        self.specs: list[InputSpec] = []
        self._settings: Config | None = None

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        tz: str | None = None,
        hours: str | None = None,
        strict: bool = False,
        listener: Listener | None = None,
        max_left_out: str | float | None = None,
    ) -> Run:
        """A run with kpi.yaml at ``path`` (read when first needed). ``max_left_out``: the
        share of rows (``"50%"`` or 0.5) that may be left out of every KPI before the run warns
        (and, ``strict``, fails); default kpi.yaml's ``max_left_out``, else 50 %."""
        return cls(path, tz=tz, hours=hours, strict=strict, listener=listener, max_left_out=max_left_out)

    def add_inputs(
        self,
        files: Sequence[str | Path],
        source: str | None = None,
        mapping: Sequence[str] = (),
        datetime_format: str | Sequence[str] | None = None,
        input_format: str | None = None,
        encoding: str | None = None,
        separator: str | None = None,
        decimal_comma: bool | None = None,
    ) -> Run:
        """Exports to read (files, globs, or ``-``) with their source preset (default: detected),
        ``canonical=Header`` mapping pairs and reading options. Inputs added by several calls
        are read each with its own options and stacked."""
        self.specs.append(
            InputSpec(
                tuple(map(str, files)),
                source,
                tuple(mapping),
                datetime_format
                if datetime_format is None or isinstance(datetime_format, str)
                else tuple(datetime_format),
                input_format,
                encoding,
                separator,
                decimal_comma,
            )
        )
        return self

    # -- what every verb shares -------------------------------------------------------------

    @property
    def settings(self) -> Config:
        """kpi.yaml, read (and ``tz`` checked) on first use."""
        if self._settings is None:
            # deferred: kpi.yaml's models load the KPI modules (polars, pydantic)
            from supportkpi.config import check_timezone, load_config

            settings, _ = load_config(self.config_path)
            if self.tz is not None:
                try:
                    check_timezone(self.tz)
                except ValueError as exc:
                    raise UsageError(f"--tz: {exc}") from None
            self._settings = settings
        return self._settings

    @property
    def timezone(self) -> str:
        return self.tz or self.settings.timezone

    def params(self) -> dict:
        """kpi.yaml's KPI parameters, with ``hours`` setting the clock of ticket durations."""
        from supportkpi.config import kpi_params

        return kpi_params(self.settings, self.hours)

    def calendars(self):
        from supportkpi.schedules import Calendars

        return Calendars.from_config(self.settings, self.timezone)

    def load(self, group_by: Sequence[str] = (), *, intervals: bool = False):
        """Every input, read through its source preset, as one lazy frame
        (:class:`supportkpi.loading.Loaded`)."""
        if not self.specs:
            raise UsageError("no inputs: add exports to read (Run.add_inputs)")
        return self.load_specs(self.specs, group_by, intervals=intervals)

    def load_specs(self, specs: Sequence[InputSpec], group_by: Sequence[str] = (), *, intervals: bool = False):
        """Some of the inputs (one canonical table's, :mod:`supportkpi.api.sections`) as one frame."""
        for spec in specs:
            spec.check()
        settings, timezone = self.settings, self.timezone
        return reading.stacked(
            [(None, spec.load(settings, timezone, group_by=group_by, intervals=intervals)) for spec in specs]
        )

    def interval_report(self) -> bool:
        """Whether the inputs are interval reports (every one; a mix is a usage error)."""
        kinds = set().union(*(spec.interval_kinds() for spec in self.specs))
        if len(kinds) > 1:
            raise UsageError("some inputs are interval reports and some contact exports: compute them separately")
        return kinds == {True}

    def guarded(self, inputs, compute):
        """``compute()``, with polars' reading errors told as a data error about the inputs."""
        import polars as pl

        try:
            return compute()
        except pl.exceptions.PolarsError as exc:
            raise DataError(reading.read_failure(inputs, exc)) from None

    @property
    def left_out_threshold(self) -> float:
        """The share of rows that may be left out of every KPI before the run warns."""
        if self.max_left_out is not None:
            return self.max_left_out
        configured = self.settings.max_left_out
        return DEFAULT_MAX_LEFT_OUT if configured is None else configured

    def report(self, inputs, findings, data_errors: int, consequence: str, left_out=None) -> None:
        """Tell the listener what was read and found; ``strict`` stops at a data error.
        ``left_out`` (:class:`supportkpi.results.LeftOut`): the rows read and left out of every
        KPI, judged by :meth:`judge_left_out` (its warning joins ``findings``, so that every
        view shows it)."""
        self.listener.read(inputs)
        if left_out is None:
            self.listener.findings(findings)
        else:
            self.judge_left_out(inputs, left_out, consequence, findings)
        if self.strict and data_errors:
            raise DataError(f"{data_errors} data error(s) and --strict is set; {consequence}")

    def judge_left_out(self, inputs, left_out, consequence: str, findings: list | None = None):
        """:func:`supportkpi.left_out.judge` with this run's threshold, listener and strictness."""
        return judge(self.listener, inputs, left_out, self.left_out_threshold, self.strict, consequence, findings)

    def bounded(self, memory: str, inputs) -> None:
        from supportkpi.engine import bounded

        if bounded(memory, inputs):
            self.listener.bounded(inputs)

    # -- verbs ------------------------------------------------------------------------------

    def compute(
        self,
        kpis: Sequence[str] | None = None,
        *,
        by: Sequence[str] = (),
        period: str | None = None,
        as_of: str | None = None,
        memory: str = "auto",
    ):
        """Every KPI (or ``kpis``) per group of ``by`` and ``period``: a
        :class:`supportkpi.results.Result`. Interval reports are measured as such. Contact and
        mentions exports may be given together: each table's KPIs are computed over its own
        inputs, and the mentions section is the result's ``mentions``
        (:mod:`supportkpi.api.sections`)."""
        from supportkpi.engine import check_kpis, check_memory, check_period

        kpi_ids = check_kpis(list(kpis or []))
        check_period(period)
        check_memory(memory)
        params = self.params()
        end = reading.parse_as_of(as_of, self.timezone)
        if self.interval_report():
            from supportkpi.intervals import compute_intervals

            loaded = self.load(by, intervals=True)
            result = self.guarded(
                loaded.inputs,
                lambda: compute_intervals(
                    loaded.frame,
                    kpi_ids,
                    by=list(by),
                    period=period,
                    timezone=self.timezone,
                    params=params,
                    inputs=loaded.inputs,
                ),
            )
            self.report(loaded.inputs, result.findings, result.data_errors, "no report written")
            return result
        if not self.specs:
            raise UsageError("no inputs: add exports to read (Run.add_inputs)")
        options = {"period": period, "as_of": end, "memory": memory, "params": params}
        return sections.compute(self, kpi_ids, bool(kpis), list(by), **options)

    def breaches(self, *, as_of: str | None = None, memory: str = "auto"):
        """The contacts that missed an SLA policy of kpi.yaml: (one row per contact and policy,
        {policy not judged: the columns it needs})."""
        from supportkpi.engine import breaches, check_memory

        check_memory(memory)
        self.params()  # --hours is checked even though breaches are timed by the policies
        end = reading.parse_as_of(as_of, self.timezone)
        if self.interval_report():
            self.load(intervals=True)
            raise UsageError("--breaches needs contact-level data; these inputs are interval reports")
        loaded = self.load()
        self.bounded(memory, loaded.inputs)
        calendars = self.calendars()
        if not self.settings.sla:
            raise UsageError("--breaches needs SLA policies (an `sla:` section in kpi.yaml)")
        return breaches(loaded.frame, self.settings.sla, calendars=calendars, timezone=self.timezone, as_of=end)

    def scorecard(
        self,
        *,
        by: Sequence[str] | None = None,
        period: str | None = None,
        as_of: str | None = None,
        benchmark: str | None = None,
        memory: str = "auto",
    ):
        """Every target of kpi.yaml judged per group (:class:`supportkpi.scorecard.Scorecard`).
        ``by`` defaults to ``vendor`` when the exports have vendors; ``["none"]`` judges all
        contacts together. ``benchmark``: industry figures beside the checks (a name or a YAML
        file). ``memory``: in-memory, bounded or auto, as for
        :func:`supportkpi.engine.compute`."""
        from supportkpi.engine import check_memory, check_period

        figures = reading.load_benchmark_option(benchmark)
        check_period(period)
        check_memory(memory)
        grouping = list(by or [])
        settings = self.settings
        if not settings.targets:
            where = settings.path or "no kpi.yaml found"
            raise UsageError(f"{where}: no `targets:` to judge (add some, or write a starter with `supportkpi init`)")
        card = sections.scorecard(self, grouping, period, reading.parse_as_of(as_of, self.timezone), memory)
        card.benchmark = figures
        return card

    def check(
        self,
        *,
        by: Sequence[str] | None = None,
        period: str | None = None,
        as_of: str | None = None,
        fail_on: str = "fail",
        insufficient: str = "warn",
        missing: str = "error",
        memory: str = "auto",
    ) -> CheckReport:
        """The CI gate: the scorecard, each target's outcome and the exit code (0 passed, 1 a
        check failed, 4 only warnings under ``fail_on="warn"``). ``insufficient`` (too little
        data) and ``missing`` (columns lacking): warn, skip or error. ``memory``: as for
        :meth:`compute`."""
        from supportkpi.targets import INSUFFICIENT_MODES, exit_code

        if fail_on not in ("fail", "warn"):
            raise UsageError(f"--fail-on '{fail_on}': expected fail or warn")
        for flag, value in (("--insufficient", insufficient), ("--missing", missing)):
            if value not in INSUFFICIENT_MODES:
                raise UsageError(f"{flag} '{value}': expected {', '.join(INSUFFICIENT_MODES)}")
        card = self.scorecard(by=by, period=period, as_of=as_of, memory=memory)
        if not card.base.groups:
            raise DataError(
                "no contacts to judge in these exports (every row was empty or left out; see the "
                "data-quality messages): a check that judges nothing cannot pass"
            )
        outcomes = card.outcomes(insufficient, missing)
        return CheckReport(card, outcomes, exit_code([o for _, o in outcomes], fail_on))

    def compare(
        self,
        kpis: Sequence[str] | None = None,
        *,
        by: Sequence[str] = (),
        only: Sequence[str] = (),
        period: str | None = None,
        as_of: str | None = None,
        benchmark: str | None = None,
        memory: str = "auto",
        **tests: Any,
    ):
        """Sides compared KPI by KPI (:class:`supportkpi.comparison.Comparison`). The sides are
        the input files (``name=path`` names one), or with a single file the values of the first
        ``by`` column (``only``: these, in this order); further ``by`` columns are strata.
        ``tests``: baseline, open_tickets, confidence, min_n, adjust, resamples, seed (as in
        :func:`supportkpi.comparison.compare`); ``memory``: in-memory, bounded or auto, as for :func:`supportkpi.engine.compute`."""
        from supportkpi.comparison import compare
        from supportkpi.engine import check_kpis, check_memory, check_period
        from supportkpi.targets import build_checks

        planning.check_tests(**tests)
        kpi_ids = check_kpis(list(kpis or []))
        check_period(period)
        check_memory(memory)
        grouping = list(by)
        table, kpi_ids = sections.one_table(self, kpi_ids, bool(kpis))
        files = [f for spec in self.specs for f in spec.files]
        if len(files) == 1:
            if not grouping or "=" in files[0]:
                raise UsageError("compare needs two or more inputs (A.csv B.csv), or one input with --by vendor")
            side, strata = grouping[0], grouping[1:]
            loaded = self.load(grouping)
            sides = list(only) or None
            if sides:
                if len(set(sides)) != len(sides) or len(sides) < 2:
                    raise UsageError(f"--only: name two or more different {side} values")
                reading.check_sides(loaded.frame, side, sides)
        else:
            if only:
                raise UsageError("--only picks groups of one input (with --by vendor); here every input is a side")
            side, strata = reading.SIDE_COLUMN, grouping
            loaded, sides = self._sides(strata)
        figures = reading.load_benchmark_option(benchmark)
        self.bounded(memory, loaded.inputs)

        def compared():
            with self.listener.working("Reading and comparing", loaded.inputs):
                return compare(
                    loaded.frame,
                    kpi_ids,
                    side=side,
                    sides=sides,
                    by=strata,
                    period=period,
                    timezone=self.timezone,
                    params=self.params(),
                    calendars=self.calendars(),
                    sla=self.settings.sla,
                    as_of=reading.parse_as_of(as_of, self.timezone),
                    inputs=loaded.inputs,
                    checks=build_checks(self.settings),
                    table=table,
                    memory=memory,
                    **tests,
                )

        result = self.guarded(loaded.inputs, compared)
        self.report(
            loaded.inputs, result.base.findings, result.base.data_errors, "no report written", result.base.left_out
        )
        judge_sides(result)
        if figures is not None:
            result.benchmark = figures
        return result

    def _sides(self, strata: Sequence[str]):
        """Each input file loaded on its own (its preset detected per file) as a side."""
        named = [(spec, *reading.side_name(f)) for spec in self.specs for f in spec.files]
        names = [name for _, name, _ in named]
        repeated = sorted({n for n in names if names.count(n) > 1})
        if repeated:
            first = self.specs[0].files[0]
            raise UsageError(f"two sides are named {repeated[0]!r}; name them: A={first} B=...")
        parts = []
        for spec, name, path in named:
            single = replace(spec, files=(path,))
            single.check()
            loaded = single.load(self.settings, self.timezone, group_by=strata)
            if reading.SIDE_COLUMN in loaded.frame.collect_schema().names():
                raise UsageError(f"{path}: has a column named '{reading.SIDE_COLUMN}'; rename it with --map or drop it")
            parts.append((name, loaded))
        return reading.stacked(parts, side=reading.SIDE_COLUMN), names

    def forecast(
        self,
        kpi: str | None = None,
        *,
        by: Sequence[str] = (),
        period: str = "month",
        horizon: int = 1,
        confidence: float = 0.95,
        exclude_partial: bool = False,
        memory: str = "auto",
    ):
        """Next period's value of a duration or mean KPI (default: the registry's
        ``FORECAST_DEFAULT``, average handle time) per group by Holt's linear trend:
        (:class:`supportkpi.forecast.ForecastReport`, the per-period result it was fitted to).
        ``memory``: in-memory, bounded or auto, as for :func:`supportkpi.engine.compute`."""
        options: dict[str, Any] = {"horizon": horizon, "confidence": confidence, "exclude_partial": exclude_partial}
        return planning.forecast(self, kpi, by=by, period=period, memory=memory, **options)

    def staffing(self, interval: str = "30m", *, by: Sequence[str] = (), aht: float | None = None, **plan: Any):
        """Agents needed per weekday and time of day by Erlang C, from call-level inputs
        (:class:`supportkpi.render.staffing.StaffingReport`). ``aht`` replaces the measured AHT;
        ``plan``: target (``"80/20"`` or ``(0.8, 20.0)``), shrinkage, agents, growth,
        max_occupancy, checked as usage errors by :func:`supportkpi.api.planning.check_plan`."""
        return planning.staffing(self, interval, by=by, aht=aht, **plan)

    def clv(self, orders: str, **options: Any):
        """Customer lifetime value by support experience from the contact inputs and an orders
        table (:class:`supportkpi.clv.ClvResult`); ``options`` as in :func:`supportkpi.api.planning.clv`."""
        return planning.clv(self, orders, **options)

    def validate(self, examples: int = 5) -> dict:
        """The inputs checked without computing KPIs: preset, rows, columns found and missing,
        KPIs available and every data-quality finding (with up to ``examples`` rows each)."""
        return planning.validate(self, examples)
