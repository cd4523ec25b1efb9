"""A long import, export, merge, backup or demo shows a bar on a terminal's stderr, and only there;
what the command prints on stdout is the same with or without it."""

import os
import pty
import re
import sys
import time

import pytest

from zhaoshang import progress
from zhaoshang.cli import app

ENGINES = ("sqlite",)


class Terminal:
    """stderr a terminal (a pty) while the block runs (pytest puts its own stderr back at the start
    of each test, so it is set in the test itself); `received()`: its text, escapes removed."""

    def __enter__(self):
        self.leader, follower = pty.openpty()
        os.set_blocking(self.leader, False)
        self.tty = os.fdopen(follower, "w", encoding="utf-8", buffering=1)
        self.saved, sys.stderr = sys.stderr, self.tty
        return self

    def __exit__(self, *_):
        sys.stderr = self.saved
        self.tty.close()
        os.close(self.leader)

    def received(self) -> str:
        self.tty.flush()
        chunks = []
        while True:
            try:
                chunk = os.read(self.leader, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", b"".join(chunks).decode("utf-8", "replace"))


def test_a_job_past_the_delay_shows_its_title_and_last_count(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.05)
    with Terminal() as terminal:
        with progress.shown("导入 台账.xlsx", "行"):
            for _ in range(4):
                time.sleep(0.1)
                progress.advance(1500)
        frames = [f for f in re.split(r"[\r\n]", terminal.received()) if "导入 台账.xlsx" in f]
    assert frames and "6,000 行" in frames[-1]


def test_a_job_with_a_size_shows_how_far_of_it(monkeypatch):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    done = iter(range(0, 10**9, 4096))
    with Terminal() as terminal:
        with progress.shown("备份", "字节"):
            progress.watch(lambda: next(done), 1_048_576)
            time.sleep(0.3)
        assert "/1,048,576 字节" in terminal.received()


def test_a_quick_job_shows_nothing():
    with Terminal() as terminal:
        with progress.shown("导入 小表.csv", "行"):
            progress.advance(10)
        assert terminal.received() == ""


def test_off_a_terminal_nothing_is_drawn(monkeypatch, capsys):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    with progress.shown("导出", "行"):
        time.sleep(0.2)
        progress.advance(5)
    assert capsys.readouterr().err == ""


def _run(*args) -> None:
    """zs in this process, its stderr the test's terminal (CliRunner would replace it)."""
    with pytest.raises(SystemExit) as ended:
        app([str(a) for a in args], prog_name="zs")
    assert ended.value.code == 0


def test_an_import_on_a_terminal_counts_its_rows_and_stdout_holds_only_its_line(office, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(progress, "SHOW_AFTER_S", 0.0)
    sheet = tmp_path / "走访台账.csv"
    rows = [f"2023-03-{i % 28 + 1:02d},萧镇,走访企业,企业{i}" for i in range(3000)]
    sheet.write_text("日期,单位,类型,企业\n" + "\n".join(rows) + "\n", encoding="utf-8")
    capsys.readouterr()
    with Terminal() as terminal:
        _run("import", "activities", sheet, "--db", office.db)
        shown = terminal.received()
        assert "导入 走访台账.csv" in shown and "3,000 行" in shown
        assert capsys.readouterr().out.startswith("imported 3000 new, 0 changed, 0 unchanged activities")
        _run("backup", tmp_path / "copy.db", "--db", office.db)
        assert "备份" in terminal.received()
        _run("export", tmp_path / "all.json", "--db", office.db)
        assert "导出 all.json" in terminal.received()
