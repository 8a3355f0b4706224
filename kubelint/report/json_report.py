"""The documented, stable JSON format (see README: JSON output)."""

import json
from json.encoder import encode_basestring

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


BATCH = 100  # list items per write (_list)
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode
_LAST_OBJECT = object()


def _v(x) -> str:
    """One JSON value as json.JSONEncoder(ensure_ascii=False) writes it."""
    if x is None:
        return "null"
    if type(x) is str:
        return encode_basestring(x)
    if type(x) is int:
        return int.__repr__(x)
    return _ENCODE(x)


def finding_line(f, shared: dict | None = None) -> str:
    """finding_json(f) encoded, written out field by field: the same text as
    JSONEncoder(ensure_ascii=False).encode(finding_json(f)) in a third of the time, which
    counts with hundreds of thousands of findings. `shared` keeps the encoded text of what
    findings repeat (per rule, per file, the last object) from one finding to the next."""
    if f.fix:
        return _ENCODE(finding_json(f))
    if shared is None:
        shared = {}
    head = shared.get((f.rule, f.severity, f.remediation, f.doc_url))
    if head is None:
        head = shared[(f.rule, f.severity, f.remediation, f.doc_url)] = (
            f'{{"rule": {_v(f.rule)}, "severity": {_v(f.severity)}, "message": ',
            f', "remediation": {_v(f.remediation or None)}, "doc_url": {_v(f.doc_url)}, "related": [')
    file = shared.get(f.file)
    if file is None:
        file = shared[f.file] = f', "file": {_v(f.file)}, "line": '
    o = f.object
    last = shared.get(_LAST_OBJECT)  # findings come sorted: an object's findings follow each other
    if last is not None and last[0] is o:
        obj = last[1]
    else:
        obj = "null" if o is None else (
            f'{{"apiVersion": {_v(o.api_version)}, "kind": {_v(o.kind)}, "namespace": {_v(o.namespace)}, '
            f'"name": {_v(o.name)}}}')
        shared[_LAST_OBJECT] = (o, obj)
    related = ", ".join(f'{{"file": {_v(r.file)}, "line": {_v(r.line)}, "message": {_v(r.message)}}}'
                        for r in f.related) if f.related else ""
    # The fields that differ in every finding, each written inline (no call to _v for them).
    message, path = f.message, f.path
    line, column, end_line, end_column = f.line, f.column, f.end_line, f.end_column
    return (f'{head[0]}{encode_basestring(message) if type(message) is str else _v(message)}{file}'
            f'{int.__repr__(line) if type(line) is int else _v(line)}, "column": '
            f'{int.__repr__(column) if type(column) is int else _v(column)}, "end_line": '
            f'{int.__repr__(end_line) if type(end_line) is int else _v(end_line)}, "end_column": '
            f'{int.__repr__(end_column) if type(end_column) is int else _v(end_column)}, "object": {obj}, '
            f'"path": {encode_basestring(path) if type(path) is str else _v(path)}{head[1]}{related}]}}')


def render_json(report, stream) -> None:
    """Indented JSON with one finding per line, written finding by finding: the report is never
    held in memory as a whole (a 10 MB input with 500,000 findings once took 2.3 GB here).
    json's indent= switches to its pure-Python encoder (1.2 s for the corpus' 10,000 findings);
    encoding each finding compactly keeps the C encoder and stays readable and diffable."""
    show_suppressed = getattr(report, "show_suppressed", False)
    stream.write("{\n")
    _value(stream, "version", JSON_FORMAT_VERSION)
    _value(stream, "kubelint_version", __version__)
    shared: dict = {}
    _list(stream, "findings", (finding_line(f, shared) for f in report.findings), encoded=True)
    if show_suppressed:
        _list(stream, "suppressed_findings", (dict(finding_json(f), suppressed_by=_by(report, f))
                                              for f in report.suppressed))
    _value(stream, "summary", report.summary())
    _value(stream, "notes", report.notes, last=True)
    stream.write("}\n")


def _value(stream, key: str, value, last: bool = False) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False).replace("\n", "\n  ")
    stream.write(f"  {json.dumps(key)}: {text}{'' if last else ','}\n")


def _list(stream, key: str, items, encoded: bool = False) -> None:
    """A list of objects (or of their JSON text, when encoded), one per line; an empty list
    reads `[]` as json.dumps writes it. Written BATCH items at a time: a write per item cost
    nearly as much as encoding it, and a batch keeps memory bounded all the same."""
    first = True
    batch: list[str] = []
    for item in items:
        batch.append(item if encoded else _ENCODE(item))
        if len(batch) == BATCH:
            stream.write((f"  {json.dumps(key)}: [\n    " if first else ",\n    ") + ",\n    ".join(batch))
            first = False
            batch = []
    if batch:
        stream.write((f"  {json.dumps(key)}: [\n    " if first else ",\n    ") + ",\n    ".join(batch))
        first = False
    stream.write(f"  {json.dumps(key)}: [],\n" if first else "\n  ],\n")


def _by(report, f):
    by = report.suppressed_by.get(id(f))
    return None if by is None else {"form": by.form, "file": by.file, "line": by.line,
                                    "reason": by.reason}
