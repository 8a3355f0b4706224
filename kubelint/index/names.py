"""How a reference's name reads: the lowest module of the index (refs, objects and the
message helpers in common all use it, and it uses none of them)."""

from __future__ import annotations

import re


def text(value) -> str | None:
    """A reference's name: a non-empty string (numbers allowed), else None."""
    if value is None or isinstance(value, (dict, list, bool)):
        return None
    value = str(value).strip()
    return value or None


_PLACEHOLDER = re.compile(r"[${}<>%\s]")


def is_placeholder(name: str) -> bool:
    """`$K8S_SA_NAME`, `<KSA_NAME>`, `${NAME:-x}`: a value some tool fills in before applying."""
    return bool(_PLACEHOLDER.search(name))
