"""Running Python checks in a forked child while the engine goes on with the rest.

After parsing, the rules run in one process; on the shared corpus the schema check is about
0.22 s of the rules' 0.5 s. With `--jobs` above 1, the engine forks a child that runs the
heaviest checks (kubelint.engine.engine.ASIDE_CHECKS) on the same (copied-on-write) scan while
the parent evaluates the conditions and the other checks, then reads the child's findings,
pickled to a temporary file, and puts each check's where its findings go: the result is the
same list as in one process. A child that fails in any way (killed, unpicklable findings)
leaves `result()` None, and the engine runs those checks itself.
"""

from __future__ import annotations

import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from typing import IO

from kubelint import probes
from kubelint.findings import Finding
from kubelint.pipes import flush_before_fork


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "darwin"  # macOS: system libraries forbid fork without exec


class Aside:
    """`run()` in a forked child, started now: the findings of each of its checks, one list per
    check; result() waits for them (once: later calls give the same answer)."""

    def __init__(self, run: Callable[[], list[list[Finding]]]):
        self.out: IO[bytes] | None = tempfile.TemporaryFile()
        self.found: list[list[Finding]] | None = None
        flush_before_fork()
        self.pid = os.fork()
        if self.pid == 0:  # the child: never returns into the caller's code
            code = 1
            try:
                mark = probes.asked_count()
                found = run()
                # What the checks asked of the file system goes back too: the parent's recording
                # is what a memoised result is checked against (kubelint.probes).
                pickle.dump((found, probes.asked_since(mark)), self.out, protocol=pickle.HIGHEST_PROTOCOL)
                self.out.flush()
                code = 0
            except BaseException:  # noqa: BLE001 - the parent runs the checks again and reports it
                pass
            finally:
                os._exit(code)

    def result(self) -> list[list[Finding]] | None:
        """The child's findings per check, or None when it did not deliver them."""
        out, self.out = self.out, None
        if out is None:
            return self.found
        try:
            _, status = os.waitpid(self.pid, 0)
            if os.waitstatus_to_exitcode(status) != 0:
                return None
            out.seek(0)
            found, asked = pickle.load(out)
        except Exception:  # noqa: BLE001 - whatever went wrong, the parent computes them
            return None
        finally:
            out.close()
        if (isinstance(found, list) and all(isinstance(fs, list) and all(isinstance(f, Finding) for f in fs)
                                            for fs in found)
                and isinstance(asked, list) and all(isinstance(q, tuple) and len(q) == 3 for q in asked)):
            self.found = found
            probes.add(asked)
        return self.found
