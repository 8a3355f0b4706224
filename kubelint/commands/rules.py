"""`kubelint rules` (the table) and `kubelint rules explain ID` (one rule's page)."""

from __future__ import annotations

import json
import sys

from kubelint.engine.loader import load_rules
from kubelint.errors import KubelintError
from kubelint.ruleapi.params import show_value
from kubelint.ruleapi.rule import example_files
from kubelint.selection import find_rule


def run_rules(args) -> int:
    rules = load_rules(args.rules_dir)
    if args.action == "explain":
        if not args.rule:
            raise KubelintError("usage: kubelint rules explain RULE-ID")
        rule = find_rule(rules, args.rule)
        if rule is None:
            import difflib
            hint = difflib.get_close_matches(args.rule, list(rules), n=1)
            raise KubelintError(f"no rule '{args.rule}'" + (f" (did you mean '{hint[0]}'?)" if hint else ""))
        if args.format == "json":
            json.dump(rule_json(rule), sys.stdout, indent=2)
            sys.stdout.write("\n")
        else:
            explain(rule)
        return 0
    ordered = sorted(rules.values(), key=lambda r: (r.category, r.id))
    if args.format == "json":
        json.dump([rule_json(r) for r in ordered], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if not sys.stdout.isatty():
        width = max(len(r.id) for r in ordered)
        for r in ordered:
            sys.stdout.write(f"{r.id:<{width}}  {r.severity:<7}  {_default(r):<6}  {r.category:<14}  "
                             f"{_fix(r):<6}  {r.summary}\n")
        return 0
    from rich.console import Console
    from rich.table import Table

    table = Table("id", "severity", "default", "category", "fix", "summary", box=None, header_style="bold",
                  caption="default: on = in the recommended set; opt-in = extend-select it or select all; "
                          "always = reports a file that could not be linted, on whatever the selection. "
                          "fix: safe = --fix applies it; unsafe = also needs --unsafe-fixes")
    for r in ordered:
        table.add_row(r.id, r.severity, _default(r), r.category, _fix(r), r.summary)
    Console().print(table)
    return 0


def _default(rule) -> str:
    """How `kubelint rules` marks whether a rule runs when nothing is selected."""
    from kubelint.selection import ALWAYS_ON

    return "always" if rule.id in ALWAYS_ON else "on" if rule.default_enabled else "opt-in"


def _fix(rule) -> str:
    return rule.fix["applicability"] if rule.fix else "-"


def rule_json(rule) -> dict:
    return {
        "id": rule.id, "severity": rule.severity, "category": rule.category, "summary": rule.summary,
        "default_enabled": rule.default_enabled,
        "applies_to": rule.applies_to, "description": rule.description, "rationale": rule.rationale,
        "remediation": rule.remediation, "params": rule.params,
        "param_specs": {name: spec_json(spec) for name, spec in rule.param_specs.items()},
        "aliases": rule.aliases,
        "examples": rule.examples, "builtin": rule.builtin, "fix": rule.fix,
    }


def spec_json(spec) -> dict:
    """A param's declaration as the rule file writes it (fields left unset are omitted)."""
    out = {"type": spec.type, "default": spec.default, "description": spec.description}
    for key in ("minimum", "maximum", "enum", "pattern", "format"):
        value = getattr(spec, key)
        if value is not None:
            out[key] = list(value) if key == "enum" else value
    return out


def explain(rule) -> None:
    from rich.console import Console
    from rich.markdown import Markdown
    from rich.markup import escape
    from rich.syntax import Syntax

    console = Console(highlight=False)
    when = {"always": "always on", "on": "on by default"}.get(_default(rule), "opt-in")
    console.print(f"[bold]{rule.id}[/]  [dim]{rule.severity} · {rule.category} · {when}[/]")
    console.print(escape(rule.summary))
    for title, text in (("What it does", rule.description), ("Why is this bad?", rule.rationale),
                        ("How to fix", rule.remediation)):
        if text:
            console.print(f"\n[bold]{title}[/]")
            console.print(Markdown(text))
    if rule.fix:
        needs = "--fix" if rule.fix["applicability"] == "safe" else "--fix --unsafe-fixes"
        console.print(f"\n[bold]Fix[/] ({rule.fix['applicability']}, with {needs})")
        console.print(escape(rule.fix["description"]))
    if rule.param_specs:
        console.print("\n[bold]Params[/] (override in .kubelint.yaml under params:)")
        for spec in rule.param_specs.values():
            console.print(f"  [bold]{escape(spec.name)}[/] ({escape(spec.summary())}; "
                          f"default {escape(show_value(spec.default))})")
            console.print(f"    {escape(spec.description)}")
    lexer = "docker" if rule.example_type == "dockerfile" else "yaml"
    if rule.examples.get("params"):
        console.print("\n[dim]The examples run with params: "
                      + escape(", ".join(f"{k}: {json.dumps(v)}" for k, v in rule.examples["params"].items())) + "[/]")
    for label, key in (("Example", "bad"), ("Use instead", "good")):
        for snippet in rule.examples.get(key, []):
            console.print(f"\n[bold]{label}[/]")
            for path, text in example_files(snippet):
                if path is not None:  # one file of a small repository
                    console.print(f"[dim]{escape(path)}:[/]")
                console.print(Syntax(text.rstrip("\n"), _lexer(path, lexer), theme="ansi_dark",
                                     background_color="default"))
    if rule.aliases:
        console.print("\n[bold]Same check in other tools[/]: " + escape(", ".join(rule.aliases)))


def _lexer(path: str | None, default: str) -> str:
    if path is None:
        return default
    from kubelint.discover import classify

    return {"dockerfile": "docker", "yaml": "yaml"}.get(classify(path) or "", "bash")
