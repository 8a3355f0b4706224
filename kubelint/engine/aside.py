"""Running one Python check in a forked child while the engine goes on with the rest.

After parsing, the rules run in one process; on the shared corpus the schema check is about
0.22 s of the rules' 0.5 s. With `--jobs` above 1, the engine forks a child that runs it on the
same (copied-on-write) scan while the parent evaluates the conditions and the other checks,
then reads the child's findings, pickled to a temporary file, and puts them where the check's
findings go: the result is the same list as in one process. A child that fails in any way
(killed, unpicklable findings) leaves `result()` None, and the engine runs the check itself.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from typing import IO

from kubelint.findings import Finding


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"  # macOS: system libraries forbid fork without exec


class Aside:
    """`run()` in a forked child, started now; result() waits for its findings."""

    def __init__(self, run: Callable[[], list[Finding]]):
        self.out: IO[bytes] | None = tempfile.TemporaryFile()
        for stream in (sys.stdout, sys.stderr):  # else the child's exit could write them twice
            try:
                stream.flush()
            except (OSError, ValueError, AttributeError):
                pass
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the caller's code
            code = 1
            try:
                pickle.dump(run(), self.out, protocol=pickle.HIGHEST_PROTOCOL)
                self.out.flush()
                code = 0
            except BaseException:  # noqa: BLE001 - the parent runs the check again and reports it
                pass
            finally:
                os._exit(code)

    def result(self) -> list[Finding] | None:
        """The child's findings, or None when it did not deliver them."""
        out, self.out = self.out, None
        if out is None:
            return None
        try:
            _, status = os.waitpid(self.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            out.seek(0)
            findings = pickle.load(out)
        except Exception:  # noqa: BLE001 - whatever went wrong, the parent computes it
            return None
        finally:
            out.close()
        if not isinstance(findings, list) or not all(isinstance(f, Finding) for f in findings):
            return None
        return findings
