"""One run: discovered files -> sources -> parsed documents and Dockerfiles -> a Scan."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from kubelint.discover import Discovered, display_path, guess_type
from kubelint.findings import Finding
from kubelint.gcpause import paused_gc
from kubelint.parse.source import MAX_BYTES, SourceFile, Unreadable, decode
from kubelint.scan import Options, Scan

__all__ = ["LazySources", "Reading", "build_scan", "read_all", "read_source"]


def __getattr__(name: str):
    # Parsing is imported when there is something to parse: a run whose whole result is reused
    # (kubelint.scanmemo) parses nothing.
    if name in ("add_dockerfile", "add_source", "add_yaml", "check_target"):
        from kubelint import parsefile

        return getattr(parsefile, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def read_source(path: str, file_type: str, stdin_name: str | None = None) -> SourceFile:
    """Raises Unreadable with a reason."""
    if path == "-":
        # The same limit as for files; one byte more tells that it is exceeded.
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise Unreadable(f"standard input is larger than {MAX_BYTES // (1024 * 1024)} MB; not linted")
        display = stdin_name or "-"
    else:
        try:
            with open(path, "rb") as fh:
                if os.fstat(fh.fileno()).st_size > MAX_BYTES:
                    raise Unreadable(f"larger than {MAX_BYTES // (1024 * 1024)} MB; not linted")
                data = fh.read()
        except OSError as exc:
            raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
        display = display_path(path)
    text = decode(data)
    if not file_type:
        from kubelint.discover import classify

        file_type = classify(display) or guess_type(text)
    return SourceFile(path, display, text, file_type)


class LazySources(Mapping[str, SourceFile]):
    """Display path -> SourceFile of a run's discovered files, each read when a report first
    asks for it (a run whose result was reused without reading them: kubelint.scanmemo). A file
    that cannot be read any more is missing, as a report expects of a file it has no text of."""

    def __init__(self, files: list[tuple[str, str]], stdin_name: str | None = None):
        self._files = files
        self._stdin_name = stdin_name
        self._paths: dict[str, tuple[str, str]] | None = None
        self._read: dict[str, SourceFile | None] = {}

    def _index(self) -> dict[str, tuple[str, str]]:
        if self._paths is None:
            self._paths = {display_path(path): (path, file_type) for path, file_type in self._files
                           if file_type != "build"}
        return self._paths

    def __getitem__(self, display: str) -> SourceFile:
        if display not in self._read:
            found = self._index().get(display)
            try:
                self._read[display] = read_source(*found, self._stdin_name) if found else None
            except Unreadable:
                self._read[display] = None
        source = self._read[display]
        if source is None:
            raise KeyError(display)
        return source

    def __iter__(self) -> Iterator[str]:
        return iter(self._index())

    def __len__(self) -> int:
        return len(self._index())


@dataclass
class Reading:
    """The run's files read, before parsing: what each file adds to the scan in discovery order
    (a finding, a skipped file, or a source to parse), the sources, and the build scripts read
    beside them. kubelint.scanmemo keys a whole run by it."""

    steps: list[tuple[str, Any]] = field(default_factory=list)
    sources: list[SourceFile] = field(default_factory=list)
    build_files: list[SourceFile] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)


def read_all(discovered: Discovered, stdin_name: str | None = None,
             texts: list[SourceFile] | None = None) -> Reading:
    """The files discovered, then `texts` (sources given as text, not read from disk)."""
    reading = Reading(skipped=list(discovered.skipped))
    steps, sources = reading.steps, reading.sources
    for path, file_type in discovered.files:
        try:
            source = read_source(path, file_type, stdin_name)
        except Unreadable as exc:
            if file_type == "build":  # a script read only for its `docker build` lines
                steps.append(("skipped", (display_path(path), f"build script not read: {exc}")))
                continue
            steps.append(("finding", Finding(  # the message: the rule's template (`parse` check)
                rule="file-unreadable", severity="error", message="", values={"reason": str(exc)},
                file=(stdin_name or "-") if path == "-" else display_path(path), line=1, column=1)))
            continue
        if source.file_type == "build":  # not linted: not one of the scan's sources
            reading.build_files.append(source)
            continue
        steps.append(("source", len(sources)))
        sources.append(source)
    for source in texts or []:
        steps.append(("source", len(sources)))
        sources.append(source)
    return reading


def build_scan(discovered: Discovered, options: Options, stdin_name: str | None = None,
               texts: list[SourceFile] | None = None, jobs: int | None = 1, cache=None,
               reading: Reading | None = None) -> Scan:
    """The files discovered, then `texts` (sources given as text, not read from disk), or what
    read_all read of them (`reading`). `jobs`: processes that parse (None: decide by the amount
    of input, kubelint.filescan.pool_size); `cache`: a kubelint.cache.Cache of parsed files
    (kubelint.filescan.files_cache)."""
    with paused_gc():
        if reading is None:
            reading = read_all(discovered, stdin_name, texts)
        return _build_scan(reading, options, jobs, cache)


def _build_scan(reading: Reading, options: Options, jobs: int | None, cache) -> Scan:
    from kubelint.filescan import merge, parse_all

    scan = Scan(options=options)
    scan.skipped_files.extend(reading.skipped)
    scan.build_files.extend(reading.build_files)
    from kubelint.parsefile import check_target

    units = parse_all(reading.sources, options, jobs, cache)
    for what, value in reading.steps:
        if what == "finding":
            scan.parse_findings.append(value)
        elif what == "skipped":
            scan.skipped_files.append(value)
        else:
            merge(scan, units[value])
    check_target(scan)
    return scan
