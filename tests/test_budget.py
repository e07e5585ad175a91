"""polars' memory budget, decided from the command line before polars loads
(supportkpi.cli.budget): the row estimate without polars, and which runs get the budget."""

from __future__ import annotations

import os
import subprocess
import sys

import polars as pl
import pytest

from supportkpi import engine
from supportkpi.cli import budget


def test_threshold_is_the_engines():
    assert budget.IN_MEMORY_ROWS == engine.IN_MEMORY_ROWS


@pytest.mark.parametrize("rows", [0, 1, 7, 1000, 123_457])
def test_parquet_rows_from_the_footer(tmp_path, rows):
    path = tmp_path / "contacts.parquet"
    frame = pl.DataFrame(
        {
            "ticket_id": [f"T{i}" for i in range(rows)],
            "csat": [float(i % 5) for i in range(rows)],
            "escalated": [i % 2 == 0 for i in range(rows)],
            "nested": [[i, i + 1] for i in range(rows)],
        }
    )
    frame.write_parquet(path, row_group_size=1000)
    assert budget.parquet_rows(str(path)) == rows
    assert budget.estimated_rows(["compute", str(path), "--by", "vendor"]) == rows


def test_text_rows_from_size_and_head(tmp_path):
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"a,b\n" + b"10,20\n" * 999)  # 4 + 6*999 bytes; head mean line 6 bytes
    assert budget.text_rows(str(path)) == (4 + 6 * 999) // ((4 + 6 * 999) // 1000)
    assert budget.estimated_rows([str(path), str(tmp_path), "-", "missing.csv"]) == budget.text_rows(str(path))


def test_not_parquet_counts_nothing(tmp_path):
    path = tmp_path / "fake.parquet"
    path.write_bytes(b"not parquet at all")
    assert budget.estimated_rows([str(path)]) == 0


def _budget_in_child(args: list[str], env: dict[str, str] | None = None) -> str:
    """What the budget is when polars would load, in a fresh interpreter (this one has polars)."""
    code = (
        "import os, sys; from supportkpi.cli import budget; "
        f"budget.prepare({args!r}); print(os.environ.get(budget.OUT_OF_CORE_BUDGET, '-'))"
    )
    environment = {k: v for k, v in os.environ.items() if k != budget.OUT_OF_CORE_BUDGET}
    out = subprocess.run(
        [sys.executable, "-c", code], env={**environment, **(env or {})}, capture_output=True, text=True, check=True
    )
    return out.stdout.strip()


def test_bounded_runs_get_the_budget_and_in_memory_runs_do_not(tmp_path):
    small = tmp_path / "small.csv"
    small.write_text("ticket_id\nT1\n")
    assert _budget_in_child(["compute", str(small), "--memory", "bounded"]) == budget.BOUNDED_BUDGET_MB
    assert _budget_in_child(["compute", str(small), "--memory=bounded"]) == budget.BOUNDED_BUDGET_MB
    assert _budget_in_child(["compute", str(small)]) == "-"
    assert _budget_in_child(["compute", str(small), "--memory", "in-memory"]) == "-"
    # a budget the user set is kept
    assert _budget_in_child(["compute", str(small), "--memory", "bounded"], {budget.OUT_OF_CORE_BUDGET: "77"}) == "77"


def test_auto_is_bounded_above_the_threshold(tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    big.write_text("ticket_id\nT1\n")
    monkeypatch.setattr(budget, "text_rows", lambda path: budget.IN_MEMORY_ROWS + 1)
    monkeypatch.delitem(sys.modules, "polars")  # as before polars loads
    # set, then removed, so that monkeypatch restores the environment whatever prepare sets
    monkeypatch.setenv(budget.OUT_OF_CORE_BUDGET, "0")
    monkeypatch.delenv(budget.OUT_OF_CORE_BUDGET)
    assert budget.prepare(["compute", str(big)])
    assert os.environ[budget.OUT_OF_CORE_BUDGET] == budget.BOUNDED_BUDGET_MB
