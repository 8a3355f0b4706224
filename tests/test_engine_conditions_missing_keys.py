"""Condition language extension `missing-keys`: a mapping lacks one of a list of keys (the
resource names of missing-requests / missing-limits, chosen by a param)."""

import pytest

from kubelint.engine.conditions import ConditionError, compile_condition


def check(cond, root, params=None):
    return compile_condition(cond, params or {})(root, {})


CONTAINER = {"name": "app", "resources": {"requests": {"memory": "64Mi", "cpu": None},
                                          "limits": {"cpu": "1", "memory": "1Gi"}}}


def test_lists_the_missing_keys_and_points_at_the_mapping_key():
    v = check({"path": "resources.requests", "missing-keys": ["cpu", "memory", "ephemeral-storage"]},
              CONTAINER)
    # cpu is null: it counts as missing, like an absent key.
    assert v.broken and v.key and not v.missing
    assert v.path == ("resources", "requests") and v.value == ("cpu", "ephemeral-storage")


def test_false_when_every_key_is_there():
    v = check({"path": "resources.limits", "missing-keys": ["cpu", "memory"]}, CONTAINER)
    assert not v.broken and v.path == ("resources", "limits")


def test_missing_mapping_lacks_every_key_and_points_at_the_nearest_parent():
    v = check({"path": "resources.requests", "missing-keys": ["cpu"]}, {"name": "app"})
    assert v.broken and v.missing and v.path == () and v.value == ("cpu",)
    v = check({"path": "resources.requests", "missing-keys": ["cpu"]}, {"resources": {}})
    assert v.broken and v.missing and v.path == ("resources",)


def test_non_mapping_values_lack_every_key():
    v = check({"path": "resources.requests", "missing-keys": ["cpu"]},
              {"resources": {"requests": "100m"}})
    assert v.broken and v.path == ("resources", "requests") and v.value == ("cpu",)
    assert check({"path": "resources.requests", "missing-keys": ["cpu"]}, ["not", "a", "dict"]).broken


def test_keys_from_a_param_and_an_empty_list_is_never_broken():
    cond = {"path": "resources.limits", "missing-keys": {"param": "resources"}}
    assert check(cond, CONTAINER, {"resources": ["cpu", "nvidia.com/gpu"]}).value == ("nvidia.com/gpu",)
    assert not check(cond, CONTAINER, {"resources": []}).broken
    assert not check(cond, {}, {"resources": []}).broken


def test_wildcards_take_the_union_of_the_mappings_and_point_before_the_wildcard():
    # cpu set only as a limit still counts: the request defaults to it.
    both = {"resources": {"requests": {"memory": "1Gi"}, "limits": {"cpu": "1"}, "claims": [{"name": "x"}]}}
    assert not check({"path": "resources[*]", "missing-keys": ["cpu", "memory"]}, both).broken
    v = check({"path": "resources[*]", "missing-keys": ["cpu", "memory", "ephemeral-storage"]}, both)
    assert v.broken and v.key and v.path == ("resources",) and v.value == ("ephemeral-storage",)
    v = check({"path": "resources[*]", "missing-keys": ["cpu"]}, {"resources": {}})
    assert v.broken and v.path == ("resources",) and not v.missing
    v = check({"path": "resources[*]", "missing-keys": ["cpu"]}, {"name": "app"})
    assert v.broken and v.missing and v.path == ()


def test_not_keeps_pointing_at_the_key():
    v = check({"not": {"path": "resources.limits", "missing-keys": ["cpu"]}}, CONTAINER)
    assert v.broken and v.key


@pytest.mark.parametrize("arg", ["cpu", [1, 2], {"cpu": True}])
def test_bad_arguments_are_rule_errors(arg):
    with pytest.raises(ConditionError):
        compile_condition({"path": "resources.limits", "missing-keys": arg}, {})
