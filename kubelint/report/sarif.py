"""SARIF 2.1.0 for code-scanning services (GitHub, GitLab, Azure DevOps).

Every enabled rule is described in tool.driver.rules, with its help in text and markdown
(description, rationale, remediation, an example) and, for security rules, the
`security-severity` score GitHub ranks alerts by. Results carry real regions (1-based lines and
columns, end exclusive, columns in Unicode code points), URIs relative to %SRCROOT% (the current
directory) and the baseline fingerprint as a partial fingerprint (made unique per run).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any
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


# Categories whose findings are security problems: GitHub shows them as security alerts,
# ranked by `security-severity` (0-10: low below 4, medium below 7, high below 9, critical).
SECURITY_CATEGORIES = ("security", "rbac")
# Cross-object rules about how Secrets are handed out, and unencrypted ingress.
SECURITY_RULES = ("plaintext-secret", "secret-as-env", "secret-file-mode", "ingress-tls")
SECURITY_SEVERITY = {"error": "8.0", "warning": "5.5", "info": "2.0"}


def sarif_log(report, root: Path | None = None) -> dict:
    from kubelint.report.fingerprints import unique_fingerprints

    root = root or Path.cwd()
    rules = dict(report.rules)
    shown = list(report.findings) + (list(report.suppressed) if report.show_suppressed else [])
    for f in shown:  # a finding of a rule that is not in the table still needs an entry
        rules.setdefault(f.rule, None)
    ids = sorted(rules)
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    results = []
    shown = sorted(shown, key=lambda f: f.sort_key())
    fingerprints = unique_fingerprints(shown, root)
    for f, fp in zip(shown, fingerprints, strict=True):
        result: dict = {
            "ruleId": f.rule, "ruleIndex": index[f.rule], "level": _LEVEL.get(f.severity, "warning"),
            "message": {"text": f.message},
            "locations": [_location(f.file, f.line, f.column, f.end_line, f.end_column, f.object, f.path)],
            "partialFingerprints": {FINGERPRINT_KEY: fp},
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
        out["help"] = {"text": help_text, "markdown": help_markdown(rule)}
    if rule.aliases:
        out["properties"]["aliases"] = list(rule.aliases)
    if is_security(rule):
        if "security" not in out["properties"]["tags"]:
            out["properties"]["tags"].append("security")
        out["properties"]["security-severity"] = SECURITY_SEVERITY.get(rule.severity, "5.5")
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
def is_security(rule) -> bool:
    return rule.category in SECURITY_CATEGORIES or rule.id in SECURITY_RULES


def help_markdown(rule) -> str:
    """The rule's page in short: what it reports, why, how to fix it, a failing example."""
    parts = [f"**{_md(rule.summary)}**"]
    for title, text in (("", rule.description), ("Why", rule.rationale), ("How to fix", rule.remediation)):
        if text:
            parts.append((f"**{title}:** " if title else "") + _md(_paragraph(text)))
    bad = (rule.examples or {}).get("bad") or []
    for name, text, lang in _example_files(bad[0], rule.example_type)[:3] if bad else ():
        fence = "````" if "```" in text else "```"
        where = f" ({name})" if name else ""
        parts.append(f"Reported{where}:\n\n{fence}{lang}\n{text.rstrip()}\n{fence}")
    parts.append(f"[Rule documentation]({rule.doc_url})")
    return "\n\n".join(parts)


def _example_files(example, example_type: str) -> list[tuple[str | None, str, str]]:
    """(file name, text, language) of an example: one text, or `{files: {path: text}}` for a rule
    that looks across files (a Dockerfile and the manifest that runs its image)."""
    if isinstance(example, dict):
        files = example.get("files") or {}
        return [(name, str(text), "dockerfile" if "dockerfile" in name.lower() else "yaml")
                for name, text in files.items()]
    return [(None, str(example), "dockerfile" if example_type == "dockerfile" else "yaml")]


def _paragraph(text: str) -> str:
    return " ".join(text.split())


def _md(text: str) -> str:
    # Rule texts use `code` and plain prose: only characters that would start HTML are escaped.
    return text.replace("<", "&lt;").replace(">", "&gt;")


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
    location: dict[str, Any] = {"physicalLocation": {"artifactLocation": artifact_location(file), "region": region}}
    if obj is not None and obj.kind:
        logical: dict[str, Any] = {"name": obj.name or "", "fullyQualifiedName": obj.label(), "kind": "resource"}
        if path:
            logical["properties"] = {"path": path}
        location["logicalLocations"] = [logical]
    return location
