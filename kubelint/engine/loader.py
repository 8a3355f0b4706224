"""Loading rule files: the built-in rules/ and any --rules-dir.

Built-in rules are read with the C loader and no positions (they are checked against the rule
schema by the test suite). User rules are validated against schemas/rule.schema.json at load
time; a mistake stops the run with the file:line:column of the offending key.
"""

from __future__ import annotations

import json
import pickle
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from kubelint.data import rules_dir, schemas_dir
from kubelint.engine.conditions import ConditionError, compile_condition
from kubelint.errors import KubelintError
from kubelint.findings import Finding
from kubelint.parse.source import SourceFile, Unreadable, decode
from kubelint.ruleapi.messages import DOCKERFILE_VALUES, OBJECT_VALUES, MessageError, placeholders, render
from kubelint.ruleapi.params import ParamSpec, ParamSpecError, parse_specs
from kubelint.ruleapi.registry import adjusters_for_rule, check_for_rule, registered_checks
from kubelint.ruleapi.rule import Rule


class RuleFileError(KubelintError):
    """A broken rule file: shown as `file:line:column: message`, exit code 2."""

    def __init__(self, file: str, line: int, column: int, message: str):
        super().__init__(f"{file}:{line}:{column}: {message}")


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.y*ml") if p.is_file() and p.suffix in (".yaml", ".yml"))


def load_rules(extra_dirs: Sequence[str] = (), validate_builtin: bool = False) -> dict[str, Rule]:
    """All rules by id: built-in first, then each --rules-dir (a user rule may not reuse an id)."""
    rules: dict[str, Rule] = {}
    for rule in _builtin_rules(validate_builtin):
        rules[rule.id] = rule
    for directory in extra_dirs:
        path = Path(directory)
        if not path.is_dir():
            raise RuleFileError(str(path), 1, 1, "rules directory does not exist")
        for file in rule_files(path):
            rule = load_rule_file(file, builtin=False, validate=True)
            if rule.id in rules:
                raise RuleFileError(str(file), 1, 1,
                                    f"rule id '{rule.id}' is already defined by {rules[rule.id].source}")
            rules[rule.id] = rule
    return rules


# The built-in rules once read, so that a parse error in a file read later (a config file, a user
# rule file) is told with its rule's message template, like the same error in a linted file.
_PARSE_RULES: dict[str, Rule] = {}
_reading_builtin = False


def describe_parse_finding(f: Finding) -> str:
    """The message of a finding the parser made (it carries values, not text) for an error about
    a file kubelint reads before any check runs."""
    global _reading_builtin
    values = f.values or {}
    if not _PARSE_RULES and not _reading_builtin:
        try:
            _reading_builtin = True
            _builtin_rules(False)
        except KubelintError:
            pass
        finally:
            _reading_builtin = False
    rule = _PARSE_RULES.get(f.rule)
    if rule is not None:
        try:
            return render(rule.messages[f.variant] if f.variant else rule.message, values)
        except (KeyError, MessageError):
            pass
    # A built-in rule file itself is broken (or a parser finding lacks values): say what we know.
    return f"{f.rule}: " + "; ".join(f"{k} {v}" for k, v in values.items())


@lru_cache(maxsize=2)
def _builtin_rules(validate: bool) -> tuple[Rule, ...]:
    files = rule_files(rules_dir())
    rules = None if validate else _from_cache(files)
    if rules is None:
        rules = [load_rule_file(file, builtin=True, validate=validate) for file in files]
        from kubelint.fix.catalog import registered_fixers

        orphans = sorted(set(registered_fixers()) - {rule.id for rule in rules})
        if orphans:
            raise KubelintError(f"a fixer is registered for '{orphans[0]}', which no rule file defines")
        seen: dict[str, Path] = {}
        for rule, file in zip(rules, files, strict=True):
            if rule.id in seen:
                raise RuleFileError(str(file), 1, 1, f"duplicate rule id '{rule.id}' (also in {seen[rule.id]})")
            seen[rule.id] = file
        _to_cache(files, rules)
    _PARSE_RULES.update({r.id: r for r in rules if r.check == "parse"})
    return tuple(rules)


# Reading and checking ~210 rule files costs a quarter of a second; even from their parsed data,
# building and checking the Rules again took ~30 ms of a 180 ms one-file run. So the built Rules
# are cached (kubelint/cache.py, pickled, in the user's own 0700 directory), derived from
# kubelint's version, every rule file's name and bytes, and the code that checks them against
# the registered checks and fixers (whose file sizes and times stand for their bytes).
_CHECKING_CODE = ("ruleapi", "checks", "fix", "engine")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """The size and mtime of every module of the code that checks rules (and, for
    kubelint.findingcache, evaluates conditions): a changed file in a checkout is a new value."""
    from kubelint.cache import digest, tree_stamp

    parts: list[bytes | str] = []
    base = Path(__file__).resolve().parents[1]
    try:
        for sub in _CHECKING_CODE:
            parts += tree_stamp(base / sub, ".py")
    except OSError:  # not installed as files: the version (in every key) alone
        parts = []
    return digest(*parts)


def _cache_key_source(files: list[Path]) -> tuple[str, str] | None:
    from kubelint import __version__
    from kubelint.cache import digest

    try:
        parts: list[bytes | str] = [__version__, code_fingerprint()]
        for f in files:
            parts += [f.name, f.read_bytes()]
    except OSError:
        return None
    return f"builtin-rules:{rules_dir()}", digest(*parts)


def _from_cache(files: list[Path]) -> list[Rule] | None:
    from kubelint.cache import Cache

    cache, key_source = Cache.default(), _cache_key_source(files)
    if cache is None or key_source is None:
        return None
    payload = cache.get_bytes(*key_source)
    if payload is None:
        return None
    try:
        trusted, rules = pickle.loads(payload)
    except Exception:  # noqa: BLE001 - whatever the bytes, an odd entry is a miss, rebuilt and rewritten
        return None
    if (not isinstance(trusted, frozenset) or not all(isinstance(t, str) for t in trusted)
            or not isinstance(rules, list) or len(rules) != len(files)
            or not all(isinstance(r, Rule) and r.source == str(f) and r.builtin for r, f in zip(rules, files, strict=True))):
        return None
    from kubelint.ruleapi.regex import trust

    trust(list(trusted))  # the patterns of kubelint's own rule files, as _build trusts them
    return rules


def _strings(data, out: set[str]) -> None:
    """Every string in a rule file's data: what `trust` trusts as a pattern."""
    if isinstance(data, str):
        out.add(data)
    elif isinstance(data, dict):
        for value in data.values():
            _strings(value, out)
    elif isinstance(data, list):
        for value in data:
            _strings(value, out)


def _to_cache(files: list[Path], rules: list[Rule]) -> None:
    from kubelint.cache import Cache

    cache, key_source = Cache.default(), _cache_key_source(files)
    if cache is None or key_source is None:
        return
    trusted: set[str] = set()
    for rule in rules:
        _strings(rule.raw, trusted)
    try:
        payload = pickle.dumps((frozenset(trusted), rules), protocol=pickle.HIGHEST_PROTOCOL)
    except Exception:  # noqa: BLE001 - something unpicklable: the rules are rebuilt next time
        return
    cache.put_bytes(*key_source, payload)


def load_rule_file(file: Path, builtin: bool, validate: bool) -> Rule:
    try:
        text = decode(file.read_bytes())
    except (OSError, Unreadable) as exc:
        raise RuleFileError(str(file), 1, 1, f"cannot read rule file: {exc}") from None
    from kubelint.parse.yaml_docs import parse_yaml  # rules usually come from the cache: no parsing

    source = SourceFile(str(file), str(file), text, "yaml")
    parsed = parse_yaml(source)
    if parsed.findings:
        f = parsed.findings[0]
        raise RuleFileError(str(file), f.line, f.column, describe_parse_finding(f))
    docs = [d for d in parsed.documents if d.data is not None]
    if len(docs) != 1 or not isinstance(docs[0].data, dict):
        raise RuleFileError(str(file), 1, 1, "a rule file holds exactly one mapping")
    doc = docs[0]
    data = doc.data
    if validate:
        _validate(file, doc)
    try:
        rule = _build(data, file, builtin)
    except ConditionError as exc:
        line, col = _nearest(doc, exc.where)
        raise RuleFileError(str(file), line, col, str(exc)) from None
    except ParamSpecError as exc:
        line, col = _nearest(doc, ("params",) + exc.where, exc.at_value)
        raise RuleFileError(str(file), line, col, str(exc)) from None
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleFileError(str(file), 1, 1, f"invalid rule: {exc}") from None
    return rule


def _nearest(doc, where: tuple, at_value: bool = False) -> tuple[int, int]:
    while where:
        pos = (doc.value_pos(where) or doc.key_pos(where)) if at_value else \
            (doc.key_pos(where) or doc.value_pos(where))
        if pos:
            return pos.line, pos.column
        where = where[:-1]
    return 1, 1


@lru_cache(maxsize=1)
def _rule_validator():
    import jsonschema

    schema = json.loads((schemas_dir() / "rule.schema.json").read_text())
    return jsonschema.Draft202012Validator(schema)


def _validate(file: Path, doc) -> None:
    # Param declarations are left to parse_specs, whose messages say more than the schema's.
    errors = sorted((e for e in _rule_validator().iter_errors(doc.data)
                     if not (len(e.absolute_path) > 1 and e.absolute_path[0] == "params")),
                    key=lambda e: -len(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    # Unknown keys: point at the key itself, with a hint.
    if err.validator == "additionalProperties":
        extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
        if extra:
            import difflib

            where = tuple(err.absolute_path) + (extra[0],)
            line, col = _nearest(doc, where)
            hint = difflib.get_close_matches(extra[0], list(err.schema.get("properties", {})), n=1)
            msg = f"unknown key '{extra[0]}'" + (f" (did you mean '{hint[0]}'?)" if hint else "")
            raise RuleFileError(str(file), line, col, msg)
    where = tuple(err.absolute_path)
    line, col = _nearest(doc, where)
    field = ".".join(str(p) for p in where) or "the rule"
    raise RuleFileError(str(file), line, col, f"{field}: {err.message[:300]}")


# Which fields each kind of rule reads: any other is a mistake that would silently do nothing.
# A condition rule's `messages:` variants are read only by a finding adjuster that restates the
# rule's findings (the engine renders `message:`); _check_messages refuses them otherwise.
_COMMON_FIELDS = {"id", "severity", "default-enabled", "category", "summary", "applies-to", "message",
                  "messages", "description", "rationale", "remediation", "params", "examples", "aliases", "fix"}
_FIELDS = {
    "condition": _COMMON_FIELDS | {"condition", "for-each", "kinds", "container-groups", "instructions"},
    "check": _COMMON_FIELDS | {"check", "kinds", "instructions"},
}
# What the engine fills in a condition rule's message.
_CONDITION_VALUES = {"value", "path", "container", "kind", "name", "namespace", "instruction", "stage"}
_SCOPE_VALUES = {"objects": OBJECT_VALUES, "pod-bearing": OBJECT_VALUES, "containers": OBJECT_VALUES,
                 "dockerfile": DOCKERFILE_VALUES, "instructions": DOCKERFILE_VALUES}


def _check_fields(data: dict) -> None:
    kind = "check" if "check" in data else "condition"
    for key in data:
        if key not in _FIELDS[kind] and key in _FIELDS["check"] | _FIELDS["condition"]:
            raise ConditionError(f"'{key}' does nothing in a rule with a {kind}"
                                 + (" (Python checks honour applies-to and kinds only)" if kind == "check" else ""),
                                 (key,))


def _check_messages(rule: Rule) -> None:
    """Every placeholder must be one the rule's code fills: a typo would print `{nmae}`."""
    if rule.check is not None:
        spec = check_for_rule(rule.id)
        if spec is None or spec.name != rule.check:
            known = registered_checks().get(rule.check)
            if known is None:
                raise ConditionError(f"no code registers a check named '{rule.check}' (known: "
                                     f"{', '.join(sorted(registered_checks()))})", ("check",))
            raise ConditionError(f"check '{rule.check}' does not make findings for rule '{rule.id}' "
                                 f"(it serves {', '.join(known.rules)})", ("check",))
        fillable = set(spec.fills) | _SCOPE_VALUES.get(rule.applies_to, set())
        variant_fills: set[str] = set()
    else:
        fillable = set(_CONDITION_VALUES)
        adjusters = adjusters_for_rule(rule.id)
        if rule.messages and not adjusters:
            raise ConditionError("'messages' does nothing in a rule with a condition: only a finding adjuster "
                                 "restates a condition rule's finding, and none serves this rule", ("messages",))
        variant_fills = set().union(*(a.fills for a in adjusters))
    fillable |= {f"param.{name}" for name in rule.params}
    templates: list[tuple[tuple[str, ...], str, set[str]]] = [
        (("message",), rule.message if "message" in rule.raw else "", fillable)]
    templates += [(("messages", name), text, fillable | variant_fills) for name, text in rule.messages.items()]
    for where, template, allowed in templates:
        unknown = sorted(placeholders(template) - allowed)
        if unknown:
            raise ConditionError(f"message placeholder '{{{unknown[0]}}}' is not filled by this rule "
                                 f"(available: {', '.join('{' + v + '}' for v in sorted(allowed)) or 'none'})",
                                 where)


def _fix(data: dict) -> dict[str, str] | None:
    """The rule's `fix:`, which must describe the fixer registered for its id, and a registered
    fixer must be described (kubelint/fix/registry.py)."""
    from kubelint.fix.catalog import fixer_for

    fix, spec = data.get("fix"), fixer_for(data["id"])
    if fix is None:
        if spec is not None:
            raise ConditionError(f"a fixer is registered for rule '{data['id']}': describe it under "
                                 f"'fix: {{applicability: {spec.applicability}, description: ...}}'", ("id",))
        return None
    if not isinstance(fix, dict) or set(fix) != {"applicability", "description"} \
            or fix["applicability"] not in ("safe", "unsafe") or not isinstance(fix["description"], str):
        raise ConditionError("fix: write {applicability: safe|unsafe, description: what the fix writes}", ("fix",))
    if spec is None:
        raise ConditionError(f"no fixer is registered for rule '{data['id']}' (kubelint/fix/fixers/)", ("fix",))
    if spec.applicability != fix["applicability"]:
        raise ConditionError(f"fix: the registered fixer is {spec.applicability}, not {fix['applicability']}",
                             ("fix", "applicability"))
    return {"applicability": fix["applicability"], "description": fix["description"].strip()}


def _build(data: dict, file: Path, builtin: bool) -> Rule:
    from kubelint.checks import load_adjusters, load_checks

    # The code that serves the rule registers first, so its `check:` name can be verified.
    load_checks([data.get("check") if isinstance(data.get("check"), str) else None])
    if isinstance(data.get("id"), str):
        load_adjusters([data["id"]])
    _check_fields(data)
    if builtin:
        from kubelint.ruleapi.regex import trust

        trust(data)
    specs = parse_specs(data.get("params"))
    params = {name: spec.default for name, spec in specs.items()}
    messages = data.get("messages") or {}
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise ConditionError("messages: a mapping of variant names to message templates", ("messages",))
    rule = Rule(
        id=data["id"], severity=data["severity"], category=data["category"],
        summary=data["summary"], applies_to=data.get("applies-to", "objects"),
        default_enabled=bool(data.get("default-enabled", True)),
        kinds=data.get("kinds"), container_groups=data.get("container-groups"),
        instructions=data.get("instructions"), condition=data.get("condition"),
        for_each=data.get("for-each"), check=data.get("check"),
        message=data.get("message") or data["summary"], messages=dict(messages),
        description=(data.get("description") or "").strip(),
        rationale=(data.get("rationale") or "").strip(),
        remediation=(data.get("remediation") or "").strip(),
        params=params, param_specs=specs, examples=data.get("examples") or {},
        aliases=list(data.get("aliases") or []), fix=_fix(data), source=str(file), builtin=builtin, raw=data)
    unknown = sorted(set(rule.examples.get("params") or {}) - set(params))
    if unknown:
        raise ConditionError(f"examples.params: the rule has no param '{unknown[0]}'", ("examples", "params"))
    if rule.condition is not None:
        _check_param_uses(rule.condition, specs, ("condition",))
        compile_condition(rule.condition, params)  # fail early on mistakes
    _check_messages(rule)
    return rule


# The param types each operator can take: anything else would fail (or silently never match)
# once a user overrides the value. Regex params must say `format: regex`, so that a user's
# pattern is checked when the config is loaded, not when the condition is compiled.
_PARAM_TYPES = {
    "in": ("string-list",), "not-in": ("string-list",), "missing-keys": ("string-list",),
    "regex": ("string",), "not-regex": ("string",), "key-regex": ("string",),
    "gt": ("integer", "number", "string"), "ge": ("integer", "number", "string"),
    "lt": ("integer", "number", "string"), "le": ("integer", "number", "string"),
    "count": ("integer",), "equals": ("integer", "number", "boolean", "string"),
    "not-equals": ("integer", "number", "boolean", "string"),
    "exists": ("boolean",), "absent": ("boolean",), "duplicates": ("boolean",),
}


def _check_param_uses(cond, specs: dict[str, ParamSpec], where: tuple) -> None:
    """Each `{param: NAME}` in a condition names a declared param of a type its operator takes."""
    if not isinstance(cond, dict):
        return
    for op, arg in cond.items():
        if op in ("all", "any"):
            for i, sub in enumerate(arg):
                _check_param_uses(sub, specs, where + (op, i))
        elif op == "not":
            _check_param_uses(arg, specs, where + (op,))
        elif op == "count" and isinstance(arg, dict):
            for cmp_name, n in arg.items():
                _check_param_use("count", n, specs, where + (op, cmp_name))
        elif op != "path":
            _check_param_use(op, arg, specs, where + (op,))


def _check_param_use(op: str, arg, specs: dict[str, ParamSpec], where: tuple) -> None:
    if not (isinstance(arg, dict) and set(arg) == {"param"}):
        return
    spec = specs.get(arg["param"])
    if spec is None:  # compile_condition has reported it already; kept for safety
        raise ConditionError(f"unknown param '{arg['param']}' (declare it under 'params')", where)
    types = _PARAM_TYPES.get(op, ())
    if spec.type not in types:
        raise ConditionError(f"'{op}' cannot take param '{spec.name}' of type {spec.type} "
                             f"(it takes {' or '.join(types)})", where)
    if op in ("regex", "not-regex", "key-regex") and spec.format != "regex":
        raise ConditionError(f"param '{spec.name}' is used as a regex: declare it with format: regex",
                             ("params", spec.name))
