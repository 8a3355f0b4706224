"""Custom resources: schemas from CRDs in the same scan, from --schema-dir, and kustomize inputs."""

from schema_helpers import FIXTURES, lint, lint_files, show


def read(*names):
    return {name: (FIXTURES / name).read_text() for name in names}


def test_custom_resources_are_validated_against_the_crd_in_the_scan():
    findings = [f for f in lint_files(read("crd-widget.yaml", "widgets.yaml")) if f.file == "widgets.yaml"]
    assert show(findings) == [
        "20:3 unknown-field unknown field metadata.lables (did you mean 'labels'?)",
        "23:9 schema-invalid spec.size: 'huge' is not one of 'small', 'medium', 'large'",
        "24:13 schema-invalid spec.replicas: 0 is less than the minimum 1",
        "25:3 unknown-field unknown field spec.colour (allowed: extra, memory, port, replicas, size, template)",
        "26:11 invalid-quantity spec.memory: '1Gb' is not a valid Kubernetes quantity; did you mean 1G or 1Gi? "
        "(Ki/Mi/Gi are powers of 1024, k/M/G of 1000)",
        "33:1 schema-invalid missing required field spec.size",
        "36:13 unknown-kind no schema for example.com/v1alpha1 Widget: its CustomResourceDefinition in the scan "
        "serves example.com/v1 only",
    ]


def test_the_crd_itself_is_valid():
    assert show(lint_files(read("crd-widget.yaml"))) == []


def test_without_the_crd_the_kind_is_unknown_and_can_be_an_error():
    widgets = read("widgets.yaml")
    findings = lint_files(widgets)
    assert {f.rule for f in findings} == {"unknown-kind"}
    assert {f.severity for f in findings} == {"info"}
    assert show(findings)[0] == ("2:7 unknown-kind no schema for example.com/v1 Widget: not a built-in Kubernetes "
                                 "1.37 API; add its CustomResourceDefinition to the scan or a --schema-dir")
    assert {f.severity for f in lint_files(widgets, reject_unknown_kinds=True)} == {"error"}


def test_preserve_unknown_fields_int_or_string_and_embedded_resources():
    good = [f for f in lint_files(read("crd-widget.yaml", "widgets.yaml")) if f.object.name == "good"]
    assert good == []


def test_v1beta1_crd_with_a_shared_validation_schema():
    crd = """\
apiVersion: apiextensions.k8s.io/v1beta1
kind: CustomResourceDefinition
metadata:
  name: crons.example.com
spec:
  group: example.com
  version: v1
  names: {kind: Cron, plural: crons}
  validation:
    openAPIV3Schema:
      properties:
        spec:
          properties:
            schedule: {type: string}
---
apiVersion: example.com/v1
kind: Cron
metadata:
  name: c
spec:
  schedule: 5
"""
    assert show(lint(crd)) == [
        "1:13 removed-api apiextensions.k8s.io/v1beta1 CustomResourceDefinition was removed in Kubernetes 1.22 "
        "(target 1.37); use apiextensions.k8s.io/v1",
        "21:13 schema-invalid spec.schedule: expected string, got integer 5; quote it: \"5\"",
    ]


def test_schema_dir_layouts():
    findings = lint_files(read("schema-dir-objects.yaml"), schema_dirs=[str(FIXTURES / "schema-dir")])
    assert show(findings) == [
        "7:10 schema-invalid spec.count: 0 must be greater than 0",
        "8:3 unknown-field unknown field spec.speed (allowed: count, mode)",
        "15:10 schema-invalid spec.level: expected integer, got string 'high'",
    ]


def test_missing_schema_dir_is_not_an_error():
    findings = lint_files(read("schema-dir-objects.yaml"), schema_dirs=["/nonexistent/dir"])
    assert [f.rule for f in findings] == ["unknown-kind", "unknown-kind"]


def test_kustomize_patches_and_labelled_resources_skip_required_fields_only():
    base = FIXTURES / "kustomize"
    files = {str(p): p.read_text() for p in sorted(base.rglob("*.yaml"))}
    findings = lint_files(files)
    assert [(f.file.removeprefix(str(base)), f.line, f.column, f.rule, f.message) for f in findings] == [
        ("/overlay/replicas.yaml", 12, 11, "unknown-field",
         "unknown field spec.template.spec.containers[0].resourcez (did you mean 'resources'?)"),
    ]
    # The same files without their Kustomization are whole objects, missing their selector.
    alone = lint_files({"deployment.yaml": files[str(base / "deployment.yaml")]})
    assert show(alone) == ["5:1 schema-invalid missing required field spec.selector"]


def test_patch_conventions_without_a_kustomization():
    patch = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  replicas: 3\n"
    assert show(lint(patch, name="overlays/prod/replicas.yaml")) == []
    assert show(lint(patch, name="replica_patch.yaml")) == []
    assert show(lint(patch, name="deploy.yaml")) == ["5:1 schema-invalid missing required field spec.selector",
                                                     "5:1 schema-invalid missing required field spec.template"]
    directive = patch + "  template:\n    spec:\n      $setElementOrder/containers: [{name: a}]\n"
    assert show(lint(directive, name="deploy.yaml")) == []


def test_a_broken_crd_schema_is_reported_not_raised():
    text = """\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: things.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Thing, plural: things}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          properties: [1, 2]
---
apiVersion: example.com/v1
kind: Thing
metadata: {name: t}
"""
    assert show(lint(text)) == [
        "14:23 schema-invalid spec.versions[0].schema.openAPIV3Schema.properties: expected object, got array",
        "17:7 unknown-kind example.com/v1 Thing was not validated: the schema from CustomResourceDefinition "
        "things.example.com (test.yaml:1) could not be used (TypeError)",
    ]


def test_kustomization_of_the_wrong_shape_does_not_crash():
    from kubelint.api import lint_text

    text = ("apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\ncommonLabels: {app: x}\n"
            "resources: 5\npatches: 7\n")
    findings = lint_text(text)
    assert [f.rule for f in findings if f.severity == "error"] == []
