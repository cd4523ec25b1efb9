"""A plan, sentence by sentence, against the quota file that encodes it. Pure: text in, values out.

`sentences(plan)` splits a plan as offices write it (。；; end a sentence; a numbered item or a
heading starts one; a line broken mid-sentence, as a page break leaves it, is joined again);
`measurable(sentence)` says whether it asks for something a ledger can count (a number with a
unit — 次 家 个 场 名 项 亿元 万元 % — or words such as 每月, 不少于, 以上, 确保); `coverage(plan,
targets)` marks each sentence encoded (by which ids), manual, out of scope, or not covered.
Traditional characters (the 聊城 article) are read as well as simplified ones.
"""

import re
from dataclasses import dataclass

from zhaoshang.labels import Coverage as Status

# A sentence ends at these; a `text:` matches its sentence with or without one at its end.
ENDS = "。；;！？!?"
_NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|\d+[、.．]\D|[①-⑳])")
_HEADING_LENGTH = 30  # a line this short without a comma or a full stop is a heading, standing alone
_NUMBER = r"(?:[0-9０-９]+(?:\.[0-9]+)?|[一二两兩三四五六七八九十百千]+)"
_UNIT = r"(?:次|家|条|條|个|個|场|場|名|项|項|亿元|億元|万元|萬元|亿|億|%|％|个百分点|個百分點)"
_ASK = re.compile(
    rf"{_NUMBER}\s*{_UNIT}|每月|每季度|每年|每周|每週|不少于|不少於|不低于|不低於|不超过|不超過|至少|以上|确保|確保"
    # the bulletins, rankings and scores a plan asks for: 季度通报, 一月一汇总, 半月一通报, 竞赛榜, 扣分
    r"|季度通报|季度通報|一月一|半月一|一周一|一週一|双周|雙週|排名|比武|竞赛|競賽|考核|加分|扣分|计分|計分"
)
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sentence:
    text: str
    measurable: bool
    status: Status
    covered_by: tuple[str, ...] = ()
    reason: str | None = None


def key(text: str) -> str:
    """How a sentence and a `text:` are compared: without whitespace, without its closing mark."""
    return _SPACE.sub("", text).rstrip(ENDS)


def _lines(plan: str) -> list[str]:
    """The plan's lines as prose: markdown marks (#, ---, **) and trailing spaces gone."""
    out = []
    for line in plan.splitlines():
        line = line.strip()
        if set(line) <= set("-=*_ ") and line:
            line = ""
        out.append(line.lstrip("#").strip().replace("**", ""))
    return out


def _is_heading(line: str) -> bool:
    return len(line) <= _HEADING_LENGTH and not any(mark in line for mark in "，,。；;")


def sentences(plan: str) -> list[str]:
    """The plan's sentences in order, each without outer whitespace (a line's breaks joined)."""
    out: list[str] = []
    current = ""

    def close() -> None:
        nonlocal current
        if current.strip():
            out.append(current.strip())
        current = ""

    for line in _lines(plan):
        if not line:
            continue  # a blank line alone ends nothing: a page break can fall mid-sentence
        if _NUMBERED.match(line) or _is_heading(line):
            close()
        for char in line:
            current += char
            if char in ENDS:
                close()
        if _is_heading(line):
            close()
    close()
    return [_SPACE.sub("", s) if _cjk_only(s) else _SPACE.sub(" ", s) for s in out]


def _cjk_only(text: str) -> bool:
    """Whether the spaces in a sentence are only line-break artefacts (no Latin words to keep apart)."""
    return re.search(r"[A-Za-z]\s+[A-Za-z]", text) is None


def measurable(sentence: str) -> bool:
    return _ASK.search(sentence) is not None


@dataclass(frozen=True)
class Cover:
    """What a quota file says about sentences: ids by the text they carry, and the listed notes."""

    encoded: dict[str, tuple[str, ...]]  # key(text) -> ids
    manual: dict[str, str]  # key(text) -> reason
    out_of_scope: dict[str, str]


def coverage(plan: str, cover: Cover) -> list[Sentence]:
    found = []
    for text in sentences(plan):
        k = key(text)
        asks = measurable(text)
        if k in cover.encoded:
            found.append(Sentence(text, asks, Status.encoded, cover.encoded[k]))
        elif k in cover.manual:
            found.append(Sentence(text, asks, Status.manual, reason=cover.manual[k]))
        elif k in cover.out_of_scope:
            found.append(Sentence(text, asks, Status.out_of_scope, reason=cover.out_of_scope[k]))
        else:
            found.append(Sentence(text, asks, Status.not_covered if asks else Status.not_measurable))
    return found


def unmatched(plan: str, cover: Cover) -> list[str]:
    """The texts of the file that match no sentence of the plan (a typo, or a different plan)."""
    keys = {key(s) for s in sentences(plan)}
    return [k for k in (*cover.encoded, *cover.manual, *cover.out_of_scope) if k not in keys]
