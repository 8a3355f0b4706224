"""Peer parity: for each aliased check of kube-linter, kube-score, Polaris and checkov, fixtures
written from the peer's documented behaviour (tests/fixtures/parity/<peer>/<check>/): a `fail*`
file must give exactly the findings its first line names (`# expect: rule@line, ...`) from the
rules that alias the check, a `pass*` file none of them."""

from pathlib import Path

import pytest

from kubelint.api import lint_text
from kubelint.engine.loader import load_rules

ROOT = Path(__file__).parent / "fixtures" / "parity"
CASES = sorted(ROOT.glob("*/*/*.yaml"))


def aliasing(peer: str, check: str) -> list[str]:
    return sorted(r.id for r in load_rules().values() if f"{peer}:{check}" in r.aliases)


def expected(text: str) -> list[tuple[str, int]]:
    head = text.splitlines()[0]
    assert head.startswith("# expect: ")
    spec = head.removeprefix("# expect: ").strip()
    if spec == "nothing":
        return []
    return sorted((item.split("@")[0].strip(), int(item.split("@")[1])) for item in spec.split(","))


@pytest.mark.parametrize("case", CASES, ids=lambda p: str(p.relative_to(ROOT)))
def test_same_verdict_as_the_peer(case):
    peer, check = case.parent.parent.name, case.parent.name
    rules = aliasing(peer, check)
    assert rules, f"no rule aliases {peer}:{check}"
    text = case.read_text()
    found = sorted((f.rule, f.line) for f in lint_text(text, select=rules))
    want = expected(text)
    assert (want == []) == case.name.startswith("pass")
    assert found == want
