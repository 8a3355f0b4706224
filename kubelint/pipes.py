"""Standard output that the reader closed (`kubelint check | head -1`), and standard streams
around a fork."""

from __future__ import annotations

import os
import sys


def silence_stdout() -> None:
    """After a BrokenPipeError: point file descriptor 1 at /dev/null, so that what is still
    buffered, and the interpreter's final flush, go nowhere instead of raising again (which
    would print 'Exception ignored' and replace our exit code with 120)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real descriptor (tests capture stdout)
        pass


def tolerant_stdout() -> None:
    """Values that cannot be encoded (lone surrogates from file names that are not UTF-8) are
    written as backslash escapes, so JSON and JUnit on stdout stay valid UTF-8."""
    reconfigure = getattr(sys.stdout, "reconfigure", None)
    if reconfigure is not None:
        try:
            reconfigure(errors="backslashreplace")
        except (ValueError, OSError):
            pass


def flush_before_fork() -> None:
    """Flush stdout and stderr before forking: what is still buffered would otherwise be written
    twice, once by each process."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):  # closed, or not a real stream
            pass
