"""Regular expressions that users write — custom rules' `regex`/`not-regex`/`key-regex`
conditions and rule params with `format: regex` — run against untrusted manifests, so no pattern
may make a run hang: `(a+)+$` against 30 `a`s and a `b` takes Python's backtracking engine
minutes, doubling with each character.

They run on RE2 (google-re2, linear time in the text) when it is installed. A pattern RE2 cannot
take (lookarounds, backreferences), or any pattern when RE2 is missing, runs on Python's `re`
only if it has no nested unbounded repetition (`(a+)+`, `(a*)*`, `(a|ab)*`...), the shape that
backtracks exponentially; other patterns are refused with a message saying how to rewrite them.
Patterns of kubelint's own rule files are trusted (see `trust`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from typing import Any

_RE2_UNLOADED = object()
_re2_module: Any = _RE2_UNLOADED


def _re2() -> Any:
    """google-re2, an optional speed-and-safety dependency (everything works without it), or
    None; imported when a pattern is first compiled: a run whose result is reused compiles none."""
    global _re2_module
    if _re2_module is _RE2_UNLOADED:
        try:
            import re2  # type: ignore[import-untyped]
        except ImportError:  # pragma: no cover - exercised where google-re2 is not installed
            re2 = None
        _re2_module = re2
    return _re2_module

# The parser of Python's own engine, to find nested repetition.
if sys.version_info >= (3, 11):
    from re import _constants as _sre_constants
    from re import _parser as _sre_parse
else:
    import sre_constants as _sre_constants
    import sre_parse as _sre_parse


# Patterns of kubelint's own rule files: reviewed and tested with the rules, so they may use
# what RE2 lacks (the label-key pattern's lookaheads) without the nested-repetition check.
_TRUSTED: set[str] = set()


def trust(data: Any) -> None:
    """Trust every string in a built-in rule file's data as a pattern."""
    if isinstance(data, str):
        _TRUSTED.add(data)
    elif isinstance(data, dict):
        for value in data.values():
            trust(value)
    elif isinstance(data, list):
        for value in data:
            trust(value)


class UserRegexError(ValueError):
    """A pattern that cannot be used: invalid, or (risky) one that could backtrack for ever."""

    def __init__(self, message: str, risky: bool = False):
        super().__init__(message)
        self.risky = risky

    @property
    def verdict(self) -> str:
        """How messages call the pattern."""
        return "not a safe regular expression" if self.risky else "not a valid regular expression"


# Search results kept per pattern: values repeat across objects (every container's `nginx`
# meets the same four image patterns), and a call into RE2 costs more than a dict lookup.
# Bounded in count and in the length of the texts kept.
MEMO_ENTRIES, MEMO_TEXT = 4096, 256


@dataclass(frozen=True)
class UserRegex:
    pattern: str
    engine: str  # "re2" or "re"
    _compiled: Any
    _searched: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    def search(self, text: str) -> bool:
        if type(text) is not str or len(text) > MEMO_TEXT:
            return self._compiled.search(self._text(text)) is not None
        searched = self._searched
        found = searched.get(text)
        if found is None:
            found = self._compiled.search(self._text(text)) is not None
            if len(searched) >= MEMO_ENTRIES:
                searched.clear()
            searched[text] = found
        return found

    def fullmatch(self, text: str) -> bool:
        return self._compiled.fullmatch(self._text(text)) is not None

    def _text(self, text: str) -> str:
        # RE2 takes UTF-8, which has no lone surrogates; yet a file name with undecodable bytes
        # (surrogateescape) or a YAML `"\udcff"` escape holds them. Each is one character that
        # no pattern names, as U+FFFD is.
        if self.engine != "re2" or text.isascii():
            return text
        return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def have_re2() -> bool:
    return _re2() is not None


def compile_user(pattern: str, use_re2: bool = True) -> UserRegex:
    """The pattern ready to search with; UserRegexError tells why it cannot be used."""
    pattern = str(pattern)
    try:
        compiled = re.compile(pattern)  # the syntax users write and the docs describe
    except re.error as exc:
        raise UserRegexError(str(exc)) from None
    except RecursionError:
        raise UserRegexError("nested too deeply") from None
    re2 = _re2()
    if use_re2 and re2 is not None:
        options = re2.Options()
        options.log_errors = False  # RE2 would print its parse errors on stderr
        try:
            return UserRegex(pattern, "re2", re2.compile(pattern, options))
        except re2.error:
            pass  # a construct RE2 does not have (lookaround, backreference): judged below
    problem = None if pattern in _TRUSTED else backtracking_risk(pattern)
    if problem:
        engine = "" if re2 is None else " (RE2 cannot take this pattern either)"
        raise UserRegexError(
            f"{problem}: such a pattern can take exponential time on a crafted value, and "
            f"kubelint runs it on untrusted input{engine}; rewrite it without the nested repetition",
            risky=True)
    return UserRegex(pattern, "re", compiled)


# Repetitions with no small upper bound: what backtracking can multiply.
_UNBOUNDED = 16
_POSSESSIVE = getattr(_sre_constants, "POSSESSIVE_REPEAT", None)  # Python 3.11+: never backtracks
_REPEATS = (_sre_constants.MAX_REPEAT, _sre_constants.MIN_REPEAT, _POSSESSIVE)


def backtracking_risk(pattern: str) -> str | None:
    """Why Python's engine could backtrack exponentially on the pattern, or None: a repetition
    inside an unbounded repetition, or alternatives under one (star height above one)."""
    try:
        parsed = _sre_parse.parse(pattern)
    except (re.error, RecursionError):
        return None  # compile_user has rejected it already
    return _walk(list(parsed.data), inside=False)


def _walk(items: list, inside: bool) -> str | None:
    for op, arg in items:
        if op in _REPEATS:
            _, high, sub = arg
            unbounded = high is _sre_constants.MAXREPEAT or high > _UNBOUNDED
            if unbounded and inside and op is not _POSSESSIVE:
                return "a repetition inside a repetition"
            if unbounded and _has_branch(list(sub)):
                return "alternatives inside a repetition"
            found = _walk(list(sub), inside or unbounded)
            if found:
                return found
        elif op is _sre_constants.SUBPATTERN:
            found = _walk(list(arg[-1]), inside)
            if found:
                return found
        elif op is _sre_constants.BRANCH:
            for branch in arg[1]:
                found = _walk(list(branch), inside)
                if found:
                    return found
        elif op in (_sre_constants.ASSERT, _sre_constants.ASSERT_NOT):
            found = _walk(list(arg[1]), inside)
            if found:
                return found
        elif op is getattr(_sre_constants, "ATOMIC_GROUP", None):
            continue  # no backtracking into it
    return None


def _has_branch(items: list) -> bool:
    for op, arg in items:
        if op is _sre_constants.BRANCH:
            return True
        if op is _sre_constants.SUBPATTERN and _has_branch(list(arg[-1])):
            return True
    return False
