"""Inline suppressions, one implementation for Kubernetes YAML and Dockerfiles.

Forms (see docs/configuration.md):
- annotations on an object or its pod template: `kubelint.io/ignore: "a,b"`, and
  `kubelint.io/ignore.<container>: "a"` for one container (`kubelint.io/ignore-reason` explains);
- comments: `# kubelint: ignore=a,b -- reason` at the end of a line (that line) or alone on a
  line (the next line, and when that line starts a YAML entry or list item the whole of it, but
  never a collection that merely begins on that line; in a Dockerfile the whole next
  instruction), and
  `# kubelint: ignore-file=a,b` anywhere (the whole file);
- hadolint pragmas in Dockerfiles (`# hadolint ignore=DL3006`, `# hadolint global ignore=...`),
  mapped to kubelint rules through the rules' `aliases`.

Ids may be rule ids, categories, peer ids (`DL3006`, `kube-linter:latest-tag`) or `all`.
A suppressed finding is kept with `suppressed=True` so reports can count and list it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable

from kubelint.findings import Finding, ObjectRef
from kubelint.model.document import value_at
from kubelint.ruleapi.messages import render
from kubelint.selection import is_sc_code, token_matches

ANNOTATION = "kubelint.io/ignore"
REASON_ANNOTATION = "kubelint.io/ignore-reason"
UNUSED_RULE = "unused-suppression"

_COMMENT = re.compile(r"(?:^|(?<=\s))#\s*kubelint\s*:\s*(ignore-file|ignore)\b(.*)$")


@dataclass
class Suppression:
    form: str  # annotation | comment | file-comment | hadolint
    file: str
    line: int  # where it is written
    column: int
    tokens: tuple[str, ...]
    reason: str | None = None
    # What it covers: a line range of the file, optionally narrowed to one object (and one
    # container of it, by path prefix); (1, None) is the whole file.
    start: int = 1
    end: int | None = None
    object: ObjectRef | None = None
    container_paths: tuple[str, ...] = ()
    label: str = ""  # how reports name it
    path: str | None = None  # the annotation's path, for the unused-suppression finding
    used: set[str] = field(default_factory=set)

    def covers(self, f: Finding) -> bool:
        if f.file != self.file or f.line < self.start or (self.end is not None and f.line > self.end):
            return False
        if self.object is not None and f.object is not None and f.object != self.object:
            return False
        if self.container_paths:
            return f.path is not None and any(
                f.path == p or f.path.startswith((p + ".", p + "[")) for p in self.container_paths)
        return True

    def describe(self) -> str:
        text = f"{self.label} ({self.file}:{self.line})"
        return f"{text}: {self.reason}" if self.reason else text


@dataclass
class Outcome:
    findings: list[Finding]  # every finding, suppressed ones flagged, unused-suppression added
    suppressed_by: dict[int, Suppression]  # id(finding) -> the suppression that silenced it


def split_ids(text: str) -> tuple[tuple[str, ...], str | None]:
    """`a, b -- why` -> (("a", "b"), "why")."""
    ids, sep, reason = str(text).partition("--")
    tokens = tuple(t for t in re.split(r"[\s,]+", ids.strip()) if t)
    return tokens, (reason.strip() or None) if sep else None


# --- collecting ---------------------------------------------------------------------------


def collect(scan) -> list[Suppression]:
    out: list[Suppression] = []
    by_file: dict[str, list] = {}
    for obj in scan.objects:
        by_file.setdefault(obj.file, []).append(obj)
    for objects in by_file.values():
        # Most files have no ignore annotation: their objects' lines are never needed.
        if not any(_has_ignore_annotation(o) for o in objects):
            continue
        # An object reaches from its first line to the line before the next object of the file.
        objects.sort(key=lambda o: o.line)
        for obj, nxt in zip(objects, [*objects[1:], None], strict=True):
            if _has_ignore_annotation(obj):
                out.extend(_annotations(obj, obj.line, nxt.line - 1 if nxt is not None else None))
    commented = [source for source in scan.sources if "kubelint" in source.text]
    if commented:
        docs_by_file: dict[str, list] = {}
        seen: set[int] = set()
        for obj in scan.objects:
            if id(obj.doc) not in seen:  # a set, not a scan of the list: files with 40,000 documents
                seen.add(id(obj.doc))
                docs_by_file.setdefault(obj.file, []).append(obj.doc)
        dockerfiles = {d.source.display: d for d in scan.dockerfiles}
        for source in commented:
            out.extend(_comments(source, docs_by_file.get(source.display, []),
                                 dockerfiles.get(source.display)))
    for dockerfile in scan.dockerfiles:
        if "hadolint" in dockerfile.source.text:
            out.extend(_hadolint(dockerfile))
    return out


def _has_ignore_annotation(obj) -> bool:
    annotations = obj.annotations
    if annotations and any(str(k).startswith(ANNOTATION) for k in annotations):
        return True
    spec = obj.pod_spec
    if spec is None or spec.template_metadata_path == ("metadata",):
        return False  # a Pod: its template metadata is its own
    annotations = spec.annotations
    return bool(annotations) and any(str(k).startswith(ANNOTATION) for k in annotations)


def _annotations(obj, start: int, end: int | None) -> Iterable[Suppression]:
    places = [(("metadata", "annotations"), obj.annotations)]
    spec = obj.pod_spec
    if spec is not None and spec.template_metadata_path != ("metadata",):
        places.append((spec.template_metadata_path + ("annotations",), spec.annotations))
    for base, found in places:
        reason = found.get(REASON_ANNOTATION)
        for key, value in found.items():
            key = str(key)
            if key != ANNOTATION and not key.startswith(ANNOTATION + "."):
                continue
            tokens, inline_reason = split_ids(value if value is not None else "")
            container_paths: tuple[str, ...] = ()
            if key != ANNOTATION:
                name = key[len(ANNOTATION) + 1:]
                container_paths = tuple(obj.dotted(c.path) for c in obj.containers() if c.name == name)
                if not container_paths:
                    container_paths = ("<no such container>",)
            pos = obj.locate(base + (key,), key=True)
            yield Suppression(
                form="annotation", file=obj.file, line=pos.line, column=pos.column, tokens=tokens,
                reason=inline_reason or (str(reason) if reason else None),
                start=start, end=end, object=obj.ref, container_paths=container_paths,
                label=f"annotation {key}", path=obj.dotted(base + (key,)))


def _comments(source, docs, dockerfile) -> Iterable[Suppression]:
    lines = source.lines
    index = _YamlIndex(docs) if docs and dockerfile is None else None
    for i, text in enumerate(lines):
        if "kubelint" not in text:
            continue
        line = i + 1
        # Each `#` in turn: the first one may sit inside a quoted value.
        candidates = (_COMMENT.match(text, pos) for pos, char in enumerate(text) if char == "#")
        m = next((m for m in candidates if m is not None and (
            index is None or index.is_comment(text, line, m.start() + 1))), None)
        if m is None:
            continue
        column = m.start() + 1
        kind, rest = m.group(1), m.group(2).strip()
        tokens, reason = split_ids(rest[1:] if rest.startswith("=") else rest)
        if not rest.startswith("="):
            tokens = ()  # `# kubelint: ignore` names nothing: reported as unused
        if kind == "ignore-file":
            yield Suppression("file-comment", source.display, line, column, tokens, reason,
                              label="comment kubelint: ignore-file")
            continue
        own_line = not text[:m.start()].strip()
        start = end = line
        if own_line:
            start = end = _next_code_line(lines, i)
            if dockerfile is not None:
                end = _instruction_end(dockerfile, start)
            elif index is not None:
                end = index.entry_end(source, start)
        yield Suppression("comment", source.display, line, column, tokens, reason,
                          start=start, end=end, label="comment kubelint: ignore")


def _next_code_line(lines: list[str], index: int) -> int:
    for j in range(index + 1, len(lines)):
        stripped = lines[j].strip()
        if stripped and not stripped.startswith("#"):
            return j + 1
    return index + 1


def _instruction_end(dockerfile, line: int) -> int:
    for inst in getattr(dockerfile, "instructions", ()):
        if inst.line == line:
            return getattr(inst, "end_line", None) or line
    return line


class _YamlIndex:
    """The positions of one file's YAML nodes, grouped by line once, so that each comment is
    looked up in constant time instead of scanning every node of the file."""

    def __init__(self, docs) -> None:
        # line -> positions of the entries that start there. An entry is a mapping key with its
        # value, or a sequence item. A collection that merely begins on the line (the block
        # sequence under `containers:` begins at its first `- `, a pod spec at its first key,
        # a document at its first line) is not an entry of that line: its entry is its key.
        self.entries: dict[int, list] = {}
        # line -> (start, end) of the scalars that span it: a `#` inside one is text.
        self.scalars: dict[int, list] = {}
        for doc in docs:
            for path, marks in doc.values.items():
                pos = doc.pos_of(marks)
                key = doc.keys.get(path)
                if key is not None:
                    self.entries.setdefault(doc.pos_of(key).line, []).append(pos)
                elif path and isinstance(path[-1], int):
                    self.entries.setdefault(pos.line, []).append(pos)
                if isinstance(value_at(doc.data, path), (dict, list)):
                    continue
                for n in range(pos.line, pos.end_line + 1):
                    self.scalars.setdefault(n, []).append(pos)

    def entry_end(self, source, line: int) -> int:
        """The last line of the entries that start on `line`: a comment above `- name: web`
        covers that container (not the containers after it), one above `image:` that line."""
        end = line
        for pos in self.entries.get(line, ()):
            last = pos.end_line
            # Block collections end where the next token starts: that line is not theirs.
            if last > line and not source.line(last)[:pos.end_column - 1].strip():
                last -= 1
            end = max(end, last)
        return end

    def is_comment(self, text: str, line: int, column: int) -> bool:
        """A `#` is a comment unless it sits inside a scalar (a quoted string, a block scalar)."""
        for pos in self.scalars.get(line, ()):
            if (line, column) <= (pos.line, pos.column) or (line, column) >= (pos.end_line, pos.end_column):
                continue
            if line == pos.line and re.fullmatch(r"[|>][-+0-9]*\s*", text[pos.column - 1:column - 1]):
                continue  # the comment after a block scalar's `|` indicator
            return False
        return True


def _hadolint(dockerfile) -> Iterable[Suppression]:
    try:
        from kubelint.parse.dockerfile import pragmas
    except ImportError:
        return
    for p in pragmas(dockerfile):
        whole = p.scope == "file"
        yield Suppression(
            "hadolint", dockerfile.source.display, p.line, 1, tuple(p.codes),
            start=1 if whole else p.start_line, end=None if whole else p.end_line,
            label="hadolint global ignore" if whole else "hadolint ignore")


# --- applying ---------------------------------------------------------------------------------


def apply(findings: list[Finding], scan, all_rules: dict, enabled: dict,
          allow_inline: bool = True) -> Outcome:
    """Flag suppressed findings; add `unused-suppression` findings when that rule is enabled.

    `all_rules` resolves ids (a suppression may name a rule this run does not enable);
    `enabled` says which rules ran, so ignores of disabled rules are not called unused."""
    if not allow_inline:
        return Outcome(list(findings), {})
    suppressions = collect(scan)
    if not suppressions:
        return Outcome(list(findings), {})
    names = _resolve_tokens(suppressions, all_rules)
    by_file: dict[str, list[Suppression]] = {}
    for s in suppressions:
        by_file.setdefault(s.file, []).append(s)
    suppressed_by: dict[int, Suppression] = {}
    for f in findings:
        for s in by_file.get(f.file, ()):
            if not s.covers(f):
                continue
            for token in s.tokens:
                if f.rule in names[token] and _names_this_code(token, f):
                    s.used.add(token)
                    if not f.suppressed:
                        f.suppressed = True
                        suppressed_by[id(f)] = s
    out = list(findings)
    rule = enabled.get(UNUSED_RULE)
    if rule is not None:
        for s in suppressions:
            for f in _unused(s, names, enabled, rule):
                # An unused-suppression finding can itself be silenced (by an ignore-file, say).
                for other in by_file.get(f.file, ()):
                    tokens = [t for t in other.tokens if UNUSED_RULE in names[t]]
                    if other is not s and tokens and other.covers(f):
                        other.used.update(tokens)
                        f.suppressed = True
                        suppressed_by[id(f)] = other
                        break
                out.append(f)
    return Outcome(out, suppressed_by)


def _names_this_code(token: str, f: Finding) -> bool:
    """An SC code (`# kubelint: ignore=SC2086`) silences that ShellCheck code only, not every
    finding of the shellcheck rule; any other token names whole rules."""
    if not is_sc_code(token):
        return True
    return str((f.values or {}).get("code", "")).upper() == token.strip().upper()


def _resolve_tokens(suppressions: list[Suppression], rules: dict) -> dict[str, set[str]]:
    names: dict[str, set[str]] = {}
    for s in suppressions:
        for token in s.tokens:
            if token not in names:
                names[token] = {r.id for r in rules.values() if token == "all" or token_matches(r, token)}
    return names


def _unused(s: Suppression, names: dict, enabled: dict, rule) -> Iterable[Finding]:
    if s.form == "hadolint":
        return  # hadolint itself may need the pragma: never called unused
    if not s.tokens:
        yield _unused_finding(s, rule, "no-ids")
        return
    for token in s.tokens:
        if token in s.used or names[token] == {UNUSED_RULE}:
            continue  # an ignore of unused-suppression itself is judged by nothing else
        if not names[token]:
            yield _unused_finding(s, rule, "unknown-id", token)
        elif names[token] & set(enabled):
            yield _unused_finding(s, rule, None, token)


def _unused_finding(s: Suppression, rule, variant: str | None, token: str | None = None) -> Finding:
    """The message is the rule's template for `variant` (None: its `message:`)."""
    values = {"suppression": s.label, "id": token}
    template = rule.messages[variant] if variant is not None else rule.message
    return Finding(rule=rule.id, severity=rule.severity, message=render(template, values), file=s.file,
                   line=s.line, column=s.column, object=s.object, path=s.path,
                   remediation=rule.remediation, doc_url=rule.doc_url, variant=variant, values=values)
