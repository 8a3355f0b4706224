import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"

from shared_data import CORPUS, require  # noqa: E402


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def corpus() -> Path:
    return require(CORPUS)


@pytest.fixture(autouse=True)
def _no_color(monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.delenv("FORCE_COLOR", raising=False)


@pytest.fixture(scope="session")
def corpus_tree(tmp_path_factory):
    """The corpus with its repositories' directories (see tests/corpus_layout.py): (root, map of
    relative paths there -> the corpus' stored names)."""
    require(CORPUS)
    from corpus_layout import build_tree

    root = tmp_path_factory.mktemp("corpus") / "k8s"
    return root, build_tree(CORPUS, root)
