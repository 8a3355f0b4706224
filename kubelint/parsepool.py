"""Parsing a run's files in this process and in forked workers at once (`--jobs`).

Every process takes the next file from one shared counter over the files sorted biggest first,
so the work spreads evenly whatever the sizes, and the main process parses too instead of
waiting: on two CPUs a pool of two workers beside an idle main process lost to one process,
because the main one still had to decode every reply afterwards. A worker writes each unit it
encodes (kubelint.filescan.encode) to a temporary file of its own, never blocking on a reader;
when the counter runs out the main process joins the workers and reads their files. A file a
worker took but did not deliver (it died, or its unit would not pickle) is parsed in the main
process, so the findings are those of `--jobs 1` whatever happens to a worker.

Workers are forked: they inherit the sources and options, nothing is sent to them. Where fork is
not available or not safe (Windows, macOS) kubelint.filescan uses a ProcessPoolExecutor instead.
"""

from __future__ import annotations

import struct
import sys
import tempfile
from collections.abc import Callable, Iterator
from typing import IO, Any

from kubelint.pipes import flush_before_fork

_FRAME = struct.Struct("<QQ")  # file index, payload length


def fork_available() -> bool:
    """Not on macOS, where system libraries may break in a child forked without exec (Python
    itself starts processes by spawning there)."""
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods() and sys.platform != "darwin"


class SharedParsing:
    """`workers` forked processes parse files of `order` (indices, biggest file first) with
    `work(i) -> bytes`; the main process takes its own share with `take()` and collects the
    workers' bytes with `replies()`. Raises OSError (or ImportError) when no worker can start."""

    def __init__(self, order: list[int], workers: int, work: Callable[[int], bytes]):
        import multiprocessing

        context = multiprocessing.get_context("fork")
        self.order = order
        self.counter: Any = context.Value("q", 0)  # the next position in `order` to take
        self.outputs: list[IO[bytes]] = []
        self.processes: list[Any] = []
        flush_before_fork()
        try:
            for _ in range(workers):
                out = tempfile.TemporaryFile()
                self.outputs.append(out)
                process = context.Process(target=_worker, args=(self.counter, order, work, out),
                                          name="kubelint-parse", daemon=True)
                process.start()
                self.processes.append(process)
        except BaseException:
            self.close()
            raise

    def take(self) -> Iterator[int]:
        """The files this process parses: the next untaken one each time, until none is left."""
        while (i := _next(self.counter, self.order)) is not None:
            yield i

    def replies(self) -> Iterator[tuple[int, bytes]]:
        """(file index, bytes) of every file the workers finished; call after take() ran out."""
        try:
            for process, out in zip(self.processes, self.outputs, strict=True):
                process.join()
                yield from _frames(out)  # whole frames only: a worker killed mid-write wrote part of one
        finally:
            self.close()

    def close(self) -> None:
        for process in self.processes:
            if process.is_alive():
                process.kill()
                process.join()
        for out in self.outputs:
            out.close()
        self.processes, self.outputs = [], []


def _next(counter: Any, order: list[int]) -> int | None:
    """The next file no process has taken, or None."""
    with counter.get_lock():
        n = counter.value
        if n >= len(order):
            return None
        counter.value = n + 1
    return order[n]


def _worker(counter: Any, order: list[int], work: Callable[[int], bytes], out: IO[bytes]) -> None:
    import gc

    gc.disable()  # as in the main process (kubelint.gcpause); the worker exits when done
    while (i := _next(counter, order)) is not None:
        try:
            payload = work(i)
        except Exception:  # noqa: BLE001 - not delivered: the main process parses it and says why
            continue
        out.write(_FRAME.pack(i, len(payload)))
        out.write(payload)
    out.flush()


def _frames(out: IO[bytes]) -> Iterator[tuple[int, bytes]]:
    out.seek(0)
    while True:
        head = out.read(_FRAME.size)
        if len(head) < _FRAME.size:
            return
        i, size = _FRAME.unpack(head)
        payload = out.read(size)
        if len(payload) < size:  # a worker killed mid-write: the rest is parsed again
            return
        yield i, payload
