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


def scan_graph(paths: list[str], settings) -> dict:
    """Lint `paths` through the one pipeline, with only the broken-reference rules the settings
    enable, and return the wiring graph it built."""
    from kubelint.engine.loader import load_rules
    from kubelint.index.graph import BROKEN_RULES
    from kubelint.pipeline import lint
    from kubelint.selection import select_rules

    all_rules = load_rules(settings.rules_dirs)
    enabled = select_rules(all_rules, settings.select, settings.ignore, {}, {}, settings.extend_select,
                           profile=settings.profile, pod_security=settings.pod_security)
    settings.select, settings.extend_select = [r for r in enabled if r in BROKEN_RULES], []
    settings.profile, settings.pod_security = None, None
    settings.graph = True
    result = lint(paths, settings)
    return result.graph or {}


def run_graph(args) -> int:
    from kubelint.pipeline import Settings
    from kubelint.report.graph_render import dot_document, json_document, svg_document
    from kubelint.safe_write import atomic_open

    settings = Settings.load(args.config, args.isolated)
    settings.extra_exclude = list(args.exclude)
    if args.namespace is not None:
        settings.namespace = args.namespace
    if args.complete:
        settings.complete = True
    graph = scan_graph(args.paths or ["."], settings)
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
