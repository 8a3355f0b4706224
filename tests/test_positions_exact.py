"""Positions stay exact on very long lines and files: packed positions hold 26 bits a number,
more than the 50 MB read limit allows (they capped columns at 1,048,576, lines at 16,777,216)."""

from kubelint.api import lint_text
from kubelint.parse import yaml_docs
from kubelint.parse.source import MAX_BYTES

POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: "nginx:latest"}]}\n'


def test_column_past_a_million_is_exact():
    long = "x" * 1_100_000
    text = POD.replace('{name: c, image:', '{name: c, env: [{name: A, value: "' + long + '"}], image:')
    found = lint_text(text, select=["latest-tag"])
    column = text.splitlines()[3].index('"nginx:latest"') + 1
    assert column > 1_100_000
    assert [(f.line, f.column) for f in found] == [(4, column)]


def test_line_past_sixteen_million_is_exact():
    text = "\n" * 16_777_300 + POD
    assert [(f.line, f.column) for f in lint_text(text, select=["latest-tag"])] == [(16_777_304, 38)]


def test_the_cap_lies_beyond_any_file_kubelint_reads():
    assert yaml_docs.MAX_POSITION >= MAX_BYTES
