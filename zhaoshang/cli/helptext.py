"""`--help` laid out for Chinese text: columns aligned and lines wrapped by the width a terminal
gives each character (two for 汉字 and full-width punctuation), and the few words click and typer
add themselves ([required], [default: …]) in Chinese.

click measures and wraps text by len(), which is right for English and half the width of Chinese:
options whose value words are Chinese (`--date 日期`) would stand out of their column, and help
lines run past the terminal's edge. typer < 0.30 vendors click as typer._click (pinned in
pyproject.toml; tests/test_cli_surface.py fails loudly when these names move).
"""

import re
import unicodedata

import typer.core
from typer._click import formatting

WORDS = {"required": "必填", "default: {default}": "默认：{default}"}

# A run of characters that stays whole on a line: a Latin word, or one wide character with the
# punctuation that may not begin a line (，。、；：）」 …) after it.
_WIDE = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_WIDE}][，。、；：！？）」』》〉%％…]*|[^\s{_WIDE}]+")


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: two for a wide (East Asian) character, none for an escape."""
    text = re.sub(r"\x1b\[[0-9;]*m", "", text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def wrap(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "", preserve_paragraphs=False):
    """click's wrap_text, by display width: paragraphs (split at blank lines) filled greedily, a
    Latin word kept whole, Chinese broken between characters but never before closing punctuation."""
    paragraphs = re.split(r"\n\s*\n", text) if preserve_paragraphs else [text]
    out = []
    for number, paragraph in enumerate(paragraphs):
        lines: list[str] = []
        line = initial_indent if number == 0 else subsequent_indent
        used, start = display_width(line), len(line)
        gap = ""
        for token in _TOKEN.findall(paragraph.strip()):
            if token.isspace():
                gap = token
                continue
            # The writer's own spaces, one each; a docstring's line break between two 汉字 is none.
            joined = "\n" in gap and display_width(token[0]) == 2 and display_width(line[-1:]) == 2
            space = " " if gap and len(line) > start and not joined else ""
            gap = ""
            needed = display_width(space + token)
            if used + needed > width and len(line) > start:
                lines.append(line)
                line, start = subsequent_indent, len(subsequent_indent)
                used, space = display_width(line), ""
                needed = display_width(token)
            line += space + token
            used += needed
        lines.append(line)
        out.append("\n".join(lines))
    return "\n\n".join(out)


def _chinese(message: str) -> str:
    return WORDS.get(message, message)


def install() -> None:
    """Measure and wrap help by display width; say click's and typer's own words in Chinese."""
    formatting.term_len = display_width
    formatting.wrap_text = wrap
    typer.core._ = _chinese
