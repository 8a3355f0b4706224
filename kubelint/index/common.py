"""Small helpers shared by the cross-object checks: where an object is, what was searched."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from kubelint.findings import Related
from kubelint.model.k8s import UNNAMED, KubeObject

if TYPE_CHECKING:  # annotations only; the index never imports this module
    from kubelint.index.objects import ObjectIndex

PLURALS = {"Secret": "Secrets", "ConfigMap": "ConfigMaps", "Service": "Services",
           "ServiceAccount": "ServiceAccounts", "PersistentVolumeClaim": "PersistentVolumeClaims",
           "Role": "Roles", "ClusterRole": "ClusterRoles", "StorageClass": "StorageClasses"}


def where(obj: KubeObject, path: tuple = ()) -> str:
    """file:line of a place in an object, for messages."""
    return f"{obj.file}:{obj.locate(tuple(path)).line}"


def related(obj: KubeObject, path: tuple, message: str) -> Related:
    return Related(obj.file, obj.locate(tuple(path)).line, message)


def shown_name(obj: KubeObject) -> str:
    """The object's name as messages show it (an object without one is still checked)."""
    return obj.name if obj.name is not None else UNNAMED


def label(obj: KubeObject) -> str:
    return f"{obj.kind} '{shown_name(obj)}'"


def plural(kind: str, n: int) -> str:
    if n == 1:
        return kind
    return PLURALS.get(kind, kind + "s")


def in_namespace(namespace: str | None) -> str:
    return f"in namespace '{namespace}'" if namespace else "in the scan"


def should_report_missing(index: ObjectIndex, kind: str, namespace: str | None, seen_from: KubeObject) -> bool:
    """A missing target is reported when the scan shows that namespace's objects of that kind
    (a repo that holds none manages them elsewhere), or always with --complete."""
    return index.complete or index.count(kind, namespace, seen_from) > 0


def searched(index: ObjectIndex, kind: str, namespace: str | None, seen_from: KubeObject, limit: int = 5,
             shown_kind: str | None = None) -> str:
    """'searched 2 Secrets in namespace 'shop': api-key, tls' — what a missing target was looked for in."""
    names = index.names(kind, namespace, seen_from)
    shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
    head = f"searched {len(names)} {plural(shown_kind or kind, len(names))} {in_namespace(namespace)}"
    directory = index.directory_scope(namespace, seen_from)
    if directory is not None:
        head += f" within {directory or '.'}/"
    if index.complete and not names:
        return head + " (--complete)"
    return f"{head}: {shown}" if names else head


@dataclass
class Missing:
    """How a lookup of a missing object went, for the rule's message: `variant` None (not found),
    "similar" (a similar name: `similar`, `similar_at`) or "elsewhere" (the same name in a
    directory the lookup did not see: `elsewhere_at`); `values` always hold `searched` and
    `target_namespace`."""

    variant: str | None
    values: dict[str, Any]
    related: list[Related]


def not_found(index: ObjectIndex, kind: str, namespace: str | None, name: str,
              seen_from: KubeObject, shown_kind: str | None = None) -> Missing:
    """What was searched for a missing target, with a hint: the same name in another directory
    (not seen without --complete), or a similar name. `shown_kind` is how messages name the kind
    (an HPA target's kind without its API group)."""
    values: dict[str, Any] = {"searched": searched(index, kind, namespace, seen_from, shown_kind=shown_kind),
                              "target_namespace": namespace}
    elsewhere = index.elsewhere(kind, namespace, name, seen_from)
    if elsewhere:
        obj = elsewhere[0]
        values["elsewhere_at"] = where(obj, ("metadata", "name"))
        return Missing("elsewhere", values,
                       [related(obj, ("metadata", "name"), f"{shown_kind or kind} '{name}' in another directory")])
    similar = did_you_mean(name, index, kind, namespace, seen_from)
    if similar is None:
        return Missing(None, values, [])
    close, obj, path = similar
    values.update(similar=close, similar_at=where(obj, path))
    return Missing("similar", values, [related(obj, path, f"{shown_kind or kind} '{close}' has a similar name")])


def did_you_mean(name: str, index: ObjectIndex, kind: str, namespace: str | None,
                 seen_from: KubeObject) -> tuple[str, KubeObject, tuple] | None:
    """A similar name the lookup saw, with the object (and path) that defines it: the object of
    that name, or the generator that makes it (a kustomize secretGenerator, a Certificate)."""
    close = difflib.get_close_matches(name, index.names(kind, namespace, seen_from), n=1, cutoff=0.75)
    if not close:
        return None
    found = index.find(kind, namespace, close[0], seen_from)
    if found:
        return close[0], found[0], ("metadata", "name")
    provided = index.provided(kind, namespace, close[0], seen_from)
    if provided:
        return close[0], provided[0].obj, provided[0].path
    return None
