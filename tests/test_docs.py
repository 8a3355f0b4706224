from pathlib import Path

from kubelint.docs import rules_markdown

DOC = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_rules_doc_is_up_to_date():
    assert DOC.read_text() == rules_markdown(), (
        "docs/rules.md is out of date: run `python -m kubelint.docs > docs/rules.md`")
