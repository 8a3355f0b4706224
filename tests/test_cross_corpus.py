"""The cross-object rules over the real-world corpus: no crash, the reviewed findings exactly
(tests/data/corpus_cross_findings.txt, with the review notes as # comments), and a small share
of the run time. The corpus is linted in its repositories' directory layout (which objects see
each other depends on directories), and shown with the names the corpus stores its files under,
as the review file has them (tests/corpus_layout.py)."""

from pathlib import Path

import pytest

from corpus_layout import stored_names
from kubelint.api import lint_paths
from benchmarks.crossobject import measure
from kubelint.engine.loader import load_rules

DATA = Path(__file__).resolve().parent / "data" / "corpus_cross_findings.txt"
CROSS = sorted(r.id for r in load_rules().values() if r.category == "cross-object")


def render(findings, root: Path, stored_as: dict[str, str]) -> list[str]:
    """One line per finding, with the corpus' stored file names, in file/line/column order."""
    rows = sorted((stored_names(f.file, root, stored_as), f.line, f.column, f.rule,
                   stored_names(f.message, root, stored_as)) for f in findings)
    return [f"{file}:{line}:{column} {rule} {message}" for file, line, column, rule, message in rows]


def reviewed() -> list[str]:
    return [line for line in DATA.read_text().splitlines() if line and not line.startswith("#")]


@pytest.fixture(scope="module")
def corpus_findings(corpus_tree):
    root, stored_as = corpus_tree
    return render(lint_paths([str(root)], select=CROSS), root, stored_as)


def test_corpus_findings_are_the_reviewed_ones(corpus_findings):
    assert corpus_findings == reviewed()


def test_cross_object_share_of_the_run(corpus_tree):
    m = measure([str(corpus_tree[0])])
    assert m["cross"] <= 0.15 * m["total"], m
