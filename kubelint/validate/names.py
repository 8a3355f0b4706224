"""Name and label syntax the API server enforces (apimachinery's validation helpers), checked
here because the OpenAPI schemas only say "string"."""

from __future__ import annotations

import re

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")

# Kinds whose metadata.name is not a DNS-1123 subdomain.
_NAME_RULES = {
    "Namespace": "label", "Service": "dns1035",
    "Role": "path", "ClusterRole": "path", "RoleBinding": "path", "ClusterRoleBinding": "path",
}


def name_problem(kind: str, name: str) -> str | None:
    rule = _NAME_RULES.get(kind, "subdomain")
    if rule == "path":
        if name in (".", "..") or "/" in name or "%" in name:
            return f"'{name}' is not a valid {kind} name: it may not be '.' or '..' nor contain '/' or '%'"
        return None
    if rule == "label":
        if len(name) > 63 or not _DNS1123_LABEL.match(name):
            return (f"'{name}' is not a valid {kind} name: a DNS-1123 label has at most 63 lowercase "
                    "letters, digits and '-', starting and ending with a letter or digit")
        return None
    if rule == "dns1035":
        if len(name) > 63 or not _DNS1035_LABEL.match(name):
            return (f"'{name}' is not a valid {kind} name: a DNS-1035 label has at most 63 lowercase "
                    "letters, digits and '-', starting with a letter and ending with a letter or digit")
        return None
    if len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        return (f"'{name}' is not a valid {kind} name: a DNS-1123 subdomain has at most 253 lowercase "
                "letters, digits, '-' and '.', each dot-separated part starting and ending with a letter or digit")
    return None


def label_key_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return (f"label key '{key}': the prefix before '/' must be a DNS-1123 subdomain "
                "(lowercase letters, digits, '-' and '.')")
    if not name or len(name) > 63 or not _LABEL_NAME.match(name):
        return (f"label key '{key}': the name part must be 1-63 letters, digits, '-', '_' or '.', "
                "starting and ending with a letter or digit")
    return None


def label_value_problem(value: str) -> str | None:
    if value == "":
        return None
    if len(value) > 63:
        return f"label value '{value[:40]}...' is {len(value)} characters long; the limit is 63"
    if not _LABEL_NAME.match(value):
        return (f"label value '{value}' must be at most 63 letters, digits, '-', '_' or '.', "
                "starting and ending with a letter or digit (or empty)")
    return None
