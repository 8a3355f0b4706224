"""docs/rules.md, generated from the rule files (`python -m kubelint.docs > docs/rules.md`);
a test fails when the committed file is out of date."""

from __future__ import annotations

import json
import sys
from collections import defaultdict

from kubelint.engine.loader import load_rules
from kubelint.ruleapi.params import ParamSpec, show_value
from kubelint.ruleapi.rule import example_files
from kubelint.selection import ALWAYS_ON


def rules_markdown() -> str:
    rules = load_rules()
    by_category = defaultdict(list)
    for rule in rules.values():
        by_category[rule.category].append(rule)
    out = ["# Rules", "",
           "Generated from `rules/` by `python -m kubelint.docs > docs/rules.md`; do not edit by hand.",
           "", f"{len(rules)} rules. `kubelint rules explain ID` shows the same page in a terminal;",
           "an id of another tool (`DL3006`, `CKV_K8S_14`) finds our equivalent.", "",
           f"{sum(r.default_enabled for r in rules.values())} rules are **on by default** (the recommended set); the others",
           "are opt-in: name them in `extend-select`, or run everything with `select: [all]`",
           "(docs/configuration.md, \"Which rules run\"). The rules marked *always* report a file that",
           "could not be linted at all; they run whatever the selection.", "",
           f"{sum(1 for r in rules.values() if r.fix)} rules have an automatic fix: *safe* fixes apply with "
           "`kubelint check --fix`,", "*unsafe* ones (they change behaviour, e.g. hardening that may stop an app) also need",
           "`--unsafe-fixes`; `--diff` shows what would change.", ""]
    out += ["| id | severity | default | category | fix | summary |", "| --- | --- | --- | --- | --- | --- |"]
    for cat in sorted(by_category):
        for r in sorted(by_category[cat], key=lambda r: r.id):
            fix = r.fix["applicability"] if r.fix else ""
            out.append(f"| [`{r.id}`](#{r.id}) | {r.severity} | {_default(r)} | {cat} | {fix} | {_cell(r.summary)} |")
    for cat in sorted(by_category):
        out += ["", f"## {cat}"]
        for r in sorted(by_category[cat], key=lambda r: r.id):
            out += _rule_section(r)
    return "\n".join(out).rstrip() + "\n"


def _default(rule) -> str:
    return "always" if rule.id in ALWAYS_ON else "on" if rule.default_enabled else "opt-in"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _param_line(spec: ParamSpec) -> str:
    def code(text: str) -> str:
        return f"`` {text} ``" if "`" in text else f"`{text}`"

    return (f"- `{spec.name}` ({spec.summary(code)}; default {code(show_value(spec.default))}): "
            f"{spec.description}")


def _rule_section(r) -> list[str]:
    lang = "dockerfile" if r.example_type == "dockerfile" else "yaml"
    when = {"always": "always on (whatever the selection)", "on": "on by default"}.get(
        _default(r), "opt-in (not in the default set)")
    out = ["", f"### {r.id}", "", f"*{r.severity}* · {r.category} · {when} · {r.summary}", ""]
    for title, text in (("What it does", r.description), ("Why is this bad?", r.rationale),
                        ("How to fix", r.remediation)):
        if text:
            out += [f"**{title}**", "", text.strip(), ""]
    if r.fix:
        needs = "" if r.fix["applicability"] == "safe" else ": needs --unsafe-fixes"
        out += [f"**Fix** ({r.fix['applicability']}{needs})", "", r.fix["description"], ""]
    if r.param_specs:
        out += ["**Params** (set in the config file under `params:`)", ""]
        out += [_param_line(spec) for spec in r.param_specs.values()]
        out.append("")
    if r.examples.get("params"):
        out += ["The examples run with " + ", ".join(f"`{k}: {json.dumps(v)}`" for k, v in r.examples["params"].items())
                + ".", ""]
    for label, key in (("Example", "bad"), ("Use instead", "good")):
        for snippet in r.examples.get(key, []):
            out += [f"**{label}**", ""]
            for path, text in example_files(snippet):
                if path is not None:  # one file of a small repository
                    out += [f"`{path}`:", ""]
                out += [f"```{_lang(path, lang)}", text.rstrip("\n"), "```", ""]
    if r.aliases:
        out += ["**Same check elsewhere:** " + ", ".join(f"`{a}`" for a in r.aliases), ""]
    return out


def _lang(path: str | None, default: str) -> str:
    """The code block's language: the rule's, or the example file's by its name."""
    if path is None:
        return default
    from kubelint.discover import classify

    return {"dockerfile": "dockerfile", "yaml": "yaml"}.get(classify(path) or "", "sh")


if __name__ == "__main__":
    sys.stdout.write(rules_markdown())
