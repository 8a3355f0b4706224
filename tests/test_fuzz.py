"""Property-based fuzzing (issue 11, "Tests that keep it so"): YAML manifests, Dockerfiles,
config files and command lines that hypothesis derives from the rules' own examples by splicing
in hostile fragments (control characters, template markers, aliases, huge numbers, odd line
breaks, suppression comments...). Whatever the input:

- the run ends with exit 0 or 1 (2 only for a config the user got wrong), never an internal
  error or a traceback;
- JSON, SARIF and JUnit reports parse, and text reports carry no raw control character;
- every position lies within the file (1 <= line <= lines + 1, 1 <= column, end after start);
- the findings are the same with `--jobs 1` and the default.

Derandomized with bounded example counts, so CI runs the same cases each time in about a
minute; a failure prints the input that caused it (hypothesis shrinks it first).
"""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from kubelint.cli import build_parser, main
from kubelint.engine.loader import load_rules
from kubelint.findings import INTERNAL_ERROR
from kubelint.pipeline import Settings, Text, lint
from kubelint.report import render

ROOT = Path(__file__).resolve().parents[1]
RULES = load_rules()


def _examples(kind: str) -> list[str]:
    texts = []
    for rule in RULES.values():
        if rule.example_type != kind:
            continue
        for example in rule.examples.get("bad", []) + rule.examples.get("good", []):
            if isinstance(example, str):
                texts.append(example)
    return sorted(set(texts))


YAML_SEEDS = _examples("yaml")
DOCKER_SEEDS = _examples("dockerfile")

# What an attacker or an unlucky editor puts into a file.
COMMON_FRAGMENTS = [
    "\x00", "\x07", "\x1b]0;t\x07", "\x1b[31m", "\x7f", "\x85", "\x9b", "\u2028", "\u2029", "\x0c",
    "\ufeff", "\t", "\r", "\r\n", "\n", " ", "\\", "\\\n", "'", '"', "#", "é", "💥",
    "9" * 400, "0x" + "f" * 300, "-1", "1e400", ".nan", ".inf", "~", "null",
    "{{ .Values.x }}", "{{- end }}", "${VAR}", "$(cmd)",
]
YAML_FRAGMENTS = COMMON_FRAGMENTS + [
    "---\n", "...\n", ": ", "- ", "? ", "&a ", "*a", "<<: *a\n", "!!binary ", "!custom ", "[", "]",
    "{", "}", ",", "|\n", ">-\n", "%YAML 1.1\n", "# kubelint: ignore=security\n",
    "# kubelint: ignore\n", "# kubelint: ignore-file\n", "  ", "      ", "privileged: true\n",
    "hostNetwork: true\n", "image: nginx\n", "name: \"c\\r\\n::error file=x,line=1::x\"\n",
    "kind: List\nitems:\n", "apiVersion: v1\nkind: Pod\n", "memory: 1e999Gi\n", "replicas: .nan\n",
]
DOCKER_FRAGMENTS = COMMON_FRAGMENTS + [
    "FROM ", "FROM scratch\n", "FROM alpine AS b\n", "RUN ", "RUN <<EOF\necho\nEOF\n", "<<EOF", "EOF\n",
    "ENV A=$A$A\n", "ARG A=1\n", "USER root\n", "COPY --from=b / /\n", " && ", " \\\n", ";", "|", "`",
    "# syntax=docker/dockerfile:1\n", "# escape=`\n", "# kubelint: ignore\n", "ONBUILD ", "HEALTHCHECK NONE\n",
    "CMD [\"a\", ", "]", "${A:-x}", "${A:+$B}", "apt-get install curl", "sudo ", "curl | sh",
]

# Anything a terminal or a CI runner would act on (C0 but tab and newline, DEL, C1).
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# KUBELINT_FUZZ_SCALE=20 runs twenty times the examples, randomly, for a longer local hunt.
SCALE = int(os.environ.get("KUBELINT_FUZZ_SCALE", "1"))
SETTINGS = settings(max_examples=150 * SCALE, deadline=None, derandomize=SCALE == 1, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def spliced(draw, seeds: list[str], fragments: list[str]) -> str:
    """A seed with up to six edits: a fragment inserted or replacing a span, or a span deleted.
    Seeds are joined now and then, so that files hold several documents or stages."""
    text = draw(st.sampled_from(seeds))
    if draw(st.integers(0, 3)) == 0:
        text += ("---\n" if "apiVersion" in text else "") + draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(0, 6))):
        at = draw(st.integers(0, len(text)))
        span = draw(st.integers(0, 12))
        op = draw(st.sampled_from(["insert", "replace", "delete", "repeat"]))
        fragment = draw(st.sampled_from(fragments) | st.text(max_size=6))
        if op == "insert":
            text = text[:at] + fragment + text[at:]
        elif op == "replace":
            text = text[:at] + fragment + text[at + span:]
        elif op == "delete":
            text = text[:at] + text[at + span:]
        else:  # a line repeated: duplicate keys, long files, deep indentation
            start = text.rfind("\n", 0, at) + 1
            end = text.find("\n", at)
            line = text[start:end + 1 if end >= 0 else len(text)]
            text = text[:start] + line * draw(st.integers(2, 30)) + text[start:]
    return text


def _line_count(text: str) -> int:
    # The most line breaks any parser may see (YAML counts NEL and U+2028 too; BuildKit only
    # \n, \r\n and \r): the bound for a position's line.
    return len(text.splitlines()) or 1


def check_positions(findings, lines_of: dict[str, int], widest: dict[str, int]) -> None:
    for f in findings:
        where = f"{f.rule} at {f.file}:{f.line}:{f.column}"
        assert f.file in lines_of, where
        assert 1 <= f.line <= lines_of[f.file] + 1, where
        assert 1 <= f.column <= widest[f.file] + 1, where
        if f.end_line is not None:
            assert f.line <= f.end_line <= lines_of[f.file] + 1, where
            if f.end_line == f.line and f.end_column is not None:
                assert f.end_column >= f.column, where
        for r in f.related:
            if getattr(r, "file", None) in lines_of and getattr(r, "line", None) is not None:
                assert 1 <= r.line <= lines_of[r.file] + 1, f"{where}: related {r}"


def check_report(result, fmt: str) -> str:
    """Render `result` in `fmt` and check that it parses (machine formats) or carries no raw
    control character (text formats)."""
    stream = io.StringIO()
    render(result.report(), fmt, stream)
    out = stream.getvalue()
    out.encode("utf-8")  # no lone surrogate reaches a report
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif fmt == "junit":
        ET.fromstring(out.encode("utf-8"))
    else:
        assert not RAW_CONTROL.search(out), out
    return out


BASE = Settings.load(isolated=True)
FORMATS = ["json", "sarif", "junit", "plain", "github", "gitlab", "rich"]


def lint_one(text: str, name: str):
    result = lint([Text(text, name)], BASE)
    internal = [f for f in result.findings if f.rule == INTERNAL_ERROR]
    assert not internal, internal[0].message
    assert result.exit_code in (0, 1)
    widest = max(map(len, re.split("\r\n|\r|\n", text)))  # columns count characters of a line
    check_positions(result.findings + result.suppressed, {name: _line_count(text)}, {name: widest})
    return result


@SETTINGS
@given(text=spliced(YAML_SEEDS, YAML_FRAGMENTS), fmt=st.sampled_from(FORMATS))
def test_yaml_inputs(text, fmt):
    check_report(lint_one(text, "manifest.yaml"), fmt)


@SETTINGS
@given(text=spliced(DOCKER_SEEDS, DOCKER_FRAGMENTS), fmt=st.sampled_from(FORMATS))
def test_dockerfile_inputs(text, fmt):
    check_report(lint_one(text, "Dockerfile"), fmt)


# --- config files and command lines, through kubelint.cli.main in a temporary directory ---

CONFIG_KEYS = ["select", "ignore", "extend-select", "severity", "fail-on", "exclude", "extend-exclude",
               "per-file-ignores", "rules", "params", "profile", "kubernetes-version", "format",
               "allow-inline-ignores", "rules-dir", "baseline", "schema", "crds", "unknown-key"]
RULE_IDS = sorted(RULES)[:40] + ["security", "all", "no-such-rule", "*", ""]
CONFIG_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 10**30) | st.sampled_from(
        RULE_IDS + ["error", "warning", "info", "none", "1.30", "v1.99", "**/*.yaml", "[", "\x07", "../x"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(RULE_IDS + ["severity", "params", "max", "allowed"]), inner, max_size=3),
    max_leaves=8)


def _dump_config(data: dict) -> str:
    import yaml

    return yaml.safe_dump(data, allow_unicode=True)


SOME_RULES = st.lists(st.sampled_from(sorted(RULES)), max_size=3)
# Settings of the right shape with odd values: most of these configs load.
WELL_FORMED = st.fixed_dictionaries({}, optional={
    "select": SOME_RULES, "ignore": SOME_RULES, "fail-on": st.sampled_from(["error", "warning", "info", "never"]),
    "severity": st.dictionaries(st.sampled_from(sorted(RULES)), st.sampled_from(["error", "warning", "info", "off"]),
                                max_size=2),
    "exclude": st.lists(st.sampled_from(["k8s", "*.yaml", "**/web.yaml", "Dockerfile", "[", ""]), max_size=2),
    "per-file-ignores": st.dictionaries(st.sampled_from(["k8s/*", "Dockerfile", "*"]), SOME_RULES, max_size=2),
    "kubernetes-version": st.sampled_from(["1.25", "1.30", "1.99", "v1.29", "2"]),
    "allow-inline-ignores": st.booleans(),
})


@st.composite
def config_texts(draw) -> str:
    data = draw(WELL_FORMED if draw(st.booleans()) else
                st.dictionaries(st.sampled_from(CONFIG_KEYS), CONFIG_VALUES, max_size=4))
    text = _dump_config(data)
    if draw(st.integers(0, 4)) == 0:  # and now and then text that is not YAML of that shape
        text = draw(spliced([text or "{}\n"], YAML_FRAGMENTS))
    return text


WORKLOAD = ("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n"
            "    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n"
            "    spec:\n      containers:\n      - name: c\n        image: nginx\n"
            "        securityContext: {privileged: true}\n")
DOCKERFILE = "FROM ubuntu AS build\nRUN apt-get install curl\nFROM scratch\nCOPY --from=build / /\n"


def parse_report(out: str, fmt: str) -> list[str]:
    """The rule ids of a report's findings; the report must parse."""
    if fmt == "json":
        return [f["rule"] for f in json.loads(out)["findings"]]
    if fmt == "sarif":
        return [r["ruleId"] for run in json.loads(out)["runs"] for r in run["results"]]
    if fmt == "junit":
        root = ET.fromstring(out.encode("utf-8"))
        # message="[rule] text"
        return [e.get("message", "")[1:].split("]")[0] for e in root.iter() if e.tag == "failure"]
    assert not RAW_CONTROL.search(out), out
    return [INTERNAL_ERROR] if "a bug in kubelint" in out else []


def run_cli(args: list[str], cwd: Path) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        with redirect_stdout(out), redirect_stderr(err):
            try:
                code = main(args)
            except SystemExit as exc:  # argparse's --help or usage errors
                code = exc.code if isinstance(exc.code, int) else 2
    finally:
        os.chdir(old)
    return code, out.getvalue(), err.getvalue()


def _tree(root: Path) -> None:
    (root / "k8s").mkdir()
    (root / "k8s" / "web.yaml").write_text(WORKLOAD)
    (root / "Dockerfile").write_text(DOCKERFILE)


@settings(SETTINGS, max_examples=80 * SCALE)
@given(config=config_texts(), fmt=st.sampled_from(["json", "sarif", "junit", "plain"]))
def test_config_files(config, fmt):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()  # discovery stops here
        _tree(root)
        (root / ".kubelint.yaml").write_text(config)
        code, out, err = run_cli(["check", ".", "--no-progress", "--format", fmt], root)
    # --hypothesis-show-statistics: how many configs were accepted, and why the others were not
    event(f"exit {code} {err[:60]}" if code == 2 else f"exit {code}")
    assert "Traceback" not in err and "a bug in kubelint" not in err, err
    assert code in (0, 1, 2), (code, err)
    if code == 2:  # a config error: one clear line, no report
        assert err.startswith("kubelint: error:") or "usage:" in err, err
    else:
        assert err == "" or "warning" in err, err
        assert INTERNAL_ERROR not in parse_report(out, fmt), out


FLAGS = st.lists(st.sampled_from([
    ["--select", "security"], ["--select", "latest-tag,privileged-container"], ["--ignore", "latest-tag"],
    ["--fail-on", "error"], ["--fail-on", "info"], ["--fail-on", "never"], ["--severity", "latest-tag=info"],
    ["--exclude", "k8s"], ["--force-exclude"], ["--target", "build"], ["--show-suppressed"],
    ["--statistics"], ["--quiet"], ["--kubernetes-version", "1.25"], ["--type", "yaml"],
    ["--follow-symlinks"], ["--format", "json"], ["--format", "sarif"], ["--format", "junit"],
    ["--format", "github"], ["--format", "gnu"], ["--diff"], ["--no-color"],
]), max_size=4)


def _known_flags() -> set[str]:
    check = next(a for a in build_parser()._subparsers._group_actions[0].choices.items() if a[0] == "check")[1]
    return {s for action in check._actions for s in action.option_strings}


KNOWN_FLAGS = _known_flags()


@settings(SETTINGS, max_examples=60 * SCALE)
@given(flags=FLAGS, paths=st.sampled_from([["."], ["k8s/web.yaml"], ["Dockerfile"], ["k8s", "./k8s/web.yaml"]]))
def test_command_lines(flags, paths):
    args = ["check", *paths, "--no-progress"]
    for flag in flags:
        if flag[0] in KNOWN_FLAGS:
            args += flag
    formats = [a for a in args if a in ("json", "sarif", "junit")]
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        _tree(root)
        code, out, err = run_cli(args, root)
    event(f"exit {code} {err[:70]}" if code == 2 else f"exit {code}")
    assert "Traceback" not in err and "a bug in kubelint" not in err, err
    # 2 only for a usage error the flags make (a --target no Dockerfile has, repeated --format).
    assert code in (0, 1) or (code == 2 and err.startswith(("kubelint: error:", "usage:"))), (args, code, err)
    if code == 2 or "--diff" in args:  # --diff prints a unified diff whatever the format
        return
    fmt = [a for i, a in enumerate(args) if i and args[i - 1] == "--format"][-1] if formats else "plain"
    if "--statistics" in args:  # a table of counts per rule instead of findings
        if fmt in ("json", "sarif"):
            json.loads(out)
        return
    assert INTERNAL_ERROR not in parse_report(out, fmt), out


# --- --jobs: the same findings with one worker and the default ---

HAVE_JOBS = "--jobs" in KNOWN_FLAGS


@pytest.mark.skipif(not HAVE_JOBS, reason="kubelint check has no --jobs option yet (branch cache-jobs adds it)")
@settings(SETTINGS, max_examples=8 * SCALE)
@given(texts=st.lists(spliced(YAML_SEEDS, YAML_FRAGMENTS), min_size=2, max_size=6),
       docker=spliced(DOCKER_SEEDS, DOCKER_FRAGMENTS))
def test_same_findings_with_jobs_1_and_the_default(texts, docker):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / ".git").mkdir()
        for i, text in enumerate(texts):
            (root / f"m{i}.yaml").write_text(text, encoding="utf-8", errors="surrogatepass")
        (root / "Dockerfile").write_text(docker, encoding="utf-8", errors="surrogatepass")
        one = run_cli(["check", ".", "--no-progress", "--format", "json", "--jobs", "1"], root)
        default = run_cli(["check", ".", "--no-progress", "--format", "json"], root)
        # The default is one process for a scan this small: a pool of two must agree too.
        pool = run_cli(["check", ".", "--no-progress", "--no-cache", "--format", "json", "--jobs", "2"], root)
    assert one[0] == default[0] == pool[0]
    assert json.loads(one[1])["findings"] == json.loads(default[1])["findings"] == json.loads(pool[1])["findings"]


# --- a few runs in a subprocess: the exit code and stderr a CI job sees ---

def _subprocess(args: list[str], cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "kubelint", *args], cwd=cwd, env=env, input=stdin,
                          capture_output=True, timeout=120)


@settings(SETTINGS, max_examples=4 * SCALE)
@given(text=spliced(YAML_SEEDS, YAML_FRAGMENTS), docker=spliced(DOCKER_SEEDS, DOCKER_FRAGMENTS))
def test_subprocess_exit_codes_and_no_traceback(text, docker):
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "m.yaml").write_bytes(text.encode("utf-8", "surrogatepass"))
        (root / "Dockerfile").write_bytes(docker.encode("utf-8", "surrogatepass"))
        proc = _subprocess(["check", ".", "--no-progress", "--isolated", "--format", "sarif"], root)
        piped = _subprocess(["check", "-", "--no-progress", "--isolated", "--stdin-filename", "m.yaml",
                             "--format", "junit"], root, stdin=text.encode("utf-8", "surrogatepass"))
    assert proc.returncode in (0, 1), proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr and proc.stderr == b""
    json.loads(proc.stdout)
    assert piped.returncode in (0, 1) and b"Traceback" not in piped.stderr, piped.stderr
    ET.fromstring(piped.stdout)
