"""Code frames: the source lines around one line's findings, with their spans marked.

Pure layout, shared by the terminal and HTML reports: rows of already-escaped text, no colour.
A span runs from (line, column) to (end line, end column), end exclusive, columns counted in
characters. A span that ends at the indentation of its end line (a YAML block ends where the next
item starts) really ends on the line before. Long spans show their first lines and their last.
"""

from __future__ import annotations

from dataclasses import dataclass

from kubelint.escape import escape_text

CONTEXT = 1  # lines before and after
HEAD_LINES = 3  # of a long multi-line span, shown before the gap
ELLIPSIS = "…"


@dataclass(frozen=True)
class Span:
    line: int
    column: int
    end_line: int
    end_column: int | None  # None: to the end of end_line

    @property
    def multiline(self) -> bool:
        return self.end_line > self.line


@dataclass
class Row:
    kind: str  # "source" | "mark" | "gap"
    number: int | None = None  # source line number
    text: str = ""  # escaped source text, or the gap's note
    in_span: bool = False  # a source line inside a multi-line span
    marks: tuple = ()  # for "mark": ((start, end, severity), ...) in escaped columns, 0-based
    labels: tuple = ()  # rule ids a mark row stands for


def clean_line(text: str) -> str:
    """Tabs as one space (columns count characters), control characters escaped."""
    return escape_text(text.replace("\t", " "))


def display_column(raw: str, column: int) -> int:
    """0-based position in the escaped line of the 1-based `column` in the raw line."""
    return len(clean_line(raw[:max(column - 1, 0)]))


def span_of(f, source) -> Span:
    line = max(int(f.line), 1)
    end_line, end_column = f.end_line, f.end_column
    if end_line is None or end_line < line:
        return Span(line, f.column, line, end_column if end_line == line else None)
    if end_line > line and end_column is not None:
        before_end = source.line(end_line)[:max(end_column - 1, 0)] if source is not None else ""
        if not before_end.strip():
            end_line, end_column = end_line - 1, None
            while source is not None and end_line > line and not source.line(end_line).strip():
                end_line -= 1
    if end_line == line and end_column is not None and end_column <= f.column:
        end_column = None
    return Span(line, f.column, end_line, end_column)


def build(findings: list, source, context: int = CONTEXT) -> list[Row]:
    """The frame of findings that all start on one line of `source`."""
    line = findings[0].line
    spans = [(span_of(f, source), f) for f in findings]
    last = max(s.end_line for s, _ in spans)
    count = len(source.lines)
    rows: list[Row] = []
    for n in range(max(1, line - context), line):
        rows.append(Row("source", n, clean_line(source.line(n))))
    raw = source.line(line)
    rows.append(Row("source", line, clean_line(raw), in_span=last > line))
    # One mark row per distinct single-line span, and one for the start of multi-line spans.
    marks: dict[tuple, list] = {}
    for span, f in spans:
        start = display_column(raw, span.column)
        if span.multiline or span.end_column is None:
            end = len(clean_line(raw))
        else:
            end = display_column(raw, span.end_column)
        key = (start, max(end, start + 1))
        marks.setdefault(key, []).append(f)
    for (start, end), fs in sorted(marks.items()):
        rows.append(Row("mark", marks=((start, end, _worst(fs)),),
                        labels=tuple(dict.fromkeys(f.rule for f in fs))))
    if last > line:
        body = list(range(line + 1, last + 1))
        if len(body) > HEAD_LINES + 1:
            hidden = len(body) - HEAD_LINES - 1
            for n in body[:HEAD_LINES]:
                rows.append(Row("source", n, clean_line(source.line(n)), in_span=True))
            rows.append(Row("gap", text=f"{hidden} more line{'s' if hidden != 1 else ''}", in_span=True))
            body = body[-1:]
        for n in body:
            rows.append(Row("source", n, clean_line(source.line(n)), in_span=True))
    for n in range(last + 1, min(count, last + context) + 1):
        rows.append(Row("source", n, clean_line(source.line(n))))
    return _trim_blank_context(rows, line, last)


def _trim_blank_context(rows: list[Row], first: int, last: int) -> list[Row]:
    """Context lines that are blank say nothing: drop them at the edges of the frame."""
    while rows and rows[0].kind == "source" and rows[0].number != first and not rows[0].text.strip():
        rows.pop(0)
    while rows and rows[-1].kind == "source" and (rows[-1].number or 0) > last and not rows[-1].text.strip():
        rows.pop()
    return rows


_RANK = {"error": 2, "warning": 1, "info": 0}


def _worst(findings) -> str:
    return max((f.severity for f in findings), key=lambda s: _RANK.get(s, 1))


def clip(text: str, offset: int, width: int) -> str:
    """`text` seen through a window of `width` characters from `offset`; an ellipsis says
    where it was cut."""
    if width <= 0:
        return ""
    shown = text[offset:offset + width]
    if offset > 0 and shown:
        shown = ELLIPSIS + shown[1:]
    if len(text) > offset + width:
        shown = shown[:-1] + ELLIPSIS
    return shown


def window(rows: list[Row], width: int) -> int:
    """The horizontal offset that keeps the marked columns in view within `width`."""
    longest = max((len(r.text) for r in rows if r.kind == "source"), default=0)
    if longest <= width:
        return 0
    starts = [m[0] for r in rows for m in r.marks]
    start = min(starts, default=0)
    if start < width - 8:
        return 0
    return max(0, start - 8)
