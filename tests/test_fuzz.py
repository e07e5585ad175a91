"""Fuzzing the command line (issue 17): hypothesis builds CSV, JSON and JSON-lines bytes that look
like exports (canonical and preset headers) but hold junk, control characters, odd encodings,
extreme numbers and dates, truncated documents; and kpi.yaml texts with odd values. Each goes
through ``compute``, ``validate``, ``check`` or ``compare`` in this process.

Whatever the input, a run must end with a documented exit code (0 ok, 1 findings, 2 usage or
configuration, 3 data; never 70, the code of an internal error), print no traceback, and leave
every input byte for byte as it was.

The examples are derandomized and kept out of hypothesis' database, so CI runs the same cases
every time; their number is small enough for the file to take seconds.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from pathlib import Path

import pytest
from cli_support import run
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

ALLOWED = {0, 1, 2, 3}
FUZZ = settings(
    # a deeper run: SUPPORTKPI_FUZZ_EXAMPLES=500 (and SUPPORTKPI_FUZZ_RANDOM=1 for new cases)
    max_examples=int(os.environ.get("SUPPORTKPI_FUZZ_EXAMPLES", "12")),
    deadline=None,
    derandomize=not os.environ.get("SUPPORTKPI_FUZZ_RANDOM"),
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)

CANONICAL = (
    "ticket_id",
    "created_at",
    "resolved_at",
    "first_response_at",
    "vendor",
    "channel",
    "status",
    "priority",
    "csat",
    "nps",
    "ces",
    "first_response_seconds",
    "resolution_seconds",
    "talk_seconds",
    "wait_seconds",
    "abandoned",
    "reopens",
    "order_value",
)
PRESET = (  # Zendesk's ticket CSV, Freshdesk's export, Amazon Connect's records
    "Summation column",
    "Id",
    "Created at",
    "Solved at",
    "Status",
    "Via",
    "Satisfaction Score",
    "First reply time in minutes",
    "Full resolution time in minutes",
    "Requester wait time in minutes",
    "Initially assigned at",
    "Group stations",
    "Ticket ID",
    "Created time",
    "Resolved time",
    "Satisfaction survey",
    "ContactId",
    "InitiationTimestamp",
    "DisconnectTimestamp",
    "Agent.AgentInteractionDuration",
)
VALUES = (
    "",
    " ",
    "T1",
    "Acme",
    "email",
    "chat",
    "solved",
    "Deleted",
    "5",
    "4.5",
    "-1",
    "0",
    "1e308",
    "-1e308",
    "1e999999",
    "nan",
    "inf",
    "-inf",
    "9" * 40,
    "0x1F",
    "2025-01-06T09:00:00Z",
    "2025-01-06 09:00",
    "06/01/2025 09:00",
    "2025-02-30T00:00:00Z",
    "0000-01-01T00:00:00Z",
    "9999-12-31T23:59:59+14:00",
    "10000-01-01T00:00:00Z",
    "1969-12-31T23:59:59Z",
    "2100-01-01T00:00:00Z",
    "1700000000",
    "1700000000000000000000",
    "12:34:56",
    "999:99:99",
    "P1DT2H",
    "true",
    "No",
    "=HYPERLINK(A1)",
    "Evil\x1b[31m",
    "a\x00b",
    "\u202e",
    '"',
    "a,b",
    "line\nbreak",
)
STAMPS = tuple(v for v in VALUES if v[:1].isdigit() or v in ("", "P1DT2H"))
junk = st.one_of(st.sampled_from(VALUES), st.text(st.characters(exclude_characters="\x00"), max_size=12))
# mostly values of the column's kind (a run that stops at the header tests little), some junk
value = st.one_of(
    st.sampled_from(("T1", "T2", "T2", "Acme", "Beta", "email", "chat", "4", "2025-01-06T09:00:00Z")), junk
)
stamp = st.one_of(st.sampled_from(("2025-01-06T09:00:00Z", "2025-01-07 10:30")), st.sampled_from(STAMPS), junk)
number = st.one_of(st.sampled_from(("1", "5", "3600", "0.5", "4,5")), st.sampled_from(VALUES[8:20]), junk)
ANY_HEADER = st.sampled_from(CANONICAL + PRESET) | st.text(max_size=8)
header = st.one_of(
    # a canonical export: its required columns and some others, each once
    st.lists(st.sampled_from(CANONICAL[2:]), max_size=5, unique=True).map(lambda h: ["ticket_id", "created_at", *h]),
    st.lists(st.sampled_from(CANONICAL[6:]), max_size=4, unique=True).map(
        lambda h: ["ticket_id", "created_at", "vendor", "channel", *h]
    ),
    st.just(list(PRESET[:12])),  # Zendesk's CSV export
    st.lists(ANY_HEADER, min_size=1, max_size=7),
)
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "utf-32", "latin-1", "cp1252")
COMMANDS = (
    ("compute",),
    ("compute", "--by", "vendor", "-f", "json"),
    ("compute", "--period", "week", "-f", "markdown"),
    ("validate",),
    ("check",),
    ("check", "--by", "channel", "-f", "github"),
    ("compare", "--by", "vendor"),
    ("compare", "--by", "channel", "-f", "csv"),
)
OPTIONS = st.lists(
    st.sampled_from(
        [
            ("--tz", "Europe/Berlin"),
            ("--tz", "Pacific/Kiritimati"),
            ("--datetime-format", "%d/%m/%Y %H:%M"),
            ("--encoding", "latin-1"),
            ("--encoding", "utf-16"),
            ("--separator", ";"),
            ("--decimal-comma",),
            ("--strict",),
            ("--source", "zendesk_csv"),
            ("--map", "created_at=Created at"),
        ]
    ),
    max_size=2,
).map(lambda chosen: tuple(part for option in chosen for part in option))


POLARS_LEAKS = (
    "It's possible that",
    "try renaming",
    "Error:",  # SchemaError:, ComputeError:, InvalidOperationError: ...
    "conversion from",
    "failed in column",
    "RESOLVING",
    "panicked",
)
"""Words of polars' own messages: a run that passes one on has met a case nobody thought of."""


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in folder.iterdir() if p.is_file()}


def _encoded(text: str, encoding: str) -> bytes:
    return text.encode(encoding, errors="replace")


def assert_survives(folder: Path, name: str, command: tuple[str, ...], *extra: str) -> None:
    """``supportkpi COMMAND name`` ends with an allowed code, no traceback, inputs unchanged."""
    before = _hashes(folder)
    ran = run(command[0], name, *command[1:], *extra, cwd=folder)
    event(f"exit {ran.returncode}")  # the spread of outcomes: pytest --hypothesis-show-statistics
    shown = f"{command} exit {ran.returncode}\n{ran.stderr[-2000:]}"
    assert ran.returncode in ALLOWED, shown
    assert "Traceback" not in ran.stderr + ran.stdout, shown
    assert "internal error" not in ran.stderr, shown
    # a polars error passed on as a data error is a bug all the same
    assert not [leak for leak in POLARS_LEAKS if leak in ran.stderr], shown
    assert _hashes(folder) == before, "an input was changed"


@st.composite
def csv_bytes(draw) -> bytes:
    names = draw(header)
    separator = draw(st.sampled_from([",", ",", ",", ";", "\t", "|"]))
    lines = [separator.join(_quoted(n, separator) for n in names)]
    for _ in range(draw(st.integers(0, 6))):
        cells = [draw(_kind_of(name)) for name in names]
        ragged = draw(st.sampled_from(["", "", "", "", "short", "long"]))
        cells = cells[:-1] if ragged == "short" else [*cells, draw(junk)] if ragged == "long" else cells
        lines.append(separator.join(_quoted(cell, separator) for cell in cells))
    text = draw(st.sampled_from(["\n", "\r\n", "\r"])).join(lines) + draw(st.sampled_from(["\n", ""]))
    data = _encoded(text, draw(st.sampled_from(ENCODINGS)))
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]  # truncated anywhere, even in a character
    return data


def _kind_of(name: str) -> st.SearchStrategy[str]:
    lowered = name.lower()
    if lowered.endswith(("_at", " at", "time", "timestamp")):
        return stamp
    if lowered.endswith(("seconds", "minutes", "duration")) or lowered in ("csat", "nps", "ces", "reopens"):
        return number
    return value


@st.composite
def gzip_bytes(draw) -> bytes:
    data = gzip.compress(draw(csv_bytes()), mtime=0)
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]  # a damaged or cut archive
    return data


def _quoted(text: str, separator: str) -> str:
    if any(c in text for c in (separator, '"', "\n", "\r")):
        return '"' + text.replace('"', '""') + '"'
    return text


json_value = st.one_of(
    value,
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False),
    st.booleans(),
    st.none(),
    st.lists(st.integers(), max_size=2),
    st.dictionaries(st.sampled_from(["a", "calendar"]), st.integers(), max_size=2),
)
record = st.one_of(
    st.fixed_dictionaries(
        {"ticket_id": st.one_of(value, st.integers()), "created_at": st.one_of(stamp, json_value)},
        optional={name: st.one_of(number, stamp, json_value) for name in CANONICAL[2:]},
    ),
    st.dictionaries(ANY_HEADER, json_value, max_size=7),
)


@st.composite
def json_bytes(draw, lines: bool) -> bytes:
    records = draw(st.lists(record, max_size=6))
    if lines:
        text = "\n".join(json.dumps(r, ensure_ascii=draw(st.booleans())) for r in records)
    else:
        wrap = draw(st.sampled_from(["list", "tickets", "data", "scalar"]))
        document = {"list": records, "tickets": {"tickets": records}, "data": {"data": records}, "scalar": 42}[wrap]
        text = json.dumps(document, ensure_ascii=draw(st.booleans()))
    data = _encoded(text, draw(st.sampled_from(ENCODINGS)))
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


KPIS = ("csat", "nps", "first_response_time", "resolution_time", "aht", "ticket_volume", "sla_compliance.x")
PLAUSIBLE = ("earliest", "latest", "longest_days")
yaml_scalar = st.one_of(
    st.sampled_from(
        ["1", "-1", "0", "1e999999", ".nan", ".inf", "80%", "4h", "5 min", "~", "[]", "{}", "yes", "'x'"]
        + ["1970-01-01", "2100-01-01", "0001-01-01", "9999-12-31", "2024-02-30", "1e6", "1e-300"]
    ),
    st.integers(-(2**70), 2**70).map(str),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=8).map(json.dumps),
)


@st.composite
def kpi_yaml(draw) -> str:
    lines = ["version: " + draw(st.sampled_from(["1", "2", "'1'", "x"]))]
    if draw(st.booleans()):
        lines.append("timezone: " + draw(st.sampled_from(["UTC", "Europe/Berlin", "Mars/Base", "''", "1"])))
    if draw(st.booleans()):
        lines.append("datetime_format: " + draw(st.sampled_from(["'%Y-%m-%d'", "'%Q'", "'x'", "[]", "1"])))
    if draw(st.booleans()):
        lines.append("max_left_out: " + draw(yaml_scalar))
    if draw(st.booleans()):
        lines.append("kpis:")
        lines.append(f"  {draw(st.sampled_from(KPIS[:5]))}:")
        key = draw(st.sampled_from(["statistic", "scale", "threshold_seconds", "satisfied_min", "variant", "x"]))
        lines.append(f"    {key}: {draw(yaml_scalar)}")
    if draw(st.booleans()):
        lines.append("targets:")
        for _ in range(draw(st.integers(0, 3))):
            lines.append(f"  - kpi: {draw(st.sampled_from(KPIS))}")
            for key in draw(st.lists(st.sampled_from(["warn", "fail", "min_sample", "weight", "name"]), max_size=3)):
                lines.append(f"    {key}: {draw(yaml_scalar)}")
    if draw(st.booleans()):
        lines.append("plausible: {" + f"{draw(st.sampled_from(PLAUSIBLE))}: {draw(yaml_scalar)}" + "}")
    if draw(st.booleans()):
        lines.append(f"vendors: {{{draw(yaml_scalar)}: {{calendar: {draw(st.sampled_from(['default', 'x', '~']))}}}}}")
    if draw(st.booleans()):
        lines += ["sla:", "  - name: " + draw(st.sampled_from(["first_reply", "x y", "''"]))]
        lines += ["    metric: " + draw(st.sampled_from(["first_response_time", "csat", "resolution_time"]))]
        lines += [f"    targets: [{{hours: {draw(yaml_scalar)}}}]"]
    if draw(st.booleans()):
        lines.append(draw(st.text(max_size=20)))  # junk, also bad indentation and tabs
    text = "\n".join(lines) + "\n"
    if draw(st.booleans()):
        text = text[: draw(st.integers(0, len(text)))]
    return text


TARGETS = """\
version: 1
targets:
  - {kpi: csat, warn: 80, fail: 70, min_sample: 1}
  - {kpi: first_response_time, warn: 4h, fail: 8h}
  - {kpi: ticket_volume, warn: 2, fail: 1, direction: higher}
"""
"""A kpi.yaml beside each fuzzed export, so that ``check`` judges something."""

EXPORT = (
    "ticket_id,created_at,resolved_at,vendor,channel,csat\n"
    "T1,2025-01-06T09:00:00Z,2025-01-06T11:00:00Z,Acme,email,5\n"
    "T2,2025-01-06T12:00:00Z,,Acme,chat,4\n"
    "T3,2025-01-20T08:00:00Z,2025-01-21T08:00:00Z,Beta,email,1\n"
    "T4,2025-01-21T08:00:00Z,2025-01-21T09:00:00Z,Beta,phone,3\n"
)


def survives_as(tmp_path_factory, name: str, data: bytes, command: str, *options: str) -> None:
    """The fuzzed bytes as the export ``name``, beside a kpi.yaml with targets, through ``command``."""
    folder = tmp_path_factory.mktemp(name.replace(".", "-"))
    (folder / name).write_bytes(data)
    (folder / "kpi.yaml").write_text(TARGETS, encoding="utf-8")
    assert_survives(folder, name, command, *options)


@FUZZ
@given(data=csv_bytes(), command=st.sampled_from(COMMANDS), options=OPTIONS)
def test_csv_bytes(tmp_path_factory, data, command, options):
    survives_as(tmp_path_factory, "export.csv", data, command, *options)


@FUZZ
@given(data=gzip_bytes(), command=st.sampled_from(COMMANDS))
def test_gzip_bytes(tmp_path_factory, data, command):
    survives_as(tmp_path_factory, "export.csv.gz", data, command)


@FUZZ
@given(data=json_bytes(lines=False), command=st.sampled_from(COMMANDS))
def test_json_bytes(tmp_path_factory, data, command):
    survives_as(tmp_path_factory, "export.json", data, command)


@FUZZ
@given(data=json_bytes(lines=True), command=st.sampled_from(COMMANDS))
def test_jsonl_bytes(tmp_path_factory, data, command):
    survives_as(tmp_path_factory, "export.jsonl", data, command)


@FUZZ
@given(text=kpi_yaml(), command=st.sampled_from(COMMANDS))
def test_kpi_yaml_texts(tmp_path_factory, text, command):
    folder = tmp_path_factory.mktemp("yaml")
    (folder / "export.csv").write_text(EXPORT, encoding="utf-8")
    (folder / "kpi.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
    assert_survives(folder, "export.csv", command, "--config", "kpi.yaml")


# -- what the fuzzer found, each kept as a case of its own ---------------------------------------


def test_unit_separator_in_a_csv_is_read_not_an_internal_error(tmp_path):
    """The row check read lines with the unit separator (0x1F) as its field separator: one in
    the header was a polars SchemaError (exit 70), one in a row a ComputeError (exit 70)."""
    (tmp_path / "header.csv").write_bytes(b"ticket_id,\x1f\n")
    ran = run("compute", "header.csv", cwd=tmp_path)
    assert ran.returncode == 3 and "no rows to read" in ran.stderr, ran.stderr
    (tmp_path / "row.csv").write_bytes(b"ticket_id,created_at\nT\x1f1,2025-01-01\nT2\n")
    ran = run("compute", "row.csv", cwd=tmp_path)
    assert ran.returncode == 3, ran.stderr
    assert "row.csv: row 2 (line 3): 1 fields, expected 2" in ran.stderr
    (tmp_path / "fine.csv").write_bytes(b"ticket_id,created_at,vendor\nT\x1f1,2025-01-01T00:00:00Z,A\n")
    ran = run("compute", "fine.csv", "-k", "ticket_volume", "-f", "json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert json.loads(ran.stdout)["groups"][0]["kpis"]["ticket_volume"]["value"] == 1


def test_lone_surrogate_escape_in_kpi_yaml_is_a_config_error(tmp_path):
    """YAML reads ``"\\ud800"`` as half a character, which pydantic could not encode (exit 70)."""
    (tmp_path / "export.csv").write_text(EXPORT, encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text('version: 1\nmax_left_out: "\\ud800\\udc00"\n', encoding="utf-8")
    ran = run("compute", "export.csv", cwd=tmp_path)
    assert ran.returncode == 2, ran.stderr
    assert ran.stderr.startswith("supportkpi: error: kpi.yaml:2: a \\uD800-\\uDFFF escape"), ran.stderr


def test_header_that_trims_to_another_is_a_repeated_header(tmp_path):
    """``ticket_id`` and ``ticket_id\\r`` (a lone CR is no line break to the reader): trimmed
    to the same name, polars refused the frame (DuplicateError, exit 70)."""
    (tmp_path / "cr.csv").write_bytes(b"ticket_id,created_at,ticket_id\r,,\n")
    ran = run("compute", "cr.csv", cwd=tmp_path)
    assert ran.returncode == 3, ran.stderr
    assert "cr.csv: the header 'ticket_id' appears 2 times" in ran.stderr
    (tmp_path / "note.csv").write_bytes(b"ticket_id,created_at,region, region\nT1,2025-01-06T09:00:00Z,a,b\n")
    ran = run("compute", "note.csv", "--by", "region", "-k", "ticket_volume", "-f", "json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    assert [g["keys"] for g in json.loads(ran.stdout)["groups"]] == [{"region": "a"}]  # the first column


@pytest.mark.parametrize("column", ["channel", "priority"])
def test_compare_by_channel_or_priority(tmp_path, column):
    """``compare FILE --by channel`` grouped by (channel, channel) for the channel-mix note: a
    polars error passed on as a data error (exit 3) for every file."""
    contacts = str(Path(__file__).resolve().parents[1] / "examples" / "contacts.csv")
    ran = run("compare", contacts, "--by", column, "-k", "csat", "-f", "json", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    compared = json.loads(ran.stdout)
    computed = run("compute", contacts, "--by", column, "-k", "csat", "-f", "json", cwd=tmp_path)
    values = {g["keys"][column]: g["kpis"]["csat"]["value"] for g in json.loads(computed.stdout)["groups"]}
    (item,) = compared["comparisons"]
    assert {s["side"]: s["value"] for s in item["sides"]} == {k: v for k, v in values.items() if k is not None}
    assert not [n for n in compared["notes"] if f"{column} mix" in n]  # the sides are the mix
