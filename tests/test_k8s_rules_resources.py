"""Resource rules: missing requests and limits (params choose the resources; a limit stands in
for a missing request), requests above limits, extended resources and huge pages, ephemeral
storage — for app, init and sidecar containers, never for ephemeral containers."""

import re
from pathlib import Path

from all_rules import lint_text

from kubelint.engine.loader import load_rules

FIXTURES = Path(__file__).parent / "fixtures" / "k8s" / "resources"
RESOURCE_RULES = {"missing-requests", "missing-limits", "requests-exceed-limits",
                  "extended-resource-limits", "missing-ephemeral-storage"}


def findings(text: str, rules=RESOURCE_RULES, rules_dirs=()) -> list[tuple]:
    rules = {rules} if isinstance(rules, str) else set(rules)
    return [(f.rule, f.line, f.column, f.message)
            for f in lint_text(text, "yaml", rules_dirs=rules_dirs) if f.rule in rules]


def fixture(name: str, rules=RESOURCE_RULES) -> list[tuple]:
    return findings((FIXTURES / name).read_text(), rules)


def test_requests_and_limits_for_app_init_and_sidecar_containers():
    assert fixture("requests-limits.yaml") == [
        # an init container with no resources at all: pointed at the container
        ("missing-ephemeral-storage", 13, 11, "container 'migrate' sets no ephemeral-storage request or limit"),
        ("missing-limits", 13, 11, "container 'migrate' sets no limit for memory"),
        ("missing-requests", 13, 11, "container 'migrate' sets no request (or limit) for cpu, memory"),
        # 1500m > 1 CPU (the first resource above its limit is the one reported)
        ("requests-exceed-limits", 24, 29, "container 'shop' requests 1500m at "
         "spec.template.spec.containers[0].resources.requests.cpu, more than its limit"),
        ("missing-ephemeral-storage", 28, 11, "container 'worker' sets no ephemeral-storage request or limit"),
        ("missing-ephemeral-storage", 33, 11, "container 'bad-values' sets no ephemeral-storage request or limit"),
        # a null limit is no limit; `cpu: lots` is not compared (invalid-quantity's business)
        ("missing-limits", 35, 13, "container 'bad-values' sets no limit for memory"),
    ]
    # Not reported: the 'proxy' sidecar (limits only: requests default to them), 'worker' (its
    # cpu limit stands in for the request), the ephemeral 'debugger' (cannot set resources).


def test_requests_exceed_limits_compares_quantities_across_units():
    def container(requests, limits):
        return ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
                "    - name: c\n      image: example.com/c:1.0.0\n      resources:\n"
                f"        requests: {requests}\n        limits: {limits}\n")
    assert findings(container("{memory: 2Gi}", "{memory: 1500Mi}"), "requests-exceed-limits") == [
        ("requests-exceed-limits", 9, 28, "container 'c' requests 2Gi at "
         "spec.containers[0].resources.requests.memory, more than its limit")]
    assert findings(container("{cpu: '1', memory: 1Gi}", "{cpu: 1000m, memory: 1024Mi}"),
                    "requests-exceed-limits") == []
    assert findings(container("{ephemeral-storage: 2G}", "{ephemeral-storage: 1Gi}"),
                    "requests-exceed-limits") == [
        ("requests-exceed-limits", 9, 39, "container 'c' requests 2G at "
         "spec.containers[0].resources.requests.ephemeral-storage, more than its limit")]
    # no limit: nothing to exceed
    assert findings(container("{cpu: '8'}", "{}"), "requests-exceed-limits") == []


def test_extended_resources_and_huge_pages():
    assert fixture("extended.yaml", "extended-resource-limits") == [
        ("extended-resource-limits", 13, 68,
         "container 'fetch' requests 1 example.com/fpga but sets no limit for it; example.com/fpga "
         "cannot be overcommitted, so the limit is required (requests default to it)"),
        ("extended-resource-limits", 22, 31,
         "container 'train' requests 1 nvidia.com/gpu but limits it to 2; for nvidia.com/gpu the "
         "request must equal the limit"),
    ]
    # Not reported: hugepages-2Mi 1Gi = 1024Mi and amd.com/gpu "1" = 1 (compared by value), the
    # native kubernetes.io/ name, a GPU limit without a request, and the malformed 'odd'.


def test_params_choose_the_resources(tmp_path):
    # A user rule built on the same condition with other params: CPU limits required too.
    rule = (Path(__file__).parents[1] / "rules" / "kubernetes" / "missing-limits.yaml").read_text()
    rule = rule.replace("id: missing-limits", "id: strict-limits").replace(
        "default: [memory]", "default: [cpu, memory]")
    # Its `messages:` variant is for the LimitRange adjuster, which restates missing-limits only:
    # the loader refuses it in a rule no adjuster serves.
    rule = re.sub(r"\nmessages:\n(  .*\n)+", "\n", rule)
    (tmp_path / "strict-limits.yaml").write_text(rule)
    text = ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n"
            "    - name: c\n      image: example.com/c:1.0.0\n      resources:\n"
            "        limits: {memory: 1Gi}\n")
    assert findings(text, {"missing-limits", "strict-limits"}, rules_dirs=[str(tmp_path)]) == [
        ("strict-limits", 9, 9, "container 'c' sets no limit for cpu")]


def test_defaults_documented_in_the_rules():
    rules = load_rules()
    assert rules["missing-requests"].params == {"resources": ["cpu", "memory"]}
    assert rules["missing-limits"].params == {"resources": ["memory"]}
    for rule_id in RESOURCE_RULES:
        assert rules[rule_id].container_groups in (None, ["containers", "initContainers"]), rule_id
