"""The wiring graph drawn: SVG (for the HTML report and `kubelint graph --format svg`), Graphviz
DOT and JSON. Input is the plain data of kubelint.index.graph; every text from a manifest is
escaped (control characters spelled out, then XML/DOT quoting)."""

from __future__ import annotations

import json
from html import escape as xml
from typing import Callable

from kubelint.escape import escape_text
from kubelint.report.graph_layout import NODE_H, NODE_W, GroupLayout, layout

KIND_COLOURS = {  # fill by role, readable on white
    "Ingress": "#e8f0fe", "Service": "#e6f4ea", "Secret": "#fde7e9", "ConfigMap": "#fef7e0",
    "PersistentVolumeClaim": "#f3e8fd", "ServiceAccount": "#e4f7fb", "Role": "#eceff1",
    "ClusterRole": "#eceff1", "RoleBinding": "#eceff1", "ClusterRoleBinding": "#eceff1",
}
WORKLOAD_FILL = "#fff3e0"
STYLE = """
.kg text{font:12px system-ui,sans-serif;fill:#202124}
.kg .kind{font-size:10px;fill:#5f6368}
.kg .node rect{stroke:#5f6368;stroke-width:1}
.kg .node.missing rect{fill:#fff;stroke:#d93025;stroke-width:2;stroke-dasharray:5 3}
.kg .node.missing text{fill:#d93025}
.kg .node.external rect{fill:#fff;stroke:#9aa0a6;stroke-dasharray:3 3}
.kg .node.external text{fill:#80868b}
.kg .edge{fill:none;stroke:#80868b;stroke-width:1.3}
.kg .edge.broken{stroke:#d93025;stroke-width:2.2}
.kg .edge.external{stroke:#bdc1c6;stroke-dasharray:4 3}
.kg .group-title{font-size:14px;font-weight:600}
"""


def _t(value) -> str:
    return xml(escape_text(value), quote=True)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def fill(kind: str) -> str:
    from kubelint.report.graph_layout import WORKLOADS

    return WORKLOAD_FILL if kind in WORKLOADS else KIND_COLOURS.get(kind, "#f1f3f4")


def svg_group(group: GroupLayout, graph: dict, edge_href: Callable[[dict], str | None] | None = None,
              node_href: Callable[[dict], str | None] | None = None, dx: int = 0, dy: int = 0) -> str:
    """The <g> of one group's nodes and edges, shifted by (dx, dy)."""
    nodes = {n["id"]: n for n in graph["nodes"]}
    parts = []
    for e in graph["edges"]:
        a, b = group.boxes.get(e["source"]), group.boxes.get(e["target"])
        if a is None or b is None:
            continue
        x1, y1 = a.x + a.w + dx, a.y + a.h / 2 + dy
        x2, y2 = b.x + dx, b.y + b.h / 2 + dy
        if b.x <= a.x:  # a target in the same or an earlier column: loop around below
            x2 = b.x + dx + b.w / 2
            y2 = b.y + dy + (b.h if b.y > a.y else 0)
        mid = (x1 + x2) / 2
        d = f"M{x1:.0f},{y1:.0f} C{mid:.0f},{y1:.0f} {mid:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
        title = f"{e['relation']} {e['label']}".strip()
        if e.get("rule"):
            title += f" — {e['rule']} ({e['file']}:{e['line']})"
        attrs = (f'class="edge {_t(e["state"])}" data-source="{_t(e["source"])}" '
                 f'data-target="{_t(e["target"])}" data-state="{_t(e["state"])}"')
        if e.get("rule"):
            attrs += f' data-rule="{_t(e["rule"])}"'
        path = f'<path {attrs} d="{d}" marker-end="url(#arrow-{_t(e["state"])})"><title>{_t(title)}</title></path>'
        href = edge_href(e) if edge_href else None
        parts.append(f'<a href="{_t(href)}">{path}</a>' if href else path)
    for nid, box in group.boxes.items():
        n = nodes[nid]
        x, y = box.x + dx, box.y + dy
        kind_line = n["kind"] if n["state"] == "object" else f"{n['kind']} ({n['state']})"
        where = f"{n['file']}:{n['line']}" if n.get("file") else n["state"]
        node = (f'<g class="node {_t(n["state"])}" data-id="{_t(nid)}" data-kind="{_t(n["kind"])}" '
                f'data-state="{_t(n["state"])}">'
                f'<title>{_t(n["kind"])} {_t(n["name"])} — {_t(where)}</title>'
                f'<rect x="{x}" y="{y}" width="{NODE_W}" height="{NODE_H}" rx="6" fill="{fill(n["kind"])}"/>'
                f'<text class="kind" x="{x + 8}" y="{y + 14}">{_t(_short(kind_line, 34))}</text>'
                f'<text x="{x + 8}" y="{y + 30}">{_t(_short(n["name"], 30))}</text></g>')
        href = node_href(n) if node_href else None
        parts.append(f'<a href="{_t(href)}">{node}</a>' if href else node)
    return "\n".join(parts)


def markers() -> str:
    colours = {"ok": "#80868b", "broken": "#d93025", "external": "#bdc1c6"}
    return "<defs>" + "".join(
        f'<marker id="arrow-{state}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="{colour}"/></marker>'
        for state, colour in colours.items()) + "</defs>"


def svg_document(graph: dict) -> str:
    """Every group, one under the other, with its namespace as a title."""
    groups = layout(graph)
    width = max([g.width for g in groups] + [320])
    y = 0
    body = []
    for g in groups:
        body.append(f'<text class="group-title" x="16" y="{y + 22}">namespace {_t(g.name)}</text>'
                    if g.name != "(cluster)" else f'<text class="group-title" x="16" y="{y + 22}">cluster-wide</text>')
        body.append(f'<g class="group" data-group="{_t(g.name)}">{svg_group(g, graph, dy=y + 30)}</g>')
        y += g.height + 40
    height = max(y, 60)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="kg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}"><style>{STYLE}</style>{markers()}'
            f'<rect width="100%" height="100%" fill="#fff"/>' + "\n".join(body) + "</svg>\n")


def _dot_text(value) -> str:
    return escape_text(value).replace("\\", "\\\\").replace('"', '\\"')


def _dot_id(value) -> str:
    return f'"{_dot_text(value)}"'


def dot_document(graph: dict) -> str:
    lines = ["digraph kubelint {", "  rankdir=LR;",
             '  node [shape=box, style="rounded,filled", fontname="sans-serif"];']
    by_group: dict[str, list[dict]] = {}
    for n in graph["nodes"]:
        by_group.setdefault(n["group"], []).append(n)
    for i, group in enumerate(graph["groups"]):
        lines.append(f"  subgraph cluster_{i} {{")
        lines.append(f"    label={_dot_id('namespace ' + group if group != '(cluster)' else 'cluster-wide')};")
        for n in by_group.get(group, []):
            style = {"missing": ', color="#d93025", style="rounded,dashed", fontcolor="#d93025"',
                     "external": ', color="#9aa0a6", style="rounded,dashed", fontcolor="#80868b"'}.get(n["state"], "")
            kind = n["kind"] if n["state"] == "object" else f"{n['kind']} ({n['state']})"
            lines.append(f'    {_dot_id(n["id"])} [label="{_dot_text(kind)}\\n{_dot_text(n["name"])}", '
                         f'fillcolor="{fill(n["kind"])}"{style}];')
        lines.append("  }")
    for e in graph["edges"]:
        style = {"broken": ', color="#d93025", penwidth=2',
                 "external": ', color="#bdc1c6", style=dashed'}.get(e["state"], "")
        label = f"{e['relation']} {e['label']}".strip()
        lines.append(f'  {_dot_id(e["source"])} -> {_dot_id(e["target"])} [label={_dot_id(label)}{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def json_document(graph: dict) -> str:
    return json.dumps(graph, indent=2, ensure_ascii=False) + "\n"
