"""The condition language, compiled once per rule into plain Python closures.

A compiled condition takes the scope's root data and returns a Verdict: whether the rule is
broken, and the relative path (and value) that decided it, so the finding can point there.
No eval, no imports: only the operators below exist.
"""

from __future__ import annotations

from typing import Any, Callable

from kubelint.engine.paths import WILDCARD, Lookup, deepest_existing, getter, lookup, parse_path
from kubelint.model.quantity import parse_quantity
from kubelint.ruleapi.regex import UserRegexError, compile_user

PREDICATES = ("exists", "absent", "equals", "not-equals", "in", "not-in", "regex", "not-regex",
              "gt", "ge", "lt", "le", "count", "duplicates", "key-regex", "missing-keys")
COMBINATORS = ("all", "any", "not")
# Predicates that take `ignore-case: true` beside their operand (capability names, which
# container runtimes upper-case: `sys_admin` is SYS_ADMIN).
CASELESS = ("equals", "not-equals", "in", "not-in", "regex", "not-regex")
IGNORE_CASE = "ignore-case"
_CMP = {
    "gt": lambda a, b: a > b, "ge": lambda a, b: a >= b,
    "lt": lambda a, b: a < b, "le": lambda a, b: a <= b,
    "eq": lambda a, b: a == b, "ne": lambda a, b: a != b,
}


class ConditionError(ValueError):
    """A mistake in a rule's condition; `where` is the key path inside the rule file."""

    def __init__(self, message: str, where: tuple = ()):
        super().__init__(message)
        self.where = where


class Verdict:
    """broken: the rule is broken. path: relative to the scope root; for a missing path, its
    nearest existing parent (missing=True), found only if someone asks — most verdicts are
    "not broken" and never reported. key: the verdict is about a mapping key (key-regex)."""

    __slots__ = ("broken", "_path", "value", "missing", "key", "_where", "absent_field")

    def __init__(self, broken: bool, path: tuple | None = None, value: Any = None,
                 missing: bool = False, key: bool = False, where: tuple | None = None,
                 absent_field: bool = False):
        self.broken = broken
        # Broken (also) because a field is absent (`absent: true`, `exists: false`,
        # `missing-keys`), even if the verdict points at a value that is there: what a kustomize
        # patch leaves out proves nothing about the finished object.
        self.absent_field = absent_field
        self._path = path
        self.value = value
        self.missing = missing
        self.key = key
        self._where = where  # (root, scope, parts): where to look for the nearest parent

    @property
    def path(self) -> tuple:
        if self._path is None:
            assert self._where is not None, "a verdict without a path knows where to look"
            root, scope, parts = self._where
            self._path = _deepest(root, scope, parts)
        return self._path

    def flipped(self) -> "Verdict":
        return Verdict(not self.broken, self._path, self.value, self.missing, self.key, self._where)


# The verdict of every evaluation that is not broken, where no `not` can turn it into a finding
# (compile_condition's detail=False): never reported, never changed (its path is known, so
# nothing is cached in it).
_PASS = Verdict(False, ())

# A compiled condition: (scope root, {"$pod": pod spec, "$object": object}) -> Verdict.
Condition = Callable[[Any, dict], Verdict]
SCOPE_ROOTS = ("$pod", "$object")


def _lookup(parts: tuple) -> Lookup:
    """The values at `parts`, compiled once per rule; paths starting with $pod/$object start
    from there instead of the scope root (container rules that must see pod-level settings).
    Verdict paths keep the prefix."""
    if parts and parts[0] in SCOPE_ROOTS:
        return lookup(parts[1:], parts[:1], parts[0])
    return lookup(parts)


def _getter(parts: tuple):
    """paths.getter for a rule path (see _lookup), or None when the path may find several
    values; what it finds sits at `parts` itself."""
    if parts and parts[0] in SCOPE_ROOTS:
        return getter(parts[1:], parts[0])
    return getter(parts)


def _deepest(root: Any, scope: dict, parts: tuple) -> tuple:
    if parts and parts[0] in SCOPE_ROOTS:
        return deepest_existing(scope.get(parts[0]), parts[1:], parts[:1])
    return deepest_existing(root, parts)


def _norm(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return value


def values_equal(a: Any, b: Any) -> bool:
    if type(a) is str and type(b) is str:  # most comparisons: _norm would leave both as they are
        return a == b
    if a == b and type(a) is type(b):
        return True
    return _norm(a) == _norm(b)


def _quantity(value: Any):
    try:
        return parse_quantity(value)
    except ValueError:
        return None


def compile_condition(cond: Any, params: dict, where: tuple = ("condition",), detail: bool = True) -> Condition:
    """detail=False (the engine): a verdict that is not broken is never reported, so outside a
    `not` (which turns it into a finding that must say where it looked) all such verdicts are
    one shared object (_PASS): most evaluations end there."""
    if not isinstance(cond, dict) or not cond:
        raise ConditionError("a condition must be a non-empty mapping", where)
    ops = [k for k in cond if k in COMBINATORS]
    if ops:
        if len(cond) != 1:
            raise ConditionError(f"'{ops[0]}' must stand alone in its mapping", where)
        op = ops[0]
        if op == "not":
            return _not(compile_condition(cond["not"], params, where + ("not",), True))
        items = cond[op]
        if not isinstance(items, list) or not items:
            raise ConditionError(f"'{op}' takes a non-empty list of conditions", where + (op,))
        subs = [compile_condition(c, params, where + (op, i), detail) for i, c in enumerate(items)]
        return _all(subs) if op == "all" else _any(subs)
    if "path" not in cond:
        raise ConditionError("a predicate needs 'path' (or use all/any/not)", where)
    preds = [k for k in cond if k not in ("path", IGNORE_CASE)]
    if len(preds) != 1 or preds[0] not in PREDICATES:
        raise ConditionError(
            f"a predicate takes 'path' and exactly one of: {', '.join(PREDICATES)}", where)
    caseless = cond.get(IGNORE_CASE, False)
    if IGNORE_CASE in cond and (not isinstance(caseless, bool) or preds[0] not in CASELESS):
        raise ConditionError(f"'{IGNORE_CASE}' takes true or false, beside one of: {', '.join(CASELESS)}",
                             where + (IGNORE_CASE,))
    try:
        parts = parse_path(str(cond["path"]))
    except ValueError as exc:
        raise ConditionError(str(exc), where + ("path",)) from None
    op = preds[0]
    return _predicate(parts, op, cond[op], params, where + (op,), caseless, detail)


def _param(spec: Any, params: dict, where: tuple) -> Any:
    if isinstance(spec, dict) and set(spec) == {"param"}:
        name = spec["param"]
        if name not in params:
            raise ConditionError(f"unknown param '{name}' (declare it under 'params')", where)
        return params[name]
    return spec


def _operand(spec: Any, params: dict, where: tuple) -> Callable[[Any, Any], Any]:
    """A value to compare with: a literal, {param: NAME}, or {path: P} within the same scope."""
    if isinstance(spec, dict) and set(spec) == {"path"}:
        other = _lookup(parse_path(str(spec["path"])))

        def from_path(root, scope):
            for _, v in other(root, scope):
                return v
            return None
        return from_path
    value = _param(spec, params, where)

    def literal(root: Any, scope: Any) -> Any:
        return value
    return literal


def _located(broken: bool, root, scope, parts, hits) -> Verdict:
    """A verdict at the first value found, or at the nearest existing parent of a missing path."""
    if hits:
        return Verdict(broken, hits[0][0], hits[0][1])
    return Verdict(broken, None, None, True, where=(root, scope, parts))


def _predicate(parts: tuple, op: str, arg: Any, params: dict, where: tuple,
               caseless: bool = False, detail: bool = True) -> Condition:
    look = _lookup(parts)
    if op in ("exists", "absent"):
        want = _param(arg, params, where)
        if not isinstance(want, bool):
            raise ConditionError(f"'{op}' takes true or false", where)
        expect_present = want if op == "exists" else not want

        def present(root, scope):
            hits = look(root, scope)
            broken = bool(hits) == expect_present
            if not broken and not detail:
                return _PASS
            verdict = _located(broken, root, scope, parts, hits)
            verdict.absent_field = verdict.broken and not expect_present
            return verdict
        get = _getter(parts)
        if get is None or detail:
            return present

        def present_one(root, scope):
            value = get(root, scope)
            if (value is not None) != expect_present:
                return _PASS
            hits = [] if value is None else [(parts, value)]
            verdict = _located(True, root, scope, parts, hits)
            verdict.absent_field = not expect_present
            return verdict
        return present_one

    if op == "count":
        if not isinstance(arg, dict) or len(arg) != 1 or next(iter(arg)) not in _CMP:
            raise ConditionError("'count' takes one of {gt|ge|lt|le|eq|ne: N}", where)
        cmp_name, n = next(iter(arg.items()))
        n = _param(n, params, where + (cmp_name,))
        cmp = _CMP[cmp_name]

        # Point at the list being counted (the path up to its wildcard).
        counted = parts[:-1] if parts and parts[-1] == WILDCARD else parts

        def count(root, scope):
            hits = look(root, scope)
            return Verdict(cmp(len(hits), n), None, len(hits), where=(root, scope, counted))
        return count

    if op == "duplicates":
        return _duplicates(parts, arg, params, where)
    if op == "key-regex":
        return _key_regex(parts, arg, params, where, detail)
    if op == "missing-keys":
        return _missing_keys(parts, arg, params, where)

    test = _value_test(op, arg, params, where, caseless)

    def compare(root, scope):
        hits = look(root, scope)
        for path, value in hits:
            if test(value, root, scope):
                return Verdict(True, path, value)
        return _located(False, root, scope, parts, hits) if detail else _PASS
    get = _getter(parts)
    if get is None or detail:
        return compare

    def compare_one(root, scope):  # one value or none, nothing to say when it passes
        value = get(root, scope)
        if value is not None and test(value, root, scope):
            return Verdict(True, parts, value)
        return _PASS
    return compare_one


def _duplicates(parts: tuple, arg: Any, params: dict, where: tuple) -> Condition:
    """True when a value at P repeats an earlier one (env names, port names); points at the
    repeat, so the first occurrence stays unreported."""
    want = _param(arg, params, where)
    if not isinstance(want, bool):
        raise ConditionError("'duplicates' takes true or false", where)
    look = _lookup(parts)

    def duplicates(root, scope):
        hits = look(root, scope)
        seen = set()
        for path, value in hits:
            if isinstance(value, (dict, list)):
                continue
            key = _norm(value)
            if key in seen:
                return Verdict(want, path, value)
            seen.add(key)
        return _located(not want, root, scope, parts, hits)
    return duplicates


def _key_regex(parts: tuple, arg: Any, params: dict, where: tuple, detail: bool = True) -> Condition:
    """True when a key of the mapping(s) at P matches R (annotation and data keys, which a path
    cannot name in advance); points at that key, and {value} is the key."""
    rx = _user_regex(_param(arg, params, where), where)
    look = _lookup(parts)

    def key_regex(root, scope):
        hits = look(root, scope)
        for path, value in hits:
            if isinstance(value, dict):
                for key in value:
                    if rx.search(str(key)):
                        return Verdict(True, path + (key,), key, key=True)
        return _located(False, root, scope, parts, hits) if detail else _PASS
    return key_regex


def _missing_keys(parts: tuple, arg: Any, params: dict, where: tuple) -> Condition:
    """True when no mapping at P holds one of the keys (a null value counts as missing; so do a
    missing P and values that are not mappings). With a wildcard the keys may be spread over the
    values: `resources[*]` holds cpu when requests or limits does. {value} lists the missing
    keys (a tuple: the finding's values keep them apart for adjusters, messages join them with
    ", "); the finding points at P's key (up to the wildcard), or at its nearest existing parent."""
    keys = _param(arg, params, where)
    if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
        raise ConditionError("'missing-keys' takes a list of keys (or a param holding one)", where)
    holder = parts[:parts.index(WILDCARD)] if WILDCARD in parts else parts
    look, look_holder = _lookup(parts), _lookup(holder)

    def missing_keys(root, scope):
        hits = look(root, scope)
        present = {k for _, value in hits if isinstance(value, dict)
                   for k, v in value.items() if v is not None}
        lacking = [k for k in keys if k not in present]
        held = look_holder(root, scope)
        found = bool(held)
        # Where the holder is, its first match is the deepest existing path: no second walk.
        path = held[0][0] if held else _deepest(root, scope, holder)
        return Verdict(bool(lacking), path, tuple(lacking) or None, missing=not found, key=found,
                       absent_field=bool(lacking))
    return missing_keys


def _user_regex(pattern: Any, where: tuple):
    """Rule files and params are the user's: their patterns run on a linear-time engine, or are
    refused when they could backtrack for ever (kubelint.ruleapi.regex)."""
    try:
        return compile_user(str(pattern))
    except UserRegexError as exc:
        raise ConditionError(f"bad regex {pattern!r}: {exc}", where) from None


def _fold(value: Any) -> Any:
    return value.casefold() if isinstance(value, str) else value


def _value_test(op: str, arg: Any, params: dict, where: tuple,
                caseless: bool = False) -> Callable[[Any, Any, Any], bool]:
    same = (lambda a, b: values_equal(_fold(a), _fold(b))) if caseless else values_equal
    if op in ("equals", "not-equals"):
        if not (isinstance(arg, dict) and set(arg) == {"path"}):  # a constant: no call for it
            const = _param(arg, params, where)
            if op == "equals":
                return lambda v, root, scope: same(v, const)
            return lambda v, root, scope: not same(v, const)
        other = _operand(arg, params, where)
        if op == "equals":
            return lambda v, root, scope: same(v, other(root, scope))
        return lambda v, root, scope: not same(v, other(root, scope))
    if op in ("in", "not-in"):
        options = _param(arg, params, where)
        if not isinstance(options, list):
            raise ConditionError(f"'{op}' takes a list (or a param holding one)", where)
        want = op == "in"

        def one_of(v, root, scope) -> bool:
            for o in options:
                if same(v, o):
                    return want
            return not want
        return one_of
    if op in ("regex", "not-regex"):
        pattern = _param(arg, params, where)
        rx = _user_regex(("(?i)" if caseless else "") + str(pattern), where)
        # A string (most values) is searched as it is: _norm and str() would return it unchanged.
        if op == "regex":
            return lambda v, root, scope: rx.search(v) if type(v) is str else (
                not isinstance(v, (dict, list)) and rx.search(str(_norm(v))))
        return lambda v, root, scope: not rx.search(v) if type(v) is str else (
            not isinstance(v, (dict, list)) and not rx.search(str(_norm(v))))
    # gt / ge / lt / le: numbers, or Kubernetes quantities compared by value.
    other = _operand(arg, params, where)
    cmp = _CMP[op]

    def numeric(v, root, scope):
        a, b = _quantity(v), _quantity(other(root, scope))
        return a is not None and b is not None and cmp(a, b)
    return numeric


def _all(subs: list[Condition]) -> Condition:
    def all_(root, scope):
        verdict: Verdict | None = None
        absent = False
        for sub in subs:
            verdict = sub(root, scope)
            if not verdict.broken:
                return verdict
            absent = absent or verdict.absent_field
        assert verdict is not None, "an `all` has at least one condition (checked at compile time)"
        if absent and not verdict.absent_field:
            verdict = Verdict(True, verdict._path, verdict.value, verdict.missing, verdict.key,
                              verdict._where, absent_field=True)
        return verdict
    return all_


def _any(subs: list[Condition]) -> Condition:
    def any_(root, scope):
        first = None
        for sub in subs:
            verdict = sub(root, scope)
            if verdict.broken:
                if verdict.absent_field:
                    # "absent or X" reads a default (protocol TCP), not a required field: only
                    # an absent field that an `all` requires makes its verdict absent-based.
                    verdict = Verdict(True, verdict._path, verdict.value, verdict.missing, verdict.key,
                                      verdict._where)
                return verdict
            first = first or verdict
        return first
    return any_


def _not(sub: Condition) -> Condition:
    def not_(root, scope):
        return sub(root, scope).flipped()
    return not_
