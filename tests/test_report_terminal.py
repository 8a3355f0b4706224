"""Issue 17, the terminal report as a person sees it: the CLI runs in a pseudo-terminal
(`script`) of 80 and 160 columns, colours and hyperlinks are stripped, and the text is compared
with tests/golden/ (KUBELINT_UPDATE_GOLDEN=1 rewrites those files after a reviewed change)."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from kubelint.cli import main
from kubelint.findings import Finding
from kubelint.parse.source import SourceFile
from kubelint.report import frame

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden"
CSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
OSC8 = re.compile(r"\x1b\]8;[^\x07\x1b]*(?:\x07|\x1b\\)")
ELAPSED = re.compile(r" \(\d+\.\d\ds\)$", re.M)


def in_terminal(args: list[str], columns: int, env_columns: bool = False) -> tuple[str, str]:
    """(what the terminal shows, colours and links stripped; the raw bytes as text)."""
    if shutil.which("script") is None:
        pytest.skip("util-linux `script` is not installed: no pseudo-terminal to run the CLI in")
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    env.update(PYTHONPATH=str(ROOT), KUBELINT_NO_CACHE="1", TERM="xterm-256color")
    # The shell sets COLUMNS itself after stty (checkwinsize): `env` says what kubelint sees.
    if env_columns:  # COLUMNS must win over the terminal's own size
        size, columns_env = "stty cols 200 rows 50", [f"COLUMNS={columns}"]
    else:
        size, columns_env = f"stty cols {columns} rows 50", ["-u", "COLUMNS"]
    cli = ["env", *columns_env, sys.executable, "-m", "kubelint", "check", *args]
    command = f"{size}; exec {shlex.join(cli)}"
    # No stdin: `script` forwards its input to the terminal, so the test's own stdin must not leak in.
    proc = subprocess.run(["script", "-qefc", command, "/dev/null"], cwd=ROOT, env=env, stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=120)
    raw = proc.stdout.decode("utf-8", "replace").replace("\r\n", "\n")
    return ELAPSED.sub(" (N.NNs)", OSC8.sub("", CSI.sub("", raw))), raw


def compare(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("KUBELINT_UPDATE_GOLDEN"):
        path.write_text(text)
    assert text == path.read_text(), f"{name} changed: review, then KUBELINT_UPDATE_GOLDEN=1"


@pytest.mark.parametrize("columns", [80, 160])
@pytest.mark.parametrize("fmt", ["full", "concise"])
def test_examples_in_a_terminal(fmt, columns):
    text, raw = in_terminal(["examples", "--no-progress", "--output-format", fmt], columns)
    compare(f"examples-{fmt}-{columns}.txt", text)
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= columns
    assert lines[-2:] == ["13 findings (2 errors, 11 warnings) in 5 files, 4 objects (N.NNs)",
                          "[*] 1 fixable with --fix"]
    assert "\x1b[" in raw  # a terminal gets colours
    # Rule ids link to their docs (OSC 8); terminals without hyperlinks show the text alone.
    assert "\x1b]8;id=" in raw and "docs/rules.md#latest-tag\x1b\\" in raw


def test_columns_wins_over_the_terminal_size():
    text, _ = in_terminal(["examples", "--no-progress"], 80, env_columns=True)
    assert max(len(line) for line in text.splitlines()) <= 80
    assert text == (GOLDEN / "examples-full-80.txt").read_text()


def test_one_frame_per_line_help_and_docs_once_per_rule(capsys):
    code = main(["check", "examples", "--format", "rich", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 1
    # Two rules on line 19 of deployment.yaml share one frame; that line is quoted once.
    deployment = out.split("examples/k8s/deployment.yaml:", 1)[1].split("examples/k8s/hello.yaml:", 1)[0]
    assert len(re.findall(r"^  19 \| ", deployment, re.M)) == 1
    frame_19 = out.split("examples/k8s/deployment.yaml:19:11  Deployment/default/nginx-deployment\n")[1]
    assert frame_19.index("warning[missing-limits]: container 'nginx'") < frame_19.index(
        "warning[missing-requests]: container 'nginx'")
    # missing-limits appears twice, its help and docs once.
    assert out.count("[missing-limits]") == 2
    assert out.count("docs/rules.md#missing-limits") == 1
    assert out.count("help: Set `resources.limits.memory`") == 1
    # Related places are notes with file:line.
    assert "    note: examples/k8s/deployment.yaml:15: Deployment 'nginx-deployment': closest labels\n" in out
    # No per-rule table unless --statistics.
    assert "count" not in out.splitlines()[-3]


def test_no_show_source(capsys):
    main(["check", "examples", "--format", "rich", "--no-show-source"])
    out = capsys.readouterr().out
    assert " | " not in out
    assert "examples/k8s/deployment.yaml:29:18  Deployment/default/nginx-deployment\n  warning[latest-tag]" in out


def test_concise_without_a_terminal_is_one_line_per_finding(capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    main(["check", "examples", "--format", "rich", "--output-format", "concise", "-q"])
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 13
    # The one finding --fix would fix is marked, as ruff marks them.
    assert [line.split(" ", 3)[2:3] for line in lines if " [*] " in line] == [["[add-instead-of-copy]"]]
    assert lines[0] == ("examples/app/Dockerfile:2:6: warning [base-image-eol] base image 'python:2.7-slim' "
                        "is end-of-life: Python 2 (end of support 2020-01-01); move to a supported version")


def test_fixable_findings_are_marked_described_once_and_counted(capsys):
    code = main(["check", "examples", "--format", "rich", "--no-progress", "--extend-select", "security"])
    out = capsys.readouterr().out
    assert code == 1
    lines = out.splitlines()
    # Safe fixes are marked [*]; unsafe ones are not (--fix would not apply them) but counted.
    assert "  warning[add-instead-of-copy] [*]: ADD of local files (.): use COPY" in out
    assert "  warning[privilege-escalation]: container 'nginx'" in out
    assert lines[-1] == "[*] 1 fixable with --fix (13 more with --unsafe-fixes)"
    # Each rule's fix is described the first time, with what it takes.
    assert out.count("fix (unsafe, --fix --unsafe-fixes): Sets securityContext.allowPrivilegeEscalation: false") == 1
    assert out.count("    fix (safe, --fix): Writes COPY for an ADD") == 1

    main(["check", "examples", "--format", "rich", "--no-progress", "--extend-select", "security",
          "--unsafe-fixes", "--output-format", "concise"])
    lines = capsys.readouterr().out.splitlines()
    assert lines[-1] == "[*] 14 fixable with --fix --unsafe-fixes"
    assert sum(" [*] " in line for line in lines) == 14
    assert any(line.startswith("examples/k8s/deployment.yaml:") and "warning [privilege-escalation] [*] " in line
               for line in lines)


def test_plain_reports_carry_no_fix_marks(capsys):
    main(["check", "examples", "--format", "plain", "--no-progress"])
    out = capsys.readouterr().out
    assert "[*]" not in out and "fixable" not in out


def test_without_fixes_there_is_no_fixable_line(capsys):
    main(["check", "examples", "--format", "rich", "--no-progress", "--ignore", "add-instead-of-copy"])
    assert capsys.readouterr().out.splitlines()[-1].startswith("12 findings (2 errors, 10 warnings)")


# frames ---------------------------------------------------------------------------------------


def _finding(line, column, end_line=None, end_column=None, rule="r", severity="warning"):
    return Finding(rule, severity, "m", "f.yaml", line, column, end_line, end_column)


SOURCE = SourceFile("f.yaml", "f.yaml", "".join(f"line{n}: {'x' * n}\n" for n in range(1, 31)), "yaml")


def test_a_span_ending_at_the_next_items_indentation_ends_on_the_line_before():
    text = "a:\n  - name: x\n    image: y\n  - name: z\n"
    source = SourceFile("f.yaml", "f.yaml", text, "yaml")
    assert frame.span_of(_finding(2, 5, 4, 3), source) == frame.Span(2, 5, 3, None)
    assert frame.span_of(_finding(2, 5, 2, 9), source) == frame.Span(2, 5, 2, 9)


def test_long_spans_show_their_head_a_gap_and_their_last_line():
    rows = frame.build([_finding(10, 1, 20, 3)], SOURCE)
    shown = [(r.kind, r.number, r.in_span) for r in rows]
    assert shown == [("source", 9, False), ("source", 10, True), ("mark", None, False),
                     ("source", 11, True), ("source", 12, True), ("source", 13, True),
                     ("gap", None, True), ("source", 20, True), ("source", 21, False)]
    assert rows[6].text == "6 more lines"


def test_several_spans_on_one_line_each_get_a_mark_row_with_the_worst_severity():
    rows = frame.build([_finding(3, 1, 3, 6, "a"), _finding(3, 1, 3, 6, "b", "error"),
                        _finding(3, 8, 3, 9, "c", "info")], SOURCE)
    marks = [(r.marks, r.labels) for r in rows if r.kind == "mark"]
    assert marks == [(((0, 5, "error"),), ("a", "b")), (((7, 8, "info"),), ("c",))]


def test_control_characters_keep_the_marks_under_their_columns():
    source = SourceFile("D", "D", 'RUN echo "\x1b[2J" && apt-get install x\n', "dockerfile")
    rows = frame.build([_finding(1, 20, 1, 27)], source)
    assert rows[0].text == 'RUN echo "\\x1b[2J" && apt-get install x'
    assert rows[1].marks[0][:2] == (rows[0].text.index("apt-get"), rows[0].text.index("apt-get") + 7)


def test_long_lines_are_cut_keeping_the_mark_in_view(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("COLUMNS", "60")
    long_args = ", ".join(f'"arg{i}"' for i in range(30))
    (tmp_path / "p.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        f"    - name: c\n      args: [{long_args}]\n      image: nginx\n")
    (tmp_path / "q.yaml").write_text(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: q\nspec:\n  containers:\n"
        f"    - {{name: c, args: [{long_args}], image: nginx}}\n")
    main(["check", ".", "--format", "rich", "--select", "latest-tag"])
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 60
    quoted = next(i for i, line in enumerate(lines) if line.startswith("  7 | "))
    assert lines[quoted].endswith("image: nginx}") and "…" in lines[quoted]
    assert lines[quoted + 1].index("^") == lines[quoted].index("nginx")
    assert next(line for line in lines if line.startswith("  8 | ")).endswith("…")
