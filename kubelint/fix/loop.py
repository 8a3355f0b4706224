"""Proposing and applying fixes, and the fix-relint loop.

One pass: every fixable finding's fixer proposes edits; per file, fixes are taken in position
order and one that collides with a fix already taken waits for the next pass (two fixes that
propose the very same edits count as one). The file's new text must parse as well as the old
(no new syntax error, duplicate key, lost document or unparsable Dockerfile line); otherwise the
fixes are tried one by one and the ones that break it are dropped and reported. Then the caller
re-lints and the loop goes on until a pass changes nothing, or MAX_PASSES (like ruff's loop),
so the result is a fixed point. Files with a syntax error, an unreadable encoding or template
markers are never touched.

The loop never imports the engine: `lint` (the caller's) turns sources into a scan and findings.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable

from kubelint.findings import Finding
from kubelint.fix.catalog import fixer_for
from kubelint.fix.context import FixContext
from kubelint.fix.edits import SAFE, UNSAFE, Edit, Fix, LineIndex, apply_edits, edit_json, overlaps
from kubelint.fix.registry import FixerSpec
from kubelint.model.k8s import objects_from_document
from kubelint.model.source import SourceFile
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.scan import Scan

MAX_PASSES = 25
# Findings that mean the file is not understood well enough to edit.
BLOCKING = frozenset({"yaml-syntax", "yaml-too-complex", "file-unreadable", "unrendered-template",
                      "dockerfile-syntax", "expansion-limit"})


@dataclass
class FixPolicy:
    unsafe: bool = False  # --unsafe-fixes
    fixable: Callable[[str], bool] = lambda rule: True  # the config's fixable / unfixable
    params: dict[str, dict] = field(default_factory=dict)  # rule id -> effective params

    def allows(self, applicability: str) -> bool:
        return applicability == SAFE or self.unsafe


@dataclass
class Dropped:
    file: str
    line: int
    rule: str
    reason: str


@dataclass
class FixOutcome:
    scan: Scan
    findings: list[Finding]
    fixed: Counter = field(default_factory=Counter)  # rule id -> findings fixed
    originals: dict[str, SourceFile] = field(default_factory=dict)  # display -> source before fixing
    texts: dict[str, str] = field(default_factory=dict)  # display -> text after fixing (changed files)
    dropped: list[Dropped] = field(default_factory=list)
    passes: int = 0
    converged: bool = True


def blocked_files(scan: Scan) -> set[str]:
    return {f.file for f in scan.parse_findings if f.rule in BLOCKING}


class _Files:
    """The parsed form of each file fixes are proposed for, built once per pass."""

    def __init__(self, scan: Scan):
        self.scan = scan
        self.sources = {s.display: s for s in scan.sources}
        self.dockerfiles = {d.source.display: d for d in scan.dockerfiles}
        self.blocked = blocked_files(scan)
        self._docs: dict[str, list] = {}
        self._index: dict[str, LineIndex] = {}
        self._placed: dict[str, str] | None = None

    def index(self, display: str) -> LineIndex:
        if display not in self._index:
            source = self.sources[display]
            self._index[display] = LineIndex(source.text, source.file_type)
        return self._index[display]

    def docs(self, display: str) -> list:
        if display not in self._docs:
            self._docs[display] = [d for d in parse_yaml(self.sources[display]).documents if d.data is not None]
        return self._docs[display]

    def _kustomize_namespace(self, display: str) -> str | None:
        """The namespace a Kustomization of the scan placed the file's objects in (per file), so
        the objects parsed again here have the refs the findings were made with."""
        if self._placed is None:
            self._placed = {o.file: o.kustomize_namespace for o in self.scan.objects if o.kustomize_namespace}
        return self._placed.get(display)

    def context(self, f: Finding, params: dict) -> FixContext | None:
        source = self.sources.get(f.file)
        if source is None or f.file in self.blocked:
            return None
        ctx = FixContext(finding=f, source=source, index=self.index(f.file), params=params)
        if source.file_type == "dockerfile":
            ctx.dockerfile = self.dockerfiles.get(f.file)
            return ctx if ctx.dockerfile is not None else None
        docs = [d for d in self.docs(f.file) if d.start_line <= f.line]
        if not docs:
            return None
        if f.object is None:
            ctx.doc = docs[-1]
            return ctx
        # The object: the finding's own, in the last document starting before it.
        for doc in reversed(docs):
            found = None
            for obj in objects_from_document(doc):
                obj.default_namespace = self.scan.options.namespace
                obj.kustomize_namespace = self._kustomize_namespace(f.file)
                if obj.ref == f.object and (found is None or obj.line <= f.line):
                    found = obj
            if found is not None:
                ctx.doc, ctx.obj = doc, found
                return ctx
        return None


def propose(scan: Scan, findings: Iterable[Finding], policy: FixPolicy, files: _Files | None = None,
            only_allowed: bool = True) -> list[Fix]:
    """The fixes for these findings (with only_allowed, those the policy lets apply)."""
    files = files or _Files(scan)
    out = []
    fixers: dict[str, FixerSpec | None] = {}  # rule id -> its fixer, when the policy lets it fix
    for f in findings:
        if f.rule in fixers:
            spec = fixers[f.rule]
        else:
            spec = fixers[f.rule] = fixer_for(f.rule)
            if spec is not None and not policy.fixable(f.rule):
                spec = fixers[f.rule] = None
        if spec is None or f.suppressed:
            continue
        if only_allowed and not policy.allows(spec.applicability):
            continue
        fix = _run_fixer(spec, f, files, policy)
        if fix is not None and (not only_allowed or policy.allows(fix.applicability)):
            out.append(fix)
    return out


def _run_fixer(spec: FixerSpec, f: Finding, files: _Files, policy: FixPolicy) -> Fix | None:
    ctx = files.context(f, policy.params.get(f.rule, {}))
    if ctx is None:
        return None
    try:
        result = spec.run(ctx)
    except Exception:  # noqa: BLE001 - a fixer's bug costs its fix, never the run
        return None
    if result is None:
        return None
    if isinstance(result, Fix):
        # A fixer may lower an occurrence's applicability, never raise it.
        applicability = UNSAFE if UNSAFE in (result.applicability, spec.applicability) else SAFE
        fix = Fix(f.rule, applicability, tuple(result.edits), f)
    else:
        fix = Fix(f.rule, spec.applicability, tuple(result), f)
    return fix if fix.edits and any(e.start != e.end or e.text for e in fix.edits) else None


def annotate(scan: Scan, findings: list[Finding], policy: FixPolicy) -> None:
    """Give each fixable finding its fix for reports: {applicability, edits: [...]}."""
    files = _Files(scan)
    for fix in propose(scan, findings, policy, files, only_allowed=False):
        index = files.index(fix.finding.file)
        fix.finding.fix = {"applicability": fix.applicability,
                           "edits": [edit_json(e, index) for e in sorted(fix.edits, key=lambda e: e.start)]}


def _select(fixes: list[Fix]) -> list[list[Fix]]:
    """Non-colliding groups in position order; fixes with identical edits share a group."""
    taken: list[list[Fix]] = []
    for fix in sorted(fixes, key=lambda x: (x.span, x.rule)):
        same = next((g for g in taken if set(g[0].edits) == set(fix.edits)), None)
        if same is not None:
            same.append(fix)
            continue
        if any(overlaps((e.start, e.end), (t.start, t.end)) for g in taken for t in g[0].edits for e in fix.edits):
            continue
        if _self_overlapping(fix.edits):
            continue
        taken.append([fix])
    return taken


def _self_overlapping(edits: tuple[Edit, ...]) -> bool:
    spans = sorted((e.start, e.end) for e in edits)
    return any(b[0] < a[1] for a, b in zip(spans, spans[1:], strict=False))


def _parses(source: SourceFile, text: str, target: str | None) -> tuple[int, int, int]:
    """(syntax errors, duplicate keys, documents) of a text, to compare before and after."""
    new = SourceFile(source.path, source.display, text, source.file_type)
    if source.file_type == "dockerfile":
        from kubelint.parse.dockerfile import parse_dockerfile

        _, findings = parse_dockerfile(new, target=target)
        return sum(1 for f in findings if f.rule in BLOCKING), 0, 0
    parsed = parse_yaml(new)
    errors = sum(1 for f in parsed.findings if f.rule in BLOCKING)
    dups = sum(1 for f in parsed.findings if f.rule == "duplicate-key")
    return errors, dups, sum(1 for d in parsed.documents if d.data is not None)


def _still_parses(source: SourceFile, text: str, before: tuple[int, int, int], target: str | None) -> bool:
    errors, dups, docs = _parses(source, text, target)
    return errors <= before[0] and dups <= before[1] and docs == before[2]


def apply_pass(scan: Scan, findings: list[Finding], policy: FixPolicy,
               outcome: FixOutcome) -> dict[str, str]:
    """One pass: the new text of each file some fix changed."""
    files = _Files(scan)
    by_file: dict[str, list[Fix]] = {}
    for fix in propose(scan, findings, policy, files):
        by_file.setdefault(fix.finding.file, []).append(fix)
    changed: dict[str, str] = {}
    for display, fixes in by_file.items():
        source = files.sources[display]
        groups = _select(fixes)
        before = _parses(source, source.text, scan.options.target)
        text = apply_edits(source.text, [e for g in groups for e in g[0].edits])
        if not _still_parses(source, text, before, scan.options.target):
            # One at a time: keep each fix that leaves the file parsing.
            kept: list[list[Fix]] = []
            for group in groups:
                trial = apply_edits(source.text, [e for g in kept + [group] for e in g[0].edits])
                if _still_parses(source, trial, before, scan.options.target):
                    kept.append(group)
                else:
                    f = group[0].finding
                    outcome.dropped.append(Dropped(display, f.line, f.rule, "the fixed file would not parse"))
            groups = kept
            text = apply_edits(source.text, [e for g in groups for e in g[0].edits])
        if text == source.text:
            continue
        for group in groups:
            for fix in group:
                outcome.fixed[fix.rule] += 1
        changed[display] = text
    return changed


def fix_loop(scan: Scan, findings: list[Finding], policy: FixPolicy,
             lint: Callable[[list[SourceFile]], tuple[Scan, list[Finding]]],
             max_passes: int = MAX_PASSES) -> FixOutcome:
    """Fix, re-lint, repeat until nothing changes. `findings` are the ones that may be fixed
    (shown: not suppressed, not in the baseline); `lint` re-lints sources the same way."""
    outcome = FixOutcome(scan, findings)
    originals = {s.display: s for s in scan.sources}
    for n in range(max_passes):
        changed = apply_pass(outcome.scan, outcome.findings, policy, outcome)
        if not changed:
            break
        outcome.passes = n + 1
        outcome.texts.update(changed)
        for display in changed:
            outcome.originals.setdefault(display, originals[display])
        sources = [SourceFile(s.path, s.display, changed[s.display], s.file_type) if s.display in changed else s
                   for s in outcome.scan.sources]
        outcome.scan, outcome.findings = lint(sources)
    else:
        outcome.converged = not apply_pass(outcome.scan, outcome.findings, policy, FixOutcome(scan, []))
    # Files that came back to their original text are not changed.
    for display in [d for d, t in outcome.texts.items() if t == outcome.originals[d].text]:
        del outcome.texts[display]
    return outcome
