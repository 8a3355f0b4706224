"""Reports: the same findings and summary, rendered for people (rich) or machines."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field

from kubelint.escape import escape_name
from kubelint.findings import SEVERITIES, Finding

FORMATS = ("rich", "plain", "gnu", "json", "sarif", "junit", "github", "gitlab", "html")


@dataclass
class Report:
    findings: list[Finding]  # shown findings, sorted
    files: int
    documents: int
    objects: int
    skipped_documents: int = 0
    skipped_files: list[tuple[str, str]] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # e.g. which Kubernetes version was used
    rules: Mapping = field(default_factory=dict)  # id -> Rule, for formats that describe rules
    sources: Mapping = field(default_factory=dict)  # display path -> SourceFile, to quote lines
    units: dict = field(default_factory=dict)  # file -> [(object or stage name, first line)] (JUnit)
    suppressed_by: dict = field(default_factory=dict)  # id(finding) -> kubelint.suppress.Suppression
    show_suppressed: bool = False  # list suppressed findings too (--show-suppressed)
    baselined: int = 0  # findings the baseline absorbed
    fixed: dict = field(default_factory=dict)  # rule id -> findings --fix fixed
    unsafe_fixes: bool = False  # --unsafe-fixes: unsafe fixes count as applicable
    output_format: str = "full"  # rich: full (code frames) or concise (one line per finding)
    show_source: bool = True  # rich full: quote the source lines
    elapsed: float | None = None  # seconds the run took, for the terminal summary
    graph: dict | None = None  # the wiring graph (kubelint.index.graph, as plain data) for HTML

    def by_severity(self) -> dict[str, int]:
        counts = Counter(f.severity for f in self.findings)
        return {s: counts.get(s, 0) for s in SEVERITIES}

    def by_rule(self) -> Counter:
        return Counter(f.rule for f in self.findings)

    def applies(self, f: Finding) -> bool:
        """Whether this run's fix options would fix the finding (its fix is safe, or
        --unsafe-fixes was given); False when it has no fix."""
        return f.fix is not None and (f.fix["applicability"] == "safe" or self.unsafe_fixes)

    def fixable(self) -> tuple[int, int]:
        """(findings --fix would fix with this run's options, more that --unsafe-fixes would)."""
        now = sum(1 for f in self.findings if self.applies(f))
        return now, sum(1 for f in self.findings if f.fix) - now

    def summary(self) -> dict:
        return {
            "files": self.files, "documents": self.documents, "objects": self.objects,
            "skipped_documents": self.skipped_documents,
            "skipped_files": [{"file": escape_name(p), "reason": escape_name(r)} for p, r in self.skipped_files],
            "findings": len(self.findings), "suppressed": len(self.suppressed),
            "baselined": self.baselined,
            "by_severity": self.by_severity(),
            "by_rule": dict(sorted(self.by_rule().items())),
            **({"fixed": dict(self.fixed)} if self.fixed else {}),
        }


def render(report: Report, fmt: str, stream, color: bool = False, quiet: bool = False) -> None:
    if fmt in ("plain", "gnu"):
        from kubelint.report.plain import render_plain
        render_plain(report, stream, quiet)
    elif fmt == "json":
        from kubelint.report.json_report import render_json
        render_json(report, stream)
    elif fmt == "github":
        from kubelint.report.github import render as render_github
        render_github(report, stream, quiet)
    elif fmt == "rich":
        from kubelint.report.rich_report import render_rich
        render_rich(report, stream, color, quiet)
    else:
        import importlib
        module = importlib.import_module(f"kubelint.report.{fmt}")
        module.render(report, stream)
