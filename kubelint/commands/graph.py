"""`kubelint graph PATH --format dot|svg|json`: the wiring graph of the scanned objects.

The same scan as `kubelint check` (config, excludes, --namespace, --complete), then the rules
whose findings are broken references (those the configuration enables), so that the graph's red
edges are exactly what `kubelint check` reports. The exit code is 0 whatever the graph shows.
"""

from __future__ import annotations

import sys

from kubelint.errors import KubelintError

GRAPH_FORMATS = ("svg", "dot", "json")


def add_parser(sub, config_options) -> None:
    graph = sub.add_parser("graph", help="draw the wiring graph of the objects (dot, svg or json)")
    graph.add_argument("paths", nargs="*", default=None, metavar="PATH",
                       help="files or directories (default: .)")
    config_options(graph)
    graph.add_argument("--format", choices=GRAPH_FORMATS, default="svg", help="default: svg")
    graph.add_argument("--output", "-o", default="-", metavar="FILE", help="where (default: - for stdout)")
    graph.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip paths matching GLOB")
    graph.add_argument("--namespace", default=None, metavar="NS",
                       help="namespace of objects that name none (default: default)")
    graph.add_argument("--complete", action="store_true", default=None,
                       help="the scan is the whole application: report every missing reference")


def scan_graph(paths: list[str], settings, all_rules: dict, exclude=(), force_all_broken: bool = False) -> dict:
    """Scan `paths` and build the graph, with the broken-reference rules the settings enable."""
    from kubelint import suppress
    from kubelint.discover import discover
    from kubelint.engine.engine import Engine
    from kubelint.index.graph import BROKEN_RULES, build_graph
    from kubelint.runner import build_scan
    from kubelint.scan import Options
    from kubelint.selection import select_rules

    discovered = discover(paths, list(exclude), None, excluded=settings.excluded)
    if discovered.missing:
        raise KubelintError(f"no such file or directory: {discovered.missing[0]}")
    enabled = select_rules(all_rules, settings.select, settings.ignore, {}, {}, settings.extend_select)
    rules = {rid: r for rid, r in enabled.items() if rid in BROKEN_RULES or force_all_broken}
    options = Options(namespace=settings.namespace, complete=settings.complete)
    scan = build_scan(discovered, options)
    outcome = suppress.apply(Engine(rules).run(scan), scan, all_rules, rules, settings.allow_inline_ignores)
    return build_graph(scan, [f for f in outcome.findings if not f.suppressed])


def run_graph(args) -> int:
    from kubelint.config import Settings, resolve_config
    from kubelint.engine.loader import load_rules
    from kubelint.report.graph_render import dot_document, json_document, svg_document
    from kubelint.safe_write import atomic_open

    config = resolve_config(args.config, args.isolated)
    settings = Settings.from_config(config)
    if args.namespace is not None:
        settings.namespace = args.namespace
    if args.complete:
        settings.complete = True
    graph = scan_graph(args.paths or ["."], settings, load_rules(settings.rules_dirs), args.exclude)
    text = {"svg": svg_document, "dot": dot_document, "json": json_document}[args.format](graph)
    if args.output == "-":
        sys.stdout.write(text)
        return 0
    try:
        with atomic_open(args.output) as out:
            out.write(text)
    except OSError as exc:
        raise KubelintError(f"cannot write {args.output}: {exc.strerror or exc}") from None
    return 0
