"""The fast gate never calls an instance valid that jsonschema (kubelint's dialect) rejects."""

import pytest

from kubelint.validate.engine import make_validator, strict_copy
from kubelint.validate.gate import compile_gate

SCHEMAS = {
    "object": {"type": "object", "required": ["a"],
               "properties": {"a": {"type": "string", "enum": ["x", "y"]},
                              "n": {"type": "integer", "minimum": 1, "maximum": 5},
                              "q": {"type": ["string", "number"], "format": "quantity"},
                              "m": {"type": "object", "additionalProperties": {"type": "string"}},
                              "l": {"type": "array", "items": {"type": "string", "pattern": "^[a-z]+$"}},
                              "s": {"type": "string", "minLength": 2, "maxLength": 3}}},
    "oneof": {"type": "object", "properties": {"v": {"oneOf": [{"type": "string"}, {"type": "integer"}]}}},
    "not": {"type": "object", "properties": {"v": {"not": {"type": "string"}}}},
    "anyof": {"type": "object", "properties": {"v": {"anyOf": [{"type": "integer"}, {"type": "string", "pattern": "^a"}]}}},
    "exclusive": {"type": "object", "properties": {"v": {"type": "number", "exclusiveMinimum": 0}}},
    "unique": {"type": "object", "properties": {"v": {"type": "array", "uniqueItems": True}}},
}
INSTANCES = [
    {}, {"a": "x"}, {"a": "z"}, {"a": None}, {"a": "x", "n": 0}, {"a": "x", "n": 3}, {"a": "x", "n": 3.0},
    {"a": "x", "n": True}, {"a": "x", "q": "1Gi"}, {"a": "x", "q": "1Gb"}, {"a": "x", "q": 2.5}, {"a": "x", "q": False},
    {"a": "x", "m": {"k": "v"}}, {"a": "x", "m": {"k": 1}}, {"a": "x", "m": {"k": None}}, {"a": "x", "l": ["ab", "c"]},
    {"a": "x", "l": ["AB"]}, {"a": "x", "l": [None]}, {"a": "x", "s": "a"}, {"a": "x", "s": "abcd"}, {"a": "x", "s": "ab"},
    {"a": "x", "extra": 1}, {"v": None}, {"v": "s"}, {"v": 1}, {"v": 1.5}, {"v": "b"}, {"v": 0}, {"v": [1, 1]},
    {"v": [1, 2]}, {"a": 1}, [], "text", None,
]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
@pytest.mark.parametrize("strict", [False, True])
def test_gate_is_sound(name, strict):
    schema = strict_copy(SCHEMAS[name]) if strict else SCHEMAS[name]
    compiled = make_validator(schema)
    for instance in INSTANCES:
        if compiled.gate(instance):
            assert list(compiled.validator.iter_errors(instance)) == [], (name, instance)


def test_gate_accepts_the_common_valid_case_and_defers_the_rest():
    gate = compile_gate(SCHEMAS["object"])
    assert gate({"a": "x", "n": 3, "q": "500m", "m": {"k": "v"}, "l": ["ab"], "s": "abc"})
    assert not gate({"a": "x", "n": 3.0})  # jsonschema calls 3.0 an integer; the gate defers
    assert not compile_gate(SCHEMAS["oneof"])({"v": "s"})  # oneOf is not modelled
    assert compile_gate(SCHEMAS["anyof"])({"v": "abc"})


def test_null_is_unset_for_every_keyword():
    for name, schema in SCHEMAS.items():
        if name != "object":  # which requires "a"
            assert list(make_validator(schema).validator.iter_errors({"v": None})) == [], name
