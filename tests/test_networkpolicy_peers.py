"""networkpolicy-peer-no-pods (kube-linter dangling-networkpolicypeer-podselector): an ingress or
egress peer's podSelector without namespaceSelector must select a pod of the policy's namespace;
judged when the scan holds that namespace's pods (or --complete), as networkpolicy-no-pods."""

from pathlib import Path

from kubelint.api import lint_paths, lint_text
from kubelint.scan import Options

FAIL = Path(__file__).parent / "fixtures/parity/kube-linter/dangling-networkpolicypeer-podselector/fail.yaml"
RULE = ["networkpolicy-peer-no-pods"]


def test_peers_that_select_no_pod():
    found = [(f.line, f.column, f.message, [r.line for r in f.related]) for f in lint_text(FAIL.read_text(), select=RULE)]
    assert found == [
        (15, 11, "NetworkPolicy 'api' peer spec.ingress[0].from[1].podSelector selects app=frontend but no pod "
         "template in namespace 'shop' matches (searched 2 pod templates); closest: Deployment 'web' (app=web) at "
         "manifest.yaml:33; Deployment 'api' (app=api) at manifest.yaml:49", [33, 49]),
        (19, 11, "NetworkPolicy 'api' peer spec.egress[0].to[0].podSelector selects app in (database) but no pod "
         "template in namespace 'shop' matches (searched 2 pod templates)", []),
    ]


def test_a_namespace_without_pods_in_the_scan_is_not_judged():
    policy = FAIL.read_text().split("\n---\n")[0] + "\n"
    assert lint_text(policy, select=RULE) == []
    assert [f.line for f in lint_text(policy, select=RULE, options=Options(complete=True))] == [13, 15, 19]


def test_kustomize_common_labels_reach_peer_selectors(tmp_path):
    # The policy's peers and the pods both get team=shop: the peer app=web still selects web.
    (tmp_path / "kustomization.yaml").write_text(
        "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
        "commonLabels: {team: shop}\nresources: [app.yaml]\n")
    (tmp_path / "app.yaml").write_text(FAIL.read_text())
    found = [(f.line, f.message.split(" but ")[0]) for f in lint_paths([str(tmp_path)], select=RULE)]
    assert found == [(15, "NetworkPolicy 'api' peer spec.ingress[0].from[1].podSelector selects app=frontend, team=shop"),
                     (19, "NetworkPolicy 'api' peer spec.egress[0].to[0].podSelector selects app in (database)")]
