"""The terminal report: findings grouped by file, each with its source line and a caret
under the column, then a summary by severity and by rule."""

from __future__ import annotations

from itertools import groupby

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from kubelint.report.plain import summary_line

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def render_rich(report, stream, color: bool, quiet: bool = False) -> None:
    console = Console(file=stream, force_terminal=color, no_color=not color, highlight=False,
                      soft_wrap=True)
    sources = getattr(report, "sources", {})
    for file, findings in groupby(report.findings, key=lambda f: f.file):
        console.print(f"[bold underline]{escape(file)}[/]")
        for f in findings:
            style = _STYLE.get(f.severity, "")
            obj = f" [dim]({escape(f.object.label())})[/]" if f.object and f.object.kind else ""
            console.print(f"  [dim]{f.line}:{f.column}[/] [{style}]{f.severity}[/] "
                          f"[magenta]{escape(f.rule)}[/] {escape(f.message)}{obj}")
            src = sources.get(file)
            if src is not None:
                text = src.line(f.line)
                if text:
                    console.print(f"    [dim]{f.line:>5} |[/] {escape(text.expandtabs(1))}")
                    console.print(f"    [dim]      |[/] {' ' * (f.column - 1)}[{style}]^[/]")
            for r in f.related:
                console.print(f"    [dim]= {escape(r.message)} ({escape(r.file)}:{r.line})[/]")
        console.print()
    if getattr(report, "show_suppressed", False) and report.suppressed:
        from kubelint.report.plain import suppressed_note

        console.print("[bold]suppressed[/]")
        for f in report.suppressed:
            console.print(f"  [dim]{escape(f.file)}:{f.line}:{f.column} {f.severity} {escape(f.rule)} "
                          f"{escape(f.message)}{escape(suppressed_note(report, f))}[/]")
        console.print()
    if quiet:
        return
    for note in report.notes:
        console.print(f"[dim]note: {escape(note)}[/]")
    by_rule = report.by_rule()
    if by_rule:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        table.add_column("rule")
        table.add_column("count", justify="right")
        for rule, n in by_rule.most_common():
            table.add_row(rule, str(n))
        console.print(table)
    ok = not report.findings
    console.print(f"[{'green' if ok else 'bold'}]{escape(summary_line(report))}[/]")
