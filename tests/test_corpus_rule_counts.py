"""Every rule in rules/kubernetes/ over the real-world corpus (laid out in its repositories'
directories, see tests/corpus_layout.py): no crash, and the number of findings per rule equals
tests/data/corpus_rule_counts.json, so any change in a rule's behaviour shows up here. After a
deliberate change, review the differences and regenerate the file with

    KUBELINT_UPDATE_CORPUS_COUNTS=1 python -m pytest tests/test_corpus_rule_counts.py
"""

import json
import os
from collections import Counter
from pathlib import Path

from kubelint.api import lint_paths
from kubelint.data import rules_dir
from kubelint.engine.loader import load_rules

COUNTS = Path(__file__).parent / "data" / "corpus_rule_counts.json"


def kubernetes_rules() -> list[str]:
    folder = (rules_dir() / "kubernetes").resolve()
    return sorted(r.id for r in load_rules().values() if Path(r.source).resolve().parent == folder)


def test_rule_counts_on_the_corpus(corpus_tree):
    root, _ = corpus_tree
    rules = kubernetes_rules()
    found = Counter(f.rule for f in lint_paths([str(root)], select=rules))
    counts = {rule: found.get(rule, 0) for rule in rules}
    if os.environ.get("KUBELINT_UPDATE_CORPUS_COUNTS"):
        COUNTS.parent.mkdir(parents=True, exist_ok=True)
        COUNTS.write_text(json.dumps({"corpus": "../shared/corpus/k8s", "counts": counts}, indent=2) + "\n")
    expected = json.loads(COUNTS.read_text())["counts"]
    changed = {rule: (expected.get(rule), counts.get(rule)) for rule in sorted(set(expected) | set(counts))
               if expected.get(rule) != counts.get(rule)}
    assert not changed, "findings per rule changed (recorded, now): " + ", ".join(
        f"{rule} {old} -> {new}" for rule, (old, new) in changed.items())
