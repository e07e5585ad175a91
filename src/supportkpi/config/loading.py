"""Reading kpi.yaml: finding the file, parsing the YAML, and turning every mistake into a
:class:`~supportkpi.errors.ConfigError` with the file and line, so that a CI annotation can
point at it."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from supportkpi.config.references import cross_reference_errors
from supportkpi.config.schema import Config
from supportkpi.config.yaml_nodes import (
    MAX_DEPTH,
    MAX_VALUES,
    compose,
    construct,
    duplicate_key,
    expanded_size,
    line_of,
    lone_surrogate,
    non_finite,
    parse,
)
from supportkpi.errors import ConfigError
from supportkpi.schedules import build
from supportkpi.schema import COLUMNS
from supportkpi.suggest import suggest

FILE_NAME = "kpi.yaml"
ENV_VAR = "SUPPORTKPI_CONFIG"


def find_config(start: str | Path | None = None) -> Path | None:
    """The kpi.yaml a run uses when none is named: the file that ``$SUPPORTKPI_CONFIG`` names,
    else ``kpi.yaml`` in ``start`` (default: the current directory) or the nearest of its
    parents, else None. A ``$SUPPORTKPI_CONFIG`` that names no file is returned as it is, so
    that loading it reports the missing file rather than silently using another one."""
    named = os.environ.get(ENV_VAR)
    if named:
        return Path(named)
    start = Path(".") if start is None else Path(start)
    if (start / FILE_NAME).is_file():
        return start / FILE_NAME  # as given: "kpi.yaml" in messages, not an absolute path
    for directory in start.resolve().parents:
        if (directory / FILE_NAME).is_file():
            return directory / FILE_NAME
    return None


def load_config(path: str | Path | None) -> tuple[Config, str | None]:
    """Load kpi.yaml, the first of:

    1. ``path``, when given (``--config``): an explicit path always wins;
    2. the file named by the environment variable ``SUPPORTKPI_CONFIG``;
    3. ``kpi.yaml`` in the current directory, else in the nearest parent directory that has one;
    4. none: the defaults.

    Returns the config and the path it came from (None for defaults).
    """
    if path is None:
        path = find_config()
        if path is None:
            return Config(), None
    path = Path(path)
    if not path.is_file():
        raise ConfigError("file not found (pass --config PATH or create one with defaults)", str(path))
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise ConfigError(f"not UTF-8 text (byte {exc.start}); save kpi.yaml as UTF-8", str(path), line) from None
    return parse_config(text, str(path)), str(path)


def parse_config(text: str, path: str = FILE_NAME) -> Config:
    """kpi.yaml's text as a :class:`Config`; a :class:`ConfigError` names ``path`` and the line
    of the first mistake."""
    try:
        events, deep = parse(text)
        if deep:
            raise ConfigError(f"nested more than {MAX_DEPTH} levels deep (kpi.yaml needs a few)", path, deep)
        root = compose(events)
        if expanded_size(root) > MAX_VALUES:
            raise ConfigError(
                f"more than {MAX_VALUES:,} values once its aliases (*name) are expanded, or an alias inside "
                "its own anchor: refused",
                path,
            )
        data = construct(root)
        if data is None and root is not None:  # merge keys (they change the tree) or a null document
            data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(f"not valid YAML: {problem}", path, line) from None
    except ValueError as exc:  # YAML that looks like a date but is none (2024-02-30)
        raise ConfigError(f"not a valid value: {exc}", path) from None
    surrogate = lone_surrogate(root)
    if surrogate:
        raise ConfigError(
            "a \\uD800-\\uDFFF escape is half of a UTF-16 pair, no character: write the character "
            "itself (or \\U and eight hex digits)",
            path,
            surrogate,
        )
    duplicate = duplicate_key(root)
    if duplicate:
        raise ConfigError(f"'{duplicate[0]}' is written twice here (YAML would keep only the last)", path, duplicate[1])
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError("expected a mapping of sections (version, timezone, columns, kpis)", path, 1)
    infinite = non_finite(data)
    if infinite:
        loc, value = infinite
        where = ".".join(str(p) for p in loc)
        raise ConfigError(f"{where}: {value} is not a finite number", path, line_of(root, loc))
    try:
        config = Config.model_validate(data)
    except ValidationError as exc:
        where, message, loc = _explain(exc)
        raise ConfigError(f"{where}: {message}", path, line_of(root, loc)) from None
    config._root = root
    config._path = path
    for loc, message in cross_reference_errors(config):
        where = ".".join(str(p) for p in loc)
        raise ConfigError(f"{where}: {message}", path, line_of(root, loc))
    for name, calendar in config.calendars.items():
        try:
            build(name, calendar)  # here, so that calendar errors carry file and line
        except ValueError as exc:
            raise ConfigError(str(exc), path, line_of(root, ("calendars", name))) from None
    return config


_UNION_TAGS = ("int", "float", "str", "constrained-str")


def _explain(exc: ValidationError) -> tuple[str, str, tuple]:
    """The first error in words: where (``kpis.csat.scale``), the message, and its location."""
    first = exc.errors()[0]
    loc = tuple(first["loc"])
    if loc and loc[-1] in _UNION_TAGS:
        # a level is a number or a string with a unit: one message, not one per member
        loc = tuple(p for p in loc if p not in _UNION_TAGS)
        first = {
            **first,
            "type": "level",
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
    return where, message, loc


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
