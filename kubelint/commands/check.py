"""`kubelint check`: the command line over kubelint.pipeline.lint — arguments in, reports and
the exit code out."""

from __future__ import annotations

import gc
import os
import sys
import time

from kubelint.commands.outputs import pair_outputs, refuse_overwriting, write_reports
from kubelint.errors import KubelintError
from kubelint.findings import INTERNAL_ERROR, SEVERITY_RANK
from kubelint.gcpause import paused_gc
from kubelint.pipeline import EXIT_OK, Settings, lint


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
                 "reject_unknown_kinds", "baseline", "profile", "pod_security"):
        value = getattr(args, name)
        if value is not None:
            setattr(settings, name, value)
    if args.no_inline_ignores:
        settings.allow_inline_ignores = False
    settings.extra_exclude = list(args.exclude)
    settings.force_exclude, settings.follow_symlinks = args.force_exclude, args.follow_symlinks
    settings.severity_overrides = parse_severity_args(args.severity)
    settings.file_type, settings.stdin_name, settings.target = args.type, args.stdin_filename, args.target
    settings.debug = args.debug
    settings.progress = not args.quiet and not args.no_progress
    settings.fix = args.fix or args.diff or args.fix_only
    settings.unsafe_fixes = args.unsafe_fixes
    settings.jobs = args.jobs  # None: decided by the amount of input
    settings.cache = not args.no_cache
    # JSON and SARIF carry each finding's edits; the terminal report marks fixable findings and
    # counts them (with no --format, a terminal gets the rich report).
    formats = args.format or [settings.format or ("rich" if not args.output and sys.stdout.isatty() else "plain")]
    settings.fix_details = any(f in ("json", "sarif", "rich") for f in formats)
    return settings


def parse_severity_args(values: list[str]) -> dict[str, str]:
    """`--severity latest-tag=error,images=info` -> {"latest-tag": "error", "images": "info"};
    the pipeline checks the rule ids once the rules are loaded."""
    out = {}
    for item in values:
        token, sep, level = (part.strip() for part in item.partition("="))
        if not sep or level not in SEVERITY_RANK:
            raise KubelintError(f"--severity {item}: write RULE=error|warning|info")
        out[token] = level
    return out


def run_check(args) -> int:
    started = time.perf_counter()
    settings = settings_from_args(args, Settings.load(args.config, args.isolated))
    baseline = settings.baseline
    if args.write_baseline:
        settings.baseline = None  # the baseline being written records every finding
    default_format = settings.format or ("rich" if not args.output and sys.stdout.isatty() else "plain")
    destinations = pair_outputs(args.format, args.output, default_format)
    settings.graph = any(d.format == "html" for d in destinations)  # the HTML report draws it
    # One run, then the process ends: the collector stays off for the run, and the scan is then
    # moved out of its view (gc.freeze) so that writing the reports does not walk it again
    # (0.5 s of CPU on ../shared/corpus/k8s). lint() itself never freezes: a library caller's
    # frozen objects would never be collected.
    with paused_gc():
        result = lint(args.paths or ["."], settings)
        gc.freeze()

    # Nothing is written yet: an --output that is an input of the run is refused here.
    refuse_overwriting(destinations, [(str(settings.source or ""), "the config file"),
                                      (baseline or "", "the baseline")]
                       + [(p, "a file being linted") for p in result.paths])

    if args.write_baseline:
        from kubelint.baseline import write_baseline

        count = write_baseline(args.write_baseline, [f for f in result.findings if f.rule != INTERNAL_ERROR])
        print(f"kubelint: wrote {count} finding{'s' if count != 1 else ''} to {args.write_baseline}",
              file=sys.stderr)
        for f in result.internal_errors:  # the baseline is partial: say why, and exit 2
            print(f"kubelint: error: {f.message}", file=sys.stderr)
        return result.exit_code if result.internal_errors else EXIT_OK

    if settings.fix:
        from kubelint.commands.fixes import handle_fixes

        code = handle_fixes(args, result)
        if code is not None:
            return code
    report = result.report(show_suppressed=args.show_suppressed)
    report.output_format, report.show_source = args.output_format, args.show_source
    report.unsafe_fixes = settings.unsafe_fixes
    report.elapsed = time.perf_counter() - started
    if settings.fix and "-" in result.paths:  # standard output holds the fixed text
        from contextlib import redirect_stdout

        with redirect_stdout(sys.stderr):
            write_reports(report, destinations, color=False, quiet=args.quiet, statistics=args.statistics)
        return result.exit_code
    write_reports(report, destinations, color=_use_color(args), quiet=args.quiet,
                  statistics=args.statistics)
    return result.exit_code


def _use_color(args) -> bool:
    return not args.no_color and "NO_COLOR" not in os.environ and sys.stdout.isatty()
