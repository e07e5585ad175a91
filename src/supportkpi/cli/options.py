"""Options and steps shared by the commands: kpi.yaml, --map, output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from supportkpi.config import Config, check_timezone, load_config
from supportkpi.errors import DataError, UsageError


def config_and_timezone(config_path: Path | None, tz: str | None) -> tuple[Config, str]:
    config, _ = load_config(config_path)
    timezone = tz or config.timezone
    if tz is not None:
        try:
            check_timezone(tz)
        except ValueError as exc:
            raise UsageError(f"--tz: {exc}") from None
    return config, timezone


def column_mapping(config: Config, pairs: list[str]) -> dict[str, str]:
    """kpi.yaml ``columns`` overridden by ``--map canonical=Header`` pairs."""
    from supportkpi.config import suggest
    from supportkpi.schema import COLUMNS

    mapping = dict(config.columns)
    for pair in pairs:
        canonical, sep, header = pair.partition("=")
        canonical, header = canonical.strip(), header.strip()
        if not sep or not canonical or not header:
            raise UsageError(f"--map '{pair}': expected canonical=Header, e.g. created_at='Created time'")
        if canonical not in COLUMNS:
            raise UsageError(f"--map '{pair}': '{canonical}' is not a canonical column ({suggest(canonical, COLUMNS)})")
        mapping[canonical] = header
    return mapping


def split_list(values: list[str] | None) -> list[str]:
    """``--by a,b --by c`` -> [a, b, c]."""
    out: list[str] = []
    for value in values or []:
        out += [v.strip() for v in value.split(",") if v.strip()]
    return out


def write_output(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise DataError(f"{output}: cannot write the report ({exc.strerror or exc})") from None


def use_color(no_color: bool) -> bool | None:
    """False when colour is switched off; None lets Rich decide (terminal, NO_COLOR)."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    return None
