"""Where the ledger and the quota file are found. Standard library only (imported by the CLI)."""

import os
import stat
import sys
from pathlib import Path

from zhaoshang.errors import ZsError

_PACKAGE = Path(__file__).resolve().parent


def default_ledger() -> Path:
    """The per-user ledger: $XDG_DATA_HOME/zs/ledger.db (or %APPDATA%\\zs\\ledger.db on Windows)."""
    if sys.platform == "win32":
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "zs" / "ledger.db"


def ledger_location(db: str | None) -> str:
    """--db, else ZS_DB, else the per-user ledger."""
    return db or os.environ.get("ZS_DB") or str(default_ledger())


def shipped_targets() -> Path:
    """The targets.yaml shipped with zs: inside the installed package, or in the source tree."""
    installed = _PACKAGE / "data" / "targets.yaml"
    if installed.is_file():
        return installed
    return _PACKAGE.parent / "config" / "targets.yaml"


def targets_location(targets: str | None) -> Path:
    """--targets, else ZS_TARGETS, else ./config/targets.yaml, else the shipped copy."""
    if targets is not None:
        if not targets:
            raise ZsError("--targets", targets, "the path of a targets.yaml")
        return Path(targets)
    if os.environ.get("ZS_TARGETS"):
        return Path(os.environ["ZS_TARGETS"])
    local = Path("config") / "targets.yaml"
    return local if local.is_file() else shipped_targets()


def open_input(path: Path, field: str, expected: str = "a readable file", **text):
    """A file to read, opened only if it is a regular file: a pipe, a device such as /dev/zero or a
    folder is refused in one line before anything waits on it or reads it forever. Binary unless
    `text` gives open()'s encoding (and newline)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))  # a pipe with no writer must not block
    except (OSError, ValueError) as exc:  # ValueError: a NUL in the path
        raise ZsError(field, str(path), expected, getattr(exc, "strerror", None) or str(exc)) from exc
    kind = os.fstat(fd).st_mode
    if not stat.S_ISREG(kind):
        os.close(fd)
        what = "a folder" if stat.S_ISDIR(kind) else "a pipe or a device"
        raise ZsError(field, str(path), "a regular file", f"it is {what}")
    os.set_blocking(fd, True)
    return os.fdopen(fd, "r" if text else "rb", **text)
