"""The terminal report: findings grouped by file, each with its source line and a caret
under the column, then a summary by severity and by rule."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kubelint.escape import escape_text
from kubelint.report.plain import footer_lines, summary_line



def _text(value) -> str:
    """Control characters escaped first (they must not reach the terminal), then rich markup."""
    return escape(escape_text(value))


_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_rich(report, stream, color: bool, quiet: bool = False) -> None:
    console = Console(file=stream, force_terminal=color, no_color=not color, highlight=False,
                      soft_wrap=True)
    sources = getattr(report, "sources", {})
    for file, findings in groupby(report.findings, key=lambda f: f.file):
        console.print(f"[bold underline]{_text(file)}[/]")
        for f in findings:
            style = _STYLE.get(f.severity, "")
            obj = f" [dim]({_text(f.object.label())})[/]" if f.object and f.object.kind else ""
            console.print(f"  [dim]{f.line}:{f.column}[/] [{style}]{_text(f.severity)}[/] "
                          f"[magenta]{_text(f.rule)}[/] {_text(f.message)}{obj}")
            src = sources.get(file)
            if src is not None:
                text = src.line(f.line)
                if text:
                    text = text.expandtabs(1)
                    # The caret stays under the column when escapes widen the text before it.
                    pad = len(escape_text(text[:max(f.column - 1, 0)]))
                    console.print(f"    [dim]{f.line:>5} |[/] {_text(text)}")
                    console.print(f"    [dim]      |[/] {' ' * pad}[{style}]^[/]")
            for r in f.related:
                console.print(f"    [dim]= {_text(r.message)} ({_text(r.file)}:{r.line})[/]")
        console.print()
    if getattr(report, "show_suppressed", False) and report.suppressed:
        from kubelint.report.plain import suppressed_note

        console.print("[bold]suppressed[/]")
        for f in report.suppressed:
            console.print(f"  [dim]{_text(f.file)}:{f.line}:{f.column} {_text(f.severity)} {_text(f.rule)} "
                          f"{_text(f.message)}{_text(suppressed_note(report, f))}[/]")
        console.print()
    if quiet:
        return
    for line in footer_lines(report):  # already escaped for control characters
        console.print(f"[dim]{escape(line)}[/]")
    by_rule = report.by_rule()
    if by_rule:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("rule")
        table.add_column("count", justify="right")
        for rule, n in by_rule.most_common():
            table.add_row(_text(rule), str(n))
        console.print(table)
    ok = not report.findings
    console.print(f"[{'green' if ok else 'bold'}]{escape(summary_line(report))}[/]")
