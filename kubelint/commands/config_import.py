"""`kubelint config import FILE`: a peer's configuration (`.hadolint.yaml`, `.kube-linter.yaml`,
a Polaris config) as the equivalent `.kubelint.yaml`, with a comment for each setting that has
no equivalent. Peer check ids stay peer ids (`DL3008`, `kube-linter:latest-tag`,
`polaris:hostIPCSet`): kubelint selects and ignores rules by them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kubelint.errors import KubelintError

HADOLINT_KEYS = {"ignored", "trustedRegistries", "failure-threshold", "override", "label-schema",
                 "strict-labels", "no-fail", "no-color", "format", "disable-ignore-pragma", "verbose"}
POLARIS_KEYS = {"checks", "exemptions", "customChecks", "mutations", "displayName"}
SEVERITY_OF = {"error": "error", "warning": "warning", "info": "info", "style": "info"}


@dataclass
class Imported:
    peer: str
    data: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # settings with no equivalent

    def add(self, key: str, values: list) -> None:
        self.data.setdefault(key, [])
        self.data[key] += [v for v in values if v not in self.data[key]]


def detect(path: Path, data: dict) -> str:
    name = path.name.lower()
    if "hadolint" in name or (set(data) & HADOLINT_KEYS and not set(data) & {"checks", "customChecks"}):
        return "hadolint"
    if "kube-linter" in name or "kubelinter" in name or isinstance(data.get("checks"), dict) and (
            set(data["checks"]) & {"include", "exclude", "addAllBuiltIn", "doNotAutoAddDefaults", "ignorePaths"}):
        return "kube-linter"
    if set(data) & POLARIS_KEYS:
        return "polaris"
    raise KubelintError(f"{path}: not a hadolint, kube-linter or Polaris configuration")


def peer_ids(rules: dict, peer: str) -> set[str]:
    return {a.split(":", 1)[1] for r in rules.values() for a in r.aliases if a.startswith(peer + ":")}


def import_hadolint(data: dict, rules: dict) -> Imported:
    out = Imported("hadolint")
    known = peer_ids(rules, "hadolint")
    ignored = [str(i) for i in data.get("ignored") or []]
    out.add("ignore", [i for i in ignored if i in known])
    for i in ignored:
        if i not in known:
            out.notes.append(f"ignored {i}: kubelint has no rule for it (nothing to ignore)")
    registries = [str(r) for r in data.get("trustedRegistries") or []]
    if registries:
        out.add("extend-select", ["untrusted-registry"])
        out.data.setdefault("params", {})["untrusted-registry"] = {"allowed": registries}
    threshold = data.get("failure-threshold")
    if threshold is not None:
        threshold = str(threshold)
        out.data["fail-on"] = {"none": "never", "ignore": "never"}.get(threshold, SEVERITY_OF.get(threshold, "warning"))
        if threshold == "style":
            out.notes.append("failure-threshold: style: kubelint has no style level; style findings are info")
    if data.get("no-fail") is True:
        out.data["fail-on"] = "never"
    for level, ids in (data.get("override") or {}).items():
        for i in ids or []:
            if str(i) not in known:
                out.notes.append(f"override {level} {i}: kubelint has no rule for it")
                continue
            if level not in SEVERITY_OF:
                out.notes.append(f"override {level} {i}: no such severity in kubelint")
                continue
            out.data.setdefault("severity", {})[str(i)] = SEVERITY_OF[level]
            if level == "style":
                out.notes.append(f"override style {i}: kubelint has no style level; set to info")
    schema = data.get("label-schema")
    if isinstance(schema, dict) and schema:
        out.data.setdefault("params", {})["label-invalid"] = {"schema": {str(k): str(v) for k, v in schema.items()}}
    if data.get("strict-labels"):
        out.notes.append("strict-labels: kubelint does not report labels outside the schema")
    if data.get("disable-ignore-pragma"):
        out.data["allow-inline-ignores"] = False
    for key in ("format", "no-color", "verbose"):
        if key in data:
            out.notes.append(f"{key}: an output option; use kubelint's --format / --no-color on the command line")
    for key in sorted(set(data) - HADOLINT_KEYS):
        out.notes.append(f"{key}: not a hadolint setting kubelint knows")
    return out


def import_kube_linter(data: dict, rules: dict) -> Imported:
    out = Imported("kube-linter")
    known = peer_ids(rules, "kube-linter")
    checks = data.get("checks") or {}
    include = [str(c) for c in checks.get("include") or []]
    exclude = [str(c) for c in checks.get("exclude") or []]
    if checks.get("addAllBuiltIn"):
        out.data["select"] = sorted(f"kube-linter:{c}" for c in known)
    elif checks.get("doNotAutoAddDefaults"):
        out.data["select"] = [f"kube-linter:{c}" for c in include if c in known]
        include = []
    else:
        out.data["profile"] = "kube-linter"
    out.add("extend-select", [f"kube-linter:{c}" for c in include if c in known])
    out.add("ignore", [f"kube-linter:{c}" for c in exclude if c in known])
    for c in include + exclude:
        if c not in known:
            out.notes.append(f"check {c}: kubelint has no rule for it")
    paths = [str(p) for p in checks.get("ignorePaths") or []]
    if paths:
        out.add("exclude", [p for p in paths if not p.startswith(("/", "~"))])
        for p in paths:
            if p.startswith(("/", "~")):
                out.notes.append(f"ignorePaths {p}: kubelint excludes paths relative to the config file")
    for custom in data.get("customChecks") or []:
        name = custom.get("name") if isinstance(custom, dict) else custom
        out.notes.append(f"customChecks {name}: write it as a kubelint rule file (see docs/rule-format.md) "
                         "in a rules-dirs directory")
    for key in sorted(set(checks) - {"include", "exclude", "addAllBuiltIn", "doNotAutoAddDefaults", "ignorePaths"}):
        out.notes.append(f"checks.{key}: not a kube-linter setting kubelint knows")
    for key in sorted(set(data) - {"checks", "customChecks"}):
        out.notes.append(f"{key}: not a kube-linter setting kubelint knows")
    return out


def import_polaris(data: dict, rules: dict) -> Imported:
    out = Imported("polaris")
    known = peer_ids(rules, "polaris")
    out.data["profile"] = "polaris"
    for check, level in (data.get("checks") or {}).items():
        check, level = str(check), str(level)
        if check not in known:
            if level != "ignore":
                out.notes.append(f"checks {check}: kubelint has no rule for it")
            continue
        if level == "ignore":
            out.add("ignore", [f"polaris:{check}"])
        elif level in ("danger", "warning"):
            out.data.setdefault("severity", {})[f"polaris:{check}"] = "error" if level == "danger" else "warning"
            out.add("extend-select", [f"polaris:{check}"])
        else:
            out.notes.append(f"checks {check}: '{level}' is not a Polaris severity")
    for exemption in data.get("exemptions") or []:
        if not isinstance(exemption, dict):
            continue
        who = ", ".join(str(n) for n in exemption.get("controllerNames") or []) or "every controller"
        where = f" in namespace {exemption['namespace']}" if exemption.get("namespace") else ""
        what = ", ".join(str(r) for r in exemption.get("rules") or []) or "every check"
        out.notes.append(f"exemption for {who}{where} ({what}): kubelint exempts objects with the "
                         "kubelint.io/ignore annotation, or files with per-file-ignores")
    for check in data.get("customChecks") or {}:
        out.notes.append(f"customChecks {check}: write it as a kubelint rule file (see docs/rule-format.md)")
    for key in ("mutations", "displayName"):
        if key in data:
            out.notes.append(f"{key}: kubelint does not change files or name reports")
    return out


IMPORTERS = {"hadolint": import_hadolint, "kube-linter": import_kube_linter, "polaris": import_polaris}


def import_config(path: Path, rules: dict) -> Imported:
    # Peers read their configs as YAML 1.2 (`my-registry.com:5000` in a flow list is fine there),
    # so the safe loader of ruamel.yaml (a dependency already) reads them, not the YAML 1.1
    # parser kubelint uses for manifests.
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    from kubelint.parse.source import Unreadable, decode

    try:
        data = YAML(typ="safe", pure=True).load(decode(path.read_bytes()))
    except OSError as exc:
        raise KubelintError(f"cannot read {path}: {exc.strerror}") from None
    except Unreadable as exc:
        raise KubelintError(f"{path}: {exc}") from None
    except YAMLError as exc:
        raise KubelintError(f"{path}: not valid YAML: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise KubelintError(f"{path}: a configuration must be a mapping")
    return IMPORTERS[detect(path, data)](data, rules)


def render(imported: Imported, source: str) -> str:
    from kubelint.config import to_yaml

    head = f"# kubelint configuration imported from {source} ({imported.peer}); see docs/configuration.md.\n"
    body = to_yaml(imported.data) if imported.data else ""
    notes = "".join(f"# no equivalent: {note}\n" for note in imported.notes)
    return head + body + ("\n# Settings not carried over:\n" + notes if notes else "")


def run_import(args) -> int:
    import sys

    from kubelint.engine.loader import load_rules

    if not args.file:
        raise KubelintError("config import: name the file to import (.hadolint.yaml, .kube-linter.yaml, polaris.yaml)")
    path = Path(args.file)
    text = render(import_config(path, load_rules()), path.name)
    if not args.write:
        sys.stdout.write(text)
        return 0
    target = Path(".kubelint.yaml")
    if target.exists() and not args.force:
        raise KubelintError(".kubelint.yaml already exists (use --force to overwrite it)")
    from kubelint.safe_write import atomic_write_text

    atomic_write_text(str(target), text)
    print(f"kubelint: wrote {target} from {path}", file=sys.stderr)
    return 0
