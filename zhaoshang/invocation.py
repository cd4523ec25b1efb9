"""The command line being run, so that the change history can say what was typed. Stdlib only."""

from contextvars import ContextVar

COMMAND: ContextVar[str] = ContextVar("command", default="")
