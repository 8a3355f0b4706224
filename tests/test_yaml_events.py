"""Both bindings of libyaml's parser (PyYAML's, ruamel.yaml.clib's) give the same documents,
positions and syntax errors: kubelint uses the first available (kubelint.parse.yaml_events).
One difference: PyYAML's wheels carry libyaml 0.2.x, ruamel.yaml.clib libyaml 0.1.7, which
refuses a colon inside a plain scalar in a flow collection (`[registry:5000]`); 0.2.x reads it,
as Kubernetes' go-yaml does."""

from pathlib import Path

import pytest

from kubelint.parse import yaml_docs, yaml_events
from kubelint.parse.source import SourceFile

ODD = [
    "base: &b {x: 1, y: [a, b]}\nm:\n  <<: *b\n  z: 3\nn:\n  <<: [*b, {q: 1}]\n",
    "? [complex, key]\n: value\n? {a: 1}\n: {inner: [1, 2]}\n",
    "tags: [!!int \"12\", !!float \"1.5\", !!bool \"yes\", !!null \"\", !!str 12, !custom x, !!binary aGk=]\n",
    "nums: [0x1F, 0o17, 0644, 1_000, -0b101, +12, .5, 1e3, -.inf, .NaN, 1.5Gi, yes, No, ~]\n",
    "a: 1\r\nb:\r\n  - x\r\n",
    "a: 1\n---\nb: [1,\n---\nc: 3\n...\n---\nd: {e: f}\n",
    "%YAML 1.1\n---\na: b\n--- !!map\nc: d\n--- |\n  text\n---\n- 1\n",
    "\ufeffa: bom\n\"héllo ✓\": \"漢字 ✓\"\n",
    "dup: 1\ndup: 2\nk: &a v\n*a : aliased key\n",
    "a: [" * 3 + "b: c",
    "a: 'unterminated\n",
    "x: &a [1, 2, 3]\ny: &b [*a, *a, *a]\nz: [*b, *b]\n",
    "deep: " + "[" * 600 + "]" * 600 + "\n",
]


def _parsed(text: str) -> tuple:
    parsed = yaml_docs.parse_yaml(SourceFile("t.yaml", "t.yaml", text, "yaml"))
    docs = [(repr(d.data), d.start_line, sorted((repr(p), d.value_pos(p), d.key_pos(p)) for p in d.values))
            for d in parsed.documents]
    return docs, [(f.rule, f.line, f.column, f.end_line, f.end_column, repr(f.values), f.variant)
                  for f in parsed.findings]


def test_the_bindings_agree(monkeypatch):
    sources = [s for s in yaml_events.available() if s.name != "ruamel-pure"]
    if len(sources) < 2:
        pytest.skip("only one binding of libyaml is installed")
    fixtures = Path(__file__).parent / "fixtures"
    texts = ODD + [p.read_bytes().decode("utf-8", "replace") for p in sorted(fixtures.rglob("*.yaml"))
                   if p.name != ".hadolint.yaml"]  # `[docker.io, my-company.com:5000]`: see below
    results = []
    monkeypatch.setattr(yaml_docs, "_BUILD", None)  # every chunk through the binding's events
    for source in sources:
        monkeypatch.setattr(yaml_events, "SOURCE", source)
        results.append([_parsed(t) for t in texts])
    assert len(texts) > 40 and any(r[1] for r in results[0])  # errors among them
    assert results[0] == results[1]


def test_pyyaml_is_preferred_when_it_has_libyaml():
    names = [s.name for s in yaml_events.available()]
    try:
        import yaml
    except ImportError:
        assert names[0].startswith("ruamel")
        return
    assert names[0] == ("pyyaml" if yaml.__with_libyaml__ else "ruamel")


def test_a_colon_inside_a_flow_scalar_reads_as_kubernetes_reads_it():
    if yaml_events.SOURCE.name != "pyyaml":
        pytest.skip("libyaml 0.1.7 (ruamel.yaml.clib) refuses it")
    docs, findings = _parsed("registries: [docker.io, my-company.com:5000]\n")
    assert findings == [] and docs[0][0] == "{'registries': ['docker.io', 'my-company.com:5000']}"
