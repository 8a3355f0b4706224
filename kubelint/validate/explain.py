"""jsonschema errors turned into kubelint problems: which rule, where, and a message that names
the full field path and what was expected."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from kubelint.model.k8s import KubeObject
from kubelint.validate import hints
from kubelint.index.patches import LABELLED_RESOURCE, PATCH

if TYPE_CHECKING:  # jsonschema is imported only when an object fails the fast gate
    from jsonschema.exceptions import ValidationError

_JSON_TYPES = {bool: "boolean", int: "integer", float: "number", str: "string", list: "array",
               dict: "object", type(None): "null"}
_QUANTITY_PATTERN_MARK = "[numkMGTPE]"  # what CRD generators put in quantity patterns


@dataclass(frozen=True)
class Problem:
    rule: str
    path: tuple
    message: str
    key: bool = False  # point at the key (unknown fields, missing required fields)


def explain(obj: KubeObject, error: ValidationError, role: str | None = None) -> list[Problem]:
    """`role` is the document's kustomize role (PATCH, LABELLED_RESOURCE or None)."""
    path = tuple(error.absolute_path)
    kw = error.validator
    inst = error.instance
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
            msg = f"unknown field {obj.dotted(field_path)}"
            renamed = hints.renamed_field(obj, field_path)
            guess = None if renamed else hints.did_you_mean(str(k), allowed)
            if renamed:
                msg += f" ({renamed})"
            else:
                msg += f" (did you mean '{guess}'?)" if guess else _allowed_note(allowed)
            out.append(Problem("unknown-field", field_path, msg, key=True))
        return out
    if kw == "required":
        if patch or not isinstance(inst, dict):
            return []
        missing = [r for r in error.validator_value if r not in inst]
        if role == LABELLED_RESOURCE:  # kustomize's commonLabels writes the selector
            missing = [r for r in missing if r != "selector"]
        return [Problem("schema-invalid", path, f"missing required field {obj.dotted(path + (r,))}", key=True)
                for r in missing]
    if kw == "type":
        return [Problem("schema-invalid", path, _type_message(obj, path, inst, error.validator_value))]
    if kw == "enum":
        choices = [c for c in error.validator_value if c is not None and c != ""]
        msg = f"{where}: {_show(inst)} is not one of {', '.join(_show(c) for c in choices)}"
        guess = hints.did_you_mean(str(inst), [str(c) for c in choices]) if isinstance(inst, str) else None
        if guess:
            msg += f" (did you mean '{guess}'?)"
        return [Problem("schema-invalid", path, msg)]
    if kw == "format" and error.validator_value == "quantity":
        return [Problem("invalid-quantity", path, _quantity_message(where, inst))]
    if kw == "pattern":
        if _QUANTITY_PATTERN_MARK in str(error.validator_value):
            return [Problem("invalid-quantity", path, _quantity_message(where, inst))]
        return [Problem("schema-invalid", path,
                        f"{where}: {_show(inst)} does not match the pattern {error.validator_value}")]
    if kw in ("oneOf", "anyOf"):
        from jsonschema.exceptions import best_match

        sub = best_match(error.context) if error.context else None
        if sub is not None:
            return explain(obj, sub, role)
        return [Problem("schema-invalid", path, f"{where}: {_show(inst)} matches none of the allowed forms")]
    return [Problem("schema-invalid", path, f"{where}: {_generic(kw, error)}")]


def templated(text: str) -> bool:
    """Placeholders another tool fills in (Helm, envsubst, kustomize vars): not ours to judge."""
    return "{{" in text or "${" in text or "$(" in text


def _matches_pattern_properties(schema: dict, key) -> bool:
    import re

    return any(re.search(p, str(key)) for p in schema.get("patternProperties", {}))


def _allowed_note(allowed: list[str]) -> str:
    if not allowed:
        return " (no fields are allowed here)"
    if len(allowed) <= 8:
        return f" (allowed: {', '.join(sorted(allowed))})"
    return ""


def _type_message(obj: KubeObject, path: tuple, inst, expected) -> str:
    expected = expected if isinstance(expected, list) else [expected]
    got = _JSON_TYPES.get(type(inst), type(inst).__name__)
    want = " or ".join(expected)
    where = obj.dotted(path) or "the object"
    msg = f"{where}: expected {want}, got {got}"
    if not isinstance(inst, (dict, list)):
        msg += f" {_show(inst)}"
    hint = ""
    if expected == ["string"] and isinstance(inst, (bool, int, float)):
        hint = hints.wanted_string_hint(obj, path, inst)
    elif ("integer" in expected or "number" in expected) and isinstance(inst, str):
        hint = hints.wanted_number_hint(obj, path, inst)
    elif "boolean" in expected:
        hint = hints.wanted_boolean_hint(inst)
    return f"{msg}; {hint}" if hint else msg


def _quantity_message(where: str, inst) -> str:
    msg = f"{where}: {_show(inst)} is not a valid Kubernetes quantity"
    hint = hints.quantity_hint(inst)
    return f"{msg}; {hint}" if hint else msg


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
