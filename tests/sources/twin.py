"""The "canonical twin" check every preset test makes: the same contacts written by hand in
canonical columns give the same KPIs as the preset's reading of the real export."""

from __future__ import annotations

import pytest


def assert_same_kpis(got: dict, want: dict) -> None:
    """Same KPIs, each with the same availability, n, value and statistics (to 1e-9)."""
    assert got.keys() == want.keys()
    for kpi_id, expected in want.items():
        result = got[kpi_id]
        assert (result.n, result.available) == (expected.n, expected.available), kpi_id
        if expected.value is None or result.value is None:
            assert result.value == expected.value, kpi_id
        else:
            assert result.value == pytest.approx(expected.value, abs=1e-9), kpi_id
        for name, value in expected.stats.items():
            assert result.stats[name] == pytest.approx(value, abs=1e-9), (kpi_id, name)
