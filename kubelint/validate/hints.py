"""Hints for the mistakes people actually make: YAML 1.1 scalars that are not what they look
like, misspelt quantity units, near-miss field names."""

from __future__ import annotations

import difflib
import re

from kubelint.model.k8s import KubeObject

_YAML11_BOOLS = {"y", "yes", "n", "no", "on", "off", "true", "false"}
_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")


def raw_text(obj: KubeObject, path: tuple) -> str | None:
    """The value as written in the file (one-line scalars only)."""
    pos = obj.value_pos(path)
    if pos is None or pos.end_line != pos.line:
        return None
    return obj.doc.source.line(pos.line)[pos.column - 1:pos.end_column - 1] or None


def wanted_string_hint(obj: KubeObject, path: tuple, value) -> str:
    """Why a bool or number turned up where a string belongs, and how to quote it."""
    raw = raw_text(obj, path)
    written = raw if raw and raw[0] not in "\"'" else _plain(value)
    if isinstance(value, bool):
        if raw and raw.lower() in _YAML11_BOOLS - {"true", "false"}:
            return (f"YAML 1.1 (which Kubernetes uses) reads unquoted {raw} as the boolean "
                    f"{str(value).lower()}; quote it: \"{raw}\"")
        return f"quote it: \"{written}\""
    if isinstance(value, int) and raw and _OCTAL.match(raw):
        return f"YAML 1.1 reads {raw} as the octal number {value}; quote it: \"{raw}\""
    if isinstance(value, (int, float)):
        if _in_configmap_data(obj, path):
            return f"{obj.kind} {path[-2]} values must be strings; quote it: \"{written}\""
        return f"quote it: \"{written}\""
    return ""


def wanted_boolean_hint(value) -> str:
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return f"remove the quotes: {value.strip().lower()}"
    return ""


def wanted_number_hint(obj: KubeObject, path: tuple, value) -> str:
    if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]{20,}(\.[0-9]+)?", value.strip()):
        # Quoted or not, no integer field holds it (YAML leaves numbers this long as text).
        return f"a number of {len(value.strip().lstrip('+-').split('.')[0]):,} digits is out of range"
    if isinstance(value, str) and re.fullmatch(r"[-+]?[0-9]+(\.[0-9]+)?", value.strip()):
        if path and path[-1] in ("defaultMode", "mode") and value.startswith("0"):
            return f"remove the quotes: {value} unquoted is read as an octal file mode"
        return f"remove the quotes: {value}"
    return ""


def _in_configmap_data(obj: KubeObject, path: tuple) -> bool:
    return len(path) == 2 and (obj.kind, path[0]) in {("ConfigMap", "data"), ("Secret", "stringData"),
                                                       ("Secret", "data")}


def _plain(value) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


# --- quantities -------------------------------------------------------------------------------

_UNIT_FIXES = {
    "b": "a plain number of bytes", "kb": "k or Ki", "kib": "Ki", "K": "k or Ki",
    "mb": "M or Mi", "mib": "Mi", "gb": "G or Gi", "gib": "Gi", "g": "G or Gi", "tb": "T or Ti",
    "tib": "Ti", "t": "T or Ti", "pb": "P or Pi", "eb": "E or Ei",
    "ki": "Ki", "mi": "Mi", "gi": "Gi", "ti": "Ti", "pi": "Pi", "ei": "Ei",
}
_VALID_SUFFIXES = {"", "n", "u", "m", "k", "M", "G", "T", "P", "E", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}
_CPU_WORDS = {"core", "cores", "cpu", "cpus", "vcpu", "vcpus"}
_NUMBER_UNIT = re.compile(r"^\s*([+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+))\s*([A-Za-z]*)\s*$")


def quantity_hint(value) -> str:
    if not isinstance(value, str):
        return ""
    m = _NUMBER_UNIT.match(value)
    if not m:
        return "a quantity is a number with an optional suffix: 500m, 2, 128Mi, 1Gi"
    number, unit = m.group(1), m.group(2)
    if unit in _VALID_SUFFIXES and " " in value.strip():
        return f"no spaces inside a quantity: {number}{unit}"
    if unit.lower() in _CPU_WORDS:
        return f"CPU is counted in cores without a unit: write {number} (or {_millis(number)})"
    fix = _UNIT_FIXES.get(unit) or _UNIT_FIXES.get(unit.lower())
    if fix and unit != "m":
        if fix.startswith("a plain"):
            return f"bytes take no unit: write {number}"
        options = " or ".join(f"{number}{u}" for u in fix.split(" or "))
        return f"did you mean {options}? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)"
    if " " in value.strip():
        return f"no spaces inside a quantity: {number}{unit}"
    return "suffixes are n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (case-sensitive)"


def _millis(number: str) -> str:
    try:
        return f"{int(round(float(number) * 1000))}m"
    except ValueError:
        return number


# --- near-miss names ----------------------------------------------------------------------------

def did_you_mean(word: str, choices) -> str | None:
    choices = [c for c in choices if isinstance(c, str)]
    lower = {c.lower(): c for c in choices}
    if word.lower() in lower:
        return lower[word.lower()]
    folded = {c.lower().replace("-", "").replace("_", ""): c for c in choices}
    key = word.lower().replace("-", "").replace("_", "")
    if key in folded:
        return folded[key]
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    if close:
        return close[0]
    close = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=0.75)
    return lower[close[0]] if close else None


# Fields renamed between API versions, which a spelling guess cannot find.
_RENAMED = {
    ("Ingress", "backend"): "renamed to defaultBackend in networking.k8s.io/v1",
    ("Ingress", "serviceName"): "networking.k8s.io/v1 uses service.name",
    ("Ingress", "servicePort"): "networking.k8s.io/v1 uses service.port.number or service.port.name",
}


def renamed_field(obj: KubeObject, path: tuple) -> str | None:
    return _RENAMED.get((obj.kind, path[-1])) if path else None
