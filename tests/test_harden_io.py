"""Issue 11: file names that are not UTF-8, atomic --output, --output refusing to replace an
input, and the exit code surviving a closed pipe."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kubelint.cli import main

ROOT = Path(__file__).resolve().parents[1]
POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n"
       "    - name: c\n      image: nginx:latest\n")
BAD_NAME = os.fsdecode(b"bad\xff.yaml")


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def cli(*args, cwd, **kwargs):
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "kubelint", *args], cwd=cwd, env=env,
                          capture_output=True, **kwargs)


@pytest.fixture
def bad_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / BAD_NAME).write_text(POD.format(name="p"))
    return tmp_path


@pytest.mark.parametrize("fmt", ["json", "sarif", "junit", "plain"])
def test_undecodable_file_name_in_output_file(bad_name, capsys, fmt):
    code, out, err = run(capsys, "check", ".", "--select", "latest-tag", "--format", fmt, "-o", f"r.{fmt}")
    assert (code, err) == (1, "")
    data = (bad_name / f"r.{fmt}").read_bytes().decode("utf-8")  # valid UTF-8
    if fmt == "json":
        assert json.loads(data)["findings"][0]["file"] == "bad\\xff.yaml"
    elif fmt == "sarif":
        location = json.loads(data)["runs"][0]["results"][0]["locations"][0]
        assert location["physicalLocation"]["artifactLocation"]["uri"] == "bad%5Cxff.yaml"
    elif fmt == "junit":
        assert ET.fromstring(data.encode()).find("testsuite").get("name") == "bad\\xff.yaml"
    else:
        assert data.startswith("bad\\xff.yaml:8:14: warning [latest-tag]")


@pytest.mark.parametrize("fmt", ["json", "junit"])
def test_undecodable_file_name_on_stdout(bad_name, fmt):
    result = cli("check", ".", "--select", "latest-tag", "--format", fmt, cwd=bad_name)
    assert (result.returncode, result.stderr) == (1, b"")
    text = result.stdout.decode("utf-8")  # valid UTF-8
    if fmt == "json":
        assert json.loads(text)["findings"][0]["file"] == "bad\\xff.yaml"
    else:
        ET.fromstring(result.stdout)


def test_undecodable_file_name_with_all_rules(bad_name, capsys):
    # The static-pod globs ran on RE2, which cannot encode the name's lone surrogate: every file
    # of such a name got an internal error from cross-secrets (exit 2).
    code, out, err = run(capsys, "check", ".", "--format", "json")
    findings = json.loads(out)["findings"]
    assert (code, err) == (1, "")
    assert sorted(f["rule"] for f in findings) == ["latest-tag", "missing-limits", "missing-requests"]


def test_failed_report_keeps_the_previous_file(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(POD.format(name="p"))
    (tmp_path / "report.json").write_text("previous\n")

    def broken(report, stream):
        stream.write('{"half": ')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("kubelint.report.json_report.render_json", broken)
    code, _, err = run(capsys, "check", "a.yaml", "--format", "json", "-o", "report.json")
    assert code == 2
    assert err == "kubelint: error: cannot write report.json: No space left on device\n"
    assert (tmp_path / "report.json").read_text() == "previous\n"
    assert sorted(os.listdir(tmp_path)) == ["a.yaml", "report.json"]  # no temporary file left


def test_output_replaces_the_file_and_keeps_its_mode(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(POD.format(name="p"))
    (tmp_path / "r.txt").write_text("old\n")
    os.chmod(tmp_path / "r.txt", 0o640)
    code, _, _ = run(capsys, "check", "a.yaml", "--select", "latest-tag", "--format", "plain", "-o", "r.txt")
    assert code == 1
    assert (tmp_path / "r.txt").read_text().startswith("a.yaml:8:14: warning [latest-tag]")
    assert (tmp_path / "r.txt").stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["a.yaml", "r.txt"]


def test_output_into_a_missing_directory_is_a_clear_error(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(POD.format(name="p"))
    code, _, err = run(capsys, "check", "a.yaml", "-o", "nope/r.txt")
    assert code == 2
    assert err == "kubelint: error: cannot write nope/r.txt: No such file or directory\n"


@pytest.mark.parametrize("what", ["linted", "linted-in-dir", "symlink", "config", "baseline"])
def test_output_refuses_to_overwrite_an_input(tmp_path, monkeypatch, capsys, what):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "a.yaml").write_text(POD.format(name="p"))
    (tmp_path / ".git").mkdir()
    (tmp_path / ".kubelint.yaml").write_text("baseline: base.json\n")
    code, _, _ = run(capsys, "check", "k8s", "--write-baseline", "base.json")
    assert code == 0
    target, args, label = {
        "linted": ("k8s/a.yaml", ["k8s/a.yaml"], "a file being linted"),
        "linted-in-dir": ("k8s/a.yaml", ["k8s"], "a file being linted"),
        "symlink": ("link.txt", ["k8s"], "a file being linted"),
        "config": (".kubelint.yaml", ["k8s"], "the config file"),
        "baseline": ("base.json", ["k8s"], "the baseline"),
    }[what]
    if what == "symlink":
        os.symlink("k8s/a.yaml", "link.txt")
    before = {p: (tmp_path / p).read_bytes() for p in ("k8s/a.yaml", ".kubelint.yaml", "base.json")}
    code, out, err = run(capsys, "check", *args, "--format", "json", "-o", target)
    assert code == 2
    assert err == f"kubelint: error: --output {target} is {label}: refusing to overwrite it\n"
    assert {p: (tmp_path / p).read_bytes() for p in before} == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("through_symlink", [False, True])
def test_output_to_a_pipe_or_device_is_written_in_place(tmp_path, monkeypatch, capsys, through_symlink):
    """`-o /dev/null`, `-o /dev/stdout`, a FIFO: written to, never renamed over (as root, the
    rename of a finished report put a regular file where /dev/null was)."""
    import stat
    import threading

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(POD.format(name="p"))
    os.mkfifo("pipe")
    if through_symlink:
        os.symlink("pipe", "link")
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(Path("pipe").read_bytes()), daemon=True)
    reader.start()
    code, _, err = run(capsys, "check", "a.yaml", "--select", "latest-tag", "--format", "plain",
                       "-o", "link" if through_symlink else "pipe")
    reader.join(timeout=30)
    assert code == 1 and err == ""
    assert received and received[0].decode().startswith("a.yaml:8:14: warning [latest-tag]")
    assert stat.S_ISFIFO(os.stat("pipe").st_mode)
    assert os.path.islink("link") == through_symlink
    assert sorted(os.listdir(tmp_path)) == sorted(["a.yaml", "pipe"] + (["link"] if through_symlink else []))


def test_exit_code_survives_a_closed_pipe(tmp_path):
    for i in range(300):  # far more output than a pipe buffer holds
        (tmp_path / f"p{i}.yaml").write_text(POD.format(name=f"p{i}"))
    for fmt in ("plain", "json", "rich"):
        env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
        proc = subprocess.Popen([sys.executable, "-m", "kubelint", "check", ".", "--format", fmt],
                                cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdout.close()  # the reader is gone before kubelint writes a byte
        err = proc.stderr.read()
        assert proc.wait() == 1, fmt
        assert err == b"", fmt


def test_closed_pipe_with_nothing_to_report_still_exits_0(tmp_path):
    (tmp_path / "ok.yaml").write_text("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n")
    env = dict(os.environ, PYTHONPATH=str(ROOT), NO_COLOR="1")
    proc = subprocess.Popen([sys.executable, "-m", "kubelint", "check", ".", "--format", "plain"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    assert (proc.wait(), proc.stderr.read()) == (0, b"")


# --- bounded reads: stdin and --baseline --------------------------------------------------------


def test_stdin_has_the_file_size_limit(tmp_path, monkeypatch, capsys):
    import io

    monkeypatch.setattr("kubelint.runner.MAX_BYTES", 1024 * 1024)
    data = POD.format(name="p").encode() + b"#" * (1024 * 1024)
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, out, err = run(capsys, "check", "-", "--format", "plain", "--stdin-filename", "big.yaml")
    assert (code, err) == (1, "")
    assert out.splitlines()[0] == ("big.yaml:1:1: error [file-unreadable] standard input is larger "
                                   "than 1 MB; not linted")


@pytest.fixture
def linted(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.yaml").write_text(POD.format(name="p"))
    return tmp_path


@pytest.mark.parametrize("kind, message", [
    ("fifo", "cannot read baseline base.json: not a regular file (FIFO, socket or device)"),
    ("device", "cannot read baseline /dev/zero: not a regular file (FIFO, socket or device)"),
    ("directory", "cannot read baseline base.json: it is a directory"),
    ("large", "cannot read baseline base.json: larger than 64 MB"),
    ("latin1", "base.json: not a kubelint baseline: not UTF-8 (byte 0xe9 at offset 2)"),
    ("deep", "base.json: not a kubelint baseline: nested too deeply"),
])
def test_bad_baselines_are_clear_errors(linted, capsys, kind, message):
    path = "base.json"
    if kind == "fifo":
        os.mkfifo(path)
    elif kind == "device":
        path = "/dev/zero"
    elif kind == "directory":
        os.mkdir(path)
    elif kind == "large":
        with open(path, "wb") as fh:  # sparse: 64 MB + 1 byte without writing them
            fh.truncate(64 * 1024 * 1024 + 1)
    elif kind == "latin1":
        Path(path).write_bytes(b'{"\xe9": 1}')
    elif kind == "deep":
        Path(path).write_text("[" * 200_000 + "]" * 200_000)
    code, out, err = run(capsys, "check", "a.yaml", "--baseline", path)
    assert (code, out) == (2, "")
    assert err == f"kubelint: error: {message}\n"
