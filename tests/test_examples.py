"""The bundled examples: each generator rebuilds its committed file byte for byte, and the main
example reads as examples/README.md says (no data warning, every target judged, one vendor
slipping)."""

from __future__ import annotations

import json
import runpy
import subprocess
import sys
from pathlib import Path

from cli_support import run

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CONTACTS = EXAMPLES / "contacts.csv"
VENDORS = ["Acme BPO", "Contoso Care", "Fabrikam Helpdesk", "Northwind Support"]


def test_generate_example_rebuilds_the_contacts(tmp_path):
    generator = runpy.run_path(str(EXAMPLES / "generate_example.py"))
    generator["write"](tmp_path / "contacts.csv")
    assert (tmp_path / "contacts.csv").read_bytes() == CONTACTS.read_bytes()


def test_generate_mentions_rebuilds_the_mentions(tmp_path):
    generator = runpy.run_path(str(EXAMPLES / "generate_mentions.py"))
    generator["write"](tmp_path / "mentions.csv")
    assert (tmp_path / "mentions.csv").read_bytes() == (EXAMPLES / "mentions.csv").read_bytes()


def test_the_mentions_example_reads_cleanly_beside_the_contacts(tmp_path):
    # one run, two sections: the contacts' KPIs and the mentions' KPIs, each per vendor
    done = run("compute", CONTACTS, EXAMPLES / "mentions.csv", "--by", "vendor", "-f", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "data:" not in done.stderr
    report = json.loads(done.stdout)
    assert "mention_volume" not in report["groups"][0]["kpis"]
    mentions = report["mentions"]
    assert mentions["table"] == "mentions"
    assert [g["keys"]["vendor"] for g in mentions["groups"]] == ["Acme BPO", "Northwind Support"]
    assert sum(g["kpis"]["mention_volume"]["value"] for g in mentions["groups"]) == 1282


def test_generate_messy_rebuilds_the_messy_contacts(tmp_path):
    # in its own process: the script puts benchmarks/ on sys.path to import the big generator
    out = tmp_path / "contacts.csv"
    code = f"import runpy; runpy.run_path({str(EXAMPLES / 'messy' / 'generate_messy.py')!r})['build']().write_csv({str(out)!r})"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
    assert out.read_bytes() == (EXAMPLES / "messy" / "contacts.csv").read_bytes()


def test_the_first_command_reads_cleanly(tmp_path):
    done = run("compute", CONTACTS, "--by", "vendor", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "data:" not in done.stderr and "Data quality: no findings" in done.stdout
    # the vendors side by side: one column each (the terminal of the tests is 100 columns wide)
    assert "KPIs by vendor" in done.stdout
    header = "\n".join(done.stdout.splitlines()[:6])
    assert all(all(word in header for word in vendor.split()) for vendor in VENDORS)


def test_every_target_is_judged_per_vendor_and_month(tmp_path):
    done = run(
        "scorecard", CONTACTS, "--config", EXAMPLES / "kpi.yaml", "--period", "month", "-f", "json", cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    card = json.loads(done.stdout)
    assert set(card["summary"]) == {"pass", "warn", "fail"}  # no "insufficient data"
    assert min(card["summary"].values()) >= 10
    scores: dict[str, list[float]] = {}
    for group in sorted(card["groups"], key=lambda g: (g["keys"]["vendor"], g["keys"]["period"])):
        assert {check["status"] for check in group["checks"]} <= {"pass", "warn", "fail"}
        scores.setdefault(group["keys"]["vendor"], []).append(group["score"])
    assert sorted(scores) == VENDORS and all(len(months) == 6 for months in scores.values())
    # Acme and Fabrikam on target; Northwind on target in July and August, then slipping
    assert min(scores["Acme BPO"] + scores["Fabrikam Helpdesk"]) >= 85
    northwind = scores["Northwind Support"]
    assert min(northwind[:2]) >= 90 and northwind[2] < 80 and max(northwind[3:]) < 50


def test_each_vendor_answers_in_its_languages(tmp_path):
    generator = runpy.run_path(str(EXAMPLES / "generate_example.py"))
    done = run("compute", CONTACTS, "--by", "vendor,language", "-k", "ticket_volume", "-f", "json", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    volumes = {
        (g["keys"]["vendor"], g["keys"]["language"]): g["kpis"]["ticket_volume"]["value"]
        for g in json.loads(done.stdout)["groups"]
    }
    # the pairs the generator draws from, and every contact in one of them
    assert set(volumes) == {(v, lang) for v, shares in generator["LANGUAGES"].items() for lang in shares}
    assert sum(volumes.values()) == 4340
