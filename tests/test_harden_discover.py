"""Issue 11: what the directory walk reads. Symlinks out of the scanned tree, excludes for paths
named on the command line (--force-exclude), duplicate paths, directories skipped by default."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest
import yaml

from kubelint.cli import main

ROOT = Path(__file__).resolve().parents[1]
POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\nspec:\n  containers:\n"
       "    - name: c\n      image: nginx:latest\n")
OUTSIDE = "symlink to a file outside the scanned paths (--follow-symlinks to lint it)"


def run_json(capsys, *args):
    code = main(["check", "--format", "json", "--select", "latest-tag", *args])
    out, err = capsys.readouterr()
    assert err == ""
    doc = json.loads(out)
    return code, [f["file"] for f in doc["findings"]], doc["summary"]["skipped_files"]


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """tree/ with a pod, a link to a file outside it, a link inside it; outside/creds.yaml."""
    (tmp_path / ".git").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "creds.yaml").write_text(POD.format(name="secret-creds"))
    t = tmp_path / "tree"
    (t / "sub").mkdir(parents=True)
    (t / "sub" / "pod.yaml").write_text(POD.format(name="pod"))
    (t / "creds.yaml").symlink_to("../outside/creds.yaml")
    (t / "inner.yaml").symlink_to("sub/pod.yaml")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_symlink_out_of_the_tree_is_skipped_and_listed(tree, capsys):
    code, files, skipped = run_json(capsys, "tree")
    assert code == 1
    # inner.yaml points at sub/pod.yaml, inside the tree: the file is linted once
    assert files == ["tree/inner.yaml"]
    assert skipped == [{"file": "tree/creds.yaml", "reason": OUTSIDE}]
    main(["check", "--format", "plain", "--select", "latest-tag", "tree"])
    out = capsys.readouterr().out
    assert "secret-creds" not in out
    assert f"skipped: tree/creds.yaml: {OUTSIDE}" in out.splitlines()


def test_symlink_into_another_scanned_root_is_linted(tree, capsys):
    code, files, skipped = run_json(capsys, "tree", "outside")
    # once, under the first name met: outside/creds.yaml is the same file
    assert files == ["tree/creds.yaml", "tree/inner.yaml"]
    assert skipped == []


def test_follow_symlinks_opts_in(tree, capsys):
    code, files, skipped = run_json(capsys, "tree", "--follow-symlinks")
    assert sorted(files) == ["tree/creds.yaml", "tree/inner.yaml"]
    assert skipped == []


def test_symlink_named_explicitly_is_linted_as_given(tree, capsys):
    code, files, skipped = run_json(capsys, "tree/creds.yaml")
    assert (code, files, skipped) == (1, ["tree/creds.yaml"], [])


def test_symlinked_directory_listed_and_followed_on_request(tree, capsys):
    (tree / "tree" / "linked").symlink_to("../outside", target_is_directory=True)
    (tree / "tree" / "loop").symlink_to(".", target_is_directory=True)
    _, files, skipped = run_json(capsys, "tree")
    assert files == ["tree/inner.yaml"]
    assert sorted(s["file"] for s in skipped) == ["tree/creds.yaml", "tree/linked", "tree/loop"]
    assert skipped[0]["reason"] == "symlinked directory not followed (--follow-symlinks to follow it)"
    _, files, skipped = run_json(capsys, "tree", "--follow-symlinks")
    # outside/creds.yaml through two links: once; the loop is not entered twice
    assert sorted(files) == ["tree/creds.yaml", "tree/inner.yaml"]
    assert skipped == []


def test_duplicate_paths_are_linted_once(tree, capsys):
    code, files, _ = run_json(capsys, "tree/sub/pod.yaml", "./tree/sub/pod.yaml",
                              str(tree / "tree" / "sub" / "pod.yaml"), "tree/sub")
    assert (code, files) == (1, ["tree/sub/pod.yaml"])


def test_default_skipped_directories_are_listed(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    for d in ("vendor", "node_modules", "venv", "lib/site-packages", ".hidden"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "pod.yaml").write_text(POD.format(name="x"))
    _, files, skipped = run_json(capsys, ".")
    assert files == []
    reason = "skipped by default (vendored, generated or environment directory)"
    assert sorted(skipped, key=lambda s: s["file"]) == [{"file": p, "reason": reason}
                       for p in ("lib/site-packages", "node_modules", "vendor", "venv")]
    main(["check", "--format", "plain", "."])
    assert capsys.readouterr().out.splitlines()[-1] == "0 findings in 0 files, 0 objects; 4 paths skipped"


@pytest.fixture
def excluded(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    for d in ("gen", "cli", "k8s"):
        (tmp_path / d).mkdir()
        (tmp_path / d / "pod.yaml").write_text(POD.format(name=d))
    (tmp_path / ".kubelint.yaml").write_text("exclude: [gen]\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_excludes_are_consistent_for_named_files(excluded, capsys):
    named = ["gen/pod.yaml", "cli/pod.yaml", "k8s/pod.yaml"]
    # a directory walk honours both the config's exclude and --exclude
    assert run_json(capsys, ".", "--exclude", "cli")[1] == ["k8s/pod.yaml"]
    # files named on the command line: linted whatever either says ...
    assert run_json(capsys, *named, "--exclude", "cli")[1] == sorted(named)
    # ... unless --force-exclude, which applies both
    assert run_json(capsys, *named, "--exclude", "cli", "--force-exclude")[1] == ["k8s/pod.yaml"]
    # what a walk meets is matched as a whole path: a named directory that an exclude covers
    # yields nothing, as does a file named inside it with --force-exclude
    assert run_json(capsys, "gen")[1] == []
    assert run_json(capsys, "gen/pod.yaml")[1] == ["gen/pod.yaml"]
    assert run_json(capsys, "gen/pod.yaml", "--force-exclude")[1] == []


def test_force_exclude_applies_to_the_stdin_filename(excluded, capsys, monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(POD.format(name="s").encode())))
    code, files, _ = run_json(capsys, "-", "--stdin-filename", "gen/x.yaml", "--force-exclude")
    assert (code, files) == (0, [])
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(POD.format(name="s").encode())))
    code, files, _ = run_json(capsys, "-", "--stdin-filename", "gen/x.yaml")
    assert (code, files) == (1, ["gen/x.yaml"])


def test_pre_commit_hooks_that_pass_file_names_force_excludes():
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    for hook in hooks:
        passes_names = hook.get("pass_filenames", True)
        assert ("--force-exclude" in hook["entry"].split()) == passes_names, hook["id"]


# --- config discovery (issue 11) --------------------------------------------------------------


def test_config_discovery_stops_at_home_without_a_repository(tmp_path):
    from kubelint.config import find_config

    home = tmp_path / "home"
    (home / "proj" / "sub").mkdir(parents=True)
    (tmp_path / ".kubelint.yaml").write_text("select: [all]\n")  # above home: never used
    assert find_config(home / "proj" / "sub", home=home) is None
    (home / ".kubelint.yaml").write_text("{}\n")
    assert find_config(home / "proj" / "sub", home=home) == (home / ".kubelint.yaml").resolve()


def test_config_discovery_outside_home_and_repository_looks_here_only(tmp_path):
    from kubelint.config import find_config

    shared = tmp_path / "shared"  # a /tmp-like directory: not a repository, not below home
    (shared / "work").mkdir(parents=True)
    (shared / ".kubelint.yaml").write_text("fail-on: never\n")
    assert find_config(shared / "work", home=tmp_path / "home") is None
    (shared / "work" / ".kubelint.yaml").write_text("{}\n")
    assert find_config(shared / "work", home=tmp_path / "home") == (shared / "work" / ".kubelint.yaml").resolve()


def test_planted_config_in_a_shared_parent_is_ignored_by_check(tmp_path, monkeypatch, capsys):
    shared = tmp_path / "shared"
    (shared / "work").mkdir(parents=True)
    (shared / ".kubelint.yaml").write_text("fail-on: never\nignore: [all]\n")
    (shared / "work" / "pod.yaml").write_text(POD.format(name="p"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.chdir(shared / "work")
    code = main(["check", "--format", "plain", "--select", "latest-tag", "pod.yaml"])
    out = capsys.readouterr().out
    assert code == 1
    assert "note: config" not in out


def test_notes_name_the_config_file(tmp_path, monkeypatch, capsys):
    (tmp_path / ".git").mkdir()
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "pod.yaml").write_text(POD.format(name="p"))
    (tmp_path / ".kubelint.yaml").write_text("select: [latest-tag]\n")
    monkeypatch.chdir(tmp_path / "k8s")
    code = main(["check", "--format", "plain", "pod.yaml"])
    out = capsys.readouterr().out.splitlines()
    assert code == 1
    config = tmp_path.resolve() / ".kubelint.yaml"  # outside the current directory: absolute
    assert f"note: config: {config}" in out
    monkeypatch.chdir(tmp_path)
    code = main(["check", "--format", "json", "k8s/pod.yaml"])
    assert json.loads(capsys.readouterr().out)["notes"] == ["config: .kubelint.yaml"]


# --- kubelint init (issue 11) -----------------------------------------------------------------


def test_init_does_not_follow_a_dangling_symlink(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "work").mkdir()
    os.symlink(str(tmp_path / "elsewhere" / "victim"), "work/.kubelint.yaml")
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    code = main(["init"])
    err = capsys.readouterr().err
    assert code == 2
    assert err == "kubelint: error: .kubelint.yaml is a symlink (use --force to replace the link)\n"
    assert not (tmp_path / "elsewhere" / "victim").exists()
    # --force replaces the link with a file and still creates nothing at its target
    assert main(["init", "--force"]) == 0
    assert not os.path.islink(".kubelint.yaml") and os.path.isfile(".kubelint.yaml")
    assert os.listdir(tmp_path / "elsewhere") == []
