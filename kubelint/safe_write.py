"""Writing a file so that a failure never leaves it half-written.

The text goes to a temporary file in the target's directory (same file system, so the rename is
atomic), which replaces the target only once it is complete. On any failure the temporary file
is removed and the previous file is untouched. A symlink at the target is replaced, never
written through, unless it leads to a device or pipe (below).

A device or pipe the user names (`-o /dev/null`, `/dev/stdout`, a FIFO) is written in place:
renaming over it would put a regular file where the device was (as root, /dev/null itself), and
"complete or not at all" means nothing for a stream. kubelint's cache replaces whatever squats
an entry's name (`streams=False`, and replace_with_bytes).
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from typing import IO, Iterator


def _new_file_mode() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return 0o666 & ~mask


def is_stream(path: str) -> bool:
    """Whether `path` is (or a symlink leads to) a device, pipe or socket: written in place."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return False  # missing, dangling or unreadable: a new regular file takes its place
    return not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode)


@contextmanager
def atomic_open(path: str | os.PathLike, encoding: str = "utf-8", newline: str | None = "\n",
                errors: str = "backslashreplace", streams: bool = True) -> Iterator[IO[str]]:
    """`with atomic_open(p) as out: out.write(...)`: `p` appears complete or not at all.

    errors="backslashreplace": a value that cannot be encoded (a lone surrogate from a file
    name that is not UTF-8) is written as an escape instead of failing half-way.
    streams: a device or pipe at `p` (a path the user chose: `-o /dev/stdout`) is written to;
    False replaces it like any file (what squats in kubelint's own cache directory)."""
    path = os.fspath(path)
    if streams and is_stream(path):
        with open(path, "w", encoding=encoding, newline=newline, errors=errors) as out:
            yield out
        return
    import tempfile  # here: a run that writes no file (a one-file check to the terminal) skips its imports

    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline, errors=errors) as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        try:
            mode = stat.S_IMODE(os.stat(path).st_mode)  # keep the permissions of the old file
        except OSError:
            mode = _new_file_mode()
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_text(path: str | os.PathLike, text: str, **kwargs) -> None:
    with atomic_open(path, **kwargs) as out:
        out.write(text)


def replace_with_bytes(path: str | os.PathLike, data: bytes, mode: int | None = None, durable: bool = True) -> None:
    """Write `data` to a temporary file beside `path` and rename it over `path`: `path` holds
    the old bytes or the new ones, never a part. `mode` sets the permissions (None: the
    temporary file's own, owner-only); `durable` syncs the data before the rename (a cache,
    whose torn entries fail their checksum anyway, can skip it)."""
    import tempfile  # here: a run that writes no file (a one-file check to the terminal) skips its imports

    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=f".{os.path.basename(path)}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            if durable:
                out.flush()
                os.fsync(out.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
