"""Label selectors evaluated the way the API server evaluates them.

Two shapes: a LabelSelector (`matchLabels` + `matchExpressions`, used by apps/v1 workloads, PDBs,
NetworkPolicies) and a plain map (Service and ReplicationController selectors). Anything
malformed gives None: a selector we cannot read is not a selector we can judge.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from typing import Any

OPERATORS = ("In", "NotIn", "Exists", "DoesNotExist")


def label_text(value: Any) -> str:
    """Label values as strings; YAML turns `true` and `1` into other types."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def clean_labels(labels: Any) -> dict[str, str]:
    if not isinstance(labels, dict):
        return {}
    return {str(k): label_text(v) for k, v in labels.items()}


@dataclass(frozen=True)
class Expression:
    key: str
    operator: str
    values: frozenset

    def matches(self, labels: dict) -> bool:
        if self.operator == "Exists":
            return self.key in labels
        if self.operator == "DoesNotExist":
            return self.key not in labels
        if self.operator == "In":
            return self.key in labels and labels[self.key] in self.values
        return self.key not in labels or labels[self.key] not in self.values  # NotIn

    def describe(self) -> str:
        if self.operator == "Exists":
            return self.key
        if self.operator == "DoesNotExist":
            return f"!{self.key}"
        joined = ",".join(sorted(self.values))
        return f"{self.key} {'in' if self.operator == 'In' else 'notin'} ({joined})"


@dataclass(frozen=True)
class Selector:
    match_labels: dict = field(default_factory=dict)
    expressions: tuple = ()

    @property
    def empty(self) -> bool:
        return not self.match_labels and not self.expressions

    def matches(self, labels: dict, generated: dict | None = None) -> bool:
        """Whether pods with these labels are selected. `generated` holds the labels a controller
        adds to its pods (key -> possible values, None for any value: a hash, a uid)."""
        if not generated:
            for key, value in self.match_labels.items():
                if labels.get(key) != value:
                    return False
            return all(e.matches(labels) for e in self.expressions)
        for key, value in self.match_labels.items():
            if labels.get(key) != value and not _may_be(generated, key, (value,)):
                return False
        for e in self.expressions:
            if e.operator == "In" and key_missing(labels, e.key) and _may_be(generated, e.key, e.values):
                continue
            if e.operator == "Exists" and e.key in generated:
                continue
            if not e.matches(labels):
                return False
        return True

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in sorted(self.match_labels.items())]
        parts += [e.describe() for e in self.expressions]
        return ", ".join(parts) or "(empty)"


def key_missing(labels: dict, key: str) -> bool:
    return key not in labels


def _may_be(generated: dict, key: str, values) -> bool:
    if key not in generated:
        return False
    possible = generated[key]
    return possible is None or any(v in possible for v in values)


def plain_selector(value: Any) -> Selector | None:
    """A Service / ReplicationController selector: a map of labels."""
    if not isinstance(value, dict):
        return None
    return Selector(clean_labels(value))


def label_selector(value: Any) -> Selector | None:
    """A metav1.LabelSelector; None when it is missing or malformed."""
    if not isinstance(value, dict):
        return None
    match_labels = value.get("matchLabels")
    if match_labels is not None and not isinstance(match_labels, dict):
        return None
    expressions = []
    raw = value.get("matchExpressions")
    if raw is not None and not isinstance(raw, list):
        return None
    for item in raw or []:
        if not isinstance(item, dict) or item.get("operator") not in OPERATORS or item.get("key") is None:
            return None
        values = item.get("values")
        values = values if isinstance(values, list) else []
        expressions.append(Expression(str(item["key"]), item["operator"],
                                      frozenset(label_text(v) for v in values)))
    return Selector(clean_labels(match_labels), tuple(expressions))


def describe_labels(labels: dict) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(labels.items())) or "(no labels)"


def closeness(selector: Selector, labels: dict) -> tuple:
    """How near a label set comes to a selector, for 'closest' hints: terms satisfied, selector
    values found under any key (`tier: frontend` for `app: frontend`), keys present, and how alike
    the values of those keys are (`web` for `webb`). All zero: nothing in common."""
    if not any(k in labels for k in selector.match_labels) and \
            not set(selector.match_labels.values()) & set(labels.values()) and not selector.expressions:
        return 0, 0, 0, 0.0
    satisfied = sum(labels.get(k) == v for k, v in selector.match_labels.items())
    satisfied += sum(e.matches(labels) for e in selector.expressions if e.operator in ("In", "Exists"))
    values = set(labels.values())
    shared = sum(v in values for v in selector.match_labels.values())
    present = sum(k in labels for k in selector.match_labels)
    alike = sum(difflib.SequenceMatcher(None, v, labels[k]).ratio()
                for k, v in selector.match_labels.items() if k in labels)
    return satisfied, shared, present, round(alike, 3)
