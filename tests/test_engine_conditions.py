"""The condition language: paths, operators, params, and where a verdict points."""

import pytest

from kubelint.engine.conditions import ConditionError, compile_condition, values_equal
from kubelint.engine.paths import PathError, _walk, deepest_existing, getter, parse_path, resolve

CONTAINER = {
    "name": "app",
    "image": "nginx:1.25",
    "ports": [{"containerPort": 80}, {"containerPort": 8080, "name": "http"}],
    "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"cpu": "1", "memory": "256Mi"}},
    "securityContext": {"capabilities": {"add": ["NET_ADMIN", "CHOWN"]}},
}


def check(cond, root=CONTAINER, params=None, scope=None):
    return compile_condition(cond, params or {})(root, scope or {})


@pytest.mark.parametrize("path", [("image",), ("resources", "limits"), ("ports", 1), ("resources", "x"),
                                  ("image", "x"), ("resources", "limits", "cpu")])
def test_getters_find_what_the_general_walk_finds(path):
    # Paths of one or two keys have getters of their own (paths._short_getter).
    roots = [CONTAINER, None, [], "text", {"image": None}, {"resources": []}, {"resources": {"limits": None}}]
    get = getter(path)
    assert [get(root, {}) for root in roots] == [_walk(root, path) for root in roots]
    assert get(CONTAINER, {}) == {("image",): "nginx:1.25", ("ports", 1): CONTAINER["ports"][1],
                                  ("resources", "limits"): CONTAINER["resources"]["limits"],
                                  ("resources", "limits", "cpu"): "1"}.get(path)


@pytest.mark.parametrize("a,b,same", [
    ("Pod", "Pod", True), ("Pod", "Job", False), ("80", 80, True), (80, 80, True), (True, "true", True),
    ("True", True, False), (False, "false", True), (1, True, False), (1.5, "1.5", True), (None, "None", False),
])
def test_values_compare_as_yaml_text(a, b, same):
    assert (values_equal(a, b), values_equal(b, a)) == (same, same)


@pytest.mark.parametrize("path", ["resources.limits.cpu", "resources.limits.gpu", "resources.x.y", "ports[1].name",
                                  "ports[-1].name", "ports[5].name", "image.x", "name"])
def test_the_deepest_existing_path_is_the_longest_prefix_that_resolves(path):
    parts = parse_path(path)
    for root in (CONTAINER, {"resources": None}, None):
        longest = next((found for i in range(len(parts), 0, -1) for found, _ in resolve(root, parts[:i], ("c",))), ("c",))
        assert deepest_existing(root, parts, ("c",)) == longest


def test_paths():
    assert parse_path("spec.containers[*].image") == ("spec", "containers", "*", "image")
    assert parse_path('metadata.annotations["app.kubernetes.io/name"]') == (
        "metadata", "annotations", "app.kubernetes.io/name")
    assert parse_path("items[0]") == ("items", 0)
    assert parse_path("$pod.securityContext") == ("$pod", "securityContext")
    with pytest.raises(PathError):
        parse_path("spec..x")


def test_exists_and_absent_point_at_the_nearest_parent_when_missing():
    v = check({"path": "resources.limits.ephemeral-storage", "absent": True})
    assert v.broken and v.missing and v.path == ("resources", "limits")
    v = check({"path": "image", "exists": True})
    assert v.broken and v.path == ("image",) and v.value == "nginx:1.25"


def test_wildcards_match_any_value_and_point_at_it():
    v = check({"path": "securityContext.capabilities.add[*]", "in": ["SYS_ADMIN", "NET_ADMIN"]})
    assert v.broken and v.path == ("securityContext", "capabilities", "add", 0)
    assert not check({"path": "ports[*].containerPort", "equals": 22}).broken


def test_regex_and_not_regex():
    assert check({"path": "image", "regex": r":\d+\.\d+$"}).broken
    assert not check({"path": "image", "not-regex": r":\d+\.\d+$"}).broken
    assert not check({"path": "missing", "regex": "."}).broken  # nothing there: nothing matches


def test_quantities_compare_by_value():
    assert check({"path": "resources.requests.memory", "gt": {"path": "resources.limits.memory"}}).broken
    assert not check({"path": "resources.requests.cpu", "gt": {"path": "resources.limits.cpu"}}).broken
    assert check({"path": "resources.requests.cpu", "lt": "1"}).broken
    assert check({"path": "resources.limits.memory", "lt": "1Gi"}).broken


def test_count_points_at_the_list():
    v = check({"path": "ports[*]", "count": {"gt": 1}})
    assert v.broken and v.path == ("ports",) and v.value == 2


def test_params_and_boolean_logic():
    cond = {"all": [{"path": "image", "exists": True},
                    {"not": {"path": "image", "regex": {"param": "allowed"}}}]}
    assert check(cond, params={"allowed": "^registry.internal/"}).broken
    assert not check(cond, params={"allowed": "^nginx"}).broken
    assert check({"any": [{"path": "nope", "exists": True}, {"path": "name", "equals": "app"}]}).path == ("name",)


def test_scope_roots_reach_the_pod_spec():
    pod = {"securityContext": {"runAsNonRoot": True}}
    v = check({"path": "$pod.securityContext.runAsNonRoot", "equals": True}, scope={"$pod": pod})
    assert v.broken and v.path == ("$pod", "securityContext", "runAsNonRoot")


def test_values_compare_across_yaml_types():
    assert check({"path": "ports[0].containerPort", "equals": "80"}).broken
    assert check({"path": "ports[0].containerPort", "in": [80, 443]}).broken


@pytest.mark.parametrize("cond,message", [
    ({"path": "x"}, "exactly one of"),
    ({"path": "x", "exists": True, "absent": True}, "exactly one of"),
    ({"path": "x", "regex": "("}, "bad regex"),
    ({"all": []}, "non-empty list"),
    ({"path": "x", "in": {"param": "nope"}}, "unknown param 'nope'"),
    ({"path": "x", "count": {"above": 1}}, "'count' takes"),
])
def test_mistakes_are_reported(cond, message):
    with pytest.raises(ConditionError, match=message):
        compile_condition(cond, {})


def test_without_detail_a_verdict_under_not_still_says_where_it_looked():
    # The engine compiles with detail=False: verdicts that are not broken are one shared
    # object, except under a `not`, which turns them into findings that must point somewhere.
    fast = {"path": "ports[*].name", "equals": "metrics"}
    passed = [compile_condition(fast, {}, detail=False)(CONTAINER, {}) for _ in range(2)]
    assert not passed[0].broken and passed[0] is passed[1]
    negated = compile_condition({"all": [{"path": "name", "equals": "app"}, {"not": fast}]}, {}, detail=False)
    verdict = negated(CONTAINER, {})
    assert verdict.broken and verdict.path == ("ports", 1, "name")
    missing = compile_condition({"not": {"path": "securityContext.runAsUser", "exists": True}}, {},
                                detail=False)(CONTAINER, {})
    assert missing.broken and missing.missing and missing.path == ("securityContext",)


def test_one_wildcard_paths_find_what_recursive_resolution_finds():
    from kubelint.engine.paths import lookup, resolve

    data = {"a": [{"b": 1}, {"c": 2}, None, {"b": None}, {"b": {"x": 3}}], "m": {"k1": {"b": 4}, "k2": 5}}
    for text in ("a[*].b", "a[*]", "m.*.b", "m.*", "a[4].*", "x[*].b", "a[*].b.x", "a[1].*"):
        parts = parse_path(text)
        assert lookup(parts, ("$pod",), "$pod")(None, {"$pod": data}) == resolve(data, parts, ("$pod",)), text
