"""missing-pdb and missing-network-policy: a workload no PodDisruptionBudget / NetworkPolicy of
its namespace selects (rule id, line, text; the conditions that keep each quiet)."""

from kubelint.api import lint_text

WEB = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  replicas: REPLICAS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, tier: front}}
    spec:
      containers: [{name: web, image: "nginx:1.27"}]
"""
PDB = """\
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web, namespace: NS}
spec:
  maxUnavailable: 1
  selector: {matchLabels: {tier: front}}
"""
POLICY = """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: p, namespace: shop}
spec:
  podSelector: {matchLabels: {app: SELECTED}}
"""


def found(text: str, rule: str) -> list[tuple]:
    return [(f.rule, f.line, f.message) for f in lint_text(text, select=[rule])]


def test_missing_pdb_only_for_replicated_workloads_without_a_budget():
    assert found(WEB.replace("REPLICAS", "3"), "missing-pdb") == [
        ("missing-pdb", 5, "Deployment 'web' runs 3 replicas but no PodDisruptionBudget in its namespace selects its pods")]
    assert found(WEB.replace("REPLICAS", "1"), "missing-pdb") == []
    assert found(WEB.replace("REPLICAS", "3") + PDB.replace("NS", "shop"), "missing-pdb") == []
    # a budget of another namespace does not cover it
    assert len(found(WEB.replace("REPLICAS", "3") + PDB.replace("NS", "other"), "missing-pdb")) == 1


def test_missing_network_policy_only_where_the_namespace_has_policies():
    web = WEB.replace("REPLICAS", "2")
    assert found(web, "missing-network-policy") == []  # no policies in the scan: not judged
    assert found(web + POLICY.replace("SELECTED", "db"), "missing-network-policy") == [
        ("missing-network-policy", 8, "Deployment 'web': no NetworkPolicy in its namespace selects its pods, "
         "so their traffic is not restricted")]
    assert found(web + POLICY.replace("SELECTED", "web"), "missing-network-policy") == []
    empty = POLICY.replace("{matchLabels: {app: SELECTED}}", "{}")
    assert found(web + empty, "missing-network-policy") == []  # an empty podSelector selects every pod
