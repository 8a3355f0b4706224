"""Peer parity: for each aliased check of kube-linter, kube-score, Polaris and checkov, fixtures
written from the peer's documented behaviour (tests/fixtures/parity/<peer>/<check>/): a `fail*`
file must give exactly the findings its first line names (`# expect: rule@line, ...`) from the
rules that alias the check, a `pass*` file none of them."""

import re
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


# kube-linter, kube-score, Polaris and checkov's Kubernetes checks: every check that a rule aliases
# has at least one fail* and one pass* fixture (checkov's CKV_DOCKER_* checks are Dockerfile rules,
# not judged here).
FIXTURES_FOR_EVERY_ALIAS = {"kube-linter": re.compile(r"[a-z0-9-]+"), "kube-score": re.compile(r"[a-z0-9-]+"),
                            "polaris": re.compile(r"[a-zA-Z]+"), "checkov": re.compile(r"CKV2?_K8S_\d+")}
# Checks a static manifest cannot judge, excused from fixtures: "peer:check" -> the reason.
NO_FIXTURES_BECAUSE: dict[str, str] = {}


def aliased_checks(scopes: dict[str, re.Pattern]) -> list[str]:
    found = set()
    for rule in load_rules().values():
        for alias in rule.aliases:
            peer, _, check = alias.partition(":")
            if peer in scopes and scopes[peer].fullmatch(check):
                found.add(alias)
    return sorted(found)


ALIASED = aliased_checks(FIXTURES_FOR_EVERY_ALIAS)


def test_the_alias_list_is_read():
    # Guards the parametrized test below against an empty list (a renamed field, a bad pattern).
    assert {a.split(":")[0] for a in ALIASED} == set(FIXTURES_FOR_EVERY_ALIAS)


@pytest.mark.parametrize("alias", [a for a in ALIASED if a not in NO_FIXTURES_BECAUSE])
def test_every_aliased_check_has_fail_and_pass_fixtures(alias):
    peer, check = alias.split(":")
    names = [p.name for p in (ROOT / peer / check).glob("*.yaml")]
    assert any(n.startswith("fail") for n in names), f"{alias}: no fail* fixture in {ROOT / peer / check}"
    assert any(n.startswith("pass") for n in names), f"{alias}: no pass* fixture in {ROOT / peer / check}"


def test_excused_checks_are_aliased_and_have_a_reason():
    for alias, reason in NO_FIXTURES_BECAUSE.items():
        assert alias in ALIASED, f"{alias} is excused but no rule aliases it"
        assert reason.strip(), f"{alias} is excused without a reason"
