"""Where the ledger and the quota file are found. Standard library only (imported by the CLI)."""

import os
import sys
from pathlib import Path

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
    if targets:
        return Path(targets)
    if os.environ.get("ZS_TARGETS"):
        return Path(os.environ["ZS_TARGETS"])
    local = Path("config") / "targets.yaml"
    return local if local.is_file() else shipped_targets()
