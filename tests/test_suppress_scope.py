"""A comment alone on a line covers the node that starts on the next line: the list item or the
mapping entry written there, never the collection that merely begins on that line too."""

import re
from pathlib import Path

from kubelint.api import lint_text

RULES = ["latest-tag", "privileged-container", "host-network", "unused-suppression"]


def found(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in lint_text(text, select=RULES)]


HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n"


def test_comment_above_the_first_list_item_covers_only_that_item():
    text = HEAD + (
        "  containers:\n"
        "    # kubelint: ignore=latest-tag,security\n"
        "    - name: debug\n"                      # 8
        "      image: busybox:latest\n"            # 9
        "      securityContext: {privileged: true}\n"
        "    - name: web\n"                        # 11
        "      image: nginx:latest\n"              # 12
        "      securityContext:\n"
        "        privileged: true\n")              # 14
    assert found(text) == [("latest-tag", 12, 14), ("privileged-container", 14, 21)]


def test_comment_above_the_first_key_of_a_pod_spec_covers_only_that_entry():
    text = HEAD + (
        "  # kubelint: ignore=security\n"
        "  hostNetwork: true\n"                    # 7
        "  containers:\n"
        "    - name: web\n"
        "      image: nginx:latest\n"              # 10
        "      securityContext:\n"
        "        privileged: true\n")              # 12
    assert found(text) == [("latest-tag", 10, 14), ("privileged-container", 12, 21)]
    # without the comment, host-network is reported on line 7: the comment did silence it
    assert ("host-network", 7, 16) in [(r, l, c) for r, l, c in found(text.replace("# kubelint", "# x"))]


def test_comment_above_the_first_key_of_a_document_covers_only_that_key():
    text = "# kubelint: ignore=all\n" + HEAD + (
        "  containers:\n    - name: web\n      image: nginx:latest\n")
    assert found(text) == [("unused-suppression", 1, 1), ("latest-tag", 9, 14)]


def test_flow_collections():
    text = HEAD + (
        "  containers: [\n"
        "    # kubelint: ignore=latest-tag\n"
        "    {name: a, image: 'nginx:latest'},\n"    # 8
        "    {name: b, image: 'redis:latest'}]\n")   # 9
    assert found(text) == [("latest-tag", 9, 22)]
    one_line = HEAD + (
        "  # kubelint: ignore=latest-tag\n"
        "  containers: [{name: a, image: 'nginx:latest'}, {name: b, image: 'redis:latest'}]\n"
        "  initContainers: [{name: i, image: 'busybox:latest'}]\n")  # 8
    assert found(one_line) == [("latest-tag", 8, 37)]


def test_nested_lists():
    text = HEAD + (
        "  containers:\n"
        "    - name: a\n"
        "      image: nginx:latest\n"              # 8
        "      args:\n"
        "        # kubelint: ignore=latest-tag\n"
        "        - - x\n"                          # 11
        "          - y\n"
        "        - - z\n")
    # the comment covers lines 11-12 (the first inner list), none of which has a finding
    assert ("unused-suppression", 10, 9) in found(text)
    assert ("latest-tag", 8, 14) in found(text)
    outer = HEAD + (
        "  containers:\n"
        "    # kubelint: ignore=latest-tag\n"
        "    - - name: a\n"                        # 8 (not a valid pod, but the scope is what counts)
        "        image: nginx:latest\n"
        "    - name: b\n"
        "      image: nginx:latest\n")             # 11
    assert [f for f in found(outer) if f[0] == "latest-tag"] == [("latest-tag", 11, 14)]


def test_the_documented_example_behaves_as_documented():
    doc = Path(__file__).resolve().parents[1].joinpath("docs", "configuration.md").read_text()
    example = re.search(r"```yaml\n(      containers:\n.*?)```", doc, re.S).group(1)
    text = HEAD + re.sub(r"^      ", "  ", example, flags=re.M)
    # debug (busybox, no tag) is silenced by the comment above it, web's latest tag by its
    # end-of-line comment; `security` names nothing debug has, so it is reported unused
    assert found(text) == [("unused-suppression", 7, 5)]
    # a security finding of debug is silenced, one of web (which no comment names) is reported
    both = text.replace("image: busybox", "image: busybox\n      securityContext: {privileged: true}")
    both = both.replace("image: nginx:latest", "securityContext: {privileged: true}\n      image: nginx:latest")
    assert found(both) == [("privileged-container", 12, 37)]
