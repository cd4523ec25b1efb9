"""Rich tables for the terminal. Columns are (header, justify); cells are already text."""

from collections.abc import Sequence

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

from zhaoshang.render.fmt import shown


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
            overflow="ellipsis" if keep else "fold",
            min_width=cell_len(header),
        )
    for index, row in enumerate(rows):
        table.add_row(*(Text(shown(cell)) for cell in row), style=styles[index] if styles else None)
    (console or Console()).print(table)


def print_fields(title: str, fields: Sequence[tuple[str, str]], console: Console | None = None) -> None:
    """A two-column table of label: value, for one record; text as in `print_table`."""
    table = Table(title=Text(shown(title)), title_justify="left", show_header=False, box=None)
    table.add_column(style="bold")
    table.add_column(overflow="fold")
    for name, value in fields:
        table.add_row(Text(shown(name)), Text(shown(value)))
    (console or Console()).print(table)
