"""The process pool (--jobs) and the cache of parsed files (kubelint.filescan): the same JSON
report as a plain run, byte for byte; an edited file is re-parsed and nothing else, and a
cross-object finding in another file follows the edit; a corrupt, truncated or foreign cache
entry is a miss that gets rewritten; a cache directory that cannot be used only disables it."""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import kubelint
from kubelint import filescan
from kubelint.pipeline import Settings

ROOT = Path(__file__).resolve().parents[1]

SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: 8080
"""
DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels:
      app: {label}
  template:
    metadata:
      labels:
        app: {label}
    spec:
      containers:
        - name: web
          image: nginx:1.25
          ports:
            - containerPort: 8080
"""
DOCKERFILE = "FROM alpine:3.19\nRUN apk add curl\n"


def check_json(target: str, cwd: Path, cache_home: Path, *args: str) -> bytes:
    """`kubelint check TARGET --format json` as a user runs it; the report's bytes."""
    out = cache_home.parent / "report.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache_home), "NO_COLOR": "1"}
    env.pop("KUBELINT_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-m", "kubelint", "check", target, "--format", "json",
                           "-o", str(out), "--isolated", *args],
                          cwd=cwd, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    assert proc.returncode in (0, 1), proc.stderr
    assert "Traceback" not in proc.stderr
    return out.read_bytes()


def entries(cache_home: Path) -> list[Path]:
    files = cache_home / "kubelint" / "files"
    return sorted(p for p in files.iterdir() if p.suffix == ".bin") if files.is_dir() else []


def memo_entries(cache: Path) -> list[Path]:
    """The whole-run memos (kubelint.scanmemo) among the entries of the `files` directory."""
    from kubelint.scanmemo import KEY_PREFIX

    found = []
    for path in sorted((cache / "files").glob("*.bin")):
        lines = path.read_bytes().split(b"\n", 2)
        try:
            key = json.loads(lines[1])["key"] if len(lines) == 3 else ""
        except (ValueError, KeyError, TypeError):
            key = ""
        if isinstance(key, str) and key.startswith(KEY_PREFIX):
            found.append(path)
    return found


def _same_reports(target: str, cwd: Path, tmp_path: Path) -> None:
    plain = check_json(target, cwd, tmp_path / "none", "--no-cache", "--jobs", "1")
    cache_home = tmp_path / "cache"
    cold_pool = check_json(target, cwd, cache_home, "--jobs", "2")
    stored = entries(cache_home)
    warm = check_json(target, cwd, cache_home, "--jobs", "1")
    warm_pool = check_json(target, cwd, cache_home, "--jobs", "2")
    assert stored, "the cold run stored nothing"
    assert not (tmp_path / "none" / "kubelint" / "files").exists()  # --no-cache stores no file
    assert cold_pool == plain
    assert warm == plain
    assert warm_pool == plain
    assert b'"findings"' in plain


def test_examples_pool_and_cache_give_the_plain_report(tmp_path):
    _same_reports("examples", ROOT, tmp_path)


@pytest.mark.slow
def test_corpus_pool_and_cache_give_the_plain_report(corpus_tree, tmp_path):
    root, _ = corpus_tree
    _same_reports(root.name, root.parent, tmp_path)


def make_repo(tmp_path: Path, label: str = "web", dockerfile: str = DOCKERFILE) -> Path:
    """A Service, a Deployment whose pods carry app=`label` (the Service selects app=web) and
    a Dockerfile, in tmp_path/repo (test_scanmemo uses it too)."""
    repo = tmp_path / "repo"
    repo.mkdir(exist_ok=True)
    (repo / "svc.yaml").write_text(SERVICE)
    (repo / "deploy.yaml").write_text(DEPLOYMENT.format(label=label))
    (repo / "Dockerfile").write_text(dockerfile)
    return repo


_repo = make_repo


def cached_settings(cache_dir: Path, **more) -> Settings:
    """Settings of an isolated run with its cache in `cache_dir`."""
    return Settings.load(isolated=True, cache=True, cache_dir=str(cache_dir), **more)


_settings = cached_settings


def _parsed(monkeypatch) -> list[str]:
    """The display paths parse_unit is called for from now on (in this process: jobs=1)."""
    seen: list[str] = []
    real = filescan.parse_unit

    def spy(source, options):
        seen.append(Path(source.display).name)
        return real(source, options)
    monkeypatch.setattr(filescan, "parse_unit", spy)
    return seen


def _rows(result) -> list[tuple[str, int, str]]:
    return [(Path(f.file).name, f.line, f.rule) for f in result.findings]


def test_an_edit_reparses_that_file_only_and_updates_findings_elsewhere(tmp_path, monkeypatch):
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path)
    cache = tmp_path / "cache"
    parsed = _parsed(monkeypatch)
    first = kubelint.lint([str(repo)], _settings(cache))
    assert sorted(parsed) == ["Dockerfile", "deploy.yaml", "svc.yaml"]
    assert ("svc.yaml", 6, "service-no-pods") not in _rows(first)

    parsed.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert parsed == []  # nothing changed: every file came from the cache
    assert _rows(again) == _rows(first)

    # The pods no longer match the Service: a finding in the file that was not edited.
    (repo / "deploy.yaml").write_text(DEPLOYMENT.format(label="other"))
    edited = kubelint.lint([str(repo)], _settings(cache))
    assert parsed == ["deploy.yaml"]
    assert ("svc.yaml", 6, "service-no-pods") in _rows(edited)
    assert _rows(edited) == _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))

    # Back as it was: one index entry per file (its key has the path), so the edit replaced it
    # and the file is parsed again; the finding is gone again.
    parsed.clear()
    (repo / "deploy.yaml").write_text(DEPLOYMENT.format(label="web"))
    back = kubelint.lint([str(repo)], _settings(cache))
    assert parsed == ["deploy.yaml"]
    assert _rows(back) == _rows(first)
    index, packs = _stored(cache)
    assert len(index) == 3
    # The pack of the edited text is deleted once nothing points at it; the first run's pack
    # still holds the other two files.
    assert packs == set(index.values()) and len(packs) == 2


def _stored(cache: Path, kind: str = "file-unit") -> tuple[dict, set]:
    """The index (key digest -> pack) of the units (or, kind "file-findings", of the condition
    findings) and the pack files on disk; every file there belongs to one of the two."""
    from kubelint.cache import Cache
    from kubelint.unitcache import UnitStore, _pack_key

    files = Cache(cache / "files")
    names = {p.name for p in (cache / "files").glob("*.bin")}
    found = {}
    for k in ("file-unit", "file-findings"):
        store = UnitStore(files, k)
        packs = {p for p in set(store.index.values()) if files.bin_path(_pack_key(p, k)).name in names}
        names -= {files.bin_path(store.index_key).name} | {files.bin_path(_pack_key(p, k)).name for p in packs}
        found[k] = store.index, packs
    names -= {p.name for p in memo_entries(cache)}
    assert not names, "a pack file no index entry points at"
    return found[kind]


def test_units_are_written_in_packs(tmp_path, monkeypatch):
    """A run's new units go to a few pack files (a file per unit cost most of a cold run's
    writing); each pack is about PACK_BYTES, and every unit is found again."""
    from kubelint import unitcache

    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    monkeypatch.setattr(unitcache, "PACK_BYTES", 1)  # every unit fills a pack
    repo = _repo(tmp_path)
    cache = tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    index, packs = _stored(cache)
    assert len(index) == 3 and len(packs) == 3
    monkeypatch.setattr(unitcache, "PACK_BYTES", 1 << 30)
    for i in range(4):
        shutil.copy(repo / "deploy.yaml", repo / f"copy{i}.yaml")
    parsed = _parsed(monkeypatch)
    more = kubelint.lint([str(repo)], _settings(cache))
    assert sorted(parsed) == [f"copy{i}.yaml" for i in range(4)]
    index, packs = _stored(cache)
    assert len(index) == 7 and len(packs) == 4  # the four new units in one pack
    parsed.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert parsed == []
    assert _rows(again) == _rows(more) and set(_rows(first)) <= set(_rows(more))


def test_settings_that_parsing_reads_are_part_of_the_key(tmp_path, monkeypatch):
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path)
    cache = tmp_path / "cache"
    kubelint.lint([str(repo)], _settings(cache))
    parsed = _parsed(monkeypatch)
    other = kubelint.lint([str(repo)], _settings(cache, namespace="shop"))
    assert sorted(parsed) == ["Dockerfile", "deploy.yaml", "svc.yaml"]
    namespaces = {f.object.namespace for f in other.findings if f.object is not None and f.object.namespace}
    assert namespaces == {"shop"}


def _corrupt(path: Path, how: str, other: Path) -> None:
    data = path.read_bytes()
    if how == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif how == "flipped":
        i = len(data) - 10
        path.write_bytes(data[:i] + bytes([data[i] ^ 0xFF]) + data[i + 1:])
    elif how == "garbage":
        path.write_bytes(b"\x00\x01not an entry at all")
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "foreign":  # a valid entry, of another file
        path.write_bytes(other.read_bytes())
    elif how == "directory":
        path.unlink()
        path.mkdir()


@pytest.mark.parametrize("how", ["truncated", "flipped", "garbage", "empty", "foreign", "directory"])
def test_a_bad_entry_is_a_miss_and_is_rewritten(tmp_path, monkeypatch, how):
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path, label="other")
    cache = tmp_path / "cache"
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == expected
    stored = sorted((cache / "files").glob("*.bin"))
    # An index and a pack of the three units; the same of their condition findings; the run's memo.
    assert len(stored) == 5 and len(memo_entries(cache)) == 1
    for i, path in enumerate(stored):
        _corrupt(path, how, stored[(i + 1) % len(stored)])

    parsed = _parsed(monkeypatch)
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == expected
    assert sorted(parsed) == ["Dockerfile", "deploy.yaml", "svc.yaml"]  # nothing trusted
    parsed.clear()
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == expected
    assert parsed == []  # and every entry was rewritten


def test_an_unusable_cache_directory_only_disables_the_cache(tmp_path, monkeypatch):
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path, label="other")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would be\n")
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))
    assert _rows(kubelint.lint([str(repo)], _settings(blocker))) == expected
    assert _rows(kubelint.lint([str(repo)], _settings(tmp_path / "missing" / "deeper"))) == expected
    assert list((tmp_path / "missing" / "deeper" / "files").glob("*.bin"))  # a missing one is made


def test_pool_gives_the_same_result_in_process(tmp_path):
    repo = _repo(tmp_path, label="other")
    for i in range(5):
        shutil.copy(repo / "deploy.yaml", repo / f"copy{i}.yaml")
    one = kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=1))
    two = kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=2))
    assert [dataclasses.asdict(f) for f in two.findings] == [dataclasses.asdict(f) for f in one.findings]
    assert len(one.findings) > 7
    assert (two.files, two.documents, two.objects) == (one.files, one.documents, one.objects) == (8, 7, 7)


def test_pool_size(monkeypatch):
    small = [kubelint.pipeline._source(kubelint.Text("a: 1\n", f"f{i}.yaml")) for i in range(3)]
    many = small * 30  # 90 files: one process per 64 files at most
    monkeypatch.setattr(filescan, "cpu_count", lambda: 8)
    assert filescan.pool_size(None, small) == 1
    assert filescan.pool_size(3, small) == 3
    assert filescan.pool_size(None, many) == 1
    assert filescan.pool_size(None, many * 3) == 4
    assert filescan.pool_size(None, many * 100) == 8
    big = [kubelint.pipeline._source(kubelint.Text("a: 1\n" * 300_000, f"big{i}.yaml")) for i in range(2)]
    assert filescan.pool_size(None, big) == 2  # 3 MB in two files: by size
    # Two cores are enough (the main process parses beside the worker); one is not.
    monkeypatch.setattr(filescan, "cpu_count", lambda: 2)
    assert filescan.pool_size(None, many * 3) == 2
    monkeypatch.setattr(filescan, "cpu_count", lambda: 1)
    assert filescan.pool_size(None, many * 3) == 1
    assert filescan.pool_size(2, many) == 2


def test_cli_jobs_must_be_positive(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "kubelint", "check", ".", "--jobs", "0"], cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True)
    assert proc.returncode == 2
    assert "--jobs" in proc.stderr and "1 or more" in proc.stderr


def test_cache_clean_removes_file_entries(tmp_path):
    repo = _repo(tmp_path)
    cache_home = tmp_path / "cache"
    check_json(".", repo, cache_home)
    assert len(entries(cache_home)) == 5  # the units' index and pack; the condition findings' too; the memo
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache_home)}
    env.pop("KUBELINT_NO_CACHE", None)
    proc = subprocess.run([sys.executable, "-m", "kubelint", "cache", "clean", "--isolated"], cwd=repo,
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert entries(cache_home) == []
    removed = proc.stdout.splitlines()
    assert sum(f"{os.sep}files{os.sep}" in line for line in removed) == 5
    assert len(removed) == 6  # and the built rules' entry


def _many_files(tmp_path: Path, copies: int = 12) -> Path:
    repo = _repo(tmp_path, label="other")
    for i in range(copies):
        shutil.copy(repo / "deploy.yaml", repo / f"copy{i}.yaml")
    return repo


def test_no_pool_here_parses_in_this_process(tmp_path, monkeypatch):
    """A system without working process pools (no semaphores, no fork) loses nothing."""
    from kubelint import parsepool

    repo = _many_files(tmp_path)
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=1)))

    def no_pool(*args, **kwargs):
        raise OSError(38, "Function not implemented")
    monkeypatch.setattr(parsepool, "SharedParsing", no_pool)
    seen = _parsed(monkeypatch)
    assert _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=2))) == expected
    assert len(seen) == 15  # every file, here


def test_where_processes_cannot_fork_an_executor_parses(tmp_path, monkeypatch):
    from kubelint import parsepool

    repo = _many_files(tmp_path)
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=1)))
    monkeypatch.setattr(parsepool, "fork_available", lambda: False)
    seen = _parsed(monkeypatch)  # the executor's processes parse; this one only decodes
    assert _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=2))) == expected
    assert seen == []


def test_each_file_is_parsed_once_by_one_of_the_processes(tmp_path, monkeypatch):
    """The main process and the workers take files from one counter: none is parsed twice,
    none is left out, whichever process gets there first."""
    repo = _many_files(tmp_path, copies=40)
    log = tmp_path / "parsed.log"
    real = filescan.parse_unit

    def logged(source, options):
        with open(log, "a") as fh:  # O_APPEND: one line per call, from any process
            fh.write(f"{os.getpid()} {Path(source.display).name}\n")
        return real(source, options)
    monkeypatch.setattr(filescan, "parse_unit", logged)
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=1)))
    log.unlink()
    assert _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=3))) == expected
    names = [line.split()[1] for line in log.read_text().splitlines()]
    assert sorted(names) == sorted({*names}) and len(names) == 43


@pytest.mark.parametrize("failure", ["raises", "dies"])
def test_a_worker_that_fails_loses_nothing(tmp_path, monkeypatch, failure):
    """A file a worker took but did not deliver (its unit raised, or the worker died) is parsed
    in the main process: the findings are those of --jobs 1."""
    repo = _many_files(tmp_path, copies=20)
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=1)))
    main_pid = os.getpid()
    real = filescan.parse_unit

    def failing(source, options):
        if os.getpid() != main_pid and "copy1" in source.display:
            if failure == "dies":
                os._exit(9)
            raise RuntimeError("a worker's bad day")
        return real(source, options)
    monkeypatch.setattr(filescan, "parse_unit", failing)
    assert _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, jobs=2))) == expected


def test_a_pool_run_stores_its_units_from_a_forked_child_as_parsing_left_them(tmp_path, monkeypatch):
    """With forked workers the units are stored by a forked child (the second CPU is idle by
    then), done when lint() returns, and as parsing made them: the namespace a Kustomization
    gives the objects afterwards is not stored with them."""
    from kubelint import parsepool

    if not parsepool.fork_available():
        pytest.skip("no fork here: a thread stores the units")
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _many_files(tmp_path, copies=20)
    (repo / "kustomization.yaml").write_text(KUSTOMIZATION.format(namespace="namespace: shop\n"))
    cache, log = tmp_path / "cache", tmp_path / "stored.log"
    real = filescan._store

    def logged(store, items):
        with open(log, "a") as fh:
            fh.write(f"{os.getpid()} {len(items)}\n")
        real(store, items)
    monkeypatch.setattr(filescan, "_store", logged)
    first = kubelint.lint([str(repo)], _settings(cache, jobs=2))
    assert filescan._WRITERS == []  # waited for
    pid, count = log.read_text().split()
    assert int(pid) != os.getpid() and int(count) == 24
    assert len(_stored(cache)[0]) == 24  # every unit, when lint() returned
    assert _namespaces(first, "missing-limits") == {"shop", "default"}  # deploy.yaml, and its copies

    # The Kustomization no longer sets the namespace: the other 23 files come from the cache.
    (repo / "kustomization.yaml").write_text(KUSTOMIZATION.format(namespace=""))
    parsed = _parsed(monkeypatch)
    again = kubelint.lint([str(repo)], _settings(cache, jobs=1))
    assert parsed == ["kustomization.yaml"]
    assert _rows(again) == _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))
    assert _namespaces(again, "missing-limits") == {"default"}


def test_concurrent_runs_share_the_cache(tmp_path):
    """Runs writing the same entries at once (temporary file, then rename) never read a
    half-written one: each gives the plain report, and no temporary file is left."""
    plain = check_json("examples", ROOT, tmp_path / "none", "--no-cache", "--jobs", "1")
    cache_home = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(cache_home), "NO_COLOR": "1"}
    env.pop("KUBELINT_NO_CACHE", None)
    outs = [tmp_path / f"run{i}.json" for i in range(4)]
    procs = [subprocess.Popen([sys.executable, "-m", "kubelint", "check", "examples", "--format", "json",
                               "-o", str(out), "--isolated", "--jobs", "1"], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
             for out in outs]
    for proc in procs:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode in (0, 1), err
    assert all(out.read_bytes() == plain for out in outs)
    assert entries(cache_home)
    assert not list((cache_home / "kubelint" / "files").glob("*.tmp"))
    assert check_json("examples", ROOT, cache_home, "--jobs", "1") == plain


def test_a_parser_failure_is_not_cached(tmp_path, monkeypatch):
    """An internal error is kubelint's bug, not the file's result: the next run parses again
    (and, with --debug, shows the traceback again) instead of replaying it from the cache."""
    from kubelint import parsefile

    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / "Dockerfile").write_text("FROM alpine:3.20\n")

    def broken(*_args, **_kwargs):
        raise IndexError("list index out of range")

    monkeypatch.setattr(parsefile, "add_dockerfile", broken)
    first = kubelint.lint([str(repo)], _settings(tmp_path / "cache"))
    assert [f.rule for f in first.findings] == ["internal-error"]
    assert not list((tmp_path / "cache" / "files").glob("*.bin"))
    monkeypatch.undo()
    second = kubelint.lint([str(repo)], _settings(tmp_path / "cache"))
    assert "internal-error" not in [f.rule for f in second.findings]


KUSTOMIZATION = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n{namespace}resources: [deploy.yaml]\n"


def _evaluated(monkeypatch) -> list[str]:
    """The objects whose condition rules are evaluated from now on (not taken from the cache)."""
    from kubelint.engine.engine import Engine

    seen: list[str] = []
    real = Engine._object_rules

    def spy(self, obj, rules, patch, out):
        seen.append(f"{Path(obj.file).name}:{obj.name}")
        return real(self, obj, rules, patch, out)
    monkeypatch.setattr(Engine, "_object_rules", spy)
    return seen


def _namespaces(result, rule: str) -> set:
    return {f.object.namespace for f in result.findings if f.rule == rule}


def test_condition_findings_come_from_the_cache_while_their_context_holds(tmp_path, monkeypatch):
    """A warm run reuses a file's condition findings; when a Kustomization in another file puts
    the unchanged file's objects in another namespace, they are evaluated again (and say so)."""
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path)
    (repo / "kustomization.yaml").write_text(KUSTOMIZATION.format(namespace="namespace: shop\n"))
    cache = tmp_path / "cache"
    evaluated = _evaluated(monkeypatch)
    first = kubelint.lint([str(repo)], _settings(cache))
    assert sorted(evaluated) == ["deploy.yaml:web", "kustomization.yaml:None", "svc.yaml:web"]
    assert _namespaces(first, "missing-limits") == {"shop"}

    evaluated.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert evaluated == []  # every file's condition findings came from the cache
    assert [dataclasses.asdict(f) for f in again.findings] == [dataclasses.asdict(f) for f in first.findings]

    (repo / "kustomization.yaml").write_text(KUSTOMIZATION.format(namespace="namespace: store\n"))
    moved = kubelint.lint([str(repo)], _settings(cache))
    # deploy.yaml is unchanged but in another namespace; the Kustomization's own text changed;
    # svc.yaml is neither listed nor changed: its findings still come from the cache
    assert sorted(evaluated) == ["deploy.yaml:web", "kustomization.yaml:None"]
    assert _namespaces(moved, "missing-limits") == {"store"}
    plain = kubelint.lint([str(repo)], Settings.load(isolated=True))
    assert [dataclasses.asdict(f) for f in moved.findings] == [dataclasses.asdict(f) for f in plain.findings]


def test_a_file_too_large_to_store_is_not_looked_up(tmp_path, monkeypatch):
    """The condition findings of a file larger than a cache entry are never stored: a run does
    not look them up (nor build the per-object context it would compare), and finds the same."""
    from kubelint import findingcache

    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path)
    plain = kubelint.lint([str(repo)], Settings.load(isolated=True))
    monkeypatch.setattr(findingcache, "MAX_ENTRY_BYTES", len(SERVICE))  # svc.yaml fits, deploy.yaml not
    looked_up: list[str] = []
    real = findingcache.FindingCache.get
    monkeypatch.setattr(findingcache.FindingCache, "get",
                        lambda self, source, context: looked_up.append(source.display) or real(self, source, context))
    evaluated = _evaluated(monkeypatch)
    result = kubelint.lint([str(repo)], _settings(tmp_path / "cache"))
    assert [dataclasses.asdict(f) for f in result.findings] == [dataclasses.asdict(f) for f in plain.findings]
    assert [Path(p).name for p in looked_up] == ["svc.yaml"]
    assert sorted(evaluated) == ["deploy.yaml:web", "svc.yaml:web"]


def test_a_cold_run_looks_up_no_condition_findings(tmp_path, monkeypatch):
    """Nothing is stored yet: each file's key is worked out once, to store its findings."""
    from kubelint.findingcache import FindingCache

    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path)
    keyed: list[str] = []
    real = FindingCache._key
    monkeypatch.setattr(FindingCache, "_key", lambda self, source: keyed.append(Path(source.display).name)
                        or real(self, source))
    kubelint.lint([str(repo)], _settings(tmp_path / "cache"))
    assert sorted(keyed) == ["deploy.yaml", "svc.yaml"]
    assert len(_stored(tmp_path / "cache", "file-findings")[0]) == 2


def test_condition_findings_follow_the_rule_settings(tmp_path, monkeypatch):
    """The cached findings are keyed by the rules as configured: another param or severity is a
    miss, never a finding of the earlier settings."""
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    repo = _repo(tmp_path)
    cache = tmp_path / "cache"
    kubelint.lint([str(repo)], _settings(cache))
    evaluated = _evaluated(monkeypatch)
    warned = kubelint.lint([str(repo)], _settings(cache, severity={"missing-limits": "error"}))
    assert sorted(evaluated) == ["deploy.yaml:web", "svc.yaml:web"]
    assert {f.severity for f in warned.findings if f.rule == "missing-limits"} == {"error"}
    evaluated.clear()
    kubelint.lint([str(repo)], _settings(cache, severity={"missing-limits": "error"}))
    assert evaluated == []


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_a_cache_writer_that_dies_neither_blocks_nor_changes_the_run(tmp_path, monkeypatch):
    """The units are written from a thread with a bounded queue: if that thread ends early
    (here: an exception no cache code expects), parsing goes on and the findings are the same."""
    from kubelint import unitcache

    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    monkeypatch.setattr(filescan, "WRITE_QUEUE", 1)
    repo = _repo(tmp_path, label="other")
    for i in range(6):
        shutil.copy(repo / "deploy.yaml", repo / f"copy{i}.yaml")
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))

    class Dying(unitcache.UnitStore):
        def put(self, key, source, unit):
            raise SystemExit("the writer thread ends")
    monkeypatch.setattr(filescan, "UnitStore", Dying)  # the units' store only
    assert _rows(kubelint.lint([str(repo)], _settings(tmp_path / "cache"))) == expected
    assert _stored(tmp_path / "cache")[0] == {}  # no unit stored


def test_a_spawned_worker_importing_the_entry_module_does_not_run_the_command_line():
    """Where pools spawn (Windows, macOS), each worker imports `python -m kubelint`'s module as
    `__mp_main__`: that must define things, not run a check."""
    import runpy

    namespace = runpy.run_module("kubelint.__main__", run_name="__mp_main__")
    assert callable(namespace["main"])
