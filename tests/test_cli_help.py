"""Every command's help is in Chinese (command and option names stay English), every value is
named by a word (`--date 日期`, not `--date <str>`), and at 80 columns no help line runs past the
edge: columns and wrapping count a 汉字 as the two columns a terminal gives it."""

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from zhaoshang.cli import app
from zhaoshang.cli.helptext import display_width, wrap

CJK = re.compile(r"[\u4e00-\u9fff]")


def _commands():
    """(words after `zs`, click command) for the root, every group and every command."""
    from typer._click import Context

    found = []

    def walk(command, words):
        found.append((words, command))
        context = Context(command, info_name="zs")
        for name in getattr(command, "list_commands", lambda _ctx: [])(context):
            walk(command.get_command(context, name), [*words, name])

    walk(get_command(app), [])
    return found


COMMANDS = _commands()


def _help(words: list[str]) -> str:
    result = CliRunner().invoke(app, [*words, "--help"], prog_name="zs", env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    return result.stdout


def test_every_command_and_group_is_listed():
    paths = [" ".join(words) for words, _ in COMMANDS]
    assert len(paths) == 68 and paths[:4] == ["", "init", "demo", "info"]
    assert "log trip" in paths and "report quarter" in paths and "import activities" in paths


@pytest.mark.parametrize("words, command", COMMANDS, ids=[" ".join(w) or "zs" for w, _ in COMMANDS])
def test_help_is_chinese_with_words_for_values_and_fits_80_columns(words, command):
    assert CJK.search(command.help or ""), f"zs {' '.join(words)}: {command.help!r}"
    from typer._click import Context

    for param in command.get_params(Context(command, info_name="zs")):
        if not getattr(param, "hidden", False):
            assert CJK.search(param.help or ""), f"zs {' '.join(words)} {param.name}: {param.help!r}"
    text = _help(words)
    assert not re.search(r"<[a-z_\[\] ]+>", text), text
    assert not re.search(r"\b(INTEGER|BOOLEAN|FLOAT)\b", text), text
    assert "Show this message" not in text and "[required]" not in text and "[default:" not in text
    assert max(display_width(line) for line in text.splitlines()) <= 80, text


def test_values_are_named_by_their_word():
    trip = _help(["log", "trip"])
    for option, word in (("--unit", "单位"), ("--date", "日期"), ("--leader", "人员"), ("--to", "目的地")):
        assert re.search(rf"^  {option} {word}  ", trip, re.MULTILINE), option
    advance = _help(["project", "advance"])
    assert re.search(r"^  --to 阶段  ", advance, re.MULTILINE)  # a project's --to is a stage
    assert re.search(r"^  ID  +项目编号（或项目全称）。 \[必填\]$", advance, re.MULTILINE)
    lines = advance.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("  --date 日期 "))
    assert lines[at].endswith("日期：2023-03-13、2023年3月13日 或 today（今天）。 [默认：")
    assert lines[at + 1] == " " * 19 + "today]"
    assert re.search(r"^  --amount 金额  ", _help(["project", "fund"]), re.MULTILINE)


def test_options_line_up_however_wide_their_words():
    lines = [line for line in _help(["project", "advance"]).splitlines() if line.startswith("  --")]
    starts = {display_width(re.match(r"^  --\S+( \S+)? +", line).group(0)) for line in lines}
    assert starts == {19}, lines  # `  --deadline 日期  `: the widest option, two spaces, then every help


def test_chinese_wraps_between_characters_and_never_before_closing_punctuation():
    text = "开展活动的单位，如 萧镇；联合招商时重复给出（第一个为牵头单位；每个单位各计一次）。"
    assert wrap(text, 20).splitlines() == [
        "开展活动的单位，如",
        "萧镇；联合招商时重复",
        "给出（第一个为牵头单",
        "位；每个单位各计一",
        "次）。",
    ]
    assert wrap("--map 外出时间=日期 keeps words whole", 12).splitlines() == [
        "--map 外出时",
        "间=日期",
        "keeps words",
        "whole",
    ]


def test_a_docstrings_line_break_between_chinese_characters_is_no_space():
    assert wrap("登记外出招商，\n    并对照全年指标 出具报表", 40) == "登记外出招商，并对照全年指标 出具报表"
    assert wrap("two English\n    words", 40) == "two English words"


def test_a_groups_table_shows_each_commands_first_sentence_whole():
    result = CliRunner().invoke(app, ["project"], prog_name="zs", env={"COLUMNS": "80"})
    table = result.stdout.split("Commands:")[1]
    assert "  add        新增项目；--stage 之前各阶段均按 --date 记为节点。\n" in table
    assert "  advance    推进项目阶段；跳过的阶段记在同一天。\n" in table
    for words, command in COMMANDS:
        if hasattr(command, "commands") and words:
            shown = CliRunner().invoke(app, words, prog_name="zs", env={"COLUMNS": "80"}).stdout
            assert "..." not in shown.split("Commands:")[1], words


def test_the_mode_help_names_every_mode_with_its_label():
    from zhaoshang.labels import Mode, label

    trip = next(command for words, command in COMMANDS if words == ["log", "trip"])
    shown = next(p.help for p in trip.params if p.name == "mode")
    assert [m for m in Mode if f"{label(m)} {m.value}" not in shown] == []
