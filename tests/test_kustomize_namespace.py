"""A Kustomization's `namespace:` places the objects of the files it lists (directly, or through
the bases it lists) in that namespace before any rule runs, as `kustomize build` writes it; a
file it lists as a resource is a finished object even inside `overlays/`."""

from pathlib import Path

from kubelint.api import lint_paths
from kubelint.scan import Options

DB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: db, namespace: other}
spec:
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers: [{name: db, image: "postgres:16"}]
"""
WEB = DB.replace("db", "web").replace(", namespace: other", "").replace("postgres:16", "nginx:1.27")
POLICY = """\
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: only-web, namespace: other}
spec:
  podSelector: {matchLabels: {app: web}}
"""


def tree(root: Path, overlay_namespace: str | None, second_overlay: str | None = None) -> Path:
    files = {
        "other.yaml": DB,
        "base/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
                                   "resources: [web.yaml]\n",
        "base/web.yaml": WEB,
        "overlays/prod/netpol.yaml": POLICY,
        "overlays/prod/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        + (f"namespace: {overlay_namespace}\n" if overlay_namespace else "")
        + "resources: [../../base, netpol.yaml]\n",
    }
    if second_overlay:
        files["overlays/dev/kustomization.yaml"] = ("apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                                    f"kind: Kustomization\nnamespace: {second_overlay}\n"
                                                    "resources: [../../base]\n")
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def policy_findings(root: Path) -> list[tuple]:
    return [(Path(f.file).name, f.line, f.message) for f in
            lint_paths([str(root)], Options(complete=True), select=["networkpolicy-no-pods"])]


def test_the_overlay_namespace_places_the_policy_with_the_pods_it_selects(tmp_path):
    # kustomize writes namespace shop over the policy's own (other) and on the base's web pods
    assert policy_findings(tree(tmp_path, "shop")) == []


def test_without_a_namespace_the_objects_keep_their_own(tmp_path):
    # the policy (a listed resource, so judged although it sits in overlays/) stays in 'other'
    assert policy_findings(tree(tmp_path, None)) == [
        ("netpol.yaml", 5, "NetworkPolicy 'only-web' selects app=web but no pod template in namespace 'other' "
         f"matches (searched 1 pod template); closest: Deployment 'db' (app=db) at {tmp_path / 'other.yaml'}:7")]


def test_a_base_two_overlays_place_differently_keeps_its_own_namespace(tmp_path):
    # web.yaml would be in shop for one build and in dev for the other: it stays in default
    found = policy_findings(tree(tmp_path, "shop", second_overlay="dev"))
    assert [(name, line) for name, line, _ in found] == [("netpol.yaml", 5)]
    assert "no pod template in namespace 'shop'" in found[0][2]


def test_fixes_reach_objects_a_kustomization_placed(tmp_path, monkeypatch, capsys):
    # The fix pass parses the file again: its objects must carry the same namespace (and so the
    # same refs) as the findings, or the fix is silently dropped.
    from kubelint.cli import main

    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: shop\nresources: [job.yaml]\n")
    (tmp_path / "job.yaml").write_text(
        "apiVersion: batch/v1\nkind: Job\nmetadata:\n  name: once\nspec:\n  template:\n    spec:\n"
        "      restartPolicy: Never\n      containers:\n        - name: once\n          image: busybox:1.36\n")
    assert main(["check", "--diff", "--unsafe-fixes", "--select", "job-ttl", "."]) == 1
    out, err = capsys.readouterr()
    assert "+  ttlSecondsAfterFinished: 86400\n" in out
    assert "would fix 1 finding in 1 file (1 job-ttl)" in err
