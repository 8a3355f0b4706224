"""Issue 11, cache integrity: whatever bytes are in the cache directory, a run finds what a run
with an empty cache finds; a relative XDG_CACHE_HOME is ignored; no temporary files are left; the
cache is bounded; `kubelint cache clean` empties it."""

from __future__ import annotations

import json
import os
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from kubelint.cache import BIN_MAGIC, Cache, digest

ROOT = Path(__file__).resolve().parents[1]
POD = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
       "    - name: c\n      image: nginx:latest\n")
DOCKERFILE = "FROM ubuntu:latest\nRUN apt-get install -y curl\n"


@pytest.fixture
def env(tmp_path):
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "pod.yaml").write_text(POD)
    (tmp_path / "work" / "Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "home").mkdir()
    base = {k: v for k, v in os.environ.items() if k != "KUBELINT_NO_CACHE"}
    return {**base, "PYTHONPATH": str(ROOT), "NO_COLOR": "1", "HOME": str(tmp_path / "home"),
            "XDG_CACHE_HOME": str(tmp_path / "xdg")}


def kubelint(env, cwd, *args):
    return subprocess.run([sys.executable, "-m", "kubelint", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


def check(env, tmp_path):
    result = kubelint(env, tmp_path / "work", "check", ".", "--format", "json")
    assert result.stderr == ""
    return result.returncode, result.stdout


def entries(directory: Path) -> list[Path]:
    """The rules' entries (the `files` subdirectory is kubelint.filescan's, tests/test_filescan.py)."""
    return sorted(p for p in directory.iterdir() if p.name != "files") if directory.is_dir() else []


def file_entries(directory: Path) -> list[Path]:
    files = directory / "files"
    return sorted(files.iterdir()) if files.is_dir() else []


def split_entry(data: bytes) -> tuple[dict, bytes]:
    """(header, payload) of a kubelint.cache bytes entry: the rules are one (pickled Rules)."""
    assert data.startswith(BIN_MAGIC)
    end = data.index(b"\n", len(BIN_MAGIC))
    return json.loads(data[len(BIN_MAGIC):end]), data[end + 1:]


def join_entry(header: dict, payload: bytes) -> bytes:
    return BIN_MAGIC + json.dumps(header).encode() + b"\n" + payload


def _corrupt(entry: Path, how: str) -> None:
    data = entry.read_bytes()
    if how == "truncate":
        entry.write_bytes(data[:len(data) // 2])
    elif how == "empty":
        entry.write_bytes(b"")
    elif how == "garbage":
        entry.write_bytes(os.urandom(4096))
    elif how == "not-utf8":
        entry.write_bytes(b"\xff" + data)
    elif how == "deep":
        entry.write_text("[" * 100_000 + "]" * 100_000)
    elif how == "edit-rule":
        # The case: latest-tag edited in the cache (its kinds can never match).
        header, payload = split_entry(data)
        trusted, rules = pickle.loads(payload)
        for rule in rules:
            if rule.id == "latest-tag":
                rule.kinds = ["NoSuchKind"]
        entry.write_bytes(join_entry(header, pickle.dumps((trusted, rules))))
    elif how == "wrong-source":
        header, payload = split_entry(data)
        entry.write_bytes(join_entry({**header, "source": "0" * 64}, payload))
    elif how == "directory":
        entry.unlink()
        entry.mkdir()
        (entry / "x").write_text("x")
    elif how == "fifo":
        entry.unlink()
        os.mkfifo(entry)
    elif how == "device":
        entry.unlink()
        entry.symlink_to("/dev/zero")
    else:
        raise AssertionError(how)


@pytest.mark.parametrize("how", ["truncate", "empty", "garbage", "not-utf8", "deep", "edit-rule",
                                 "wrong-source", "directory", "fifo", "device"])
def test_findings_equal_those_of_an_empty_cache(env, tmp_path, how):
    cache_dir = tmp_path / "xdg" / "kubelint"
    expected = check(env, tmp_path)  # empty cache: the reference
    assert expected[0] == 1 and '"rule": "latest-tag"' in expected[1]
    [entry] = entries(cache_dir)
    assert check(env, tmp_path) == expected  # from the cache
    _corrupt(entry, how)
    assert check(env, tmp_path) == expected
    # the bad entry was ignored and rewritten: it verifies, and it is used
    assert entries(cache_dir) == [entry] and entry.is_file() and not entry.is_symlink()
    header, payload = split_entry(entry.read_bytes())
    assert header["checksum"] == digest("1", header["key"], header["source"], payload)
    assert check(env, tmp_path) == expected
    assert not [p for p in entries(cache_dir) if p.name.endswith(".tmp")]


def test_entry_of_the_wrong_shape_with_a_valid_checksum(env, tmp_path):
    """A well-formed entry whose value is not the built rules (e.g. a future format) is a miss."""
    cache_dir = tmp_path / "xdg" / "kubelint"
    expected = check(env, tmp_path)
    [entry] = entries(cache_dir)
    header, payload = split_entry(entry.read_bytes())
    trusted, rules = pickle.loads(payload)
    n = len(rules)
    odd_values = [pickle.dumps(v) for v in ((trusted, [{"x": 1}] * n), (trusted, rules[:-1]), (trusted, [None] * n),
                                           ({"id": "latest-tag"}, rules), (trusted, tuple(rules)), [rules], "rules")]
    for odd in odd_values + [b"not a pickle", b""]:
        assert Cache(cache_dir).put_bytes(header["key"], header["source"], odd)
        assert check(env, tmp_path) == expected


def test_relative_xdg_cache_home_is_ignored(env, tmp_path):
    env = {**env, "XDG_CACHE_HOME": "relative-cache"}
    code, _ = check(env, tmp_path)
    assert code == 1
    assert not (tmp_path / "work" / "relative-cache").exists()
    assert len(entries(tmp_path / "home" / ".cache" / "kubelint")) == 1


def test_unusable_cache_paths_leave_no_temporary_files(env, tmp_path, monkeypatch):
    expected = check({**env, "KUBELINT_NO_CACHE": "1"}, tmp_path)
    assert not (tmp_path / "xdg").exists()
    (tmp_path / "xdg").mkdir()
    (tmp_path / "xdg" / "kubelint").write_text("a file where the directory should be")
    assert check(env, tmp_path) == expected
    assert sorted(p.name for p in (tmp_path / "xdg").iterdir()) == ["kubelint"]
    # a value that cannot be written (not JSON): nothing written, no temporary file
    cache = Cache(tmp_path / "c")
    assert cache.put("k", "s", {1, 2}) is False
    assert entries(tmp_path / "c") == []
    # the write fails half-way: the temporary file is removed
    cache.path("k").parent.mkdir(parents=True, exist_ok=True)

    def failing_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    assert cache.put("k", "s", [1, 2]) is False
    assert entries(tmp_path / "c") == []


def test_put_get_and_verification():
    import tempfile

    with tempfile.TemporaryDirectory() as d:
        cache = Cache(Path(d) / "kubelint")
        assert cache.get("k", "s1") is None
        assert cache.put("k", "s1", {"a": [1, "x"]})
        assert cache.get("k", "s1") == {"a": [1, "x"]}
        assert cache.get("k", "s2") is None  # derived from something else
        assert cache.get("other", "s1") is None
        path = cache.path("k")
        path.write_text(path.read_text().replace('[1,', '[2,'))  # edited without the checksum
        assert cache.get("k", "s1") is None


def test_cache_is_bounded_least_recently_used_first(tmp_path):
    cache = Cache(tmp_path / "kubelint")
    value = "x" * 900
    assert cache.put("k0", "s", value)
    size = cache.path("k0").stat().st_size
    cache.max_bytes = 3 * size  # room for three entries
    for i in range(3):
        assert cache.put(f"k{i}", "s", value)
        os.utime(cache.path(f"k{i}"), ns=(i * 10**9, i * 10**9))  # k0 oldest
    assert cache.get("k0", "s") == value  # k0 used: now the newest
    assert cache.put("k3", "s", value)
    left = {p.name for p in entries(tmp_path / "kubelint")}
    assert left == {cache.path(k).name for k in ("k0", "k2", "k3")}
    assert sum(p.stat().st_size for p in entries(tmp_path / "kubelint")) <= cache.max_bytes


def test_cache_clean_empties_it_and_says_what_it_removed(env, tmp_path):
    check(env, tmp_path)
    cache_dir = tmp_path / "xdg" / "kubelint"
    (cache_dir / "rules-old.json").write_text("{}")
    before = entries(cache_dir)
    assert len(before) == 2
    parsed = file_entries(cache_dir)
    # pod.yaml and the Dockerfile: units (index, pack), condition findings (index, pack); the run's memo
    assert len(parsed) == 5
    result = kubelint(env, tmp_path, "cache", "clean")
    assert result.returncode == 0
    assert result.stdout.splitlines() == [f"removed {p}" for p in parsed + before]
    assert result.stderr == f"kubelint: removed 7 entries from {cache_dir}\n"
    assert entries(cache_dir) == [] and not (cache_dir / "files").exists()
    result = kubelint(env, tmp_path, "cache", "clean")
    assert (result.returncode, result.stdout) == (0, "")
    assert result.stderr == f"kubelint: removed 0 entries from {cache_dir}\n"
