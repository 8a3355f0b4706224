"""The rule API: everything a Python check may use besides the models and the scan-wide index.

Rule code imports from here, from kubelint.model, kubelint.index and kubelint.findings, and never
from the engine, the loader, the CLI, config or reporters (checked by the import contracts in
pyproject.toml).
"""

from typing import TYPE_CHECKING

from kubelint.findings import Finding, ObjectRef, Related
from kubelint.ruleapi.registry import adjuster, check
from kubelint.ruleapi.rule import Rule

if TYPE_CHECKING:
    from kubelint.ruleapi.context import CheckContext

__all__ = ["CheckContext", "Finding", "ObjectRef", "Related", "Rule", "adjuster", "check"]


def __getattr__(name: str):
    # The context (and the index it reads) is imported when a check needs it: a run whose whole
    # result is reused (kubelint.scanmemo) reads the rule settings and never runs a check.
    if name == "CheckContext":
        from kubelint.ruleapi.context import CheckContext

        return CheckContext
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
