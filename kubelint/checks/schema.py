"""The `schema` check: every Kubernetes object against its schema (bundled, from a CRD in the
scan, or from --schema-dir), plus removed/deprecated APIs, quantities, names and labels.

Rules: unknown-field, schema-invalid, invalid-quantity, unknown-kind, removed-api, deprecated-api.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

from kubelint.findings import Finding
from kubelint.index.patches import KUSTOMIZE_GROUP, LABELLED_RESOURCE, PATCH, KustomizeInputs, kustomize_inputs
from kubelint.model.document import value_at
from kubelint.model.k8s import KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check
from kubelint.validate import deprecations, names
from kubelint.validate.bundled import Bundled, bundled, versions_serving
from kubelint.validate.custom import CustomSchema, SchemaDirs, crd_schemas
from kubelint.validate.explain import Problem, explain, templated
from kubelint.validate.hints import did_you_mean
from kubelint.validate.versions import VersionError, bundled_minors, choose_version

RULES = ("unknown-field", "schema-invalid", "invalid-quantity", "unknown-kind", "removed-api", "deprecated-api")
OBJECT_META = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"
# Configuration files of tools, not API objects: no schema expected, none reported missing.
_CONFIG_GROUPS = (KUSTOMIZE_GROUP, "kubeadm.k8s.io", "kind.x-k8s.io", "audit.k8s.io")
# Where labels live in the objects we know (label keys and values have a syntax).
_LABEL_PATHS = (
    ("metadata", "labels"), ("spec", "template", "metadata", "labels"),
    ("spec", "jobTemplate", "metadata", "labels"), ("spec", "jobTemplate", "spec", "template", "metadata", "labels"),
    ("spec", "selector", "matchLabels"), ("spec", "jobTemplate", "spec", "selector", "matchLabels"),
)


@dataclass
class _State:
    target: tuple[int, int]
    schemas: Bundled
    strict: bool
    crds: dict = field(default_factory=dict)
    dirs: SchemaDirs | None = None
    kustomize: KustomizeInputs = field(default_factory=KustomizeInputs)


def _state(ctx: CheckContext) -> _State:
    opts = ctx.scan.options
    try:
        target, minor, _ = choose_version(opts.kubernetes_version)
    except VersionError:  # the CLI rejects the option before the run; be safe anyway
        target = minor = bundled_minors()[-1]
    strict = bool(opts.strict) and ctx.enabled("unknown-field")
    return _State(target=target, schemas=bundled(minor, strict), strict=strict,
                  crds=crd_schemas(ctx.scan.objects), dirs=SchemaDirs(list(opts.schema_dirs or [])),
                  kustomize=kustomize_inputs(ctx.scan.objects))


@check("schema", rules=RULES, fills=(
    # where: the field path in words; value: a value as shown (quoted strings)
    "where", "value", "field", "suggestion", "renamed", "allowed", "hint", "problem",
    "expected", "got", "choices", "pattern", "text", "label_key", "start", "length",
    # API versions: Kubernetes versions are X.Y
    "api_version", "target", "removed_in", "deprecated_in", "replacement", "note",
    "served_as", "first", "last", "versions", "version", "origin", "error",
))
def run(ctx: CheckContext) -> list[Finding]:
    if not any(ctx.enabled(r) for r in RULES):
        return []
    # The engine runs checks with the garbage collector paused (kubelint.gcpause).
    state = ctx.scan.cached("validate.schema-state", lambda _scan: _state(ctx))
    return [f for obj in ctx.objects(ctx.kinds(*RULES)) for f in check_object(ctx, state, obj) if f is not None]


def check_object(ctx: CheckContext, state: _State, obj: KubeObject) -> Iterator[Finding | None]:
    api_version, kind = obj.api_version, obj.kind
    change = deprecations.lookup(api_version, kind)
    status = deprecations.status(change, state.target) if change is not None else None
    if status is not None:
        yield _api_change_finding(ctx, obj, change, status, state.target)

    validator, builtin = _validator(state, api_version, kind)
    if isinstance(validator, _Unusable):
        yield ctx.finding("unknown-kind", obj, ("kind",), variant="schema-unusable", api_version=api_version,
                          origin=validator.origin, error=validator.error)
        return
    if validator is None or validator is False:
        if validator is None and status is None:  # removed or deprecated: already said
            yield _unknown_kind(ctx, state, obj)
        return
    if ctx.enabled("unknown-field") or ctx.enabled("schema-invalid") or ctx.enabled("invalid-quantity"):
        yield from _schema_findings(ctx, state, obj, validator)
    if ctx.enabled("invalid-quantity"):
        yield from _name_and_label_findings(ctx, obj, builtin)
    if builtin and ctx.enabled("schema-invalid"):
        yield from _file_mode_findings(ctx, obj)


def _validator(state: _State, api_version: str, kind: str):
    """(validator, built-in?); validator False when the kind is known but has nothing to check."""
    definition = state.schemas.definition(api_version, kind)
    if definition is not None:
        return state.schemas.validator(definition), True
    custom: CustomSchema | None = state.crds.get((api_version, kind))
    if custom is None and state.dirs is not None:
        custom = state.dirs.find(api_version, kind)
    if custom is None:
        group = api_version.rpartition("/")[0]
        if group in _CONFIG_GROUPS or group.endswith(".config.k8s.io"):
            return False, False
        return None, False
    if custom.raw is None:
        return False, False
    from_crd = (api_version, kind) in state.crds
    meta = state.schemas.schema(OBJECT_META) if from_crd else None
    try:
        v = custom.validator(state.strict, meta)
    except Exception as exc:  # a broken third-party schema must not stop the run
        return _Unusable(custom.origin, type(exc).__name__), False
    return v, False


@dataclass
class _Unusable:
    origin: str  # where the schema came from
    error: str  # what went wrong (the exception's name)


def _schema_findings(ctx: CheckContext, state: _State, obj: KubeObject, validator) -> Iterator[Finding | None]:
    try:
        errors = validator.errors(obj.data)
    except Exception as exc:  # unresolvable $ref or bad pattern in a custom schema
        yield ctx.finding("unknown-kind", obj, ("kind",), variant="schema-error", api_version=obj.api_version,
                          error=f"{type(exc).__name__}: {str(exc)[:120]}")
        return
    if not errors:
        return
    role = state.kustomize.role(obj)
    if role != PATCH and any(at[:2] == ("spec", "selector") for at in obj.kustomize_labels):
        role = LABELLED_RESOURCE  # a Kustomization building it (maybe through a base) writes the selector
    problems: dict[tuple, Problem] = {}
    for error in errors:
        for p in explain(obj, error, role):
            problems.setdefault(p.identity, p)
    # Most specific first: deeper paths before their parents.
    for p in sorted(problems.values(), key=lambda p: (-len(p.path), _path_key(p.path), p.identity)):
        yield ctx.finding(p.rule, obj, p.path, key=p.key, variant=p.variant, **p.values)


def _path_key(path: tuple) -> tuple:
    return tuple((0, x, "") if isinstance(x, int) else (1, 0, str(x)) for x in path)


def _api_change_finding(ctx, obj, change, status, target) -> Finding | None:
    """Variants: the default names the replacement apiVersion, `note` the table's advice when
    there is none; for deprecated-api `not-removed...` when no removal is announced."""
    fmt = deprecations.fmt
    values = {"api_version": change.api_version, "kind": change.kind, "target": fmt(target),
              "deprecated_in": fmt(change.deprecated_in), "replacement": change.replacement,
              "note": change.note, "removed_in": fmt(change.removed_in) if change.removed_in else None}
    note = None if change.replacement else "note"
    if status == "removed":
        return ctx.finding("removed-api", obj, ("apiVersion",), variant=note, **values)
    removal = "" if change.removed_in else "not-removed"
    variant = "-".join(v for v in (removal, note) if v) or None
    return ctx.finding("deprecated-api", obj, ("apiVersion",), variant=variant, **values)


def _unknown_kind(ctx, state: _State, obj: KubeObject) -> Finding | None:
    api_version, kind = obj.api_version, obj.kind
    severity = "error" if ctx.scan.options.reject_unknown_kinds else None
    if state.schemas.has_api_version(api_version):
        homes = state.schemas.api_versions_of(kind)
        if homes:
            return ctx.finding("unknown-kind", obj, ("apiVersion",), severity=severity, variant="served-as",
                               api_version=api_version, served_as=" or ".join(homes))
        guess = did_you_mean(kind, state.schemas.kinds(api_version))
        return ctx.finding("unknown-kind", obj, ("kind",), severity=severity,
                           variant="did-you-mean" if guess else "no-kind", api_version=api_version,
                           suggestion=guess)
    elsewhere = versions_serving(api_version, kind)
    if elsewhere:
        first, last = _fmt(elsewhere[0]), _fmt(elsewhere[-1])
        return ctx.finding("unknown-kind", obj, ("apiVersion",), severity=severity,
                           variant="not-served" if last == first else "not-served-range",
                           api_version=api_version, target=_fmt(state.target), first=first, last=last)
    group = api_version.rpartition("/")[0]
    served = sorted(av for (av, k) in state.crds if k == kind and av.rpartition("/")[0] == group)
    if served:
        return ctx.finding("unknown-kind", obj, ("apiVersion",), severity=severity, variant="crd-versions",
                           api_version=api_version, versions=served)
    return ctx.finding("unknown-kind", obj, ("kind",), severity=severity, api_version=api_version,
                       version=_fmt(state.schemas.minor))


def _fmt(v: tuple[int, int]) -> str:
    return f"{v[0]}.{v[1]}"


def _name_and_label_findings(ctx, obj: KubeObject, builtin: bool) -> Iterator[Finding | None]:
    name = obj.metadata.get("name")
    if builtin and isinstance(name, str) and name and not templated(name):
        problem = names.name_problem(obj.kind, name)
        if problem:
            yield ctx.finding("invalid-quantity", obj, ("metadata", "name"), variant=problem,
                              where="metadata.name", text=name)
    paths = _LABEL_PATHS + ((("spec", "selector"),) if obj.kind == "Service" else ())
    data = obj.data
    for path in paths:
        labels = value_at(data, path)
        if not isinstance(labels, dict):
            continue
        for key, value in labels.items():
            if not isinstance(key, str) or templated(key):
                continue
            problem = names.label_key_problem(key)
            if problem:
                # A bad key is told at the labels it sits in, a bad value at its key.
                yield ctx.finding("invalid-quantity", obj, path + (key,), key=True, variant=problem,
                                  where=obj.dotted(path), label_key=key)
            if isinstance(value, str) and not templated(value):
                problem = names.label_value_problem(value)
                if problem:
                    yield ctx.finding("invalid-quantity", obj, path + (key,), variant=problem,
                                      where=obj.dotted(path + (key,)), text=value,
                                      start=value[:40], length=len(value))


def _file_mode_findings(ctx, obj: KubeObject) -> Iterator[Finding | None]:
    """`defaultMode: 644` is decimal 644 (octal 1204): the API server rejects modes above 0777."""
    spec = obj.pod_spec
    if spec is None:
        return
    for i, vol in enumerate(spec.volumes()):
        for source_key, source in vol.items():
            if not isinstance(source, dict):
                continue
            base = spec.path + ("volumes", i, source_key)
            yield from _mode(ctx, obj, base + ("defaultMode",), source.get("defaultMode"))
            for j, item in enumerate(source.get("items") or []):
                if isinstance(item, dict):
                    yield from _mode(ctx, obj, base + ("items", j, "mode"), item.get("mode"))
            for j, proj in enumerate(source.get("sources") or []):
                if not isinstance(proj, dict):
                    continue
                for pk, pv in proj.items():
                    if isinstance(pv, dict):
                        for k, item in enumerate(pv.get("items") or []):
                            if isinstance(item, dict):
                                yield from _mode(ctx, obj, base + ("sources", j, pk, "items", k, "mode"), item.get("mode"))


def _mode(ctx, obj, path, value) -> Iterator[Finding | None]:
    if isinstance(value, bool) or not isinstance(value, int) or 0 <= value <= 0o777:
        return
    octal = value > 0 and set(str(value)) <= set("01234567") and int(str(value), 8) <= 0o777
    yield ctx.finding("schema-invalid", obj, path, variant="file-mode-octal" if octal else "file-mode",
                      where=obj.dotted(path), value=value)
