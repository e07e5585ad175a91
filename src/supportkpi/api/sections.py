"""A run's inputs by canonical table: contact exports and mentions exports (social posts,
comments, reviews) may be given to one run; each table's KPIs are computed over its own inputs
and reported in a section of their own.

Which table a file is comes from its headers, before its data is read: mentions when its
canonical columns (``--map``, kpi.yaml ``columns``, or headers spelled as canonical names)
include ``mention_id`` and ``posted_at``, or its source preset (given or detected) reads
mentions; every other file is contacts. Standard input is not peeked at: it is contacts unless
``--source`` names a mentions preset.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from supportkpi.api import inputs as reading
from supportkpi.api.inputs import InputSpec
from supportkpi.errors import UsageError
from supportkpi.schema import CONTACTS, TABLES, Table, column_spelling, table_of
from supportkpi.suggest import suggest

if TYPE_CHECKING:
    from supportkpi.api.run import Run
    from supportkpi.config import Config


def file_table(spec: InputSpec, path: str, settings: Config) -> str:
    """The canonical table of one file of ``spec`` (``contacts`` or ``mentions``)."""
    from supportkpi import sources as presets
    from supportkpi.loading import headers, matches, readers

    source = spec.source or next((n for p, n in settings.sources.items() if matches(path, p)), None)
    if source is not None:
        preset = presets.get(source)
        return preset.canonical_table if preset is not None else _canonical_table(spec, settings, [])
    if path == readers.STDIN:
        return _canonical_table(spec, settings, [])
    names = headers(spec.probes()[path])
    detected = presets.detect(names, path).source
    if detected is not None:
        return detected.canonical_table
    return _canonical_table(spec, settings, names)


def _canonical_table(spec: InputSpec, settings: Config, names: Sequence[str]) -> str:
    mapped = reading.column_mapping(settings, spec.mapping)
    spelled = {column_spelling(n) for n in names} | {c for c, h in mapped.items() if h in names or not names}
    return table_of(spelled).name


def by_table(specs: Sequence[InputSpec], settings: Config) -> dict[str, list[InputSpec]]:
    """The inputs split by canonical table, in the order of ``schema.TABLES``; a spec whose
    files are all of one table is kept whole (globs and all)."""
    from supportkpi.loading import expand

    split: dict[str, list[InputSpec]] = {}
    for spec in specs:
        spec.check()
        files = expand(spec.files)
        kinds = [file_table(spec, path, settings) for path in files]
        if len(set(kinds)) == 1:
            split.setdefault(kinds[0], []).append(spec)
            continue
        for table in TABLES:
            chosen = tuple(f for f, k in zip(files, kinds, strict=True) if k == table)
            if chosen:
                part = replace(spec, files=chosen)
                part.looked.update(spec.looked)
                split.setdefault(table, []).append(part)
    return {t: split[t] for t in TABLES if t in split}


def keys_of(by: Sequence[str], columns: dict[str, frozenset[str]]) -> dict[str, list[str]]:
    """The group keys of each table's section: with one table, every key (the engine reports a
    key it lacks); with both, each section groups by the keys its inputs have (``--by
    vendor,network``: contacts by vendor, mentions by vendor and network), and a key neither
    has is a usage error."""
    if len(columns) == 1:
        return {t: list(by) for t in columns}
    for key in by:
        if not any(key in names for names in columns.values()):
            everything = sorted({c for names in columns.values() for c in names if not c.startswith("_")})
            raise UsageError(f"cannot group by '{key}': no such column ({suggest(key, everything)})")
    return {t: [k for k in by if k in names] for t, names in columns.items()}


def compute(run: Run, kpi_ids: list[str], explicit: bool, by: Sequence[str], **options: Any):
    """Each table's KPIs over its inputs: the first section's :class:`ComputeResult` (contacts
    when there are some) with the mentions section in its ``mentions``. ``explicit``: the KPIs
    were named (``--kpi``); a table none of them reads is not computed then."""
    split = by_table(run.specs, run.settings)
    wanted = {t: [k for k in kpi_ids if table_of_kpi(k) == t] for t in split}
    tables = [t for t in split if wanted[t] or not explicit]
    if not tables:
        raise UsageError(f"none of the KPIs asked for reads the inputs given ({', '.join(split)})")
    loaded = {t: run.load_specs(split[t], by if len(split) == 1 else ()) for t in tables}
    columns = {t: frozenset(part.frame.collect_schema().names()) for t, part in loaded.items()}
    keys = keys_of(by, columns)
    results = [compute_loaded(run, loaded[t], wanted[t], TABLES[t], keys[t], **options) for t in tables]
    first = results[0]
    if len(results) > 1:
        first.mentions = results[1]
    return first


def compute_loaded(run: Run, loaded, kpi_ids: list[str], table: Table, by: list[str], **options: Any):
    """One table's KPIs over its loaded inputs (:func:`supportkpi.engine.compute`), reported
    to the run's listener."""
    from supportkpi.engine import compute as engine_compute

    period, end, memory, params = options["period"], options["as_of"], options["memory"], options["params"]
    run.bounded(memory, loaded.inputs)
    calendars = run.calendars()

    def computed():
        with run.listener.working("Reading and computing", loaded.inputs) as progress:
            return engine_compute(
                loaded.frame,
                kpi_ids,
                by=by,
                period=period,
                timezone=run.timezone,
                params=params,
                inputs=loaded.inputs,
                calendars=calendars,
                sla=run.settings.sla if table is CONTACTS else (),
                as_of=end,
                memory=memory,
                on_step=progress.step,
                table=table.name,
            )

    result = run.guarded(loaded.inputs, computed)
    run.report(loaded.inputs, result.findings, result.data_errors, "no report written", result.left_out)
    return result


def table_of_kpi(kpi_id: str) -> str:
    """The canonical table a KPI id reads (an SLA policy's compliance: contacts)."""
    from supportkpi.metrics import REGISTRY

    module = REGISTRY.get(kpi_id)
    return module.INFO.table if module is not None else CONTACTS.name


def one_table(run: Run, kpi_ids: list[str], explicit: bool, verb: str = "compare") -> tuple[str, list[str]]:
    """The canonical table of a verb that reads one (``compare``, ``forecast``): the inputs'
    table (all of one; side names ``name=path`` allowed), and the KPIs of it among ``kpi_ids``."""
    specs = [replace(s, files=tuple(reading.side_name(f)[1] for f in s.files)) for s in run.specs]
    split = by_table(specs, run.settings)
    if len(split) > 1:
        raise UsageError(
            f"these inputs hold contacts and mentions: {verb} one table at a time (the contact exports, "
            "then the mentions exports)"
        )
    (table,) = split
    wanted = [k for k in kpi_ids if table_of_kpi(k) == table]
    if explicit and not wanted:
        raise UsageError(f"none of the KPIs asked for reads {table}, which these inputs are")
    return table, wanted


def scorecard(run: Run, grouping: list[str], period: str | None, end, memory: str = "auto"):
    """:meth:`Run.scorecard` over each table's inputs: the targets of contact KPIs (and the SLA
    policies) over the contact exports, those of mention KPIs over the mentions exports; the
    mentions card is the first card's ``mentions``. A table with no target of its KPIs is not
    judged when the other one is; alone, it is a usage error."""
    from supportkpi.scorecard import kpi_table

    settings = run.settings
    split = by_table(run.specs, settings)
    targeted = {kpi_table(t.kpi) for t in settings.targets}
    tables = [t for t in split if t in targeted]
    if not tables:
        where = settings.path or "no kpi.yaml found"
        raise UsageError(f"{where}: no target of a KPI of {' or '.join(split)} to judge in these inputs")
    asked = [g for g in grouping if g != "none"]
    loaded = {t: run.load_specs(split[t], asked if len(tables) == 1 else ()) for t in tables}
    keys = keys_of(asked, {t: frozenset(part.frame.collect_schema().names()) for t, part in loaded.items()})
    chosen = {t: keys[t] if asked else grouping for t in tables}
    cards = [_table_scorecard(run, loaded[t], t, chosen[t], period, end, memory) for t in tables]
    if len(cards) > 1:
        cards[0].mentions = cards[1]
    return cards[0]


def _table_scorecard(run: Run, loaded, table: str, grouping: list[str], period: str | None, end, memory: str):
    from supportkpi.scorecard import scorecard

    columns = loaded.frame.collect_schema().names()
    if not grouping:
        grouping = ["vendor"] if "vendor" in columns else []
    elif grouping == ["none"]:
        grouping = []
    params, calendars = run.params(), run.calendars()
    run.bounded(memory, loaded.inputs)

    def judged():
        with run.listener.working("Reading and judging", loaded.inputs):
            return scorecard(
                loaded.frame,
                run.settings,
                by=grouping,
                period=period,
                timezone=run.timezone,
                params=params,
                calendars=calendars,
                as_of=end,
                inputs=loaded.inputs,
                table=table,
                memory=memory,
            )

    card = run.guarded(loaded.inputs, judged)
    run.report(loaded.inputs, card.base.findings, card.base.data_errors, "nothing judged", card.base.left_out)
    return card
