"""The command line as a whole: fast to start, every command explained, in the README."""

import re
import subprocess
import sys

from conftest import ROOT

from zhaoshang.cli import app


def test_importing_the_cli_loads_no_database_spreadsheet_or_yaml_module():
    code = ("import sys, zhaoshang.cli; "
            "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'openpyxl', 'yaml', 'rich') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _commands(group, ctx=None, prefix=("zs",)):
    """Every leaf command as ('zs', 'log', 'trip') with its click object, loading lazy groups."""
    from typer.main import get_command

    command = get_command(group) if ctx is None else group
    ctx = ctx or command.make_context("zs", [], resilient_parsing=True)
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if hasattr(sub, "list_commands"):
            yield from _commands(sub, ctx, (*prefix, name))
        else:
            yield (*prefix, name), sub


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = dict(_commands(app))
    assert len(commands) >= 30
    for path, command in commands.items():
        assert (command.help or "").strip(), f"{' '.join(path)} has no help text"
        assert re.search(rf"`{' '.join(path)}\b", readme), f"`{' '.join(path)}` is not in README.md"
        for param in command.params:
            if param.name != "help" and getattr(param, "param_type_name", "") == "option":
                assert (param.help or "").strip(), f"{' '.join(path)} {param.opts[0]} has no help text"


def test_zs_help_runs_as_a_program():
    out = subprocess.run([sys.executable, "-m", "zhaoshang", "--help"], capture_output=True, text=True)
    assert out.returncode == 0
    assert "investment-promotion ledger" in out.stdout
    for group in ("init", "unit", "person", "log", "project"):
        assert group in out.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"Run the tests:\s*```sh\n(.+?)\n```", readme, re.S).group(1).strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()
