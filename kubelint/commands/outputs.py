"""Where each report goes: pairing repeatable --format and --output, and writing them.

The pairing rule: outputs pair with the *last* formats, in order; the one format left over (the
first one given) goes to standard output. `--format rich --format sarif --output r.sarif` shows
rich on the terminal and writes SARIF to r.sarif; `--format sarif --output r.sarif` writes only
the file; `--output r.txt` alone writes the default format to the file. `-o -` is standard output.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass

from kubelint.errors import KubelintError

STDOUT = "-"


@dataclass(frozen=True)
class Destination:
    format: str
    path: str  # a file, or "-" for standard output

    @property
    def is_stdout(self) -> bool:
        return self.path == STDOUT


def pair_outputs(formats: list[str] | None, outputs: list[str] | None, default: str) -> list[Destination]:
    formats, outputs = list(formats or []), list(outputs or [])
    if not formats:
        if len(outputs) > 1:
            raise KubelintError(f"{len(outputs)} --output files but no --format: "
                                "give one --format per --output")
        return [Destination(default, outputs[0] if outputs else STDOUT)]
    if len(outputs) > len(formats):
        raise KubelintError(f"{len(outputs)} --output files for {len(formats)} --format(s): "
                            "each --output pairs with a --format")
    leftover = formats[:len(formats) - len(outputs)]
    if len(leftover) > 1:
        raise KubelintError(f"formats {', '.join(leftover)} would all go to standard output: "
                            "give an --output for all but one --format")
    out = [Destination(fmt, STDOUT) for fmt in leftover]
    out += [Destination(fmt, path) for fmt, path in zip(formats[len(leftover):], outputs)]
    if sum(d.is_stdout for d in out) > 1:
        raise KubelintError("only one --format can go to standard output")
    files = [os.path.abspath(d.path) for d in out if not d.is_stdout]
    if len(files) != len(set(files)):
        raise KubelintError("the same --output file is given twice")
    return out


def write_reports(report, destinations: list[Destination], color: bool, quiet: bool,
                  statistics: bool) -> None:
    from kubelint.report import render

    to_stdout = False
    for d in destinations:
        if d.is_stdout:
            to_stdout = True
            if statistics:
                from kubelint.report.statistics import render_statistics
                render_statistics(report, sys.stdout, d.format)
            else:
                render(report, d.format, sys.stdout, color=color and d.format == "rich", quiet=quiet)
            continue
        try:
            with open(d.path, "w", encoding="utf-8", newline="\n") as out:
                render(report, d.format, out, color=False, quiet=quiet)
        except OSError as exc:
            raise KubelintError(f"cannot write {d.path}: {exc.strerror}") from None
    if statistics and not to_stdout:
        from kubelint.report.statistics import render_statistics
        render_statistics(report, sys.stdout)
