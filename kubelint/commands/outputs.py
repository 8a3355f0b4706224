"""Where each report goes: pairing repeatable --format and --output, and writing them.

The pairing rule: outputs pair with the *last* formats, in order; the one format left over (the
first one given) goes to standard output. `--format rich --format sarif --output r.sarif` shows
rich on the terminal and writes SARIF to r.sarif; `--format sarif --output r.sarif` writes only
the file; `--output r.txt` alone writes the default format to the file. `-o -` is standard output.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass

from kubelint.errors import KubelintError
from kubelint.safe_write import atomic_open

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
    out += [Destination(fmt, path) for fmt, path in zip(formats[len(leftover):], outputs, strict=True)]
    if sum(d.is_stdout for d in out) > 1:
        raise KubelintError("only one --format can go to standard output")
    files = [os.path.abspath(d.path) for d in out if not d.is_stdout]
    if len(files) != len(set(files)):
        raise KubelintError("the same --output file is given twice")
    return out


def refuse_overwriting(destinations: list[Destination], protected: list[tuple[str, str]]) -> None:
    """An --output must not replace an input of the run: a file being linted, the config file
    or the baseline. `protected` holds (path, what it is). Compared by device and inode, so a
    symlink or a hard link to an input counts too; an output that does not exist yet is no input."""
    for d in destinations:
        if d.is_stdout:
            continue
        try:
            target = os.stat(d.path)
        except OSError:
            continue
        if not stat.S_ISREG(target.st_mode):
            continue  # /dev/null, a pipe: kubelint reads regular files only, so none is an input
        for path, what in protected:
            if not path or path == "-":
                continue
            try:
                st = os.stat(path)
            except OSError:
                continue
            if (st.st_dev, st.st_ino) == (target.st_dev, target.st_ino):
                raise KubelintError(f"--output {d.path} is {what}: refusing to overwrite it")


def write_reports(report, destinations: list[Destination], color: bool, quiet: bool,
                  statistics: bool) -> None:
    """Every report; a reader that closes standard output early (`| head`) stops only the
    report to standard output: files are still written and the exit code is unchanged."""
    from kubelint.pipes import silence_stdout, tolerant_stdout
    from kubelint.report import render

    tolerant_stdout()
    to_stdout = any(d.is_stdout for d in destinations)
    for d in destinations:
        if d.is_stdout:
            try:
                if statistics:
                    from kubelint.report.statistics import render_statistics
                    render_statistics(report, sys.stdout, d.format)
                else:
                    render(report, d.format, sys.stdout, color=color and d.format == "rich", quiet=quiet)
                sys.stdout.flush()
            except BrokenPipeError:
                silence_stdout()
            continue
        try:
            # Atomic: a failure half-way never destroys the previous report.
            with atomic_open(d.path) as out:
                render(report, d.format, out, color=False, quiet=quiet)
        except OSError as exc:
            raise KubelintError(f"cannot write {d.path}: {exc.strerror or exc}") from None
    if statistics and not to_stdout:
        from kubelint.report.statistics import render_statistics
        try:
            render_statistics(report, sys.stdout)
            sys.stdout.flush()
        except BrokenPipeError:
            silence_stdout()
