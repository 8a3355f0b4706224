"""`kubelint check`: config -> discover -> parse -> rules -> suppressions -> baseline -> reports."""

from __future__ import annotations

import os
import sys
from collections import defaultdict

from kubelint.commands.outputs import pair_outputs, refuse_overwriting, write_reports
from kubelint.config import Settings, check_rule_ids, expand_params, expand_severity, resolve_config
from kubelint.discover import discover
from kubelint.errors import KubelintError
from kubelint.findings import SEVERITY_RANK
from kubelint.report import Report
from kubelint.engine.engine import Engine
from kubelint.engine.loader import load_rules
from kubelint.runner import build_scan
from kubelint.scan import Options
from kubelint.selection import select_rules, token_matches

EXIT_OK, EXIT_FINDINGS = 0, 1


def settings_from_args(args, settings: Settings) -> Settings:
    """Command-line options over the config file (see docs/configuration.md, Precedence)."""
    if args.select is not None:
        # An explicit --select starts over, like ruff: the file's select and ignore no longer apply.
        settings.select, settings.extend_select, settings.ignore = list(args.select), [], []
    settings.extend_select = settings.extend_select + list(args.extend_select)
    settings.ignore = settings.ignore + list(args.ignore)
    settings.rules_dirs = settings.rules_dirs + list(args.rules_dir)
    settings.schema_dirs = settings.schema_dirs + list(args.schema_dir)
    for name in ("kubernetes_version", "namespace", "fail_on", "strict", "complete",
                 "reject_unknown_kinds", "baseline"):
        value = getattr(args, name)
        if value is not None:
            setattr(settings, name, value)
    if args.no_inline_ignores:
        settings.allow_inline_ignores = False
    return settings


def options_from(settings: Settings, args) -> Options:
    from kubelint.validate.versions import VersionError, version_note

    notes = []
    if settings.source is not None:  # which config file decided this run
        from kubelint.discover import display_path
        notes.append(f"config: {display_path(str(settings.source))}")
    if settings.kubernetes_version is not None:
        # Say which bundled schemas stand in for the version asked for.
        try:
            notes.append(version_note(settings.kubernetes_version))
        except VersionError as exc:
            raise KubelintError(str(exc)) from None
    for directory in settings.schema_dirs:
        if not os.path.isdir(directory):
            raise KubelintError(f"schema directory does not exist: {directory}")
    return Options(
        kubernetes_version=settings.kubernetes_version,
        namespace=settings.namespace,
        complete=settings.complete,
        strict=settings.strict,
        reject_unknown_kinds=settings.reject_unknown_kinds,
        schema_dirs=list(settings.schema_dirs),
        target=args.target,
        images=dict(settings.images), link_images_by_name=settings.link_images_by_name,
        extra={"notes": notes},
    )


def parse_severity_args(values: list[str], rules: dict) -> dict[str, str]:
    """`--severity latest-tag=error,images=info` -> {"latest-tag": "error", "images": "info"}."""
    out = {}
    for item in values:
        token, sep, level = (part.strip() for part in item.partition("="))
        if not sep or level not in SEVERITY_RANK:
            raise KubelintError(f"--severity {item}: write RULE=error|warning|info")
        if token != "all" and not any(token_matches(r, token) for r in rules.values()):
            import difflib

            hint = difflib.get_close_matches(token, list(rules) + sorted({r.category for r in rules.values()}), n=1)
            raise KubelintError(f"--severity: unknown rule or category '{token}'"
                                + (f" (did you mean '{hint[0]}'?)" if hint else ""))
        out[token] = level
    return out


def run_check(args) -> int:
    paths = args.paths or ["."]
    if "-" in paths and len(paths) > 1:
        raise KubelintError("'-' (standard input) cannot be combined with other paths")
    config = resolve_config(args.config, args.isolated)
    settings = settings_from_args(args, Settings.from_config(config))
    default_format = settings.format or ("rich" if not args.output and sys.stdout.isatty() else "plain")
    destinations = pair_outputs(args.format, args.output, default_format)
    baseline = None
    if settings.baseline and not args.write_baseline:
        from kubelint.baseline import Baseline

        baseline = Baseline.load(settings.baseline)  # before the scan: a bad file fails fast
    all_rules, rules = _rules(config, settings, args)

    discovered = discover(paths, list(args.exclude), args.type, excluded=settings.excluded,
                          force_exclude=args.force_exclude, follow_symlinks=args.follow_symlinks,
                          stdin_name=args.stdin_filename)
    if discovered.missing:
        raise KubelintError(f"no such file or directory: {discovered.missing[0]}")
    refuse_overwriting(destinations, [(str(config.path or ""), "the config file"),
                                      (settings.baseline or "", "the baseline")]
                       + [(p, "a file being linted") for p, _ in discovered.files])

    from kubelint.progress import progress_over

    with progress_over(discovered, enabled=not args.quiet and not args.no_progress):
        scan = build_scan(discovered, options_from(settings, args), args.stdin_filename)
    findings = _drop_per_file_ignores(Engine(rules).run(scan), settings, all_rules)

    from kubelint import suppress

    outcome = suppress.apply(findings, scan, all_rules, rules, settings.allow_inline_ignores)
    findings = sorted(outcome.findings, key=lambda f: f.sort_key())
    shown = [f for f in findings if not f.suppressed]

    if args.write_baseline:
        from kubelint.baseline import write_baseline

        count = write_baseline(args.write_baseline, shown)
        print(f"kubelint: wrote {count} finding{'s' if count != 1 else ''} to {args.write_baseline}",
              file=sys.stderr)
        return EXIT_OK

    notes = list(scan.options.extra.get("notes", []))
    baselined = 0
    if baseline is not None:
        shown, baselined, stale = baseline.filter(shown)
        if stale:
            from kubelint.discover import display_path

            notes.append(f"{stale} baseline entr{'ies' if stale != 1 else 'y'} no longer found: "
                         f"refresh {display_path(baseline.path)} with --write-baseline")

    report = Report(
        findings=shown,
        suppressed=[f for f in findings if f.suppressed],
        files=len(scan.sources) + sum(1 for f in findings if f.rule == "file-unreadable"),
        documents=scan.documents, objects=len(scan.objects),
        skipped_documents=scan.skipped_documents, skipped_files=scan.skipped_files,
        notes=notes, rules=rules, sources={s.display: s for s in scan.sources},
        units=_units(scan) if any(d.format == "junit" for d in destinations) else {},
        suppressed_by=outcome.suppressed_by,
        show_suppressed=args.show_suppressed, baselined=baselined)

    write_reports(report, destinations, color=_use_color(args), quiet=args.quiet,
                  statistics=args.statistics)

    if settings.fail_on == "never":
        return EXIT_OK
    threshold = SEVERITY_RANK[settings.fail_on]
    failing = any(SEVERITY_RANK[f.severity] >= threshold for f in report.findings)
    return EXIT_FINDINGS if failing else EXIT_OK


def _rules(config, settings: Settings, args) -> tuple[dict, dict]:
    """(every loaded rule, the rules this run enables with their severities and params)."""
    all_rules = load_rules(settings.rules_dirs)
    check_rule_ids(config, all_rules)
    severity = {**expand_severity(settings.severity, all_rules),
                **expand_severity(parse_severity_args(args.severity, all_rules), all_rules)}
    rules = select_rules(all_rules, settings.select, settings.ignore, severity,
                         expand_params(settings.params, all_rules), settings.extend_select)
    return all_rules, rules


def _drop_per_file_ignores(findings, settings: Settings, all_rules) -> list:
    if not settings.per_file_ignores:
        return findings
    cache: dict[str, list[str]] = {}
    out = []
    for f in findings:
        tokens = cache.get(f.file)
        if tokens is None:
            tokens = cache[f.file] = settings.ignored_here(f.file)
        rule = all_rules.get(f.rule)
        if tokens and rule is not None and any(t == "all" or token_matches(rule, t) for t in tokens):
            continue
        out.append(f)
    return out


def _units(scan) -> dict[str, list[tuple[str, int]]]:
    """What JUnit reports as test cases: each object and Dockerfile stage, with its first line."""
    from kubelint.report.junit import unit_name

    units: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for obj in scan.objects:
        units[obj.file].append((unit_name(obj.ref), obj.line))
    for dockerfile in scan.dockerfiles:
        for stage in getattr(dockerfile, "stages", ()):
            line = stage.from_instr.line if getattr(stage, "from_instr", None) is not None else 1
            units[dockerfile.source.display].append((f"stage {stage.name}", line))
    return dict(units)


def _use_color(args) -> bool:
    return not args.no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
