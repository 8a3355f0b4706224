"""docs/compatibility.md is generated from docs/peers/*.yaml and the rules' aliases: it must be
current, and the peer tables must agree with the aliases both ways."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def gen():
    spec = importlib.util.spec_from_file_location("gen_compat", ROOT / "tools" / "gen_compat.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["gen_compat"] = module
    spec.loader.exec_module(module)
    return module


def test_compatibility_doc_is_current_and_consistent():
    g = gen()
    text, problems = g.build()
    assert problems == []
    assert (ROOT / "docs" / "compatibility.md").read_text(encoding="utf-8") == text, \
        "docs/compatibility.md is stale: run python tools/gen_compat.py"


def test_every_hadolint_alias_is_tabulated_and_every_row_is_covered_or_explained():
    g = gen()
    peers = g.load_peers()
    hadolint = next(p for p in peers if p.prefix == "hadolint")
    # hadolint 2.15.1's released rules are all listed (DL3005, DL3017, DL3031, DL3039 retired).
    released = {f"DL{n}" for n in [1000, 1001, 4000, 4001, 4003, 4004, 4005, 4006]
                + [n for n in range(3000, 3068) if n not in (3005, 3017, 3031, 3039)]}
    assert released <= set(hadolint.checks)
    g.attach_aliases(peers, {"apt-get-unpinned": ["hadolint:DL3008"], "made-up": ["hadolint:DL9999"]})
    found = g.problems(peers)
    # an alias the table does not list, and rows with neither a rule nor a reason
    assert "hadolint.yaml: DL9999 is aliased by made-up but not listed in the file" in found
    assert "hadolint.yaml: DL3000 is aliased by no rule and gives no `missing:` reason" in found
    assert not any("DL3008" in p for p in found)


def test_a_missing_row_that_a_rule_aliases_is_a_contradiction():
    g = gen()
    peers = g.load_peers()
    g.attach_aliases(peers, {"some-rule": ["hadolint:DL3047"]})
    assert "hadolint.yaml: DL3047 says missing but some-rule alias it" in g.problems(peers)


def test_aliases_of_a_linter_without_a_table_are_left_out():
    g = gen()
    peers = g.load_peers()
    # kubesec has no peer file: its alias is left out of every table, and breaks nothing.
    g.attach_aliases(peers, {"latest-tag": ["kubesec:LatestTag", "kube-linter:latest-tag"]})
    assert all("LatestTag" not in p.covered for p in peers)


def test_the_overview_counts_each_table_as_its_section_does():
    g = gen()
    peer = g.Peer(file=ROOT / "x.yaml", prefix="demo", name="Demo (Kubernetes)", ids=__import__("re").compile(".*"),
                  version="1", intro="", checks={"a": {"title": "A"}, "b": {"title": "B", "difference": "why"},
                                                 "c": {"title": "C", "missing": "why not"}})
    peer.covered = {"a": ["rule-a"], "b": ["rule-b"]}
    assert g.tally(peer) == (1, 1, 1)
    text = g.render([peer])
    assert "| [Demo (Kubernetes)](#demo-kubernetes) | 3 | 1 | 1 | 1 |" in text
    assert "3 checks: 1 same, 1 different (documented below), 1 missing in kubelint." in text
    # the real tables: every check is counted once, in the overview as in its section
    for p in g.loaded():
        same, different, missing = g.tally(p)
        assert same + different + missing == len(p.checks)
