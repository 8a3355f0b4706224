"""The documented, stable JSON format (see README: JSON output)."""

import json

from kubelint import __version__

JSON_FORMAT_VERSION = 1


def finding_json(f) -> dict:
    return {
        "rule": f.rule, "severity": f.severity, "message": f.message, "file": f.file,
        "line": f.line, "column": f.column, "end_line": f.end_line, "end_column": f.end_column,
        "object": f.object.to_json() if f.object else None, "path": f.path,
        "remediation": f.remediation or None, "doc_url": f.doc_url,
        "related": [{"file": r.file, "line": r.line, "message": r.message} for r in f.related],
    }


def render_json(report, stream) -> None:
    doc = {
        "version": JSON_FORMAT_VERSION,
        "kubelint_version": __version__,
        "findings": [finding_json(f) for f in report.findings],
        **({"suppressed_findings": [dict(finding_json(f), suppressed_by=_by(report, f))
                                    for f in report.suppressed]}
           if getattr(report, "show_suppressed", False) else {}),
        "summary": report.summary(),
        "notes": report.notes,
    }
    json.dump(doc, stream, indent=2)
    stream.write("\n")


def _by(report, f):
    by = report.suppressed_by.get(id(f))
    return None if by is None else {"form": by.form, "file": by.file, "line": by.line,
                                    "reason": by.reason}
