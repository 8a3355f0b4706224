"""GitHub Actions workflow commands: one `::error file=...,line=...::message` per finding, shown
as annotations on the pull request.

Escaping is what keeps a manifest from talking to the runner: a message (which may quote any
value of a manifest) could otherwise end the line and start a command of its own. Data escapes
`%`, CR and LF; properties also escape `:` and `,`, which separate them. Other control
characters (ESC, OSC, C1) are spelled out by `escape_text` first, as in every text format.
"""

from __future__ import annotations

import re

from kubelint.escape import escape_text

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(text: str) -> str:
    return str(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(f) -> str:
    props = [("file", escape_text(f.file)), ("line", f.line), ("col", f.column)]
    if f.end_line is not None:
        props.append(("endLine", f.end_line))
        if f.end_column is not None and f.end_line == f.line:
            props.append(("endColumn", f.end_column))
    props.append(("title", f"kubelint {escape_text(f.rule)}"))
    # The one newline we mean (before the remediation) is added after escaping the values.
    # Rule texts are wrapped in their YAML files: a wrap is a space, not an escaped `\n`.
    help_text = re.sub(r"\s*\n\s*", " ", f.remediation.strip()) if f.remediation else ""
    message = escape_text(f.message) + (f"\n{escape_text(help_text)}" if help_text else "")
    head = ",".join(f"{k}={escape_property(v)}" for k, v in props)
    return f"::{_COMMAND.get(f.severity, 'warning')} {head}::{escape_data(message)}"


def render(report, stream, quiet: bool = False) -> None:
    for f in report.findings:
        stream.write(command(f) + "\n")
    if not quiet:
        from kubelint.report.plain import summary_line

        # Plain text (not `::`): the summary line is made of counts only.
        stream.write(summary_line(report) + "\n")
