"""Every Python rule implementation, by family. Importing a family registers each of its checks
under the rule ids it serves (kubelint.ruleapi.registry); the rule files hold the metadata.

- syntax: findings made while reading files (YAML/Dockerfile syntax, duplicate keys, templates)
- schema: Kubernetes schema validation and API versions (the schema engine is kubelint.validate)
- kubernetes: per-object rules the condition language cannot express
- crossobject: rules over several objects, through kubelint.index
- dockerfile: Dockerfile rules over the stage model
- podsecurity: the Pod Security Standards, as the admission controller applies them
- images: a Dockerfile against the manifests that run its image (through kubelint.index.images)

Families never import each other. Nothing is imported here: a run imports the modules of the
checks it runs (`load_checks`, by the `check:` names of kubelint.checks.catalog), so a run over
manifests never imports the Dockerfile family, and one without schema rules never imports
kubelint.validate. `load_all()` registers everything (tests, docs).
"""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module

FAMILIES = ("crossobject", "dockerfile", "images", "kubernetes", "podsecurity", "schema", "syntax")


def load_all() -> None:
    for family in FAMILIES:
        import_module(f"kubelint.checks.{family}")


def load_checks(names: Iterable[str | None]) -> None:
    """Import the modules that register the checks `names`; a name the catalog does not know
    (a check added since it was generated) imports every family, so it is found if it exists."""
    from kubelint.checks.catalog import CHECKS

    for name in set(names):
        if name is None:
            continue
        module = CHECKS.get(name)
        if module is None:
            load_all()
            return
        import_module(module)


def load_adjusters(rule_ids: Iterable[str]) -> None:
    """Import the finding adjusters that restate findings of any of `rule_ids`."""
    from kubelint.checks.catalog import ADJUSTERS

    wanted = set(rule_ids)
    for module, rules in ADJUSTERS.values():
        if not rules or wanted & set(rules):
            import_module(module)
