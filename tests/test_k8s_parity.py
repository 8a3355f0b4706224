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


# Peers whose every aliased check must have fixtures; add a peer here once its fixtures exist.
PEERS_WITH_FULL_PARITY = ["kube-linter", "kube-score"]

# Aliased checks whose peer verdict no static manifest can show (for example one that needs a
# live cluster), as "peer:check" -> why. Anything else must have its fail* and pass* fixtures.
EXCUSED: dict[str, str] = {}


def aliased_checks(peer: str) -> list[str]:
    return sorted({alias.split(":", 1)[1] for rule in load_rules().values() for alias in rule.aliases
                   if alias.split(":", 1)[0] == peer})


@pytest.mark.parametrize("peer", PEERS_WITH_FULL_PARITY)
def test_every_aliased_check_has_fail_and_pass_fixtures(peer):
    checks = aliased_checks(peer)
    assert checks, f"no rule aliases a {peer} check"
    lacking = []
    for check in checks:
        if f"{peer}:{check}" in EXCUSED:
            continue
        names = [case.name for case in (ROOT / peer / check).glob("*.yaml")]
        for kind in ("fail", "pass"):
            if not any(name.startswith(kind) for name in names):
                lacking.append(f"{check} ({kind}*)")
    assert lacking == [], f"{peer} checks without fixtures in {ROOT / peer}: " + ", ".join(lacking)


def test_excused_checks_are_aliased_and_explained():
    for key, reason in EXCUSED.items():
        peer, check = key.split(":", 1)
        assert peer in PEERS_WITH_FULL_PARITY and check in aliased_checks(peer), f"stale excuse {key}"
        assert len(reason.split()) >= 4, f"excuse for {key} gives no reason"
