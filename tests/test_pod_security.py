"""The Pod Security Standards rules (kubelint/checks/podsecurity): each control at its field, per
level and policy version, as the Pod Security Admission controller decides; Namespaces in the
scan choosing the level (enforce errors, warn/audit warnings); bad labels; the CLI switches."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kubelint.api import lint_paths, lint_text
from kubelint.checks.podsecurity.controls import CONTROLS, safe_sysctls
from kubelint.checks.podsecurity.policy import LevelVersion, cluster_version, parse_version, policies
from kubelint.cli import main
from kubelint.scan import Options

FIXTURES = Path(__file__).parent / "fixtures" / "pod-security"


def run(name: str, level: str | None = None, version: str | None = None) -> list[tuple]:
    found = lint_paths([str(FIXTURES / name)], Options(pod_security=level, kubernetes_version=version),
                       select=["pod-security"])
    return [(f.rule, f.line, f.column, f.severity) for f in found]


def test_every_baseline_control_at_its_field():
    assert run("baseline.yaml", "baseline") == [
        ("pss-apparmor", 7, 57, "error"),  # the annotation's value
        ("pss-host-namespaces", 9, 16, "error"),
        ("pss-host-namespaces", 10, 12, "error"),
        ("pss-host-process", 13, 20, "error"),
        ("pss-selinux", 15, 13, "error"),
        ("pss-seccomp-baseline", 17, 13, "error"),
        ("pss-sysctls", 19, 15, "error"),  # kernel.msgmax; ip_local_port_range is safe
        ("pss-proc-mount", 27, 20, "error"),
        ("pss-host-ports", 33, 21, "error"),
        ("pss-privileged", 35, 21, "error"),
        ("pss-capabilities-baseline", 37, 17, "error"),  # NET_ADMIN; CHOWN is in the baseline set
        ("pss-apparmor", 39, 17, "error"),
        ("pss-selinux", 41, 17, "error"),
        ("pss-probe-host", 44, 17, "error"),
        ("pss-host-path-volumes", 48, 7, "error"),
    ]


def test_messages_name_the_level_version_and_control():
    found = lint_paths([str(FIXTURES / "baseline.yaml")], Options(pod_security="baseline"), select=["pod-security"])
    by_line = {(f.rule, f.line): f.message for f in found}
    assert by_line[("pss-privileged", 35)] == ('Pod Security "baseline:latest" (enforce), Privileged Containers: '
                                               "container 'app' must not set securityContext.privileged=true")
    assert by_line[("pss-sysctls", 19)] == ('Pod Security "baseline:latest" (enforce), Sysctls: sysctl kernel.msgmax '
                                            "is not in the safe set of this version")
    assert by_line[("pss-selinux", 41)].endswith(
        "SELinux: container 'app' must not set seLinuxOptions.user ('system_u')")


def test_restricted_replaces_the_baseline_variants_and_adds_its_controls():
    found = run("baseline.yaml", "restricted")
    rules = {r for r, *_ in found}
    # Volume Types, Seccomp and Capabilities of Restricted replace their Baseline counterparts.
    assert not rules & {"pss-host-path-volumes", "pss-seccomp-baseline", "pss-capabilities-baseline"}
    assert ("pss-volume-types", 48, 7, "error") in found
    assert ("pss-seccomp-restricted", 17, 13, "error") in found
    assert ("pss-capabilities-restricted", 37, 17, "error") in found  # NET_ADMIN
    assert ("pss-capabilities-restricted", 37, 28, "error") in found  # CHOWN: restricted allows NET_BIND_SERVICE only


def test_every_restricted_control():
    assert run("restricted.yaml", "restricted") == [
        ("pss-run-as-non-root", 13, 7, "error"),  # 'sidecar' sets nothing and the pod sets no true
        ("pss-seccomp-restricted", 13, 7, "error"),
        ("pss-run-as-non-root-user", 14, 20, "error"),
        ("pss-run-as-non-root", 19, 27, "error"),
        ("pss-privilege-escalation", 20, 39, "error"),
        ("pss-capabilities-restricted", 22, 15, "error"),  # drop without ALL
        ("pss-capabilities-restricted", 23, 39, "error"),  # add CHOWN
        ("pss-capabilities-restricted", 24, 11, "error"),  # sidecar: nothing dropped
        ("pss-privilege-escalation", 24, 11, "error"),
        ("pss-volume-types", 28, 11, "error"),  # nfs; emptyDir is allowed
    ]
    # The same Deployment passes baseline.
    assert run("restricted.yaml", "baseline") == []


def test_unset_fields_are_reported_once_at_the_pod_naming_every_container():
    found = lint_paths([str(FIXTURES / "restricted.yaml")], Options(), select=["pss-seccomp-restricted"])
    assert [f.message for f in found] == [
        'Pod Security "restricted:latest" (enforce), Seccomp: the pod, or each of the containers web, sidecar, '
        "must set securityContext.seccompProfile.type to RuntimeDefault or Localhost"]


def test_compliant_workloads_with_init_and_ephemeral_containers_pass_restricted():
    assert run("restricted-ok.yaml", "restricted") == []


def test_init_and_ephemeral_containers_are_checked():
    text = (FIXTURES / "restricted-ok.yaml").read_text().replace(
        "  ephemeralContainers:\n    - name: shell\n      image: busybox:1.36\n      securityContext:\n"
        "        allowPrivilegeEscalation: false\n",
        "  ephemeralContainers:\n    - name: shell\n      image: busybox:1.36\n      securityContext:\n"
        "        privileged: true\n")
    found = lint_text(text, select=["pod-security"])
    assert {(f.rule, f.message.split(": ", 1)[1]) for f in found} == {
        ("pss-privileged", "container 'shell' must not set securityContext.privileged=true"),
        ("pss-privilege-escalation", "container 'shell' must set securityContext.allowPrivilegeEscalation=false")}


@pytest.mark.parametrize("version, expected", [
    # 1.31 API server: no tcp_rmem yet, no image volumes, user namespaces relax nothing, no probe host rule.
    ("1.31", [("pss-run-as-non-root-user", 9, 16), ("pss-sysctls", 13, 15), ("pss-proc-mount", 23, 20),
              ("pss-volume-types", 33, 7)]),
    # 1.33: tcp_rmem is safe (1.32), image volumes allowed.
    ("1.33", [("pss-run-as-non-root-user", 9, 16), ("pss-proc-mount", 23, 20)]),
    # 1.34: a probe host is forbidden.
    ("1.34", [("pss-run-as-non-root-user", 9, 16), ("pss-proc-mount", 23, 20), ("pss-probe-host", 28, 17)]),
    # 1.35: hostUsers: false relaxes runAsUser; Restricted still forbids an unmasked /proc.
    ("1.35", [("pss-proc-mount", 23, 20), ("pss-probe-host", 28, 17)]),
])
def test_version_differences_at_restricted(version, expected):
    assert [(r, line, col) for r, line, col, _ in run("versions.yaml", "restricted", version)] == expected


def test_version_differences_at_baseline():
    # tcp_keepalive_time is safe from 1.29 only; before 1.31 container_engine_t is no allowed type.
    assert [r[:3] for r in run("versions.yaml", "baseline", "1.28")] == [
        ("pss-sysctls", 13, 15), ("pss-sysctls", 15, 15), ("pss-selinux", 18, 13), ("pss-proc-mount", 23, 20)]
    # 1.35: Baseline lets a pod in a user namespace unmask /proc.
    assert [r[:3] for r in run("versions.yaml", "baseline", "1.35")] == [("pss-probe-host", 28, 17)]


def test_safe_sysctls_grow_by_version():
    assert "net.ipv4.ip_local_reserved_ports" not in safe_sysctls((1, 26))
    assert "net.ipv4.ip_local_reserved_ports" in safe_sysctls((1, 27))
    assert "net.ipv4.tcp_notsent_lowat" not in safe_sysctls((1, 36))
    assert "net.ipv4.tcp_notsent_lowat" in safe_sysctls((1, 37))


def test_windows_pods_are_exempt_from_linux_only_controls():
    # Only Running as Non-root applies: privilege escalation, seccomp and capabilities do not.
    assert run("windows.yaml", "restricted") == [("pss-run-as-non-root", 9, 3, "error")]
    # A Windows HostProcess pod is still Baseline's business.
    text = (FIXTURES / "windows.yaml").read_text().replace("runAsUserName: ContainerUser", "hostProcess: true")
    assert [f.rule for f in lint_text(text, select=["pod-security"], options=Options(pod_security="baseline"))] == [
        "pss-host-process"]


def test_namespaces_in_the_scan_decide():
    found = lint_paths([str(FIXTURES / "namespaces.yaml")], Options(), select=["pod-security"])
    got = [(f.rule, f.line, f.severity, f.message.split(",", 1)[0]) for f in found]
    assert got == [
        ("pss-namespace-labels", 15, "error",
         "label pod-security.kubernetes.io/enforce: 'Baseline' is not a Pod Security level (privileged"),
        ("pss-namespace-labels", 16, "error",
         "label pod-security.kubernetes.io/warn-version: '1.30' is not a Pod Security version (latest or v1.X"),
        ("pss-namespace-labels", 17, "warning",
         "label pod-security.kubernetes.io/enforced is not a Pod Security Admission label (enforce"),
        # shop: enforce baseline pinned to v1.30 (errors), warn restricted latest (warnings).
        ("pss-run-as-non-root", 31, "warning", 'Pod Security "restricted:latest" (warn)'),
        ("pss-seccomp-restricted", 31, "warning", 'Pod Security "restricted:latest" (warn)'),
        ("pss-privilege-escalation", 33, "warning", 'Pod Security "restricted:latest" (warn)'),
        ("pss-capabilities-restricted", 35, "warning", 'Pod Security "restricted:latest" (warn)'),
        ("pss-privileged", 36, "error", 'Pod Security "baseline:v1.30" (enforce)'),  # never repeated as a warning
        # The probe host rule is 1.34+: not enforced at v1.30, but warned at latest.
        ("pss-probe-host", 38, "warning", 'Pod Security "restricted:latest" (warn)'),
        # typo: an enforce level the controller cannot read enforces restricted.
        ("pss-capabilities-restricted", 50, "error", 'Pod Security "restricted:latest" (enforce)'),
        ("pss-privilege-escalation", 50, "error", 'Pod Security "restricted:latest" (enforce)'),
        # infra: privileged, its hostNetwork agent passes.
    ]
    label = next(f for f in found if f.rule == "pss-privileged").related
    assert [(r.line, r.message) for r in label] == [
        (6, "the pod-security.kubernetes.io/enforce label of Namespace 'shop'")]


def test_privileged_default_leaves_the_decision_to_labelled_namespaces():
    found = lint_paths([str(FIXTURES)], Options(pod_security="privileged"), select=["pod-security"])
    assert {f.file.rsplit("/", 1)[1] for f in found} == {"namespaces.yaml"}


def test_label_parsing_follows_the_controller():
    assert parse_version("v1.30") == ((1, 30), True)
    assert parse_version("latest") == (None, True)
    assert parse_version("1.30")[1] is False and parse_version("v1.030")[1] is False
    modes = policies({"pod-security.kubernetes.io/enforce": "strict", "pod-security.kubernetes.io/warn": "x",
                      "pod-security.kubernetes.io/audit": "baseline"}, "privileged")
    # Enforce fails closed, warn fails open.
    assert [(m.mode, m.policy) for m in modes] == [("enforce", LevelVersion("restricted", None)),
                                                   ("audit", LevelVersion("baseline", None))]
    assert LevelVersion("baseline", (1, 40)).resolved(cluster_version("1.30")) == (1, 30)
    assert cluster_version(None) == (1, 37) and cluster_version("1.99") == (1, 37)


def test_every_pod_bearing_kind_and_patches():
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: db
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      hostIPC: true
      containers:
        - name: db
          image: postgres:16
"""
    assert [(f.rule, f.line) for f in lint_text(text, select=["pss-host-namespaces"])] == [("pss-host-namespaces", 11)]
    # A kustomize patch carries only what it changes: missing fields prove nothing, set ones count.
    patch = text.replace("      hostIPC: true\n", "").replace("image: postgres:16", "securityContext: {runAsUser: 0}")
    found = lint_text(patch, name="overlays/prod/patch.yaml", select=["pod-security"])
    assert [(f.rule, f.line) for f in found] == [("pss-run-as-non-root-user", 13)]


def test_every_control_has_a_rule_file_in_the_family():
    from kubelint.engine.loader import load_rules

    rules = load_rules()
    for control in CONTROLS:
        rule = rules[control.rule]
        assert (rule.category, rule.severity, rule.default_enabled, rule.check) == (
            "pod-security", "error", False, "pod-security"), control.rule
    assert rules["pss-namespace-labels"].default_enabled is True


def cli(tmp_path, capsys, *args) -> tuple[int, list[dict]]:
    code = main(["check", "--isolated", "--format", "json", "--no-progress", *args])
    return code, json.loads(capsys.readouterr().out)["findings"]


def test_cli_pod_security_adds_the_rules_at_that_level(tmp_path, capsys):
    target = str(FIXTURES / "restricted.yaml")
    code, found = cli(tmp_path, capsys, "--pod-security", "baseline", target)
    assert not [f for f in found if f["rule"].startswith("pss-")]
    code, found = cli(tmp_path, capsys, "--pod-security", "restricted", target)
    pss = [f for f in found if f["rule"].startswith("pss-")]
    assert code == 1 and len(pss) == 10
    # The recommended rules still run beside them.
    assert any(not f["rule"].startswith("pss-") for f in found)


def test_cli_profiles_run_the_standard_alone(tmp_path, capsys):
    code, found = cli(tmp_path, capsys, "--profile", "pss-baseline", str(FIXTURES / "baseline.yaml"))
    assert code == 1 and {f["rule"] for f in found} == {
        "pss-apparmor", "pss-host-namespaces", "pss-host-process", "pss-selinux", "pss-seccomp-baseline",
        "pss-sysctls", "pss-proc-mount", "pss-host-ports", "pss-privileged", "pss-capabilities-baseline",
        "pss-probe-host", "pss-host-path-volumes"}
    code, found = cli(tmp_path, capsys, "--profile", "pss-restricted", str(FIXTURES / "restricted-ok.yaml"))
    assert (code, found) == (0, [])


def test_config_pod_security_and_bad_values(tmp_path, capsys, monkeypatch):
    (tmp_path / ".git").mkdir()
    (tmp_path / "pod.yaml").write_text((FIXTURES / "restricted.yaml").read_text())
    (tmp_path / ".kubelint.yaml").write_text("pod-security: restricted\nselect: [pod-security]\n")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json", "--no-progress", "pod.yaml"]) == 1
    assert len(json.loads(capsys.readouterr().out)["findings"]) == 10
    (tmp_path / ".kubelint.yaml").write_text("pod-security: strict\n")
    assert main(["check", "--no-progress", "pod.yaml"]) == 2
    assert ".kubelint.yaml:1:15: pod-security: 'strict' is not one of privileged, baseline, restricted" in \
        capsys.readouterr().err
