"""Rich tables for the terminal. Columns are (header, justify); cells are already text.

A table wraps, and never crops: text columns wrap within the terminal's width (`--width N`, else
the terminal's, else $COLUMNS, else 80 when piped), each at least as wide as its longest name up
to NAME_CELLS, so that 区投资促进中心 reads 区投资促进 / 中心 and not in two-character stubs; dates,
ids and figures stay whole on one line, and so does a date, an id or a figure inside a cell that
wraps (a stage and its date); where the table cannot fit so, names wrap shorter, down to three
characters. A table that cannot fit even then is printed as wide as it must be, every
column there, rather than cut at the edge.
"""

import re
from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

import zhaoshang.render
from zhaoshang.render.fmt import shown

NAME_CELLS = 10  # five Chinese characters or a date: a wrapped name or date is cut no shorter …
SHORTEST = 6  # … unless the table cannot fit the width so: then down to three characters, no fewer


def terminal() -> Console:
    """The console tables print to: --width wide when given, else as wide as rich finds the terminal."""
    return Console(width=zhaoshang.render.width) if zhaoshang.render.width else Console()


# What stays whole inside a wrapping cell: a date, an id, a figure with its unit (签约 2023-09-20,
# #12, 4.3699亿元, 2023年): a column is never narrower than the widest of them.
WHOLE = re.compile(r"[#\d][\d\-.:/%~,]*(?:亿元|万元|元|年|月|日|%)?")


def fit(table: Table, floor: int = NAME_CELLS) -> Table:
    """Each wrapping column at least as wide as its longest cell up to `floor` (its header's, if
    wider) and as its widest date, id or figure; a one-line column (no_wrap) as wide as its
    longest cell."""
    for column in table.columns:
        texts = [c.plain if isinstance(c, Text) else str(c) for c in column.cells]
        longest = max(map(cell_len, texts), default=0)
        header = column.header.plain if isinstance(column.header, Text) else str(column.header)
        if column.no_wrap:
            least = longest
        else:
            whole = max((cell_len(w) for t in texts for w in WHOLE.findall(t)), default=0)
            least = max(min(longest, floor), whole)
        column.min_width = max(least, min(cell_len(header), floor))
    return table


def show(out: Console, table: Table) -> None:
    """Print `table` fitted: within the console's width if its names can wrap to it at NAME_CELLS,
    or else at fewer (never below SHORTEST); a table that still cannot fit is printed as wide as its
    narrowest form, uncropped (a terminal folds the long lines; a file keeps them whole)."""
    for floor in range(NAME_CELLS, SHORTEST - 1, -2):
        least = narrowest(fit(table, floor))
        if least <= out.width:
            break
    if least <= out.width:
        out.print(table, crop=False)
        return
    width = out.width  # rich prints no wider than its console: widened for this table, then put back
    out.width = least
    try:
        out.print(table, crop=False)
    finally:
        out.width = width


def narrowest(table: Table) -> int:
    """The fewest cells across a fitted table takes with every column at its min_width, its padding
    and its rules. (Rich's own minimum counts a name without spaces whole, as one word: a Chinese
    name would never wrap; squeezed below this, rich shrinks every column alike, names to nothing.)"""
    _, right, _, left = table.padding
    rules = (len(table.columns) + 1) if table.box and table.show_edge else max(len(table.columns) - 1, 0)
    return sum((column.min_width or 0) + left + right for column in table.columns) + (rules if table.box else 0)


def print_table(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[str]],
    styles: Sequence[str | None] | None = None,
    console: Console | None = None,
) -> None:
    """Columns are (header, justify) with justify 'left', 'right' (figures) or 'nowrap' (dates, ids:
    kept on one line). The title and cells are plain text, never read as markup, with control and
    invisible characters shown as escapes (`fmt.shown`); `styles` styles each row."""
    table = Table(title=Text(shown(title)), title_justify="left", header_style="bold")
    for header, justify in columns:
        keep = justify in ("right", "nowrap")
        table.add_column(
            header,
            justify="left" if justify == "nowrap" else justify,
            no_wrap=keep,
            overflow="fold",
            min_width=cell_len(header),
        )
    for index, row in enumerate(rows):
        table.add_row(*(Text(shown(cell)) for cell in row), style=styles[index] if styles else None)
    show(console or terminal(), table)


def print_fields(title: str, fields: Sequence[tuple[str, str]], console: Console | None = None) -> None:
    """A two-column table of label: value, for one record; text as in `print_table`."""
    table = Table(title=Text(shown(title)), title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for name, value in fields:
        table.add_row(Text(shown(name)), Text(shown(value)))
    show(console or terminal(), table)
