"""Odd characters in input: control characters in YAML are reported where they are and the
documents around them are still linted; Dockerfile lines end only at \\n, \\r\\n and \\r."""

import pytest

from kubelint.api import lint_text
from kubelint.parse.source import split_lines

POD = ('apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{n}\n  annotations: {{a: "{value}"}}\nspec:\n'
       '  containers: [{{name: c, image: "nginx:latest"}}]\n')  # 7 lines


def yaml_found(text: str) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in lint_text(text, select=["yaml-syntax", "latest-tag"])]


@pytest.mark.parametrize("char", ["\x07", "\x00", "\x1b", "\x0c"])
def test_control_character_after_8_kb_is_reported_at_its_position(char):
    text = (POD.format(n=1, value="x" * 9000) + "---\n" + POD.format(n=2, value=f"y{char}z")
            + "---\n" + POD.format(n=3, value="w"))
    assert yaml_found(text) == [("latest-tag", 7, 33), ("yaml-syntax", 13, 22), ("latest-tag", 23, 33)]
    message = lint_text(text, select=["yaml-syntax"])[0].message
    assert message == (f"YAML syntax error: control character U+{ord(char):04X} is not allowed in YAML "
                       "(only tab, line breaks and printable characters)")


def test_control_character_in_the_first_document_and_on_a_marker_line():
    text = POD.format(n=1, value="\x07") + "---\n" + POD.format(n=2, value="w")
    assert yaml_found(text) == [("yaml-syntax", 5, 21), ("latest-tag", 15, 33)]
    text = POD.format(n=1, value="w") + '--- "\x07"\n' + "---\n" + POD.format(n=2, value="w")
    assert yaml_found(text) == [("latest-tag", 7, 33), ("yaml-syntax", 8, 6), ("latest-tag", 16, 33)]


def test_a_syntax_error_before_the_control_character_is_reported_too():
    text = "a: [\n---\n" + POD.format(n=1, value="w") + "b: \x07\n---\n" + POD.format(n=2, value="w")
    assert [r for r, _, _ in yaml_found(text)] == ["yaml-syntax", "yaml-syntax", "latest-tag"]
    assert yaml_found(text)[1:] == [("yaml-syntax", 10, 4), ("latest-tag", 18, 33)]


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\x85", "\x0c", "\x0b", "\x1c", "\x1e"])
def test_dockerfile_lines_end_only_at_newlines(char):
    text = f'FROM alpine:3.20\nRUN echo "a{char}b" && echo c\nFROM alpine:latest\n'
    found = lint_text(text, "dockerfile", select=["dockerfile-syntax", "base-image-untagged"])
    assert [(f.rule, f.line, f.column) for f in found] == [("base-image-untagged", 3, 6)]
    assert split_lines(text, "dockerfile") == ["FROM alpine:3.20", f'RUN echo "a{char}b" && echo c',
                                               "FROM alpine:latest"]


@pytest.mark.parametrize("text, lines", [
    ("a\r\nb\rc\nd", ["a", "b", "c", "d"]), ("a\n", ["a"]), ("", []), ("\n", [""]), ("a\n\n", ["a", ""]),
])
def test_split_lines_matches_splitlines_on_real_breaks(text, lines):
    assert split_lines(text, "dockerfile") == split_lines(text, "yaml") == lines == text.splitlines()


def test_yaml_lines_follow_the_yaml_parser():
    # libyaml (YAML 1.1) ends lines at NEL and U+2028 too, not at a form feed
    assert split_lines("a\x85b\u2028c\x0cd", "yaml") == ["a", "b", "c\x0cd"]
    text = POD.format(n=1, value="x\u2028y\x85z") + "---\n" + POD.format(n=2, value="w")
    assert yaml_found(text) == [("latest-tag", 9, 33), ("latest-tag", 17, 33)]
