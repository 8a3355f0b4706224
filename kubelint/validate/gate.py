"""A fast yes/maybe pre-check in front of jsonschema.

Most objects are valid, and jsonschema's `iter_errors` spends ~0.5 ms on a valid Deployment
walking its keyword machinery. The gate compiles a schema into plain closures that answer one
question: "is this instance certainly valid?" Only when the answer is not a certain yes does
the real validator run and explain the errors, so findings always come from jsonschema.

The gate must never say yes where jsonschema (with kubelint's null-is-unset keywords and
quantity format) would report an error. Keywords it does not model, and corner cases it does not
want to reproduce (floats that are integers, oneOf, uniqueItems, ...), make it say "maybe".
"""

from __future__ import annotations

import re
from typing import Any, Callable

from kubelint.model.quantity import is_quantity

Gate = Callable[[Any], bool]

# Keywords with no effect on validity for kubelint (annotations; other formats are not checked).
_IGNORED = {"title", "description", "default", "examples", "example", "readOnly", "writeOnly",
            "deprecated", "$schema", "$id", "$comment", "nullable", "$defs", "definitions", "id"}
_TYPES = {
    "object": lambda v: type(v) is dict,
    "array": lambda v: type(v) is list,
    "string": lambda v: type(v) is str,
    "integer": lambda v: type(v) is int,
    "number": lambda v: type(v) in (int, float),
    "boolean": lambda v: type(v) is bool,
    "null": lambda v: v is None,
}


def quantity_ok(value) -> bool:
    """The `quantity` format: only strings and numbers are judged (a wrong type is the type
    keyword's finding, not a second one)."""
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        return True
    return is_quantity(value)


def _never(_value) -> bool:
    return False


def _always(_value) -> bool:
    return True


def compile_gate(schema: Any, memo: dict | None = None) -> Gate:
    """memo maps id(schema dict) -> gate, so shared and recursive definitions compile once."""
    if memo is None:
        memo = {}
    if schema is True or schema == {}:
        return _always
    if schema is False:
        return lambda v: v is None
    if not isinstance(schema, dict):
        return _never
    key = id(schema)
    if key in memo:
        return memo[key]
    cell: list[Gate] = [_never]
    memo[key] = lambda v: cell[0](v)  # placeholder for recursive schemas
    cell[0] = _compile(schema, memo)
    memo[key] = cell[0]
    return cell[0]


def _compile(schema: dict, memo: dict) -> Gate:
    checks: list[Callable[..., bool]] = []  # lambdas bind their arguments as defaults
    props: dict[str, Gate] | None = None
    additional: Gate | None = None
    closed = False
    for kw, arg in schema.items():
        if kw in _IGNORED or kw.startswith("x-"):
            continue
        if kw == "type":
            names = arg if isinstance(arg, list) else [arg]
            if any(n not in _TYPES for n in names):
                return _never
            tests = [_TYPES[n] for n in names]
            checks.append(tests[0] if len(tests) == 1 else (lambda v, tests=tests: any(t(v) for t in tests)))
        elif kw == "properties" and isinstance(arg, dict):
            props = arg  # compiled key by key as instances use them (see _object_check)
        elif kw == "additionalProperties":
            if arg is False:
                closed = True
            elif arg is not True:
                additional = compile_gate(arg, memo)
        elif kw == "items" and isinstance(arg, (dict, bool)):
            item = compile_gate(arg, memo)
            checks.append(lambda v, item=item: type(v) is not list or all(x is None or item(x) for x in v))
        elif kw == "required" and isinstance(arg, list):
            checks.append(lambda v, req=tuple(arg): type(v) is not dict or all(r in v for r in req))
        elif kw == "enum" and isinstance(arg, list):
            allowed = [(type(e), e) for e in arg if isinstance(e, (str, int, float, bool))]
            if len(allowed) != len(arg):
                return _never
            checks.append(lambda v, allowed=allowed: (type(v), v) in allowed)
        elif kw == "format":
            if arg == "quantity":
                checks.append(quantity_ok)
        elif kw == "pattern" and isinstance(arg, str):
            try:
                rx = re.compile(arg)
            except re.error:
                return _never
            checks.append(lambda v, rx=rx: type(v) is not str or rx.search(v) is not None)
        elif kw in ("minLength", "maxLength") and isinstance(arg, int):
            lo = kw == "minLength"
            checks.append(lambda v, n=arg, lo=lo: type(v) is not str or (len(v) >= n if lo else len(v) <= n))
        elif kw in ("minItems", "maxItems") and isinstance(arg, int):
            lo = kw == "minItems"
            checks.append(lambda v, n=arg, lo=lo: type(v) is not list or (len(v) >= n if lo else len(v) <= n))
        elif kw in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") and type(arg) in (int, float):
            checks.append(_bound(kw, arg))
        elif kw == "allOf" and isinstance(arg, list):
            subs = [compile_gate(s, memo) for s in arg]
            checks.append(lambda v, subs=subs: all(s(v) for s in subs))
        elif kw == "anyOf" and isinstance(arg, list):
            subs = [compile_gate(s, memo) for s in arg]
            checks.append(lambda v, subs=subs: any(s(v) for s in subs))
        else:
            return _never  # oneOf, not, $ref, uniqueItems, const, patternProperties, ...
    if props is not None or closed or additional is not None:
        checks.append(_object_check(props or {}, memo, closed, additional))
    if not checks:
        return _always

    def gate(v) -> bool:
        if v is None:  # null means "unset" for every keyword the gate models
            return True
        for check in checks:
            if not check(v):
                return False
        return True
    return gate


def _object_check(props: dict[str, Any], memo: dict, closed: bool, additional: Gate | None) -> Gate:
    """`props`: the property schemas, each compiled the first time an instance has the key. A
    CRD's schema is often large and its objects use a small part of it: compiling all of it
    up front cost more than checking the few objects that use it."""
    compiled: dict[str, Gate] = {}

    def check(v) -> bool:
        if type(v) is not dict:
            return True
        for k, x in v.items():
            g = compiled.get(k)
            if g is None:
                if k not in props:
                    if closed:
                        return False
                    if additional is not None and x is not None and not additional(x):
                        return False
                    continue
                g = compiled[k] = compile_gate(props[k], memo)
            if x is not None and not g(x):
                return False
        return True
    return check


def _bound(kw: str, n) -> Gate:
    def check(v) -> bool:
        if type(v) not in (int, float):
            return True
        if kw == "minimum":
            return v >= n
        if kw == "maximum":
            return v <= n
        if kw == "exclusiveMinimum":
            return v > n
        return v < n
    return check
