"""A pod's containers together (volumes they share, ports in one network namespace), on the
apps/batch fixture: broken wiring gives exactly these findings, the fixed wiring none."""

from all_rules import lint_paths, lint_text

from kubelint.engine.loader import load_rules

CROSS = {r.id for r in load_rules().values() if r.category == "cross-object"}
APP = "tests/fixtures/cross/volumes"


def cross_findings(path):
    return [f for f in lint_paths([path]) if f.rule in CROSS]


def test_broken_places_and_messages():
    found = cross_findings(f"{APP}/broken")
    logging, job, tomcat = (f"{APP}/broken/{n}" for n in ("logging.yaml", "report-job.yaml", "tomcat.yaml"))
    assert [(f.file, f.line, f.column, f.rule, f.message) for f in found] == [
        (logging, 13, 17, "volume-handoff",
         f"container 'log-shipper' reads emptyDir 'logs' ({logging}:28) read-only, but no other container "
         "mounts it to write there: it is always empty"),
        (logging, 26, 26, "port-conflict",
         f"containers 'orders' and 'metrics' both declare port 8080/TCP; a pod's containers share one "
         f"network namespace (first at {logging}:21)"),
        (logging, 30, 13, "unused-volume", "volume 'cache' is declared but no container mounts it"),
        (job, 17, 26, "duplicate-mount-path",
         f"container 'report' mounts volume 'templates' at /etc/report/, where it already mounts volume "
         f"'settings' ({job}:15)"),
        (job, 20, 24, "subpath-traversal",
         "container 'report' mounts volume 'output' with subPath '../reports', which climbs out of the "
         "volume with ..; the API server rejects it"),
        (tomcat, 21, 21, "volume-handoff",
         f"init container 'fetch-war' writes into emptyDir 'webapps' ({tomcat}:31) at /webapps, but no "
         "other container mounts it: what it leaves there is never seen (mount 'webapps' in the "
         "container that should read it)"),
        (tomcat, 27, 21, "undefined-volume",
         f"container 'tomcat' mounts volume 'tomcat-conf', which the pod does not declare (volumes: "
         f"tomcat-config, webapps at {tomcat}:31); did you mean 'tomcat-config'?"),
        (tomcat, 33, 17, "unused-volume", "volume 'tomcat-config' is declared but no container mounts it"),
    ]
    conflict = found[1]
    assert conflict.severity == "error"
    assert [(r.file, r.line, r.message) for r in conflict.related] == [(logging, 21, "container 'orders' port 8080")]
    duplicate = found[3]
    assert [(r.line, r.message) for r in duplicate.related] == [(15, "volume 'settings' mounted at /etc/report")]


def test_fixed_is_clean():
    assert cross_findings(f"{APP}/fixed") == []


def test_claim_templates_are_volumes_and_init_containers_do_not_collide():
    text = """\
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      initContainers:
        - name: migrate
          image: example/migrate:1.0
          ports: [{containerPort: 5432}]
        - name: scratch
          image: example/tool:1.0
          volumeMounts: [{name: tmp, mountPath: /tmp}]
      containers:
        - name: db
          image: postgres:16
          ports: [{containerPort: 5432}]
          volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
      volumes:
        - name: tmp
          emptyDir: {}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}
"""
    assert [f.rule for f in lint_text(text) if f.rule in CROSS] == []


def test_bad_input_never_raises():
    text = """\
apiVersion: v1
kind: Pod
metadata: {name: p}
spec:
  volumes: [null, {name: null}, {name: a, emptyDir: null}, 7]
  containers:
    - {name: c, volumeMounts: [null, {name: 3}, {name: a, mountPath: 5, subPath: 9}], ports: {a: b}}
    - {name: d, volumeMounts: "x", ports: [{containerPort: 80, protocol: null}]}
"""
    lint_text(text)


def test_kustomize_patches_prove_nothing_by_what_they_leave_out():
    # web-patch.yaml mounts 'cache' without declaring it (the base or another patch does) and has
    # no selector: neither is reported; what the patch does set is still checked.
    patch = "tests/fixtures/cross/kustomize/web-patch.yaml"
    found = [f for f in lint_paths(["tests/fixtures/cross/kustomize"]) if f.rule in CROSS]
    assert [(f.file, f.line, f.column, f.rule) for f in found] == [
        (patch, 12, 15, "secret-as-env"),
        (patch, 17, 24, "subpath-traversal"),
    ]
