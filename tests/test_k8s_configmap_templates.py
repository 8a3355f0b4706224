"""`{{ }}` in a ConfigMap's data is content another program renders (Alertmanager, Prometheus),
not an unrendered Helm file; Helm's own objects there still mark a chart template."""

from kubelint.api import lint_text

ALERTMANAGER = """\
apiVersion: v1
kind: ConfigMap
metadata:
  name: alertmanager-templates
data:
  slack.tmpl: |
    {{ define "slack.text" }}
    {{- range .Alerts }}{{ .Annotations.summary }}{{ end }}
    {{ end }}
"""


def test_alertmanager_templates_in_a_configmap_are_a_normal_object():
    assert lint_text(ALERTMANAGER, select=["all"]) == []


def test_helm_values_in_a_configmap_still_get_the_note():
    text = ALERTMANAGER + '  chart: "{{ .Values.greeting }}"\n'
    assert [(f.rule, f.line) for f in lint_text(text, select=["all"])] == [("unrendered-template", 10)]


def test_the_same_markers_outside_data_still_get_the_note():
    text = ALERTMANAGER.replace("kind: ConfigMap", "kind: Secret").replace("data:", "stringData:")
    assert [f.rule for f in lint_text(text, select=["unrendered-template"])] == ["unrendered-template"]
