"""`path:line:col: severity [rule] message`, one per line: the quickfix format editors read.

Every value that comes from a manifest, a rule file or a file name goes through `escape_text`.
"""

from kubelint.escape import escape_text as esc


def render_plain(report, stream, quiet: bool = False) -> None:
    shown = report.findings
    if getattr(report, "show_suppressed", False) and report.suppressed:
        shown = sorted(report.findings + report.suppressed, key=lambda f: f.sort_key())
    for f in shown:
        stream.write(f"{esc(f.file)}:{f.line}:{f.column}: {esc(f.severity)} [{esc(f.rule)}] {esc(f.message)}"
                     f"{esc(suppressed_note(report, f))}\n")
    if quiet:
        return
    for line in footer_lines(report):
        stream.write(line + "\n")
    stream.write(summary_line(report) + "\n")


def footer_lines(report) -> list[str]:
    """Skipped paths with their reasons, then the notes: escaped, one line each."""
    lines = [f"skipped: {esc(path)}: {esc(reason)}" for path, reason in report.skipped_files]
    lines += [f"note: {esc(note)}" for note in report.notes]
    return lines


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
        text += f"; {len(report.skipped_files)} path(s) skipped"
    if report.suppressed:
        text += f"; {len(report.suppressed)} suppressed"
    if getattr(report, "baselined", 0):
        text += f"; {report.baselined} in the baseline"
    return text
