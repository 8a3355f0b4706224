"""A Kustomization's `commonLabels` and `labels:` are written on the objects of the files it
builds (through bases too) before the selector rules judge them, as `kustomize build` writes
them: a kubebuilder-style base with an empty selector is not reported, a Service or PDB whose
selector matches only the built labels selects its pods, and labels that still disagree are
reported with the labels as built."""

from pathlib import Path

from kubelint.api import lint_paths
from kubelint.index.kustomize_labels import Labels, labels_of, place_kustomize_labels
from kubelint.model.k8s import objects_from_document
from kubelint.parse.source import SourceFile
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.scan import Options

FIXTURES = Path("tests/fixtures/cross/kustomize-labels")
SELECTOR_RULES = ["selector-mismatch", "service-no-pods", "pdb-no-pods", "networkpolicy-no-pods",
                  "overlapping-selectors", "missing-pdb", "schema-invalid"]


def findings(path, **options):
    return [(Path(f.file).name, f.line, f.column, f.rule, f.message)
            for f in lint_paths([str(path)], Options(**options), select=SELECTOR_RULES)]


def test_a_kubebuilder_base_built_by_its_overlay_is_not_reported():
    # Without the overlay's labels: an empty selector, a Service and a PDB selecting no pods.
    assert findings(FIXTURES / "kubebuilder", complete=True) == []


def test_the_base_alone_is_still_judged_as_written(tmp_path):
    base = tmp_path / "manager"
    base.mkdir()
    for name in ("kustomization.yaml", "manager.yaml"):
        (base / name).write_text((FIXTURES / "kubebuilder/config/manager" / name).read_text())
    assert [(f[0], f[1], f[2], f[3]) for f in findings(base, complete=True)] == [
        ("manager.yaml", 8, 3, "selector-mismatch"), ("manager.yaml", 22, 3, "service-no-pods")]


def test_labels_that_still_disagree_are_reported_as_built():
    path = FIXTURES / "still-broken"
    web = str(path / "web.yaml")
    assert findings(path, complete=True) == [
        ("web.yaml", 8, 3, "selector-mismatch",
         f"Deployment 'web' selector app=web, team=shop does not match its pod template labels "
         f"app=webserver, team=shop ({web}:14)"),
        # `tier` without includeSelectors/includeTemplates is written on metadata.labels only.
        ("web.yaml", 25, 3, "service-no-pods",
         "Service 'web' selects team=shop, tier=web but no pod template in namespace 'default' matches "
         f"(searched 1 pod template); closest: Deployment 'web' (app=webserver, team=shop) at {web}:13"),
    ]


def test_include_templates_reaches_the_pods_but_not_the_selectors(tmp_path):
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "labels:\n  - pairs: {tier: web}\n    includeTemplates: true\nresources: [web.yaml]\n")
    (tmp_path / "web.yaml").write_text((FIXTURES / "still-broken/web.yaml").read_text().replace("webserver", "web"))
    assert findings(tmp_path, complete=True) == []


def test_two_overlays_that_disagree_leave_only_the_labels_both_write(tmp_path):
    files = {
        "base/kustomization.yaml": "resources: [web.yaml]\n",
        "base/web.yaml": (FIXTURES / "still-broken/web.yaml").read_text(),
        "prod/kustomization.yaml": "commonLabels: {env: prod, team: shop}\nresources: [../base]\n",
        "dev/kustomization.yaml": "commonLabels: {env: dev, team: shop}\nresources: [../base]\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        head = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" if "kustomization" in name else ""
        (tmp_path / name).write_text(head + text)
    objects = []
    for name in files:
        source = SourceFile(name, name, (tmp_path / name).read_text(), "yaml")
        objects += [o for d in parse_yaml(source).documents for o in objects_from_document(d)]
    place_kustomize_labels(objects)
    web = next(o for o in objects if o.kind == "Deployment")
    assert web.labels == {"team": "shop"}
    assert web.effective("spec", "selector") == {"matchLabels": {"app": "web", "team": "shop"}}
    assert web.get("spec", "selector") == {"matchLabels": {"app": "web"}}  # the parsed data is untouched


def test_labels_of_reads_common_labels_and_label_entries():
    data = {"commonLabels": {"a": 1}, "labels": [{"pairs": {"b": True}, "includeSelectors": True},
                                                  {"pairs": {"c": "x"}, "includeTemplates": True}, "junk"]}
    assert labels_of(data) == Labels(meta={"a": "1", "b": "true", "c": "x"}, selector={"a": "1", "b": "true"},
                                     template={"c": "x"})


def test_a_base_without_any_selector_gets_it_from_the_overlay(tmp_path):
    files = {
        "base/kustomization.yaml": "resources: [app.yaml]\n",
        "base/app.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\nspec:\n  template:\n"
                         "    spec:\n      containers: [{name: app, image: 'registry.example.com/app:1.0'}]\n",
        "overlay/kustomization.yaml": "commonLabels: {app: app}\nresources: [../base]\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        head = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n" if "kustomization" in name else ""
        (tmp_path / name).write_text(head + text)
    assert findings(tmp_path, complete=True) == []
    # The base alone: apps/v1 requires the selector (schema-invalid says so).
    (tmp_path / "overlay/kustomization.yaml").unlink()
    assert [(f[0], f[1], f[3]) for f in findings(tmp_path, complete=True)] == [("app.yaml", 4, "schema-invalid")]


def test_a_component_labels_the_resources_of_the_kustomization_that_lists_it(tmp_path):
    files = {
        "app/kustomization.yaml": "resources: [web.yaml]\ncomponents: [../labels]\n",
        "app/web.yaml": (FIXTURES / "still-broken/web.yaml").read_text().replace("webserver", "web"),
        "labels/kustomization.yaml": "commonLabels: {tier: web}\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        kind = "v1alpha1\nkind: Component" if name.startswith("labels/") else "v1beta1\nkind: Kustomization"
        head = f"apiVersion: kustomize.config.k8s.io/{kind}\n" if "kustomization" in name else ""
        (tmp_path / name).write_text(head + text)
    # The Service selects tier=web: only the component's commonLabels put it on the pods.
    assert findings(tmp_path, complete=True) == []
    (tmp_path / "app/kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources: [web.yaml]\n")
    assert [(f[0], f[1], f[3]) for f in findings(tmp_path, complete=True)] == [("web.yaml", 25, "service-no-pods")]
