import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
CORPUS = ROOT.parent / "shared" / "corpus" / "k8s"


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/k8s is not beside the project")
    return CORPUS


@pytest.fixture(autouse=True)
def _no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session")
def corpus_tree(tmp_path_factory):
    """The corpus with its repositories' directories (see tests/corpus_layout.py): (root, map of
    relative paths there -> the corpus' stored names)."""
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus/k8s is not beside the project")
    from corpus_layout import build_tree

    root = tmp_path_factory.mktemp("corpus") / "k8s"
    return root, build_tree(CORPUS, root)
