"""Small helpers shared by the cross-object checks: where an object is, what was searched."""

from __future__ import annotations

import difflib
import re
from typing import TYPE_CHECKING

from kubelint.findings import Related
from kubelint.model.k8s import KubeObject

if TYPE_CHECKING:  # the index imports refs, which imports these helpers
    from kubelint.index.objects import ObjectIndex

PLURALS = {"Secret": "Secrets", "ConfigMap": "ConfigMaps", "Service": "Services",
           "ServiceAccount": "ServiceAccounts", "PersistentVolumeClaim": "PersistentVolumeClaims",
           "Role": "Roles", "ClusterRole": "ClusterRoles", "StorageClass": "StorageClasses"}


def where(obj: KubeObject, path: tuple = ()) -> str:
    """file:line of a place in an object, for messages."""
    return f"{obj.file}:{obj.locate(tuple(path)).line}"


def related(obj: KubeObject, path: tuple, message: str) -> Related:
    return Related(obj.file, obj.locate(tuple(path)).line, message)


def label(obj: KubeObject) -> str:
    return f"{obj.kind} '{obj.name}'"


def text(value) -> str | None:
    """A reference's name: a non-empty string (numbers allowed), else None."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    value = str(value).strip()
    return value or None


_PLACEHOLDER = re.compile(r"[${}<>%\s]")


def is_placeholder(name: str) -> bool:
    """`$K8S_SA_NAME`, `<KSA_NAME>`, `${NAME:-x}`: a value some tool fills in before applying."""
    return bool(_PLACEHOLDER.search(name))


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


def searched(index: ObjectIndex, kind: str, namespace: str | None, seen_from: KubeObject, limit: int = 5) -> str:
    """'searched 2 Secrets in namespace 'shop': api-key, tls' — what a missing target was looked for in."""
    names = index.names(kind, namespace, seen_from)
    shown = ", ".join(names[:limit]) + (", ..." if len(names) > limit else "")
    head = f"searched {len(names)} {plural(kind, len(names))} {in_namespace(namespace)}"
    directory = index.directory_scope(namespace, seen_from)
    if directory is not None:
        head += f" within {directory or '.'}/"
    if index.complete and not names:
        return head + " (--complete)"
    return f"{head}: {shown}" if names else head


def not_found(index: ObjectIndex, kind: str, namespace: str | None, name: str,
              seen_from: KubeObject) -> tuple[str, list[Related]]:
    """"which was not found (searched ...)" with a hint: the same name in another directory (not
    seen without --complete), or a similar name."""
    head = f"which was not found ({searched(index, kind, namespace, seen_from)})"
    elsewhere = index.elsewhere(kind, namespace, name, seen_from)
    if elsewhere:
        obj = elsewhere[0]
        return (f"{head}; {kind} '{name}' of namespace '{namespace}' is in another directory "
                f"({where(obj, ('metadata', 'name'))}): pass --complete if both are applied together",
                [related(obj, ("metadata", "name"), f"{kind} '{name}' in another directory")])
    hint, rel = did_you_mean(name, index, kind, namespace, seen_from)
    return head + hint, rel


def did_you_mean(name: str, index: ObjectIndex, kind: str, namespace: str | None,
                 seen_from: KubeObject) -> tuple[str, list[Related]]:
    """A ' (did you mean 'x' at file:line?)' hint for a misspelt name, with its related entry."""
    close = difflib.get_close_matches(name, index.names(kind, namespace, seen_from), n=1, cutoff=0.75)
    if not close:
        return "", []
    found = index.find(kind, namespace, close[0], seen_from)
    if not found:
        return f"; did you mean '{close[0]}'?", []
    obj = found[0]
    return (f"; did you mean '{close[0]}' ({where(obj, ('metadata', 'name'))})?",
            [related(obj, ("metadata", "name"), f"{kind} '{close[0]}' has a similar name")])
