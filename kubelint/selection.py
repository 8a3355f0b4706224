"""Which rules run: ruff-style select/extend-select/ignore by id, category, peer alias or `all`,
plus per-rule severity and param overrides.

With no `select`, the recommended set runs: the rules whose YAML says `default-enabled: true`.
`select` replaces that set (`all` is every rule), `extend-select` adds to whichever set is in
force, `ignore` removes. The rules that report a file kubelint could not lint at all stay on
whatever the selection, unless ignored by name: a broken file must never pass silently."""

from __future__ import annotations

import dataclasses
import re
from typing import Any, Iterable

from kubelint.errors import KubelintError
from kubelint.findings import SEVERITIES
from kubelint.profiles import Profile, get_profile
from kubelint.profiles import rule_ids as profile_rule_ids
from kubelint.profiles import severities as profile_severities
from kubelint.ruleapi.params import item_label
from kubelint.ruleapi.rule import Rule


class SelectionError(KubelintError):
    pass


# A file that cannot be read, parsed or linted would otherwise pass as clean under `--select X`.
ALWAYS_ON = ("file-unreadable", "yaml-syntax", "yaml-too-complex", "dockerfile-syntax", "internal-error")


# ShellCheck's codes (SC2086) name the `shellcheck` rule narrowed to those codes: selecting one
# runs the rule for it, ignoring one leaves only that code out (select_rules writes its params).
SHELLCHECK_RULE = "shellcheck"
_SC_CODE = re.compile(r"SC\d{4}$", re.IGNORECASE)


def is_sc_code(token: str) -> bool:
    return _SC_CODE.match(token.strip()) is not None


def _sc_codes(tokens: Iterable[str]) -> list[str]:
    return [t.strip().upper() for t in tokens if _SC_CODE.match(t.strip())]


def _matches(rule: Rule, token: str) -> bool:
    token = token.strip()
    return (token == "all" or token == rule.id or token == rule.category
            or token in rule.aliases or any(a.split(":", 1)[1] == token for a in rule.aliases)
            or (rule.id == SHELLCHECK_RULE and _SC_CODE.match(token) is not None))


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


def enabled_ids(rules: dict[str, Rule], select: Iterable[str] | None = None,
                extend_select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[str]:
    """The ids that run, in rule order. `select=None` means the recommended set."""
    select = None if select is None else [t for t in select if t]
    extend = [t for t in extend_select if t]
    ignore = [t for t in ignore if t]
    if select is not None:
        _check_tokens(rules, select, "select")
    _check_tokens(rules, extend, "extend-select")
    _check_tokens(rules, ignore, "ignore")
    out = []
    for rule in rules.values():
        if select is None:
            chosen = rule.default_enabled
        else:
            chosen = any(_matches(rule, t) for t in select)
        chosen = chosen or rule.id in ALWAYS_ON or any(_matches(rule, t) for t in extend)
        # An SC code in `ignore` narrows the shellcheck rule (select_rules), it does not remove it.
        if chosen and not any(_matches(rule, t) for t in ignore if not _SC_CODE.match(t.strip())):
            out.append(rule.id)
    return out


def select_rules(rules: dict[str, Rule], select: Iterable[str] | None = None,
                 ignore: Iterable[str] = (), severity: dict[str, str] | None = None,
                 params: dict[str, dict] | None = None,
                 extend_select: Iterable[str] = (), profile: str | None = None,
                 pod_security: str | None = None) -> dict[str, Rule]:
    """The enabled rules with their severities and params. A `profile` stands in for the
    recommended set when nothing is selected, and its params and severities come before the
    user's; `pod_security` (a level) adds the Pod Security rules."""
    if profile is not None:
        select, params, severity = _with_profile(get_profile(profile), rules, select, params, severity)
    if pod_security is not None:
        extend_select = [*extend_select, "pod-security"]
    chosen: dict[str, Rule] = {}
    for rule_id in enabled_ids(rules, select, extend_select, ignore):
        rule = rules[rule_id]
        changes: dict[str, Any] = {}
        if severity and rule.id in severity:
            if severity[rule.id] not in SEVERITIES:
                raise SelectionError(f"severity for '{rule.id}' must be one of {', '.join(SEVERITIES)}")
            changes["severity"] = severity[rule.id]
            changes["severity_from_user"] = True  # checks and adjusters leave it as the user set it
        if params and rule.id in params:
            unknown = set(params[rule.id]) - set(rule.param_specs)
            if unknown:
                raise SelectionError(f"params for '{rule.id}': unknown param(s) {', '.join(sorted(unknown))}"
                                     f" (known: {', '.join(sorted(rule.params)) or 'none'})")
            for name, value in params[rule.id].items():
                bad = rule.param_specs[name].problem(value)
                if bad:
                    raise SelectionError(f"params for '{rule.id}': {name}{item_label(bad[0])}: {bad[1]}")
            changes["params"] = {**rule.params, **params[rule.id]}
        if rule.id == SHELLCHECK_RULE:
            narrowed = _shellcheck_codes(changes.get("params", rule.params), select, extend_select, ignore)
            if narrowed is not None:
                changes["params"] = narrowed
        chosen[rule.id] = dataclasses.replace(rule, **changes) if changes else rule
    return chosen


def _shellcheck_codes(params: dict, select, extend_select, ignore) -> dict | None:
    """The shellcheck params with the SC codes named in select/extend-select (only these) and
    ignore (not these); None when no token names a code."""
    wanted = _sc_codes([*(select or ()), *extend_select])
    unwanted = _sc_codes(ignore)
    if not wanted and not unwanted:
        return None
    out = dict(params)
    if wanted:
        out["include"] = sorted({*(str(c).upper() for c in out.get("include") or ()), *wanted})
    if unwanted:
        out["exclude"] = sorted({*(str(c).upper() for c in out.get("exclude") or ()), *unwanted})
    return out


def _with_profile(profile: Profile, rules: dict[str, Rule], select, params, severity):
    if select is None:
        ids = profile_rule_ids(profile, rules)
        select = list(profile.select) if profile.select is not None else ids
    merged_params: dict[str, dict] = {rid: dict(v) for rid, v in profile.params.items() if rid in rules}
    for rid, values in (params or {}).items():
        merged_params.setdefault(rid, {}).update(values)
    merged_severity = {**profile_severities(profile, rules), **(severity or {})}
    return select, merged_params, merged_severity


def find_rule(rules: dict[str, Rule], name: str) -> Rule | None:
    """By id, or by a peer's id (`DL3006`, `hadolint:DL3006`, `CKV_K8S_14`)."""
    if name in rules:
        return rules[name]
    for rule in rules.values():
        if name in rule.aliases or any(a.split(":", 1)[1].lower() == name.lower() for a in rule.aliases):
            return rule
    return None
