"""Where Python checks register, by the ids of the rules they serve.

A check is one analysis (one shell parse, one walk over the selector index) that may serve several
rules; each rule's metadata, severity and message templates stay in its YAML file. The loader
refuses a rule file whose `check:` names no registered analysis, or whose id the analysis does not
declare, or whose message uses a placeholder the analysis does not fill.

    @check("dockerfile-images", rules=("base-image-untagged", "base-image-eol"), fills=("image",))
    def images(ctx: CheckContext) -> Iterator[Finding | None]: ...
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Iterable

if TYPE_CHECKING:
    from kubelint.findings import Finding
    from kubelint.ruleapi.context import CheckContext

CheckFunction = Callable[["CheckContext"], Iterable["Finding | None"]]
AdjustFunction = Callable[["CheckContext", "list[Finding]"], Iterable["Finding"]]


@dataclass(frozen=True)
class CheckSpec:
    name: str  # what rule files write in `check:`
    rules: tuple[str, ...]  # the rule ids whose findings it makes
    fills: frozenset[str]  # message placeholders it fills (besides the common ones)
    run: CheckFunction


@dataclass(frozen=True)
class AdjusterSpec:
    name: str
    adjust: AdjustFunction
    rules: tuple[str, ...] = ()  # the rules whose findings it restates (their `messages:` variants)
    fills: frozenset[str] = frozenset()  # the values those variants may use besides the rule's own


_CHECKS: dict[str, CheckSpec] = {}  # by check name
_BY_RULE: dict[str, CheckSpec] = {}  # by rule id
_ADJUSTERS: dict[str, AdjusterSpec] = {}


class RegistrationError(Exception):
    """Two checks claim one name or one rule id: a programming mistake, found at import."""


def check(name: str, *, rules: Iterable[str], fills: Iterable[str] = ()) -> Callable[[CheckFunction], CheckFunction]:
    """Register `func` as the analysis `name`, making findings for `rules`."""
    def register(func: CheckFunction) -> CheckFunction:
        spec = CheckSpec(name, tuple(rules), frozenset(fills), func)
        if name in _CHECKS and _CHECKS[name].run is not func:
            raise RegistrationError(f"check '{name}' is registered twice")
        for rule_id in spec.rules:
            other = _BY_RULE.get(rule_id)
            if other is not None and other.name != name:
                raise RegistrationError(f"rule '{rule_id}' is served by both '{other.name}' and '{name}'")
            _BY_RULE[rule_id] = spec
        _CHECKS[name] = spec
        return func
    return register


def adjuster(name: str, *, rules: Iterable[str] = (),
             fills: Iterable[str] = ()) -> Callable[[AdjustFunction], AdjustFunction]:
    """Register a finding adjuster: it sees every finding after all checks and may change a
    finding's structured data (severity, values) in the light of other objects, or drop it.
    It restates findings of `rules` with `ctx.restate(finding, variant=..., **values)`, the
    variant a `messages:` entry of the rule's YAML that may use `fills` (checked at load)."""
    def register(func: AdjustFunction) -> AdjustFunction:
        _ADJUSTERS[name] = AdjusterSpec(name, func, tuple(rules), frozenset(fills))
        return func
    return register


def registered_checks() -> dict[str, CheckSpec]:
    return dict(_CHECKS)


def check_for_rule(rule_id: str) -> CheckSpec | None:
    return _BY_RULE.get(rule_id)


def registered_adjusters() -> list[AdjusterSpec]:
    return [_ADJUSTERS[name] for name in sorted(_ADJUSTERS)]


def adjusters_for_rule(rule_id: str) -> list[AdjusterSpec]:
    """The adjusters that restate this rule's findings."""
    return [spec for spec in registered_adjusters() if rule_id in spec.rules]
