"""Template markers: only template syntax in the YAML structure skips a file; a marker in a
comment is ignored, one inside a string value adds an info note and the file is still linted."""

from kubelint.api import lint_text

POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: evil
spec:
  hostPID: true
  containers:
    - name: c
      image: alpine:3.20
      securityContext:
        privileged: true
"""
RULES = ["host-pid", "privileged-container", "unrendered-template", "yaml-syntax", "latest-tag"]


def found(text: str) -> list[tuple[str, str, int, int]]:
    return [(f.rule, f.severity, f.line, f.column) for f in lint_text(text, select=RULES)]


def test_a_marker_in_a_comment_does_not_hide_a_privileged_pod():
    assert found(POD + "# {{- end }}\n") == [
        ("host-pid", "warning", 6, 12), ("privileged-container", "error", 11, 21)]
    assert found("# {{ if .Values.enabled }}\n" + POD) == [
        ("host-pid", "warning", 7, 12), ("privileged-container", "error", 12, 21)]
    # after a value on the same line, too
    assert found(POD.replace("hostPID: true", "hostPID: true  # {{ .Values.x }}")) == [
        ("host-pid", "warning", 6, 12), ("privileged-container", "error", 11, 21)]


def test_markers_in_string_values_lint_the_file_with_an_info_note():
    text = POD.replace("name: evil", 'name: "{{ .Release.Name }}-evil"')
    assert found(text) == [("unrendered-template", "info", 4, 10), ("host-pid", "warning", 6, 12),
                           ("privileged-container", "error", 11, 21)]
    note = lint_text(text, select=["unrendered-template"])[0].message
    assert note.startswith("Go/Helm template markers in string values: the file was linted as written")
    # a block scalar is a string value too
    block = POD + "  hostname: |\n    {{ include \"x\" . }}\n"
    assert found(block)[-1] == ("unrendered-template", "info", 13, 5)


def test_markers_in_the_structure_make_the_file_a_template():
    for text, at in [
        (POD.replace("name: evil", "name: {{ .Release.Name }}"), (4, 9)),  # parses as a flow mapping
        ("{{- if .Values.enabled }}\n" + POD + "{{- end }}\n", (1, 1)),
        (POD.replace("  hostPID: true\n", "  {{- include \"x\" . | nindent 2 }}\n"), (6, 3)),
    ]:
        assert found(text) == [("unrendered-template", "info", *at)]
        assert "this file is a template, not a manifest" in lint_text(text, select=RULES)[0].message


def test_a_hash_inside_a_string_does_not_make_a_marker_a_comment():
    text = POD.replace("image: alpine:3.20", "image: alpine:3.20\n      args: ['a #b', {{ .Values.x }}]")
    assert found(text) == [("unrendered-template", "info", 10, 22)]
