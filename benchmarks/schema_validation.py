"""Schema validation speed: parse alone, parse + validation, and kubernetes-validate, on the same
documents in the same run.

    python benchmarks/schema_validation.py [--corpus ../shared/corpus/k8s] [--kubernetes-version 1.37]
                                           [--kv-limit N] [--skip-kv]

Prints docs/s for each, the overhead validation adds to parsing (target: <= 40%), and kubelint's
validation throughput against kubernetes-validate's (target: >= 20x), both measured on the objects
that both can validate (built-in kinds of the chosen version). kubernetes-validate is a dev-only
peer here (`pip install kubernetes-validate`); `--kv-limit N` times it on the first N of those
objects only, since it manages a few dozen per second.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kubelint.model.k8s import objects_from_document  # noqa: E402
from kubelint.parse.source import SourceFile  # noqa: E402
from kubelint.parse.yaml_docs import parse_yaml  # noqa: E402
from kubelint.ruleapi.context import CheckContext  # noqa: E402
from kubelint.engine.loader import load_rule_file  # noqa: E402
from kubelint.scan import Options, Scan  # noqa: E402
from kubelint.validate import bundled as bundled_module  # noqa: E402
from kubelint.checks.schema import RULES, run  # noqa: E402


def read_corpus(corpus: Path) -> list[tuple[str, str]]:
    return [(str(p), p.read_text(encoding="utf-8", errors="replace"))
            for p in sorted(corpus.rglob("*")) if p.is_file() and p.suffix in (".yaml", ".yml")]


def parse_all(texts, options: Options) -> Scan:
    scan = Scan(options=options)
    for path, text in texts:
        source = SourceFile(path, path, text, "yaml")
        for doc in parse_yaml(source).documents:
            scan.documents += 1
            scan.objects.extend(objects_from_document(doc))
    return scan


def schema_rules() -> dict:
    return {r: load_rule_file(ROOT / "rules" / "schema" / f"{r}.yaml", builtin=True, validate=False) for r in RULES}


def fresh_caches() -> None:
    """Validation is timed from a cold start: definitions are read and compiled inside the timing."""
    bundled_module.bundled.cache_clear()
    bundled_module._read.cache_clear()
    bundled_module._index.cache_clear()


def timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus" / "k8s"))
    ap.add_argument("--kubernetes-version", default=None)
    ap.add_argument("--kv-limit", type=int, default=0, help="time kubernetes-validate on the first N objects only")
    ap.add_argument("--skip-kv", action="store_true")
    args = ap.parse_args(argv)

    texts = read_corpus(Path(args.corpus))
    options = Options(kubernetes_version=args.kubernetes_version)
    rules = schema_rules()

    # 1. parse alone
    gc.collect()
    t_parse, scan = timed(lambda: parse_all(texts, options))
    docs, n_objects = scan.documents, len(scan.objects)
    del scan  # a second scan in memory would slow the next parse (bigger heap to collect)
    # 2. parse + validation (validation timed separately, cold caches)
    fresh_caches()
    gc.collect()
    t_parse2, scan2 = timed(lambda: parse_all(texts, options))
    t_validate, findings = timed(lambda: run(CheckContext(scan2, rules)))
    print(f"corpus: {len(texts)} files, {docs} documents, {n_objects} objects")
    print(f"parse alone:         {t_parse:7.2f} s  {docs / t_parse:8.0f} docs/s")
    print(f"parse + validation:  {t_parse2 + t_validate:7.2f} s  {docs / (t_parse2 + t_validate):8.0f} docs/s"
          f"   (validation {t_validate:.2f} s, {len(findings)} findings)")
    overhead = t_validate / t_parse2
    print(f"validation adds {overhead:.0%} to parse time (target <= 40%): {'OK' if overhead <= 0.40 else 'MISSED'}")

    # 3. the objects both tools validate: built-in kinds of the chosen version
    state = scan2.cached("validate.schema-state", lambda _s: None)
    both = [o for o in scan2.objects if state.schemas.definition(o.api_version, o.kind)]
    fresh_caches()
    scan2._cache.clear()
    gc.collect()
    t_ours, _ = timed(lambda: run(CheckContext(_subset(scan2, both), rules)))
    ours_rate = len(both) / t_ours
    print(f"kubelint validation of {len(both)} built-in objects: {t_ours:.2f} s, {ours_rate:.0f} objects/s (cold)")
    if args.skip_kv:
        return 0
    try:
        import kubernetes_validate
    except ImportError:
        print("kubernetes-validate is not installed (pip install kubernetes-validate); ratio not measured")
        return 0
    sample = both[: args.kv_limit] if args.kv_limit else both
    version = f"{state.schemas.minor[0]}.{state.schemas.minor[1]}.0"

    def kv():
        for o in sample:
            try:
                kubernetes_validate.validate(o.data, version, strict=True)
            except Exception:  # noqa: BLE001 - validation errors and unknown schemas alike
                pass
    t_kv, _ = timed(kv)
    kv_rate = len(sample) / t_kv
    ratio = ours_rate / kv_rate
    print(f"kubernetes-validate {kubernetes_validate.__version__} ({version}, strict) on {len(sample)} of them: "
          f"{t_kv:.2f} s, {kv_rate:.1f} objects/s")
    print(f"kubelint / kubernetes-validate: {ratio:.0f}x (target >= 20x): {'OK' if ratio >= 20 else 'MISSED'}")
    return 0


def _subset(scan: Scan, objects) -> Scan:
    sub = Scan(options=scan.options)
    sub.objects = list(objects)
    sub.documents = len(sub.objects)
    return sub


if __name__ == "__main__":
    sys.exit(main())
