"""Every KPI per vendor and month with ONE DuckDB query (``duckdb_kpis.sql``) over a CSV or
Parquet file of canonical contacts; writes the figures as JSON for ``run.py`` to compare.

    python benchmarks/workloads/duckdb_kpis.py FILE OUT.json

CSV is read with the canonical column types given (no sniffing of types); Parquet keeps its own.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
from _common import COLUMNS, write_results

HERE = Path(__file__).resolve().parent
SQL_TYPES = {"string": "VARCHAR", "datetime": "TIMESTAMPTZ", "float": "DOUBLE", "int": "BIGINT", "bool": "BOOLEAN"}


def source(path: str) -> str:
    quoted = "'" + path.replace("'", "''") + "'"
    if path.endswith(".parquet"):
        return f"read_parquet({quoted})"
    columns = ", ".join(f"'{name}': '{SQL_TYPES[kind]}'" for name, kind in COLUMNS.items())
    return f"read_csv({quoted}, header = true, columns = {{{columns}}})"


def main() -> None:
    path, out = sys.argv[1], sys.argv[2]
    query = (HERE / "duckdb_kpis.sql").read_text().replace("{source}", source(path))
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    write_results(out, [dict(zip(names, row, strict=True)) for row in cursor.fetchall()])


if __name__ == "__main__":
    main()
