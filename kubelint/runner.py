"""One run: discovered files -> sources -> parsed documents and Dockerfiles -> a Scan."""

from __future__ import annotations

import os
import sys
from typing import Any

from kubelint.discover import Discovered, display_path, guess_type
from kubelint.errors import KubelintError
from kubelint.findings import Finding, internal_error
from kubelint.gcpause import paused_gc
from kubelint.model.k8s import is_kubernetes_document, objects_from_document
from kubelint.parse.buildconfig import yaml_build_kind
from kubelint.parse.source import MAX_BYTES, SourceFile, Unreadable, decode, position
from kubelint.parse.templates import find_markers
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.scan import Options, Scan


def read_source(path: str, file_type: str, stdin_name: str | None = None) -> SourceFile:
    """Raises Unreadable with a reason."""
    if path == "-":
        # The same limit as for files; one byte more tells that it is exceeded.
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
        if len(data) > MAX_BYTES:
            raise Unreadable(f"standard input is larger than {MAX_BYTES // (1024 * 1024)} MB; not linted")
        display = stdin_name or "-"
    else:
        try:
            if os.path.getsize(path) > MAX_BYTES:
                raise Unreadable(f"larger than {MAX_BYTES // (1024 * 1024)} MB; not linted")
            with open(path, "rb") as fh:
                data = fh.read()
        except OSError as exc:
            raise Unreadable(f"cannot read: {exc.strerror or exc}") from None
        display = display_path(path)
    text = decode(data)
    if not file_type:
        from kubelint.discover import classify

        file_type = classify(display) or guess_type(text)
    return SourceFile(path, display, text, file_type)


def build_scan(discovered: Discovered, options: Options, stdin_name: str | None = None,
               texts: list[SourceFile] | None = None, jobs: int | None = 1, cache=None) -> Scan:
    """The files discovered, then `texts` (sources given as text, not read from disk). `jobs`:
    processes that parse (None: decide by the amount of input, kubelint.filescan.pool_size);
    `cache`: a kubelint.cache.Cache of parsed files (kubelint.filescan.files_cache)."""
    with paused_gc():
        return _build_scan(discovered, options, stdin_name, texts or [], jobs, cache)


def _build_scan(discovered: Discovered, options: Options, stdin_name: str | None,
                texts: list[SourceFile], jobs: int | None, cache) -> Scan:
    from kubelint.filescan import merge, parse_all

    scan = Scan(options=options)
    scan.skipped_files.extend(discovered.skipped)
    # What each file adds, in discovery order: a finding, a skipped file, or a source to parse.
    steps: list[tuple[str, Any]] = []
    sources: list[SourceFile] = []
    for path, file_type in discovered.files:
        try:
            source = read_source(path, file_type, stdin_name)
        except Unreadable as exc:
            if file_type == "build":  # a script read only for its `docker build` lines
                steps.append(("skipped", (display_path(path), f"build script not read: {exc}")))
                continue
            steps.append(("finding", Finding(  # the message: the rule's template (`parse` check)
                rule="file-unreadable", severity="error", message="", values={"reason": str(exc)},
                file=(stdin_name or "-") if path == "-" else display_path(path), line=1, column=1)))
            continue
        if source.file_type == "build":  # not linted: not one of the scan's sources
            scan.build_files.append(source)
            continue
        steps.append(("source", len(sources)))
        sources.append(source)
    for source in texts:
        steps.append(("source", len(sources)))
        sources.append(source)
    units = parse_all(sources, options, jobs, cache)
    for what, value in steps:
        if what == "finding":
            scan.parse_findings.append(value)
        elif what == "skipped":
            scan.skipped_files.append(value)
        else:
            merge(scan, units[value])
    check_target(scan)
    return scan


def add_source(scan: Scan, source: SourceFile) -> None:
    """Parse one file into the scan. A parser that raises is a bug of ours, reported as an
    internal-error finding on the file (never as the user's syntax error); the run goes on."""
    scan.sources.append(source)
    dockerfile = source.file_type == "dockerfile"
    marks = len(scan.objects), len(scan.dockerfiles), len(scan.parse_findings), scan.documents, scan.skipped_documents
    try:
        if dockerfile:
            add_dockerfile(scan, source)
        else:
            add_yaml(scan, source)
    except KubelintError:  # a mistake of the user's, said as such (exit 2)
        raise
    except Exception as exc:  # noqa: BLE001
        # Nothing half-parsed is linted: the file's findings would be a guess.
        del scan.objects[marks[0]:], scan.dockerfiles[marks[1]:], scan.parse_findings[marks[2]:]
        scan.documents, scan.skipped_documents = marks[3], marks[4]
        what = "the Dockerfile parser" if dockerfile else "the YAML parser"
        scan.internal_errors.append(internal_error(what, source.display, f"{type(exc).__name__}: {exc}",
                                                   scan.options.debug))


def check_target(scan: Scan) -> None:
    """`--target` must name a stage of every Dockerfile linted, as `docker build --target`
    requires; linting the last stage instead would judge an image that is not built."""
    target = scan.options.target
    if not target:
        return
    missing = [d for d in scan.dockerfiles if d.stages and not any(s.alias == target.lower() for s in d.stages)]
    if missing:
        listed = "; ".join(f"{d.file}: {', '.join(s.label for s in d.stages)}" for d in missing[:5])
        more = f"; and {len(missing) - 5} more" if len(missing) > 5 else ""
        raise KubelintError(f"--target {target}: no stage of that name (stages: {listed}{more})")


def add_yaml(scan: Scan, source: SourceFile) -> None:
    parsed = parse_yaml(source)
    findings = parsed.findings
    markers = find_markers(source.text, parsed.documents) if "{{" in source.text else None
    if markers is not None and markers.structure is not None:
        # Template syntax in the YAML structure: the file is a template, nothing in it is what
        # reaches a cluster.
        _template_finding(scan, source, markers.structure)
        return
    if "{{" in source.text:
        # A syntax error next to a template marker: the file is a template, not broken YAML.
        for f in findings:
            if f.rule == "yaml-syntax" and any("{{" in source.line(n) for n in (f.line - 1, f.line, f.line + 1)):
                findings = [x for x in findings if x.rule != "yaml-syntax"]
                _template_finding(scan, source, source.text.index("{{"))
                break
    if markers is not None and markers.value is not None:
        _template_finding(scan, source, markers.value, in_values=True)
    scan.parse_findings.extend(findings)
    for doc in parsed.documents:
        if doc.data is None:
            continue
        scan.documents += 1
        build_kind = yaml_build_kind(source.display, doc.data)
        if build_kind is not None:  # skaffold/compose: read for kubelint.index.images, not linted
            scan.build_documents.append((build_kind, doc))
            scan.skipped_documents += 1
            continue
        if not is_kubernetes_document(doc.data):
            scan.skipped_documents += 1
            continue
        for obj in objects_from_document(doc):
            obj.default_namespace = scan.options.namespace
            scan.objects.append(obj)


def _template_finding(scan: Scan, source: SourceFile, offset: int, in_values: bool = False) -> None:
    line, column = position(source.text, offset, "yaml")
    scan.parse_findings.append(Finding(  # the message: the rule's template (`parse` check)
        rule="unrendered-template", severity="info", message="", values={},
        variant="in-values" if in_values else None,
        file=source.display, line=line, column=column))


def add_dockerfile(scan: Scan, source: SourceFile) -> None:
    try:
        from kubelint.parse.dockerfile import parse_dockerfile
    except ImportError:  # Dockerfile support not built into this checkout
        scan.skipped_files.append((source.display, "Dockerfile support unavailable"))
        return
    dockerfile, findings = parse_dockerfile(source, target=scan.options.target)
    scan.parse_findings.extend(findings)
    if dockerfile is not None:
        scan.dockerfiles.append(dockerfile)
