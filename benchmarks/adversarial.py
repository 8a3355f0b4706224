"""Hostile inputs (issue 11, Resources): time and peak memory of `kubelint check` on each.

    python benchmarks/adversarial.py [--case NAME ...] [--scale 1.0]

Each case is written by a generator of tests/adversarial/generators.py (the regression tests in
tests/test_adversarial.py and tests/test_user_regex.py lint the same inputs and assert counts
and caps) and linted in a fresh process with all default rules; the table prints input size,
exit code, wall seconds and peak RSS, and flags a case over the budget of 10 s or 500 MB.
`--scale` multiplies each case's size parameter (2 doubles the input).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from adversarial import generators as gen  # noqa: E402

BUDGET_SECONDS, BUDGET_MIB = 10.0, 500


def _cases(scale: float) -> dict:
    """name -> (file name, text, extra arguments). Sizes are the issue's figures at scale 1."""
    n = lambda size: max(1, int(size * scale))  # noqa: E731
    configmaps = "---\n".join(f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\ndata:\n  k: v\n"
                              for i in range(n(40_000)))
    return {
        "env-expansion-bomb (40 lines)": ("Dockerfile", gen.env_expansion_bomb(n(40)), []),
        "dockerfile heredoc 140 KB": ("Dockerfile", gen.dockerfile_heredoc(n(140_000)), []),
        "dockerfile 10,000 continuations": ("Dockerfile", gen.dockerfile_continuations(n(10_000)), []),
        "dockerfile 10,000 && commands": ("Dockerfile", gen.dockerfile_and_commands(n(10_000)), []),
        "dockerfile 10,000 ENV lines": ("Dockerfile", gen.many_env_lines(n(10_000)), []),
        "yaml aliases under the node limit": ("pod.yaml", gen.yaml_aliases(n(19_000)), []),
        "schema errors on aliased mappings": ("pod.yaml", gen.schema_errors_on_aliases(), []),
        "env value 200 KB a.a.a...": ("pod.yaml", gen.env_secret_url(n(200_000)), []),
        "overlapping selectors 1,000": ("deploy.yaml", gen.overlapping_selectors(n(1_000)), []),
        "overlapping selectors 2,000": ("deploy.yaml", gen.overlapping_selectors(n(2_000)), []),
        "40,000 ConfigMaps in one file": ("cms.yaml", configmaps, []),
        "10 MB of findings, --format json": ("pods.yaml", gen.many_findings(n(60_000)), ["--format", "json"]),
        "10 MB of findings, --format plain": ("pods.yaml", gen.many_findings(n(60_000)), ["--format", "plain"]),
        "custom rule (a+)+$ on 100,000 a's": ("pod.yaml", gen.long_a_value(n(100_000)), ["--rules-dir", "{rules}"]),
    }


def run(path: Path, extra: list[str]) -> tuple[float, float, int]:
    cmd = [sys.executable, "-m", "kubelint", "check", str(path), "--no-progress", "-o", os.devnull, *extra]
    if "--format" not in extra:
        cmd += ["--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", action="append", help="run only cases whose name contains this")
    parser.add_argument("--scale", type=float, default=1.0)
    args = parser.parse_args()
    print(f"{'case':<38} {'input':>9} {'exit':>4} {'wall s':>8} {'peak MiB':>9}")
    over = 0
    with tempfile.TemporaryDirectory(prefix="kubelint-adversarial-") as tmp:
        rules = Path(tmp) / "rules"
        rules.mkdir()
        (rules / "no-aaa-names.yaml").write_text(gen.backtracking_regex_rule())
        for name, (file_name, text, extra) in _cases(args.scale).items():
            if args.case and not any(c in name for c in args.case):
                continue
            case_dir = Path(tmp) / str(abs(hash(name)))
            case_dir.mkdir()
            path = case_dir / file_name
            path.write_text(text)
            wall, rss, code = run(path, [e.replace("{rules}", str(rules)) for e in extra])
            flag = "  OVER BUDGET" if wall > BUDGET_SECONDS or rss > BUDGET_MIB else ""
            over += bool(flag)
            size = len(text.encode())
            shown = f"{size / 1e6:.1f} MB" if size >= 1e6 else f"{size / 1e3:.0f} KB"
            print(f"{name:<38} {shown:>9} {code:>4} {wall:>8.2f} {rss:>9.0f}{flag}", flush=True)
    print(f"budget: {BUDGET_SECONDS:.0f} s and {BUDGET_MIB} MB per case; {over} over")


if __name__ == "__main__":
    main()
