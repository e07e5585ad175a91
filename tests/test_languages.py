"""The contact's language: how its spellings are read (codes, locale tags, three-letter codes,
English and native names), the headers that name it, unknown values reported and kept in the
KPIs, and language as a grouping and override dimension (targets, SLA policies, scorecard,
check), each worked out by hand.

The data set (created 2025-03-03 08:00 UTC; the language column is headed ``Sprache``):

    ticket vendor channel priority Sprache                   read as  first reply after
    1      Acme   email   normal   de-DE                     de       1 h
    2      Acme   email   normal   Deutsch                   de       3 h
    3      Acme   chat    normal   German                    de       6 min
    4      Beta   email   normal   en                        en       2 h
    5      Beta   email   urgent   English (United States)   en       5 h
    6      Beta   email   normal   fr_FR                     fr       9 h
    7      Beta   email   normal   Klingon                   (none)   4 h   unknown: reported
    8      Acme   email   normal   (blank)                   (none)   7 h

By language: de 3 contacts (median first response of 1 h, 3 h, 0.1 h = 1 h), en 2 (2 h, 5 h ->
3.5 h), fr 1 (9 h), no language 2 (4 h, 7 h -> 5.5 h); 8 contacts in all, none left out.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from textwrap import dedent

import polars as pl
import pytest
from cli_support import run
from hypothesis import given
from hypothesis import strategies as st

import supportkpi
from supportkpi import words
from supportkpi.config import parse_config
from supportkpi.engine import breaches
from supportkpi.errors import ConfigError
from supportkpi.languages import ALIASES, ISO_639_1, LANGUAGES, language_code, language_of, name_key
from supportkpi.scorecard import scorecard
from supportkpi.targets import build_checks

# --- reading a language ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("de", "de"),
        ("DE", "de"),
        (" de ", "de"),
        ("de-DE", "de"),
        ("de_AT", "de"),
        ("de_DE.UTF-8", "de"),
        ("pt_BR", "pt"),
        ("pt-br", "pt"),
        ("zh-Hant-TW", "zh"),
        ("zh_Hans", "zh"),
        ("sr-Latn-RS", "sr"),
        ("deu", "de"),
        ("ger", "de"),
        ("GER", "de"),
        ("eng", "en"),
        ("fre", "fr"),
        ("fil", "tl"),
        ("German", "de"),
        ("german", "de"),
        ("Deutsch", "de"),
        ("Español", "es"),
        ("espanol", "es"),
        ("ESPAÑOL", "es"),
        ("français", "fr"),
        ("Francais", "fr"),
        ("日本語", "ja"),
        ("中文 (简体)", "zh"),
        ("한국어", "ko"),
        ("Русский", "ru"),
        ("Türkçe", "tr"),
        ("Tiếng Việt", "vi"),
        ("Bahasa Indonesia", "id"),
        ("English (United States)", "en"),
        ("Portuguese (Brazil)", "pt"),
        ("nb-NO", "no"),  # Bokmål counted as Norwegian
        ("Nynorsk", "no"),
        ("iw", "he"),  # Java's withdrawn code for Hebrew
        ("yo", "yo"),  # any ISO 639-1 code, named or not
    ],
)
def test_spellings_are_read_as_the_iso_639_1_code(written, code):
    assert language_of(written) == code


@pytest.mark.parametrize("written", ["Klingon", "auto", "und", "xx-XX", "e", "Brazilian", "", "   ", None])
def test_what_is_no_known_language_is_none(written):
    assert language_of(written) is None


def test_every_listed_spelling_in_any_case_is_its_code():
    # one column of every spelling as listed, upper-cased and lower-cased with spaces around
    # (read as a column: a thousand one-value reads took six seconds)
    written, wanted = [], []
    for code, spellings in LANGUAGES.items():
        for spelling in spellings:
            written += [spelling, spelling.upper(), f"  {spelling.lower()} "]
            wanted += [ALIASES.get(code, code)] * 3
    read = pl.DataFrame({"written": written}).select(language_code(pl.col("written"))).to_series().to_list()
    assert [(w, r) for w, r, want in zip(written, read, wanted, strict=True) if r != want] == []
    assert language_of(written[0]) == wanted[0]


def test_no_two_languages_share_a_spelling():
    seen: dict[str, str] = {}
    for code, spellings in LANGUAGES.items():
        for spelling in spellings:
            key = name_key(spelling)
            assert seen.setdefault(key, code) == code, (spelling, seen[key], code)
            assert key not in ISO_639_1 or key == code, spelling  # a name is never another's code


def test_there_are_183_codes_and_the_common_languages_have_names():
    assert len(ISO_639_1) == 183
    assert set(LANGUAGES) <= ISO_639_1
    assert len(LANGUAGES) >= 40


@given(st.text(max_size=20))
def test_a_reading_is_a_code_or_none_and_reading_it_again_changes_nothing(text):
    code = language_of(text)
    assert code is None or code in ISO_639_1
    if code is not None:
        assert language_of(code) == code


def test_the_expression_reads_a_column_and_keeps_blanks_null():
    frame = pl.DataFrame({"lang": ["de", "en-GB", "Français", "Klingon", "", None]})
    assert frame.select(language_code(pl.col("lang"))).to_series().to_list() == ["de", "en", "fr", None, None, None]


# --- headers ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["lang", "Lang", "locale", "Locale", "Sprache", "Customer Language", "language_code"]
)
def test_headers_that_name_the_language(header):
    assert words.header_column(header) == "language"


# --- loading and --by language ------------------------------------------------------------------

ROWS = [
    # ticket, vendor, channel, priority, language as written, hours to the first reply
    ("1", "Acme", "email", "normal", "de-DE", 1),
    ("2", "Acme", "email", "normal", "Deutsch", 3),
    ("3", "Acme", "chat", "normal", "German", 0.1),
    ("4", "Beta", "email", "normal", "en", 2),
    ("5", "Beta", "email", "urgent", "English (United States)", 5),
    ("6", "Beta", "email", "normal", "fr_FR", 9),
    ("7", "Beta", "email", "normal", "Klingon", 4),
    ("8", "Acme", "email", "normal", "", 7),
]


def reply(hours: float) -> str:
    minutes = round(hours * 60)
    return f"2025-03-03T{8 + minutes // 60:02d}:{minutes % 60:02d}:00Z"


@pytest.fixture
def export(tmp_path: Path) -> Path:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["ticket_id", "vendor", "channel", "priority", "Sprache", "created_at", "first_response_at"])
    for ticket, vendor, channel, priority, language, hours in ROWS:
        writer.writerow([ticket, vendor, channel, priority, language, "2025-03-03T08:00:00Z", reply(hours)])
    path = tmp_path / "contacts.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


@pytest.fixture
def loaded(export):
    return supportkpi.load([str(export)])


def test_the_language_is_read_under_a_synonym_header(loaded):
    frame = loaded.frame.collect().sort("ticket_id")
    assert frame["language"].to_list() == ["de", "de", "de", "en", "en", "fr", None, None]


def test_by_language_by_hand_and_the_unknown_value_is_reported_not_dropped(loaded):
    result = supportkpi.compute(
        loaded.frame, ["ticket_volume", "first_response_time"], by=["language"], inputs=loaded.inputs
    )
    got = {
        g.keys["language"]: (g.kpis["ticket_volume"].value, g.kpis["first_response_time"].value) for g in result.groups
    }
    assert got == {
        "de": (3, pytest.approx(1.0)),
        "en": (2, pytest.approx(3.5)),
        "fr": (1, pytest.approx(9.0)),
        None: (2, pytest.approx(5.5)),
    }
    (finding,) = [f for f in result.findings if f.column == "language"]
    assert finding.kind == "unknown value" and finding.count == 1
    assert "stays in every KPI" in finding.effect
    (example,) = finding.examples
    assert (example["row"], example["value"]) == (7, "Klingon")


def test_compute_by_language_on_the_command_line(export, tmp_path):
    ran = run("compute", export, "-k", "ticket_volume", "--by", "language", "-f", "csv", cwd=tmp_path)
    assert ran.returncode == 0, ran.stderr
    rows = [r for r in csv.DictReader(io.StringIO(ran.stdout)) if r["kpi"] == "ticket_volume"]
    assert [(r["language"], r["value"]) for r in rows] == [("de", "3"), ("en", "2"), ("fr", "1"), ("", "2")]
    assert "'Klingon'" in ran.stderr and "row 7" in ran.stderr


# --- kpi.yaml -----------------------------------------------------------------------------------


def test_a_language_in_kpi_yaml_is_read_like_the_contacts():
    config = parse_config(
        "targets:\n  - {kpi: csat, warn: 80, overrides: [{language: German, warn: 70}, {language: pt-BR, warn: 60}]}\n"
        "sla:\n  - {name: reply, metric: first_response_time, targets: [{language: Español, hours: 4}]}\n"
    )
    assert [o.conditions for o in config.targets[0].overrides] == [{"language": "de"}, {"language": "pt"}]
    assert config.sla[0].targets[0].conditions == {"language": "es"}


def test_an_unknown_language_in_kpi_yaml_is_an_error_with_its_line():
    with pytest.raises(ConfigError) as info:
        parse_config(
            dedent("""\
            targets:
              - kpi: csat
                warn: 80
                overrides:
                  - {language: Klingon, warn: 70}
            """),
            "kpi.yaml",
        )
    assert info.value.line == 5 and "language 'Klingon' is no known language" in str(info.value)


# --- targets per language -----------------------------------------------------------------------

TARGETS = """\
vendors: {Acme: {}, Beta: {}}
targets:
  - kpi: first_response_time
    warn: 4h
    fail: 8h
    overrides:
      - {language: German, warn: 2h, fail: 3h}
      - {language: en, warn: 3h, fail: 4h}
      - {channel: chat, warn: 5 min, fail: 10 min}
      - {priority: urgent, warn: 1h, fail: 6h}
      - {vendor: Acme, warn: 8h, fail: 10h}
"""


def test_language_ranks_below_channel_and_priority_and_above_vendor():
    (check,) = build_checks(parse_config(TARGETS))
    # chat in German: the channel's
    assert check.levels_for({"channel": "chat", "language": "de"})[0].warn == pytest.approx(5 / 60)
    # urgent in English: the priority's
    assert check.levels_for({"priority": "urgent", "language": "en"})[0].warn == pytest.approx(1.0)
    # Acme in German: the language's
    assert check.levels_for({"vendor": "Acme", "language": "de"})[0].warn == pytest.approx(2.0)
    # two conditions beat one, whichever they are
    two = parse_config(TARGETS + "      - {vendor: Acme, language: de, warn: 30 min, fail: 1h}\n")
    (check,) = build_checks(two)
    assert check.levels_for({"vendor": "Acme", "language": "de", "channel": "chat"})[0].warn == pytest.approx(0.5)


def test_scorecard_slices_contacts_by_language_by_hand(loaded):
    card = scorecard(loaded.frame, parse_config(TARGETS), inputs=loaded.inputs)
    got = [(r.slice_text, r.value, r.n, r.status) for r in card.results]
    assert got == [
        ("channel=chat", pytest.approx(0.1), 1, "warn"),  # ticket 3 (German): 6 min, over 5
        ("language=de", pytest.approx(2.0), 2, "pass"),  # 1 h and 3 h: median 2 h, exactly at warn
        ("language=en", pytest.approx(2.0), 1, "pass"),  # ticket 4; 5 (urgent) is the priority's
        ("priority=urgent", pytest.approx(5.0), 1, "warn"),  # over 1 h, not over 6 h
        ("vendor=Acme", pytest.approx(7.0), 1, "pass"),  # ticket 8, no language
        ("other", pytest.approx(6.5), 2, "warn"),  # tickets 6 and 7: 9 h and 4 h
    ]
    # one check shares its weight among its slices: (50 + 100 + 100 + 50 + 100 + 50) / 6
    assert card.scores[0].score == pytest.approx(75.0)


@pytest.mark.parametrize(
    ("german", "extra", "code", "status"),
    [
        ("{language: German, warn: 2h, fail: 3h}", [], 0, "pass"),  # the others only warn
        ("{language: German, warn: 2h, fail: 3h}", ["--fail-on", "warn"], 4, "pass"),
        ("{language: de-DE, warn: 1h, fail: 90 min}", [], 1, "fail"),  # German median 2 h
    ],
)
def test_check_judges_the_language_slices(export, tmp_path, german, extra, code, status):
    config = tmp_path / "kpi.yaml"
    config.write_text(TARGETS.replace("{language: German, warn: 2h, fail: 3h}", german))
    ran = run("check", export, "--config", config, "-f", "json", *extra, cwd=tmp_path)
    assert ran.returncode == code, ran.stdout + ran.stderr
    german_slice = [c for g in json.loads(ran.stdout)["groups"] for c in g["checks"] if c["slice"] == "language=de"]
    assert [(c["value"], c["status"]) for c in german_slice] == [(pytest.approx(2.0), status)]


# --- SLA policies per language ------------------------------------------------------------------

SLA = """\
sla:
  - name: reply
    metric: first_response_time
    clock: calendar
    targets:
      - {language: Deutsch, hours: 2}
      - {language: en-GB, hours: 4}
"""


def test_sla_policy_per_language_by_hand(loaded):
    # German 2 h: 1 h met, 3 h late, 6 min met; English 4 h: 2 h met, 5 h late; French and no
    # language: no target. 3 met of 5 = 60 %; by language: de 2 of 3, en 1 of 2
    config = parse_config(SLA)
    result = supportkpi.compute(loaded.frame, ["sla_compliance"], sla=config.sla, inputs=loaded.inputs)
    kpi = result.groups[0].kpis["sla_compliance.reply"]
    assert (kpi.value, kpi.n) == (pytest.approx(60.0), 5)
    assert kpi.excluded["no target for this contact"] == 3
    by = supportkpi.compute(loaded.frame, ["sla_compliance"], by=["language"], sla=config.sla, inputs=loaded.inputs)
    values = {g.keys["language"]: g.kpis["sla_compliance.reply"].value for g in by.groups}
    assert values["de"] == pytest.approx(200 / 3) and values["en"] == pytest.approx(50.0)
    late, _ = breaches(loaded.frame, config.sla)
    assert late.sort("ticket_id").select("ticket_id", "language", "target_hours").rows() == [
        ("2", "de", 2.0),
        ("5", "en", 4.0),
    ]
