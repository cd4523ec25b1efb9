"""The root command group: any refusal, usage slip or domain error becomes one line on stderr."""

import os
import re
import shlex
import sys

import typer
from typer._click.exceptions import ClickException, NoArgsIsHelpError
from typer.core import TyperGroup

from zhaoshang.cli import helptext
from zhaoshang.errors import ZsError
from zhaoshang.invocation import COMMAND

helptext.install()

# name -> (module, attribute: a command group or a single command function, one line of help).
# Listed here so that `zs --help` need not import them; loaded when one of them is used.
COMMANDS = {
    "init": ("zhaoshang.cli.setup", "init", "新建台账，载入 targets.yaml 中的单位和人员。"),
    "demo": ("zhaoshang.cli.setup", "demo", "生成文昌湖区两年的示例记录并打印通报。"),
    "info": ("zhaoshang.cli.setup", "info", "此处使用哪个台账和指标文件、为什么；其中有什么。"),
    "unit": ("zhaoshang.cli.org", "units", "单位：投促中心、镇街、园区、部门、招商小组。"),
    "person": ("zhaoshang.cli.org", "people", "人员：外出带队的人、项目责任人。"),
    "log": ("zhaoshang.cli.log", "app", "活动：外出招商、走访企业、接待客商、招商活动、调度会。"),
    "project": ("zhaoshang.cli.project", "app", "项目：阶段、到位资金、推进情况。"),
    "company": (
        "zhaoshang.cli.company",
        "app",
        "客商库：企业类别（世界500强 …）、涉及各企业的记录、合并重名。",
    ),
    "figure": (
        "zhaoshang.cli.figure",
        "app",
        "手工填报：外贸进出口、实际使用外资 … 按期间和单位。",
    ),
    "targets": ("zhaoshang.cli.targets", "app", "指标：校验 targets.yaml，看它要求什么。"),
    "report": ("zhaoshang.cli.report", "app", "报表：月报、季报、年报、专项活动、竞赛榜、年终考核、预警。"),
    "import": ("zhaoshang.cli.transfer", "imports", "导入：从 .csv 或 .xlsx 导入活动、项目、客商、填报数。"),
    "template": (
        "zhaoshang.cli.template",
        "template",
        "写出供镇街填报的填报模板：导入所需表头、下拉选项、填报说明。",
    ),
    "export": ("zhaoshang.cli.transfer", "export", "把整个台账导出为 xlsx、csv 或 json。"),
    "merge": ("zhaoshang.cli.transfer", "merge", "把另一个台账（单独起步的县区）并入本台账。"),
    "history": ("zhaoshang.cli.changes", "history", "台账的每一次修改：何时、何人、改了什么。"),
    "undo": ("zhaoshang.cli.changes", "undo", "撤销最近一次修改（撤销也有记录）。"),
    "backup": ("zhaoshang.cli.store", "backup", "备份：写出台账的一致副本。"),
    "restore": ("zhaoshang.cli.store", "restore", "用备份恢复台账（现有台账另存一旁）。"),
}


UNEXPECTED = 70  # EX_SOFTWARE: a fault in zs, not in what was typed

# The help of the options click and typer add themselves.
HELP_OPTION = "显示此帮助后退出。"
OWN_OPTIONS = {
    "install_completion": "为当前 shell（bash、zsh、fish、PowerShell）安装命令补全。",
    "show_completion": "显示当前 shell 的补全脚本，以便复制或自行安装。",
}


def in_chinese(help_option):
    """The -h/--help option of a command, its help said in Chinese (None: the command has none)."""
    if help_option is not None:
        help_option.help = HELP_OPTION
    return help_option


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
            single = typer.Typer(rich_markup_mode=None, add_completion=False)  # completion: on the root only
            single.command(name=name)(target)
            target = single
        command = get_command(target)
        command.name = name
        return command

    def format_commands(self, ctx, formatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, short) for name, (_, _, short) in COMMANDS.items()])

    def get_help_option(self, ctx):
        return in_chinese(super().get_help_option(ctx))

    def get_params(self, ctx):
        params = super().get_params(ctx)
        for param in params:  # the options typer adds, said as every other option is
            param.help = OWN_OPTIONS.get(param.name, param.help)
        return params

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
