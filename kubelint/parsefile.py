"""Parsing one file into a scan: YAML documents into Kubernetes objects (or build configs), a
Dockerfile into its stage model. A parser that raises is reported as an internal error on the
file, never as the user's syntax error. Used in the main process and in the parse workers
(kubelint.filescan)."""

from __future__ import annotations

from kubelint.errors import KubelintError
from kubelint.findings import Finding, internal_error
from kubelint.model.k8s import is_kubernetes_document, objects_from_document
from kubelint.parse.buildconfig import yaml_build_kind
from kubelint.parse.source import SourceFile, position
from kubelint.parse.templates import find_markers
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.scan import Scan


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
