"""`path:line:col: severity [rule] message`, one per line: the quickfix format editors read."""


def render_plain(report, stream, quiet: bool = False) -> None:
    shown = report.findings
    if getattr(report, "show_suppressed", False) and report.suppressed:
        shown = sorted(report.findings + report.suppressed, key=lambda f: f.sort_key())
    for f in shown:
        stream.write(f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}"
                     f"{suppressed_note(report, f)}\n")
    if quiet:
        return
    for note in report.notes:
        stream.write(f"note: {note}\n")
    stream.write(summary_line(report) + "\n")


def suppressed_note(report, f) -> str:
    if not f.suppressed:
        return ""
    by = getattr(report, "suppressed_by", {}).get(id(f))
    return f" (suppressed by {by.describe()})" if by is not None else " (suppressed)"


def summary_line(report) -> str:
    sev = report.by_severity()
    parts = [f"{len(report.findings)} finding{'s' if len(report.findings) != 1 else ''}"]
    if report.findings:
        parts[0] += " (" + ", ".join(f"{n} {s}" for s, n in sev.items() if n) + ")"
    text = (f"{parts[0]} in {report.files} file{'s' if report.files != 1 else ''}, "
            f"{report.objects} object{'s' if report.objects != 1 else ''}")
    if report.skipped_documents:
        text += f"; {report.skipped_documents} non-Kubernetes document(s) skipped"
    if report.skipped_files:
        text += f"; {len(report.skipped_files)} file(s) skipped"
    if report.suppressed:
        text += f"; {len(report.suppressed)} suppressed"
    if getattr(report, "baselined", 0):
        text += f"; {report.baselined} in the baseline"
    return text
