"""The jsonschema validator class kubelint uses, and the strict-mode transform.

Kubernetes reads `null` as "unset" for any optional field, so every value keyword lets `None`
through (the bundled schemas are shipped without the `"null"` alternative in their types).
Only one format is checked: `quantity`, the way the API server parses resource quantities.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from kubelint.validate.gate import compile_gate, quantity_ok

# Keywords that pass the null on to sub-schemas (which then let it through) or judge presence.
# oneOf, not and if are not among them: on a null every branch would pass, and "valid under
# more than one" or "must not be valid" would report an unset field.
_STRUCTURAL = {"$ref", "$dynamicRef", "allOf", "anyOf", "required"}


def _null_is_unset(check):
    def keyword(validator, value, instance, schema):
        if instance is None:
            return ()
        return check(validator, value, instance, schema)
    return keyword


@lru_cache(maxsize=1)
def _jsonschema():
    """The validator class and format checker, built on first need: most runs have only valid
    objects, which the gate clears, and importing jsonschema costs ~0.15 s of start-up."""
    import jsonschema
    from jsonschema import Draft202012Validator, FormatChecker

    keywords = {name: (fn if name in _STRUCTURAL else _null_is_unset(fn))
                for name, fn in Draft202012Validator.VALIDATORS.items()}
    validator_class = jsonschema.validators.extend(Draft202012Validator, keywords)
    formats = FormatChecker(formats=())
    formats.checks("quantity")(quantity_ok)
    return validator_class, formats


class Compiled:
    """A schema ready to check objects: the fast gate first, jsonschema for the details."""

    def __init__(self, schema: dict, registry=None, gate_memo: dict | None = None):
        self.schema = schema
        self.registry = registry
        self._validator = None
        self.gate = compile_gate(schema, gate_memo)

    @property
    def validator(self):
        if self._validator is None:
            validator_class, formats = _jsonschema()
            if self.registry is None:
                self._validator = validator_class(self.schema, format_checker=formats)
            else:
                self._validator = validator_class(self.schema, registry=self.registry, format_checker=formats)
        return self._validator

    def errors(self, instance) -> list:
        if self.gate(instance):
            return []
        return list(self.validator.iter_errors(instance))


def make_validator(schema: dict, registry=None, gate_memo: dict | None = None) -> Compiled:
    return Compiled(schema, registry, gate_memo)


def inline_refs(schema: Any, resolve) -> Any:
    """The schema with every `{"$ref": "#/$defs/NAME"}` replaced by the (shared) inlined
    definition from `resolve(NAME)`. Recursive definitions become cyclic dicts, which jsonschema
    follows lazily as deep as the instance goes. Avoiding `referencing` lookups at validation
    time roughly halves the time jsonschema needs per object."""
    if isinstance(schema, list):
        return [inline_refs(s, resolve) for s in schema]
    if not isinstance(schema, dict):
        return schema
    ref = schema.get("$ref")
    if isinstance(ref, str) and len(schema) == 1 and ref.startswith("#/$defs/"):
        return resolve(ref.rpartition("/")[2])
    out = {}
    for key, value in schema.items():
        if key in ("properties", "patternProperties", "dependentSchemas") and isinstance(value, dict):
            out[key] = {k: inline_refs(v, resolve) for k, v in value.items()}
        elif key in ("items", "additionalProperties", "not", "allOf", "anyOf", "oneOf", "prefixItems",
                     "if", "then", "else", "contains", "additionalItems"):
            out[key] = inline_refs(value, resolve)
        else:
            out[key] = value
    return out


def strict_copy(schema: Any, branch: bool = False) -> Any:
    """The schema with `additionalProperties: false` on every object schema that lists
    `properties`, has no `additionalProperties` of its own, and does not preserve unknown fields
    (what `kubectl --validate=strict` rejects).

    Branches of allOf/anyOf/oneOf/not are left open at their own level: they list only the
    fields they constrain (`oneOf: [{required: [certificate]}, {required: [pattern]}]`), so
    closing them would reject every field the branch does not mention."""
    if isinstance(schema, list):
        return [strict_copy(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in ("properties", "$defs", "definitions", "patternProperties", "dependentSchemas"):
            out[key] = {k: strict_copy(v) for k, v in value.items()} if isinstance(value, dict) else value
        elif key in ("allOf", "anyOf", "oneOf") and isinstance(value, list):
            out[key] = [strict_copy(v, branch=True) for v in value]
        elif key == "not":
            out[key] = strict_copy(value, branch=True)
        elif key in ("items", "additionalProperties", "prefixItems", "if", "then", "else", "contains",
                     "additionalItems"):
            out[key] = strict_copy(value)
        else:
            out[key] = value
    if (not branch and "properties" in out and "additionalProperties" not in out
            and "patternProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields")):
        out["additionalProperties"] = False
    return out
