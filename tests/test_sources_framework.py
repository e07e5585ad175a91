"""The source-preset framework (issue 3, "Choosing a preset"): detection from headers or JSON keys
with a confidence, the ambiguity error, unknown --source names, kpi.yaml ``sources`` (preset per
file) and ``values`` (an export's own words), plugins through the ``supportkpi.sources`` entry
point group, and ``supportkpi sources``.

Every expected value is worked out by hand from the small files written in the tests; the
comments show how.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import json
import pkgutil
from pathlib import Path

import pytest
from cli_support import run

import supportkpi
from supportkpi import sources as presets
from supportkpi.errors import DataError, UsageError
from supportkpi.sources import MIN_CONFIDENCE, Field, Source, sources
from supportkpi.sources._base import vocabulary

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures" / "sources"
EXAMPLE = ROOT / "examples" / "contacts.csv"


def kpis_of(loaded) -> dict:
    return supportkpi.compute(loaded.frame, inputs=loaded.inputs).groups[0].kpis


# --------------------------------------------------------------------------------------------
# Detection on every fixture
# --------------------------------------------------------------------------------------------
#
# A fixture is named after its preset: ``<preset>.<ext>``, or ``<preset>_<variant>.<ext>`` for a
# second shape of the same export (e.g. ``salesforce_case_rest.json``, the REST query JSON of
# the Data Loader CSV). Where a stem is itself a preset's name it is that preset: zendesk_csv
# (the Explore/view CSV) and freshdesk_api (the API JSON) are presets of their own, not variants
# of zendesk and freshdesk. Fixtures present when this was written:
#
#   amazon_connect.jsonl    -> amazon_connect      genesys.json     -> genesys
#   callcenter_sample.csv   -> callcenter_sample   gorgias.json     -> gorgias
#   five9.csv               -> five9               helpscout.json   -> helpscout
#   freshdesk.csv           -> freshdesk           intercom.json    -> intercom
#   freshdesk_api.json      -> freshdesk_api       jira_sm.json     -> jira_sm
#   salesforce_case.csv     -> salesforce_case     zendesk.json     -> zendesk
#   zendesk_csv.csv         -> zendesk_csv
#
# Fixtures whose stem names no preset and is not a "<preset>_<variant>": listed here by hand.
FIXTURE_PRESETS: dict[str, str] = {}


def expected_preset(path: Path) -> str:
    if path.name in FIXTURE_PRESETS:
        return FIXTURE_PRESETS[path.name]
    stem = path.name.split(".")[0]
    names = sources()
    if stem in names:
        return stem
    # "<preset>_<variant>": the longest preset name the stem starts with
    prefixes = [n for n in names if stem.startswith(n + "_")]
    assert prefixes, f"{path.name}: name no preset; add it to FIXTURE_PRESETS"
    return max(prefixes, key=len)


FIXTURE_FILES = sorted(p for p in FIXTURES.iterdir() if p.is_file() and not p.name.startswith("."))


def test_there_are_fixtures():
    assert len(FIXTURE_FILES) >= 13


@pytest.mark.parametrize("path", FIXTURE_FILES, ids=lambda p: p.name)
def test_every_fixture_is_detected_as_its_preset(path):
    loaded = supportkpi.load([str(path)])
    info = loaded.inputs[0]
    assert info.source == expected_preset(path)
    # detected, not given: a confidence is reported, and it is at least the threshold
    assert info.confidence is not None
    assert info.confidence >= MIN_CONFIDENCE


def test_every_builtin_preset_has_a_fixture_detected_as_it():
    detected = {expected_preset(p) for p in FIXTURE_FILES}
    # the package's own presets (one module each), not plugins'
    builtin = {
        importlib.import_module(f"supportkpi.sources.{m.name}").SOURCE.name
        for m in pkgutil.iter_modules(presets.__path__)
        if not m.name.startswith("_")
    }
    assert builtin - detected == set()


def test_example_contacts_are_canonical():
    # examples/contacts.csv is in canonical columns: no preset, and ticket_id and created_at
    # (the required columns) are there, so the answer is sure (1.0)
    info = supportkpi.load([str(EXAMPLE)]).inputs[0]
    assert info.source == "canonical"
    assert info.confidence == 1.0


# --------------------------------------------------------------------------------------------
# Ambiguity
# --------------------------------------------------------------------------------------------
#
# One CSV carrying the full signatures of two presets: salesforce_case (CaseNumber, CreatedDate,
# ClosedDate, IsClosed, IsEscalated, Origin) and five9 (CALL ID, CALL TYPE, CAMPAIGN, QUEUE WAIT
# TIME, AFTER CALL WORK TIME, IVR TIME), plus five9's TIMESTAMP so either preset can read it.
# Both score 6/6 = 1.0; the lead is 0 < MARGIN: ambiguous.
#
#   read as salesforce_case: ticket_id = CaseNumber 00001001, 00001002
#     00001001 created 08:00, closed 12:00, IsClosed true  -> resolution 4 h
#     00001002 created 09:30, no ClosedDate, IsClosed false -> unresolved
#     resolution_time median 4.0 h (n 1), resolution_rate 1/2 = 50 %, escalation 1/2 = 50 %
#   read as five9: ticket_id = CALL ID 300001, 300002; created_at = TIMESTAMP
#     (Mon, 04 Mar 2024 09:00:05 -> 2024-03-04 09:00:05), queue wait 12 s and 25 s
TWO_PRESETS = (
    "CaseNumber,CreatedDate,ClosedDate,IsClosed,IsEscalated,Origin,"
    "CALL ID,TIMESTAMP,CALL TYPE,CAMPAIGN,QUEUE WAIT TIME,AFTER CALL WORK TIME,IVR TIME\n"
    "00001001,2024-03-04T08:00:00.000Z,2024-03-04T12:00:00.000Z,true,false,Phone,"
    '300001,"Mon, 04 Mar 2024 09:00:05",Inbound,Support Inbound,00:00:12,00:00:45,00:00:15\n'
    "00001002,2024-03-04T09:30:00.000Z,,false,true,Email,"
    '300002,"Mon, 04 Mar 2024 09:10:00",Inbound,Support Inbound,00:00:25,00:01:00,00:00:15\n'
)


def write_two_presets(directory: Path, name: str = "both.csv") -> Path:
    path = directory / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(TWO_PRESETS, encoding="utf-8")
    return path


def test_the_ambiguous_file_carries_both_signatures_in_full():
    header = set(TWO_PRESETS.splitlines()[0].split(","))
    assert sources()["salesforce_case"].signature <= header
    assert sources()["five9"].signature <= header


def test_ambiguity_is_a_data_error_naming_both_candidates(tmp_path):
    path = write_two_presets(tmp_path)
    with pytest.raises(DataError) as caught:
        supportkpi.load([str(path)])
    message = str(caught.value)
    assert caught.value.exit_code == 3
    assert "salesforce_case" in message
    assert "five9" in message
    assert "--source" in message
    assert str(path) in message


def test_ambiguity_through_the_cli_exits_3(tmp_path):
    path = write_two_presets(tmp_path)
    proc = run("validate", path.name, "--format", "json", cwd=tmp_path)
    assert proc.returncode == 3, proc.stderr
    assert "salesforce_case" in proc.stderr
    assert "five9" in proc.stderr
    assert "--source" in proc.stderr
    assert proc.stdout == ""


def test_source_resolves_the_ambiguity(tmp_path):
    path = write_two_presets(tmp_path)
    loaded = supportkpi.load([str(path)], source="salesforce_case")
    info = loaded.inputs[0]
    assert info.source == "salesforce_case"
    assert info.confidence is None  # given, not detected
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == ["00001001", "00001002"]
    kpis = kpis_of(loaded)
    assert kpis["resolution_time"].value == pytest.approx(4.0)
    assert kpis["resolution_time"].n == 1
    assert kpis["resolution_rate"].value == pytest.approx(50.0)
    assert kpis["escalation_rate"].value == pytest.approx(50.0)

    as_five9 = supportkpi.load([str(path)], source="five9").frame.collect()
    assert as_five9["ticket_id"].to_list() == ["300001", "300002"]
    assert as_five9["wait_seconds"].to_list() == [12.0, 25.0]


def test_source_resolves_the_ambiguity_through_the_cli(tmp_path):
    path = write_two_presets(tmp_path)
    proc = run("validate", path.name, "--source", "salesforce_case", "--format", "json", cwd=tmp_path)
    assert proc.returncode in (0, 1), proc.stderr  # read; findings or not, no error
    report = json.loads(proc.stdout)
    assert report["inputs"][0]["source"] == "salesforce_case"
    assert report["inputs"][0]["rows"] == 2
    assert "resolution_time" in report["kpis_available"]


# --------------------------------------------------------------------------------------------
# Unknown --source
# --------------------------------------------------------------------------------------------


def test_unknown_source_is_a_usage_error_with_a_suggestion():
    with pytest.raises(UsageError) as caught:
        supportkpi.load([str(EXAMPLE)], source="zendsk")
    assert caught.value.exit_code == 2
    assert "zendsk" in str(caught.value)
    assert "did you mean 'zendesk'" in str(caught.value)
    with pytest.raises(UsageError):
        presets.get("zendsk")


def test_unknown_source_through_the_cli_exits_2(tmp_path):
    proc = run("validate", str(EXAMPLE), "--source", "freshdesc", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "freshdesc" in proc.stderr
    assert "did you mean 'freshdesk" in proc.stderr  # freshdesk or freshdesk_api
    assert proc.stdout == ""


def test_canonical_is_a_known_source_name():
    loaded = supportkpi.load([str(EXAMPLE)], source="canonical")
    assert loaded.inputs[0].source == "canonical"


# --------------------------------------------------------------------------------------------
# kpi.yaml sources: glob -> preset, per file
# --------------------------------------------------------------------------------------------


def test_kpi_yaml_sources_pick_the_preset_per_file(tmp_path):
    # Both files carry both signatures (detection alone would fail, see above); kpi.yaml names
    # the preset of each by a glob: the cases file is salesforce_case, the calls file five9.
    write_two_presets(tmp_path, "exports/cases_march.csv")
    write_two_presets(tmp_path, "exports/calls_march.csv")
    without = run("validate", "exports/cases_march.csv", "--format", "json", cwd=tmp_path)
    assert without.returncode == 3  # no kpi.yaml yet: ambiguous
    (tmp_path / "kpi.yaml").write_text(
        'version: 1\nsources:\n  "exports/cases_*.csv": salesforce_case\n  "*calls*.csv": five9\n',
        encoding="utf-8",
    )
    proc = run(
        "validate",
        "exports/cases_march.csv",
        "exports/calls_march.csv",
        "--config",
        "kpi.yaml",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert proc.returncode in (0, 1), proc.stderr
    inputs = {i["path"]: i for i in json.loads(proc.stdout)["inputs"]}
    assert inputs["exports/cases_march.csv"]["source"] == "salesforce_case"
    assert inputs["exports/calls_march.csv"]["source"] == "five9"
    # given by kpi.yaml, not detected
    assert inputs["exports/cases_march.csv"]["confidence"] is None
    assert inputs["exports/calls_march.csv"]["confidence"] is None
    assert inputs["exports/cases_march.csv"]["rows"] == 2
    assert inputs["exports/calls_march.csv"]["rows"] == 2


def test_kpi_yaml_sources_through_compute(tmp_path):
    # Only the cases file, as salesforce_case: resolution_rate 1 of 2 = 50 %
    write_two_presets(tmp_path, "cases.csv")
    (tmp_path / "kpi.yaml").write_text('version: 1\nsources:\n  "cases*.csv": salesforce_case\n', encoding="utf-8")
    proc = run(
        "compute",
        "cases.csv",
        "--config",
        "kpi.yaml",
        "--kpi",
        "resolution_rate,ticket_volume",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["inputs"][0]["source"] == "salesforce_case"
    kpis = report["groups"][0]["kpis"]
    assert kpis["ticket_volume"]["value"] == 2
    assert kpis["resolution_rate"]["value"] == pytest.approx(50.0)


def test_kpi_yaml_sources_with_an_unknown_preset_is_a_usage_error(tmp_path):
    write_two_presets(tmp_path, "cases.csv")
    (tmp_path / "kpi.yaml").write_text('version: 1\nsources:\n  "cases*.csv": salesforse_case\n', encoding="utf-8")
    proc = run("validate", "cases.csv", "--config", "kpi.yaml", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "did you mean 'salesforce_case'" in proc.stderr


# --------------------------------------------------------------------------------------------
# kpi.yaml values: an export's own words
# --------------------------------------------------------------------------------------------
#
#   row  ticket_id  channel   csat             -> channel  csat
#    1   D1         E-Mail    Sehr zufrieden      email    5
#    2   D2         telefon   unzufrieden         phone    1
#    3   D3         TELEFON   Zufrieden           phone    4
#    4   D4         Fax       geht so             (unknown: "Fax" reported)  (unparseable: "geht so")
#
# Words are matched ignoring case ("telefon", "TELEFON", "unzufrieden"). csat top-box (>= 4 on
# 1-5) over the 3 readable answers 5, 1, 4: satisfied 2 of 3 = 66.67 %; D4's answer left out.
VALUES_CSV = (
    "ticket_id,created_at,channel,csat\n"
    "D1,2025-03-03T09:00:00Z,E-Mail,Sehr zufrieden\n"
    "D2,2025-03-03T10:00:00Z,telefon,unzufrieden\n"
    "D3,2025-03-03T11:00:00Z,TELEFON,Zufrieden\n"
    "D4,2025-03-03T12:00:00Z,Fax,geht so\n"
)
VALUES_YAML = (
    "version: 1\n"
    "values:\n"
    "  channel:\n"
    "    E-Mail: email\n"
    "    Telefon: phone\n"
    "  csat:\n"
    "    Sehr zufrieden: 5\n"
    "    Zufrieden: 4\n"
    "    Unzufrieden: 1\n"
)


def test_kpi_yaml_values_map_an_exports_words(tmp_path):
    from supportkpi.config import parse_config

    path = tmp_path / "de.csv"
    path.write_text(VALUES_CSV, encoding="utf-8")
    values = parse_config(VALUES_YAML).values
    loaded = supportkpi.load([str(path)], values=values)
    frame = loaded.frame.collect()
    assert frame["channel"].to_list() == ["email", "phone", "phone", None]
    assert frame["csat"].to_list() == [5.0, 1.0, 4.0, None]
    csat = kpis_of(loaded)["csat"]
    assert csat.value == pytest.approx(200 / 3)
    assert csat.n == 3


def test_kpi_yaml_values_through_the_cli_and_unmapped_words_are_findings(tmp_path):
    (tmp_path / "de.csv").write_text(VALUES_CSV, encoding="utf-8")
    (tmp_path / "kpi.yaml").write_text(VALUES_YAML, encoding="utf-8")
    proc = run("validate", "de.csv", "--config", "kpi.yaml", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr  # findings: "Fax" and "geht so"
    findings = {f["column"]: f for f in json.loads(proc.stdout)["findings"]}
    assert set(findings) == {"channel", "csat"}
    channel = findings["channel"]
    assert channel["kind"] == "unknown value"
    assert channel["count"] == 1
    [example] = channel["examples"]
    assert example["file"] == "de.csv"
    assert example["row"] == 4
    assert example["value"].lower() == "fax"
    csat = findings["csat"]
    assert csat["count"] == 1
    [example] = csat["examples"]
    assert (example["file"], example["row"], example["value"]) == ("de.csv", 4, "geht so")

    computed = run("compute", "de.csv", "--config", "kpi.yaml", "--kpi", "csat", "--format", "json", cwd=tmp_path)
    assert computed.returncode == 0, computed.stderr
    value = json.loads(computed.stdout)["groups"][0]["kpis"]["csat"]["value"]
    assert value == pytest.approx(66.67, abs=0.01)


def test_without_values_the_words_are_all_findings(tmp_path):
    # no kpi.yaml: E-Mail is email but for case and punctuation; none of the other three
    # channels (telefon, TELEFON, Fax) is a known word, and none of the four answers is a number
    (tmp_path / "de.csv").write_text(VALUES_CSV, encoding="utf-8")
    proc = run("validate", "de.csv", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    counts = {f["column"]: f["count"] for f in json.loads(proc.stdout)["findings"]}
    assert counts == {"channel": 3, "csat": 4}


# --------------------------------------------------------------------------------------------
# Plugins: the supportkpi.sources entry point group
# --------------------------------------------------------------------------------------------
#
# A package's preset "acme_desk": Ref -> ticket_id, Opened -> created_at, Medium -> channel with
# its own words (mail -> email, call -> phone).
ACME = Source(
    name="acme_desk",
    title="Acme Desk ticket export (test plugin)",
    docs="tests/test_sources_framework.py",
    fields={
        "ticket_id": Field("Ref"),
        "created_at": Field("Opened"),
        "channel": Field("Medium", vocabulary({"mail": "email", "call": "phone"})),
    },
    signature=frozenset({"Ref", "Opened", "Medium"}),
)
ACME_CSV = (
    "Ref,Opened,Medium\nA-1,2025-04-01T08:00:00Z,mail\nA-2,2025-04-01T09:00:00Z,CALL\nA-3,2025-04-01T10:00:00Z,mail\n"
)


class FakeEntryPoint:
    def __init__(self, name: str, value):
        self.name = name
        self.group = "supportkpi.sources"
        self.value = f"acme_plugin:{name}"
        self._loaded = value

    def load(self):
        return self._loaded


@pytest.fixture
def plugin(monkeypatch):
    real = importlib.metadata.entry_points

    def entry_points(**params):
        if params.get("group") == "supportkpi.sources":
            return [FakeEntryPoint("acme_desk", ACME)]
        return real(**params)

    sources.cache_clear()
    monkeypatch.setattr(importlib.metadata, "entry_points", entry_points)
    try:
        yield ACME
    finally:
        monkeypatch.undo()
        sources.cache_clear()


def test_a_plugin_preset_is_listed(plugin):
    from supportkpi.cli.sources import describe

    assert sources()["acme_desk"] is plugin
    # the built-in presets are still there
    assert "zendesk" in sources()
    listed = {row["name"]: row for row in describe()}
    assert listed["acme_desk"]["columns"] == ["ticket_id", "created_at", "channel"]
    assert "ticket_volume" in listed["acme_desk"]["kpis"]
    assert "aht" in listed["acme_desk"]["not_available"]


def test_a_plugin_preset_is_usable_with_source(plugin, tmp_path):
    path = tmp_path / "acme.csv"
    path.write_text(ACME_CSV, encoding="utf-8")
    loaded = supportkpi.load([str(path)], source="acme_desk")
    assert loaded.inputs[0].source == "acme_desk"
    frame = loaded.frame.collect()
    assert frame["ticket_id"].to_list() == ["A-1", "A-2", "A-3"]
    assert frame["channel"].to_list() == ["email", "phone", "email"]  # "CALL": case ignored
    assert kpis_of(loaded)["ticket_volume"].value == 3
    # and detected from its signature (3 of 3 fields: 1.0)
    detected = supportkpi.load([str(path)]).inputs[0]
    assert (detected.source, detected.confidence) == ("acme_desk", 1.0)


def test_without_the_plugin_acme_desk_is_unknown():
    sources.cache_clear()
    assert "acme_desk" not in sources()
    with pytest.raises(UsageError):
        presets.get("acme_desk")


# --------------------------------------------------------------------------------------------
# supportkpi sources
# --------------------------------------------------------------------------------------------


def test_sources_command_lists_every_preset_with_columns_and_kpis(tmp_path):
    proc = run("sources", "--format", "json", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = {row["name"]: row for row in json.loads(proc.stdout)}
    sources.cache_clear()
    assert set(rows) == set(sources())
    for name, row in rows.items():
        assert row["columns"] == list(sources()[name].provides), name
        # a preset reads contacts or (reviews, social posts) mentions: its table's KPIs only
        if sources()[name].canonical_table == "mentions":
            assert "mention_id" in row["columns"] and "posted_at" in row["columns"], name
            assert "mention_volume" in row["kpis"] and "ticket_volume" not in row["not_available"], name
        else:
            assert "ticket_id" in row["columns"] and "created_at" in row["columns"], name
            assert "ticket_volume" in row["kpis"] and "mention_volume" not in row["not_available"], name
        assert not set(row["kpis"]) & set(row["not_available"]), name
    assert "review_rating" in rows["trustpilot"]["kpis"]
    assert "negative_share" in rows["trustpilot"]["not_available"]
    # Zendesk tickets have no handle-time fields: no AHT (nor its parts)
    assert "aht" not in rows["zendesk"]["kpis"]
    assert "aht" in rows["zendesk"]["not_available"]
    assert "first_response_time" in rows["zendesk"]["kpis"]
    # a contact-center export with talk, hold and after-call work gives AHT
    assert "aht" in rows["five9"]["kpis"]
    assert "aht" in rows["amazon_connect"]["kpis"]
    # the call-center sample layout has talk time but no hold or ACW: talk_time, no AHT
    assert "talk_time" in rows["callcenter_sample"]["kpis"]
    assert "aht" not in rows["callcenter_sample"]["kpis"]


def test_sources_command_table(tmp_path):
    proc = run("sources", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    for name in ("zendesk", "freshdesk", "five9", "salesforce_case"):
        assert name in proc.stdout


def test_kpi_yaml_values_win_over_a_presets_vocabulary(tmp_path):
    # five9's fixture row 9 has CALL TYPE "Web Callback", which the preset does not know
    fixture = Path(__file__).parent / "fixtures" / "sources" / "five9.csv"
    before = supportkpi.load([str(fixture)], source="five9")
    found = supportkpi.compute(before.frame, ["ticket_volume"], inputs=before.inputs).findings
    assert any(f.column == "channel" for f in found)
    after = supportkpi.load([str(fixture)], source="five9", values={"channel": {"Web Callback": "phone"}})
    result = supportkpi.compute(after.frame, ["ticket_volume"], by=["channel"], inputs=after.inputs)
    assert not [f for f in result.findings if f.column == "channel"]
    assert {g.keys["channel"] for g in result.groups} == {"phone"}
