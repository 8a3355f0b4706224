"""The whole-run memo (kubelint.scanmemo): a run whose inputs are all unchanged reuses the last
run's result, and its reports are byte for byte a fresh run's in every format; any change of an
input (a file, the config, a severity, the selection, the baseline, what checks saw on disk)
recomputes everything, cross-object findings in files that were not edited included; a bad
memo entry is a miss that is rewritten, and an unusable cache directory only disables it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from shared_data import CORPUS, require
from test_engine_aside import asides_started
from test_filescan import DEPLOYMENT, SERVICE, make_repo  # the unit cache tests' Service and Deployment
from test_filescan import cached_settings as _settings

import kubelint
from kubelint.cli import main
from kubelint.engine.engine import Engine
from kubelint.pipeline import Settings

ROOT = Path(__file__).resolve().parents[1]

DOCKERFILE = "FROM alpine:3.19\nCOPY . /app\n"  # COPY . reads the build context: .dockerignore matters


@pytest.fixture
def engine_runs(monkeypatch) -> list[int]:
    """How many times the rules ran on a scan from now on (a memo hit runs none)."""
    monkeypatch.delenv("KUBELINT_NO_CACHE", raising=False)
    runs: list[int] = []
    real = Engine.run

    def spy(self, scan):
        runs.append(len(scan.objects))
        return real(self, scan)
    monkeypatch.setattr(Engine, "run", spy)
    return runs


def _repo(tmp_path: Path, label: str = "web") -> Path:
    return make_repo(tmp_path, label, dockerfile=DOCKERFILE)


def _rows(result) -> list[tuple[str, int, str, str]]:
    return [(Path(f.file).name, f.line, f.rule, f.severity) for f in result.findings]


def _memo_files(cache: Path) -> list[Path]:
    from test_filescan import memo_entries

    return memo_entries(cache)


def _report(target: str, fmt: str, out: Path, *args: str) -> bytes:
    code = main(["check", target, "--format", fmt, "-o", str(out), "--isolated", *args])
    assert code in (0, 1)
    return out.read_bytes()


def _same_reports(target: str, tmp_path: Path, monkeypatch, engine_runs: list[int]) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    for fmt in ("json", "sarif", "plain"):
        fresh = _report(target, fmt, tmp_path / f"fresh.{fmt}", "--no-cache")
        cold = _report(target, fmt, tmp_path / f"cold.{fmt}")
        engine_runs.clear()
        warm = _report(target, fmt, tmp_path / f"warm.{fmt}")
        assert engine_runs == [], f"{fmt}: the warm run computed its result again"
        assert cold == fresh and warm == fresh, fmt
        assert len(fresh) > 200


def test_examples_memo_gives_the_fresh_report_in_every_format(tmp_path, monkeypatch, engine_runs):
    monkeypatch.chdir(ROOT)
    _same_reports("examples", tmp_path, monkeypatch, engine_runs)


def test_corpus_subset_memo_gives_the_fresh_report_in_every_format(tmp_path, monkeypatch, engine_runs):
    require(CORPUS)
    subset = tmp_path / "k8s"
    subset.mkdir()
    copied = 0
    for repo in sorted(p for p in CORPUS.iterdir() if p.is_dir()):  # whole repositories, until 150 files
        shutil.copytree(repo, subset / repo.name)
        copied += sum(1 for p in repo.rglob("*") if p.is_file())
        if copied >= 150:
            break
    monkeypatch.chdir(tmp_path)
    _same_reports("k8s", tmp_path, monkeypatch, engine_runs)


def test_editing_one_file_recomputes_cross_object_findings_in_another(tmp_path, engine_runs):
    repo = _repo(tmp_path)
    cache = tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    assert ("svc.yaml", 6, "service-no-pods", "warning") not in _rows(first)
    assert len(_memo_files(cache)) == 1
    again = kubelint.lint([str(repo)], _settings(cache))
    assert len(engine_runs) == 1 and _rows(again) == _rows(first)

    # The pods no longer match the Service: a finding in svc.yaml, which was not edited.
    (repo / "deploy.yaml").write_text(DEPLOYMENT.format(label="other"))
    edited = kubelint.lint([str(repo)], _settings(cache))
    assert len(engine_runs) == 2
    assert ("svc.yaml", 6, "service-no-pods", "warning") in _rows(edited)
    assert _rows(edited) == _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))
    assert len(_memo_files(cache)) == 1  # one entry per invocation, rewritten

    (repo / "deploy.yaml").write_text(DEPLOYMENT.format(label="web"))
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == _rows(first)
    assert len(engine_runs) == 4  # 3 runs of the cache, one without


@pytest.mark.parametrize("change", ["severity", "select", "ignore", "params", "namespace"])
def test_a_changed_setting_recomputes(tmp_path, engine_runs, change):
    repo = _repo(tmp_path, label="other")
    cache = tmp_path / "cache"
    more = {"severity": {"severity_overrides": {"service-no-pods": "error"}},
            "select": {"select": ["service-no-pods"]},
            "ignore": {"ignore": ["service-no-pods"]},
            "params": {"params": {"base-image-eol": {"as-of": "2020-01-01"}}},
            "namespace": {"namespace": "shop"}}[change]
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True, **more)))
    engine_runs.clear()
    base = kubelint.lint([str(repo)], _settings(cache))
    kubelint.lint([str(repo)], _settings(cache))
    assert len(engine_runs) == 1
    changed = kubelint.lint([str(repo)], _settings(cache, **more))
    assert len(engine_runs) == 2
    assert _rows(changed) == expected
    rows = _rows(changed)
    if change == "severity":
        assert ("svc.yaml", 6, "service-no-pods", "error") in rows
    elif change == "select":
        assert {r[2] for r in rows} == {"service-no-pods"}
    elif change == "ignore":
        assert "service-no-pods" not in {r[2] for r in rows} and rows
    elif change == "params":  # alpine 3.19 is end-of-life today, not as of 2020
        assert ("Dockerfile", 1, "base-image-eol") not in {r[:3] for r in rows}
        assert ("Dockerfile", 1, "base-image-eol") in {r[:3] for r in _rows(base)}
    else:
        assert {f.object.namespace for f in changed.findings if f.object and f.object.namespace} == {"shop"}
    kubelint.lint([str(repo)], _settings(cache, **more))
    assert len(engine_runs) == 2  # and that run is memoised in turn


def test_an_edited_user_rule_file_recomputes(tmp_path, engine_runs):
    """A user rule (--rules-dir) is part of the key as built; kubelint's own rules are their
    files, stamped with the code."""
    repo, cache, rules = _repo(tmp_path), tmp_path / "cache", tmp_path / "rules"
    rules.mkdir()
    rule = ("id: team-label\nseverity: {severity}\ncategory: best-practice\nsummary: Team label\n"
            "applies-to: objects\ncondition: {{path: metadata.labels.team, exists: false}}\n"
            "message: no team label\n")
    (rules / "team.yaml").write_text(rule.format(severity="info"))
    settings = _settings(cache, rules_dirs=[str(rules)])
    first = kubelint.lint([str(repo)], settings)
    kubelint.lint([str(repo)], settings)
    assert len(engine_runs) == 1
    (rules / "team.yaml").write_text(rule.format(severity="error"))
    again = kubelint.lint([str(repo)], _settings(cache, rules_dirs=[str(rules)]))
    assert len(engine_runs) == 2
    assert {r for r in _rows(first) if r[2] == "team-label"} == {("svc.yaml", 3, "team-label", "info"),
                                                                 ("deploy.yaml", 3, "team-label", "info")}
    assert {r for r in _rows(again) if r[2] == "team-label"} == {("svc.yaml", 3, "team-label", "error"),
                                                                 ("deploy.yaml", 3, "team-label", "error")}


def test_a_changed_baseline_recomputes(tmp_path, engine_runs):
    from kubelint.baseline import write_baseline

    repo = _repo(tmp_path, label="other")
    cache = tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    baseline = tmp_path / "baseline.json"
    write_baseline(str(baseline), [f for f in first.findings if f.rule == "service-no-pods"])
    kept = kubelint.lint([str(repo)], _settings(cache, baseline=str(baseline)))
    assert kept.baselined == 1 and "service-no-pods" not in {f.rule for f in kept.findings}
    write_baseline(str(baseline), [])
    emptied = kubelint.lint([str(repo)], _settings(cache, baseline=str(baseline)))
    assert emptied.baselined == 0 and "service-no-pods" in {f.rule for f in emptied.findings}
    assert len(engine_runs) == 3


def test_what_a_check_saw_on_disk_is_asked_again(tmp_path, engine_runs):
    """copy-all-no-dockerignore looks for a .dockerignore beside the scanned files."""
    repo = _repo(tmp_path)
    (repo / ".git").mkdir()
    cache = tmp_path / "cache"
    settings = {"select": ["copy-all-no-dockerignore"]}
    assert [r[2] for r in _rows(kubelint.lint([str(repo)], _settings(cache, **settings)))] \
        == ["copy-all-no-dockerignore"]
    (repo / ".dockerignore").write_text(".git\n")
    assert _rows(kubelint.lint([str(repo)], _settings(cache, **settings))) == []
    assert len(engine_runs) == 2
    assert _rows(kubelint.lint([str(repo)], _settings(cache, **settings))) == []
    assert len(engine_runs) == 2


def test_what_a_forked_check_saw_on_disk_is_asked_again_too(tmp_path, engine_runs, monkeypatch):
    """A check that runs in the forked child (kubelint.engine.aside) hands back what it asked
    of the file system: the memo checks it as it checks the parent's questions."""
    from kubelint.engine import aside, engine

    if not aside.can_fork():
        pytest.skip("the engine forks only where fork is safe")
    monkeypatch.setattr(engine, "ASIDE_CHECKS", ("dockerfile-sources",))
    monkeypatch.setattr(engine, "ASIDE_MIN_DOCKERFILES", 1)
    ran_in = asides_started(monkeypatch)
    repo = _repo(tmp_path)
    (repo / ".git").mkdir()
    cache = tmp_path / "cache"
    settings = {"select": ["copy-all-no-dockerignore"], "jobs": 2}
    assert [r[2] for r in _rows(kubelint.lint([str(repo)], _settings(cache, **settings)))] \
        == ["copy-all-no-dockerignore"]
    assert ran_in == [1]
    (repo / ".dockerignore").write_text(".git\n")
    assert _rows(kubelint.lint([str(repo)], _settings(cache, **settings))) == []
    assert len(engine_runs) == 2


@pytest.mark.parametrize("how", ["truncated", "flipped", "garbage", "empty", "foreign"])
def test_a_bad_memo_is_a_miss_and_is_rewritten(tmp_path, engine_runs, how):
    repo = _repo(tmp_path, label="other")
    cache = tmp_path / "cache"
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == expected
    other = tmp_path / "other"
    other.mkdir()
    (other / "svc.yaml").write_text(SERVICE)
    kubelint.lint([str(other)], _settings(cache))  # a second memo: another invocation's
    memos = _memo_files(cache)
    assert len(memos) == 2
    mine = next(p for p in memos if b"deploy.yaml" in p.read_bytes())
    foreign = next(p for p in memos if p != mine)
    data = mine.read_bytes()
    mine.write_bytes({"truncated": data[: len(data) // 2],
                      "flipped": data[:-10] + bytes([data[-10] ^ 0xFF]) + data[-9:],
                      "garbage": b"\x00\x01not an entry at all", "empty": b"",
                      "foreign": foreign.read_bytes()}[how])
    runs = len(engine_runs)
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == expected
    assert len(engine_runs) == runs + 1  # nothing trusted
    assert _rows(kubelint.lint([str(repo)], _settings(cache))) == expected
    assert len(engine_runs) == runs + 1  # and the entry was rewritten


def test_an_unusable_cache_directory_only_disables_the_memo(tmp_path, engine_runs):
    repo = _repo(tmp_path, label="other")
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory would be\n")
    expected = _rows(kubelint.lint([str(repo)], Settings.load(isolated=True)))
    for _ in range(2):
        assert _rows(kubelint.lint([str(repo)], _settings(blocker))) == expected
    assert len(engine_runs) == 3


def test_fixing_is_never_memoised(tmp_path, engine_runs):
    repo = _repo(tmp_path, label="other")
    cache = tmp_path / "cache"
    for _ in range(2):
        kubelint.lint([str(repo)], _settings(cache, fix=True))
    assert _memo_files(cache) == [] and len(engine_runs) >= 2


@pytest.mark.parametrize("above", [0, 1 << 30])
def test_compressed_and_plain_memos_give_the_same_result(tmp_path, engine_runs, monkeypatch, above):
    from kubelint import scanmemo

    monkeypatch.setattr(scanmemo, "COMPRESS_ABOVE", above)
    repo = _repo(tmp_path, label="other")
    cache = tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    again = kubelint.lint([str(repo)], _settings(cache))
    assert len(engine_runs) == 1 and _rows(again) == _rows(first)
    assert [f.message for f in again.findings] == [f.message for f in first.findings]
    payload = _memo_files(cache)[0].read_bytes().split(b"\n", 2)[2]
    assert payload[:1] == (b"z" if above == 0 else b"p")


def test_upgrading_a_library_changes_every_cache_key(tmp_path, monkeypatch):
    # pip rewrites an upgraded library's files: the stamp (path, size, time of each library's
    # module) changes, and with it the memo's and the unit cache's code fingerprints.
    import os
    import sys

    from kubelint import cache, filescan, scanmemo

    lib = tmp_path / "fakelib"
    lib.mkdir()
    (lib / "__init__.py").write_text("VERSION = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(cache, "_DEPENDENCIES", ("fakelib",))
    sys.modules.pop("fakelib", None)

    def fingerprints():
        for f in (cache.dependency_stamp, scanmemo.code_fingerprint, filescan.code_fingerprint):
            f.cache_clear()
        return cache.dependency_stamp(), scanmemo.code_fingerprint(), filescan.code_fingerprint()

    before = fingerprints()
    (lib / "__init__.py").write_text("VERSION = 22\n")
    os.utime(lib / "__init__.py", ns=(1, 1))
    after = fingerprints()
    assert all(a != b for a, b in zip(before, after, strict=True))
    for f in (cache.dependency_stamp, scanmemo.code_fingerprint, filescan.code_fingerprint):
        f.cache_clear()


def test_a_result_with_more_findings_than_the_cap_is_not_memoised(tmp_path, engine_runs, monkeypatch):
    from kubelint import scanmemo

    repo = _repo(tmp_path, label="other")  # service-no-pods and more: a few findings
    cache = tmp_path / "cache"
    count = len(kubelint.lint([str(repo)], Settings.load(isolated=True)).findings)
    assert count >= 2
    monkeypatch.setattr(scanmemo, "MAX_MEMO_FINDINGS", count - 1)
    for _ in range(2):
        kubelint.lint([str(repo)], _settings(cache))
    assert _memo_files(cache) == [] and len(engine_runs) == 3  # every run computed its result
    monkeypatch.setattr(scanmemo, "MAX_MEMO_FINDINGS", count)
    kubelint.lint([str(repo)], _settings(cache))
    assert len(_memo_files(cache)) == 1


def test_a_file_larger_than_a_cache_entry_is_not_encoded(monkeypatch):
    from kubelint import filescan
    from kubelint.parse.source import SourceFile
    from kubelint.scan import Options

    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  k: v\n"
    unit = filescan.parse_unit(SourceFile("a.yaml", "a.yaml", text, "yaml"), Options())
    assert filescan.encode_for_cache(unit) is not None
    monkeypatch.setattr(filescan, "MAX_ENTRY_BYTES", len(text) - 1)
    assert filescan.encode_for_cache(unit) is None


# --- the status shortcut: a warm run that reads no file ---------------------------------------

@pytest.fixture
def settled(monkeypatch):
    """Files count as settled however fresh they are, as files last written a while ago do
    (the test's files were all written a moment ago)."""
    from kubelint import scanmemo

    monkeypatch.setattr(scanmemo, "RACY_SECONDS", -3600.0)


@pytest.fixture
def reads(monkeypatch) -> list[str]:
    """The files read from now on (names)."""
    from kubelint import runner

    seen: list[str] = []
    real = runner.read_source

    def spy(path, *args, **kwargs):
        seen.append(Path(path).name)
        return real(path, *args, **kwargs)
    monkeypatch.setattr(runner, "read_source", spy)
    return seen


def test_settled_unchanged_files_are_not_read_again(tmp_path, engine_runs, settled, reads):
    repo, cache = _repo(tmp_path), tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    assert sorted(reads) == ["Dockerfile", "deploy.yaml", "svc.yaml"]
    reads.clear()
    engine_runs.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert reads == [] and engine_runs == []
    assert _rows(again) == _rows(first) and len(first.findings) == 3
    assert (again.files, again.documents, again.objects) == (first.files, first.documents, first.objects) == (3, 2, 2)


def test_a_run_answered_by_the_memo_loads_its_rules_only_when_a_report_asks(tmp_path, monkeypatch, engine_runs,
                                                                           settled):
    """The memo is keyed by what the rules derive from (settings, rule files), so the run that
    it answers does not load them, unless a report describes rules (SARIF, rich)."""
    from kubelint import pipeline

    repo, cache = _repo(tmp_path), tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    loads: list[int] = []
    real = pipeline._rules
    monkeypatch.setattr(pipeline, "_rules", lambda settings: loads.append(1) or real(settings))
    engine_runs.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert engine_runs == [] and loads == []
    assert _rows(again) == _rows(first)
    assert sorted(again.rules) == sorted(first.rules) and len(first.rules) > 50
    assert again.rules["service-no-pods"].severity == first.rules["service-no-pods"].severity
    assert loads == [1]  # once, on first use


def test_files_written_just_now_are_read_and_hashed_every_time(tmp_path, engine_runs, reads):
    """Times within RACY_SECONDS of the run cannot prove a file unchanged (a second write in the
    same timestamp tick keeps them): no status entry; the next run reads the files and finds
    the result by their contents."""
    repo, cache = _repo(tmp_path), tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    reads.clear()
    engine_runs.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert sorted(reads) == ["Dockerfile", "deploy.yaml", "svc.yaml"] and engine_runs == []
    assert _rows(again) == _rows(first)


def test_a_rewrite_that_keeps_size_and_modification_time_is_seen(tmp_path, engine_runs, settled):
    """The change time gives it away: writing a file sets it to the clock's now, and nobody can
    set it back (os.utime restores the modification time only)."""
    import os

    repo, cache = _repo(tmp_path), tmp_path / "cache"
    first = kubelint.lint([str(repo)], _settings(cache))
    deploy = repo / "deploy.yaml"
    before = os.stat(deploy)
    deploy.write_text(DEPLOYMENT.format(label="xyz"))  # same length as "web": the Service selects no pod
    os.utime(deploy, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert (os.stat(deploy).st_size, os.stat(deploy).st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    engine_runs.clear()
    again = kubelint.lint([str(repo)], _settings(cache))
    assert engine_runs == [2]
    new = set(_rows(again)) - set(_rows(first))
    assert new == {("svc.yaml", 6, "service-no-pods", "warning")}


def test_reports_quote_the_same_lines_from_a_run_that_read_nothing(tmp_path, monkeypatch, engine_runs, settled):
    repo = _repo(tmp_path)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("NO_COLOR", "1")
    for fmt in ("rich", "json", "sarif", "gnu"):  # (html draws the wiring graph: never memoised)
        fresh = _report(str(repo), fmt, tmp_path / f"fresh.{fmt}", "--no-cache")
        _report(str(repo), fmt, tmp_path / f"cold.{fmt}")
        engine_runs.clear()
        warm = _report(str(repo), fmt, tmp_path / f"warm.{fmt}")
        assert engine_runs == [], fmt
        assert _untimed(warm) == _untimed(fresh), fmt
    assert b"image: nginx:1.25" in (tmp_path / "warm.rich").read_bytes()  # a quoted line


def _untimed(report: bytes) -> bytes:
    """A report without the run's duration, which the summary states."""
    import re

    return re.sub(rb"\(\d+\.\d+s\)", b"(-s)", report)
