"""Turning a Kubernetes structural schema (a CRD's openAPIV3Schema, or a kubeconform-style JSON
schema file) into the JSON Schema dialect kubelint validates with.

- `x-kubernetes-int-or-string` becomes `type: [integer, string]` (its `anyOf` only adds noise);
- `x-kubernetes-embedded-resource` objects get `apiVersion`/`kind`/`metadata` fields;
- draft-4 boolean `exclusiveMinimum`/`exclusiveMaximum` become the draft 2020-12 numbers;
- `nullable`, descriptions, examples, defaults and CEL rules are dropped (null is always "unset");
- patterns Python cannot compile are dropped rather than failing the run.
`x-kubernetes-preserve-unknown-fields` stays: the strict transform reads it.
"""

from __future__ import annotations

import re
from typing import Any

_DROP = {"description", "nullable", "example", "default", "x-kubernetes-validations",
         "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
         "externalDocs", "title", "readOnly", "writeOnly", "deprecated"}
_SCHEMA_MAPS = {"properties", "patternProperties", "definitions", "$defs", "dependentSchemas"}
_SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
_SCHEMA_ONE = {"not", "additionalItems", "contains", "if", "then", "else", "propertyNames"}


def convert(schema: Any, depth: int = 0) -> Any:
    if not isinstance(schema, dict) or depth > 200:
        return schema if isinstance(schema, (dict, bool)) else {}
    out: dict = {}
    for key, value in schema.items():
        if key in _DROP:
            continue
        if key in _SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {k: convert(v, depth + 1) for k, v in value.items()}
        elif key in _SCHEMA_LISTS and isinstance(value, list):
            out[key] = [convert(v, depth + 1) for v in value]
        elif key in _SCHEMA_ONE or key == "additionalProperties":
            out[key] = convert(value, depth + 1)
        elif key == "items":
            out[key] = [convert(v, depth + 1) for v in value] if isinstance(value, list) else convert(value, depth + 1)
        elif key == "pattern":
            if isinstance(value, str) and _compiles(value):
                out[key] = value
        else:
            out[key] = value
    if isinstance(out.get("items"), list):  # draft-4 tuple form
        out["prefixItems"] = out.pop("items")
    for bound, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        if isinstance(out.get(exclusive), bool):
            if out.pop(exclusive) and bound in out:
                out[exclusive] = out.pop(bound)
    if out.get("x-kubernetes-int-or-string"):
        out["type"] = ["integer", "string"]
        for key in ("anyOf", "oneOf"):
            if key in out and all(set(s) <= {"type", "pattern", "format"} for s in out[key] if isinstance(s, dict)):
                del out[key]
    if out.get("x-kubernetes-embedded-resource"):
        props = out.setdefault("properties", {}) if "properties" in out or not out.get(
            "x-kubernetes-preserve-unknown-fields") else None
        if props is not None:
            props.setdefault("apiVersion", {"type": "string"})
            props.setdefault("kind", {"type": "string"})
            props.setdefault("metadata", {"type": "object"})
    return out


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
        return True
    except (re.error, RecursionError, OverflowError):
        return False
