"""The cross-object rules over the real-world corpus: no crash, the reviewed findings exactly
(tests/data/corpus_cross_findings.txt, with the review notes as # comments), and a small share
of the run time."""

from pathlib import Path

import pytest
from shared_data import require

from all_rules import lint_paths
from benchmarks.crossobject import measure
from kubelint.engine.loader import load_rules

DATA = Path(__file__).resolve().parent / "data" / "corpus_cross_findings.txt"
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "k8s"  # as in conftest.py
CROSS = sorted(r.id for r in load_rules().values() if r.category == "cross-object")


def render(findings, root: Path) -> list[str]:
    prefix = f"{root}/"
    return [f"{f.file}:{f.line}:{f.column} {f.rule} {f.message}".replace(prefix, "") for f in findings]


def reviewed() -> list[str]:
    return [line for line in DATA.read_text().splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def corpus_findings():
    require(CORPUS)
    return render(lint_paths([str(CORPUS)], select=CROSS), CORPUS.resolve())


def test_corpus_findings_are_the_reviewed_ones(corpus_findings):
    assert corpus_findings == reviewed()


def test_cross_object_share_of_the_run(corpus):
    m = measure([str(corpus)])
    assert m["cross"] <= 0.15 * m["total"], m
