"""The root command group: any refusal, usage slip or domain error becomes one line on stderr."""

import re
import shlex
import sys

import typer
from typer._click.exceptions import ClickException
from typer.core import TyperGroup

from zhaoshang.errors import ZsError
from zhaoshang.invocation import COMMAND


class OneLineErrors(TyperGroup):
    """Run the command; print `zs: <what is wrong>` as a single line and exit non-zero on error.

    Exit status: 1 for a refused input or change (ZsError), 2 for a usage error (unknown
    option, missing argument), as click does.
    """

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        words = list(sys.argv[1:] if args is None else args)
        COMMAND.set(" ".join(["zs", *(_quote(str(w)) for w in words)]))
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ZsError as exc:
            if not standalone_mode:
                raise
            _fail(str(exc), 1)
        except ClickException as exc:
            if not standalone_mode:
                raise
            _fail(exc.format_message(), exc.exit_code, hint=getattr(exc, "ctx", None))
        except (typer.Abort, KeyboardInterrupt):
            if not standalone_mode:
                raise
            _fail("aborted", 130)
        if not standalone_mode:
            return result
        sys.exit(result if isinstance(result, int) else 0)


def _quote(word: str) -> str:
    """Quote a word for the history only where a shell would need it (Chinese stays readable)."""
    return shlex.quote(word) if not word or re.search(r"[\s'\"\\$`!*?;&|<>(){}\[\]#~]", word) else word


def _fail(message: str, code: int, hint=None) -> None:
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    if hint is not None and hint.command_path:
        line += f" (see `{hint.command_path} --help`)"
    typer.echo(f"zs: {line}", err=True)
    sys.exit(code)
