"""Renderers: each turns the same plain values into a terminal table, JSON, a workbook or a document."""

# The width the terminal tables print in, from the command's --width (None: the terminal's own).
# Set for every run of a command that takes the option, so one run's --width never outlives it.
width: int | None = None
