"""pdb-hpa-min-replicas: a PodDisruptionBudget whose minAvailable reaches the pods its workloads
keep at their HorizontalPodAutoscaler's minReplicas blocks every eviction at that scale."""

from pathlib import Path

from kubelint.api import lint_text

FAIL = Path(__file__).parent / "fixtures/parity/polaris/pdbMinAvailableGreaterThanHPAMinReplicas/fail.yaml"
RULES = ["pdb-hpa-min-replicas", "pdb-blocks-eviction"]


def found(text: str, params=None) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message, [r.line for r in f.related])
            for f in lint_text(text, select=RULES, params=params)]


def test_above_the_minimum():
    assert found(FAIL.read_text()) == [
        ("pdb-hpa-min-replicas", 7, 17, "PodDisruptionBudget 'api' minAvailable 3 is not below the 2 pod(s) "
         "Deployment 'api' keep at the minReplicas of HorizontalPodAutoscaler 'api' (manifest.yaml:17): "
         "no eviction is possible at that scale", [17])]


def test_equal_is_reported_unless_equal_is_false():
    text = FAIL.read_text().replace("minAvailable: 3", "minAvailable: 2")
    assert [f[:3] for f in found(text)] == [("pdb-hpa-min-replicas", 7, 17)]
    assert found(text, params={"pdb-hpa-min-replicas": {"equal": False}}) == []


def test_percentages_round_up_over_the_pods_at_the_minimum():
    # 60% of 2 pods rounds up to 2: nothing may go; 50% of 2 is 1: one may.
    text = FAIL.read_text().replace("minAvailable: 3", 'minAvailable: "60%"')
    assert found(text) == [
        ("pdb-hpa-min-replicas", 7, 17, "PodDisruptionBudget 'api' minAvailable 60% needs 2 of the 2 pod(s) "
         "Deployment 'api' keep at the minReplicas of HorizontalPodAutoscaler 'api' (manifest.yaml:17): "
         "no eviction is possible at that scale", [17])]
    assert found(FAIL.read_text().replace("minAvailable: 3", 'minAvailable: "50%"')) == []


def test_unset_min_replicas_is_one_and_without_an_autoscaler_the_fixed_rule_judges():
    text = FAIL.read_text().replace("minAvailable: 3", "minAvailable: 1").replace("  minReplicas: 2\n", "")
    assert [f[:3] for f in found(text)] == [("pdb-hpa-min-replicas", 7, 17)]
    no_hpa = FAIL.read_text().replace("kind: HorizontalPodAutoscaler", "kind: Unrelated")
    assert [f[:3] for f in found(no_hpa)] == [("pdb-blocks-eviction", 7, 17)]
