"""`--format html`: one self-contained page (inline CSS, JS and SVG; no request leaves the file
but the doc links a reader clicks) with an overview, filters, the findings per file with code
frames, and the wiring graph of the scan when the run computed one (`report.graph`).

Everything from a manifest, a rule file or a file name is escaped twice over: control
characters spelled out (`escape_text`), then HTML-quoted. The script reads only data-*
attributes; no value from the scan is ever placed inside it.
"""

from __future__ import annotations

from collections import Counter
from html import escape as _h

from kubelint import __version__
from kubelint.escape import escape_text
from kubelint.report import frame
from kubelint.report.graph_render import STYLE as GRAPH_STYLE
from kubelint.report.plain import summary_line

SEVERITY_ORDER = ("error", "warning", "info")


def h(value) -> str:
    return _h(escape_text(value), quote=True)


def _anchor(file: str) -> str:
    return "file-" + "".join(c if c.isalnum() else "-" for c in escape_text(file))


def _category(report, f) -> str:
    rule = report.rules.get(f.rule)
    return rule.category if rule is not None else ""


def _namespace(f) -> str:
    return (f.object.namespace or "") if f.object is not None else ""


def render(report, stream) -> None:
    findings = list(report.findings)
    ids = {id(f): f"f-{i}" for i, f in enumerate(findings)}
    by_place: dict[tuple, str] = {}
    for f in findings:
        by_place.setdefault((f.file, f.line), ids[id(f)])
        by_place.setdefault((f.file, f.line, f.rule), ids[id(f)])
    parts = [_head(report), _overview(report, findings), _filters(report, findings)]
    if report.graph is not None:
        parts.append(_graph(report.graph, by_place))
    parts.append(_findings(report, findings, ids, by_place))
    parts.append(_foot(report))
    stream.write("\n".join(parts))


def _head(report) -> str:
    return (f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>kubelint report</title><style>{CSS}</style></head><body>\n"
            f"<header><h1>kubelint report</h1><p class=\"summary\">{h(summary_line(report))}</p></header>")


def _counts_table(title: str, counter: Counter, cls: str, limit: int = 12) -> str:
    rows = "".join(f'<tr><td class="{cls}">{h(k) or "—"}</td><td class="n">{n}</td></tr>'
                   for k, n in counter.most_common(limit))
    more = f'<tr><td colspan="2" class="more">and {len(counter) - limit} more</td></tr>' if len(counter) > limit else ""
    return f'<section class="card"><h3>{h(title)}</h3><table>{rows}{more}</table></section>'


def _overview(report, findings) -> str:
    sev = Counter(f.severity for f in findings)
    words = {"error": "errors", "warning": "warnings", "info": "info"}
    badges = "".join(f'<span class="badge {s}">{sev.get(s, 0)} {s if sev.get(s, 0) == 1 else words[s]}</span>'
                     for s in SEVERITY_ORDER)
    return ('<section id="overview"><h2>Overview</h2>'
            f'<div class="badges">{badges}</div><div class="cards">'
            + _counts_table("By rule", Counter(f.rule for f in findings), "rule")
            + _counts_table("By category", Counter(_category(report, f) for f in findings), "cat")
            + _counts_table("Top files", Counter(f.file for f in findings), "fname", 8)
            + "</div></section>")


def _options(values) -> str:
    return "".join(f'<option value="{h(v)}">{h(v) or "(none)"}</option>' for v in sorted(set(values)))


def _filters(report, findings) -> str:
    sev = "".join(f'<label><input type="checkbox" class="f-sev" value="{s}" checked> {s}</label>'
                  for s in SEVERITY_ORDER)
    selects = [("rule", [f.rule for f in findings]), ("category", [_category(report, f) for f in findings]),
               ("file", [f.file for f in findings]), ("namespace", [_namespace(f) for f in findings])]
    boxes = "".join(f'<label>{name} <select id="f-{name}" data-key="{name}"><option value="*">all</option>'
                    f"{_options(values)}</select></label>" for name, values in selects)
    return (f'<section id="filters"><h2>Filters</h2><div class="filters">{sev}{boxes}'
            f'<span id="shown-count"></span></div></section>')


def _graph(graph: dict, by_place: dict) -> str:
    from kubelint.report.graph_layout import layout
    from kubelint.report.graph_render import markers, svg_group

    def edge_href(e):
        f = e.get("finding")
        if not f:
            return None
        target = by_place.get((f["file"], f["line"], f["rule"]))
        return f"#{target}" if target else None

    sections = []
    broken = sum(e["state"] == "broken" for e in graph["edges"])
    objects = sum(n["state"] == "object" for n in graph["nodes"])
    for g in layout(graph):
        title = "cluster-wide objects" if g.name == "(cluster)" else f"namespace {g.name}"
        svg = (f'<svg class="kg" width="{g.width}" height="{g.height}" viewBox="0 0 {g.width} {g.height}" '
               f'role="img" aria-label="{h(title)}">{markers()}{svg_group(g, graph, edge_href)}</svg>')
        sections.append(f'<div class="graph-group" data-namespace="{h(g.name)}"><h3>{h(title)}</h3>'
                        f'<div class="graph-scroll">{svg}</div></div>')
    legend = ('<p class="legend"><span class="l-ok">reference</span> <span class="l-broken">broken '
              'reference (click it for the finding)</span> <span class="l-external">not in the scan '
              '(not reported)</span></p>')
    return (f'<section id="graph"><h2>Wiring graph</h2><p>{objects} objects, {len(graph["edges"])} references, '
            f'{broken} broken.</p>{legend}{"".join(sections) or "<p>No Kubernetes objects.</p>"}</section>')


def _findings(report, findings, ids, by_place) -> str:
    out = ['<section id="findings"><h2>Findings</h2>']
    if not findings:
        out.append("<p>No findings.</p>")
    sources = report.sources
    current = None
    i = 0
    while i < len(findings):
        f = findings[i]
        group = [f]
        while i + len(group) < len(findings) and _place(findings[i + len(group)]) == _place(f):
            group.append(findings[i + len(group)])
        i += len(group)
        if f.file != current:
            if current is not None:
                out.append("</div>")
            current = f.file
            out.append(f'<div class="file" id="{_anchor(f.file)}" data-file="{h(f.file)}"><h3>{h(f.file)}</h3>')
        source = sources.get(f.file)
        code = ""
        if source is not None and source.line(f.line):
            code = _code(frame.build(group, source))
        items = "".join(_finding(report, g, ids[id(g)], by_place) for g in group)
        out.append(f'<div class="frame">{code}{items}</div>')
    if current is not None:
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _place(f) -> tuple:
    return f.file, f.line


def _code(rows) -> str:
    lines = []
    for r in rows:
        if r.kind == "source":
            cls = "src in-span" if r.in_span else "src"
            lines.append(f'<span class="{cls}"><span class="ln">{r.number}</span>{_h(r.text)}</span>')
        elif r.kind == "gap":
            lines.append(f'<span class="gap"><span class="ln">…</span>{_h(r.text)}</span>')
        else:
            start, end, severity = r.marks[0]
            underline = " " * start + "^" * max(end - start, 1)
            lines.append(f'<span class="mark {severity}"><span class="ln"></span>{underline}</span>')
    return "<pre>" + "".join(lines) + "</pre>"


def _finding(report, f, anchor: str, by_place: dict) -> str:
    attrs = (f'data-severity="{h(f.severity)}" data-rule="{h(f.rule)}" data-category="{h(_category(report, f))}" '
             f'data-file="{h(f.file)}" data-namespace="{h(_namespace(f))}"')
    obj = ""
    if f.object is not None and f.object.kind:
        label = f"stage {f.object.name}" if f.object.kind == "Stage" else f.object.label()
        obj = f' <span class="obj">{h(label)}</span>'

    doc = f' <a class="doc" href="{h(f.doc_url)}">docs</a>' if f.doc_url else ""
    parts = [f'<div class="finding" id="{anchor}" {attrs}>'
             f'<div class="head"><span class="sev {h(f.severity)}">{h(f.severity)}</span> '
             f'<span class="rule">{h(f.rule)}</span> <span class="loc">{h(f.file)}:{f.line}:{f.column}</span>'
             f'{obj}{doc}</div><div class="msg">{h(f.message)}</div>']
    for r in f.related:
        target = by_place.get((r.file, r.line))
        href = f"#{target}" if target else f"#{_anchor(r.file)}"
        parts.append(f'<div class="note">note: <a href="{h(href)}">{h(r.file)}:{r.line}</a> {h(r.message)}</div>')
    if f.remediation:
        parts.append(f'<div class="help">help: {h(" ".join(f.remediation.split()))}</div>')
    parts.append("</div>")
    return "".join(parts)


def _foot(report) -> str:
    notes = "".join(f"<li>{h(n)}</li>" for n in report.notes)
    skipped = "".join(f"<li>skipped {h(p)}: {h(r)}</li>" for p, r in report.skipped_files)
    extra = f"<ul>{notes}{skipped}</ul>" if notes or skipped else ""
    return (f'<footer>{extra}<p>kubelint {h(__version__)}</p></footer>'
            f"<script>{SCRIPT}</script></body></html>\n")


# The graph's own rules come from graph_render.STYLE (shared with `kubelint graph --format svg`);
# the page only makes broken edges thicker and clickable, since each links to its finding.
CSS = GRAPH_STYLE + """
body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1200px;padding:0 16px 40px;color:#202124}
h1{font-size:22px;margin:18px 0 4px}
h2{font-size:18px;border-bottom:1px solid #dadce0;padding-bottom:4px;margin-top:28px}
h3{font-size:15px;margin:16px 0 6px}
.summary{color:#5f6368;margin:0}
.badges{margin:8px 0}
.badge{display:inline-block;border-radius:12px;padding:2px 10px;margin-right:6px;font-weight:600}
.badge.error,.sev.error{background:#fce8e6;color:#c5221f}
.badge.warning,.sev.warning{background:#fef7e0;color:#b06000}
.badge.info,.sev.info{background:#e8f0fe;color:#1967d2}
.cards{display:flex;flex-wrap:wrap;gap:12px}
.card{border:1px solid #dadce0;border-radius:8px;padding:6px 12px;min-width:220px}
.card table{border-collapse:collapse;width:100%}
.card td{padding:1px 4px;font-size:13px}
.card td.n{text-align:right}
.card td.fname{word-break:break-all}
.more{color:#5f6368}
.filters{display:flex;flex-wrap:wrap;gap:10px 16px;align-items:center}
.filters select{max-width:260px}
#shown-count{color:#5f6368}
.file h3{font-family:ui-monospace,monospace;word-break:break-all}
.frame{border:1px solid #dadce0;border-radius:8px;margin:8px 0;overflow:hidden}
.frame pre{margin:0;padding:6px 0;background:#f8f9fa;overflow-x:auto;font:12.5px/1.4 ui-monospace,monospace}
.frame pre>span{display:block;white-space:pre;min-height:1.4em}
.ln{display:inline-block;vertical-align:top;width:4em;text-align:right;padding-right:10px;color:#80868b}
.in-span{background:#fff8e1}
.mark{font-weight:700}
.mark.error{color:#d93025}
.mark.warning{color:#e37400}
.mark.info{color:#1a73e8}
.gap{color:#80868b}
.finding{padding:6px 12px;border-top:1px solid #eee}
.finding:target{background:#fff3cd}
.sev{border-radius:4px;padding:0 6px;font-weight:600;font-size:12px}
.rule{font-family:ui-monospace,monospace;font-weight:600}
.loc,.obj{color:#5f6368;font-size:12px}
.doc{font-size:12px}
.msg{margin:2px 0}
.help{color:#137333}
.note{color:#5f6368}
.hidden{display:none!important}
.graph-scroll{overflow:auto;border:1px solid #dadce0;border-radius:8px;max-height:80vh}
.legend span{margin-right:14px}
.l-ok::before,.l-broken::before,.l-external::before{content:"";display:inline-block;width:26px;height:0;
margin-right:6px;vertical-align:middle;border-top:2px solid #80868b}
.l-broken::before{border-top:3px solid #d93025}
.l-external::before{border-top:2px dashed #bdc1c6}
.kg .edge.broken{stroke-width:2.4;cursor:pointer}
footer{margin-top:30px;color:#5f6368;font-size:12px}
"""

SCRIPT = """
(function(){
  var sev=[].slice.call(document.querySelectorAll('.f-sev'));
  var selects=[].slice.call(document.querySelectorAll('#filters select'));
  var findings=[].slice.call(document.querySelectorAll('.finding'));
  function apply(){
    var on={};sev.forEach(function(c){on[c.value]=c.checked;});
    var want={};selects.forEach(function(s){want[s.dataset.key]=s.value;});
    var shown=0;
    findings.forEach(function(f){
      var ok=on[f.dataset.severity]!==false;
      for(var k in want){if(want[k]!=='*'&&f.dataset[k]!==want[k]){ok=false;}}
      f.classList.toggle('hidden',!ok);if(ok){shown++;}
    });
    [].forEach.call(document.querySelectorAll('.frame'),function(fr){
      fr.classList.toggle('hidden',!fr.querySelector('.finding:not(.hidden)'));});
    [].forEach.call(document.querySelectorAll('.file'),function(fi){
      fi.classList.toggle('hidden',!fi.querySelector('.finding:not(.hidden)'));});
    var ns=want.namespace;
    [].forEach.call(document.querySelectorAll('.graph-group'),function(g){
      g.classList.toggle('hidden',ns!==undefined&&ns!=='*'&&g.dataset.namespace!==ns);});
    var c=document.getElementById('shown-count');if(c){c.textContent=shown+' of '+findings.length+' findings shown';}
  }
  sev.concat(selects).forEach(function(e){e.addEventListener('change',apply);});
  apply();
})();
"""
