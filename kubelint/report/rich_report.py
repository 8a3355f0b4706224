"""The terminal report.

`full` (the default): one code frame per source line that has findings, with the spans marked,
then each finding of that line with its rule, message, remediation (`help:`), doc link and
related places (`note:`); the help and doc link of a rule are shown the first time it appears.
`concise`: one line per finding. Both wrap at word boundaries to the terminal width when
writing to a terminal (or when COLUMNS is set), never in the middle of a word; source lines too
long for the width are cut with an ellipsis, keeping the marked columns in view.

Every value from a manifest, a rule file or a file name goes through `escape_text` before it
reaches the terminal; rich markup is never parsed from data (Text objects only).
"""

from __future__ import annotations

import os
import re
import textwrap
from itertools import groupby

from rich.console import Console
from rich.text import Text

from kubelint.escape import escape_text
from kubelint.report import frame
from kubelint.report.plain import fixable_line, footer_lines, summary_line

STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}
MARK = {"error": "red", "warning": "yellow", "info": "cyan"}
GUTTER = "dim blue"


def render_rich(report, stream, color: bool, quiet: bool = False) -> None:
    console = Console(file=stream, force_terminal=color, no_color=not color, highlight=False,
                      soft_wrap=True, emoji=False, markup=False)
    width = _width(console, stream)
    out = _Writer(console, width, links=color)
    if getattr(report, "output_format", "full") == "concise":
        _concise(out, report)
    else:
        _full(out, report, getattr(report, "show_source", True))
    if getattr(report, "show_suppressed", False) and report.suppressed:
        from kubelint.report.plain import suppressed_note

        out.line([("suppressed", "bold")])
        for f in report.suppressed:
            out.wrapped([(f"{escape_text(f.file)}:{f.line}:{f.column} {escape_text(f.severity)} "
                          f"{escape_text(f.rule)} {escape_text(f.message)}"
                          f"{escape_text(suppressed_note(report, f))}", "dim")], indent=2)
        out.line([])
    if quiet:
        return
    for line in footer_lines(report):  # already escaped
        out.wrapped([(line, "dim")], indent=0, hang=2)
    summary = summary_line(report, elapsed=getattr(report, "elapsed", None))
    out.wrapped([(summary, "green" if not report.findings else "bold")], indent=0, hang=2)
    fixable = fixable_line(report)
    if fixable:
        out.wrapped([(fixable, "")], indent=0, hang=2)


def _width(console: Console, stream) -> int | None:
    """The width to wrap to: the terminal's (COLUMNS wins), else none at all, so that output
    to a file or a pipe keeps one line per line."""
    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        return int(columns)
    try:
        if stream.isatty():
            return console.width
    except (AttributeError, ValueError, OSError):
        pass
    return None


class _Writer:
    """Lines of (text, style[, link]) segments; text is escaped already."""

    def __init__(self, console: Console, width: int | None, links: bool = False):
        self.console = console
        self.width = width
        self.links = links  # colours on: rich writes links as OSC 8 hyperlinks

    def line(self, segments) -> None:
        text = Text(no_wrap=True, end="\n")
        for segment in segments:
            content, style = segment[0], segment[1]
            link = segment[2] if len(segment) > 2 else None
            text.append(content, style=_style(style, link))
        self.console.print(text, soft_wrap=True, crop=False)

    def wrapped(self, segments, indent: int, hang: int = 4) -> None:
        """Segments wrapped at spaces to the width; continuation lines indented by `hang`
        more than the first. Styles follow the characters across the breaks."""
        plain = "".join(s[0] for s in segments)
        if self.width is None:
            self.line([(" " * indent, "")] + list(segments))
            return
        lines = textwrap.wrap(plain, width=max(self.width, indent + hang + 10),
                              initial_indent=" " * indent, subsequent_indent=" " * (indent + hang),
                              break_on_hyphens=False, break_long_words=True, drop_whitespace=True,
                              expand_tabs=False, replace_whitespace=False)
        styled = _styles_per_char(segments)
        pos = 0
        for text in lines:
            prefix = len(text) - len(text.lstrip(" "))
            body = text[prefix:]
            while pos < len(plain) and plain[pos] == " ":
                pos += 1
            start = plain.find(body, pos) if body else pos
            if start < 0:  # wrap() never changes non-space characters; be safe anyway
                start = pos
            out = [(" " * prefix, "")]
            out += _restyle(body, styled, start)
            self.line(out)
            pos = start + len(body)


_SAFE_LINK = re.compile(r"https?://[\x21-\x7e]+")


def _style(style: str, link: str | None) -> str:
    # A link goes into an OSC 8 sequence: only a plain URL, nothing that could end it.
    return f"{style} link {link}".strip() if link and _SAFE_LINK.fullmatch(link) else style


def _styles_per_char(segments) -> list[tuple]:
    out = []
    for segment in segments:
        key = (segment[1], segment[2] if len(segment) > 2 else None)
        out.extend([key] * len(segment[0]))
    return out


def _restyle(body: str, styled: list[tuple], start: int) -> list[tuple]:
    out: list[tuple] = []
    for i, ch in enumerate(body):
        style, link = styled[start + i] if start + i < len(styled) else ("", None)
        if out and out[-1][1] == style and out[-1][2] == link:
            out[-1] = (out[-1][0] + ch, style, link)
        else:
            out.append((ch, style, link))
    return out


# concise --------------------------------------------------------------------------------------


FIXABLE = ("[*]", "bold green")  # marks a finding this run's fix options would fix, as ruff does


def _marker(report, f) -> list[tuple]:
    applies = getattr(report, "applies", None)
    return [(" ", ""), FIXABLE] if applies is not None and applies(f) else []


def _concise(out: _Writer, report) -> None:
    for f in report.findings:
        out.wrapped([(f"{escape_text(f.file)}:{f.line}:{f.column}:", "bold"), (" ", ""),
                     (escape_text(f.severity), STYLE.get(f.severity, "")), (" ", ""),
                     (f"[{escape_text(f.rule)}]", "magenta", f.doc_url), *_marker(report, f),
                     (f" {escape_text(f.message)}", "")], indent=0)


# full -----------------------------------------------------------------------------------------


def _full(out: _Writer, report, show_source: bool) -> None:
    sources = getattr(report, "sources", {})
    seen: set[str] = set()  # rules whose help and docs were shown
    seen_fix: set[str] = set()  # rules whose fix was described
    for (file, _line), group in groupby(report.findings, key=lambda f: (f.file, f.line)):
        findings = list(group)
        first = findings[0]
        head = [(f"{escape_text(file)}:{first.line}:{first.column}", "bold")]
        objects = list(dict.fromkeys(_object_label(f.object) for f in findings if f.object and f.object.kind))
        if len(objects) == 1:
            head.append((f"  {escape_text(objects[0])}", "dim"))
        out.wrapped(head, indent=0)
        source = sources.get(file)
        if show_source and source is not None and source.line(first.line):
            _frame(out, frame.build(findings, source))
        for f in findings:
            _finding(out, report, f, show_object=len(objects) > 1, explain=f.rule not in seen,
                     explain_fix=bool(f.fix) and f.rule not in seen_fix)
            seen.add(f.rule)
            if f.fix:
                seen_fix.add(f.rule)
        out.line([])


def _frame(out: _Writer, rows: list) -> None:
    digits = max(len(str(r.number)) for r in rows if r.number is not None)
    multiline = any(r.in_span for r in rows)
    labelled = sum(r.kind == "mark" for r in rows) > 1
    fixed = 2 + digits + 3 + (2 if multiline else 0)  # "  NN | > "
    room = (out.width - fixed) if out.width else None
    offset = frame.window(rows, room) if room else 0
    for r in rows:
        number = str(r.number) if r.kind == "source" else (".." if r.kind == "gap" else "")
        segments = [(f"  {number:>{digits}} | ", GUTTER)]
        if multiline:
            segments.append(("> " if r.in_span else "  ", MARK["warning"] if r.in_span else ""))
        if r.kind == "source":
            segments.append((frame.clip(r.text, offset, room) if room else r.text, ""))
        elif r.kind == "gap":
            segments.append((f"  {r.text}", "dim"))
        else:
            start, end, severity = r.marks[0]
            start, end = start - offset, end - offset
            if room:
                start, end = max(start, 0), min(end, room)
            label = f" {', '.join(escape_text(x) for x in r.labels)}" if labelled else ""
            if room and end + len(label) > room:
                label = ""
            segments += [(" " * start, ""), ("^" * max(end - start, 1) + label, MARK.get(severity, ""))]
        out.line(segments)


def _finding(out: _Writer, report, f, show_object: bool, explain: bool, explain_fix: bool) -> None:
    head = [(escape_text(f.severity), STYLE.get(f.severity, "")), ("[", ""),
            (escape_text(f.rule), "magenta", f.doc_url), ("]", ""), *_marker(report, f), (": ", ""),
            (escape_text(f.message), "")]
    if show_object and f.object is not None and f.object.kind:
        head.append((f" ({escape_text(_object_label(f.object))})", "dim"))
    out.wrapped(head, indent=2)
    for r in f.related:
        out.wrapped([("note: ", "bold cyan"), (f"{escape_text(r.file)}:{r.line}: ", "bold"),
                     (escape_text(r.message), "")], indent=4, hang=6)
    if explain and f.remediation:
        out.wrapped([("help: ", "bold green"), (escape_text(_prose(f.remediation)), "")], indent=4, hang=6)
    if explain_fix:
        out.wrapped(_fix_line(report, f), indent=4, hang=6)
    if explain and f.doc_url:
        url = escape_text(f.doc_url)
        if out.links and out.width and 10 + len(url) > out.width:
            # A hyperlink needs no room for its whole address: show the end of it.
            url = frame.ELLIPSIS + url[url.rfind("/"):]
        out.wrapped([("docs: ", "bold"), (url, "underline", f.doc_url)], indent=4, hang=6)


def _fix_line(report, f) -> list[tuple]:
    """`fix (safe, --fix): <what the fix does>`, the first time a rule's finding has a fix."""
    rule = getattr(report, "rules", {}).get(f.rule)
    what = _prose(rule.fix["description"]) if rule is not None and rule.fix else "available"
    how = "safe, --fix" if f.fix["applicability"] == "safe" else "unsafe, --fix --unsafe-fixes"
    return [(f"fix ({how}): ", "bold green"), (escape_text(what), "")]


def _prose(text: str) -> str:
    """Rule texts are wrapped in their YAML files: one paragraph, wrapped here instead."""
    return re.sub(r"\s*\n\s*", " ", text.strip())


def _object_label(ref) -> str:
    return f"stage {ref.name}" if ref.kind == "Stage" else ref.label()
