"""Fixes: each one's output text, the re-lint (its finding gone, nothing new), idempotence,
bytes outside the edits untouched (CRLF, BOM, comments, flow style, no final newline), and the
CLI (--fix, --diff, --fix-only, --unsafe-fixes, stdin, fixable/unfixable, JSON and SARIF)."""

from __future__ import annotations

import json
import textwrap
from collections import Counter

import pytest
from ruamel.yaml import YAML

from kubelint.cli import main
from kubelint.pipeline import Settings, Text, lint


def fix(text: str, name: str = "m.yaml", unsafe: bool = False, select=("all",), **settings) -> tuple[str, dict]:
    """(fixed text, fixed counts); asserts the re-lint has no finding the original had not."""
    base = Settings.load(isolated=True, select=list(select), **settings)
    before = lint([Text(text, name)], base)
    result = lint([Text(text, name)], Settings.load(isolated=True, select=list(select), fix=True,
                                                    unsafe_fixes=unsafe, **settings))
    old = Counter(f.rule for f in before.findings)
    new = Counter(f.rule for f in result.findings)
    assert not [r for r in new if new[r] > old[r]], (new - old)
    for rule in result.fixed:
        assert new[rule] < old[rule], rule
    fixed = result.fixed_texts.get(name, text)
    again = lint([Text(fixed, name)], Settings.load(isolated=True, select=list(select), fix=True,
                                                     unsafe_fixes=unsafe, **settings))
    assert again.fixed_texts == {}, "fixing twice changed something"
    return fixed, result.fixed


def d(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


POD = d("""
    apiVersion: v1
    kind: Pod
    metadata:
      name: web  # the web pod
    spec:
      serviceAccount: web
      containers:
        - name: web
          image: "nginx:1.27.3"   # pinned
          ports: [{containerPort: 80}]
    """)


# --- Kubernetes, safe ---------------------------------------------------------------------------


def test_service_account_field_is_renamed_in_place():
    out, fixed = fix(POD, select=["deprecated-service-account-field"])
    assert fixed == {"deprecated-service-account-field": 1}
    assert out == POD.replace("serviceAccount: web", "serviceAccountName: web")


def test_service_account_field_left_when_both_disagree():
    text = POD.replace("  serviceAccount: web\n", "  serviceAccount: web\n  serviceAccountName: api\n")
    out, fixed = fix(text, select=["deprecated-service-account-field"])
    assert out == text and fixed == {}


def test_removed_api_gets_its_same_schema_replacement():
    text = d("""
        apiVersion: 'batch/v1beta1'
        kind: CronJob
        metadata: {name: nightly}
        spec:
          schedule: "0 3 * * *"
          jobTemplate: {spec: {template: {spec: {restartPolicy: Never, containers: [{name: a, image: "busybox:1.36"}]}}}}
        """)
    out, fixed = fix(text, select=["removed-api"])
    assert fixed == {"removed-api": 1}
    assert out == text.replace("'batch/v1beta1'", "'batch/v1'")


def test_pdb_without_selector_needs_unsafe():
    text = "apiVersion: policy/v1beta1\nkind: PodDisruptionBudget\nmetadata:\n  name: p\nspec:\n  minAvailable: 1\n"
    assert fix(text, select=["removed-api"])[0] == text
    out, _ = fix(text, select=["removed-api"], unsafe=True)
    assert out == text.replace("policy/v1beta1", "policy/v1")


INGRESS = d("""
    # front door
    apiVersion: extensions/v1beta1
    kind: Ingress
    metadata:
      name: web  # keep me
    spec:
      backend:
        serviceName: default-http
        servicePort: 80
      rules:
      - host: example.com
        http:
          paths:
          - path: /
            backend:
              serviceName: "web"
              servicePort: http   # named port
          - path: /api
            pathType: Prefix
            backend: {serviceName: api, servicePort: '8080'}
    """)


def test_ingress_moves_to_v1_with_its_backends_rewritten_only_with_unsafe_fixes():
    assert fix(INGRESS, select=["removed-api"])[0] == INGRESS
    out, fixed = fix(INGRESS, select=["removed-api"], unsafe=True)
    assert fixed == {"removed-api": 1}
    assert out == d("""
        # front door
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata:
          name: web  # keep me
        spec:
          defaultBackend:
            service:
              name: default-http
              port:
                number: 80
          rules:
          - host: example.com
            http:
              paths:
              - path: /
                backend:
                  service:
                    name: "web"
                    port:
                      name: http   # named port
                pathType: ImplementationSpecific
              - path: /api
                pathType: Prefix
                backend: {service: {name: api, port: {number: 8080}}}
        """)
    # The result is a valid networking.k8s.io/v1 Ingress: the schema finds nothing.
    result = lint([Text(out, "m.yaml")], Settings.load(isolated=True, select=["all"]))
    assert not [f for f in result.findings if f.rule.startswith("schema") or f.rule.endswith("-api")]


def test_ingress_v1beta1_networking_crlf_and_four_space_indent():
    text = d("""
        apiVersion: networking.k8s.io/v1beta1
        kind: Ingress
        metadata:
            name: other
        spec:
            rules:
                -   http:
                        paths:
                            -   backend:
                                    serviceName: x
                                    servicePort: 8080
        """).replace("\n", "\r\n")
    out, _ = fix(text, select=["removed-api"], unsafe=True)
    assert out == text.replace("networking.k8s.io/v1beta1", "networking.k8s.io/v1").replace(
        "serviceName: x\r\n" + " " * 28 + "servicePort: 8080\r\n",
        "service:\r\n" + " " * 32 + "name: x\r\n" + " " * 32 + "port:\r\n" + " " * 36 + "number: 8080\r\n"
        + " " * 24 + "pathType: ImplementationSpecific\r\n")
    data = YAML(typ="safe").load(out)
    assert data["spec"]["rules"][0]["http"]["paths"][0] == {
        "backend": {"service": {"name": "x", "port": {"number": 8080}}}, "pathType": "ImplementationSpecific"}


@pytest.mark.parametrize("backend", [
    "backend:\n          serviceName: web\n          servicePort: 80\n          resource: {kind: X, name: y}\n",
    "backend:\n          serviceName: web\n          # the port\n          servicePort: 80\n",
    "backend: &b\n          serviceName: web\n          servicePort: 80\n",
])
def test_ingress_backends_it_cannot_rewrite_in_place_are_left_alone(backend):
    text = ("apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata:\n  name: w\nspec:\n  rules:\n"
            "  - http:\n      paths:\n      - path: /\n        " + backend)
    assert fix(text, select=["removed-api"], unsafe=True)[0] == text


NODE_LABELS = d("""
    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
    spec:
      selector:
        matchLabels: {app: web}
      template:
        metadata:
          labels: {app: web}
        spec:
          nodeSelector:
            "beta.kubernetes.io/os": linux   # linux only
            beta.kubernetes.io/instance-type: m5.large
          affinity:
            nodeAffinity:
              requiredDuringSchedulingIgnoredDuringExecution:
                nodeSelectorTerms:
                  - matchExpressions:
                      - {key: beta.kubernetes.io/arch, operator: In, values: [amd64]}
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 1
                  preference:
                    matchExpressions:
                      - key: 'failure-domain.beta.kubernetes.io/region'
                        operator: In
                        values: [eu-west-1]
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
                - weight: 100
                  podAffinityTerm:
                    topologyKey: failure-domain.beta.kubernetes.io/zone
                    labelSelector: {matchLabels: {app: web}}
          topologySpreadConstraints:
            - {maxSkew: 1, topologyKey: failure-domain.beta.kubernetes.io/zone, whenUnsatisfiable: DoNotSchedule,
               labelSelector: {matchLabels: {app: web}}}
          containers:
            - name: web
              image: nginx:1.27.3
    """)


def test_deprecated_node_labels_are_found_where_they_are_written():
    result = lint([Text(NODE_LABELS, "m.yaml")], Settings.load(isolated=True, select=["deprecated-node-labels"]))
    got = [(f.line, f.column, f.end_column, f.values["where"]) for f in result.findings]
    # Each finding spans the label as written (quotes included).
    assert got == [
        (13, 9, 32, "nodeSelector"),  # "beta.kubernetes.io/os"
        (14, 9, 41, "nodeSelector"),
        (20, 27, 50, "node affinity"),
        (25, 26, 68, "node affinity"),  # 'failure-domain.beta.kubernetes.io/region'
        (32, 30, 68, "pod anti-affinity"),
        (35, 37, 75, "topologySpreadConstraints"),
    ]
    lines = NODE_LABELS.splitlines()
    assert [lines[f.line - 1][f.column - 1:f.end_column - 1].strip("'\"") for f in result.findings] == [
        f.values["label"] for f in result.findings]
    assert result.findings[0].message == ("Deployment 'web' uses the deprecated node label 'beta.kubernetes.io/os' "
                                          "in nodeSelector; use 'kubernetes.io/os'")


def test_deprecated_node_labels_become_the_ga_ones_in_place():
    out, fixed = fix(NODE_LABELS, select=["deprecated-node-labels"])
    assert fixed == {"deprecated-node-labels": 6}
    expected = NODE_LABELS
    for old, new in (('"beta.kubernetes.io/os"', '"kubernetes.io/os"'),
                     ("beta.kubernetes.io/instance-type", "node.kubernetes.io/instance-type"),
                     ("beta.kubernetes.io/arch", "kubernetes.io/arch"),
                     ("'failure-domain.beta.kubernetes.io/region'", "'topology.kubernetes.io/region'"),
                     ("failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/zone")):
        expected = expected.replace(old, new)
    assert out == expected


def test_node_selector_with_both_labels():
    base = ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  nodeSelector:\n"
            "    kubernetes.io/os: linux\n    beta.kubernetes.io/os: {beta}\n    disk: ssd\n"
            "  containers:\n    - {{name: a, image: \"nginx:1.27.3\"}}\n")
    same = base.format(beta="linux")
    out, fixed = fix(same, select=["deprecated-node-labels"])
    assert fixed == {"deprecated-node-labels": 1}
    assert out == same.replace("    beta.kubernetes.io/os: linux\n", "")
    differ = base.format(beta="windows")  # which one was meant is the user's call
    assert fix(differ, select=["deprecated-node-labels"]) == (differ, {})


def test_deprecated_node_labels_of_persistent_volumes_and_storage_classes():
    text = d("""
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: pv}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadWriteOnce]
          local: {path: /mnt/disk}
          nodeAffinity:
            required:
              nodeSelectorTerms:
                - matchExpressions:
                    - {key: failure-domain.beta.kubernetes.io/zone, operator: In, values: [a]}
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: zonal}
        provisioner: ebs.csi.aws.com
        allowedTopologies:
          - matchLabelExpressions:
              - key: failure-domain.beta.kubernetes.io/zone
                values: [a]
        """)
    out, fixed = fix(text, select=["deprecated-node-labels"])
    assert fixed == {"deprecated-node-labels": 2}
    assert out == text.replace("failure-domain.beta.kubernetes.io/zone", "topology.kubernetes.io/zone")


def test_seccomp_annotation_becomes_the_pod_field():
    text = d("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
              annotations:
                seccomp.security.alpha.kubernetes.io/pod: runtime/default
            spec:
              containers:
              - name: web
                image: nginx:1.27.3
        """)
    out, fixed = fix(text, select=["deprecated-annotations"])
    assert fixed == {"deprecated-annotations": 1}
    assert out == d("""
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          selector:
            matchLabels: {app: web}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: web
                image: nginx:1.27.3
              securityContext:
                seccompProfile:
                  type: RuntimeDefault
        """)


def test_duplicate_key_keeps_the_last_only_when_unsafe():
    text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: '1'\n  b: '2'\n  a: '3'\n"
    assert fix(text, select=["duplicate-key"])[0] == text
    out, fixed = fix(text, select=["duplicate-key"], unsafe=True)
    assert out == "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  b: '2'\n  a: '3'\n"
    assert fixed == {"duplicate-key": 1}


# --- Kubernetes, unsafe hardening ---------------------------------------------------------------

HARDENING = ["privilege-escalation", "writable-root-fs", "run-as-root", "drop-net-raw", "seccomp-profile",
             "automount-service-account-token", "image-pull-policy"]


def test_hardening_needs_unsafe_fixes():
    out, fixed = fix(POD, select=HARDENING)
    assert out == POD and fixed == {}


def test_hardening_reaches_a_clean_pod_and_keeps_everything_else():
    """One key per pass where fixes insert at one place; the file's sequence indentation is used."""
    text = POD.replace('"nginx:1.27.3"   # pinned', '"nginx:stable"   # pinned\n      imagePullPolicy: IfNotPresent')
    # drop-net-raw reports a container without `capabilities` only with report-unset (checkov's reading).
    unset = {"drop-net-raw": {"report-unset": True}}
    out, fixed = fix(text, select=HARDENING, unsafe=True, params=unset)
    assert set(fixed) == set(HARDENING)
    assert out == d("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web  # the web pod
        spec:
          serviceAccount: web
          containers:
            - name: web
              image: "nginx:stable"   # pinned
              imagePullPolicy: Always
              ports: [{containerPort: 80}]
              securityContext:
                capabilities:
                  drop:
                    - ALL
                allowPrivilegeEscalation: false
                runAsNonRoot: true
                readOnlyRootFilesystem: true
          automountServiceAccountToken: false
          securityContext:
            seccompProfile:
              type: RuntimeDefault
        """)
    assert lint([Text(out, "m.yaml")], Settings.load(isolated=True, select=HARDENING, params=unset)).findings == []


def test_flow_style_and_existing_values_are_edited_in_place():
    text = d("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers: [{name: a, image: "busybox:1.36", securityContext: {allowPrivilegeEscalation: true}}]
        """)
    out, _ = fix(text, select=["privilege-escalation", "writable-root-fs"], unsafe=True)
    assert out == text.replace("{allowPrivilegeEscalation: true}",
                               "{allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}")


def test_run_as_root_is_not_fixed_against_an_explicit_uid_0():
    text = POD.replace("  serviceAccount: web\n", "  securityContext:\n    runAsUser: 0\n")
    out, fixed = fix(text, select=["run-as-root"], unsafe=True)
    assert out == text and fixed == {}


def test_job_ttl_writes_the_param():
    text = "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n" \
           "      restartPolicy: Never\n      containers:\n      - {name: a, image: 'busybox:1.36'}\n"
    out, _ = fix(text, select=["job-ttl"], unsafe=True, params={"job-ttl": {"fix-seconds": 600}})
    assert out == text + "  ttlSecondsAfterFinished: 600\n"


# --- preservation -------------------------------------------------------------------------------


def test_crlf_and_no_final_newline_and_four_space_indent_are_kept():
    text = POD.replace("\n  ", "\n    ").replace("\n", "\r\n").rstrip("\r\n")
    out, _ = fix(text, select=["privilege-escalation"], unsafe=True)
    # The keys of the container sit at column 8 and the file indents by 4.
    assert out == text + "\r\n        securityContext:\r\n            allowPrivilegeEscalation: false"


def test_anchored_and_aliased_nodes_are_not_edited():
    text = d("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
          - &c
            name: a
            image: busybox:1.36
          initContainers:
          - *c
        """)
    out, fixed = fix(text, select=["privilege-escalation"], unsafe=True)
    assert out == text and fixed == {}


def test_only_the_edited_document_of_a_stream_changes():
    other = "# keep\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: v}\n...\n"
    text = other + "---\n" + POD
    out, _ = fix(text, select=["deprecated-service-account-field"])
    assert out == other + "---\n" + POD.replace("serviceAccount:", "serviceAccountName:")


def test_a_file_with_a_syntax_error_is_never_touched():
    text = POD + "bad: [\n"
    out, fixed = fix(text, select=["deprecated-service-account-field", "yaml-syntax"])
    assert out == text and fixed == {}


# --- Dockerfile ---------------------------------------------------------------------------------

DOCKERFILE = d("""
    # syntax=docker/dockerfile:1
    FROM debian:12.7
    MAINTAINER Jane Doe <jane@example.org>
    RUN apt-get update && \\
        apt-get install curl=7.88.1-10 && \\
        rm -rf /var/lib/apt/lists/*
    ADD app.py /app/
    RUN apk add git=2.45.2-r0
    CMD python /app/app.py
    """)


def test_dockerfile_safe_fixes():
    out, fixed = fix(DOCKERFILE, "Dockerfile")
    assert fixed == {"add-instead-of-copy": 1, "apk-no-cache": 1, "apt-get-no-y": 1, "maintainer-deprecated": 1}
    assert out == d("""
        # syntax=docker/dockerfile:1
        FROM debian:12.7
        LABEL org.opencontainers.image.authors="Jane Doe <jane@example.org>"
        RUN apt-get update && \\
            apt-get install -y curl=7.88.1-10 && \\
            rm -rf /var/lib/apt/lists/*
        COPY app.py /app/
        RUN apk add --no-cache git=2.45.2-r0
        CMD python /app/app.py
        """)


def test_dockerfile_unsafe_fixes():
    out, fixed = fix(DOCKERFILE, "Dockerfile", unsafe=True,
                     select=["apt-get-recommends", "shell-form-cmd", "cache-not-cleaned", "pipefail"])
    assert set(fixed) == {"apt-get-recommends", "shell-form-cmd"}
    assert "apt-get install --no-install-recommends curl" in out
    assert out.endswith('CMD ["python", "/app/app.py"]\n')


def test_pipefail_and_pip_cache():
    text = "FROM python:3.12.4-slim\nRUN curl -fsSL https://x.example/a | tar -xz\nRUN pip install flask==3.0.3\n"
    out, fixed = fix(text, "Dockerfile", unsafe=True, select=["pipefail", "cache-not-cleaned"])
    assert out == ('FROM python:3.12.4-slim\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
                   "RUN curl -fsSL https://x.example/a | tar -xz\nRUN pip install --no-cache-dir flask==3.0.3\n")


def test_shell_syntax_stays_shell_form():
    text = "FROM python:3.12.4-slim\nCMD python app.py > /tmp/log\n"
    assert fix(text, "Dockerfile", unsafe=True, select=["shell-form-cmd"])[0] == text


# --- CLI ----------------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path, monkeypatch):
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "pod.yaml").write_bytes(b"\xef\xbb\xbf" + POD.replace("\n", "\r\n").encode())
    (tmp_path / "Dockerfile").write_text("FROM debian:12.7\nADD a.txt /a\n")
    return tmp_path


def test_diff_prints_and_changes_nothing(repo, capsys):
    before = (repo / "pod.yaml").read_bytes()
    assert main(["check", "--diff", "--select", "deprecated-service-account-field,add-instead-of-copy", "."]) == 1
    out, err = capsys.readouterr()
    assert "-ADD a.txt /a\n+COPY a.txt /a\n" in out
    assert "+  serviceAccountName: web\r\n" in out
    assert "would fix 2 findings in 2 files (1 add-instead-of-copy, 1 deprecated-service-account-field)" in err
    assert (repo / "pod.yaml").read_bytes() == before
    assert main(["check", "--diff", "--select", "latest-tag", "."]) == 0


def test_fix_writes_keeping_bom_and_crlf_and_reports_the_rest(repo, capsys):
    code = main(["check", "--fix", "--select", "deprecated-service-account-field,add-instead-of-copy,latest-tag",
                 "--format", "json", "."])
    out, err = capsys.readouterr()
    assert code == 0
    assert (repo / "pod.yaml").read_bytes() == b"\xef\xbb\xbf" + POD.replace("\n", "\r\n").replace(
        "serviceAccount:", "serviceAccountName:").encode()
    assert (repo / "Dockerfile").read_text() == "FROM debian:12.7\nCOPY a.txt /a\n"
    report = json.loads(out)
    assert report["findings"] == [] and report["summary"]["fixed"] == {
        "add-instead-of-copy": 1, "deprecated-service-account-field": 1}
    assert "fixed 2 findings in 2 files" in err


def test_unfixable_in_config(repo, capsys):
    (repo / ".kubelint.yaml").write_text("unfixable: [add-instead-of-copy]\n")
    assert main(["check", "--fix-only", "--select", "deprecated-service-account-field,add-instead-of-copy", "."]) == 0
    assert (repo / "Dockerfile").read_text() == "FROM debian:12.7\nADD a.txt /a\n"
    assert "serviceAccountName" in (repo / "pod.yaml").read_text(encoding="utf-8-sig")
    assert capsys.readouterr().out == ""


def test_stdin_fix_prints_the_fixed_text(monkeypatch, capsys):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(POD.encode())))
    code = main(["check", "--fix", "--select", "deprecated-service-account-field", "--stdin-filename", "p.yaml", "-"])
    out, err = capsys.readouterr()
    assert code == 0 and out == POD.replace("serviceAccount:", "serviceAccountName:")
    assert "0 findings" in err


def test_json_and_sarif_carry_the_edits(repo, capsys):
    assert main(["check", "--select", "add-instead-of-copy", "--format", "json", "Dockerfile"]) == 1
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert finding["fix"] == {"applicability": "safe", "edits": [
        {"line": 2, "column": 1, "end_line": 2, "end_column": 4, "text": "COPY"}]}
    assert main(["check", "--select", "add-instead-of-copy", "--format", "sarif", "Dockerfile"]) == 1
    result = json.loads(capsys.readouterr().out)["runs"][0]["results"][0]
    assert result["fixes"][0]["artifactChanges"][0]["replacements"] == [{
        "deletedRegion": {"startLine": 2, "startColumn": 1, "endLine": 2, "endColumn": 4},
        "insertedContent": {"text": "COPY"}}]


# --- the registry and the rule files agree ----------------------------------------------------


def test_every_fixer_has_a_rule_that_describes_it():
    from kubelint.engine.loader import load_rules
    from kubelint.fix.catalog import registered_fixers

    rules = load_rules()
    fixers = registered_fixers()
    assert {r.id for r in rules.values() if r.fix} == set(fixers)
    for rule_id, spec in fixers.items():
        assert rules[rule_id].fix["applicability"] == spec.applicability


def test_loader_refuses_a_fix_without_a_fixer(tmp_path):
    from kubelint.engine.loader import RuleFileError, load_rule_file

    rule = tmp_path / "r.yaml"
    rule.write_text("id: my-rule\nseverity: info\ncategory: custom\nsummary: s\napplies-to: objects\ncondition: {path: kind, exists: true}\n"
                    "fix:\n  applicability: safe\n  description: d\n")
    with pytest.raises(RuleFileError, match=r"r.yaml:7:1: no fixer is registered for rule 'my-rule'"):
        load_rule_file(rule, builtin=False, validate=True)


def test_env_legacy_form():
    text = "FROM python:3.12.4-slim\nENV NAME World\nENV GREETING hello  world\nENV QUOTED 'a b'\nENV A=1\n"
    out, fixed = fix(text, "Dockerfile", select=["env-legacy-form"])
    assert out == 'FROM python:3.12.4-slim\nENV NAME=World\nENV GREETING="hello  world"\nENV QUOTED \'a b\'\nENV A=1\n'
    assert fixed == {"env-legacy-form": 2}


def test_examples_get_their_safe_fixes(capsys):
    from pathlib import Path

    examples = Path(__file__).resolve().parents[1] / "examples"
    assert main(["check", "--isolated", "--diff", "--extend-select", "env-legacy-form", str(examples)]) == 1
    out, err = capsys.readouterr()
    assert "-ADD . /app\n+COPY . /app\n" in out and "-ENV NAME World\n+ENV NAME=World\n" in out
    assert "would fix 2 findings in 1 file (1 add-instead-of-copy, 1 env-legacy-form)" in err


def test_pod_security_restricted_in_one_command():
    """The nginx Deployment of examples/ passes the restricted level after one --fix --unsafe-fixes."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "examples" / "k8s" / "deployment.yaml").read_text()
    out, fixed = fix(text, name="deployment.yaml", unsafe=True, select=["pod-security"], pod_security="restricted")
    assert fixed == {"pss-capabilities-restricted": 2, "pss-privilege-escalation": 2, "pss-run-as-non-root": 1,
                     "pss-seccomp-restricted": 1}
    after = lint([Text(out, "deployment.yaml")], Settings.load(isolated=True, select=["pod-security"],
                                                               pod_security="restricted"))
    assert after.findings == []
    # Only additions: every line of the original is still there, in order.
    added = iter(out.splitlines())
    assert all(any(line == new for new in added) for line in text.splitlines())
    data = YAML(typ="safe").load(out)["spec"]["template"]["spec"]
    assert data["securityContext"] == {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}
    assert [c["securityContext"] for c in data["containers"]] == [
        {"allowPrivilegeEscalation": False, "capabilities": {"drop": ["ALL"]}}] * 2


def test_pss_run_as_non_root_is_not_set_against_run_as_user_zero():
    text = d("""
        apiVersion: v1
        kind: Pod
        metadata: {name: p}
        spec:
          containers:
            - name: a
              image: "nginx:1.27.3"
              securityContext: {runAsUser: 0}
        """)
    out, fixed = fix(text, unsafe=True, select=["pss-run-as-non-root"], pod_security="restricted")
    # --pod-security brings every control of the level; the others are fixed, this one is not.
    assert "pss-run-as-non-root" not in fixed and "runAsNonRoot" not in out
    assert "      securityContext: {runAsUser: 0, capabilities: {drop: [ALL]}, allowPrivilegeEscalation: false}\n" in out


def test_every_fix_issue_16_asks_for_is_there_with_its_applicability():
    from kubelint.fix.catalog import registered_fixers

    fixers = {rule: spec.applicability for rule, spec in registered_fixers().items()}
    safe = ["deprecated-service-account-field", "removed-api", "deprecated-api", "deprecated-annotations",
            "deprecated-node-labels", "maintainer-deprecated", "apt-get-no-y", "yum-no-y", "apk-no-cache",
            "add-instead-of-copy", "env-legacy-form"]
    unsafe = ["duplicate-key", "privilege-escalation", "writable-root-fs", "run-as-root", "drop-net-raw",
              "seccomp-profile", "automount-service-account-token", "image-pull-policy", "job-ttl",
              "cronjob-concurrency", "cronjob-deadline", "pss-privilege-escalation", "pss-capabilities-restricted",
              "pss-seccomp-restricted", "pss-run-as-non-root", "exec-form-invalid-json", "shell-form-cmd",
              "cache-not-cleaned", "apt-get-recommends", "pipefail", "image-healthcheck-ignored"]
    assert {r: fixers.get(r) for r in safe} == dict.fromkeys(safe, "safe")
    assert {r: fixers.get(r) for r in unsafe} == dict.fromkeys(unsafe, "unsafe")
    assert "relative-workdir" not in fixers  # deliberately not fixed (README, Fixing)
