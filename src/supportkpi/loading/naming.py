"""Which header of a file becomes which canonical column: ``--map``/kpi.yaml ``columns`` (an
inverted yes/no written ``!Header``), headers that are canonical names but for case and
punctuation, and, for files read without a preset, the header spellings of
:mod:`supportkpi.words` (with the unit a duration's header states). Whatever the loader could not
decide is noted for the data-quality report, never guessed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from supportkpi import words
from supportkpi.errors import UsageError
from supportkpi.plausible import Plausible
from supportkpi.results import Finding
from supportkpi.schema import COLUMNS, Kind, column_spelling, table_of

INVERT = "!"


@dataclass
class Reading:
    """How one input file is read, and what the loader found about it as a whole."""

    path: str
    index: int
    timezone: str
    datetime_format: tuple[str, ...]
    decimal_comma: bool
    units: dict[str, str] = field(default_factory=dict)
    """canonical duration column -> unit (``load(units=...)``, else its header's)."""
    inverted: set[str] = field(default_factory=set)
    """yes/no columns mapped with ``!``: read as the opposite of their header."""
    plausible: Plausible = field(default_factory=Plausible)
    """The range of timestamps and durations read as values (kpi.yaml ``plausible``)."""
    notes: list[Finding] = field(default_factory=list)
    first_row: int = 1
    """The number its first data row is named by in messages: 1 (the row after the header) for
    text files; a workbook's rows are named as its sheet numbers them (the header is row 1)."""


def split_inverted(mapping: Mapping[str, str], names: list[str], reading: Reading) -> dict[str, str]:
    """``mapping`` with ``!Header`` read as Header (the column is then inverted); a header that
    really starts with ``!`` is taken as it is."""
    plain = {}
    for canonical, header in mapping.items():
        if header.startswith(INVERT) and header not in names:
            if canonical in COLUMNS and COLUMNS[canonical].kind is not Kind.BOOL:
                raise UsageError(f"'{canonical}={header}': only a yes/no column can be read inverted with '!'")
            header = header[len(INVERT) :].strip()
            reading.inverted.add(canonical)
        plain[canonical] = header
    return plain


def resolve_headers(mapping: Mapping[str, str], names: list[str]) -> dict[str, str]:
    """Mapped headers as the file has them (exactly: a near miss is an error with a
    suggestion); a canonical name the file has no header of (``abandoned=!answered``) stands
    for the file's one header that means that column ("Answered (Y/N)").

    >>> resolve_headers({"abandoned": "answered", "agent": "Agent"}, ["Answered (Y/N)", "Agent"])
    {'abandoned': 'Answered (Y/N)', 'agent': 'Agent'}
    """
    resolved = {}
    for canonical, header in mapping.items():
        found = None
        if header not in names and header in COLUMNS:
            meaning = [n for n in names if words.header_column(n) == header]
            found = meaning[0] if len(meaning) == 1 else None
        resolved[canonical] = found or header
    return resolved


def canonical_names(names: list[str], mapping: Mapping[str, str], reading: Reading) -> dict[str, str]:
    """Renames onto canonical names: ``mapping`` (canonical -> header), then headers that are
    canonical names but for case and spaces ("Ticket ID" -> ticket_id), then the header
    spellings of :mod:`supportkpi.words` ("Created_Date" -> created_at,
    "Resolution_Time_Hours" -> resolution_seconds in hours). A spelling never takes a header
    the user mapped nor a column the file has; two headers for one column take neither (noted).
    """
    renames = {header: canonical for canonical, header in mapping.items() if header in names}
    taken = set(renames.values()) | set(names)
    # only the columns of the file's table: a "Language" of a ticket export stays a dimension
    spelled = {column_spelling(n) for n in names} | set(renames.values())
    own = table_of(spelled).by_name
    for name in names:
        key = column_spelling(name)
        if name not in renames and key in own and key != name and key not in taken:
            renames[name] = key
            taken.add(key)
    candidates: dict[str, list[tuple[str, str | None]]] = {}
    for name in names:
        if name in renames or name in COLUMNS:
            continue
        duration = words.duration_header(name)
        canonical, unit = duration if duration else (words.header_column(name), None)
        if canonical is not None and canonical not in taken:
            candidates.setdefault(canonical, []).append((name, unit))
    for canonical, found in candidates.items():
        if len(found) > 1:
            both = " and ".join(f"'{n}'" for n, _ in found)
            reading.notes.append(
                Finding(
                    kind="note",
                    column=canonical,
                    count=0,
                    effect=f"headers {both} could both be '{canonical}': neither is taken; choose one "
                    f"with --map {canonical}=HEADER",
                )
            )
            continue
        header, unit = found[0]
        renames[header] = canonical
        if unit is not None:
            reading.units.setdefault(canonical, unit)
    return renames


def contradictions(mapping: Mapping[str, str], reading: Reading) -> None:
    """A yes/no mapped from a header that says the opposite (``abandoned`` from "Answered
    (Y/N)" without ``!``, or with ``!`` from "Abandoned"): noted as a finding."""
    for canonical, header in mapping.items():
        if canonical not in COLUMNS or COLUMNS[canonical].kind is not Kind.BOOL:
            continue
        agrees = words.header_agrees(canonical, header)
        inverted = canonical in reading.inverted
        if agrees is None or agrees != inverted:
            continue
        fix = f"--map '{canonical}={header}'" if inverted else f"--map '{canonical}={INVERT}{header}'"
        says = "the same as" if inverted else "the opposite of"
        reading.notes.append(
            Finding(
                kind="mapping contradicts header",
                column=canonical,
                count=0,
                expected=f"a header meaning '{canonical}'",
                effect=f"'{header}' says {says} '{canonical}', so every value is probably inverted; "
                f"if so, map it with {fix}",
            )
        )


def no_created_at(names: list[str]) -> Finding:
    """The note of a file with no creation time at all."""
    near = [n for n in names if any(w in words.word_key(n) for w in ("date", "time", "created", "opened"))]
    hint = f" (headers with a date or time: {', '.join(near)})" if near else ""
    return Finding(
        kind="note",
        column="created_at",
        count=0,
        effect="the file has no creation time: KPIs that need created_at are not available, and "
        f"--period cannot be used; map one with --map created_at=HEADER if it has one{hint}",
    )
