"""The configuration file: discovery, loading, validation with positions, effective settings.

A config is `.kubelint.yaml`, `.kubelint.yml` or `[tool.kubelint]` in `pyproject.toml`, looked
for from the current directory upward to the repository root (the first directory holding
`.git`); outside a repository up to the user's home, or else in the current directory only.
Relative paths and globs in it are relative to the directory of the file. Mistakes stop the run
with exit code 2 and `file:line:column: message`. See docs/configuration.md.
"""

from __future__ import annotations

import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from kubelint.data import schemas_dir
from kubelint.discover import matches_glob
from kubelint.errors import KubelintError

CONFIG_NAMES = (".kubelint.yaml", ".kubelint.yml", "pyproject.toml")
DEFAULT_FAIL_ON = "warning"


class ConfigError(KubelintError):
    """A mistake in a config file: `file:line:column: message`, exit code 2."""

    def __init__(self, file: str, line: int, column: int, message: str):
        super().__init__(f"{file}:{line}:{column}: {message}")


@dataclass
class Config:
    """One config file as written (validated), or the defaults when there is none."""

    path: Path | None = None
    data: dict = field(default_factory=dict)
    # (key path, value hint, at_value) -> (line, column) of that key (or its value) in the file.
    _locate: Callable[[tuple, Any, bool], tuple[int, int]] | None = field(default=None, repr=False)

    @property
    def root(self) -> Path:
        """Relative paths in the file are relative to this directory."""
        return self.path.parent if self.path else Path.cwd()

    def position(self, where: tuple, value: Any = None, at_value: bool = False) -> tuple[int, int]:
        return self._locate(where, value, at_value) if self._locate else (1, 1)

    def error(self, where: tuple, message: str, value: Any = None, at_value: bool = False) -> ConfigError:
        line, column = self.position(where, value, at_value)
        return ConfigError(_show_path(self.path), line, column, message)


@dataclass
class Settings:
    """The effective settings of a run: defaults, then the config file, then the command line."""

    select: list[str] | None = None  # None: the recommended set (rules with default-enabled)
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, str] = field(default_factory=dict)
    params: dict[str, dict] = field(default_factory=dict)
    exclude: list[str] = field(default_factory=list)  # globs relative to `root`
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    kubernetes_version: str | None = None
    strict: bool = True
    reject_unknown_kinds: bool = False
    rules_dirs: list[str] = field(default_factory=list)
    schema_dirs: list[str] = field(default_factory=list)
    fail_on: str = DEFAULT_FAIL_ON
    format: str | None = None
    namespace: str = "default"
    complete: bool = False
    allow_inline_ignores: bool = True
    baseline: str | None = None
    fixable: list[str] | None = None  # rules whose fixes may apply (None: every rule with a fix)
    unfixable: list[str] = field(default_factory=list)  # rules whose fixes never apply
    profile: str | None = None  # None: recommended (kubelint.profiles)
    pod_security: str | None = None  # the Pod Security level of namespaces that set none
    # Image name pattern -> (Dockerfile path, target): kubelint.index.images links these first.
    images: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    link_images_by_name: bool = True
    cache_dir: str | None = None  # None: kubelint.cache.cache_dir()
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None

    @classmethod
    def from_config(cls, config: Config) -> "Settings":
        d, root = config.data, config.root
        return cls(
            select=list(d["select"]) if "select" in d else None,
            extend_select=list(d.get("extend-select", [])),
            ignore=list(d.get("ignore", [])),
            severity=dict(d.get("severity", {})),
            params={k: dict(v) for k, v in d.get("params", {}).items()},
            exclude=list(d.get("exclude", [])),
            per_file_ignores={k: list(v) for k, v in d.get("per-file-ignores", {}).items()},
            kubernetes_version=d.get("kubernetes-version"),
            strict=d.get("strict", True),
            reject_unknown_kinds=d.get("reject-unknown-kinds", False),
            rules_dirs=[str(root / p) for p in d.get("rules-dirs", [])],
            schema_dirs=[str(root / p) for p in d.get("schema-dirs", [])],
            fail_on=d.get("fail-on", DEFAULT_FAIL_ON),
            format=d.get("format"),
            namespace=d.get("namespace", "default"),
            complete=d.get("complete", False),
            allow_inline_ignores=d.get("allow-inline-ignores", True),
            baseline=str(root / d["baseline"]) if "baseline" in d else None,
            fixable=list(d["fixable"]) if "fixable" in d else None, unfixable=list(d.get("unfixable", [])),
            profile=d.get("profile"), pod_security=d.get("pod-security"),
            images={pattern: _image_target(root, value) for pattern, value in d.get("images", {}).items()},
            link_images_by_name=d.get("link-images-by-name", True),
            cache_dir=str(root / d["cache-dir"]) if "cache-dir" in d else None,
            root=root, source=config.path)

    def excluded(self, path: str) -> bool:
        return bool(self.exclude) and matches_glob(path, self.exclude, self.root)

    def ignored_here(self, path: str) -> list[str]:
        """Rule tokens that per-file-ignores switch off for this file."""
        out: list[str] = []
        for glob, ids in self.per_file_ignores.items():
            if matches_glob(path, [glob], self.root):
                out.extend(ids)
        return out

    def as_dict(self) -> dict:
        """The effective settings with config-file keys, for `kubelint config`."""
        return {
            "select": self.select,  # null: the recommended set
            "extend-select": self.extend_select, "ignore": self.ignore, "severity": self.severity, "params": self.params,
            "exclude": self.exclude, "per-file-ignores": self.per_file_ignores,
            "kubernetes-version": self.kubernetes_version, "strict": self.strict,
            "reject-unknown-kinds": self.reject_unknown_kinds,
            "rules-dirs": [_relative(p, self.root) for p in self.rules_dirs],
            "schema-dirs": [_relative(p, self.root) for p in self.schema_dirs],
            "fail-on": self.fail_on, "format": self.format, "namespace": self.namespace,
            "complete": self.complete, "allow-inline-ignores": self.allow_inline_ignores,
            "baseline": _relative(self.baseline, self.root) if self.baseline else None,
            "fixable": self.fixable, "unfixable": self.unfixable,
            "profile": self.profile or "recommended", "pod-security": self.pod_security,
            "images": {pattern: {"dockerfile": _relative(path, self.root), **({"target": target} if target else {})}
                       for pattern, (path, target) in self.images.items()},
            "link-images-by-name": self.link_images_by_name,
            "cache-dir": _relative(self.cache_dir, self.root) if self.cache_dir else None,
        }

    def effective_pod_security(self) -> str | None:
        """--pod-security or the config's, else the level the profile sets."""
        if self.pod_security is not None or self.profile is None:
            return self.pod_security
        from kubelint.profiles import PROFILES

        profile = PROFILES.get(self.profile)
        return profile.pod_security if profile else None


def _image_target(root: Path, value: Any) -> tuple[str, str | None]:
    """An `images:` entry: a Dockerfile path, or {dockerfile, target}."""
    if isinstance(value, str):
        return str(root / value), None
    return str(root / value["dockerfile"]), value.get("target")

# --- discovery ------------------------------------------------------------------------------


def find_config(start: Path | None = None, home: Path | None = None) -> Path | None:
    """The nearest config file from `start` upward, within a boundary: the repository root (the
    nearest directory holding `.git`), else the user's home if `start` is below it, else `start`
    alone. A `.kubelint.yaml` in a shared directory above (/tmp, a parent checkout) is someone
    else's and must not change this run."""
    here = (start or Path.cwd()).resolve()
    ancestors = (here, *here.parents)
    for directory in _within_boundary(ancestors, home):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if candidate.is_file() and (name != "pyproject.toml" or _has_tool_section(candidate)):
                return candidate
    return None


def _within_boundary(ancestors: tuple[Path, ...], home: Path | None) -> tuple[Path, ...]:
    for i, directory in enumerate(ancestors):
        if (directory / ".git").exists():
            return ancestors[:i + 1]
    if home is None:
        try:
            home = Path.home().resolve()
        except (RuntimeError, KeyError, OSError):  # no home directory at all
            home = None
    if home is not None and home in ancestors:
        return ancestors[:ancestors.index(home) + 1]
    return ancestors[:1]


def _has_tool_section(path: Path) -> bool:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return _may_define_tool_table(text) and _toml_table(path, text) is not None


# The ways a TOML file can define tool.kubelint: a table header (`[tool.kubelint]`,
# `[tool.kubelint.params]`, quoted or spaced parts), a dotted key (`tool.kubelint.select = ...`),
# an inline table under `tool` (`tool = {kubelint = ...}`), or a key of a `[tool]` table.
_TOOL_KUBELINT = re.compile(r"""^\s*(?:\[+\s*)?["']?tool["']?\s*\.\s*["']?kubelint|^\s*["']?tool["']?\s*=""", re.M)
_TOOL_TABLE = re.compile(r"""^\s*\[\s*["']?tool["']?\s*\]""", re.M)
_KUBELINT_KEY = re.compile(r"""^\s*["']?kubelint["']?\s*[.=]""", re.M)


def _may_define_tool_table(text: str) -> bool:
    """False only for a pyproject.toml that cannot hold [tool.kubelint]: one that merely names
    kubelint (a dependency, a script) is not parsed, which cost a pre-commit run 4 ms of its 70.
    Anything like a definition, even a broken one (`[tool.kubelint` unclosed), is parsed, so its
    errors are still reported."""
    if "kubelint" not in text:
        return False
    if "\\u" in text or "\\U" in text:  # a key may be spelled with escapes: TOML decides
        return True
    return bool(_TOOL_KUBELINT.search(text) or (_TOOL_TABLE.search(text) and _KUBELINT_KEY.search(text)))


def resolve_config(explicit: str | None = None, isolated: bool = False,
                   start: Path | None = None) -> Config:
    """`--config FILE` wins; `--isolated` ignores config files; otherwise discovery."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise KubelintError(f"config file not found: {explicit}")
        return load_config(path)
    if isolated:
        return Config()
    found = find_config(start)
    return load_config(found) if found else Config()


def load_config(path: Path) -> Config:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise KubelintError(f"cannot read config file {path}: {exc.strerror}") from None
    from kubelint.parse.source import Unreadable, decode

    try:
        text = decode(raw)
    except Unreadable as exc:
        raise ConfigError(_show_path(path), 1, 1, str(exc)) from None
    if path.name == "pyproject.toml":
        data = _toml_table(path, text)
        if data is None:
            raise ConfigError(_show_path(path), 1, 1, "no [tool.kubelint] table")
        config = Config(path, data, lambda where, value, at_value: _toml_position(text, where, value))
    else:
        config = _load_yaml(path, text)
    _validate(config)
    _check_images(config)
    return config


def _check_images(config: Config) -> None:
    """Each `images:` entry names a Dockerfile that exists: a typo would link nothing, silently."""
    for pattern, value in config.data.get("images", {}).items():
        path, _ = _image_target(config.root, value)
        if not os.path.isfile(path):
            where = ("images", pattern) + (() if isinstance(value, str) else ("dockerfile",))
            raise config.error(where, f"images.{pattern}: no Dockerfile at {_relative(path, config.root)}",
                               value=value if isinstance(value, str) else value["dockerfile"], at_value=True)


def _load_yaml(path: Path, text: str) -> Config:
    from kubelint.parse.source import SourceFile
    from kubelint.parse.yaml_docs import parse_yaml

    parsed = parse_yaml(SourceFile(str(path), str(path), text, "yaml"))
    if parsed.findings:
        from kubelint.engine.loader import describe_parse_finding

        f = parsed.findings[0]
        raise ConfigError(_show_path(path), f.line, f.column, describe_parse_finding(f))
    docs = [d for d in parsed.documents if d.data is not None]
    if not docs:
        return Config(path, {})
    if len(docs) > 1:
        raise ConfigError(_show_path(path), docs[1].start_line, 1, "a config file holds one YAML document")
    doc = docs[0]
    if not isinstance(doc.data, dict):
        raise ConfigError(_show_path(path), doc.start_line, 1, "the config must be a mapping of settings")

    def locate(where: tuple, value: Any, at_value: bool) -> tuple[int, int]:
        where = tuple(where)
        while where:
            pos = (doc.value_pos(where) or doc.key_pos(where)) if at_value else \
                (doc.key_pos(where) or doc.value_pos(where))
            if pos:
                return pos.line, pos.column
            where = where[:-1]
        return doc.start_line, 1

    return Config(path, doc.data, locate)


# --- TOML --------------------------------------------------------------------------------------


def _toml_table(path: Path, text: str) -> dict | None:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # Python 3.10
        import tomli as tomllib
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        # tomllib names the place only inside its message: "(at line 3, column 1)".
        m = re.search(r"\(at line (\d+), column (\d+)\)", str(exc))
        line, col = (int(m.group(1)), int(m.group(2))) if m else (text.count("\n") + 1, 1)
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(exc))
        raise ConfigError(_show_path(path), line, col, f"TOML syntax error: {message}") from None
    table = data.get("tool", {}).get("kubelint") if isinstance(data.get("tool"), dict) else None
    return table if isinstance(table, dict) else None


_HEADER = re.compile(r"^\s*\[\s*([^\]\[]+?)\s*\]\s*(?:#.*)?$")


def _toml_position(text: str, where: tuple, value: Any = None) -> tuple[int, int]:
    """Where a key (or a value inside it) of [tool.kubelint] is written. tomllib keeps no
    positions, so look for the text: good enough to point at a typo."""
    lines = text.splitlines()
    tables: dict[str, int] = {}
    current = None
    key_lines: dict[tuple[str, str], int] = {}
    for i, text_line in enumerate(lines):
        m = _HEADER.match(text_line)
        if m:
            current = ".".join(part.strip().strip("\"'") for part in m.group(1).split("."))
            tables.setdefault(current, i)
            continue
        km = re.match(r"^\s*(\"[^\"]*\"|'[^']*'|[A-Za-z0-9_.-]+)\s*=", text_line)
        if km and current is not None:
            key_lines.setdefault((current, km.group(1).strip("\"'")), i)
    base = "tool.kubelint"
    line, col = (tables.get(base, 0), 0)
    table: str | None = base
    for part in where:
        if isinstance(part, int):
            break
        if table is None:  # inside an inline table
            found = _search(lines, line, str(part), key=True)
            if not found:
                break
            line, col = found
            continue
        sub = f"{table}.{part}"
        if sub in tables:
            table, line, col = sub, tables[sub], lines[tables[sub]].find("[")
            continue
        if any(t.startswith(sub + ".") for t in tables):  # only [sub.table] headers below it
            table = sub
            continue
        if (table, str(part)) in key_lines:
            line = key_lines[(table, str(part))]
            col = lines[line].find(str(part))
            col = max(col - (1 if col > 0 and lines[line][col - 1] in "\"'" else 0), 0)
            continue
        # An inline table or an array written after the parent key: search onward, and for the
        # keys inside it too (`params = { rule = { name = 0 } }`).
        found = _search(lines, line, str(part), key=True)
        if not found:
            break
        line, col = found
        table = None
    if isinstance(value, str):
        found = _search(lines, line, value, key=False)
        if found:
            line, col = found
    return line + 1, col + 1


def _search(lines: list[str], start: int, word: str, key: bool) -> tuple[int, int] | None:
    pattern = re.compile(r"[\"']" + re.escape(word) + r"[\"']" + (r"\s*=" if key else "")
                         + (r"|(?<![\w-])" + re.escape(word) + r"\s*=" if key else ""))
    for i in range(start, min(start + 200, len(lines))):
        m = pattern.search(lines[i])
        if m:
            return i, m.start()
    return None


# --- validation --------------------------------------------------------------------------------

_validator = None


def _schema_validator():
    global _validator
    if _validator is None:
        import jsonschema

        schema = json.loads((schemas_dir() / "config.schema.json").read_text())
        _validator = jsonschema.Draft202012Validator(schema)
    return _validator


def _validate(config: Config) -> None:
    errors = sorted(_schema_validator().iter_errors(config.data), key=lambda e: -len(e.absolute_path))
    if not errors:
        return
    err = errors[0]
    where = tuple(err.absolute_path)
    if err.validator == "additionalProperties" and not where:
        known = list(err.schema.get("properties", {}))
        extra = [k for k in err.instance if k not in known][0]
        raise config.error((extra,), f"unknown setting '{extra}'" + _did_you_mean(str(extra), known))
    setting = ".".join(str(p) for p in where) or "config"
    message = err.message
    if err.validator == "enum":
        message = f"{err.instance!r} is not one of {', '.join(map(str, err.validator_value))}"
        message += _did_you_mean(str(err.instance), [str(v) for v in err.validator_value])
    elif err.validator == "type" and where == ("kubernetes-version",) and isinstance(err.instance, (int, float)):
        # YAML reads 1.30 as the number 1.3: the version must be quoted.
        message = f'write the version in quotes, like "1.30": unquoted, YAML reads the number {err.instance}'
    elif err.validator == "type":
        message = f"expected {_type_name(err.validator_value)}, got {_type_name(type(err.instance).__name__)}"
    elif err.validator == "pattern" and where == ("kubernetes-version",):
        message = f"{err.instance!r} is not a Kubernetes version like 1.30"
    raise config.error(where, f"{setting}: {message}", value=err.instance, at_value=True)


def _type_name(t) -> str:
    names = {"array": "a list", "list": "a list", "object": "a mapping", "dict": "a mapping",
             "string": "a string", "str": "a string", "boolean": "true or false", "bool": "true or false",
             "int": "a number", "float": "a number", "NoneType": "nothing"}
    return names.get(t, str(t))


def _did_you_mean(word: str, candidates: list[str]) -> str:
    import difflib  # only to suggest a spelling

    hint = difflib.get_close_matches(word, candidates, n=1, cutoff=0.6)
    return f" (did you mean '{hint[0]}'?)" if hint else ""


def check_rule_ids(config: Config, rules: dict) -> None:
    """Every rule id, category or peer id the file names must exist, and params must be known:
    checked once the rules (built-in and rules-dirs) are loaded, so errors point into the file."""
    if not config.data:
        return
    from kubelint.selection import find_rule, token_matches

    names = sorted(set(rules) | {r.category for r in rules.values()})

    def check(token: str, where: tuple) -> None:
        if token == "all" or any(token_matches(r, token) for r in rules.values()):
            return
        raise config.error(where, f"unknown rule or category '{token}'" + _did_you_mean(token, names),
                           value=token)

    d = config.data
    for key in ("select", "extend-select", "ignore", "fixable", "unfixable"):
        for i, token in enumerate(d.get(key, [])):
            check(token, (key, i))
    for token in d.get("severity", {}):
        check(token, ("severity", token))
    for glob, ids in d.get("per-file-ignores", {}).items():
        for i, token in enumerate(ids):
            check(token, ("per-file-ignores", glob, i))
    for rule_id, values in d.get("params", {}).items():
        rule = rules.get(rule_id) or find_rule(rules, rule_id)
        if rule is None:
            raise config.error(("params", rule_id), f"params: unknown rule '{rule_id}'"
                               + _did_you_mean(rule_id, list(rules)))
        for name, value in values.items():
            spec = rule.param_specs.get(name)
            if spec is None:
                known = ", ".join(sorted(rule.param_specs)) or "none"
                raise config.error(("params", rule_id, name),
                                   f"params: rule '{rule.id}' has no param '{name}' (known: {known})"
                                   + _did_you_mean(name, list(rule.param_specs)))
            bad = spec.problem(value)
            if bad:
                from kubelint.ruleapi.params import item_label  # only for this message: a warm run never imports ruleapi

                inner, message = bad
                where = ("params", rule_id, name) + inner
                raise config.error(where, f"params.{rule_id}.{name}{item_label(inner)}: {message}",
                                   value=_hint(value, inner), at_value=True)


def _hint(value: Any, inner: tuple) -> Any:
    """The value an error is about, for finding it in a TOML file (which keeps no positions)."""
    for part in inner:
        value = value[part]
    return value if isinstance(value, str) else None


def expand_severity(overrides: dict[str, str], rules: dict) -> dict[str, str]:
    """Severity overrides by rule id: `all` first, then categories, then ids and peer ids, so
    that the more specific setting wins whatever the order in the file."""
    from kubelint.selection import token_matches

    out: dict[str, str] = {}

    def rank(token: str) -> int:
        if token == "all":
            return 0
        return 1 if any(r.category == token for r in rules.values()) else 2

    for token in sorted(overrides, key=rank):
        for rule in rules.values():
            if token == "all" or token_matches(rule, token):
                out[rule.id] = overrides[token]
    return out


def expand_params(params: dict[str, dict], rules: dict) -> dict[str, dict]:
    from kubelint.selection import find_rule

    out: dict[str, dict] = {}
    for name, values in params.items():
        rule = rules.get(name) or find_rule(rules, name)
        if rule is not None:
            out.setdefault(rule.id, {}).update(values)
    return out


# --- output ------------------------------------------------------------------------------------


def _show_path(path: Path | None) -> str:
    if path is None:
        return "<config>"
    from kubelint.discover import display_path

    return display_path(str(path))


def _relative(path: str, root: Path) -> str:
    try:
        return Path(os.path.relpath(path, root)).as_posix()
    except ValueError:
        return path


def to_yaml(data: dict) -> str:
    """A small YAML writer for the effective config (strings quoted JSON-style, valid YAML)."""
    out: list[str] = []

    def scalar(v: Any) -> str:
        if v is None:
            return "null"
        if isinstance(v, bool):
            return "true" if v else "false"
        if isinstance(v, (int, float)):
            return str(v)
        return json.dumps(str(v))

    def emit(value: Any, indent: int) -> None:
        pad = "  " * indent
        for key, v in value.items():
            k = key if re.fullmatch(r"[A-Za-z0-9_.-]+", str(key)) else json.dumps(str(key))
            if isinstance(v, dict) and v:
                out.append(f"{pad}{k}:")
                emit(v, indent + 1)
            elif isinstance(v, list) and v and all(not isinstance(x, (dict, list)) for x in v):
                out.append(f"{pad}{k}: [{', '.join(scalar(x) for x in v)}]")
            elif isinstance(v, (dict, list)):
                out.append(f"{pad}{k}: {json.dumps(v)}")
            else:
                out.append(f"{pad}{k}: {scalar(v)}")

    emit(data, 0)
    return "\n".join(out) + "\n"
