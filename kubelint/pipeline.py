"""One run, for the command line and for Python callers alike:
settings -> rules -> discovery -> parse -> checks and adjusters -> per-file-ignores ->
inline suppressions -> baseline -> a Result.

    import kubelint
    result = kubelint.lint(["deploy/"])            # config file discovered like `kubelint check`
    result = kubelint.lint([kubelint.Text(text, "web.yaml")],
                           kubelint.Settings.load(isolated=True, select=["latest-tag"]))
"""

from __future__ import annotations

import gc
import os
import sys
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Union, cast

from kubelint import config as _config
from kubelint.errors import KubelintError
from kubelint.findings import INTERNAL_ERROR, SEVERITY_RANK, Finding, sort_findings
from kubelint.scan import Options, Scan

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass
class Text:
    """Text to lint as if it were a file called `name` (nothing is read from or written to disk).
    `file_type` is "yaml" or "dockerfile"; None decides from the name, then from the content."""

    text: str
    name: str = "manifest.yaml"
    file_type: str | None = None


Input = Union[str, "os.PathLike[str]", Text]


@dataclass
class Settings(_config.Settings):
    """The settings of one run: everything a config file sets (see kubelint.config.Settings,
    field names are the config keys with `_`), plus what only a caller gives."""

    extra_exclude: list[str] = field(default_factory=list)  # like --exclude: globs for discovery
    force_exclude: bool = False  # like --force-exclude: excludes apply to paths named explicitly
    follow_symlinks: bool = False  # like --follow-symlinks
    severity_overrides: dict[str, str] = field(default_factory=dict)  # like --severity: beat `severity`
    file_type: str | None = None  # like --type: the type of explicit files and stdin
    stdin_name: str | None = None  # like --stdin-filename: how "-" (standard input) is named
    target: str | None = None  # like --target: the Dockerfile stage that is built
    debug: bool = False  # internal errors print their traceback on stderr
    progress: bool = False  # a progress bar on stderr for long runs on a terminal
    fix: bool = False  # like --fix / --diff: fix in memory and re-lint until nothing changes (the
    # caller writes Result.fixed_texts); safe fixes only unless unsafe_fixes
    unsafe_fixes: bool = False  # like --unsafe-fixes
    fix_details: bool = False  # give each fixable finding its edits (Finding.fix), for JSON and SARIF
    jobs: int | None = 1  # like --jobs: processes that parse; None decides by the input's size
    cache: bool = False  # use the cache of parsed files (cache_dir); `kubelint check` does unless --no-cache
    graph: bool = False  # also build the wiring graph (kubelint.index.graph) for the HTML report
    config: _config.Config = field(default_factory=_config.Config, repr=False)  # where they came from

    @classmethod
    def load(cls, config: str | os.PathLike | None = None, isolated: bool = False,
             start: str | os.PathLike | None = None, **overrides) -> Settings:
        """The config file's settings like `kubelint check` finds them (`config` names a file,
        `isolated` uses none, otherwise the nearest one from `start`, default the current
        directory), with keyword overrides: `Settings.load(select=["latest-tag"])`."""
        found = _config.resolve_config(str(config) if config else None, isolated,
                                       Path(start) if start else None)
        settings = cast(Settings, cls.from_config(found))
        settings.config = found
        known = {f.name for f in fields(cls)}
        for name, value in overrides.items():
            if name not in known:
                raise TypeError(f"Settings.load() got an unknown setting '{name}'")
            setattr(settings, name, value)
        return settings


@dataclass
class Result:
    """What a run found, with everything the reporters need."""

    findings: list[Finding]  # shown: not suppressed, not in the baseline; sorted by position
    suppressed: list[Finding]  # silenced by an inline suppression (see kubelint.suppress)
    baselined: int  # findings the baseline absorbed
    notes: list[str]  # e.g. which Kubernetes version was used, stale baseline entries
    files: int
    documents: int
    objects: int
    skipped_documents: int  # documents that are not Kubernetes objects
    skipped_files: list[tuple[str, str]]  # (path, reason)
    fail_on: str = _config.DEFAULT_FAIL_ON
    rules: Mapping = field(default_factory=dict, repr=False)  # id -> Rule, the rules this run enabled
    sources: Mapping = field(default_factory=dict, repr=False)  # display path -> SourceFile
    units: dict = field(default_factory=dict, repr=False)  # file -> [(object or stage, line)] (JUnit)
    suppressed_by: dict = field(default_factory=dict, repr=False)  # id(finding) -> Suppression
    paths: list[str] = field(default_factory=list)  # the files discovered and read ("-": stdin)
    fixed: dict[str, int] = field(default_factory=dict)  # with Settings.fix: rule id -> findings fixed
    fixed_texts: dict[str, str] = field(default_factory=dict)  # display path -> text after fixing
    originals: dict = field(default_factory=dict, repr=False)  # display path -> SourceFile before fixing
    graph: dict | None = None  # the wiring graph as plain data, when Settings.graph asked for it

    @property
    def internal_errors(self) -> list[Finding]:
        return [f for f in self.findings if f.rule == INTERNAL_ERROR]

    @property
    def exit_code(self) -> int:
        """2 when kubelint itself failed somewhere (the result is partial), 1 when a finding is
        at or above `fail_on`, else 0 — what `kubelint check` exits with."""
        if self.internal_errors:
            return EXIT_ERROR
        if self.fail_on == "never":
            return EXIT_OK
        threshold = SEVERITY_RANK[self.fail_on]
        return EXIT_FINDINGS if any(SEVERITY_RANK[f.severity] >= threshold for f in self.findings) else EXIT_OK

    def report(self, show_suppressed: bool = False):
        """The kubelint.report.Report the reporters render."""
        from kubelint.report import Report

        return Report(
            findings=self.findings, suppressed=self.suppressed, files=self.files,
            documents=self.documents, objects=self.objects,
            skipped_documents=self.skipped_documents, skipped_files=self.skipped_files,
            notes=self.notes, rules=self.rules, sources=self.sources, units=self.units,
            suppressed_by=self.suppressed_by, show_suppressed=show_suppressed,
            baselined=self.baselined, fixed=self.fixed, graph=self.graph)


def lint(inputs: Input | Iterable[Input], settings: Settings | None = None) -> Result:
    """Lint files, directories ("-" is standard input) and Texts. Raises KubelintError for a
    mistake of the caller's (bad config, unknown rule, missing path, unreadable baseline)."""
    from kubelint.discover import discover

    settings = settings if settings is not None else Settings.load()
    items = [inputs] if isinstance(inputs, (str, os.PathLike, Text)) else list(inputs)
    paths = [os.fspath(i) for i in items if not isinstance(i, Text)]
    texts = [i for i in items if isinstance(i, Text)]
    if "-" in paths and len(paths) > 1:
        raise KubelintError("'-' (standard input) cannot be combined with other paths")

    baseline = None
    if settings.baseline:
        from kubelint.baseline import Baseline

        baseline = Baseline.load(settings.baseline)  # before the scan: a bad file fails fast
    # A run the memo may answer from the files' status alone loads its rules only when it is not
    # answered: they were a tenth of such a run, and the memo is keyed by what they derive from
    # (the settings, the rule files: kubelint.scanmemo). User rule files are keyed as loaded.
    loaded = None if _memo_first(settings) else _rules(settings)
    options = _options(settings)

    discovered = discover(paths, list(settings.extra_exclude), settings.file_type, excluded=settings.excluded,
                          force_exclude=settings.force_exclude, follow_symlinks=settings.follow_symlinks,
                          stdin_name=settings.stdin_name)
    if discovered.missing:
        raise KubelintError(f"no such file or directory: {discovered.missing[0]}")

    # The collector stays off for the whole run (see kubelint.gcpause). What earlier runs in this
    # process left in reference cycles (an object and its pod spec) is collected once here, before
    # this run allocates, so repeated runs keep memory flat.
    if gc.isenabled():
        gc.collect()
    try:
        return _lint(settings, items, paths, texts, baseline, loaded, options, discovered)
    finally:
        writing = sys.modules.get("kubelint.filescan")
        if writing is not None:  # the run's cache writer, if parsing forked one
            writing.finish_writes()


def _lint(settings: Settings, items: list, paths: list[str], texts: list, baseline, loaded, options: Options,
          discovered) -> Result:
    """lint() once its inputs are found: the memo, else reading, parsing and the rules."""
    from kubelint import probes
    from kubelint.gcpause import paused_gc
    from kubelint.progress import progress_over
    from kubelint.runner import build_scan, read_all

    with paused_gc():
        files_cache = _files_cache(settings)
        memo = _memo(settings, files_cache, items, options, loaded[0] if loaded is not None else None)
        stats = None
        if memo is not None and not texts and "-" not in paths:
            from kubelint.scanmemo import FileStats

            stats = FileStats(discovered)
            memoised = memo.get_by_stats(stats)
            if memoised is not None:  # nothing changed: not a file read, unless a report quotes it
                from kubelint.runner import LazySources

                return Result(**memoised, rules=loaded[1] if loaded is not None else RulesWhenAsked(settings),
                              sources=LazySources(discovered.files, settings.stdin_name))
        all_rules, rules = loaded if loaded is not None else _rules(settings)
        with progress_over(discovered, enabled=settings.progress):
            reading = read_all(discovered, settings.stdin_name, [_source(t) for t in texts])
        if memo is not None:
            memo.read(reading)
        memoised = memo.get() if memo is not None else None
        if memoised is not None:
            return Result(**memoised, rules=rules, sources={s.display: s for s in reading.sources})
        with probes.recording() as asked:
            scan = build_scan(discovered, options, jobs=settings.jobs, cache=files_cache, reading=reading)
            result = _finish(scan, settings, all_rules, rules, baseline, files_cache)
            if settings.fix or settings.fix_details:
                result = _fix(scan, result, settings, all_rules, rules, baseline)
            if settings.graph:
                from kubelint.index.graph import build_graph

                result.graph = build_graph(scan, result.findings)
        result.paths = [p for p, _ in discovered.files]
        if memo is not None:
            memo.put(result, asked, stats)
    return result


def _memoised(settings: Settings) -> bool:
    """Whether the run's result is a lint the memo keeps: fixes in files and the wiring graph
    are always computed (the fixes findings carry for reports, fix_details, are part of it)."""
    return not settings.fix and not settings.graph


def _memo_first(settings: Settings) -> bool:
    """Whether the run may be answered by the memo before its rules are loaded: it uses the
    cache, its result is memoised, and it has no user rule files."""
    return settings.cache and _memoised(settings) and not settings.rules_dirs


def _memo(settings: Settings, files_cache, items: list, options: Options, all_rules: dict | None):
    """The whole-run memo (kubelint.scanmemo) when the run uses the cache and its result is
    memoised. `all_rules`: the loaded rules, None when they are not loaded yet (no user rule
    files: see _memo_first)."""
    if files_cache is None or not _memoised(settings):
        return None
    from kubelint.scanmemo import ScanMemo

    invocation = [f"text\0{i.name}" if isinstance(i, Text) else f"path\0{os.fspath(i)}" for i in items]
    return ScanMemo(files_cache, invocation, options, settings, all_rules or {}, settings.baseline)


def _finish(scan: Scan, settings: Settings, all_rules: dict, rules: dict, baseline, files_cache=None) -> Result:
    """`files_cache`: the run's cache of parsed files, which also keeps each file's condition
    findings (kubelint.findingcache)."""
    from kubelint import suppress
    from kubelint.engine.engine import Engine

    engine = Engine(rules)
    engine.debug = settings.debug
    from kubelint.filescan import pool_size

    engine.jobs = pool_size(settings.jobs, scan.sources)
    if files_cache is not None:
        from kubelint.findingcache import FindingCache

        engine.condition_cache = FindingCache(files_cache, [c.rule for c in engine.compiled], scan.options)
    findings = engine.run(scan) + scan.internal_errors
    if engine.condition_cache is not None:
        engine.condition_cache.close()
    # kubelint's own failures are never ignored, suppressed or baselined: the result is partial.
    internal = [f for f in findings if f.rule == INTERNAL_ERROR]
    findings = _drop_per_file_ignores([f for f in findings if f.rule != INTERNAL_ERROR], settings, all_rules)
    outcome = suppress.apply(findings, scan, all_rules, rules, settings.allow_inline_ignores)
    findings = sort_findings(outcome.findings)
    shown = [f for f in findings if not f.suppressed]

    notes = list(scan.options.extra.get("notes", []))
    baselined = 0
    if baseline is not None:
        shown, baselined, stale = baseline.filter(shown)
        if stale:
            from kubelint.discover import display_path

            notes.append(f"{stale} baseline entr{'ies' if stale != 1 else 'y'} no longer found: "
                         f"refresh {display_path(baseline.path)} with --write-baseline")
    if internal or baseline is not None:  # else still sorted
        shown = sort_findings(shown + internal)
    return Result(
        findings=shown, suppressed=[f for f in findings if f.suppressed], baselined=baselined,
        notes=notes,
        files=len(scan.sources) + sum(1 for f in findings if f.rule == "file-unreadable"),
        documents=scan.documents, objects=len(scan.objects),
        skipped_documents=scan.skipped_documents, skipped_files=scan.skipped_files,
        fail_on=settings.fail_on, rules=rules, sources={s.display: s for s in scan.sources},
        units=_units(scan), suppressed_by=outcome.suppressed_by)


def _files_cache(settings: Settings):
    """The cache of parsed files when the settings ask for one (`kubelint check` without
    --no-cache) and there is a place for it; a directory that cannot be written only means
    entries are not stored (kubelint.cache)."""
    if not settings.cache or os.environ.get("KUBELINT_NO_CACHE"):
        return None
    from kubelint.filescan import files_cache

    return files_cache(settings.cache_dir)


def _fix(scan: Scan, result: Result, settings: Settings, all_rules: dict, rules: dict, baseline) -> Result:
    """Fix and re-lint until nothing changes (kubelint.fix.loop); the result is the last lint's,
    with what was fixed. With fix_details, the findings left carry their fixes."""
    from kubelint.discover import Discovered
    from kubelint.fix.loop import FixPolicy, annotate, fix_loop
    from kubelint.runner import build_scan

    policy = FixPolicy(unsafe=settings.unsafe_fixes, fixable=_fixable(settings, all_rules),
                       params={rule_id: rule.params for rule_id, rule in rules.items()})
    last: list = [scan, result]
    if settings.fix:
        unreadable = [f for f in scan.parse_findings if f.rule == "file-unreadable"]

        def relint(sources):
            new = build_scan(Discovered(), scan.options, settings.stdin_name, sources)
            new.parse_findings.extend(unreadable)
            new.skipped_files = scan.skipped_files
            last[:] = [new, _finish(new, settings, all_rules, rules, baseline)]
            return new, last[1].findings

        outcome = fix_loop(scan, result.findings, policy, relint)
        result = last[1]
        result.fixed = dict(sorted(outcome.fixed.items()))
        result.fixed_texts = outcome.texts
        result.originals = {d: outcome.originals[d] for d in outcome.texts}
        for dropped in outcome.dropped:
            result.notes.append(f"{dropped.file}:{dropped.line}: the [{dropped.rule}] fix was not applied: "
                                f"{dropped.reason}")
        if not outcome.converged:
            result.notes.append(f"fixes still change files after {outcome.passes} passes; stopped there")
    if settings.fix_details:
        annotate(last[0], result.findings, policy)
    return result


def _fixable(settings: Settings, all_rules: dict):
    """The config's fixable / unfixable lists as a test on a rule id."""
    from kubelint.selection import token_matches

    def matches(rule_id: str, tokens: list[str]) -> bool:
        rule = all_rules.get(rule_id)
        return rule is not None and any(t == "all" or token_matches(rule, t) for t in tokens)

    def fixable(rule_id: str) -> bool:
        if settings.fixable is not None and not matches(rule_id, settings.fixable):
            return False
        return not matches(rule_id, settings.unfixable)
    return fixable


class RulesWhenAsked(Mapping):
    """The rules a run enabled, loaded when a report first asks for them (SARIF and the rich
    report describe rules; JSON and plain never do): a run the memo answered needs no others."""

    def __init__(self, settings: Settings):
        self._settings = settings
        self._rules: dict | None = None

    def _loaded(self) -> dict:
        if self._rules is None:
            self._rules = _rules(self._settings)[1]
        return self._rules

    def __getitem__(self, rule_id: str):
        return self._loaded()[rule_id]

    def __iter__(self):
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


def _rules(settings: Settings) -> tuple[dict, dict]:
    """(every loaded rule, the rules this run enables with their severities and params)."""
    from kubelint.engine.loader import load_rules
    from kubelint.selection import select_rules

    all_rules = load_rules(settings.rules_dirs)
    _config.check_rule_ids(settings.config, all_rules)
    _check_severity_overrides(settings.severity_overrides, all_rules)
    severity = {**_config.expand_severity(settings.severity, all_rules),
                **_config.expand_severity(settings.severity_overrides, all_rules)}
    rules = select_rules(all_rules, settings.select, settings.ignore, severity,
                         _config.expand_params(settings.params, all_rules), settings.extend_select,
                         profile=settings.profile, pod_security=settings.pod_security)
    return all_rules, rules


def _check_severity_overrides(overrides: dict[str, str], rules: dict) -> None:
    from kubelint.selection import token_matches

    for token, level in overrides.items():
        if level not in SEVERITY_RANK:
            raise KubelintError(f"--severity {token}={level}: write RULE=error|warning|info")
        if token != "all" and not any(token_matches(r, token) for r in rules.values()):
            import difflib

            hint = difflib.get_close_matches(token, list(rules) + sorted({r.category for r in rules.values()}), n=1)
            raise KubelintError(f"--severity: unknown rule or category '{token}'"
                                + (f" (did you mean '{hint[0]}'?)" if hint else ""))


def _options(settings: Settings) -> Options:
    notes = []
    if settings.source is not None:  # which config file decided this run
        from kubelint.discover import display_path
        notes.append(f"config: {display_path(str(settings.source))}")
    if settings.kubernetes_version is not None:
        # Say which bundled schemas stand in for the version asked for.
        from kubelint.validate.versions import VersionError, version_note

        try:
            notes.append(version_note(settings.kubernetes_version))
        except VersionError as exc:
            raise KubelintError(str(exc)) from None
    for directory in settings.schema_dirs:
        if not os.path.isdir(directory):
            raise KubelintError(f"schema directory does not exist: {directory}")
    return Options(
        kubernetes_version=settings.kubernetes_version, namespace=settings.namespace,
        complete=settings.complete, strict=settings.strict,
        reject_unknown_kinds=settings.reject_unknown_kinds, schema_dirs=list(settings.schema_dirs),
        target=settings.target, debug=settings.debug,
        pod_security=settings.effective_pod_security(),
        images=dict(settings.images), link_images_by_name=settings.link_images_by_name, extra={"notes": notes})


def _source(text: Text):
    from kubelint.discover import classify, guess_type
    from kubelint.parse.source import SourceFile

    file_type = text.file_type or classify(text.name) or guess_type(text.text)
    if file_type not in ("yaml", "dockerfile"):
        raise KubelintError(f"{text.name}: file type '{file_type}': write yaml or dockerfile")
    return SourceFile(text.name, text.name, text.text, file_type)


def _drop_per_file_ignores(findings: list[Finding], settings: Settings, all_rules: dict) -> list[Finding]:
    if not settings.per_file_ignores:
        return findings
    from kubelint.selection import token_matches

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


def _units(scan: Scan) -> dict[str, list[tuple[str, int]]]:
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
