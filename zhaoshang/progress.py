"""A progress bar on stderr for the long jobs (import, export, merge, backup, demo): shown only on
a terminal and only once the job has taken over a second, gone when it ends.

A command wraps its job in `shown("导入", what="行")`; the code doing the work calls `advance(n)`
as it goes, without knowing whether anyone watches (outside `shown`, or off a terminal, it costs a
context-variable lookup). rich is imported only when a bar is actually drawn, so a quick command,
or one whose stderr is a file or a pipe, pays nothing for it.
"""

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from contextvars import ContextVar

SHOW_AFTER_S = 1.0  # a job quicker than this shows no bar at all
_REDRAW_S = 0.1  # how often the count reaches the bar

_CURRENT: ContextVar["_Bar | None"] = ContextVar("zs_progress", default=None)


@contextmanager
def shown(title: str, what: str = "", total: int | None = None) -> Iterator[None]:
    """Run the block with a bar titled `title` (counting `what`: 行, 条, 页) on a terminal's stderr,
    drawn once the block has run SHOW_AFTER_S; `total`, if known, makes it a bar, else a count."""
    if not _on_a_terminal():
        yield
        return
    bar = _Bar(title, what, total)
    token = _CURRENT.set(bar)
    try:
        yield
    finally:
        _CURRENT.reset(token)
        bar.close()


def advance(count: int = 1) -> None:
    """`count` more done of the job being shown (none: nothing)."""
    bar = _CURRENT.get()
    if bar is not None:
        bar.advance(count)


def total(count: int) -> None:
    """The job's size, once it is known (a backup learns its pages as it starts)."""
    bar = _CURRENT.get()
    if bar is not None:
        bar.set_total(count)


def watch(count: Callable[[], int], size: int | None = None) -> None:
    """For a job done in one call that cannot count (VACUUM INTO): `count()` says how far it is,
    asked a few times a second from the bar's own thread; `size` is where it ends."""
    bar = _CURRENT.get()
    if bar is not None:
        bar.watched = count
        if size is not None:
            bar.set_total(size)


def _on_a_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):  # replaced by an object without it, or closed
        return False


class _Bar:
    """The bar of one job. A timer thread draws it after SHOW_AFTER_S (unless the job ended first)
    and then, for a watched job, asks how far it is; the job's thread counts with `advance`."""

    def __init__(self, title: str, what: str, total: int | None):
        self.title, self.what, self.total = title, what, total
        self.done, self.next_redraw = 0, 0.0
        self.watched: Callable[[], int] | None = None
        self.lock = threading.Lock()  # drawing, redrawing and closing take turns
        self.closed = False
        self.progress = None  # rich.progress.Progress once drawn
        self.task = None
        self.timer = threading.Timer(SHOW_AFTER_S, self._draw)
        self.timer.daemon = True
        self.timer.start()

    def advance(self, count: int) -> None:
        self.done += count
        now = time.monotonic()
        if self.progress is not None and now >= self.next_redraw:
            self.next_redraw = now + _REDRAW_S
            self._update()

    def set_total(self, count: int) -> None:
        self.total = count
        self._update()

    def _update(self) -> None:
        with self.lock:
            if self.progress is not None:
                self.progress.update(self.task, completed=self.done, total=self.total, of=self._of())

    def _of(self) -> str:
        return f"/{self.total:,}" if self.total else ""

    def _draw(self) -> None:
        with self.lock:
            if self.closed:  # the job ended before the bar was due
                return
            from rich.console import Console
            from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            counted = TextColumn(f"{{task.completed:,.0f}}{{task.fields[of]}} {self.what}")
            self.progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                counted,
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,  # the command's own last line says what was done
                redirect_stdout=False,  # what the command prints goes where stdout goes, never to stderr
                redirect_stderr=False,
            )
            self.task = self.progress.add_task(self.title, total=self.total, completed=self.done, of=self._of())
            self.progress.start()
        while self.watched is not None and not self.closed:  # a job that cannot count is asked
            with suppress(OSError):  # the file it counts is not there yet, or no longer
                self.done = self.watched()
            self._update()
            time.sleep(_REDRAW_S)

    def close(self) -> None:
        self.timer.cancel()
        self._update()  # the last frame shows the last count
        with self.lock:
            self.closed = True
            progress, self.progress = self.progress, None
        if progress is not None:
            progress.stop()
