"""Positions stay exact on very long lines and files: packed positions hold as many bits a number
as the text's length needs, at least 26 (they once capped columns at 1,048,576, lines at
16,777,216, then at 67,108,863)."""

from kubelint.api import lint_text
from kubelint.model.document import BITS, Pos, YamlDocument, bits_for, pack
from kubelint.model.source import SourceFile
from kubelint.parse.source import MAX_BYTES
from kubelint.parse.yaml_docs import parse_yaml

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


def test_any_file_kubelint_reads_fits_the_default_width():
    assert bits_for(MAX_BYTES) == BITS


def test_positions_past_the_default_width_are_exact():
    # A text handed to the API may be longer than any file: its numbers get wider fields.
    big = (1 << BITS) + 12_345
    doc = YamlDocument(SourceFile("t", "t", "", "yaml"), 0, None, line_offset=2, bits=bits_for(big + 1))
    assert doc.pos_of(pack(big, big - 1, big, big + 1, doc.bits)) == Pos(big + 3, big, big + 3, big + 2)


def test_a_document_packs_with_the_width_of_its_text():
    text = "a: 1\n---\nb: [x, y]\n"
    docs = parse_yaml(SourceFile("t", "t", text, "yaml")).documents
    assert [d.bits for d in docs] == [bits_for(len(text))] * 2
    assert docs[1].value_pos(("b", 1)) == Pos(3, 8, 3, 9)
