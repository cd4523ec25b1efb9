"""The root command group: any refusal, usage slip or domain error becomes one line on stderr."""

import os
import re
import shlex
import sys

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from zhaoshang.errors import ZsError
from zhaoshang.invocation import COMMAND

# name -> (module, attribute: a command group or a single command function, one line of help).
# Listed here so that `zs --help` need not import them; loaded when one of them is used.
COMMANDS = {
    "init": ("zhaoshang.cli.setup", "init", "Create the ledger and load the units and people of targets.yaml."),
    "demo": ("zhaoshang.cli.setup", "demo", "Build a plausible year of 文昌湖区 records and print the bulletin."),
    "info": ("zhaoshang.cli.setup", "info", "Which ledger and targets file are used here, and why; what they hold."),
    "unit": ("zhaoshang.cli.org", "units", "Units 单位: the centre, towns, parks, departments, groups."),
    "person": ("zhaoshang.cli.org", "people", "People 人员: who leads trips, who is responsible for projects."),
    "log": ("zhaoshang.cli.log", "app", "Activities 活动: trips, visits, receptions, events, meetings."),
    "project": ("zhaoshang.cli.project", "app", "Projects 项目: stages, funds arrived 到位资金, progress notes."),
    "company": (
        "zhaoshang.cli.company",
        "app",
        "Companies 客商库: tiers (世界500强 …), the records naming each, duplicates merged.",
    ),
    "figure": (
        "zhaoshang.cli.figure",
        "app",
        "Reported figures 手工填报: 外贸进出口, 实际使用外资 … per period and unit.",
    ),
    "targets": ("zhaoshang.cli.targets", "app", "Quotas 指标: check targets.yaml and see what it asks for."),
    "report": ("zhaoshang.cli.report", "app", "Reports 报表: month, quarter, year, campaign, rank, score, alerts."),
    "import": ("zhaoshang.cli.transfer", "imports", "Import 导入: activities or projects from .csv or .xlsx."),
    "template": (
        "zhaoshang.cli.template",
        "template",
        "Write a fill-in workbook 填报模板 for the towns: the import's headers, dropdowns, 填报说明.",
    ),
    "export": ("zhaoshang.cli.transfer", "export", "Export the whole ledger as xlsx, csv or json."),
    "merge": ("zhaoshang.cli.transfer", "merge", "Merge another ledger (a county that began alone) into this one."),
    "history": ("zhaoshang.cli.changes", "history", "Every change to the ledger: when, who, what."),
    "undo": ("zhaoshang.cli.changes", "undo", "Reverse the latest change (recorded too)."),
    "backup": ("zhaoshang.cli.store", "backup", "Write a consistent copy of the ledger."),
    "restore": ("zhaoshang.cli.store", "restore", "Put a backup back as the ledger (the current one kept aside)."),
}


UNEXPECTED = 70  # EX_SOFTWARE: a fault in zs, not in what was typed


class OneLineErrors(TyperGroup):
    """The root `zs` group. Runs the command; prints `zs: <what is wrong>` as a single line and exits
    non-zero on error — 1 for a refused input or change (ZsError), 2 for a usage error (unknown
    option, missing argument), as click does, 70 for a fault zs did not foresee (its traceback
    with ZS_DEBUG=1). Subcommands are loaded on first use (COMMANDS).
    """

    def list_commands(self, ctx) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx, name: str):
        if name not in COMMANDS:
            return None
        from importlib import import_module

        from typer.main import get_command

        module, attribute, _ = COMMANDS[name]
        target = getattr(import_module(module), attribute)
        if not isinstance(target, typer.Typer):
            single = typer.Typer(rich_markup_mode=None)
            single.command(name=name)(target)
            target = single
        command = get_command(target)
        command.name = name
        return command

    def format_commands(self, ctx, formatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        words = list(sys.argv[1:] if args is None else args)
        COMMAND.set(" ".join(["zs", *(_quote(str(w)) for w in words)]))
        try:
            result = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except ZsError as exc:
            if not standalone_mode:
                raise
            _fail(str(exc), 1)
        except NoArgsIsHelpError as exc:  # bare `zs` (or `zs log`): the commands there are, in full
            if not standalone_mode:
                raise
            typer.echo(exc.ctx.get_help())
            sys.exit(0 if exc.ctx.parent is None else 2)  # a bare group still lacks its command
        except ClickException as exc:
            if not standalone_mode:
                raise
            _fail(exc.format_message(), exc.exit_code, hint=getattr(exc, "ctx", None))
        except (typer.Abort, KeyboardInterrupt):
            if not standalone_mode:
                raise
            _fail("aborted", 130)
        except Exception as exc:  # a fault zs did not foresee: still one line (every write rolled back)
            if not standalone_mode or os.environ.get("ZS_DEBUG"):
                raise
            _fail(
                f"unexpected error ({type(exc).__name__}: {exc}); the ledger is as it was; "
                "ZS_DEBUG=1 shows where, to report it",
                UNEXPECTED,
            )
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
