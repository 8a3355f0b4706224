"""Which rules run: ruff-style select/ignore by id, category, peer alias or `all`, plus
per-rule severity and param overrides."""

from __future__ import annotations

import dataclasses
from typing import Iterable

from kubelint.errors import KubelintError
from kubelint.findings import SEVERITIES
from kubelint.ruleapi.rule import Rule


class SelectionError(KubelintError):
    pass


def _matches(rule: Rule, token: str) -> bool:
    token = token.strip()
    return (token == "all" or token == rule.id or token == rule.category
            or token in rule.aliases or any(a.split(":", 1)[1] == token for a in rule.aliases))


def token_matches(rule: Rule, token: str) -> bool:
    """Whether a select/ignore/suppression token (id, category, peer id or `all`) names this rule."""
    return _matches(rule, token)


def _check_tokens(rules: dict[str, Rule], tokens: Iterable[str], what: str) -> None:
    for token in tokens:
        if not any(_matches(r, token) for r in rules.values()):
            import difflib

            names = list(rules) + sorted({r.category for r in rules.values()})
            hint = difflib.get_close_matches(token, names, n=1)
            raise SelectionError(f"{what}: unknown rule or category '{token}'"
                                 + (f" (did you mean '{hint[0]}'?)" if hint else ""))


def select_rules(rules: dict[str, Rule], select: Iterable[str] | None = None,
                 ignore: Iterable[str] = (), severity: dict[str, str] | None = None,
                 params: dict[str, dict] | None = None) -> dict[str, Rule]:
    select = [t for t in (select or ["all"]) if t]
    ignore = [t for t in ignore if t]
    _check_tokens(rules, select, "select")
    _check_tokens(rules, ignore, "ignore")
    chosen: dict[str, Rule] = {}
    for rule in rules.values():
        if not any(_matches(rule, t) for t in select) or any(_matches(rule, t) for t in ignore):
            continue
        changes = {}
        if severity and rule.id in severity:
            if severity[rule.id] not in SEVERITIES:
                raise SelectionError(f"severity for '{rule.id}' must be one of {', '.join(SEVERITIES)}")
            changes["severity"] = severity[rule.id]
            changes["severity_from_user"] = True  # adjusters leave it alone
        if params and rule.id in params:
            unknown = set(params[rule.id]) - set(rule.params)
            if unknown:
                raise SelectionError(f"params for '{rule.id}': unknown param(s) {', '.join(sorted(unknown))}"
                                     f" (known: {', '.join(sorted(rule.params)) or 'none'})")
            changes["params"] = {**rule.params, **params[rule.id]}
        chosen[rule.id] = dataclasses.replace(rule, **changes) if changes else rule
    return chosen


def find_rule(rules: dict[str, Rule], name: str) -> Rule | None:
    """By id, or by a peer's id (`DL3006`, `hadolint:DL3006`, `CKV_K8S_14`)."""
    if name in rules:
        return rules[name]
    for rule in rules.values():
        if name in rule.aliases or any(a.split(":", 1)[1].lower() == name.lower() for a in rule.aliases):
            return rule
    return None
