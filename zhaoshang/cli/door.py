"""Every value typed on the command line is checked here, before any command sees it.

Text — names, notes, reasons, paths, dates, amounts as typed — holds no control or invisible
format character (`parse.check_text`) and no byte that is not UTF-8 (Python hands such argv bytes
over as lone surrogates). A whole number — an id, `--limit` — is plain digits 0-9 (not ２, ² or ٣,
which Python's int() reads too), from 1 to the largest id both database engines store. A value
refused is one line naming the option, the value and what is expected.

The root group applies the checks to every parameter of every command it loads, so a new option
is checked without anyone remembering to.
"""

import re

from zhaoshang.cli.errors import OneLineErrors
from zhaoshang.errors import ZsError

_SURROGATE = re.compile("[\ud800-\udfff]")


class CheckedAtTheDoor(OneLineErrors):
    """The root `zs` group: OneLineErrors, with every loaded command's parameters checked at the door."""

    def get_command(self, ctx, name: str):
        command = super().get_command(ctx, name)
        if command is not None:
            _guard(command, name)
        return command


def _guard(command, group: str) -> None:
    for sub in getattr(command, "commands", {}).values():
        _guard(sub, group)
    for param in command.params:
        if param.type_descriptor.annotation is not bool:
            param.process_value = _checking(param, param.process_value)
        _completing(param, group)


def _completing(param, group: str) -> None:
    """TAB after an option that names a unit, a person or a code offers the ledger's names or the
    code's spellings (zhaoshang.complete decides which option completes what)."""
    from zhaoshang.complete import completer

    values = next((found for opt in param.opts if (found := completer(group, opt)) is not None), None)
    if values is None:
        return

    def complete(ctx, incomplete: str):
        from typer._click.shell_completion import CompletionItem

        from zhaoshang.paths import ledger_location

        ledger = ledger_location(ctx.params.get("db") or None)
        return [CompletionItem(typed, help=shown) for typed, shown in values(ledger, incomplete)]

    param.shell_complete = complete


def _checking(param, process_value):
    """`process_value` (typer's coercion of the raw value) with the raw value checked first."""
    field = param.opts[0] if param.param_type_name == "option" else (param.metavar or param.name.upper())
    whole = param.type_descriptor.annotation is int

    def checked(ctx, value):
        for raw in value if isinstance(value, (list, tuple)) else (value,):
            if isinstance(raw, str):
                typed_text(raw, field)
            if whole and raw is not None:
                whole_number(raw, field)
        return process_value(ctx, value)

    return checked


def typed_text(text: str, field: str) -> str:
    """`text` unchanged if it is text a user may type: UTF-8, no control or invisible character."""
    from zhaoshang.parse import check_text

    if _SURROGATE.search(text):
        raise ZsError(field, text, "text in UTF-8", "it holds bytes that are not UTF-8")
    return check_text(text, field)


def whole_number(value: str | int, field: str) -> int:
    """A count or an id typed in plain digits 0-9, from 1 to the largest id the ledger stores."""
    from zhaoshang.ledger import MAX_ID, as_id

    number = as_id(str(value))
    if number is None:
        raise ZsError(field, value, f"a whole number from 1 to {MAX_ID}, in digits 0-9")
    return number
