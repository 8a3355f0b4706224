"""User regexes (custom rules' conditions, params with `format: regex`, static-pod globs) cannot
hang a run: RE2 runs them in linear time, and without it a pattern that could backtrack
exponentially is refused when loaded. Counts and messages only; no timing is asserted (the
benchmark, benchmarks/adversarial.py, times the same inputs)."""

from __future__ import annotations

import pytest
from adversarial import generators as gen

from kubelint.api import lint_text
from kubelint.cli import main
from kubelint.ruleapi import regex
from kubelint.ruleapi.regex import UserRegexError, backtracking_risk, compile_user, have_re2

needs_re2 = pytest.mark.skipif(not have_re2(), reason="google-re2 is not installed")


@needs_re2
def test_catastrophic_pattern_runs_on_re2_over_a_long_value():
    rx = compile_user("^(a+)+$")
    assert rx.engine == "re2"
    value = "a" * 100_000 + "b"
    assert (rx.search(value), rx.search("aaa"), rx.fullmatch("aa"), rx.fullmatch("ab")) == (False, True, True, False)


@needs_re2
def test_custom_rule_with_catastrophic_regex_lints_a_long_value(tmp_path):
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "no-aaa-names.yaml").write_text(gen.backtracking_regex_rule())
    text = gen.long_a_value(100_000)
    assert lint_text(text, select=["no-aaa-names"], rules_dirs=[str(rules)]) == []
    found = lint_text(text.replace("ab\n", "a\n"), select=["no-aaa-names"], rules_dirs=[str(rules)])
    assert [(f.rule, f.line, f.column) for f in found] == [("no-aaa-names", 7, 11)]


@pytest.mark.parametrize("use_re2", [True, False])
def test_lone_surrogates_in_the_text_are_one_unnamed_character(use_re2):
    # Undecodable file names and YAML `"\\udcff"` escapes hold lone surrogates, which RE2's
    # UTF-8 encoding refused with UnicodeEncodeError.
    rx = compile_user("^a.b$", use_re2=use_re2)
    assert (rx.search("a\udcffb"), rx.fullmatch("a\udcff\udcffb")) == (True, False)
    assert compile_user("x", use_re2=use_re2).search("\ud800x") is True


@pytest.mark.parametrize("use_re2", [True, False])
def test_search_results_are_remembered_within_bounds(use_re2):
    rx = compile_user(":latest$", use_re2=use_re2)
    assert [rx.search(t) for t in ("nginx:latest", "nginx", "nginx:latest", "nginx")] == [True, False, True, False]
    assert rx._searched == {"nginx:latest": True, "nginx": False}
    long = "x" * (regex.MEMO_TEXT + 1) + ":latest"
    assert rx.search(long) is True and long not in rx._searched
    rx = compile_user(":latest$", use_re2=use_re2)
    for i in range(regex.MEMO_ENTRIES + 10):  # full: emptied, then filled again
        rx.search(f"img{i}")
    assert len(rx._searched) == 10
    assert rx.search("img0:latest") is True


@pytest.mark.parametrize("pattern,problem", [
    ("^(a+)+$", "a repetition inside a repetition"),
    (r"(\w*\s?)*x", "a repetition inside a repetition"),
    ("(a|ab)*c", "alternatives inside a repetition"),
    ("(?:x(a*)){2,}", "a repetition inside a repetition"),
])
def test_backtracking_shapes_are_refused_on_pythons_engine(pattern, problem):
    assert backtracking_risk(pattern) == problem
    with pytest.raises(UserRegexError) as raised:
        compile_user(pattern, use_re2=False)
    assert raised.value.risky and str(raised.value).startswith(problem + ": such a pattern can take exponential time")


@pytest.mark.parametrize("pattern", [":latest$", "^/(dev|proc|sys)(/|$)", r"(?<!\.)example\.com", "[a-z]+(-[a-z]){0,3}",
                                     "(ab)+c", "^(?:[a-z0-9]+)$"])
def test_linear_shapes_run_on_pythons_engine(pattern):
    assert backtracking_risk(pattern) is None
    assert compile_user(pattern, use_re2=False).engine == "re"


def test_lookaround_with_nested_repetition_is_refused_even_with_re2():
    # RE2 has no lookahead, so the pattern would run on Python's engine: refused
    with pytest.raises(UserRegexError) as raised:
        compile_user("^(?=x)(a+)+$")
    assert raised.value.risky


def test_invalid_pattern_is_invalid_not_risky():
    with pytest.raises(UserRegexError) as raised:
        compile_user("^/(dev")
    assert not raised.value.risky and raised.value.verdict == "not a valid regular expression"


def test_bundled_rules_patterns_are_trusted():
    from kubelint.engine.loader import load_rules

    pattern = load_rules()["invalid-label-value"].params["invalid-key"]
    assert backtracking_risk(pattern) == "a repetition inside a repetition"  # safe: separated by dots
    assert compile_user(pattern).engine == "re"  # lookaheads: not RE2; trusted as kubelint's own


def test_risky_param_value_is_a_config_error(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pod.yaml").write_text(gen.POD_HEAD)
    (tmp_path / ".kubelint.yaml").write_text("params:\n  host-path-volume:\n    system-paths: '^(?!/ok)(/+a*)*$'\n")
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--format", "plain", "pod.yaml"])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert err.strip() == (
        "kubelint: error: .kubelint.yaml:3:19: params.host-path-volume.system-paths: '^(?!/ok)(/+a*)*$' is not "
        "a safe regular expression: a repetition inside a repetition: such a pattern can take exponential "
        "time on a crafted value, and kubelint runs it on untrusted input (RE2 cannot take this pattern "
        "either); rewrite it without the nested repetition")
