"""jsonschema errors turned into kubelint problems: which rule, where, and the values that the
rule's message template (in rules/schema/*.yaml) names: the field path, what was expected, what
was found, a hint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from kubelint.index.patches import LABELLED_RESOURCE, PATCH
from kubelint.model.k8s import KubeObject
from kubelint.validate import hints

if TYPE_CHECKING:  # jsonschema is imported only when an object fails the fast gate
    from jsonschema.exceptions import ValidationError

_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
               dict: "object", type(None): "null"}
_QUANTITY_PATTERN_MARK = "[numkMGTPE]"  # what CRD generators put in quantity patterns


@dataclass(frozen=True)
class Problem:
    rule: str
    path: tuple
    variant: str | None  # which of the rule's messages tells it (None: its `message:`)
    values: dict[str, Any] = field(default_factory=dict)  # what that message names
    key: bool = False  # point at the key (unknown fields, missing required fields)

    @property
    def identity(self) -> tuple:
        """What tells two problems apart (one jsonschema error may repeat another's)."""
        return (self.rule, self.path, self.variant, tuple(sorted((k, str(v)) for k, v in self.values.items())))


def explain(obj: KubeObject, error: ValidationError, role: str | None = None) -> list[Problem]:
    """`role` is the document's kustomize role (PATCH, LABELLED_RESOURCE or None)."""
    path = tuple(error.absolute_path)
    kw = str(error.validator)
    inst = error.instance
    expected: Any = error.validator_value  # the schema keyword's value: a list, a type name, ...
    patch = role == PATCH
    if isinstance(inst, str) and templated(inst) and kw in ("type", "enum", "pattern", "format"):
        return []  # a placeholder another tool fills in: its final type is not known here
    schema = error.schema if isinstance(error.schema, dict) else {}
    where = obj.dotted(path) or "the object"
    if kw in ("additionalProperties", "unevaluatedProperties") and isinstance(inst, dict):
        allowed = list(schema.get("properties", {}))
        out = []
        for k in inst:
            if k in schema.get("properties", {}) or (patch and str(k).startswith("$")):
                continue
            if _matches_pattern_properties(schema, k):
                continue
            field_path = path + (k,)
            renamed = hints.renamed_field(obj, field_path)
            guess = None if renamed else hints.did_you_mean(str(k), allowed)
            values: dict[str, Any]
            variant: str | None
            if renamed:
                variant, values = "renamed", {"renamed": renamed}
            elif guess:
                variant, values = "did-you-mean", {"suggestion": guess}
            elif not allowed:
                variant, values = "none-allowed", {}
            elif len(allowed) <= 8:
                variant, values = "allowed", {"allowed": sorted(allowed)}
            else:
                variant, values = None, {}
            out.append(Problem("unknown-field", field_path, variant, {"field": str(k), **values}, key=True))
        return out
    if kw == "required":
        if patch or not isinstance(inst, dict):
            return []
        missing = [r for r in expected if r not in inst]
        if role == LABELLED_RESOURCE:  # kustomize's commonLabels writes the selector
            missing = [r for r in missing if r != "selector"]
        return [Problem("schema-invalid", path, "missing", {"field": obj.dotted(path + (r,))}, key=True)
                for r in missing]
    if kw == "type":
        return [_type_problem(obj, path, inst, error.validator_value)]
    if kw == "enum":
        choices = [c for c in expected if c is not None and c != ""]
        values = {"where": where, "value": _show(inst), "choices": [_show(c) for c in choices]}
        guess = hints.did_you_mean(str(inst), [str(c) for c in choices]) if isinstance(inst, str) else None
        if guess:
            return [Problem("schema-invalid", path, "enum-did-you-mean", {**values, "suggestion": guess})]
        return [Problem("schema-invalid", path, "enum", values)]
    if kw == "format" and error.validator_value == "quantity":
        return [_quantity_problem(path, where, inst)]
    if kw == "pattern":
        if _QUANTITY_PATTERN_MARK in str(error.validator_value):
            return [_quantity_problem(path, where, inst)]
        return [Problem("schema-invalid", path, "pattern",
                        {"where": where, "value": _show(inst), "pattern": str(error.validator_value)})]
    if kw in ("oneOf", "anyOf"):
        from jsonschema.exceptions import best_match

        sub = best_match(error.context) if error.context else None
        if sub is not None:
            return explain(obj, sub, role)
        return [Problem("schema-invalid", path, "no-form", {"where": where, "value": _show(inst)})]
    return [Problem("schema-invalid", path, None, {"where": where, "problem": _generic(kw, error)})]


def templated(text: str) -> bool:
    """Placeholders another tool fills in (Helm, envsubst, kustomize vars): not ours to judge."""
    return "{{" in text or "${" in text or "$(" in text


def _matches_pattern_properties(schema: dict, key) -> bool:
    import re

    return any(re.search(p, str(key)) for p in schema.get("patternProperties", {}))


def _type_problem(obj: KubeObject, path: tuple, inst, expected) -> Problem:
    expected = expected if isinstance(expected, list) else [expected]
    got = _JSON_TYPES.get(type(inst), type(inst).__name__)
    if not isinstance(inst, (dict, list)):
        got += f" {_show(inst)}"  # the value too, when it is short enough to show
    values = {"where": obj.dotted(path) or "the object", "expected": " or ".join(expected), "got": got}
    hint = ""
    if expected == ["string"] and isinstance(inst, (bool, int, float)):
        hint = hints.wanted_string_hint(obj, path, inst)
    elif ("integer" in expected or "number" in expected) and isinstance(inst, str):
        hint = hints.wanted_number_hint(obj, path, inst)
    elif "boolean" in expected:
        hint = hints.wanted_boolean_hint(inst)
    if hint:
        return Problem("schema-invalid", path, "type-hint", {**values, "hint": hint})
    return Problem("schema-invalid", path, "type", values)


def _quantity_problem(path: tuple, where: str, inst) -> Problem:
    values = {"where": where, "value": _show(inst)}
    hint = hints.quantity_hint(inst)
    if hint:
        return Problem("invalid-quantity", path, None, {**values, "hint": hint})
    return Problem("invalid-quantity", path, "no-hint", values)


def _generic(kw: str, error: ValidationError) -> str:
    v, inst = error.validator_value, error.instance
    texts = {
        "minimum": f"{_show(inst)} is less than the minimum {v}",
        "maximum": f"{_show(inst)} is more than the maximum {v}",
        "exclusiveMinimum": f"{_show(inst)} must be greater than {v}",
        "exclusiveMaximum": f"{_show(inst)} must be less than {v}",
        "minLength": f"must be at least {v} characters long",
        "maxLength": f"must be at most {v} characters long",
        "minItems": f"must have at least {v} item{'s' if v != 1 else ''}",
        "maxItems": f"must have at most {v} item{'s' if v != 1 else ''}",
        "minProperties": f"must have at least {v} field{'s' if v != 1 else ''}",
        "maxProperties": f"must have at most {v} field{'s' if v != 1 else ''}",
        "uniqueItems": "items must be unique",
        "const": f"must be {_show(v)}",
        "multipleOf": f"{_show(inst)} is not a multiple of {v}",
        "not": "matches a form that is not allowed here",
    }
    text = texts.get(kw)
    if text is None:
        text = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return text


def _show(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        text = value if len(value) <= 60 else value[:57] + "..."
        return f"'{text}'"
    if isinstance(value, (dict, list)):
        return "an object" if isinstance(value, dict) else "a list"
    return str(value)
