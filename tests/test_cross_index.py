"""The object index: selector semantics, namespaces, and which objects see each other."""

import pytest

from all_rules import lint_paths
from kubelint.index.labels import label_selector, plain_selector
from kubelint.engine.loader import load_rules
from kubelint.scan import Options

CROSS = {r.id for r in load_rules().values() if r.category == "cross-object"}
SCOPE = "tests/fixtures/cross/scope"


@pytest.mark.parametrize("selector,labels,selected", [
    ({"matchLabels": {"app": "web"}}, {"app": "web", "tier": "fe"}, True),
    ({"matchLabels": {"app": "web"}}, {"app": "api"}, False),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe", "be"]}]}, {"tier": "be"}, True),
    ({"matchExpressions": [{"key": "tier", "operator": "In", "values": ["fe"]}]}, {}, False),
    ({"matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]}]}, {}, True),
    ({"matchExpressions": [{"key": "track", "operator": "NotIn", "values": ["canary"]}]}, {"track": "canary"}, False),
    ({"matchExpressions": [{"key": "app", "operator": "Exists"}]}, {"app": "x"}, True),
    ({"matchExpressions": [{"key": "app", "operator": "DoesNotExist"}]}, {"app": "x"}, False),
    ({"matchLabels": {"v": "1"}}, {"v": "1"}, True),
    ({"matchLabels": {"enabled": True}}, {"enabled": "true"}, True),
])
def test_label_selector(selector, labels, selected):
    assert label_selector(selector).matches(labels) is selected


def test_malformed_selectors_are_none_and_empty_ones_select_everything():
    assert label_selector({"matchExpressions": [{"key": "a", "operator": "Near"}]}) is None
    assert label_selector({"matchLabels": ["a"]}) is None
    assert label_selector("app=web") is None
    assert label_selector({}).empty and label_selector({}).matches({"anything": "x"})
    assert plain_selector({"app": "web"}).matches({"app": "web", "x": "y"})
    assert plain_selector(["app"]) is None


def test_generated_labels():
    selector = plain_selector({"statefulset.kubernetes.io/pod-name": "db-1"})
    assert selector.matches({"app": "db"}, {"statefulset.kubernetes.io/pod-name": {"db-0", "db-1"}})
    assert not selector.matches({"app": "db"}, {"statefulset.kubernetes.io/pod-name": {"db-0"}})
    assert plain_selector({"pod-template-hash": "abc"}).matches({}, {"pod-template-hash": None})


def scope_findings(**options):
    return [(f.file.split("/scope/")[1], f.line, f.column, f.rule)
            for f in lint_paths([SCOPE], options=Options(**options)) if f.rule in CROSS]


def test_default_namespace_objects_meet_per_directory():
    # app-b names no namespace: it does not see app-a's pods and Secret, nor app-c's Secret
    # (which names `default` explicitly, the namespace every unrelated example shares).
    assert scope_findings() == [
        ("app-b/proxy.yaml", 7, 3, "service-no-pods"),
        ("app-b/proxy.yaml", 38, 25, "missing-secret"),
        ("app-b/proxy.yaml", 42, 25, "missing-secret"),
    ]


def test_scoped_messages_say_where_the_object_is():
    found = [f for f in lint_paths([SCOPE]) if f.rule in CROSS]
    assert found[0].message == (
        f"Service 'web' selects app=web but no pod template in namespace 'default' within {SCOPE}/app-b/ "
        f"matches; Deployment 'web' in another directory does ({SCOPE}/app-a/web.yaml:12): pass --complete "
        f"if both are applied together")
    assert found[1].message == (
        f"volume 'upstream' references Secret 'web-creds', which was not found (searched 1 Secret in "
        f"namespace 'default' within {SCOPE}/app-b/: proxy-token); Secret 'web-creds' of namespace 'default' "
        f"is in another directory ({SCOPE}/app-a/web.yaml:31): pass --complete if both are applied together")
    assert [(r.file, r.line) for r in found[2].related] == [(f"{SCOPE}/app-c/creds.yaml", 5)]


def test_complete_scan_is_one_application():
    assert scope_findings(complete=True) == []


def test_namespace_option_names_the_shared_namespace():
    # With --namespace team the files without a namespace land in `team`, still per directory;
    # app-c's Secret stays in `default`, another namespace: no "other directory" hint for it.
    found = [f for f in lint_paths([SCOPE], options=Options(namespace="team")) if f.rule in CROSS]
    assert [(f.line, f.rule) for f in found] == [(7, "service-no-pods"), (38, "missing-secret"),
                                                 (42, "missing-secret")]
    assert found[2].message == (
        f"volume 'proxy-creds' references Secret 'proxy-creds', which was not found (searched 1 Secret in "
        f"namespace 'team' within {SCOPE}/app-b/: proxy-token)")


# --- a file's name is only a name ---------------------------------------------------------------
SERVICE = """\
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: tools, labels: {app: tools}}
spec:
  containers: [{name: tools, image: "example/tools:1.0"}]
"""
DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: web, image: "example/web:1.0"}]
"""
# A partial Deployment: in a kustomize patch its missing fields would say nothing.
PARTIAL = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
"""


def _layout(root, files: dict[str, str]) -> list[tuple]:
    root.mkdir()
    for name, text in files.items():
        (root / name).write_text(text)
    # The same findings, whatever the files are called: compare without the file names.
    return sorted((f.rule, f.line, f.column, f.message.replace(str(root), "ROOT"))
                  for f in lint_paths([str(root)]) if f.file.startswith(str(root)))


def test_double_underscore_in_a_file_name_is_no_directory(tmp_path):
    double = _layout(tmp_path / "double", {"Service__web.yaml": SERVICE, "deployment.yaml": DEPLOYMENT})
    single = _layout(tmp_path / "single", {"Service_web.yaml": SERVICE, "deployment.yaml": DEPLOYMENT})
    assert double == single
    # Both files are in one directory: the Service selects the Deployment's pods.
    assert not [f for f in double if f[0] == "service-no-pods"]


def test_double_underscore_does_not_make_a_kustomize_overlay(tmp_path):
    double = _layout(tmp_path / "double", {"overlays__prod__web.yaml": PARTIAL})
    single = _layout(tmp_path / "single", {"overlays_prod_web.yaml": PARTIAL})
    assert double == single
    # Not under an overlays/ directory: a Deployment without selector and template is reported.
    assert [(f[1], f[3]) for f in double if f[0] == "schema-invalid"] == [
        (4, "missing required field spec.selector"), (4, "missing required field spec.template")]
