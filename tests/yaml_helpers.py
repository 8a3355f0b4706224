"""Small helpers for tests that read YAML text without positions."""

from __future__ import annotations

from typing import Any

from kubelint.parse.source import SourceFile
from kubelint.parse.yaml_docs import parse_yaml


def load_one(text: str) -> Any:
    """The data of a one-document YAML text."""
    parsed = parse_yaml(SourceFile("t.yaml", "t.yaml", text, "yaml"))
    assert not parsed.findings, parsed.findings
    return parsed.documents[0].data
