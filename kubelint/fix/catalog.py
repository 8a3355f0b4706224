"""Every built-in fixer, by rule id (importing this module registers them)."""

from __future__ import annotations

import kubelint.fix.fixers  # noqa: F401  (registers every fixer)
from kubelint.fix.registry import FixerSpec, registered


def fixer_for(rule: str) -> FixerSpec | None:
    return registered().get(rule)


def registered_fixers() -> dict[str, FixerSpec]:
    return registered()
