"""The models of kpi.yaml: calendars, vendors, SLA policies, targets, and the :class:`Config`
that holds them with the ``kpis`` section (:mod:`supportkpi.config.kpis`).

Unknown keys and bad values are errors (reported with their line by
:mod:`supportkpi.config.loading`). Everything has a default taken from ``docs/kpi-catalog.md``; a
run without any kpi.yaml uses those defaults.
"""

from __future__ import annotations

import zoneinfo
from datetime import UTC, date, datetime, time
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias, cast

from pydantic import (
    Field,
    PrivateAttr,
    StringConstraints,
    field_validator,
    model_validator,
)

from supportkpi import plausible, strftime
from supportkpi.config.kpis import KpiParams
from supportkpi.config.yaml_nodes import line_of
from supportkpi.errors import UsageError
from supportkpi.languages import language_of
from supportkpi.left_out import parse_share
from supportkpi.metrics import REGISTRY
from supportkpi.metrics.cost_per_contact import Pricing
from supportkpi.params import Statistic, StrictModel
from supportkpi.schema import COLUMNS, VOCABULARIES
from supportkpi.suggest import suggest
from supportkpi.units import Level

if TYPE_CHECKING:
    # Literals of names known only at run time (the column catalog, the registry): to a type
    # checker, strings
    CanonicalName: TypeAlias = str
    SlaMetric: TypeAlias = str
else:
    CanonicalName = Literal[tuple(COLUMNS)]
    SlaMetric = Literal[tuple(k for k, m in REGISTRY.items() if m.INFO.business_clock and m.INFO.table == "contacts")]
    """The KPIs an SLA policy may measure: the ticket durations with a business clock."""


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend", "daily"]
_HOURS = r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"


class HolidaysConfig(StrictModel):
    country: str
    subdiv: str | None = None


class DayConfig(StrictModel):
    """An explicit date: closed (no ``hours``) or open with its own hours (a half day)."""

    date: date
    hours: list[Annotated[str, StringConstraints(pattern=_HOURS)]] = Field(default_factory=list)


class CalendarConfig(StrictModel):
    """When the clock runs: a weekly timetable in a time zone, plus holidays."""

    timezone: str = "UTC"
    always_open: bool = False
    hours: dict[Weekday, list[Annotated[str, StringConstraints(pattern=_HOURS)]]] = Field(default_factory=dict)
    """Windows per day, "08:00-18:00" (several a day allowed; "22:00-06:00" runs overnight);
    ``weekdays``, ``weekend`` and ``daily`` stand for several days, a named day wins."""
    holidays: HolidaysConfig | None = None
    add: list[date | DayConfig] = Field(default_factory=list)
    """Extra dates: closed, or with their own hours."""
    remove: list[date] = Field(default_factory=list)
    """Holidays on which the calendar is open after all."""

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        check_timezone(value)
        return value

    @model_validator(mode="after")
    def _hours_or_always(self) -> CalendarConfig:
        if not self.always_open and not self.hours:
            raise ValueError("give `hours` (e.g. weekdays: ['08:00-18:00']) or `always_open: true`")
        return self


class VendorConfig(StrictModel):
    calendar: str | None = None
    """The calendar of this vendor's contract (default: the calendar named `default`)."""
    match: list[str] = Field(default_factory=list)
    """File patterns of this vendor's exports: their contacts get this `vendor` (exports
    rarely say which outsourcing partner handled them)."""
    pricing: Pricing | None = None
    """The vendor's price list, for cost_per_contact."""


OVERRIDE_COLUMNS: tuple[str, ...] = ("channel", "priority", "language", "vendor")
"""The columns an SLA target or a target's override may name, the one that outranks the others
first: a chat's 2-minute target stays a chat target for urgent contacts, an urgent contact's
stays urgent in any language, and a language desk's target holds under a vendor's general
contract."""


class Conditions(StrictModel):
    """Which contacts a setting is for: those of this channel, priority, language and vendor
    (each left out matches every contact). A language is written as a code or a name (``de``,
    ``German``, ``de-DE``) and kept as its ISO 639-1 code, as the contacts' are."""

    channel: str | None = None
    priority: str | None = None
    language: str | None = None
    vendor: str | None = None

    @field_validator("language")
    @classmethod
    def _language_code(cls, value: str | None) -> str | None:
        if value is None:
            return None
        code = language_of(value)
        if code is None:
            # a language no contact can have would match none and silently fall through
            raise ValueError(f"language '{value}' is no known language (write an ISO 639-1 code such as de or en)")
        return code

    @property
    def conditions(self) -> dict[str, str]:
        """The columns named and their values, the one that outranks the others first."""
        return {k: v for k in OVERRIDE_COLUMNS if (v := getattr(self, k)) is not None}


class SlaTarget(Conditions):
    """A target; the first target whose conditions all match a contact applies to it."""

    hours: float | None = Field(None, gt=0)
    minutes: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _one_limit(self) -> SlaTarget:
        if (self.hours is None) == (self.minutes is None):
            raise ValueError("give exactly one of `hours` or `minutes`")
        _check_vocabulary(self)
        return self

    @property
    def seconds(self) -> float:
        # exactly one of them is given (_one_limit)
        return self.hours * 3600 if self.hours is not None else cast(float, self.minutes) * 60


class SlaPolicy(StrictModel):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]+$")]
    metric: SlaMetric
    clock: Literal["business", "calendar"] = "business"
    calendar: str | None = None
    """Business hours of this calendar; default: each vendor's calendar, else `default`."""
    targets: list[SlaTarget] = Field(min_length=1)


class TargetOverride(Conditions):
    """Levels for the contacts of some vendors, channels, priorities or languages. Each contact
    belongs to the most specific override that matches it: the one naming more of them, and
    between two naming as many, the one whose columns rank higher in :data:`OVERRIDE_COLUMNS`
    (channel, then priority, then language, then vendor). A level it leaves out is the
    target's. Weights are not overridden, so that vendors' scores stay comparable."""

    warn: Level | None = None
    fail: Level | None = None
    min_sample: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _check(self) -> TargetOverride:
        if not self.conditions:
            raise ValueError("an override names a `vendor`, `channel`, `priority` or `language`")
        if self.warn is None and self.fail is None and self.min_sample is None:
            raise ValueError("an override gives `warn`, `fail` or `min_sample`")
        _check_vocabulary(self)
        return self

    @property
    def specificity(self) -> tuple[int, int]:
        """How many columns the override names, then which: the higher, the more specific."""
        named = [getattr(self, c) is not None for c in OVERRIDE_COLUMNS]
        return sum(named), sum(2**rank for rank, on in enumerate(reversed(named)) if on)


class Target(StrictModel):
    """What is expected of one KPI: a `warn` and a `fail` level (either may be left out), a
    minimum sample below which the result is "insufficient data", and a weight in the score."""

    kpi: str
    """A KPI id (`supportkpi kpis`) or `sla_compliance.<policy>`."""
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_.\-]+$")] | None = None
    """Unique name of the check (default: the KPI id, plus the statistic if given)."""
    statistic: Statistic | None = None
    """For duration KPIs: which statistic is judged (default: the KPI's headline value)."""
    warn: Level | None = None
    fail: Level | None = None
    min_sample: int = Field(1, ge=0)
    weight: float = Field(1.0, ge=0, le=1e6, allow_inf_nan=False)
    direction: Literal["higher", "lower"] | None = None
    """Which way is better, for KPIs without one (ticket volume)."""
    insufficient: Literal["warn", "skip", "error"] | None = None
    """What `check` makes of insufficient data (default: `--insufficient`, else warn)."""
    overrides: list[TargetOverride] = Field(default_factory=list)

    @model_validator(mode="after")
    def _check(self) -> Target:
        if self.warn is None and self.fail is None:
            raise ValueError("give `warn`, `fail` or both")
        seen = {}
        for override in self.overrides:
            key = tuple(sorted(override.conditions.items()))
            if key in seen:
                raise ValueError(f"two overrides for {dict(key)}")
            seen[key] = override
        return self

    @property
    def check_name(self) -> str:
        if self.name:
            return self.name
        return f"{self.kpi}.{self.statistic}" if self.statistic else self.kpi


def _check_vocabulary(model: Any) -> None:
    for name in ("priority", "channel"):
        value = getattr(model, name)
        if value is not None and value not in VOCABULARIES[name]:
            # a typo would match no contact and silently fall through
            raise ValueError(f"{name} '{value}' is not a canonical {name} ({suggest(value, VOCABULARIES[name])})")


class PlausibleConfig(StrictModel):
    """The range of values a contact can hold (:mod:`supportkpi.plausible`): timestamps from
    ``earliest`` up to, not including, ``latest`` (dates, UTC), durations up to
    ``longest_days``. A value outside is reported as unparseable and left out."""

    earliest: date = plausible.EARLIEST.date()
    latest: date = plausible.LATEST.date()
    longest_days: float = Field(plausible.LONGEST_DAYS, gt=0, le=1e6, allow_inf_nan=False)

    @model_validator(mode="after")
    def _ordered(self) -> PlausibleConfig:
        if self.earliest >= self.latest:
            raise ValueError(f"earliest ({self.earliest}) must come before latest ({self.latest})")
        return self

    def bounds(self) -> plausible.Plausible:
        """The range as the loader takes it."""
        return plausible.Plausible(
            datetime.combine(self.earliest, time(), UTC),
            datetime.combine(self.latest, time(), UTC),
            self.longest_days * 86400,
        )


class DedupeConfig(StrictModel):
    """Which version of a record delivered again under the same id to keep: ``first`` (the
    first row; later ones are reported as duplicates) or ``latest`` (the latest by the
    update-time column ``by``; earlier versions are counted as replaced). Unset: the preset's
    own rule (Amazon Connect: latest ``LastUpdateTimestamp``), else first. ``dedupe: latest``
    is short for ``{keep: latest}``."""

    keep: Literal["first", "latest"] | None = None
    by: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _short_form(cls, value: Any) -> Any:
        return {"keep": value} if isinstance(value, str) else value


class Config(StrictModel):
    _root: Any = PrivateAttr(default=None)  # the YAML node tree, for line numbers
    _path: str | None = PrivateAttr(default=None)
    version: Literal[1] = 1
    timezone: str = "UTC"
    columns: dict[CanonicalName, str] = Field(default_factory=dict)
    """Canonical column -> header; ``Header:unit`` gives a duration's unit (s, ms, min, h, d),
    ``Date+Time`` joins a date and a time column into a timestamp."""
    datetime_format: str | list[str] | None = None
    """strftime format(s) of timestamps, tried before the layouts read without one."""
    sources: dict[str, str] = Field(default_factory=dict)
    """Source preset per input: a glob of file paths -> preset name (or "canonical")."""
    values: dict[CanonicalName, dict[str, str | float | bool | None]] = Field(default_factory=dict)
    """Value maps per canonical column: an export's own words -> canonical values
    (``channel: {"E-Mail": email, Telefon: phone}``); case and spaces ignored."""
    dedupe: DedupeConfig = DedupeConfig()
    plausible: PlausibleConfig = PlausibleConfig()
    """The range of timestamps and durations read as values (default 1970 to 2100, a century)."""
    kpis: KpiParams = KpiParams()
    calendars: dict[str, CalendarConfig] = Field(default_factory=dict)
    vendors: dict[str, VendorConfig] = Field(default_factory=dict)
    teams: dict[str, VendorConfig] = Field(default_factory=dict)
    """Per team (the `team` column): its calendar, which wins over its vendor's."""
    sla: list[SlaPolicy] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    """What is expected of each KPI: judged by `scorecard` and `check`."""
    max_left_out: float | None = None
    """The share of rows that may be left out of every KPI (``50%`` or 0.5) before a run warns,
    and fails under ``--strict``; None: 50 % (``--max-left-out`` wins)."""

    def kpi_parameters(self) -> dict[str, dict[str, Any]]:
        """Keyword parameters of each KPI: the ``kpis`` section, and the vendors' pricing for
        the KPI that prices contacts."""
        params = self.kpis.model_dump()
        params.update(Pricing.kpi_parameters({name: v.pricing for name, v in self.vendors.items() if v.pricing}))
        return params

    @property
    def path(self) -> str | None:
        """The kpi.yaml this came from (None: defaults)."""
        return self._path

    def line_of(self, loc: tuple) -> int | None:
        """1-based line in kpi.yaml of the setting at ``loc`` (None for defaults)."""
        return line_of(self._root, loc) if self._root is not None else None

    @field_validator("max_left_out", mode="before")
    @classmethod
    def _share(cls, value: Any) -> Any:
        if value is None or isinstance(value, bool):
            return value
        try:
            return parse_share(value, "max_left_out")
        except UsageError as exc:
            raise ValueError(str(exc)) from None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        check_timezone(value)
        return value

    @field_validator("datetime_format")
    @classmethod
    def _known_directives(cls, value: str | list[str] | None) -> str | list[str] | None:
        for fmt in [value] if isinstance(value, str) else value or []:
            wrong = strftime.problem(fmt)
            if wrong:
                raise ValueError(f"'{fmt}': {wrong}")
        return value


def check_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}' (use an IANA name such as Europe/Berlin)") from None
