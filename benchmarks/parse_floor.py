"""Where YAML parsing time goes, and how low it could go with the parsers this project can use.

    python benchmarks/parse_floor.py [PATH ...]   (default: ../shared/corpus/k8s)

On the YAML files kubelint discovers under PATH (read once, as a run reads them), in one
process with the collector off, best of 3, CPU seconds:

  1. libyaml alone: PyYAML's C binding parsing every event without handing any to Python
     (`CParser.raw_parse`). No Python-level parser can go below this.
  2. libyaml's events as PyYAML's Python objects (`CParser.get_event` until the stream ends):
     what any builder on this binding pays before doing anything with an event.
  3. kubelint's Python builder (kubelint.parse.yaml_docs.parse_yaml with the compiled fast path
     off): the events, the data built from them and the position of every node.
  4. kubelint's parse with the compiled fast path (kubelint/_yamlfast.c, where it is built):
     libyaml straight to data and positions, the Python builder for what it hands back.

Stage 3 minus stage 2 is the Python builder's own loop; stage 2 minus stage 1 is making Python
objects of events. Stage 4 removes both for plain documents.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

REPEAT = 3


def yaml_sources(paths: list[str]) -> list:
    from kubelint.discover import discover
    from kubelint.runner import read_all

    reading = read_all(discover(paths, []), None, [])
    return [s for s in reading.sources if s.file_type != "dockerfile"]


def best_cpu(run: Callable[[], int]) -> tuple[float, int]:
    """Least CPU seconds of REPEAT runs, and what the run counted."""
    best, counted = float("inf"), 0
    for _ in range(REPEAT):
        start = time.process_time()
        counted = run()
        best = min(best, time.process_time() - start)
    return best, counted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", default=[str(ROOT.parent / "shared" / "corpus" / "k8s")])
    args = parser.parse_args()
    try:
        from yaml import events
        from yaml._yaml import CParser
    except ImportError:
        print("PyYAML with its libyaml binding is not installed: stages 1 and 2 need it", file=sys.stderr)
        return 2
    from kubelint.parse import yaml_docs

    sources = yaml_sources(args.paths)
    texts = [s.text for s in sources]
    size = sum(len(t) for t in texts)

    def libyaml_alone() -> int:
        for text in texts:
            try:
                CParser(text).raw_parse()
            except Exception:  # noqa: BLE001 - a file that does not parse stops at its error
                pass
        return 0

    def event_objects() -> int:
        count = 0
        for text in texts:
            get = CParser(text).get_event
            try:
                while type(get()) is not events.StreamEndEvent:
                    count += 1
            except Exception:  # noqa: BLE001
                pass
        return count

    compiled = yaml_docs._compiled()

    def kubelint_parse(build) -> Callable[[], int]:
        def run() -> int:
            yaml_docs._BUILD = build
            return sum(len(yaml_docs.parse_yaml(s).documents) for s in sources)
        return run

    gc.disable()  # as in a run (kubelint.gcpause)
    stages = [("libyaml alone (raw_parse)", libyaml_alone), ("+ PyYAML event objects", event_objects),
              ("+ the Python builder", kubelint_parse(None))]
    measured = [(name, *best_cpu(run)) for name, run in stages]
    count = measured[1][2]
    documents = measured[2][2]
    print(f"{len(sources)} YAML files, {size / 1e6:.1f} M characters, {count:,} events, {documents:,} documents;"
          f" CPU seconds, best of {REPEAT}")
    total = measured[-1][1]
    previous = 0.0
    for name, cpu, _ in measured:
        print(f"  {name:<32} {cpu:6.3f} s  (+{cpu - previous:.3f} s, {(cpu - previous) / total:4.0%} of the parse)"
              f"  {count / cpu:>10,.0f} events/s")
        previous = cpu
    if compiled is None:
        print("  the compiled fast path is not built here (python hatch_build.py)")
    else:
        cpu, built = best_cpu(kubelint_parse(compiled))
        assert built == documents
        print(f"  {'compiled fast path':<32} {cpu:6.3f} s  ({total / cpu:.1f}x faster than the Python builder)"
              f"  {count / cpu:>10,.0f} events/s")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak RSS {peak:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
