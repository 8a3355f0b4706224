"""`kubelint check`: discover -> parse -> model -> rules -> findings -> report."""

from __future__ import annotations

import os
import sys

from kubelint.discover import discover
from kubelint.errors import KubelintError
from kubelint.findings import SEVERITY_RANK
from kubelint.report import Report, render
from kubelint.rules.engine import Engine
from kubelint.rules.loader import load_rules
from kubelint.runner import build_scan
from kubelint.scan import Options
from kubelint.selection import select_rules

EXIT_OK, EXIT_FINDINGS = 0, 1


def options_from_args(args) -> Options:
    return Options(
        kubernetes_version=args.kubernetes_version,
        namespace=args.namespace or "default",
        complete=args.complete,
        reject_unknown_kinds=args.reject_unknown_kinds,
        schema_dirs=list(args.schema_dir),
        target=args.target,
    )


def run_check(args) -> int:
    paths = args.paths or ["."]
    if "-" in paths and len(paths) > 1:
        raise KubelintError("'-' (standard input) cannot be combined with other paths")
    discovered = discover(paths, args.exclude, args.type)
    if discovered.missing:
        raise KubelintError(f"no such file or directory: {discovered.missing[0]}")
    options = options_from_args(args)
    rules = select_rules(load_rules(args.rules_dir), args.select, args.ignore)
    scan = build_scan(discovered, options, args.stdin_filename)
    engine = Engine(rules)
    findings = sorted(engine.run(scan), key=lambda f: f.sort_key())

    report = Report(
        findings=[f for f in findings if not f.suppressed],
        suppressed=[f for f in findings if f.suppressed],
        files=len(scan.sources) + sum(1 for f in findings if f.rule == "file-unreadable"),
        documents=scan.documents, objects=len(scan.objects),
        skipped_documents=scan.skipped_documents, skipped_files=scan.skipped_files,
        notes=list(scan.options.extra.get("notes", [])), rules=rules,
        sources={s.display: s for s in scan.sources})

    fmt = args.format or ("rich" if _is_tty(args) else "plain")
    color = fmt == "rich" and _use_color(args)
    if args.output:
        try:
            with open(args.output, "w", encoding="utf-8") as out:
                render(report, fmt, out, color=False, quiet=args.quiet)
        except OSError as exc:
            raise KubelintError(f"cannot write {args.output}: {exc.strerror}") from None
    else:
        render(report, fmt, sys.stdout, color=color, quiet=args.quiet)

    threshold = SEVERITY_RANK[args.fail_on or "warning"]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _is_tty(args) -> bool:
    return not args.output and sys.stdout.isatty()


def _use_color(args) -> bool:
    return not args.no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
