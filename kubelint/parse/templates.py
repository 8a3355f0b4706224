"""Where Go/Helm template markers sit in a YAML file: in a comment, inside a string value, or
in the YAML structure itself.

Only markers in the structure (`name: {{ .Release.Name }}`, `{{- if .Values.x }}` lines) make a
file a template that cannot be linted; a marker in a comment is ignored, and one inside a string
value leaves the file lintable (an info note says so). The parser's scalar positions decide,
so `# {{- end }}` after a privileged Pod cannot hide it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kubelint.model.document import value_at
from kubelint.parse.source import line_break

# Where a string value is content that another program renders (Alertmanager and Prometheus
# templates, Grafana dashboards kept in a ConfigMap): its markers are that program's, not Helm's.
_CONTENT = {"ConfigMap": ("data", "binaryData")}

# Helm/Go template markers: Helm's objects and actions, and whitespace-trimming delimiters.
# Plain `{{ $labels.x }}` inside quoted strings (Prometheus alert texts) is not a template file.
HELM = re.compile(
    r"\{\{-|-\}\}|\{\{\s*(?:\.Values|\.Release|\.Chart|\.Capabilities|\.Files|\.Template|\$\.Values"
    r"|include\s|template\s|define\s|tpl\s|toYaml\s|if\s|range\s|with\s|end\s*\}\}|else\b)")

# Markers only Helm writes (its objects and functions), in content too: a chart's template.
_HELM_ONLY = re.compile(r"\.Values|\.Release|\.Chart|\.Capabilities|\.Files|include\s|tpl\s|toYaml\s")


@dataclass
class Markers:
    structure: int | None = None  # text offset of the first marker in the YAML structure
    value: int | None = None  # ... of the first marker inside a string value


def find_markers(text: str, documents) -> Markers:
    """Classify every Helm marker of `text` against the parsed `documents` of that text."""
    found = Markers()
    matches = list(HELM.finditer(text))
    if not matches:
        return found
    # Line starts by the YAML parser's own line breaks, so lines match its positions.
    starts = [0] + [m.end() for m in line_break("yaml").finditer(text)]
    lines = [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)], strict=True)]
    wanted = {_line_of(starts, m.start()) for m in matches}
    spans = _string_spans(documents, wanted)
    content = _string_spans(documents, wanted, content_only=True)
    for m in matches:
        line = _line_of(starts, m.start())  # 1-based
        column = m.start() - starts[line - 1] + 1
        if _inside(content.get(line, ()), line, column) and not _HELM_ONLY.search(m.group()):
            continue  # a ConfigMap's data: a normal object, its templates rendered by its reader
        if _inside(spans.get(line, ()), line, column):
            if found.value is None:
                found.value = m.start()
        elif not _after_comment(lines[line - 1], line, column, spans.get(line, ())):
            found.structure = m.start()
            return found
    return found


def _line_of(starts: list[int], offset: int) -> int:
    from bisect import bisect_right

    return bisect_right(starts, offset)


def _string_spans(documents, wanted: set[int], content_only: bool = False) -> dict[int, list]:
    """line -> (line, column, end_line, end_column) of the string scalars (values and keys) that
    span that line, for the lines in `wanted` only; with content_only, only the values under a
    `_CONTENT` field of their kind."""
    spans: dict[int, list] = {}
    for doc in documents:
        if doc.data is None:
            continue
        fields = _CONTENT.get(str(doc.data.get("kind")), ()) if isinstance(doc.data, dict) else ()
        if content_only and not fields:
            continue
        for table, strings_only in ((doc.values, True), (doc.keys, False)):
            if content_only and not strings_only:
                continue
            for path, packed in table.items():
                if content_only and not (len(path) > 1 and path[0] in fields):
                    continue
                pos = doc.pos_of(packed)
                if strings_only and not isinstance(value_at(doc.data, path), str):
                    continue
                for n in range(pos.line, pos.end_line + 1):
                    if n in wanted:
                        spans.setdefault(n, []).append(pos)
    return spans


def _inside(spans, line: int, column: int) -> bool:
    return any((p.line, p.column) <= (line, column) < (p.end_line, p.end_column) for p in spans)


def _after_comment(text: str, line: int, column: int, spans) -> bool:
    """Whether a `#` that starts a comment (at the line start or after a blank, and not inside
    a string) comes before `column` on the line."""
    for i, char in enumerate(text[:column - 1]):
        if char == "#" and (i == 0 or text[i - 1] in " \t") and not _inside(spans, line, i + 1):
            return True
    return False
