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
        **({"fix": f.fix} if f.fix else {}),
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
    stream.write(_layout(doc))
    stream.write("\n")


def _layout(doc: dict) -> str:
    """Indented JSON with one finding per line. json's indent= switches to its pure-Python
    encoder (1.2 s for the corpus' 10,000 findings); encoding each finding compactly keeps the
    C encoder and stays readable and diffable."""
    parts = []
    for key, value in doc.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ",\n    ".join(json.dumps(v, ensure_ascii=False) for v in value)
            parts.append(f'  {json.dumps(key)}: [\n    {items}\n  ]')
        else:
            text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
            parts.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(parts) + "\n}"


def _by(report, f):
    by = report.suppressed_by.get(id(f))
    return None if by is None else {"form": by.form, "file": by.file, "line": by.line,
                                    "reason": by.reason}
