"""`--statistics`: how many findings each rule produced, most frequent first."""

from __future__ import annotations

import json

from kubelint.escape import escape_text as esc


def rows(report) -> list[dict]:
    out = []
    for rule_id, count in report.by_rule().most_common():
        rule = report.rules.get(rule_id)
        severity = next((f.severity for f in report.findings if f.rule == rule_id), "")
        out.append({"rule": rule_id, "count": count, "severity": severity,
                    "summary": rule.summary if rule else ""})
    out.sort(key=lambda r: (-r["count"], r["rule"]))
    return out


def render_statistics(report, stream, fmt: str = "plain") -> None:
    table = rows(report)
    if fmt == "json":
        json.dump(table, stream, indent=2)
        stream.write("\n")
        return
    width = max((len(str(r["count"])) for r in table), default=1)
    rule_width = max((len(esc(r["rule"])) for r in table), default=4)
    for r in table:
        stream.write(f"{r['count']:>{width}}  {esc(r['rule']):<{rule_width}}  {esc(r['severity']):<7}  "
                     f"{esc(r['summary'])}\n")
    from kubelint.report.plain import summary_line

    stream.write(summary_line(report) + "\n")
