"""The jsonschema validator class kubelint uses, and the strict-mode transform.

Kubernetes reads `null` as "unset" for any optional field, so every value keyword lets `None`
through (the bundled schemas are shipped without the `"null"` alternative in their types).
Only one format is checked: `quantity`, the way the API server parses resource quantities.
"""

from __future__ import annotations

from typing import Any

import jsonschema
from jsonschema import Draft202012Validator, FormatChecker

from kubelint.model.quantity import is_quantity

# Keywords that look through to sub-schemas (and so see the null themselves) or judge presence.
_STRUCTURAL = {"$ref", "$dynamicRef", "allOf", "anyOf", "oneOf", "not", "if", "required"}


def _null_is_unset(check):
    def keyword(validator, value, instance, schema):
        if instance is None:
            return ()
        return check(validator, value, instance, schema)
    return keyword


_KEYWORDS = {name: (fn if name in _STRUCTURAL else _null_is_unset(fn))
             for name, fn in Draft202012Validator.VALIDATORS.items()}

KubeValidator = jsonschema.validators.extend(Draft202012Validator, _KEYWORDS)

FORMATS = FormatChecker(formats=())


@FORMATS.checks("quantity")
def _quantity(value: Any) -> bool:
    return is_quantity(value)


def make_validator(schema: dict, registry=None):
    if registry is None:
        return KubeValidator(schema, format_checker=FORMATS)
    return KubeValidator(schema, registry=registry, format_checker=FORMATS)


def strict_copy(schema: Any) -> Any:
    """The schema with `additionalProperties: false` on every object schema that lists
    `properties`, has no `additionalProperties` of its own, and does not preserve unknown fields
    (what `kubectl --validate=strict` rejects)."""
    if isinstance(schema, list):
        return [strict_copy(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas"):
            out[key] = {k: strict_copy(v) for k, v in value.items()} if isinstance(value, dict) else value
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf", "prefixItems",
                     "if", "then", "else", "contains", "additionalItems"):
            out[key] = strict_copy(value)
        else:
            out[key] = value
    if ("properties" in out and "additionalProperties" not in out
            and "patternProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out
