"""The command line: exit codes, formats, stdin, discovery, errors without tracebacks."""

import json
import os
import subprocess
import sys

import pytest

from kubelint.cli import main

CLI = [sys.executable, "-m", "kubelint"]


def run(capsys, *args):
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_version(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("kubelint 0.")


def test_version_does_not_import_heavy_modules():
    code = "import sys; from kubelint.cli import main\n" \
           "try: main(['--version'])\nexcept SystemExit: pass\n" \
           "print(sorted(m for m in ('jsonschema', 'rich', 'ruamel.yaml') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_clean_file_exits_0(capsys, fixtures):
    code, out, _ = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--format", "plain")
    assert code == 0
    assert out.strip().endswith("0 findings in 1 file, 1 object")


def test_findings_exit_1_with_quickfix_lines(capsys, fixtures):
    path = fixtures / "cli/latest.yaml"
    code, out, _ = run(capsys, "check", str(path), "--format", "plain", "--select", "latest-tag")
    assert code == 1
    shown = os.path.relpath(path)  # paths under the current directory are shown relative to it
    assert out.splitlines()[0] == (f"{shown}:8:14: warning [latest-tag] container 'web' uses image "
                                   "'nginx:latest' with no tag or the 'latest' tag")


def test_fail_on_error_ignores_warnings(capsys, fixtures):
    code, _, _ = run(capsys, "check", str(fixtures / "cli/latest.yaml"), "--select", "latest-tag",
                     "--fail-on", "error", "--format", "plain")
    assert code == 0


def test_missing_path_exits_2_without_traceback(capsys):
    code, _, err = run(capsys, "check", "does/not/exist.yaml")
    assert code == 2
    assert err.strip() == "kubelint: error: no such file or directory: does/not/exist.yaml"


def test_bad_option_exits_2(capsys):
    code, _, err = run(capsys, "check", "--format", "xml")
    assert code == 2
    assert "invalid choice: 'xml'" in err
    assert "Traceback" not in err


def test_unknown_rule_in_select_has_a_hint(capsys, fixtures):
    code, _, err = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--select", "latest-tags")
    assert code == 2
    assert "unknown rule or category 'latest-tags' (did you mean 'latest-tag'?)" in err


def test_json_format_is_the_documented_shape(capsys, fixtures):
    code, out, _ = run(capsys, "check", str(fixtures / "cli/latest.yaml"), "--format", "json",
                       "--select", "latest-tag")
    doc = json.loads(out)
    assert code == 1 and doc["version"] == 1
    (f,) = doc["findings"]
    assert {k: f[k] for k in ("rule", "severity", "line", "column", "end_line", "end_column")} == {
        "rule": "latest-tag", "severity": "warning", "line": 8, "column": 14, "end_line": 8, "end_column": 26}
    assert f["object"] == {"apiVersion": "v1", "kind": "Pod", "namespace": "default", "name": "web"}
    assert f["remediation"].startswith("Pin the image")
    assert doc["summary"]["files"] == 1 and doc["summary"]["objects"] == 1
    assert doc["summary"]["by_severity"] == {"error": 0, "warning": 1, "info": 0}


def test_output_file(tmp_path, capsys, fixtures):
    target = tmp_path / "report.json"
    code, out, _ = run(capsys, "check", str(fixtures / "cli/latest.yaml"), "--format", "json",
                       "--output", str(target), "--select", "latest-tag")
    assert code == 1 and out == ""
    assert json.loads(target.read_text())["findings"][0]["rule"] == "latest-tag"


def test_stdin_with_filename(fixtures):
    text = (fixtures / "cli/latest.yaml").read_text()
    proc = subprocess.run(CLI + ["check", "-", "--stdin-filename", "pod.yaml", "--format", "plain",
                                 "--select", "latest-tag"], input=text, capture_output=True, text=True)
    assert proc.returncode == 1
    assert proc.stdout.startswith("pod.yaml:8:14: warning [latest-tag]")


def test_rich_format_shows_source_line_and_caret(capsys, fixtures):
    code, out, _ = run(capsys, "check", str(fixtures / "cli/latest.yaml"), "--format", "rich",
                       "--select", "latest-tag", "--no-color")
    lines = out.splitlines()
    i = next(n for n, line in enumerate(lines) if "image: nginx:latest" in line)
    assert lines[i].strip().startswith("8 |")
    caret = lines[i + 1]
    assert caret.index("^") == lines[i].index("nginx:latest")
    assert "\x1b[" not in out


def test_explicit_file_linted_whatever_its_name(tmp_path, capsys, fixtures):
    odd = tmp_path / "manifest.txt"
    odd.write_text((fixtures / "cli/latest.yaml").read_text())
    code, out, _ = run(capsys, "check", str(odd), "--format", "plain", "--select", "latest-tag")
    assert code == 1 and ":8:14: warning [latest-tag]" in out


def test_directory_walk_skips_hidden_and_vendored_and_excluded(tmp_path, capsys, fixtures):
    bad = (fixtures / "cli/latest.yaml").read_text()
    for rel in (".git/x.yaml", ".hidden/x.yaml", "node_modules/x.yaml", "vendor/x.yaml",
                "generated/x.yaml", "app/deploy.yml", "app/notes.txt"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(bad)
    code, out, _ = run(capsys, "check", str(tmp_path), "--format", "plain", "--select", "latest-tag",
                       "--exclude", "generated")
    files = {line.split(":")[0] for line in out.splitlines() if "[latest-tag]" in line}
    assert files == {str(tmp_path / "app/deploy.yml")}


def test_fifo_symlink_loop_and_directory_named_yaml(tmp_path, capsys, fixtures):
    os.mkfifo(tmp_path / "pipe.yaml")
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "dir.yaml").mkdir()
    (tmp_path / "dir.yaml" / "inner.yaml").write_text((fixtures / "cli/latest.yaml").read_text())
    code, out, _ = run(capsys, "check", str(tmp_path), "--format", "json", "--select", "latest-tag")
    doc = json.loads(out)
    assert [f["file"] for f in doc["findings"]] == [str(tmp_path / "dir.yaml/inner.yaml")]
    assert doc["summary"]["skipped_files"] == [
        {"file": str(tmp_path / "loop"),
         "reason": "symlinked directory not followed (--follow-symlinks to follow it)"},
        {"file": str(tmp_path / "pipe.yaml"), "reason": "not a regular file (FIFO, socket or device)"}]


def test_user_rules_dir(capsys, fixtures):
    code, out, _ = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--format", "plain",
                       "--rules-dir", str(fixtures / "user-rules/good"), "--select", "team-label")
    assert code == 1
    assert ":3:1: warning [team-label] ConfigMap 'settings' has no example.com/team label" in out


def test_broken_user_rule_exits_2_with_position(capsys, fixtures):
    path = fixtures / "user-rules/broken/typo.yaml"
    code, _, err = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--rules-dir", str(path.parent))
    assert code == 2
    assert err.strip() == f"kubelint: error: {path}:9:1: unknown key 'mesage' (did you mean 'message'?)"


def test_rules_list_and_explain_by_alias(capsys):
    code, out, _ = run(capsys, "rules", "--format", "json")
    ids = {r["id"] for r in json.loads(out)}
    assert code == 0 and {"latest-tag", "yaml-syntax", "duplicate-key"} <= ids
    code, out, _ = run(capsys, "rules", "explain", "CKV_K8S_14")
    assert code == 0
    assert out.startswith("latest-tag")
    assert "Why is this bad?" in out and "Use instead" in out


def test_examples_directory_is_linted(capsys):
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    code, out, _ = run(capsys, "check", os.path.join(root, "examples"), "--format", "json")
    rules = {f["rule"] for f in json.loads(out)["findings"]}
    assert code == 1
    assert {"unknown-field", "latest-tag"} <= rules


def test_kubernetes_version_note_and_errors(capsys, fixtures):
    code, out, _ = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--isolated", "--format", "plain",
                       "--kubernetes-version", "1.31.4")
    assert code == 0 and "note: Kubernetes schemas: 1.31\n" in out
    code, _, err = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--kubernetes-version", "1.x")
    assert code == 2 and "invalid Kubernetes version '1.x'" in err
    code, _, err = run(capsys, "check", str(fixtures / "cli/clean.yaml"), "--schema-dir", "/does/not/exist")
    assert code == 2 and err.strip() == "kubelint: error: schema directory does not exist: /does/not/exist"
