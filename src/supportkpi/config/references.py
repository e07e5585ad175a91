"""Names in kpi.yaml that must point at something declared elsewhere in it: the calendars of
vendors, teams and SLA policies, unique policy names, and the targets (their KPIs, policies,
vendors and levels, as :func:`supportkpi.targets.build_checks` resolves them)."""

from __future__ import annotations

from supportkpi.config.schema import Config
from supportkpi.suggest import suggest
from supportkpi.targets import TargetError, build_checks


def cross_reference_errors(config: Config) -> list[tuple[tuple, str]]:
    """Names that point nowhere, as (location in kpi.yaml, message)."""
    errors: list[tuple[tuple, str]] = []
    owners = [("vendors", k, v) for k, v in config.vendors.items()]
    owners += [("teams", k, v) for k, v in config.teams.items()]
    for section, vendor, settings in owners:
        if settings.calendar is not None and settings.calendar not in config.calendars:
            errors.append(
                (
                    (section, vendor, "calendar"),
                    f"no calendar '{settings.calendar}' "
                    f"({suggest(settings.calendar, config.calendars, 'calendars declared')})",
                )
            )
    names = [p.name for p in config.sla]
    for index, policy in enumerate(config.sla):
        if names.count(policy.name) > 1 and names.index(policy.name) != index:
            errors.append((("sla", index, "name"), f"two policies are named '{policy.name}'"))
        if policy.calendar is not None and policy.calendar not in config.calendars:
            errors.append(
                (
                    ("sla", index, "calendar"),
                    f"policy '{policy.name}': no calendar '{policy.calendar}' "
                    f"({suggest(policy.calendar, config.calendars, 'calendars declared')})",
                )
            )
    if config.targets and not errors:
        try:
            build_checks(config)
        except TargetError as exc:
            errors.append((exc.loc, exc.message))
    return errors
