"""One run: discovered files -> sources -> parsed documents and Dockerfiles -> a Scan."""

from __future__ import annotations

import os
import re
import sys

from kubelint.discover import Discovered, display_path, guess_type
from kubelint.findings import Finding
from kubelint.gcpause import paused_gc
from kubelint.model.k8s import is_kubernetes_document, objects_from_document
from kubelint.parse.buildconfig import yaml_build_kind
from kubelint.parse.source import MAX_BYTES, SourceFile, Unreadable, decode
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.scan import Options, Scan

# Helm/Go template markers: Helm's objects and actions, and whitespace-trimming delimiters.
# Plain `{{ $labels.x }}` inside quoted strings (Prometheus alert texts) is not a template file.
_HELM = re.compile(
    r"\{\{-|-\}\}|\{\{\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template|\$\.Values"
    r"|include\s|template\s|define\s|tpl\s|toYaml\s|if\s|range\s|with\s|end\s*\}\}|else\b)")


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


def build_scan(discovered: Discovered, options: Options, stdin_name: str | None = None) -> Scan:
    with paused_gc(freeze=True):
        return _build_scan(discovered, options, stdin_name)


def _build_scan(discovered: Discovered, options: Options, stdin_name: str | None) -> Scan:
    scan = Scan(options=options)
    scan.skipped_files.extend(discovered.skipped)
    for path, file_type in discovered.files:
        try:
            source = read_source(path, file_type, stdin_name)
        except Unreadable as exc:
            if file_type == "build":  # a script read only for its `docker build` lines
                scan.skipped_files.append((display_path(path), f"build script not read: {exc}"))
                continue
            scan.parse_findings.append(Finding(
                rule="file-unreadable", severity="error", message=str(exc),
                file=(stdin_name or "-") if path == "-" else display_path(path), line=1, column=1))
            continue
        if source.file_type == "build":  # not linted: not one of the scan's sources
            scan.build_files.append(source)
            continue
        scan.sources.append(source)
        if source.file_type == "dockerfile":
            add_dockerfile(scan, source)
        else:
            add_yaml(scan, source)
    return scan


def add_yaml(scan: Scan, source: SourceFile) -> None:
    marker = _HELM.search(source.text)
    if marker:
        _template_finding(scan, source, marker.start())
        return
    parsed = parse_yaml(source)
    findings = parsed.findings
    if "{{" in source.text:
        # A syntax error next to a template marker: the file is a template, not broken YAML.
        for f in findings:
            if f.rule == "yaml-syntax" and any("{{" in source.line(n) for n in (f.line - 1, f.line, f.line + 1)):
                findings = [x for x in findings if x.rule != "yaml-syntax"]
                _template_finding(scan, source, source.text.index("{{"))
                break
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


def _template_finding(scan: Scan, source: SourceFile, offset: int) -> None:
    line = source.text.count("\n", 0, offset) + 1
    column = offset - (source.text.rfind("\n", 0, offset) + 1) + 1
    scan.parse_findings.append(Finding(
        rule="unrendered-template", severity="info",
        message="Go/Helm template markers found: this file is a template, not a manifest; "
                "lint the rendered output instead (helm template ... | kubelint check -)",
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
