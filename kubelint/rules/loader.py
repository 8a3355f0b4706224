"""Loading rule files: the built-in rules/ and any --rules-dir.

Built-in rules are read with the C loader and no positions (they are checked against the rule
schema by the test suite). User rules are validated against schemas/rule.schema.json at load
time; a mistake stops the run with the file:line:column of the offending key.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from kubelint.data import rules_dir, schemas_dir
from kubelint.errors import KubelintError
from kubelint.parse.source import SourceFile, Unreadable, decode
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.rules.checks import CHECKS
from kubelint.rules.conditions import ConditionError, compile_condition
from kubelint.rules.rule import Rule


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


@lru_cache(maxsize=2)
def _builtin_rules(validate: bool) -> tuple[Rule, ...]:
    files = rule_files(rules_dir())
    rules = None if validate else _from_cache(files)
    if rules is None:
        rules = [load_rule_file(file, builtin=True, validate=validate) for file in files]
        _to_cache(files, [rule.raw for rule in rules])
    seen: dict[str, Path] = {}
    for rule, file in zip(rules, files):
        if rule.id in seen:
            raise RuleFileError(str(file), 1, 1, f"duplicate rule id '{rule.id}' (also in {seen[rule.id]})")
        seen[rule.id] = file
    return tuple(rules)


# Reading ~170 rule files costs a quarter of a second per run; their parsed data is cached
# (kubelint/cache.py), derived from kubelint's version and every file's name and bytes.
def _cache_key_source(files: list[Path]) -> tuple[str, str] | None:
    from kubelint import __version__
    from kubelint.cache import digest

    try:
        parts = [__version__] + [p for f in files for p in (f.name, f.read_bytes())]
    except OSError:
        return None
    return f"builtin-rules:{rules_dir()}", digest(*parts)


def _from_cache(files: list[Path]) -> list[Rule] | None:
    from kubelint.cache import Cache

    cache, key_source = Cache.default(), _cache_key_source(files)
    if cache is None or key_source is None:
        return None
    raw = cache.get(*key_source)
    if not isinstance(raw, list) or len(raw) != len(files):
        return None
    try:
        return [_build(data, file, builtin=True) for data, file in zip(raw, files)]
    except Exception:  # noqa: BLE001 - any odd shape is a miss: the entry is rebuilt and rewritten
        return None


def _to_cache(files: list[Path], raw: list[dict]) -> None:
    from kubelint.cache import Cache

    cache, key_source = Cache.default(), _cache_key_source(files)
    if cache is not None and key_source is not None:
        cache.put(*key_source, raw)


def load_rule_file(file: Path, builtin: bool, validate: bool) -> Rule:
    try:
        text = decode(file.read_bytes())
    except (OSError, Unreadable) as exc:
        raise RuleFileError(str(file), 1, 1, f"cannot read rule file: {exc}") from None
    source = SourceFile(str(file), str(file), text, "yaml")
    parsed = parse_yaml(source)
    if parsed.findings:
        f = parsed.findings[0]
        raise RuleFileError(str(file), f.line, f.column, f.message)
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


def _build(data: dict, file: Path, builtin: bool) -> Rule:
    params = dict(data.get("params") or {})
    rule = Rule(
        id=data["id"], severity=data["severity"], category=data["category"],
        summary=data["summary"], applies_to=data.get("applies-to", "objects"),
        kinds=data.get("kinds"), container_groups=data.get("container-groups"),
        instructions=data.get("instructions"), condition=data.get("condition"),
        for_each=data.get("for-each"), check=data.get("check"),
        message=data.get("message") or data["summary"],
        description=(data.get("description") or "").strip(),
        rationale=(data.get("rationale") or "").strip(),
        remediation=(data.get("remediation") or "").strip(),
        params=params, examples=data.get("examples") or {},
        aliases=list(data.get("aliases") or []), source=str(file), builtin=builtin, raw=data)
    if rule.condition is not None:
        compile_condition(rule.condition, params)  # fail early on mistakes
    if rule.check is not None and rule.check not in CHECKS:
        raise ConditionError(f"unknown check '{rule.check}' (known: {', '.join(sorted(CHECKS))})", ("check",))
    return rule
