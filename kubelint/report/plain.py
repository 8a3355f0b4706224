"""`path:line:col: severity [rule] message`, one per line: the quickfix format editors read.

Every value that comes from a manifest, a rule file or a file name goes through `escape_text`.
"""

from kubelint.escape import escape_text as esc


def render_plain(report, stream, quiet: bool = False) -> None:
    shown = report.findings
    if getattr(report, "show_suppressed", False) and report.suppressed:
        shown = sorted(report.findings + report.suppressed, key=lambda f: f.sort_key())
    # File names, severities and rule ids repeat from finding to finding: each escaped once.
    files: dict[str, str] = {}
    heads: dict[tuple[str, str], str] = {}
    lines: list[str] = []
    for f in shown:
        where = files.get(f.file)
        if where is None:
            where = files[f.file] = esc(f.file)
        head = heads.get((f.severity, f.rule))
        if head is None:
            head = heads[(f.severity, f.rule)] = f"{esc(f.severity)} [{esc(f.rule)}]"
        note = esc(suppressed_note(report, f)) if f.suppressed else ""
        lines.append(f"{where}:{f.line}:{f.column}: {head} {esc(f.message)}{note}\n")
        if len(lines) == 100:  # a write per line cost a third of the report
            stream.write("".join(lines))
            lines = []
    stream.write("".join(lines))
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


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n} {word if n == 1 else (many or word + 's')}"


_SEVERITY_WORDS = {"error": ("error", "errors"), "warning": ("warning", "warnings"), "info": ("info", "info")}


def summary_line(report, elapsed: float | None = None) -> str:
    sev = report.by_severity()
    head = plural(len(report.findings), "finding")
    if report.findings:
        head += " (" + ", ".join(plural(n, *_SEVERITY_WORDS.get(s, (s, s))) for s, n in sev.items() if n) + ")"
    text = f"{head} in {plural(report.files, 'file')}, {plural(report.objects, 'object')}"
    if report.skipped_documents:
        text += f"; {plural(report.skipped_documents, 'non-Kubernetes document')} skipped"
    if report.skipped_files:
        text += f"; {plural(len(report.skipped_files), 'path')} skipped"
    if report.suppressed:
        text += f"; {len(report.suppressed)} suppressed"
    if getattr(report, "baselined", 0):
        text += f"; {report.baselined} in the baseline"
    if elapsed is not None:
        text += f" ({elapsed:.2f}s)"
    return text


def fixable_line(report) -> str | None:
    """How many findings a fix would remove, like ruff's "[*] N fixable with the --fix option":
    the ones this run's options would fix, then those only --unsafe-fixes would. None when no
    finding carries a fix (or the report was made without them)."""
    now, more = report.fixable()
    if not now and not more:
        return None
    if not now:
        return f"{plural(more, 'finding')} fixable with --fix --unsafe-fixes (unsafe: may change behaviour)"
    command = "--fix --unsafe-fixes" if report.unsafe_fixes else "--fix"
    return f"[*] {now} fixable with {command}" + (f" ({more} more with --unsafe-fixes)" if more else "")
