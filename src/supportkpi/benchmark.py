"""Industry benchmark figures shown beside a comparison: a YAML file of published figures, each
with its source and year. ``ecommerce`` ships with the package (``data/benchmarks/``); users
can point ``--benchmark`` at their own file of the same shape::

    name: my-industry
    title: Our sector's figures
    benchmarks:
      - {kpi: csat, value: 85, statistic: average, segment: retail, source: "...", year: 2024}
      - {kpi: first_response_time, channel: email, value: "12h", statistic: median, ...}

Figures are context, not targets: sources define KPIs their own way (each entry's ``note``).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from supportkpi.config import Level, level_in_unit

BUILT_IN = ("ecommerce",)


class Figure(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    kpi: str
    value: Level
    channel: str | None = None
    statistic: str = "average"
    segment: str | None = None
    source: str
    url: str | None = None
    year: int = Field(ge=1990, le=2100)
    note: str | None = None


class BenchmarkFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    description: str | None = None
    benchmarks: list[Figure] = Field(min_length=1)


@dataclass(frozen=True)
class Resolved:
    """A figure in the KPI's unit."""

    value: float
    statistic: str
    year: int
    source: str
    segment: str | None
    note: str | None = None


@dataclass
class Benchmark:
    spec: BenchmarkFile
    origin: str

    def figure(self, kpi: str, channel: str | None, unit: str) -> Resolved | None:
        """The figure for a KPI (and channel, when the comparison is by channel; a figure with
        no channel applies to all), in ``unit``; None when the file has none."""
        # a figure for one channel is shown only for that channel; one without a channel only
        # where contacts are not split by channel (it may not describe every channel)
        candidates = [f for f in self.spec.benchmarks if f.kpi == kpi and f.channel == channel]
        for item in candidates:
            try:
                value = level_in_unit(item.value, unit)
            except ValueError:
                continue
            return Resolved(value, item.statistic, item.year, item.source, item.segment, item.note)
        return None

    def sources(self) -> list[str]:
        seen = dict.fromkeys(f"{f.source}, {f.year}" + (f" ({f.url})" if f.url else "") for f in self.spec.benchmarks)
        return [f"Benchmark '{self.spec.name}' ({self.origin}): {self.spec.title}; sources: " + "; ".join(seen)]

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.spec.name, "origin": self.origin, **self.spec.model_dump(exclude={"name"})}


def load_benchmark(name: str) -> Benchmark:
    """A built-in table by name, or a YAML file. Raises FileNotFoundError or ValueError with a
    one-line message."""
    if name in BUILT_IN:
        text = (files("supportkpi") / "data" / "benchmarks" / f"{name}.yaml").read_text(encoding="utf-8")
        origin = f"built in: {name}"
    else:
        path = Path(name)
        if not path.is_file():
            raise FileNotFoundError(f"no benchmark '{name}' (built in: {', '.join(BUILT_IN)}; or a YAML file)")
        text, origin = path.read_text(encoding="utf-8"), str(path)
    try:
        spec = BenchmarkFile.model_validate(yaml.safe_load(text))
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "(top level)"
        raise ValueError(f"{origin}: not a benchmark file: {where}: {first['msg']}") from None
    except yaml.YAMLError as exc:
        raise ValueError(f"{origin}: not valid YAML: {str(exc).splitlines()[0]}") from None
    return Benchmark(spec, origin)
