"""Secrets and ConfigMaps: do the ones pods name exist, with the keys they read; how secrets reach
containers; secrets committed in clear; static pods that cannot resolve any of it.

Rules: missing-secret, missing-configmap, missing-secret-key, missing-configmap-key,
secret-as-env, secret-file-mode, plaintext-secret, static-pod-refs.
"""

from __future__ import annotations

import base64
import binascii
import re
from functools import lru_cache

from kubelint.index.common import not_found, related, should_report_missing, where
from kubelint.index.labels import label_text
from kubelint.index.names import is_placeholder, text
from kubelint.index.objects import ObjectIndex, index_of
from kubelint.index.provided import CLUSTER_PROVIDED
from kubelint.index.refs import Ref, service_account_ref
from kubelint.model.k8s import KubeObject, PodSpec
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.regex import UserRegex, compile_user
from kubelint.ruleapi.registry import check

MISSING = {"Secret": "missing-secret", "ConfigMap": "missing-configmap"}
MISSING_KEY = {"Secret": "missing-secret-key", "ConfigMap": "missing-configmap-key"}
DATA_FIELDS = {"Secret": ("data", "stringData"), "ConfigMap": ("data", "binaryData")}
# Secrets whose keys the cluster fills in.
FILLED_BY_CLUSTER = ("kubernetes.io/service-account-token",)


@check("cross-secrets", rules=(
    "missing-configmap-key",
    "missing-configmap",
    "missing-secret-key",
    "missing-secret",
    "plaintext-secret",
    "secret-as-env",
    "secret-file-mode",
    "static-pod-refs",
), fills=("how", "target", "target_kind", "target_namespace", "target_at", "searched", "similar",
          "similar_at", "elsewhere_at", "key_name", "keys", "volume", "item", "mode", "readers", "file"))
def run(ctx: CheckContext):
    index = index_of(ctx)
    check_refs = any(ctx.enabled(r) for r in (*MISSING.values(), *MISSING_KEY.values()))
    static_globs = _static_globs(ctx)
    static_kinds = ctx.kinds("static-pod-refs")
    static_files: dict[int, bool] = {}  # id(source file) -> under a static-pod path
    for obj in index.all_objects:
        spec = obj.pod_spec
        if spec is None:
            continue
        ctx.in_file(obj.file)
        refs = index.config_refs(obj)
        if check_refs and not index.is_patch(obj):
            for ref in refs:
                yield from _check_ref(ctx, index, obj, ref)
        yield from _secret_as_env(ctx, obj, refs)
        yield from _file_modes(ctx, obj, spec)
        if (static_kinds is None or obj.kind in static_kinds) and _is_static(obj, static_globs, static_files):
            yield from _static_pod(ctx, obj, spec, refs)
    for secret in ctx.objects(ctx.kinds("plaintext-secret")):
        if secret.pod_spec is None and index.kind(secret) == "Secret":
            yield from _plaintext(ctx, secret)


# missing-secret, missing-configmap, missing-*-key -------------------------------------------
def _check_ref(ctx, index: ObjectIndex, obj: KubeObject, ref: Ref):
    if ref.optional or is_placeholder(ref.name) or (ref.kind, ref.name) in CLUSTER_PROVIDED:
        return
    ns = obj.namespace
    found = index.find(ref.kind, ns, ref.name, obj)
    if not found:
        if index.provided(ref.kind, ns, ref.name, obj) or index.operator_for_name(ref.name, ns, obj) \
                or index.created_at_run_time(ref.kind, ref.name, ns, obj):
            return  # generated (kustomize, an operator, a component at run time): keys unknown
        rule = MISSING[ref.kind]
        if ctx.enabled(rule) and should_report_missing(index, ref.kind, ns, obj):
            missing = not_found(index, ref.kind, ns, ref.name, obj)
            yield ctx.finding(rule, obj, ref.path, related=missing.related, variant=missing.variant,
                              how=ref.how, target=ref.name, target_kind=ref.kind, **missing.values)
        return
    rule = MISSING_KEY[ref.kind]
    if not ref.keys or not ctx.enabled(rule) or index.provided(ref.kind, ns, ref.name, obj):
        return
    holds = _keys(found, ref.kind)
    if holds is None:
        return  # contents managed elsewhere (an empty placeholder, a token Secret)
    target = found[0]
    for key, key_path in ref.keys:
        if key not in holds:
            yield ctx.finding(
                rule, obj, key_path, how=ref.how, key_name=key, target=ref.name, keys=sorted(holds),
                target_at=where(target, ("metadata", "name")),
                related=[related(target, ("metadata", "name"), f"{ref.kind} '{ref.name}'")])


def _keys(objects: list[KubeObject], kind: str) -> set | None:
    """The keys any copy of the object holds; None when no copy shows its contents."""
    keys: set = set()
    for obj in objects:
        if kind == "Secret" and obj.get("type") in FILLED_BY_CLUSTER:
            return None
        for field_name in DATA_FIELDS[kind]:
            data = obj.get(field_name)
            if isinstance(data, dict):
                keys.update(str(k) for k in data)
    return keys or None


# secret-as-env --------------------------------------------------------------------------------
def _secret_as_env(ctx, obj: KubeObject, refs: list[Ref]):
    if not ctx.enabled("secret-as-env"):
        return
    for ref in refs:
        if ref.kind == "Secret" and ref.env:
            yield ctx.finding("secret-as-env", obj, ref.path[:-1], key=True, how=ref.how, target=ref.name)


# secret-file-mode -----------------------------------------------------------------------------
def _file_modes(ctx, obj: KubeObject, spec: PodSpec):
    if not ctx.enabled("secret-file-mode"):
        return
    forbidden = _octal(ctx.param("secret-file-mode", "forbidden-bits", "044"))
    volumes = spec.data.get("volumes")
    for i, v in enumerate(volumes if isinstance(volumes, list) else ()):
        if not isinstance(v, dict):
            continue
        base = spec.path + ("volumes", i)
        name = text(v.get("name")) or str(i)
        secret = v.get("secret")
        if isinstance(secret, dict):
            yield from _modes(ctx, obj, secret, base + ("secret",), name, forbidden, True)
        projected = v.get("projected")
        if isinstance(projected, dict):
            sources = projected.get("sources")
            secret_sources = [(j, s["secret"]) for j, s in enumerate(sources if isinstance(sources, list) else ())
                              if isinstance(s, dict) and isinstance(s.get("secret"), dict)]
            if secret_sources:
                yield from _modes(ctx, obj, projected, base + ("projected",), name, forbidden, True)
            for j, s in secret_sources:
                yield from _modes(ctx, obj, s, base + ("projected", "sources", j, "secret"), name, forbidden, False)


def _modes(ctx, obj, source: dict, base: tuple, volume: str, forbidden: int, default: bool):
    places: list[tuple[tuple, object, str | None]] = (
        [(("defaultMode",), source.get("defaultMode"), None)] if default else [])
    items = source.get("items")
    for k, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict):
            places.append((("items", k, "mode"), item.get("mode"), text(item.get("key")) or str(k)))
    for path, mode, item_key in places:
        if isinstance(mode, int) and not isinstance(mode, bool) and mode & forbidden:
            yield ctx.finding("secret-file-mode", obj, base + path, variant=None if item_key is None else "item",
                              volume=volume, item=item_key, mode=f"{mode:04o}", readers=_who(mode & forbidden))


def _who(bits: int) -> str:
    who = [name for mask, name in ((0o070, "the group"), (0o007, "other users")) if bits & mask]
    return " and ".join(who)


def _octal(value) -> int:
    try:
        return int(str(value), 8)
    except ValueError:
        return 0o044


# plaintext-secret -----------------------------------------------------------------------------
_PLACEHOLDER = re.compile(r"^\s*(\$\{[^}]*\}|\$\([^)]*\)|<[^>]*>|\{\{.*\}\}|%[A-Za-z_]+%)\s*$")
_CERTIFICATE = re.compile(r"^\s*(-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----\s*)+$", re.DOTALL)


def _plaintext(ctx, secret: KubeObject):
    if not ctx.enabled("plaintext-secret") or secret.get("type") in FILLED_BY_CLUSTER:
        return
    found = []  # (path, key)
    shortest = ctx.param("plaintext-secret", "min-length", 3)
    shortest = shortest if isinstance(shortest, int) else 3
    string_data = secret.get("stringData")
    if isinstance(string_data, dict):
        found += [(("stringData", k), str(k)) for k, v in string_data.items() if _is_credential(v, shortest)]
    data = secret.get("data")
    if isinstance(data, dict):
        found += [(("data", k), str(k)) for k, v in data.items()
                  if isinstance(v, str) and _is_credential(_decoded_text(v), shortest)]
    if found:
        keys = [k for _, k in found[:5]] + (["..."] if len(found) > 5 else [])
        yield ctx.finding("plaintext-secret", secret, found[0][0], key=True, keys=keys)


def _is_credential(value, shortest: int) -> bool:
    if value is None or isinstance(value, (dict, list)):
        return False
    value = str(value)
    return len(value.strip()) >= shortest and not _PLACEHOLDER.match(value) and not _CERTIFICATE.match(value)


def _decoded_text(value: str) -> str | None:
    try:
        raw = base64.b64decode("".join(value.split()), validate=True)
        decoded = raw.decode("utf-8")
    except (binascii.Error, ValueError):
        return None
    if not decoded or any(not (ch.isprintable() or ch in "\n\r\t") for ch in decoded):
        return None
    return decoded


# static-pod-refs ------------------------------------------------------------------------------
def _static_globs(ctx) -> list[UserRegex]:
    if not ctx.enabled("static-pod-refs"):
        return []
    globs = ctx.param("static-pod-refs", "paths", ["**/etc/kubernetes/manifests/**"])
    if isinstance(globs, str):
        globs = [globs]
    return [_glob(str(g)) for g in globs if g]


@lru_cache(maxsize=64)
def _glob(pattern: str) -> UserRegex:
    """A path glob: `**/` any directories (or none), `**` anything, `*` and `?` within a name.
    A user's glob of many stars backtracks polynomially in Python's engine: it runs on RE2."""
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return compile_user("".join(out))


def _is_static(obj: KubeObject, globs: list[UserRegex], files: dict[int, bool]) -> bool:
    """Under a static-pod manifests path, or exported from a cluster with the kubelet's marker.
    `files` keeps the answer for each source file: its objects share the path."""
    if label_text(obj.annotations.get("kubernetes.io/config.source")) in ("file", "http"):
        return True
    source = obj.doc.source
    static = files.get(id(source))
    if static is None:
        paths = {source.path.replace("\\", "/"), source.display.replace("\\", "/")}
        static = files[id(source)] = any(g.fullmatch(p) for g in globs for p in paths)
    return static


def _static_pod(ctx, obj: KubeObject, spec: PodSpec, refs: list[Ref]):
    account = service_account_ref(spec)
    if account is not None:
        yield ctx.finding("static-pod-refs", obj, account[1], file=obj.file, target=account[0])
    for ref in refs:
        yield ctx.finding("static-pod-refs", obj, ref.path, variant="reference", file=obj.file, how=ref.how,
                          target_kind=ref.kind, target=ref.name)
