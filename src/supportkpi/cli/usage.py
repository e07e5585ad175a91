"""How ``--help`` reads: every value named by its metavar (``--by COLUMNS``, ``FILE...``), flags
without a type (a flag takes no value, where Typer would write ``<bool>``), arguments in the usage
line as ``FILE...`` or ``[PATH]`` (not ``{files}...``), and each command's examples.

Typer builds the commands with :class:`Command` and the program with :class:`Group` (see
``supportkpi.cli``); both change only how parameters are shown (the help, the usage line, the
name a usage error gives an argument: "Missing argument 'FILE...'"), never how they are parsed."""

from __future__ import annotations

from typing import Any

from typer import core


class _Argument(core.TyperArgument):
    """An argument shown by its metavar alone: in the usage line ``FILE...`` when required,
    ``[PATH]`` when not, and no ``<list[str]>`` type beside it in the Arguments panel."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None

    def get_usage_pieces(self, ctx: Any) -> list[str]:
        name = self.metavar or self.name or ""
        return [name if self.required else f"[{name}]"]


class _ReadableHelp:
    """The parameters of a command or group (with the ``--help`` option and those Typer adds
    for shell completion) shown as above."""

    def get_params(self, ctx: Any) -> list[Any]:
        params: list[Any] = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if isinstance(param, core.TyperArgument):
                param.__class__ = _Argument
            elif isinstance(param, core.TyperOption) and param.is_flag and param.metavar is None:
                param.metavar = ""
        return params


class Command(_ReadableHelp, core.TyperCommand):
    """A command whose ``--help`` reads naturally."""


class Group(_ReadableHelp, core.TyperGroup):
    """The program (``supportkpi --help``), whose options read naturally."""


def examples(*cases: tuple[str, str]) -> str:
    """The "Examples:" block of a command's help (its epilog) from (what it shows, the command
    line) pairs; an exit code other than 0 is named in what it shows ("exits 1 when ...").

    >>> print(examples(("Every KPI", "supportkpi compute examples/contacts.csv")))
    Examples:
    Every KPI:
      supportkpi compute examples/contacts.csv
    """
    lines = ["Examples:"]
    for what, command in cases:
        lines += [f"{what}:", f"  {command}"]
    return "\n".join(lines)
