"""supportkpi: the neutral calculator of customer-support KPIs.

The Python API mirrors the CLI: :class:`Run` does what the commands do (kpi.yaml, inputs,
compute, scorecard, check, compare, ...); :func:`load` reads exports into canonical columns,
:func:`compute` computes KPIs per group, :func:`kpi` computes one KPI over a frame.
"""

from __future__ import annotations

from supportkpi.api import Run

__all__ = ["Run", "__version__", "compute", "kpi", "load"]


def __getattr__(name: str):
    # Imported on first use so that `supportkpi --help` does not pay for polars, nor for
    # importlib.metadata (which alone takes longer to import than --help's own modules).
    if name == "__version__":
        return _installed_version()
    if name in ("compute", "kpi"):
        from supportkpi import engine

        return getattr(engine, name)
    if name == "load":
        from supportkpi.loading import load

        return load
    raise AttributeError(name)


def _installed_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("supportkpi")
    except PackageNotFoundError:  # running from a source tree that was not installed
        found = "0.0.0+unknown"
    globals()["__version__"] = found  # looked up once
    return found
