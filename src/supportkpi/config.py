"""kpi.yaml: the parameters of a run, validated with pydantic.

Unknown keys and bad values are errors reported with their line in the file, so that a CI
annotation can point at it. Everything has a default taken from ``docs/kpi-catalog.md``; a run
without any kpi.yaml uses those defaults.
"""

from __future__ import annotations

import re
import zoneinfo
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    Strict,
    StringConstraints,
    ValidationError,
    field_validator,
    model_validator,
)

from supportkpi.errors import ConfigError
from supportkpi.schema import COLUMNS

Statistic = Literal["median", "mean", "p90"]
CanonicalName = Literal[tuple(COLUMNS)]  # type: ignore[valid-type]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DurationParams(_Strict):
    """Parameters of a ticket duration KPI: which statistic is the headline value, and whether
    time counts on the calendar or in the business hours of the contact's calendar."""

    statistic: Statistic = "median"
    clock: Literal["calendar", "business"] = "calendar"


class CallDurationParams(_Strict):
    """Contact-center durations are means by the catalog's formula (AHT, ASA, ...)."""

    statistic: Statistic = "mean"


class CsatParams(_Strict):
    scale: tuple[float, float] = (1, 5)
    satisfied_min: float = 4
    dissatisfied_max: float = 2
    variant: Literal["top_box", "exclude_neutral"] = "top_box"

    @model_validator(mode="after")
    def _check(self) -> CsatParams:
        low, high = self.scale
        if low >= high:
            raise ValueError(f"scale must be [low, high] with low < high, got {list(self.scale)}")
        if not low <= self.dissatisfied_max < self.satisfied_min <= high:
            raise ValueError(
                "need scale low <= dissatisfied_max < satisfied_min <= scale high, got "
                f"scale {list(self.scale)}, dissatisfied_max {self.dissatisfied_max}, "
                f"satisfied_min {self.satisfied_min}"
            )
        return self


class CesParams(_Strict):
    scale: tuple[float, float] = (1, 7)
    higher_is_easier: bool = True

    @model_validator(mode="after")
    def _check(self) -> CesParams:
        if self.scale[0] >= self.scale[1]:
            raise ValueError(f"scale must be [low, high] with low < high, got {list(self.scale)}")
        return self


class FcrParams(_Strict):
    definition: Literal["one_touch", "exactly_one_reply", "no_reopen", "single_contact"] = (
        "one_touch"
    )


class ServiceLevelParams(_Strict):
    threshold_seconds: float = Field(20, gt=0)
    short_abandon_seconds: float = Field(5, ge=0)
    variant: Literal["abandons_missed", "abandons_ignored", "abandons_within_t_met"] = (
        "abandons_missed"
    )


class AbandonmentParams(_Strict):
    short_abandon_seconds: float = Field(5, ge=0)


class ClvParams(_Strict):
    """Customer lifetime value (``supportkpi clv``): the expected customer lifespan and the
    margin (1 = revenue CLV)."""

    lifespan_years: float = Field(3.0, gt=0, le=100, allow_inf_nan=False)
    margin: float = Field(1.0, gt=0, le=1, allow_inf_nan=False)


class KpiParams(_Strict):
    """Parameters of each KPI, keyed by KPI id.

    The catalog has one short-abandon threshold: service level and abandonment rate share it.
    Setting it under one KPI sets it for both; setting different values is an error."""

    first_response_time: DurationParams = DurationParams()
    resolution_time: DurationParams = DurationParams()
    aht: CallDurationParams = CallDurationParams()
    talk_time: CallDurationParams = CallDurationParams()
    hold_time: CallDurationParams = CallDurationParams()
    acw_time: CallDurationParams = CallDurationParams()
    asa: CallDurationParams = CallDurationParams()
    csat: CsatParams = CsatParams()
    ces: CesParams = CesParams()
    fcr_rate: FcrParams = FcrParams()
    service_level: ServiceLevelParams = ServiceLevelParams()
    abandonment_rate: AbandonmentParams = AbandonmentParams()
    clv: ClvParams = ClvParams()

    @model_validator(mode="after")
    def _one_short_abandon_threshold(self) -> KpiParams:
        sl, ab = self.service_level, self.abandonment_rate
        sl_set = "short_abandon_seconds" in sl.model_fields_set
        ab_set = "short_abandon_seconds" in ab.model_fields_set
        if sl_set and ab_set and sl.short_abandon_seconds != ab.short_abandon_seconds:
            raise ValueError(
                "service_level.short_abandon_seconds and abandonment_rate.short_abandon_seconds "
                "differ; the catalog has one short-abandon threshold (set it once)"
            )
        if sl_set and not ab_set:
            object.__setattr__(self, "abandonment_rate", AbandonmentParams(short_abandon_seconds=sl.short_abandon_seconds))
        if ab_set and not sl_set:
            object.__setattr__(
                self, "service_level", sl.model_copy(update={"short_abandon_seconds": ab.short_abandon_seconds})
            )
        return self


Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend", "daily"]
_HOURS = r"^\d{1,2}:\d{2}-\d{1,2}:\d{2}$"


class HolidaysConfig(_Strict):
    country: str
    subdiv: str | None = None


class DayConfig(_Strict):
    """An explicit date: closed (no ``hours``) or open with its own hours (a half day)."""

    date: date
    hours: list[Annotated[str, StringConstraints(pattern=_HOURS)]] = Field(default_factory=list)


class CalendarConfig(_Strict):
    """When the clock runs: a weekly timetable in a time zone, plus holidays."""

    timezone: str = "UTC"
    always_open: bool = False
    hours: dict[Weekday, list[Annotated[str, StringConstraints(pattern=_HOURS)]]] = Field(
        default_factory=dict
    )
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


class Pricing(_Strict):
    """A vendor's price list; the parts add up, then the monthly minimum applies.

    ``per_contact`` is one price, or prices per channel (``{chat: 2.1, email: 3.4, other: 3}``);
    ``per_handled_hour`` is charged on talk + hold + after-contact work; ``per_fte_month`` on
    ``ftes`` agents; ``monthly_fee`` is fixed. Amounts are in the vendor's ``currency``."""

    currency: str | None = None
    per_contact: Annotated[float, Field(ge=0, allow_inf_nan=False)] | dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False)]] | None = None
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
            raise ValueError("give at least one of per_contact, per_handled_hour, per_fte_month (with ftes), monthly_fee")
        if isinstance(self.per_contact, dict):
            from supportkpi.schema import VOCABULARIES

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


class VendorConfig(_Strict):
    calendar: str | None = None
    """The calendar of this vendor's contract (default: the calendar named `default`)."""
    match: list[str] = Field(default_factory=list)
    """File patterns of this vendor's exports: their contacts get this `vendor` (exports
    rarely say which outsourcing partner handled them)."""
    pricing: Pricing | None = None
    """The vendor's price list, for cost_per_contact."""


class SlaTarget(_Strict):
    """A target; the first target whose conditions all match a contact applies to it."""

    priority: str | None = None
    channel: str | None = None
    vendor: str | None = None
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
        return self.hours * 3600 if self.hours is not None else self.minutes * 60


class SlaPolicy(_Strict):
    name: Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_\-]+$")]
    metric: Literal["first_response_time", "resolution_time"]
    clock: Literal["business", "calendar"] = "business"
    calendar: str | None = None
    """Business hours of this calendar; default: each vendor's calendar, else `default`."""
    targets: list[SlaTarget] = Field(min_length=1)


_LEVEL = r"^\s*([-+]?\d+(?:\.\d+)?)\s*(s|sec|secs|seconds|m|min|mins|minutes|h|hr|hrs|hours|d|days|%)?\s*$"
Level = (
    Annotated[int, Strict()]
    | Annotated[float, Strict(), Field(allow_inf_nan=False)]
    | Annotated[str, StringConstraints(pattern=_LEVEL)]
)
"""A target level: a number in the KPI's unit (hours for ticket durations, seconds for call
durations, % for rates), or a duration with its unit ("90s", "15 min", "4h", "1d")."""

_TO_SECONDS = {"s": 1, "sec": 1, "secs": 1, "seconds": 1, "m": 60, "min": 60, "mins": 60,
               "minutes": 60, "h": 3600, "hr": 3600, "hrs": 3600, "hours": 3600, "d": 86400,
               "days": 86400}


def level_in_unit(level: float | str | None, unit: str) -> float | None:
    """A level in the KPI's unit: ``level_in_unit("15 min", "hours") == 0.25``.

    >>> level_in_unit("90s", "seconds"), level_in_unit("4h", "hours"), level_in_unit(95, "%")
    (90.0, 4.0, 95.0)
    """
    if level is None or isinstance(level, (int, float)):
        return None if level is None else float(level)
    match = re.match(_LEVEL, level)
    number, suffix = float(match.group(1)), match.group(2)
    if not suffix:
        return number
    if suffix == "%":
        if unit != "%":
            raise ValueError(f"'{level}': a percentage, but this KPI is measured in {unit}")
        return number
    if unit not in ("hours", "seconds"):
        raise ValueError(f"'{level}': a duration, but this KPI is measured in {unit}")
    return number * _TO_SECONDS[suffix] / (3600 if unit == "hours" else 1)


class TargetOverride(_Strict):
    """Levels for the contacts of some vendors, channels or priorities. Each contact belongs to
    the most specific override that matches it: the one naming more of vendor/channel/priority,
    and between two naming as many, channel outranks priority, which outranks vendor (a chat's
    2-minute target stays a chat target under a vendor's general contract). A level it leaves
    out is the target's. Weights are not overridden, so that vendors' scores stay comparable."""

    vendor: str | None = None
    channel: str | None = None
    priority: str | None = None
    warn: Level | None = None
    fail: Level | None = None
    min_sample: int | None = Field(None, ge=0)

    @model_validator(mode="after")
    def _check(self) -> TargetOverride:
        if self.vendor is None and self.channel is None and self.priority is None:
            raise ValueError("an override names a `vendor`, `channel` or `priority`")
        if self.warn is None and self.fail is None and self.min_sample is None:
            raise ValueError("an override gives `warn`, `fail` or `min_sample`")
        _check_vocabulary(self)
        return self

    @property
    def conditions(self) -> dict[str, str]:
        return {k: v for k in ("vendor", "channel", "priority") if (v := getattr(self, k)) is not None}

    @property
    def specificity(self) -> tuple[int, int]:
        named = (self.channel is not None, self.priority is not None, self.vendor is not None)
        return sum(named), 4 * named[0] + 2 * named[1] + named[2]


class Target(_Strict):
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
    from supportkpi.schema import VOCABULARIES

    for name in ("priority", "channel"):
        value = getattr(model, name)
        if value is not None and value not in VOCABULARIES[name]:
            # a typo would match no contact and silently fall through
            raise ValueError(f"{name} '{value}' is not a canonical {name} ({suggest(value, VOCABULARIES[name])})")


class Config(_Strict):
    _root: Any = PrivateAttr(default=None)  # the YAML node tree, for line numbers
    _path: str | None = PrivateAttr(default=None)
    version: Literal[1] = 1
    timezone: str = "UTC"
    columns: dict[CanonicalName, str] = Field(default_factory=dict)
    sources: dict[str, str] = Field(default_factory=dict)
    """Source preset per input: a glob of file paths -> preset name (or "canonical")."""
    values: dict[CanonicalName, dict[str, str | float | bool | None]] = Field(default_factory=dict)
    """Value maps per canonical column: an export's own words -> canonical values
    (``channel: {"E-Mail": email, Telefon: phone}``); case and spaces ignored."""
    kpis: KpiParams = KpiParams()
    calendars: dict[str, CalendarConfig] = Field(default_factory=dict)
    vendors: dict[str, VendorConfig] = Field(default_factory=dict)
    teams: dict[str, VendorConfig] = Field(default_factory=dict)
    """Per team (the `team` column): its calendar, which wins over its vendor's."""
    sla: list[SlaPolicy] = Field(default_factory=list)
    targets: list[Target] = Field(default_factory=list)
    """What is expected of each KPI: judged by `scorecard` and `check`."""

    def cross_reference_errors(self) -> list[tuple[tuple, str]]:
        """Names that point nowhere, as (location in kpi.yaml, message)."""
        errors = []
        owners = [("vendors", k, v) for k, v in self.vendors.items()]
        owners += [("teams", k, v) for k, v in self.teams.items()]
        for section, vendor, settings in owners:
            if settings.calendar is not None and settings.calendar not in self.calendars:
                errors.append((
                    (section, vendor, "calendar"),
                    f"no calendar '{settings.calendar}' "
                    f"({suggest(settings.calendar, self.calendars, 'calendars declared')})",
                ))
        names = [p.name for p in self.sla]
        for index, policy in enumerate(self.sla):
            if names.count(policy.name) > 1 and names.index(policy.name) != index:
                errors.append((("sla", index, "name"), f"two policies are named '{policy.name}'"))
            if policy.calendar is not None and policy.calendar not in self.calendars:
                errors.append((
                    ("sla", index, "calendar"),
                    f"policy '{policy.name}': no calendar '{policy.calendar}' "
                    f"({suggest(policy.calendar, self.calendars, 'calendars declared')})",
                ))
        if self.targets and not errors:
            from supportkpi.targets import TargetError, build_checks

            try:
                build_checks(self)
            except TargetError as exc:
                errors.append((exc.loc, exc.message))
        return errors

    def kpi_parameters(self) -> dict[str, dict[str, Any]]:
        """Keyword parameters of each KPI: the ``kpis`` section, and the vendors' pricing for
        cost_per_contact."""
        params = self.kpis.model_dump()
        params["cost_per_contact"] = {
            "pricing": {name: v.pricing.model_dump() for name, v in self.vendors.items() if v.pricing}
        }
        return params

    @property
    def path(self) -> str | None:
        """The kpi.yaml this came from (None: defaults)."""
        return self._path

    def line_of(self, loc: tuple) -> int | None:
        """1-based line in kpi.yaml of the setting at ``loc`` (None for defaults)."""
        return _line_of(self._root, loc) if self._root is not None else None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        check_timezone(value)
        return value


def check_timezone(name: str) -> None:
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown time zone '{name}' (use an IANA name such as Europe/Berlin)")


def suggest(name: str, choices: Any, listing: str = "expected one of") -> str:
    """'did you mean ...' for a misspelt name, else ``listing: `` and the names."""
    import difflib

    choices = list(choices)
    if not choices:
        return f"{listing}: none"
    close = difflib.get_close_matches(name, choices, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return f"{listing}: " + ", ".join(choices)


def load_config(path: str | Path | None) -> tuple[Config, str | None]:
    """Load kpi.yaml: ``path`` if given, else ./kpi.yaml if present, else defaults.

    Returns the config and the path it came from (None for defaults).
    """
    if path is None:
        if not Path("kpi.yaml").is_file():
            return Config(), None
        path = "kpi.yaml"
    path = Path(path)
    if not path.is_file():
        raise ConfigError("file not found (pass --config PATH or create one with defaults)", str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 text (byte {exc.start}); save kpi.yaml as UTF-8", str(path), line) from None
    return parse_config(text, str(path)), str(path)


def parse_config(text: str, path: str = "kpi.yaml") -> Config:
    try:
        data = yaml.safe_load(text)
        root = yaml.compose(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"not valid YAML: {problem}", path, line) from None
    except ValueError as exc:  # YAML that looks like a date but is none (2024-02-30)
        raise ConfigError(f"not a valid value: {exc}", path) from None
    duplicate = _duplicate_key(root)
    if duplicate:
        raise ConfigError(f"'{duplicate[0]}' is written twice here (YAML would keep only the last)", path, duplicate[1])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of sections (version, timezone, columns, kpis)", path, 1)
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = tuple(first["loc"])
        if loc and loc[-1] in _UNION_TAGS:
            # a level is a number or a string with a unit: one message, not one per member
            loc = tuple(p for p in loc if p not in _UNION_TAGS)
            first = {
                **first, "type": "level",
                "msg": "expected a finite number in the KPI's unit, or a level with a unit such as "
                f"4h, 15 min, 90s, 95% (got {first.get('input')!r})",
            }
        where = ".".join(str(p) for p in loc) or "(top level)"
        message = first["msg"]
        if first["type"] == "extra_forbidden":
            parent = _model_at(loc[:-1])
            valid = ", ".join(parent.model_fields) if parent else ""
            message = f"unknown key '{loc[-1]}'" + (f" (valid keys: {valid})" if valid else "")
        elif loc[:1] == ("columns",) and loc[-1] == "[key]":
            name = str(first.get("input"))
            message = f"'{name}' is not a canonical column ({suggest(name, COLUMNS)})"
            where = "columns"
            loc = ("columns", name)
        elif first["type"] == "literal_error":
            message = f"{message}, got {first.get('input')!r}"
        raise ConfigError(f"{where}: {message}", path, _line_of(root, loc)) from None
    config._root = root
    config._path = path
    for loc, message in config.cross_reference_errors():
        where = ".".join(str(p) for p in loc)
        raise ConfigError(f"{where}: {message}", path, _line_of(root, loc))
    from supportkpi.schedules import build  # here, so that kpi.yaml errors carry file and line

    for name, calendar in config.calendars.items():
        try:
            build(name, calendar)
        except ValueError as exc:
            raise ConfigError(str(exc), path, _line_of(root, ("calendars", name))) from None
    return config


_UNION_TAGS = ("int", "float", "str", "constrained-str")


def _duplicate_key(node: Any) -> tuple[str, int] | None:
    """The first key written twice in one mapping (YAML keeps the last silently), and its line."""
    if isinstance(node, yaml.MappingNode):
        seen = set()
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    return key.value, key.start_mark.line + 1
                seen.add(key.value)
            found = _duplicate_key(value)
            if found:
                return found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _duplicate_key(item)
            if found:
                return found
    return None


def _model_at(loc: tuple) -> type[BaseModel] | None:
    model: type[BaseModel] = Config
    for part in loc:
        field = model.model_fields.get(str(part))
        if field is None or not isinstance(field.annotation, type):
            return None
        if not issubclass(field.annotation, BaseModel):
            return None
        model = field.annotation
    return model


def _line_of(node: Any, loc: tuple) -> int | None:
    """1-based line of the YAML node at ``loc`` (the deepest one that exists)."""
    line = node.start_mark.line + 1 if node is not None else None
    for part in loc:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if key.value == str(part):
                    line = key.start_mark.line + 1
                    node = value
                    break
            else:
                return line
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            return line
    return line
