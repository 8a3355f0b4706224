"""YAML parsing with positions: documents, lists, anchors, scalars, and every kind of bad input."""

import time

import pytest

from kubelint.api import lint_paths, lint_text
from kubelint.parse.source import SourceFile
from kubelint.parse.yaml_docs import MAX_DEPTH, Pos, parse_yaml, resolve_plain

SYNTAX = ["syntax", "latest-tag"]


def parse(text):
    return parse_yaml(SourceFile("t.yaml", "t.yaml", text, "yaml"))


def found(path, select=SYNTAX):
    return [(f.rule, f.line, f.column) for f in lint_paths([str(path)], select=select)]


def test_positions_of_keys_and_values_are_one_based():
    doc = parse("a: 1\nb:\n  - x\n  - {c: yes}\n").documents[0]
    assert doc.data == {"a": 1, "b": ["x", {"c": True}]}
    assert doc.key_pos(("a",)) == Pos(1, 1, 1, 2)
    assert doc.value_pos(("a",)) == Pos(1, 4, 1, 5)
    assert doc.value_pos(("b", 0)) == Pos(3, 5, 3, 6)
    assert doc.key_pos(("b", 1, "c")) == Pos(4, 6, 4, 7)
    assert doc.value_pos(("b", 1, "c")) == Pos(4, 9, 4, 12)


def test_multi_document_file_and_list_items(fixtures):
    findings = lint_paths([str(fixtures / "parse/multi.yaml")], select=SYNTAX)
    assert [(f.rule, f.line, f.column) for f in findings] == [("latest-tag", 19, 18)]
    assert findings[0].object.kind == "Pod" and findings[0].object.name == "in-list"
    assert findings[0].path == "spec.containers[0].image"


def test_an_objects_line_is_where_locate_puts_it():
    from kubelint.model.k8s import objects_from_document

    text = ("# a comment\n---\n\napiVersion: v1\nkind: Pod\nmetadata: {name: a}\n---\n"
            "apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata: {name: b}\n")
    objs = [o for doc in parse(text).documents for o in objects_from_document(doc)]
    assert [(o.name, o.line) for o in objs] == [("a", 2), ("b", 11)]  # a document: its `---`
    assert [o.line for o in objs] == [o.locate(()).line for o in objs]


def test_anchors_aliases_and_merge_keys(fixtures):
    doc = parse((fixtures / "parse/anchors.yaml").read_text()).documents[0]
    assert doc.data["metadata"]["annotations"] == {"extra": "yes", "app": "web"}
    assert doc.data["spec"]["containers"][1]["image"] == "nginx"
    # The alias is reported where it is used, not where the anchor is.
    assert found(fixtures / "parse/anchors.yaml") == [("latest-tag", 13, 14), ("latest-tag", 15, 14)]


def test_yaml_11_scalars_as_kubernetes_reads_them(fixtures):
    data = parse((fixtures / "parse/equals-key.yaml").read_text()).documents[0].data
    assert data["data"] == {"=": "value tag", "flag": True, "mode": 0o644}
    assert [resolve_plain(t) for t in ("on", "off", "y", "0x1F", "1_000", "1e3", ".inf", "~", "1.5Gi")] == [
        True, False, True, 31, 1000, 1000.0, float("inf"), None, "1.5Gi"]


def test_quoted_scalars_stay_strings():
    data = parse('a: "yes"\nb: \'0644\'\nc: !!str 1\n').documents[0].data
    assert data == {"a": "yes", "b": "0644", "c": "1"}


def test_unsafe_tags_are_never_constructed(fixtures):
    data = parse((fixtures / "parse/unsafe-tag.yaml").read_text()).documents[0].data
    assert data["data"]["payload"] == ["echo pwned"]


def test_duplicate_key_reported_at_the_repeat_and_parsing_goes_on(fixtures):
    findings = lint_paths([str(fixtures / "parse/duplicate.yaml")], select=SYNTAX)
    assert [(f.rule, f.line, f.column) for f in findings] == [("duplicate-key", 10, 3)]
    assert "first defined at line 6" in findings[0].message


def test_syntax_error_reported_and_later_documents_still_linted(fixtures):
    findings = lint_paths([str(fixtures / "parse/syntax-error.yaml")], select=SYNTAX)
    assert [(f.rule, f.line, f.column) for f in findings] == [("yaml-syntax", 11, 1), ("latest-tag", 19, 14)]
    assert "flow mapping started at line 10" in findings[0].message


def test_helm_template_gets_one_info_finding(fixtures):
    findings = lint_paths([str(fixtures / "parse/helm.yaml")])
    assert [(f.rule, f.severity, f.line, f.column) for f in findings] == [("unrendered-template", "info", 4, 9)]
    assert "helm template" in findings[0].message


def test_prometheus_templates_in_strings_are_not_helm(fixtures):
    assert found(fixtures / "parse/prometheus-rule.yaml", select=["syntax"]) == []


@pytest.mark.parametrize("name", ["crlf.yaml", "bom.yaml"])
def test_crlf_and_bom_keep_positions(fixtures, name):
    assert found(fixtures / "parse" / name) == [("latest-tag", 8, 14)]


def test_non_utf8_is_reported_with_the_line(fixtures):
    findings = lint_paths([str(fixtures / "parse/latin1.yaml")])
    assert [(f.rule, f.line) for f in findings] == [("file-unreadable", 1)]
    assert findings[0].message == "not valid UTF-8: byte 0xfc on line 6; save the file as UTF-8"


def test_binary_and_empty_files(fixtures):
    assert found(fixtures / "parse/binary.yaml") == [("file-unreadable", 1, 1)]
    assert found(fixtures / "parse/empty.yaml") == []


def test_alias_bomb_is_bounded():
    layers = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]']
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        layers.append(f"{name}: &{name} [" + ",".join([f"*{prev}"] * 10) + "]")
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: bomb}\ndata:\n" + "".join(
        f"  {line}\n" for line in layers) + "---\napiVersion: v1\nkind: Pod\nmetadata: {name: p}\n" \
        "spec: {containers: [{name: a, image: nginx}]}\n"
    start = time.perf_counter()
    findings = lint_text(text, select=SYNTAX)
    assert time.perf_counter() - start < 5
    assert [(f.rule, f.line) for f in findings] == [("yaml-too-complex", 10), ("latest-tag", 18)]
    assert "alias bomb" in findings[0].message


def test_deep_nesting_is_a_finding_not_a_recursion_error():
    text = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    findings = lint_text(text, select=SYNTAX)
    assert [(f.rule, f.line) for f in findings] == [("yaml-too-complex", 1)]
    assert f"more than {MAX_DEPTH} levels" in findings[0].message


def test_documents_without_kind_are_skipped_and_counted(fixtures):
    from kubelint.discover import discover
    from kubelint.runner import build_scan
    from kubelint.scan import Options

    scan = build_scan(discover([str(fixtures / "parse/multi.yaml")]), Options())
    assert (scan.documents, scan.skipped_documents, len(scan.objects)) == (3, 1, 2)
    assert [o.kind for o in scan.objects] == ["ConfigMap", "Pod"]


def test_value_key_from_crd_enum_loads_as_plain_string(corpus):
    # kube-prometheus' AlertmanagerConfig CRD lists matcher operators, `=` among them: YAML 1.1's
    # "value" tag trips ruamel's safe constructor; it must load as the string "=".
    path = corpus / "prometheus-operator__kube-prometheus/manifests__setup__0alertmanagerConfigCustomResourceDefinition.yaml"
    source = SourceFile(str(path), str(path), path.read_text(), "yaml")
    parsed = parse_yaml(source)
    assert parsed.findings == []
    doc = parsed.documents[0]
    assert doc.source.line(81).strip() == "- ="
    hits = [p for p, marks in doc.values.items() if doc.pos_of(marks).line == 81]
    assert hits and _get(doc.data, hits[0]) == "="


def _get(data, path):
    for part in path:
        data = data[part]
    return data


# (path, key position, value position) in tests/fixtures/parse/varied.yaml: flow and block
# collections, nested sequences, anchors (a node starts at its anchor), aliases, merge keys (a
# merged entry sits at its `<<`), a complex key, block scalars, tags, quoted and non-ASCII text
# (columns count characters, not bytes).
VARIED = [
    (("base",), (1, 1, 1, 5), (1, 7, 1, 27)),
    (("base", "x"), (1, 11, 1, 12), (1, 14, 1, 15)),
    (("base", "y", 1), None, (1, 24, 1, 25)),
    (("merged",), (2, 1, 2, 7), (3, 3, 5, 1)),
    (("merged", "z"), (4, 3, 4, 4), (4, 6, 4, 7)),
    (("merged", "y"), (3, 3, 3, 5), (3, 3, 3, 5)),
    (("<complex key at line 5>",), (5, 3, 5, 3), (6, 3, 6, 16)),
    (("lit",), (7, 1, 7, 4), (7, 6, 10, 1)),
    (("fold",), (10, 1, 10, 5), (10, 7, 13, 1)),
    (("tagged", 0), None, (13, 10, 13, 20)),
    (("tagged", 2), None, (13, 32, 13, 41)),
    (("quoted key",), (14, 1, 14, 13), (14, 15, 14, 23)),
    (("seq",), (15, 1, 15, 4), (16, 1, 21, 1)),
    (("seq", 0), None, (16, 3, 18, 1)),
    (("seq", 0, 1), None, (17, 5, 17, 6)),
    (("seq", 1, "c"), (18, 4, 18, 5), (18, 7, 18, 8)),
    (("seq", 2), None, (19, 3, 19, 12)),
    (("seq", 3), None, (20, 3, 20, 5)),
    (("empty",), (21, 1, 21, 6), (21, 7, 21, 7)),
    (("héllo ✓",), (22, 1, 22, 10), (22, 12, 22, 18)),
]


def test_positions_of_every_kind_of_node(fixtures):
    doc = parse((fixtures / "parse/varied.yaml").read_text(encoding="utf-8")).documents[0]
    assert [(p, doc.key_pos(p), doc.value_pos(p)) for p, _, _ in VARIED] == [
        (p, k and Pos(*k), Pos(*v)) for p, k, v in VARIED]
    # Nothing below an alias or inside a complex key has a position of its own: a finding
    # there points at the alias (or the key).
    assert doc.value_pos(("seq", 3, 0)) is None and len(doc.values) == 29


def test_a_complex_key_keeps_its_value(fixtures):
    data = parse((fixtures / "parse/varied.yaml").read_text(encoding="utf-8")).documents[0].data
    assert data["<complex key at line 5>"] == "after complex"
    assert data["merged"] == {"z": 3, "x": 1, "y": ["a", "b"]}
    assert data["tagged"] == [12, "12", "x"] and data["seq"][3] == [1, 2] and data["empty"] is None
