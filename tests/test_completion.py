"""TAB completes commands, the ledger's unit and person names, and the domain's codes, in bash,
zsh and fish; `--install-completion` writes the script where the shell reads it."""

import pytest
from typer.testing import CliRunner

from zhaoshang.cli import app


def complete(shell: str, line: str, **env) -> list[str]:
    """What `zs` offers when TAB is pressed at the end of `line` in `shell` (as the script that
    --install-completion writes asks it: the words in the environment)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    variables = {
        "_ZS_COMPLETE": f"complete_{shell}",
        "COMP_WORDS": line,
        "COMP_CWORD": str(cword),
        "_TYPER_COMPLETE_ARGS": line,
        "_TYPER_COMPLETE_FISH_ACTION": "get-args",
        **env,
    }
    result = CliRunner().invoke(app, [], env=variables, prog_name="zs")
    assert result.exit_code == 0, result.output
    return [line for line in result.stdout.splitlines() if line]


def test_bash_completes_commands_and_the_ledgers_units(office, monkeypatch):
    monkeypatch.setenv("ZS_DB", str(office.db))
    assert complete("bash", "zs re") == ["report", "restore"]
    assert complete("bash", "zs log trip --unit ") == [
        "区投资促进中心",
        "区文化旅游部",
        "区社会事务部",
        "区经济发展部",
        "商家镇",
        "萧镇",
    ]
    assert complete("bash", "zs log trip --unit 萧") == ["萧镇"]
    assert complete("bash", "zs project add P1 --stage 在") == ["在谈"]
    assert complete("bash", "zs project add P1 --stage neg") == ["negotiating"]


def test_a_person_two_units_share_is_offered_as_unit_slash_name(office, monkeypatch):
    monkeypatch.setenv("ZS_DB", str(office.db))
    office("person", "add", "王明", "--unit", "商家镇")
    offered = complete("fish", "zs log visit --leader 王")
    assert offered == ["商家镇/王明\t商家镇", "萧镇/王明\t萧镇"]
    assert complete("fish", "zs log trip --with 陈") == ["陈静\t商家镇"]


def test_zsh_shows_each_code_with_its_other_spelling(office, monkeypatch):
    monkeypatch.setenv("ZS_DB", str(office.db))
    assert complete("zsh", "zs project advance 1 --to 签") == ['_arguments \'*: :(("签约":"signed"))\'']
    assert complete("zsh", "zs project fund 1 --origin 省") == [
        '_arguments \'*: :(("省外":"out_of_province"',
        '"省内市外":"other_city"',
        '"省内":"local"))\'',
    ]


def test_an_option_that_means_two_things_completes_by_its_command(office, monkeypatch):
    monkeypatch.setenv("ZS_DB", str(office.db))
    assert complete("bash", "zs project advance 1 --to 投") == ["投产"]
    assert complete("bash", "zs log trip --to 上") == []  # a destination: any place
    assert complete("bash", "zs log event --type 推") == ["推介会"]
    assert complete("bash", "zs project add P1 --type 增") == ["增资"]
    assert complete("bash", "zs unit add 新镇 --kind 园") == ["园区"]


@pytest.mark.engines("sqlite")
def test_a_missing_ledger_completes_no_names_and_is_not_made(tmp_path):
    missing = tmp_path / "typo.db"
    assert complete("bash", f"zs log trip --db {missing} --unit ") == []
    assert complete("bash", "zs log trip --unit ", ZS_DB=str(missing)) == []
    assert complete("bash", "zs log trip --mode 短", ZS_DB=str(missing)) == ["短频快"]
    assert not missing.exists()


@pytest.mark.engines("sqlite")
@pytest.mark.parametrize(
    "shell, script, rc",
    [
        ("bash", ".bash_completions/zs.sh", ".bashrc"),
        ("zsh", ".zfunc/_zs", ".zshrc"),
        ("fish", ".config/fish/completions/zs.fish", None),
    ],
)
def test_install_completion_writes_the_script_the_shell_reads(tmp_path, monkeypatch, shell, script, rc):
    monkeypatch.setenv("HOME", str(tmp_path))
    # The shell is named here; a user's `zs --install-completion` finds the shell it runs in.
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = CliRunner().invoke(app, ["--install-completion", shell], prog_name="zs")
    assert result.exit_code == 0, result.output
    assert f"{shell} completion installed in {tmp_path / script}" in result.stdout
    assert "_ZS_COMPLETE" in (tmp_path / script).read_text()
    if rc is not None:
        assert "zs" in (tmp_path / rc).read_text()
    shown = CliRunner().invoke(app, ["--show-completion", shell], prog_name="zs")
    assert shown.exit_code == 0 and "_ZS_COMPLETE=complete_" + shell in shown.stdout


def _listed(help_text: str) -> list[str]:
    """The command names of a help text's Commands table, in order."""
    import re

    return re.findall(r"^  (\S+)  ", help_text.split("Commands:")[1], re.MULTILINE)


def test_bare_zs_lists_every_command_and_a_bare_group_its_own():
    from zhaoshang.cli.errors import COMMANDS

    runner = CliRunner()
    bare = runner.invoke(app, [], prog_name="zs")
    assert bare.exit_code == 0 and bare.stderr == ""
    assert bare.stdout.startswith("Usage: zs [OPTIONS] COMMAND [ARGS]...")
    assert _listed(bare.stdout) == list(COMMANDS)
    group = runner.invoke(app, ["log"], prog_name="zs")  # a command is still missing: exit 2
    assert group.exit_code == 2 and group.stdout.startswith("Usage: zs log [OPTIONS] COMMAND [ARGS]...")
    assert _listed(group.stdout) == ["trip", "visit", "reception", "event", "meeting", "list", "void"]
