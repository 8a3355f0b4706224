"""How much of a run the cross-object analysis takes.

    python benchmarks/crossobject.py [PATH ...]   (default: ../shared/corpus/k8s)

Reads and parses the files, runs every enabled rule, and prints the wall time of the whole run
and the share of the cross-object checks and adjusters (from Engine.timings, which records each
check by name; the index is built inside the first cross-object check that asks for it).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

from kubelint.discover import discover
import kubelint.checks  # noqa: F401  (registers the checks)
from kubelint.engine.engine import Engine
from kubelint.engine.loader import load_rules
from kubelint.runner import build_scan
from kubelint.ruleapi.registry import registered_adjusters, registered_checks
from kubelint.scan import Options

CROSS_OBJECT = tuple(
    [spec.name for spec in registered_checks().values() if spec.run.__module__.startswith("kubelint.checks.crossobject.")]
    + [adj.name for adj in registered_adjusters() if adj.adjust.__module__.startswith("kubelint.checks.crossobject.")])


def measure(paths: list[str], options: Options | None = None) -> dict:
    start = time.perf_counter()
    scan = build_scan(discover(paths, []), options or Options())
    parsed = time.perf_counter()
    engine = Engine(load_rules())
    findings = engine.run(scan)
    end = time.perf_counter()
    cross = {name: engine.timings.get(name, 0.0) for name in CROSS_OBJECT}
    return {"objects": len(scan.objects), "findings": len(findings), "total": end - start,
            "parse": parsed - start, "engine": end - parsed, "cross": sum(cross.values()),
            "by_check": cross}


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "k8s"
    paths = argv or [str(default)]
    m = measure(paths)
    print(f"{m['objects']} objects, {m['findings']} findings")
    print(f"run {m['total']:.2f} s (read+parse {m['parse']:.2f} s, rules {m['engine']:.2f} s)")
    print(f"cross-object {m['cross']:.3f} s = {100 * m['cross'] / m['total']:.1f}% of the run, "
          f"{100 * m['cross'] / m['engine']:.1f}% of the rules")
    for name, seconds in sorted(m["by_check"].items()):
        print(f"  {name:22} {seconds:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
