"""Compare the findings two revisions of kubelint report on the same files.

    python tools/compare_findings.py BASE_REV DIR [DIR ...] [--config FILE] [--rules ID,ID]

Exports BASE_REV (a commit, branch or tag) into a temporary directory, runs
`python -m kubelint check DIR --format json` with it and with the working tree, and prints the
(rule, file, line, column, end, message) tuples that only one side reports. Exit code 0 when both
sides agree, 1 otherwise. A refactoring that must not change what users see (message templates,
moving code) is checked with this before it is committed.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
Key = tuple[str, str, int, int, "int | None", "int | None", str]


def export(rev: str, into: Path) -> None:
    data = subprocess.run(["git", "-C", str(ROOT), "archive", rev], check=True, capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        tar.extractall(into, filter="data")


def findings(tree: Path, target: str, config: str | None, cwd: str) -> list[Key]:
    args = [sys.executable, "-m", "kubelint", "check", target, "--format", "json", "--no-progress"]
    args += ["--config", config] if config else ["--isolated"]
    env = {**os.environ, "PYTHONPATH": str(tree), "KUBELINT_NO_CACHE": "1"}
    # The same cwd for both sides: paths are shown relative to it.
    done = subprocess.run(args, capture_output=True, text=True, env=env, cwd=cwd, check=False)
    if done.returncode not in (0, 1):
        raise SystemExit(f"{tree}: exit {done.returncode}\n{done.stderr[-2000:]}")
    out = []
    for line in done.stdout.splitlines():
        line = line.strip().rstrip(",")
        if not line.startswith("{") or '"rule"' not in line:
            continue
        f = json.loads(line)
        out.append((f["rule"], f["file"], f["line"], f["column"], f["end_line"], f["end_column"], f["message"]))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base")
    ap.add_argument("dirs", nargs="+")
    ap.add_argument("--config")
    ap.add_argument("--rules", help="only these rule ids (comma-separated)")
    opts = ap.parse_args()
    wanted = set(opts.rules.split(",")) if opts.rules else None
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        export(opts.base, base)
        for target in opts.dirs:
            target = str(Path(target).resolve())
            config = str(Path(opts.config).resolve()) if opts.config else None
            before = [k for k in findings(base, target, config, tmp) if wanted is None or k[0] in wanted]
            after = [k for k in findings(ROOT, target, config, tmp) if wanted is None or k[0] in wanted]
            gone = sorted(set(before) - set(after))
            new = sorted(set(after) - set(before))
            print(f"{target}: {len(before)} findings before, {len(after)} after, "
                  f"{len(gone)} only before, {len(new)} only after")
            for sign, keys in (("-", gone), ("+", new)):
                for rule, file, line, col, end_line, end_col, message in keys:
                    print(f"  {sign} {rule} {file}:{line}:{col}-{end_line}:{end_col}: {message}")
            if gone or new or len(before) != len(after):
                status = 1
    return status


if __name__ == "__main__":
    sys.exit(main())
