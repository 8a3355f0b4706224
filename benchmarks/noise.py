"""How noisy a first run is: findings per workload with the recommended set and with every rule.

    python benchmarks/noise.py [PATH ...]   (default: ../shared/corpus/k8s)

A workload is an object with a pod spec (Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod,
...). For the recommended set (no `select`, as a new user runs kubelint) and for `select: [all]`
(what every run got before the set existed), prints the share of workloads with no finding, the
median and 90th percentile of findings per workload, and the rules behind the findings on
workloads, most frequent first. Inline suppressions in the files count, as in a real run.
"""

from __future__ import annotations

import statistics
import sys
from collections import Counter
from pathlib import Path

from kubelint import suppress
from kubelint.discover import discover
from kubelint.engine.engine import Engine
from kubelint.engine.loader import load_rules
from kubelint.runner import build_scan
from kubelint.scan import Options
from kubelint.selection import select_rules


def per_workload(scan, all_rules: dict, select: list[str] | None) -> tuple[list[int], Counter]:
    rules = select_rules(all_rules, select)
    outcome = suppress.apply(Engine(rules).run(scan), scan, all_rules, rules)
    workloads = {(o.file, o.ref) for o in scan.objects if o.is_pod_bearing}
    counts: Counter = Counter()
    by_rule: Counter = Counter()
    for f in outcome.findings:
        key = (f.file, f.object)
        if not f.suppressed and key in workloads:
            counts[key] += 1
            by_rule[f.rule] += 1
    return [counts[w] for w in workloads], by_rule


def describe(name: str, counts: list[int], by_rule: Counter, top: int) -> None:
    if not counts:
        print(f"{name}: no workloads")
        return
    clean = sum(1 for c in counts if c == 0)
    p90 = statistics.quantiles(counts, n=10)[-1] if len(counts) > 1 else counts[0]
    print(f"{name}: {clean}/{len(counts)} workloads ({100 * clean / len(counts):.0f}%) have no finding; "
          f"median {statistics.median(counts):g}, 90th percentile {p90:g}, "
          f"{sum(counts)} findings on workloads")
    for rule, n in by_rule.most_common(top):
        print(f"  {n:6}  {rule}")


def main(argv: list[str]) -> int:
    default = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "k8s"
    paths = argv or [str(default)]
    scan = build_scan(discover(paths, []), Options())
    all_rules = load_rules()
    after = per_workload(scan, all_rules, None)
    before = per_workload(scan, all_rules, ["all"])
    describe("recommended set (default)", *after, top=15)
    describe("every rule (select: [all], the behaviour before the default set)", *before, top=10)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
