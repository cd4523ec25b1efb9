"""CSV on standard output, for a spreadsheet: the headers and cells a table shows.

UTF-8 with a BOM, written as bytes whatever the terminal's encoding: Excel on a Chinese Windows
reads a CSV without a BOM as GB18030 and turns every Chinese character into another; with the BOM it
opens the file right, and `zs import` (like Python's utf-8-sig) reads it back either way. Text that
looks like a formula (= + - @) is written behind an apostrophe, as `zs export` writes it
(tabular.write_csv), so that a spreadsheet shows it and never runs it.
"""

import csv
import io
from collections.abc import Iterable, Sequence

import typer

from zhaoshang.tabular import _csv_text as csv_text


def print_csv(headers: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Write the headers and then each row as it comes (a generator of a million rows streams)."""
    out = io.TextIOWrapper(typer.get_binary_stream("stdout"), encoding="utf-8-sig", newline="", write_through=True)
    try:
        writer = csv.writer(out)
        writer.writerow(headers)
        for row in rows:
            writer.writerow([csv_text(cell) for cell in row])
        out.flush()
    finally:
        out.detach()  # standard output stays open for whatever comes after
