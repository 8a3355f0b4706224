"""The compiled fast path of YAML parsing (kubelint/_yamlfast.c) gives exactly what the Python
builder gives: the same data (types included), the same position of every node, the same
findings; and it hands anything but plain data back to the Python builder.

The module is built here from the checkout's source; without a C compiler and libyaml's headers
these tests are skipped, except in CI (CI set), where .ci/run installs both."""

from __future__ import annotations

import importlib.util
import math
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kubelint.discover import discover
from kubelint.parse import yaml_docs
from kubelint.parse.source import SourceFile
from kubelint.runner import read_all

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def build(tmp_path_factory) -> Any:
    """The module built now from the checkout's source: an in-place build may be older."""
    spec = importlib.util.spec_from_file_location("hatch_build", ROOT / "hatch_build.py")
    assert spec is not None and spec.loader is not None
    hatch_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hatch_build)
    built, why = hatch_build.build_extension(tmp_path_factory.mktemp("yamlfast"))
    if built is None:
        if os.environ.get("CI"):
            pytest.fail(f"the compiled YAML fast path did not build: {why}")
        pytest.skip(f"the compiled YAML fast path cannot be built here: {why}")
    spec = importlib.util.spec_from_file_location("kubelint._yamlfast", built)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build


def _strict(value: Any) -> Any:
    """`value` with every leaf's type beside it: True == 1 and 1 == 1.0 in Python, not here."""
    if isinstance(value, dict):
        return ("dict", [(k, _strict(v)) for k, v in value.items()])
    if isinstance(value, (list, tuple)):
        return (type(value).__name__, [_strict(v) for v in value])
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


def _parsed(source: SourceFile) -> tuple:
    parsed = yaml_docs.parse_yaml(source)
    return ([(d.index, d.start_line, d.line_offset, d.bits, _strict(d.data), _strict(d.marks))
             for d in parsed.documents], parsed.findings)


class Counting:
    """The compiled build, counting the chunks it built and those it handed back."""

    def __init__(self, build):
        self.build = build
        self.built = self.handed_back = 0

    def __call__(self, *args):
        result = self.build(*args)
        if result is None:
            self.handed_back += 1
        else:
            self.built += 1
        return result


def both(monkeypatch, build, source: SourceFile) -> tuple[tuple, tuple, Counting]:
    """(fast path's result, Python builder's result, the fast path's counts)."""
    counting = Counting(build)
    monkeypatch.setattr(yaml_docs, "_BUILD", counting)
    fast = _parsed(source)
    monkeypatch.setattr(yaml_docs, "_BUILD", None)
    return fast, _parsed(source), counting


def _source(text: str) -> SourceFile:
    return SourceFile("t.yaml", "t.yaml", text, "yaml")


@pytest.mark.slow
def test_the_shared_corpus_parses_the_same_and_almost_all_of_it_fast(monkeypatch, build):
    if not CORPUS.is_dir():
        pytest.skip("../shared/corpus is not here")
    sources = [s for s in read_all(discover([str(CORPUS / "k8s"), str(CORPUS / "apps")])).sources
               if s.file_type in ("yaml", "kustomization")]
    counting = Counting(build)
    fast, pure = [], []
    for source in sources:
        monkeypatch.setattr(yaml_docs, "_BUILD", counting)
        fast.append(_parsed(source))
        monkeypatch.setattr(yaml_docs, "_BUILD", None)
        pure.append(_parsed(source))
    assert len(sources) > 1700
    mismatched = [s.display for s, a, b in zip(sources, fast, pure, strict=True) if a != b]
    assert mismatched == []
    # The files with errors, anchors, tags or duplicate keys go the slow way; the rest does not.
    assert counting.built > 0.95 * (counting.built + counting.handed_back)
    assert counting.handed_back > 0


PLAIN = [
    "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, labels: {app: x}}\ndata:\n  k: v\n",
    "a: 1\n---\n- x\n- [1, 2, {b: c}]\n...\n---\n",
    "nums: [0x1F, 0o17, 0644, 1_000, -0b101, +12, .5, 1e3, -.inf, .NaN, 1.5Gi, yes, No, ~, '', 9" + "9" * 5000 + "]\n",
    "quoted: ['yes', \"0x1F\", \"a\\tb\"]\nblock: |\n  text\n  more\nfolded: >-\n  folded\n  text\n",
    "\"<<\": not a merge\n'dup': 1\nother: 2\n",
    "\ufeffa: bom\n\"héllo ✓\": \"漢字 ✓\"\nlong: " + "x" * 100 + "\n",
    "a: 1\r\nb:\r\n  - x\r\n",
    "",
    "# only a comment\n",
    "just a scalar\n",
    "%YAML 1.1\n---\na: b\n--- !!map\nc: d\n--- |\n  text\n---\n- 1\n",
]

HANDED_BACK = {
    "an anchor and alias": "x: &a [1, 2]\ny: *a\n",
    "an anchored scalar": "x: &a 1\n",
    "a merge key": "base: {x: 1}\nm:\n  <<: {y: 2}\n",
    "a tagged scalar": "tags: [!!int \"12\", !custom x]\n",
    "a duplicate key": "dup: 1\ndup: 2\n",
    "a complex key": "? [complex, key]\n: value\n",
    "a syntax error": "a: [b: c\n",
    "a syntax error after a good document": "a: 1\n---\nb: 'unterminated\n",
    "nesting past MAX_DEPTH": "deep: " + "[" * 600 + "]" * 600 + "\n",
    "nesting libyaml refuses": "deep: " + "[" * 5000 + "]" * 5000 + "\n",
    "a lone surrogate": "a: \ud800\n",
}


@pytest.mark.parametrize("text", PLAIN)
def test_plain_data_is_built_fast_and_alike(monkeypatch, build, text):
    fast, pure, counting = both(monkeypatch, build, _source(text))
    assert fast == pure
    assert counting.handed_back == 0 and counting.built == 1


@pytest.mark.parametrize("why", sorted(HANDED_BACK))
def test_what_needs_the_python_builder_is_handed_back(monkeypatch, build, why):
    text = HANDED_BACK[why]
    assert build(text, yaml_docs.bits_for(len(text)), yaml_docs._WORDS, yaml_docs._number, yaml_docs.MAX_DEPTH) is None
    fast, pure, counting = both(monkeypatch, build, _source(text))
    assert fast == pure
    assert counting.built == 0  # (a lone surrogate is refused before either path: yaml_text)


def test_positions_pack_alike_with_wider_numbers(monkeypatch, build):
    """bits grows with the text (kubelint.model.document.bits_for); both paths pack alike at
    any width up to 32, and the fast path declines wider ones."""
    text = PLAIN[0] + "list:\n  - {a: [1, 2]}\n"
    for bits in (27, 32):
        monkeypatch.setattr(yaml_docs, "bits_for", lambda length, bits=bits: bits)
        fast, pure, counting = both(monkeypatch, build, _source(text))
        assert fast == pure and counting.built == 1
        assert fast[0][0][3] == bits
    assert build(text, 33, yaml_docs._WORDS, yaml_docs._number, yaml_docs.MAX_DEPTH) is None


def test_kubelint_pure_yaml_turns_the_fast_path_off(monkeypatch):
    monkeypatch.setattr(yaml_docs, "_BUILD", yaml_docs._UNKNOWN)
    monkeypatch.setenv("KUBELINT_PURE_YAML", "1")
    assert yaml_docs._compiled() is None


def test_a_build_older_than_its_source_is_not_used(tmp_path):
    """A checkout whose _yamlfast.c changed since `python hatch_build.py` parses in Python."""
    import os

    module, source = tmp_path / "_yamlfast.so", tmp_path / "_yamlfast.c"
    module.write_bytes(b"")
    assert not yaml_docs._stale(str(module))  # no source beside it: a wheel
    source.write_text("/* */")
    os.utime(module, ns=(1_000_000_000, 1_000_000_000))
    assert yaml_docs._stale(str(module))
    os.utime(source, ns=(1_000_000_000, 1_000_000_000))
    os.utime(module, ns=(2_000_000_000, 2_000_000_000))
    assert not yaml_docs._stale(str(module))


# Generated YAML: data of the shapes manifests have, dumped in block and flow style, with
# scalars that resolve to every type; and text of YAML's punctuation, mostly not YAML at all.
_SCALARS = st.one_of(
    st.sampled_from(["yes", "No", "on", "~", "null", "0644", "0x1F", "1e3", ".inf", "-.NaN", "1_000", "+1", "-",
                     "1.5Gi", "v1", "", "<<", "=", "true", "12:30", "2001-12-14"]),
    st.text(max_size=12), st.integers(), st.booleans(), st.none(),
    st.floats(allow_nan=False, allow_infinity=False))
_DATA = st.recursive(_SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)), max_leaves=20)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(docs=st.lists(_DATA, min_size=1, max_size=3), flow=st.sampled_from([None, True, False]),
       unicode=st.booleans())
def test_generated_documents_parse_alike(monkeypatch, build, docs, flow, unicode):
    text = yaml.safe_dump_all(docs, default_flow_style=flow, allow_unicode=unicode, width=40)
    fast, pure, counting = both(monkeypatch, build, _source(text))
    assert fast == pure
    assert counting.built + counting.handed_back >= 1


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(alphabet=st.sampled_from(list("ab1.-:#&*!|>?,[]{}'\" \n\t%@<=~")), max_size=60))
def test_generated_text_parses_alike(monkeypatch, build, text):
    fast, pure, _ = both(monkeypatch, build, _source(text))
    assert fast == pure
