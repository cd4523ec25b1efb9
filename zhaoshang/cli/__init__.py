"""`zs`: the command line. One module per command group; each is imported only when its
commands run (or their help is asked for), so `zs --help` answers at once."""

import typer

from zhaoshang.cli.door import CheckedAtTheDoor

app = typer.Typer(
    cls=CheckedAtTheDoor,
    # Plain help: rich's help renderer costs ~50 ms of imports on every `zs --help`.
    rich_markup_mode=None,
    name="zs",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    # --install-completion / --show-completion for bash, zsh, fish and PowerShell; what each option
    # completes is set where its command is loaded (cli.door, zhaoshang.complete).
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},  # every subcommand inherits -h
)


def _version(asked: bool) -> None:
    if asked:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"zs {version('zhaoshang')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("zs (not installed: run from the source tree)")
        raise typer.Exit()


@app.callback()
def root(
    show_version: bool = typer.Option(
        False, "--version", help="显示 zs 的版本后退出。", is_eager=True, callback=_version
    ),
    create: bool = typer.Option(False, "--create", help="台账不存在时由本命令新建（否则只有 zs init 会新建）。"),
) -> None:
    """zs — 招商引资台账：登记外出招商、走访企业、接待客商、招商活动和项目节点，
    并对照全年指标出具报表。"""
    from zhaoshang.invocation import CREATE

    CREATE.set(create)


def main() -> None:
    app()
