"""Every file a Kustomization lists as a patch (`patches`, `patchesStrategicMerge`,
`patchesJson6902`) is treated alike by every rule: what it leaves out proves nothing (no
absent-field finding: schema required fields, CRD schemas, seccomp, probes, resources, replicas,
...), what it sets is judged (privileged: true). The same documents listed as resources get the
absent-field findings, so the first test can fail."""

import shutil
from collections import Counter
from pathlib import Path

from kubelint.api import lint_paths

TREE = Path("tests/fixtures/kustomize-patches")
PATCHES = ("set-web.yaml", "widget-size.yaml", "sidecar.yaml", "many.yaml", "app-command.yaml", "crd-conversion.yaml")


def test_patches_get_only_present_field_findings():
    found = [(Path(f.file).name, f.line, f.column, f.rule) for f in lint_paths([str(TREE)], select=["all"])
             if "/overlay/" in f.file]
    assert found == [
        # an image a patch sets is judged as written: no digest (opt-in image-digest)
        ("app-command.yaml", 10, 18, "image-digest"),
        # the command it sets replaces the ENTRYPOINT of app/Dockerfile (linked by the image's name)
        ("app-command.yaml", 11, 11, "image-entrypoint-replaced"),
        ("many.yaml", 35, 18, "image-digest"), ("many.yaml", 63, 14, "image-digest"),
        ("set-web.yaml", 11, 18, "image-digest"),
        ("set-web.yaml", 13, 25, "privileged-container"), ("set-web.yaml", 13, 25, "pss-privileged"),
        ("sidecar.yaml", 12, 22, "image-digest")]


def test_the_same_documents_as_resources_get_absent_field_findings(tmp_path):
    for name in PATCHES:
        shutil.copyfile(TREE / "overlay" / name, tmp_path / name)
    shutil.copyfile(TREE / "base/crd.yaml", tmp_path / "crd.yaml")
    shutil.copytree(TREE / "app", tmp_path / "app")
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        f"resources: [crd.yaml, {', '.join(PATCHES)}]\n")
    rules = Counter((Path(f.file).name, f.rule) for f in lint_paths([str(tmp_path)], select=["all"]))
    for expected in [("set-web.yaml", "seccomp-profile"), ("set-web.yaml", "missing-requests"),
                     ("set-web.yaml", "missing-readiness-probe"), ("set-web.yaml", "automount-service-account-token"),
                     ("set-web.yaml", "pss-run-as-non-root"), ("set-web.yaml", "schema-invalid"),
                     ("set-web.yaml", "undefined-volume"),  # the volume is in the base
                     ("widget-size.yaml", "schema-invalid"),  # the CRD requires spec.color
                     ("crd-conversion.yaml", "schema-invalid"),  # a CRD needs group, names, scope, versions
                     ("many.yaml", "single-replica"), ("many.yaml", "ingress-tls"), ("many.yaml", "job-ttl"),
                     ("many.yaml", "statefulset-service"), ("sidecar.yaml", "cronjob-deadline"),
                     # left out of the patch: probes, the VOLUME's mount, runAsUser
                     ("app-command.yaml", "image-healthcheck-ignored"), ("app-command.yaml", "image-volume-unmounted"),
                     ("app-command.yaml", "image-runs-as-root")]:
        assert rules[expected] >= 1, expected
    assert rules[("set-web.yaml", "privileged-container")] == 1
    assert rules[("app-command.yaml", "image-entrypoint-replaced")] == 1
