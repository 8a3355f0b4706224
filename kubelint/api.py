"""Linting from Python: the same pipeline as `kubelint check`, on text or paths.

As on the command line, `select=None` runs the recommended set (rules with `default-enabled:
true`); `select=["all"]` runs every rule and `extend_select` adds to the set in force."""

from __future__ import annotations

from kubelint.discover import discover
from kubelint.findings import Finding
from kubelint.parse.source import SourceFile
from kubelint.engine.engine import Engine
from kubelint.engine.loader import load_rules
from kubelint.runner import add_dockerfile, add_yaml, build_scan
from kubelint.scan import Options, Scan
from kubelint.selection import select_rules


def lint_text(text: str, file_type: str = "yaml", name: str | None = None,
              options: Options | None = None, select=None, ignore=(), rules_dirs=(),
              extend_select=(), params: dict[str, dict] | None = None) -> list[Finding]:
    """Findings for one file's text ('yaml' or 'dockerfile'), sorted by position."""
    name = name or ("Dockerfile" if file_type == "dockerfile" else "manifest.yaml")
    scan = Scan(options=options or Options())
    source = SourceFile(name, name, text, file_type)
    scan.sources.append(source)
    if file_type == "dockerfile":
        add_dockerfile(scan, source)
    else:
        add_yaml(scan, source)
    return _run(scan, select, ignore, rules_dirs, extend_select, params)


def lint_paths(paths: list[str], options: Options | None = None, select=None, ignore=(),
               rules_dirs=(), exclude=(), extend_select=(), params: dict[str, dict] | None = None) -> list[Finding]:
    scan = build_scan(discover(paths, list(exclude)), options or Options())
    return _run(scan, select, ignore, rules_dirs, extend_select, params)


def _run(scan: Scan, select, ignore, rules_dirs, extend_select=(), params=None) -> list[Finding]:
    """Findings that no inline suppression silenced (see kubelint.suppress)."""
    from kubelint import suppress

    all_rules = load_rules(list(rules_dirs))
    rules = select_rules(all_rules, select, ignore, params=params, extend_select=extend_select)
    outcome = suppress.apply(Engine(rules).run(scan), scan, all_rules, rules)
    return sorted((f for f in outcome.findings if not f.suppressed), key=lambda f: f.sort_key())
