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

from zhaoshang.cli.errors import OneLineErrors, in_chinese
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
        if sub.short_help is None and sub.help:  # the group's command table: the first sentence, whole
            sub.short_help = first_sentence(sub.help)
    own = command.get_help_option
    command.get_help_option = lambda ctx: in_chinese(own(ctx))
    for param in command.params:
        if param.type_descriptor.annotation is not bool:
            param.process_value = _checking(param, param.process_value)
            _naming(param, group)
        _completing(param, group)


# What the value of each option is, as its help shows it (`--date 日期`, not `--date <str>`); one
# place, so that every command says the same word for the same thing. GROUP_VALUE_WORDS: where a
# group's option means more (`project advance --to` is a stage, `log trip --to` a place). An
# argument keeps the word in capitals that the README's command table uses (FILE, ID, NAME).
VALUE_WORDS = {
    "--amount": "金额",
    "--increase": "金额",
    "--value": "数值",
    "--date": "日期",
    "--as-of": "日期",
    "--since": "日期",
    "--end": "日期",
    "--deadline": "日期",
    "--due": "日期",
    "--month": "月份",
    "--quarter": "季度",
    "--year": "年份",
    "--period": "期间",
    "--unit": "单位",
    "--unit-prefix": "前缀",
    "--leader": "人员",
    "--with": "人员",
    "--owner": "人员",
    "--assignee": "人员",
    "--company": "企业",
    "--project": "项目",
    "--at": "活动编号",
    "--campaign": "活动代号",
    "--contact": "联系方式",
    "--industry": "行业",
    "--currency": "币种",
    "--origin": "来源",
    "--tier": "企业类别",
    "--no-tier": "企业类别",
    "--stage": "阶段",
    "--remove-stage": "阶段",
    "--mode": "方式",
    "--kind": "类型",
    "--type": "类型",
    "--role": "职务",
    "--name": "名称",
    "--note": "备注",
    "--reason": "原因",
    "--limit": "条数",
    "--width": "列数",
    "--key": "列名",
    "--map": "列名=字段",
    "--money-unit": "元|万元|亿元",
    "--format": "xlsx|csv|json",
    "--db": "台账",
    "--targets": "文件",
    "--xlsx": "文件",
    "--docx": "文件",
    "--errors": "文件",
    "--to": "目的地",
}
GROUP_VALUE_WORDS = {("project", "--to"): "阶段"}
ARGUMENT_WORDS = {"name": "NAME", "old": "OLD", "new": "NEW", "plan": "PLAN", "text": "TEXT", "path": "PATH"}


def _naming(param, group: str) -> None:
    if param.param_type_name != "option":
        if param.metavar is None and param.name in ARGUMENT_WORDS:
            param.metavar = ARGUMENT_WORDS[param.name]
        param.display_type_rich = lambda ctx=None: None  # `ID`, not `ID <str>`: the help says what it is
        return
    option = param.opts[0]
    word = GROUP_VALUE_WORDS.get((group, option)) or VALUE_WORDS.get(option)
    if word is not None:
        param.metavar = word


def first_sentence(text: str) -> str:
    """A command's help up to its first 。, its first paragraph's lines joined as help joins them
    (click would cut it at 45 characters and end it in ...)."""
    from zhaoshang.cli.helptext import wrap

    joined = wrap(text.strip().split("\n\n")[0], width=10_000)
    end = joined.find("。")
    return joined if end < 0 else joined[: end + 1]


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
