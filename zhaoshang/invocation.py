"""The command line being run, so that the change history can say what was typed. Stdlib only."""

from contextvars import ContextVar

COMMAND: ContextVar[str] = ContextVar("command", default="")

# `zs --create …`: the command may make the ledger it names where there is none (else only `zs init` does).
CREATE: ContextVar[bool] = ContextVar("create", default=False)
