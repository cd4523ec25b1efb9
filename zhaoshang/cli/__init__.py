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
        False, "--version", help="Print the version of zs and exit.", is_eager=True, callback=_version
    ),
    create: bool = typer.Option(
        False, "--create", help="Let the command make its ledger where there is none (else only zs init does)."
    ),
) -> None:
    """zs — the investment-promotion ledger (招商引资台账): record trips, visits, receptions, events and
    project milestones; report them against the year's quotas."""
    from zhaoshang.invocation import CREATE

    CREATE.set(create)


def main() -> None:
    app()
