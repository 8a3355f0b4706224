"""The rule API: everything a Python check may use besides the models and the scan-wide index.

Rule code imports from here, from kubelint.model, kubelint.index and kubelint.findings, and never
from the engine, the loader, the CLI, config or reporters (checked by the import contracts in
pyproject.toml).
"""

from kubelint.findings import Finding, ObjectRef, Related
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import adjuster, check
from kubelint.ruleapi.rule import Rule

__all__ = ["CheckContext", "Finding", "ObjectRef", "Related", "Rule", "adjuster", "check"]
