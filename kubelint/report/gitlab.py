"""GitLab Code Quality (`--format gitlab`): the subset of the Code Climate issue format that
GitLab reads from an `artifacts: reports: codequality:` file, shown in merge requests.

Per finding: description, check_name (the rule id), fingerprint (the baseline's, made unique),
severity (GitLab's scale), location.path (relative to the current directory, which is the
repository root in a CI job, with forward slashes) and location.lines.begin/end. Code Climate's
type, categories and content.body are filled too; GitLab ignores what it does not use.
"""

from __future__ import annotations

import json
from pathlib import Path

from kubelint.baseline import relative_file
from kubelint.report.fingerprints import unique_fingerprints

SEVERITY = {"error": "major", "warning": "minor", "info": "info"}
# kubelint category -> Code Climate category.
CATEGORY = {"security": "Security", "rbac": "Security", "reliability": "Bug Risk",
            "cross-object": "Bug Risk", "schema": "Bug Risk", "syntax": "Bug Risk", "core": "Bug Risk",
            "efficiency": "Performance", "resources": "Performance", "images": "Compatibility",
            "networking": "Bug Risk", "best-practice": "Style", "suppressions": "Clarity"}


def issues(report, root: Path | None = None) -> list[dict]:
    root = root or Path.cwd()
    out = []
    findings = list(report.findings)
    for f, fp in zip(findings, unique_fingerprints(findings, root), strict=True):
        rule = report.rules.get(f.rule)
        lines = {"begin": max(int(f.line), 1)}
        if f.end_line is not None and f.end_line > f.line:
            lines["end"] = int(f.end_line)
        issue = {
            "type": "issue",
            "description": f"[{f.rule}] {f.message}",
            "check_name": f.rule,
            "fingerprint": fp,
            "severity": SEVERITY.get(f.severity, "minor"),
            "location": {"path": relative_file(f.file, root), "lines": lines},
            "categories": [CATEGORY.get(rule.category, "Bug Risk") if rule is not None else "Bug Risk"],
        }
        body = "\n\n".join(t for t in (f.remediation, f"Docs: {f.doc_url}" if f.doc_url else "") if t)
        if body:
            issue["content"] = {"body": body}
        out.append(issue)
    return out


def render(report, stream) -> None:
    json.dump(issues(report), stream, indent=2, ensure_ascii=False)
    stream.write("\n")
