"""Names, labels and the hints attached to schema findings."""

import pytest

from kubelint.validate.hints import did_you_mean, quantity_hint
from kubelint.validate.names import label_key_problem, label_value_problem, name_problem


@pytest.mark.parametrize("value, hint", [
    ("1Gb", "did you mean 1G or 1Gi? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)"),
    ("512mb", "did you mean 512M or 512Mi? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)"),
    ("100K", "did you mean 100k or 100Ki? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)"),
    ("2gi", "did you mean 2Gi? (Ki/Mi/Gi are powers of 1024, k/M/G of 1000)"),
    ("0.5 cores", "CPU is counted in cores without a unit: write 0.5 (or 500m)"),
    ("2 CPUs", "CPU is counted in cores without a unit: write 2 (or 2000m)"),
    ("1 Gi", "no spaces inside a quantity: 1Gi"),
    ("1Xi", "suffixes are n, u, m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei (case-sensitive)"),
    ("lots", "a quantity is a number with an optional suffix: 500m, 2, 128Mi, 1Gi"),
])
def test_quantity_hints(value, hint):
    assert quantity_hint(value) == hint


def test_did_you_mean():
    assert did_you_mean("clusterIp", ["clusterIP", "clusterIPs", "type"]) == "clusterIP"
    assert did_you_mean("imagePullpolicy", ["image", "imagePullPolicy"]) == "imagePullPolicy"
    assert did_you_mean("node_selector", ["nodeSelector", "nodeName"]) == "nodeSelector"
    assert did_you_mean("contianers", ["containers", "initContainers"]) == "containers"
    assert did_you_mean("zzz", ["containers"]) is None


def test_names_by_kind():
    assert name_problem("Deployment", "web-1.example") is None
    assert name_problem("Deployment", "Web") == "name-subdomain"
    assert name_problem("Deployment", "web-") == "name-subdomain"
    assert name_problem("Namespace", "a.b") == "name-label"  # a label, no dots
    assert name_problem("Service", "1web") == "name-dns1035"  # DNS-1035: starts with a letter
    assert name_problem("Service", "web1") is None
    assert name_problem("ClusterRole", "system:controller:x") is None  # path segment rules
    assert name_problem("RoleBinding", "a/b") == "name-path"
    assert name_problem("ConfigMap", "x" * 254) == "name-subdomain"


def test_label_keys_and_values():
    assert label_key_problem("app.kubernetes.io/name") is None
    assert label_key_problem("app") is None
    assert label_key_problem("Example.com/tier") == "label-key-prefix"
    assert label_key_problem("example.com/") == "label-key-name"
    assert label_key_problem("/name") == "label-key-prefix"
    assert label_key_problem("a" * 64) == "label-key-name"
    assert label_value_problem("") is None
    assert label_value_problem("v1.2_3-a") is None
    assert label_value_problem("-a") == "label-value"
    assert label_value_problem("a" * 64) == "label-value-long"
