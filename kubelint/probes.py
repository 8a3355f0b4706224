"""What checks learn from the file system outside the scanned files, recorded for kubelint.scanmemo.

A few checks look past the files they lint: whether a .dockerignore or .git is there, whether a
Dockerfile a build config names exists, which `shellcheck` program is installed. A run whose
result is reused must have seen the same answers, so these go through `exists`, `isdir` and
`which` here, which log (question, answer) while `recording()` is on; `still_true(log)` asks them
again before a memo is trusted.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager

_log: list[tuple[str, str, object]] | None = None


def exists(path: str) -> bool:
    answer = os.path.exists(path)
    if _log is not None:
        _log.append(("exists", path, answer))
    return answer


def isdir(path: str) -> bool:
    answer = os.path.isdir(path)
    if _log is not None:
        _log.append(("isdir", path, answer))
    return answer


def which(name: str, path: str | None = None) -> str | None:
    """shutil.which; the log holds the program's size and time too: an upgrade is a change."""
    found = shutil.which(name, path=path)
    if _log is not None:
        _log.append(("which", f"{name}\0{path or ''}", _program(found)))
    return found


def _program(found: str | None) -> object:
    if found is None:
        return None
    try:
        st = os.stat(found)
    except OSError:
        return (found,)
    return (found, st.st_size, st.st_mtime_ns)


def _ask(question: str, arg: str) -> object:
    if question == "exists":
        return os.path.exists(arg)
    if question == "isdir":
        return os.path.isdir(arg)
    if question == "which":
        name, _, path = arg.partition("\0")
        return _program(shutil.which(name, path=path or None))
    return object()  # a question this code does not know: never equal, so never trusted


@contextmanager
def recording() -> Iterator[list[tuple[str, str, object]]]:
    """Log every question asked inside the block ."""
    global _log
    outer, _log = _log, []
    try:
        yield _log
    finally:
        _log = outer


def asked_count() -> int:
    """How many questions the current recording holds (a mark for asked_since)."""
    return len(_log) if _log is not None else 0


def asked_since(mark: int) -> list[tuple[str, str, object]]:
    """The questions asked since `mark`: what a forked child (kubelint.engine.aside) hands back
    to its parent, whose recording is the one a memo keeps."""
    return list(_log[mark:]) if _log is not None else []


def add(entries: list[tuple[str, str, object]]) -> None:
    """Questions asked elsewhere (a forked child), added to the current recording."""
    if _log is not None:
        _log.extend(entries)


def still_true(log: object) -> bool:
    """Whether every (question, argument, answer) of `log` gets the same answer now."""
    if not isinstance(log, list):
        return False
    asked: set = set()
    for entry in log:
        if not isinstance(entry, tuple) or len(entry) != 3:
            return False
        question, arg, answer = entry
        if not isinstance(question, str) or not isinstance(arg, str):
            return False
        if (question, arg) in asked:
            continue
        asked.add((question, arg))
        if _ask(question, arg) != answer:
            return False
    return True
