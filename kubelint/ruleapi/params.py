"""Typed rule params: what each param of a rule is (type, default, bounds, meaning), and whether a
value fits it.

A rule file declares every param it reads:

    params:
      min-replicas: {type: integer, default: 2, minimum: 1, description: "fewest replicas ..."}

The loader checks the declarations and their defaults; the config loader checks users' values
against the same declarations, so a check or condition only ever sees values of the declared type.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from kubelint.ruleapi.regex import UserRegexError, compile_user

TYPES = ("integer", "number", "boolean", "string", "string-list", "string-map")
FORMATS = ("regex", "date")
# Which constraints each type takes (on the value, a list's items or a mapping's values).
_CONSTRAINTS = {
    "integer": {"minimum", "maximum", "enum"},
    "number": {"minimum", "maximum", "enum"},
    "boolean": set(),
    "string": {"enum", "pattern", "format"},
    "string-list": {"enum", "pattern", "format"},
    "string-map": {"enum", "pattern", "format"},
}
FIELDS = ("type", "default", "description", "minimum", "maximum", "enum", "pattern", "format")
_TYPE_NAMES = {"integer": "an integer", "number": "a number", "boolean": "true or false",
               "string": "a string", "string-list": "a list of strings",
               "string-map": "a mapping of strings to strings"}


class ParamSpecError(ValueError):
    """A broken param declaration; `where` is the key path below `params`, and `at_value` says
    whether the value there is wrong (rather than the key)."""

    def __init__(self, message: str, where: tuple = (), at_value: bool = False):
        super().__init__(message)
        self.where = where
        self.at_value = at_value


@dataclass(frozen=True)
class ParamSpec:
    name: str
    type: str
    default: Any
    description: str
    minimum: int | float | None = None
    maximum: int | float | None = None
    enum: tuple | None = None
    pattern: str | None = None
    format: str | None = None

    def problem(self, value: Any) -> tuple[tuple, str] | None:
        """Why `value` does not fit this param, as (where inside the value, message); None if it fits."""
        if self.type in ("string-list", "string-map"):
            if self.type == "string-list":
                if not isinstance(value, list):
                    return (), f"expected {_TYPE_NAMES[self.type]}, got {describe(value)}"
                items: list[tuple[Any, Any]] = list(enumerate(value))
            else:
                if not isinstance(value, dict):
                    return (), f"expected {_TYPE_NAMES[self.type]}, got {describe(value)}"
                items = list(value.items())
            for where, item in items:
                if not isinstance(item, str):
                    return (where,), f"expected a string, got {describe(item)}"
                bad = self._scalar_problem(item)
                if bad:
                    return (where,), bad
            return None
        if not _has_type(value, self.type):
            return (), f"expected {_TYPE_NAMES[self.type]}, got {describe(value)}"
        bad = self._scalar_problem(value)
        return ((), bad) if bad else None

    def _scalar_problem(self, value: Any) -> str | None:
        if self.minimum is not None and value < self.minimum:
            return f"{_show(value)} is below the minimum {_show(self.minimum)}"
        if self.maximum is not None and value > self.maximum:
            return f"{_show(value)} is above the maximum {_show(self.maximum)}"
        if self.enum is not None and value not in self.enum:
            import difflib  # only to suggest a spelling

            hint = difflib.get_close_matches(str(value), [str(v) for v in self.enum], n=1)
            return (f"{_show(value)} is not one of {', '.join(str(v) for v in self.enum)}"
                    + (f" (did you mean '{hint[0]}'?)" if hint else ""))
        if self.pattern is not None and not compile_user(self.pattern).search(value):
            return f"{_show(value)} does not match {self.pattern}"
        if self.format == "regex":
            try:
                compile_user(value)
            except UserRegexError as exc:
                return f"{_show(value)} is {exc.verdict}: {exc}"
        if self.format == "date" and value:
            try:
                date.fromisoformat(value)
            except ValueError:
                return f"{_show(value)} is not a date like 2025-01-31 (or empty)"
        return None

    def summary(self, code: Callable[[str], str] = str) -> str:
        """The type and its constraints in a few words: `integer, at least 1`; `code` marks up
        literal text (backticks in Markdown)."""
        parts = [self.type]
        if self.minimum is not None:
            parts.append(f"at least {_show(self.minimum)}")
        if self.maximum is not None:
            parts.append(f"at most {_show(self.maximum)}")
        if self.enum is not None:
            what = {"string-list": "items", "string-map": "values"}.get(self.type, "one")
            parts.append(f"{what} of {', '.join(code(str(v)) for v in self.enum)}")
        if self.pattern is not None:
            parts.append(f"matching {code(self.pattern)}")
        if self.format == "regex":
            parts.append("a regular expression" if self.type == "string" else "regular expressions")
        elif self.format == "date":
            parts.append("a date (YYYY-MM-DD) or empty")
        return ", ".join(parts)


def _has_type(value: Any, type_: str) -> bool:
    if type_ == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):  # YAML true is not the number 1
        return False
    if type_ == "integer":
        return isinstance(value, int)
    if type_ == "number":
        return isinstance(value, (int, float))
    return isinstance(value, str)


def _show(value: Any) -> str:
    return repr(value) if isinstance(value, str) else json.dumps(value)


def show_value(value: Any) -> str:
    """A default as docs show it: a string as written (a regex stays readable), others as JSON."""
    if isinstance(value, str) and value and value.strip() == value:
        return value
    return json.dumps(value)


def item_label(inner: tuple) -> str:
    """Where inside a value a problem is, as written after the param's name: `[1]`, `['a.b']`."""
    return "".join(f"[{part}]" if isinstance(part, int) else f"[{part!r}]" for part in inner)


def describe(value: Any) -> str:
    """A value as an error message names it: `the string 'three'`, `true`, `a list`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def parse_specs(data: Any) -> dict[str, ParamSpec]:
    """The `params:` mapping of a rule file as declarations; ParamSpecError names what is wrong,
    with `where` relative to the `params` key."""
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ParamSpecError("params: a mapping of param names to declarations")
    return {str(name): parse_spec(str(name), decl) for name, decl in data.items()}


def parse_spec(name: str, decl: Any) -> ParamSpec:
    where = (name,)
    if not isinstance(decl, dict) or "type" not in decl:
        raise ParamSpecError(f"param '{name}': declare it as a mapping with type, default and description, "
                             f"e.g. {{type: integer, default: 2, description: ...}}", where)
    for key in decl:
        if key not in FIELDS:
            import difflib  # only to suggest a spelling

            hint = difflib.get_close_matches(str(key), FIELDS, n=1)
            raise ParamSpecError(f"param '{name}': unknown key '{key}'"
                                 + (f" (did you mean '{hint[0]}'?)" if hint else ""), where + (key,))
    type_ = decl["type"]
    if type_ not in TYPES:
        raise ParamSpecError(f"param '{name}': type must be one of {', '.join(TYPES)}", where + ("type",), True)
    for key in ("default", "description"):
        if key not in decl:
            raise ParamSpecError(f"param '{name}': '{key}' is missing", where)
    description = decl["description"]
    if not isinstance(description, str) or not description.strip():
        raise ParamSpecError(f"param '{name}': description must be a one-line text", where + ("description",), True)
    for key in ("minimum", "maximum", "enum", "pattern", "format"):
        if key in decl and key not in _CONSTRAINTS[type_]:
            raise ParamSpecError(f"param '{name}': '{key}' does not apply to type {type_}", where + (key,))
    for key in ("minimum", "maximum"):
        if key in decl and not _has_type(decl[key], "number"):
            raise ParamSpecError(f"param '{name}': {key} must be a number", where + (key,), True)
    enum = decl.get("enum")
    if enum is not None and (not isinstance(enum, list) or not enum):
        raise ParamSpecError(f"param '{name}': enum must be a non-empty list of allowed values",
                             where + ("enum",), True)
    pattern = decl.get("pattern")
    if pattern is not None:
        if not isinstance(pattern, str):
            raise ParamSpecError(f"param '{name}': pattern must be a string", where + ("pattern",), True)
        try:
            compile_user(pattern)
        except UserRegexError as exc:
            raise ParamSpecError(f"param '{name}': pattern is {exc.verdict}: {exc}",
                                 where + ("pattern",), True) from None
    if "format" in decl and decl["format"] not in FORMATS:
        raise ParamSpecError(f"param '{name}': format must be one of {', '.join(FORMATS)}", where + ("format",), True)
    spec = ParamSpec(name=name, type=type_, default=decl["default"], description=description.strip(),
                     minimum=decl.get("minimum"), maximum=decl.get("maximum"),
                     enum=tuple(enum) if enum is not None else None, pattern=pattern, format=decl.get("format"))
    if enum is not None:
        item_type = "string" if type_ in ("string-list", "string-map") else type_
        for i, option in enumerate(enum):
            if not _has_type(option, item_type):
                raise ParamSpecError(f"param '{name}': enum value {_show(option)} is not {_TYPE_NAMES[item_type]}",
                                     where + ("enum", i), True)
    bad = spec.problem(spec.default)
    if bad:
        sub, message = bad
        raise ParamSpecError(f"param '{name}': default{item_label(sub)}: {message}",
                             where + ("default",) + sub, True)
    return spec
