"""The inputs of a run: which files, read how, and the steps between a file and a lazy frame
that every verb of :class:`supportkpi.api.Run` shares (mapping, interval-report detection,
reading failures explained, compare's sides)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from supportkpi import strftime
from supportkpi.errors import UsageError, first_line
from supportkpi.schema import COLUMNS, SOURCE
from supportkpi.suggest import suggest

if TYPE_CHECKING:  # loading imports polars, which `supportkpi --help` does without
    from supportkpi.config import Config
    from supportkpi.loading import Loaded
    from supportkpi.loading.probe import Probe
    from supportkpi.results import InputInfo

SIDE_COLUMN = "side"
"""The column that names each input's side when ``compare`` is given several inputs."""


@dataclass(frozen=True)
class InputSpec:
    """Files (paths, globs, or ``-`` for standard input) and how to read them."""

    files: tuple[str, ...]
    source: str | None = None
    mapping: tuple[str, ...] = ()
    datetime_format: str | tuple[str, ...] | None = None
    """One or several strftime formats (``--datetime-format``, repeatable), tried before the
    layouts read without one."""
    input_format: str | None = None
    encoding: str | None = None
    separator: str | None = None
    decimal_comma: bool | None = None
    looked: dict[str, Probe] = field(default_factory=dict, init=False, repr=False, compare=False)
    """Each file's probe, made once (:mod:`supportkpi.loading.probe`) and shared by the steps."""

    @property
    def delimiter(self) -> str | None:
        """``--separator`` with escapes such as ``\\t`` read."""
        return self.separator.encode().decode("unicode_escape") if self.separator else None

    def formats(self, settings: Config) -> tuple[str, ...]:
        """The timestamp formats of these inputs: ``--datetime-format``, then kpi.yaml's
        ``datetime_format``."""
        given = (self.datetime_format,) if isinstance(self.datetime_format, str) else self.datetime_format or ()
        setting = settings.datetime_format
        configured = (setting,) if isinstance(setting, str) else tuple(setting or ())
        return tuple(dict.fromkeys([*given, *configured]))

    def check(self) -> None:
        """The reading options as usage errors, before anything is read."""
        from supportkpi.loading import readers

        for fmt in (self.datetime_format,) if isinstance(self.datetime_format, str) else self.datetime_format or ():
            wrong = strftime.problem(fmt)
            if wrong:
                raise UsageError(f"--datetime-format '{fmt}': {wrong}")
        if self.input_format is not None and self.input_format not in readers.FORMATS:
            raise UsageError(f"--input-format '{self.input_format}': expected one of {', '.join(readers.FORMATS)}")
        if self.separator is not None:
            try:
                delimiter = self.delimiter or ""
            except UnicodeDecodeError:  # a lone backslash: an escape cut short
                delimiter = ""
            if len(delimiter) != 1 or not delimiter.isascii() or delimiter in '"\r\n':
                raise UsageError(
                    f"--separator {self.separator!r}: expected one ASCII character other than a quote or a line "
                    "break, e.g. ';' or '\\t'"
                )

    def probes(self) -> dict[str, Probe]:
        """Each file (globs expanded) looked at once; standard input is left for the reader,
        which takes it whole."""
        from supportkpi.loading import expand, readers
        from supportkpi.loading.probe import probe

        for path in expand(self.files):
            if path not in self.looked and path != readers.STDIN:
                self.looked[path] = probe(path, self.input_format, self.encoding, self.delimiter)
        return self.looked

    def interval_kinds(self) -> set[bool]:
        """For each file, whether it is an interval report (read from its header)."""
        from supportkpi.intervals import is_interval_table
        from supportkpi.loading import expand, headers

        self.check()  # the header is read with these options: a bad one is a usage error, not a crash
        looked = self.probes()
        return {is_interval_table(headers(looked[path]) if path in looked else []) for path in expand(self.files)}

    def load(self, settings: Config, timezone: str, *, group_by: Sequence[str] = (), intervals: bool = False) -> Loaded:
        """The files as one lazy frame in canonical columns (:class:`supportkpi.loading.Loaded`);
        ``intervals``: they are interval reports (:mod:`supportkpi.intervals`)."""
        from supportkpi.intervals import load_intervals
        from supportkpi.loading import load

        vendors = {v: c.match for v, c in settings.vendors.items() if c.match}
        if intervals:
            return load_intervals(
                list(self.files),
                mapping=column_mapping(settings, self.mapping, intervals=True),
                timezone=timezone,
                datetime_format=self.formats(settings),
                input_format=self.input_format,
                encoding=self.encoding,
                separator=self.delimiter,
                decimal_comma=self.decimal_comma,
                vendors_by_path=vendors,
            )
        return load(
            list(self.files),
            mapping=column_mapping(settings, self.mapping),
            timezone=timezone,
            datetime_format=self.formats(settings),
            input_format=self.input_format,
            source=self.source,
            sources_by_path=settings.sources,
            encoding=self.encoding,
            separator=self.delimiter,
            decimal_comma=self.decimal_comma,
            group_by=group_by,
            values=settings.values,
            vendors_by_path=vendors,
            dedupe=(settings.dedupe.keep, settings.dedupe.by),
            probes=self.probes(),
            plausible=settings.plausible.bounds(),
        )


def column_mapping(config: Config, pairs: Sequence[str], intervals: bool = False) -> dict[str, str]:
    """kpi.yaml ``columns`` overridden by ``--map canonical=Header`` pairs (the interval
    report's columns when ``intervals``). ``canonical=!Header`` reads a yes/no column as the
    opposite of its header (``abandoned=!Answered``), kept in the header for the loader. A header
    may end in ``:unit`` (s, ms, min, h, d) for a duration column, and a timestamp may join two
    columns (``created_at=Date+Time``): the loader reads both once it knows the file's headers
    (:mod:`supportkpi.loading.mapped`)."""
    from supportkpi.intervals import INTERVAL_SCHEMA

    columns = INTERVAL_SCHEMA if intervals else COLUMNS
    mapping = dict(config.columns)
    for pair in pairs:
        canonical, sep, header = pair.partition("=")
        canonical, header = canonical.strip(), header.strip()
        if not sep or not canonical or not header:
            raise UsageError(f"--map '{pair}': expected canonical=Header, e.g. created_at='Created time'")
        if canonical not in columns:
            raise UsageError(f"--map '{pair}': '{canonical}' is not a canonical column ({suggest(canonical, columns)})")
        if header.startswith("!") and not intervals and COLUMNS[canonical].kind != "bool":
            raise UsageError(f"--map '{pair}': only a yes/no column can be read inverted with '!'")
        mapping[canonical] = header
    return mapping


def stacked(parts: Sequence[tuple[str | None, Loaded]], side: str | None = None) -> Loaded:
    """Loaded parts as one (:class:`supportkpi.loading.Loaded`), row sources renumbered so that
    every file keeps its own number; with ``side``, each part's name in that column."""
    import polars as pl

    from supportkpi.loading import Loaded, stack

    if len(parts) == 1 and side is None:
        return parts[0][1]
    frames: list[pl.LazyFrame] = []
    inputs: list[InputInfo] = []
    for name, loaded in parts:
        frame = loaded.frame.with_columns((pl.col(SOURCE) + len(inputs)).cast(pl.Int32).alias(SOURCE))
        if side is not None:
            frame = frame.with_columns(pl.lit(name, pl.String).alias(side))
        frames.append(frame)
        inputs += loaded.inputs
    return Loaded(stack(frames), inputs)


def side_name(argument: str) -> tuple[str, str]:
    """``name=path`` -> (name, path); a path or glob is named after its file:
    ``exports/acme.csv.gz`` -> ``acme``, ``exports/acme-*.csv`` -> ``acme-*``.

    >>> side_name("Acme=exports/a.csv"), side_name("exports/acme.csv.gz"), side_name("x/acme-*.json")
    (('Acme', 'exports/a.csv'), ('acme', 'exports/acme.csv.gz'), ('acme-*', 'x/acme-*.json'))
    """
    name, sep, path = argument.partition("=")
    if sep and name and path and not Path(argument).exists():
        return name.strip(), path.strip()
    stem = Path(argument).name
    for suffix in (".gz", ".csv", ".tsv", ".jsonl", ".ndjson", ".json", ".parquet", ".txt"):
        if stem.lower().endswith(suffix):
            stem = stem[: -len(suffix)]
    return stem or argument, argument


def check_sides(frame, side: str, sides: Sequence[str]) -> None:
    """``--only``: every side named is a value of ``side`` in the data."""
    import polars as pl

    present = frame.select(pl.col(side).unique().drop_nulls()).collect()[side].to_list()
    for name in sides:
        if name not in present:
            raise UsageError(f"--only: no {side} '{name}' in the data ({suggest(name, sorted(map(str, present)))})")


def parse_as_of(text: str | None, timezone: str):
    """--as-of as an instant: ISO 8601, naive values in the report's time zone."""
    if text is None:
        return None
    import polars as pl

    from supportkpi.loading import parse

    try:
        value = pl.select(parse.timestamp(pl.lit(text), pl.String(), timezone, None).alias("t")).item()
    except (ValueError, OverflowError):  # parsed, but outside Python's years 1 to 9999 (year 0000)
        value = None
    if value is None:
        raise UsageError(f"--as-of '{text}': expected an ISO 8601 time such as 2025-06-30T23:59:59Z")
    return value


def load_benchmark_option(name: str | None):
    """--benchmark: a built-in table or a YAML file; a usage error when neither."""
    if name is None:
        return None
    from supportkpi.benchmark import load_benchmark

    try:
        return load_benchmark(name)
    except (FileNotFoundError, ValueError) as exc:
        raise UsageError(f"--benchmark: {exc}") from None


def read_failure(inputs: Sequence[InputInfo], exc: Exception) -> str:
    """Why polars could not read the inputs, in the words of the first text file at fault."""
    from supportkpi.loading import readers

    for item in inputs:
        if item.format in ("csv", "tsv", "jsonl"):
            found = readers.diagnose_text(item.path, item.format)
            if found:
                return found
    return f"cannot read the input: {first_line(exc)}"
