"""A rule as loaded from its YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kubelint.ruleapi.params import ParamSpec

DOC_BASE = "https://github.com/kubelint/kubelint/blob/main/docs/rules.md#"


@dataclass
class Rule:
    id: str
    severity: str
    category: str
    summary: str
    applies_to: str = "objects"
    default_enabled: bool = True  # in the recommended set that runs when nothing is selected
    kinds: list[str] | None = None
    container_groups: list[str] | None = None
    instructions: list[str] | None = None
    condition: dict | None = None
    for_each: str | None = None
    check: str | None = None
    message: str = ""
    messages: dict[str, str] = field(default_factory=dict)  # named variants of the message
    description: str = ""
    rationale: str = ""
    remediation: str = ""
    params: dict[str, Any] = field(default_factory=dict)  # effective values: defaults, then config
    param_specs: dict[str, ParamSpec] = field(default_factory=dict)  # declarations, by name
    # bad/good: each a text, or {"files": {path: text}} for a rule across files (example_files).
    examples: dict[str, Any] = field(default_factory=dict)
    aliases: list[str] = field(default_factory=list)
    fix: dict[str, str] | None = None  # {applicability: safe|unsafe, description}: the rule's fixer
    source: str = ""  # the file it came from
    builtin: bool = True
    severity_from_user: bool = False  # set by config/--severity: adjusters must not change it
    raw: dict = field(default_factory=dict, repr=False)

    @property
    def doc_url(self) -> str:
        # One string per rule, shared by its findings (300,000 findings made 300,000 copies).
        url = DOC_BASE + self.id
        cached = _DOC_URLS.get(url)
        if cached is None:
            cached = _DOC_URLS[url] = url
        return cached

    @property
    def example_type(self) -> str:
        """What kind of file the examples are: dockerfile or yaml."""
        return "dockerfile" if self.applies_to in ("dockerfile", "instructions") else "yaml"


_DOC_URLS: dict[str, str] = {}


def example_files(example: Any) -> list[tuple[str | None, str]]:
    """An example as (relative path, text) pairs: a plain text is one file of the rule's kind
    (path None); `{files: {path: text}}` is a small repository, for rules across files."""
    if isinstance(example, dict):
        return [(str(path), str(text)) for path, text in (example.get("files") or {}).items()]
    return [(None, str(example))]
