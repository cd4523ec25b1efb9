"""The command line as a whole: fast to start, every command explained, in the README."""

import os
import re
import subprocess
import sys

import pytest
from conftest import ROOT, url_of

from zhaoshang.cli import app


def test_importing_the_cli_loads_no_database_spreadsheet_or_yaml_module():
    code = (
        "import sys, zhaoshang.cli; "
        "print(sorted(m for m in ('sqlmodel', 'sqlalchemy', 'openpyxl', 'yaml', 'rich') if m in sys.modules))"
    )
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


def test_the_private_click_that_zs_relies_on_is_still_there():
    """typer vendors click as the private typer._click (typer 0.29); zs imports two names from it.
    pyproject pins typer below 0.30: when that pin is lifted, this says at once whether they moved."""
    import typer
    from typer._click.exceptions import ClickException
    from typer._click.globals import get_current_context

    assert typer.__version__.startswith("0.29.")
    assert issubclass(ClickException, Exception) and ClickException("x").format_message() == "x"
    assert get_current_context(silent=True) is None  # outside a command there is no context


def test_the_private_names_the_help_layout_replaces_are_still_there():
    """cli/helptext.py replaces click's len()-based measure and wrap, and typer's gettext, with its
    own; when typer moves them, help would silently fall back to English and ragged columns."""
    import inspect

    import typer.core
    from typer._click import formatting
    from typer._click.exceptions import NoArgsIsHelpError
    from typer._click.shell_completion import CompletionItem

    from zhaoshang.cli import helptext

    helptext.install()
    assert formatting.term_len is helptext.display_width and formatting.wrap_text is helptext.wrap
    assert typer.core._("required") == "必填"
    assert "term_len(" in inspect.getsource(formatting.HelpFormatter.write_dl)
    assert "wrap_text(" in inspect.getsource(formatting.HelpFormatter.write_dl)
    assert '_("required")' in inspect.getsource(typer.core)
    assert issubclass(NoArgsIsHelpError, Exception) and CompletionItem("萧镇", help="镇街").value == "萧镇"


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
    assert "zs — 招商引资台账：登记外出招商、走访企业、接待客商、招商活动和项目节点，并\n" in out.stdout
    for group in ("init", "unit", "person", "log", "project"):
        assert group in out.stdout


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = re.search(r"Run the tests:\s*```sh\n(.+?)\n```", readme, re.S).group(1).strip()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert command in ci.splitlines()


# --- every value typed is checked at the door --------------------------------------------------


def _field(param) -> str:
    return param.opts[0] if param.param_type_name == "option" else (param.metavar or param.name.upper())


def _typed(kinds):
    """(command path, command, parameter) for every parameter of every command whose value is typed
    as one of `kinds` ('text': anything but a flag or a whole number; 'whole': a whole number)."""
    for path, command in _commands(app):
        for param in command.params:
            annotation = param.type_descriptor.annotation
            kind = "whole" if annotation is int else None if annotation is bool else "text"
            if kind in kinds and param.name != "help":
                yield path, command, param


def _invocation(path, command, target, value) -> list[str]:
    """`path` with `target` set to `value`, every other argument and required option a plain '1'."""
    words = list(path[1:])
    arguments = [p for p in command.params if p.param_type_name == "argument"]
    last = max((i for i, p in enumerate(arguments) if p.required or p is target), default=-1)
    words += [value if p is target else "1" for p in arguments[: last + 1]]
    for p in command.params:
        if p.param_type_name == "option" and (p is target or p.required):
            words += [p.opts[0], value if p is target else "1"]
    return words


BAD_TEXT = [
    ("a\x07b", "it holds U+0007; expected text without control or invisible characters"),
    ("萧\u200b镇", "it holds U+200B; expected text without control or invisible characters"),
    ("\x1b[31m红", "it holds U+001B; expected text without control or invisible characters"),
    ("\udcff", "it holds bytes that are not UTF-8; expected text in UTF-8"),
]


@pytest.mark.engines("sqlite")  # refused at the door, before any ledger is opened: the same on both engines
def test_every_text_option_and_argument_refuses_control_and_invisible_characters(zs):
    typed = list(_typed({"text"}))
    assert len(typed) >= 100, "the walk found too few options to prove anything"
    assert {_field(p) for _, _, p in typed} >= {
        "--note",
        "--unit",
        "--company",
        "--reason",
        "--to",
        "--leader",
        "--db",
        "--date",
        "--amount",
        "ID",
        "NAME",
        "TEXT",
        "FILE",
        "LEDGER",
    }
    for path, command, param in typed:
        for value, expected in BAD_TEXT:
            line = zs.fails(*_invocation(path, command, param, value))
            assert line == f"zs: {_field(param)} {value!r}: {expected}", " ".join(path)


def test_control_characters_in_a_note_and_a_unit_name_are_refused_as_typed(office):
    assert office.fails("log", "trip", "--unit", "萧镇", "--date", "2023-03-01", "--note", "bell\x07") == (
        "zs: --note 'bell\\x07': it holds U+0007; expected text without control or invisible characters"
    )
    assert office.fails("unit", "add", "\x1b[31m红镇", "--kind", "town") == (
        "zs: NAME '\\x1b[31m红镇': it holds U+001B; expected text without control or invisible characters"
    )
    assert office.fails("log", "list", "--unit", "萧\u200b镇") == (
        "zs: --unit '萧\\u200b镇': it holds U+200B; expected text without control or invisible characters"
    )


WHOLE = "expected a whole number from 1 to 2147483647, in digits 0-9"


def test_every_id_and_limit_is_plain_digits_within_what_both_engines_store(zs):
    typed = list(_typed({"whole"}))
    assert {(" ".join(path), _field(p)) for path, _, p in typed} >= {
        ("zs log list", "--limit"),
        ("zs log void", "ID"),
        ("zs project void-fund", "FUND_ID"),
        ("zs history", "--limit"),
    }
    for path, command, param in typed:
        for value in [
            "99999999999999999999",
            "9223372036854775807",
            "2147483648",
            "1" * 5000,
            "１",
            "²",
            "٣",
            "0",
            "00",
            " 5",
            "5 ",
            "1_0",
            "5.0",
            "+5",
            "0x10",
        ]:
            line = zs.fails(*_invocation(path, command, param, value))
            assert line == f"zs: {_field(param)} {value!r}: {WHOLE}", " ".join(path)


def test_the_largest_id_and_limit_are_read_without_overflow(office):
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-01")
    assert [r["id"] for r in office.json("log", "list", "--limit", "2147483647")] == [1]
    assert [r["id"] for r in office.json("log", "list", "--limit", "0001")] == [1]
    assert office.fails("log", "void", "2147483647", "--reason", "x") == (
        "zs: id 2147483647: expected the id of a logged activity (see `zs log list`)"
    )
    assert office.fails("project", "void-fund", "2147483647", "--reason", "x") == (
        "zs: id 2147483647: expected the id of a recorded fund (see `zs project show`)"
    )
    assert office.fails("project", "show", "2147483647") == (
        "zs: project '2147483647': expected the id of an existing project (see `zs project list`)"
    )


def test_argv_bytes_that_are_not_utf8_are_one_line(tmp_path):
    env = {**os.environ, "ZS_DB": str(tmp_path / "ledger.db")}
    out = subprocess.run(
        [sys.executable, "-m", "zhaoshang", "log", "list", "--unit", b"\xff\xfe"], capture_output=True, env=env
    )
    assert out.returncode == 1
    assert out.stderr.decode() == (
        "zs: --unit '\\udcff\\udcfe': it holds bytes that are not UTF-8; expected text in UTF-8\n"
    )
    assert not (tmp_path / "ledger.db").exists()


# --- text stored before the door was there never reaches the terminal raw ----------------------


def test_control_characters_already_in_the_ledger_are_shown_escaped(office, monkeypatch):
    from sqlalchemy import create_engine, text

    monkeypatch.setenv("COLUMNS", "400")  # no cell wraps

    office(
        "project",
        "add",
        "电池项目",
        "--unit",
        "萧镇",
        "--amount",
        "2亿",
        "--stage",
        "在谈",
        "--key",
        "--date",
        "2023-03-01",
    )
    office("project", "note", "1", "对接中", "--date", "2023-03-10")
    office("log", "trip", "--unit", "萧镇", "--date", "2023-03-02", "--note", "备注")
    engine = create_engine(url_of(office.db))
    with engine.begin() as conn:  # as a ledger written before the checks, or merged from one, holds them
        conn.execute(text("UPDATE unit SET name = :name WHERE name = '萧镇'"), {"name": "萧\x1b[31m镇"})
        conn.execute(text("UPDATE project SET name = :name"), {"name": "电池\u202e项目[/x]"})
        conn.execute(text("UPDATE project_note SET text = :text"), {"text": "响铃\x07"})
        conn.execute(text("UPDATE activity SET note = :note"), {"note": "换行\n备注\x9b"})
    engine.dispose()
    outputs = {
        "unit list": office("unit", "list").stdout,
        "person list": office("person", "list").stdout,
        "log list": office("log", "list").stdout,
        "project list": office("project", "list").stdout,
        "project show": office("project", "show", "1").stdout,
        "report month": office("report", "month", "--month", "2023-03", "--as-of", "2023-03-31").stdout,
    }
    for command, out in outputs.items():
        assert not re.search("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202e]", out), command
        assert "萧\\x1b[31m镇" in out, command
    assert "电池\\u202e项目[/x]" in outputs["project show"]
    assert "响铃\\x07" in outputs["project show"] and "响铃\\x07" in outputs["report month"]
    assert "换行\\n备注\\x9b" in outputs["log list"]


def test_a_fault_zs_did_not_foresee_is_still_one_line(office, monkeypatch):
    from zhaoshang import ledger

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(ledger, "list_units", broken)
    assert office.fails("unit", "list", code=70) == (
        "zs: unexpected error (RuntimeError: boom); the ledger is as it was; ZS_DEBUG=1 shows where, to report it"
    )
    monkeypatch.setenv("ZS_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        office("unit", "list")


def test_the_readme_layout_names_every_module_and_each_one_that_speaks_sql():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    layout = readme.split("## Layout", 1)[1].split("\n## ", 1)[0]
    speaking = layout.split("Speaking SQL", 1)[1].split("bench/", 1)[0]
    package = ROOT / "zhaoshang"
    for path in sorted(package.rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py") or path.parent.name == "cli":
            continue
        name = path.relative_to(package).as_posix()
        shown = name.removeprefix("render/")
        assert shown in layout, f"{name} is not in the README's Layout"
        source = path.read_text(encoding="utf-8")
        sql = re.search(r"^\s*(from (sqlalchemy|sqlmodel)\b|import (sqlalchemy|sqlmodel|sqlite3)\b)", source, re.M)
        if sql:
            assert shown in speaking, f"{name} speaks SQL but is not listed under 'Speaking SQL'"
        if name in ("quota.py", "reports.py", "parse.py", "window.py") or name.startswith("render/"):
            assert not sql, f"{name} is meant to be free of SQL"
