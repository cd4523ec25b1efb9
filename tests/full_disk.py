"""A disk that fills up, for tests: files opened for writing below a folder fail with ENOSPC once
4 KB are written to them. Every writer zs uses — the csv module, zipfile under openpyxl,
Path.write_text — opens its file with io.open, which `opener` replaces."""

import errno
import io
import os


class FillingUp:
    """A file on a disk with `room` bytes left: the write that would need more fails with ENOSPC."""

    def __init__(self, handle, room: int):
        self._handle, self._room = handle, room

    def write(self, data):
        if len(data) > self._room:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self._room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._handle.close()


def opener(folder, room: int = 4096):
    """io.open, but a file opened for writing below `folder` fills up after `room` bytes."""
    real_open = io.open

    def opening(file, mode="r", *args, **kwargs):
        handle = real_open(file, mode, *args, **kwargs)
        if isinstance(file, str | os.PathLike) and str(file).startswith(str(folder)) and set(mode) & set("wax"):
            return FillingUp(handle, room)
        return handle

    return opening
