"""Loading rule files: the built-in rules/ and any --rules-dir.

Built-in rules are read with the C loader and no positions (they are checked against the rule
schema by the test suite). User rules are validated against schemas/rule.schema.json at load
time; a mistake stops the run with the file:line:column of the offending key.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

from kubelint.data import rules_dir, schemas_dir
from kubelint.errors import KubelintError
from kubelint.parse.source import SourceFile, Unreadable, decode
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.engine.conditions import ConditionError, compile_condition
from kubelint.findings import Finding
from kubelint.ruleapi.messages import DOCKERFILE_VALUES, OBJECT_VALUES, MessageError, placeholders, render
from kubelint.ruleapi.registry import check_for_rule, registered_checks
from kubelint.ruleapi.rule import Rule


class RuleFileError(KubelintError):
    """A broken rule file: shown as `file:line:column: message`, exit code 2."""

    def __init__(self, file: str, line: int, column: int, message: str):
        super().__init__(f"{file}:{line}:{column}: {message}")


def rule_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*.y*ml") if p.is_file() and p.suffix in (".yaml", ".yml"))


def load_rules(extra_dirs: list[str] = (), validate_builtin: bool = False) -> dict[str, Rule]:
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
    cached = None if validate else _read_cache(files)
    out = []
    seen: dict[str, Path] = {}
    raw = []
    for i, file in enumerate(files):
        if cached is not None:
            rule = _build(cached[i], file, builtin=True)
        else:
            rule = load_rule_file(file, builtin=True, validate=validate)
            raw.append(rule.raw)
        if rule.id in seen:
            raise RuleFileError(str(file), 1, 1, f"duplicate rule id '{rule.id}' (also in {seen[rule.id]})")
        seen[rule.id] = file
        out.append(rule)
    if cached is None:
        _write_cache(files, raw)
    _PARSE_RULES.update({r.id: r for r in out if r.check == "parse"})
    return tuple(out)


# Reading ~170 rule files costs a quarter of a second per run; their parsed data is cached as one
# JSON file keyed by kubelint's version and every file's path, size and mtime.
def _cache_path(files: list[Path]) -> Path | None:
    import hashlib

    from kubelint import __version__

    h = hashlib.sha256(__version__.encode())
    try:
        for f in files:
            st = f.stat()
            h.update(f"{f}\0{st.st_size}\0{st.st_mtime_ns}\n".encode())
    except OSError:
        return None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "kubelint" / f"rules-{h.hexdigest()[:24]}.json"


def _read_cache(files: list[Path]) -> list[dict] | None:
    if os.environ.get("KUBELINT_NO_CACHE"):
        return None
    path = _cache_path(files)
    try:
        data = json.loads(path.read_text()) if path else None
    except (OSError, ValueError):
        return None
    return data if isinstance(data, list) and len(data) == len(files) else None


def _write_cache(files: list[Path], raw: list[dict]) -> None:
    path = _cache_path(files)
    if path is None or os.environ.get("KUBELINT_NO_CACHE"):
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(raw))
        os.replace(tmp, path)
    except (OSError, TypeError, ValueError):
        pass  # a read-only home or odd values: run without the cache


def load_rule_file(file: Path, builtin: bool, validate: bool) -> Rule:
    try:
        text = decode(file.read_bytes())
    except (OSError, Unreadable) as exc:
        raise RuleFileError(str(file), 1, 1, f"cannot read rule file: {exc}") from None
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
    except (KeyError, TypeError, ValueError) as exc:
        raise RuleFileError(str(file), 1, 1, f"invalid rule: {exc}") from None
    return rule


def _nearest(doc, where: tuple) -> tuple[int, int]:
    while where:
        pos = doc.key_pos(where) or doc.value_pos(where)
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
    errors = sorted(_rule_validator().iter_errors(doc.data), key=lambda e: -len(e.absolute_path))
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
_COMMON_FIELDS = {"id", "severity", "category", "summary", "applies-to", "message", "description",
                  "rationale", "remediation", "params", "examples", "aliases"}
_FIELDS = {
    "condition": _COMMON_FIELDS | {"condition", "for-each", "kinds", "container-groups", "instructions"},
    "check": _COMMON_FIELDS | {"check", "messages", "kinds", "instructions"},
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
    else:
        fillable = set(_CONDITION_VALUES)
    fillable |= {f"param.{name}" for name in rule.params}
    templates = [(("message",), rule.message if "message" in rule.raw else "")]
    templates += [(("messages", name), text) for name, text in rule.messages.items()]
    for where, template in templates:
        unknown = sorted(placeholders(template) - fillable)
        if unknown:
            raise ConditionError(f"message placeholder '{{{unknown[0]}}}' is not filled by this rule "
                                 f"(available: {', '.join('{' + v + '}' for v in sorted(fillable)) or 'none'})",
                                 where)


def _build(data: dict, file: Path, builtin: bool) -> Rule:
    import kubelint.checks  # noqa: F401  (registers every check, so `check:` names can be verified)

    _check_fields(data)
    params = dict(data.get("params") or {})
    messages = data.get("messages") or {}
    if not isinstance(messages, dict) or not all(isinstance(v, str) for v in messages.values()):
        raise ConditionError("messages: a mapping of variant names to message templates", ("messages",))
    rule = Rule(
        id=data["id"], severity=data["severity"], category=data["category"],
        summary=data["summary"], applies_to=data.get("applies-to", "objects"),
        kinds=data.get("kinds"), container_groups=data.get("container-groups"),
        instructions=data.get("instructions"), condition=data.get("condition"),
        for_each=data.get("for-each"), check=data.get("check"),
        message=data.get("message") or data["summary"], messages=dict(messages),
        description=(data.get("description") or "").strip(),
        rationale=(data.get("rationale") or "").strip(),
        remediation=(data.get("remediation") or "").strip(),
        params=params, examples=data.get("examples") or {},
        aliases=list(data.get("aliases") or []), source=str(file), builtin=builtin, raw=data)
    if rule.condition is not None:
        compile_condition(rule.condition, params)  # fail early on mistakes
    _check_messages(rule)
    return rule
