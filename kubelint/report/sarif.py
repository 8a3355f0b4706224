"""SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps).

Every enabled rule is described in tool.driver.rules; results carry real regions (1-based lines
and columns, end exclusive, columns in Unicode code points), URIs relative to %SRCROOT% (the
current directory) and the baseline fingerprint as a partial fingerprint.
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

from kubelint import __version__

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/kubelint/kubelint"
SRCROOT = "%SRCROOT%"
FINGERPRINT_KEY = "kubelint/v1"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def render(report, stream) -> None:
    json.dump(sarif_log(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")


def sarif_log(report, root: Path | None = None) -> dict:
    from kubelint.baseline import fingerprint

    root = root or Path.cwd()
    rules = dict(report.rules)
    shown = list(report.findings) + (list(report.suppressed) if report.show_suppressed else [])
    for f in shown:  # a finding of a rule that is not in the table still needs an entry
        rules.setdefault(f.rule, None)
    ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    results = []
    for f in sorted(shown, key=lambda f: f.sort_key()):
        result = {
            "ruleId": f.rule, "ruleIndex": index[f.rule], "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [_location(f.file, f.line, f.column, f.end_line, f.end_column, f.object, f.path)],
            "partialFingerprints": {FINGERPRINT_KEY: fingerprint(f, root)},
        }
        if f.related:
            result["relatedLocations"] = [
                {"id": i, "message": {"text": r.message}, **_location(r.file, r.line, 1)}
                for i, r in enumerate(f.related)]
        if f.fix:
            result["fixes"] = [_fix(f)]
        if f.suppressed:
            suppression = {"kind": "inSource"}
            by = report.suppressed_by.get(id(f))
            if by is not None:
                suppression["justification"] = by.describe()
            result["suppressions"] = [suppression]
        results.append(result)
    run = {
        "tool": {"driver": {
            "name": "kubelint", "version": __version__, "semanticVersion": __version__,
            "informationUri": INFORMATION_URI,
            "rules": [_rule(rule_id, rules[rule_id]) for rule_id in ids],
        }},
        "originalUriBaseIds": {SRCROOT: {"uri": root.resolve().as_uri() + "/"}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": True}],
        "results": results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def _rule(rule_id: str, rule) -> dict:
    if rule is None:
        return {"id": rule_id}
    out = {
        "id": rule.id,
        "name": "".join(part.capitalize() for part in rule.id.split("-")),
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": rule.description or rule.summary},
        "helpUri": rule.doc_url,
        "defaultConfiguration": {"level": _LEVEL.get(rule.severity, "warning")},
        "properties": {"category": rule.category, "tags": [rule.category]},
    }
    help_text = "\n\n".join(t for t in (rule.rationale, rule.remediation) if t)
    if help_text:
        out["help"] = {"text": help_text}
    if rule.aliases:
        out["properties"]["aliases"] = list(rule.aliases)
    return out


def _fix(f) -> dict:
    """A finding's edits as a SARIF fix: replacements of regions (end exclusive)."""
    replacements = []
    for e in f.fix["edits"]:
        region = {"startLine": e["line"], "startColumn": e["column"],
                  "endLine": e["end_line"], "endColumn": e["end_column"]}
        replacements.append({"deletedRegion": region, "insertedContent": {"text": e["text"]}})
    return {"description": {"text": f"{f.fix['applicability']} fix for {f.rule}"},
            "artifactChanges": [{"artifactLocation": artifact_location(f.file), "replacements": replacements}]}


def artifact_location(file: str) -> dict:
    path = Path(file)
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix()), "uriBaseId": SRCROOT}


def _location(file, line, column, end_line=None, end_column=None, obj=None, path=None) -> dict:
    region = {"startLine": max(int(line), 1), "startColumn": max(int(column), 1)}
    if end_line is not None and end_column is not None and (end_line, end_column) > (line, column):
        region["endLine"] = int(end_line)
        region["endColumn"] = int(end_column)
    elif end_line is not None and end_line > line:
        region["endLine"] = int(end_line)
    location = {"physicalLocation": {"artifactLocation": artifact_location(file), "region": region}}
    if obj is not None and obj.kind:
        logical = {"name": obj.name or "", "fullyQualifiedName": obj.label(), "kind": "resource"}
        if path:
            logical["properties"] = {"path": path}
        location["logicalLocations"] = [logical]
    return location
