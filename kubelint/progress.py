"""A progress bar on stderr while reading and parsing many files on a terminal."""

from __future__ import annotations

import contextlib
import sys

THRESHOLD = 300  # files; below this a run is over before a bar would help


class _Ticking(list):
    """The file list build_scan iterates; each item handed out advances the bar."""

    def __init__(self, items, advance):
        super().__init__(items)
        self._advance = advance

    def __iter__(self):
        for item in super().__iter__():
            yield item
            self._advance()


@contextlib.contextmanager
def progress_over(discovered, enabled: bool):
    """Wrap discovered.files so the scan reports progress; a no-op unless enabled and stderr
    is a terminal and there are more than THRESHOLD files."""
    if not enabled or len(discovered.files) <= THRESHOLD or not sys.stderr.isatty():
        yield
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    files = discovered.files
    with Progress(TextColumn("linting"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=Console(file=sys.stderr), transient=True) as bar:
        task = bar.add_task("files", total=len(files))
        discovered.files = _Ticking(files, lambda: bar.advance(task))
        try:
            yield
        finally:
            discovered.files = files
