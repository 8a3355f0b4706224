"""Where fixers register, by the id of the rule whose findings they fix.

    @fixer("privilege-escalation", applicability=UNSAFE)
    def fix(ctx: FixContext) -> Iterable[Edit] | Fix | None: ...

The rule's YAML says the same in `fix: {applicability, description}`; the loader refuses a rule
with `fix:` that no fixer serves, a fixer for a rule without `fix:`, and differing applicabilities.
A fixer returns None (or no edits) when it cannot fix this occurrence; it may return a Fix of its
own to lower the applicability of one occurrence (safe -> unsafe), never to raise it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable, Union

from kubelint.fix.edits import APPLICABILITIES, Edit, Fix

if TYPE_CHECKING:
    from kubelint.fix.context import FixContext

FixResult = Union[Fix, Iterable[Edit], None]
FixFunction = Callable[["FixContext"], FixResult]


@dataclass(frozen=True)
class FixerSpec:
    rule: str
    applicability: str
    run: FixFunction


_FIXERS: dict[str, FixerSpec] = {}


class FixerRegistrationError(Exception):
    """Two fixers for one rule, or an unknown applicability: a programming mistake."""


def fixer(rule: str, *, applicability: str) -> Callable[[FixFunction], FixFunction]:
    if applicability not in APPLICABILITIES:
        raise FixerRegistrationError(f"fixer for '{rule}': applicability must be safe or unsafe")

    def register(func: FixFunction) -> FixFunction:
        other = _FIXERS.get(rule)
        if other is not None and other.run is not func:
            raise FixerRegistrationError(f"rule '{rule}' has two fixers")
        _FIXERS[rule] = FixerSpec(rule, applicability, func)
        return func
    return register


def registered() -> dict[str, FixerSpec]:
    """The fixers registered so far (kubelint.fix.catalog imports them all first)."""
    return dict(_FIXERS)
