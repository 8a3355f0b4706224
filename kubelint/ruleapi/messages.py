"""Message templates: `{name}` placeholders filled from a finding's values.

Rule files hold the templates (`message:`, and `messages:` for named variants); checks pass
values. The loader checks that every placeholder is one the rule's check fills (see
kubelint.ruleapi.registry), and rendering refuses a template whose value is missing, so a
message never shows a raw `{placeholder}`.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping

PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.-]*)\}")

# Filled for every finding on a Kubernetes object.
OBJECT_VALUES = frozenset({"kind", "name", "namespace", "path"})
# Filled for every finding in a Dockerfile.
DOCKERFILE_VALUES = frozenset({"instruction", "stage"})


class MessageError(Exception):
    """A template names a value the check did not give: a bug in the check or the rule file."""


def placeholders(template: str) -> set[str]:
    return set(PLACEHOLDER.findall(template))


def show(value: Any) -> str:
    """How a value reads inside a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple, set, frozenset)):
        return ", ".join(show(v) for v in value)
    return str(value)


def render(template: str, values: Mapping[str, Any], optional: Iterable[str] = ()) -> str:
    """Fill `template`; a placeholder without a value is an error unless listed in `optional`
    (left as written, as the condition language does for values a verdict may not have)."""
    allowed = set(optional)

    def sub(m: re.Match) -> str:
        key = m.group(1)
        value = values.get(key)
        if value is None:
            if key in allowed:
                return m.group(0)
            raise MessageError(f"no value for '{{{key}}}'")
        return show(value)
    return PLACEHOLDER.sub(sub, template)
