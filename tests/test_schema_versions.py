"""Choosing the bundled schema version, and removed/deprecated APIs per target version."""

import pytest

from kubelint.validate import VersionError, choose_version, version_note
from kubelint.validate.deprecations import CHANGES, lookup, status
from kubelint.validate.versions import bundled_minors
from schema_helpers import FIXTURES, lint, lint_files, show


def test_every_minor_from_1_25_to_1_37_is_bundled():
    assert bundled_minors() == tuple((1, m) for m in range(25, 38))


@pytest.mark.parametrize("requested, target, schema", [
    (None, (1, 37), (1, 37)),
    ("1.30", (1, 30), (1, 30)),
    ("1.30.4", (1, 30), (1, 30)),
    ("v1.28.0", (1, 28), (1, 28)),
    ("1.40", (1, 40), (1, 37)),
    ("1.22", (1, 22), (1, 25)),
])
def test_closest_bundled_minor_at_or_below(requested, target, schema):
    got_target, got_schema, note = choose_version(requested)
    assert (got_target, got_schema) == (target, schema)
    assert note.startswith(f"Kubernetes schemas: {schema[0]}.{schema[1]}")


def test_notes_say_which_version_was_chosen():
    assert version_note(None) == ("Kubernetes schemas: 1.37 (the newest bundled; set --kubernetes-version "
                                  "to target another)")
    assert version_note("1.31.2") == "Kubernetes schemas: 1.31"
    assert version_note("1.40") == ("Kubernetes schemas: 1.37 (closest bundled version at or below 1.40; "
                                    "removed APIs are judged for 1.40)")
    assert version_note("1.20") == ("Kubernetes schemas: 1.25 (no schemas bundled for 1.20; 1.25 is the "
                                    "oldest; removed APIs are judged for 1.20)")


@pytest.mark.parametrize("bad", ["latest", "1", "1.x", "one.two", ""])
def test_invalid_versions_are_rejected_with_a_message(bad):
    with pytest.raises(VersionError, match="expected X.Y or X.Y.Z"):
        choose_version(bad)


def removed_fixture(version):
    return show(lint_files({"removed-apis.yaml": (FIXTURES / "removed-apis.yaml").read_text()},
                           kubernetes_version=version))


def test_removed_apis_for_the_newest_version():
    assert removed_fixture(None) == [
        "1:13 removed-api extensions/v1beta1 Deployment was removed in Kubernetes 1.16 (target 1.37); use apps/v1",
        "6:13 removed-api policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (target 1.37); "
        "use policy/v1",
        "16:13 removed-api autoscaling/v2beta2 HorizontalPodAutoscaler was removed in Kubernetes 1.26 "
        "(target 1.37); use autoscaling/v2",
        "28:13 removed-api flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema was removed in Kubernetes 1.32 "
        "(target 1.37); use flowcontrol.apiserver.k8s.io/v1",
    ]


def test_removed_apis_depend_on_the_target_version():
    # 1.25: the HPA beta is deprecated but served, and validated with the 1.25 schema.
    assert removed_fixture("1.25") == [
        "1:13 removed-api extensions/v1beta1 Deployment was removed in Kubernetes 1.16 (target 1.25); use apps/v1",
        "6:13 removed-api policy/v1beta1 PodDisruptionBudget was removed in Kubernetes 1.25 (target 1.25); "
        "use policy/v1",
        "16:13 deprecated-api autoscaling/v2beta2 HorizontalPodAutoscaler is deprecated since Kubernetes 1.23, "
        "removed in 1.26; use autoscaling/v2",
        "28:13 unknown-kind flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by Kubernetes 1.25; "
        "it exists in 1.26 to 1.31",
    ]
    # 1.21 is older than any bundled schema: 1.25 schemas validate, but removals are judged for 1.21.
    assert removed_fixture("1.21") == [
        "1:13 removed-api extensions/v1beta1 Deployment was removed in Kubernetes 1.16 (target 1.21); use apps/v1",
        "6:13 deprecated-api policy/v1beta1 PodDisruptionBudget is deprecated since Kubernetes 1.21, "
        "removed in 1.25; use policy/v1",
        "28:13 unknown-kind flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema is not served by Kubernetes 1.21; "
        "it exists in 1.26 to 1.31",
    ]


def test_flowcontrol_betas_step_through_their_removals():
    text = "apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\nkind: PriorityLevelConfiguration\nmetadata:\n  name: p\n"
    assert [f.rule for f in lint(text, kubernetes_version="1.28")] == []
    assert [f.rule for f in lint(text, kubernetes_version="1.29")] == ["deprecated-api"]
    assert [f.rule for f in lint(text, kubernetes_version="1.32")] == ["removed-api"]


def test_removed_kind_without_schema_is_not_also_an_unknown_kind():
    text = "apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: i\n"
    assert [f.rule for f in lint(text)] == ["removed-api"]


def test_podsecuritypolicy_names_its_successor_mechanism():
    text = "apiVersion: policy/v1beta1\nkind: PodSecurityPolicy\nmetadata:\n  name: p\n"
    (finding,) = lint(text)
    assert finding.rule == "removed-api" and (finding.line, finding.column) == (1, 13)
    assert "Pod Security Admission" in finding.message


def test_table_covers_the_issue_list():
    for api_version, kind in [
        ("extensions/v1beta1", "Deployment"), ("extensions/v1beta1", "Ingress"), ("apps/v1beta1", "StatefulSet"),
        ("apps/v1beta2", "DaemonSet"), ("policy/v1beta1", "PodSecurityPolicy"), ("policy/v1beta1", "PodDisruptionBudget"),
        ("batch/v1beta1", "CronJob"), ("autoscaling/v2beta1", "HorizontalPodAutoscaler"),
        ("autoscaling/v2beta2", "HorizontalPodAutoscaler"), ("networking.k8s.io/v1beta1", "Ingress"),
        ("networking.k8s.io/v1beta1", "IngressClass"), ("flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema"),
        ("flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema"), ("flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema"),
        ("storage.k8s.io/v1beta1", "CSIStorageCapacity"), ("rbac.authorization.k8s.io/v1beta1", "ClusterRole"),
        ("admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration"),
        ("apiextensions.k8s.io/v1beta1", "CustomResourceDefinition"),
        ("certificates.k8s.io/v1beta1", "CertificateSigningRequest"), ("coordination.k8s.io/v1beta1", "Lease"),
        ("scheduling.k8s.io/v1beta1", "PriorityClass"), ("discovery.k8s.io/v1beta1", "EndpointSlice"),
        ("events.k8s.io/v1beta1", "Event"), ("node.k8s.io/v1beta1", "RuntimeClass"),
    ]:
        change = lookup(api_version, kind)
        assert change is not None, (api_version, kind)
        assert status(change, (1, 37)) == "removed"
        assert status(change, (1, 15)) in (None, "deprecated")


def test_every_removed_api_is_absent_from_the_schemas_of_its_removal_version():
    from kubelint.validate.bundled import bundled

    for change in CHANGES.values():
        if change.removed_in is None or change.removed_in < (1, 25):
            continue
        assert bundled(change.removed_in, False).definition(change.api_version, change.kind) is None, change
        before = (change.removed_in[0], change.removed_in[1] - 1)
        if before >= (1, 25):
            assert bundled(before, False).definition(change.api_version, change.kind) is not None, change


def test_a_kind_under_the_wrong_api_version_names_the_right_one():
    text = "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: d\n"
    assert show(lint(text)) == ["1:13 unknown-kind v1 has no kind Deployment; Deployment is served as apps/v1"]
    text = "apiVersion: apps/v1\nkind: deployment\nmetadata:\n  name: d\n"
    assert show(lint(text)) == ["2:7 unknown-kind apps/v1 has no kind deployment (did you mean Deployment?)"]
