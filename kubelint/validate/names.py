"""Name and label syntax the API server enforces (apimachinery's validation helpers), checked
here because the OpenAPI schemas only say "string".

Each test returns None when the text is valid, else which rule of the syntax it breaks (the
name of the `invalid-quantity` message variant that explains it)."""

from __future__ import annotations

import re

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1035_LABEL = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")
_LABEL_NAME = re.compile(r"^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$")
LABEL_VALUE_LIMIT = 63

# Kinds whose metadata.name is not a DNS-1123 subdomain.
_NAME_RULES = {
    "Namespace": "label", "Service": "dns1035",
    "Role": "path", "ClusterRole": "path", "RoleBinding": "path", "ClusterRoleBinding": "path",
}


def name_problem(kind: str, name: str) -> str | None:
    """name-path, name-label, name-dns1035 or name-subdomain: the syntax `name` breaks."""
    rule = _NAME_RULES.get(kind, "subdomain")
    if rule == "path":
        return "name-path" if name in (".", "..") or "/" in name or "%" in name else None
    if rule == "label":
        return "name-label" if len(name) > 63 or not _DNS1123_LABEL.match(name) else None
    if rule == "dns1035":
        return "name-dns1035" if len(name) > 63 or not _DNS1035_LABEL.match(name) else None
    return "name-subdomain" if len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name) else None


def label_key_problem(key: str) -> str | None:
    """label-key-prefix or label-key-name."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS1123_SUBDOMAIN.match(prefix)):
        return "label-key-prefix"
    if not name or len(name) > 63 or not _LABEL_NAME.match(name):
        return "label-key-name"
    return None


def label_value_problem(value: str) -> str | None:
    """label-value-long or label-value."""
    if value == "":
        return None
    if len(value) > LABEL_VALUE_LIMIT:
        return "label-value-long"
    if not _LABEL_NAME.match(value):
        return "label-value"
    return None
