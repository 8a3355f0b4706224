"""The schema check over the real corpus (../shared/corpus/k8s): no crash, and every
unknown-field / schema-invalid finding is one of the reviewed ones in
tests/data/corpus_schema_findings.txt, so false positives cannot creep in unseen."""

from pathlib import Path

import pytest
from shared_data import require

from corpus_layout import unflatten
from kubelint.ruleapi.context import CheckContext
from kubelint.checks.schema import _state, _validator, run
from schema_helpers import REPO, scan_of, schema_rules

CORPUS = Path(__file__).parents[1].parent / "shared/corpus/k8s"
REVIEWED = REPO / "tests" / "data" / "corpus_schema_findings.txt"



@pytest.fixture(autouse=True)
def _corpus_present():
    require(CORPUS)


# The corpus in its repositories' directory layout (kustomize patches are found by directory),
# named in findings as the corpus stores its files (tests/corpus_layout.py).
STORED_AS = {unflatten(p.relative_to(CORPUS).as_posix()): p.relative_to(CORPUS).as_posix()
             for p in sorted(CORPUS.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml")}


@pytest.fixture(scope="module")
def corpus_scan():
    files = {relative: (CORPUS / stored).read_text(encoding="utf-8", errors="replace")
             for relative, stored in STORED_AS.items()}
    return scan_of(files)


def reviewed_lines() -> list[str]:
    return [line for line in REVIEWED.read_text().splitlines() if line.strip() and not line.startswith("#")]


def test_schema_findings_on_the_corpus_are_the_reviewed_ones(corpus_scan):
    corpus_scan._cache.clear()
    findings = run(CheckContext(corpus_scan, schema_rules()))
    assert len(corpus_scan.objects) > 3000
    got = sorted(f"{STORED_AS[f.file]}:{f.line}:{f.column} {f.rule} {f.message}"
                 for f in findings if f.rule in ("unknown-field", "schema-invalid"))
    assert got == sorted(reviewed_lines())
    rules = {f.rule for f in findings}
    assert {"removed-api", "unknown-kind", "invalid-quantity"} <= rules


def test_the_fast_gate_never_passes_an_object_jsonschema_rejects(corpus_scan):
    for strict in (True, False):
        corpus_scan._cache.clear()
        rules = schema_rules() if strict else schema_rules(only={"schema-invalid"})
        state = _state(CheckContext(corpus_scan, rules))
        checked = 0
        for obj in corpus_scan.objects:
            compiled, _ = _validator(state, obj.api_version, obj.kind)
            if not compiled:
                continue
            checked += 1
            if compiled.gate(obj.data):
                assert not list(compiled.validator.iter_errors(obj.data)), obj
        assert checked > 2500
