"""What a run tells as it goes: :class:`Listener`, silent here; the command line's prints
(``supportkpi.cli.speak``)."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any


class Listener:
    """What a run tells as it goes. This one is silent; the command line prints (``quiet``:
    whether it would print nothing, so that a run need not collect what nobody reads)."""

    quiet = True

    def working(self, what: str, inputs: Sequence[Any]) -> AbstractContextManager[Any]:
        """Around a long computation; the context's value takes the engine's steps (``.step``)."""
        return nullcontext(_NoSteps())

    def bounded(self, inputs: Sequence[Any]) -> None:
        """Before a bounded (out-of-core) pass over ``inputs``. polars reads its memory budget
        (``POLARS_OOC_MEMORY_BUDGET_MB``) once, when imported, so it cannot be set here: the CLI
        sets it from its arguments before polars loads (``supportkpi.cli.budget``); a program
        that runs large inputs sets it before importing polars."""

    def read(self, inputs: Sequence[Any]) -> None:
        """The inputs as read (path, format, source preset and how sure its detection was)."""

    def findings(self, findings: Sequence[Any]) -> None:
        """Data-quality findings of a computation."""

    def left_out(self, what: str, counts: dict[str, int]) -> None:
        """Contacts ``what`` left out, per reason."""

    def orders(self, result: Any, path: str) -> None:
        """Orders and contacts :meth:`Run.clv` left out."""


class _NoSteps:
    def step(self, doing: str) -> None:
        pass
