"""A scan: every file of the run parsed, with all Kubernetes objects and Dockerfiles at hand,
so that rules across objects can look things up."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubelint.findings import Finding

if TYPE_CHECKING:  # not imported at run time: a run whose result is reused builds no scan
    from kubelint.model.k8s import KubeObject
    from kubelint.parse.source import SourceFile


@dataclass
class Options:
    """What the command line and the config file decided for this run."""

    kubernetes_version: str | None = None
    namespace: str = "default"
    complete: bool = False
    strict: bool = True
    reject_unknown_kinds: bool = False
    schema_dirs: list[str] = field(default_factory=list)
    target: str | None = None  # Dockerfile --target stage
    debug: bool = False  # --debug: a parser's internal error prints its traceback
    # --pod-security: the Pod Security level of pods whose Namespace (in the scan) sets none
    pod_security: str | None = None
    # Image name pattern -> (Dockerfile path, target stage or None), from the config's `images:`.
    images: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    link_images_by_name: bool = True  # the directory-name heuristic of kubelint.index.images
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class Scan:
    options: Options = field(default_factory=Options)
    sources: list[SourceFile] = field(default_factory=list)
    objects: list[KubeObject] = field(default_factory=list)
    dockerfiles: list[Any] = field(default_factory=list)  # kubelint.model.dockerfile.Dockerfile
    # Build configs read beside them (not linted as manifests): ("skaffold"|"compose", document)
    # and Makefiles/shell scripts, for kubelint.index.images.
    build_documents: list[tuple[str, Any]] = field(default_factory=list)
    build_files: list[SourceFile] = field(default_factory=list)
    # Findings from parsing (syntax errors, duplicate keys, unreadable files).
    parse_findings: list[Finding] = field(default_factory=list)
    # A parser that raised (a bug of ours): reported whatever rules are selected.
    internal_errors: list[Finding] = field(default_factory=list)
    documents: int = 0
    skipped_documents: int = 0  # documents that are not Kubernetes objects (values files, ...)
    skipped_files: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    _cache: dict = field(default_factory=dict, repr=False)

    def kinds(self) -> Counter:
        return Counter(o.kind for o in self.objects)

    def cached(self, key: str, build):
        """Build an index once per scan and share it between checks."""
        if key not in self._cache:
            self._cache[key] = build(self)
        return self._cache[key]
