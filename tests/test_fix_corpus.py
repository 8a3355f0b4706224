"""`--fix --unsafe-fixes` over a copy of the real corpus (../shared/corpus): no crash, every
fixed file still parses, its data equals the original's except under the fields the fixes own,
and the re-lint finds nothing new (no file has more findings of any rule than before)."""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

from kubelint.model.source import SourceFile
from kubelint.parse.dockerfile import parse_dockerfile
from kubelint.parse.yaml_docs import parse_yaml
from kubelint.pipeline import Settings, lint

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
# What the fixes write: a changed value anywhere else in a fixed object is a bug.
FIELDS = {"securityContext", "automountServiceAccountToken", "imagePullPolicy", "apiVersion", "annotations",
          "serviceAccount", "serviceAccountName", "ttlSecondsAfterFinished", "concurrencyPolicy",
          "startingDeadlineSeconds", "storageClassName",
          # Ingress -> networking.k8s.io/v1, node labels, the probe for an image HEALTHCHECK
          "backend", "defaultBackend", "pathType", "nodeSelector", "matchExpressions", "topologyKey",
          "matchLabelExpressions", "livenessProbe"}
# What the Dockerfile fixes may turn an instruction into (or add).
INSTRUCTIONS = {("ADD", "COPY"), ("MAINTAINER", "LABEL")}

pytestmark = pytest.mark.slow


def _diff_paths(a, b, path=()):
    if isinstance(a, dict) and isinstance(b, dict):
        for key in set(a) | set(b):
            yield from _diff_paths(a.get(key), b.get(key), path + (key,))
    elif isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            yield from _diff_paths(x, y, path + (i,))
    elif a != b and not (a != a and b != b):  # NaN equals itself here
        yield path


@pytest.fixture(scope="module")
def fixed(tmp_path_factory):
    if not CORPUS.is_dir():
        pytest.skip("no corpus")
    root = tmp_path_factory.mktemp("corpus")
    for part in ("k8s", "dockerfiles"):
        shutil.copytree(CORPUS / part, root / part)
    paths = [str(root / "k8s"), str(root / "dockerfiles")]
    settings = Settings.load(isolated=True, select=["all"])
    before = lint(paths, settings)
    settings = Settings.load(isolated=True, select=["all"], fix=True, unsafe_fixes=True)
    after = lint(paths, settings)
    return before, after


def test_fixes_apply_over_the_corpus(fixed):
    _, after = fixed
    assert sum(after.fixed.values()) > 1000 and len(after.fixed_texts) > 300
    assert not after.internal_errors
    assert not any("not applied" in note for note in after.notes)


def test_fixed_files_parse_to_the_same_data_except_the_fixed_fields(fixed):
    _, after = fixed
    for display, text in after.fixed_texts.items():
        old = after.originals[display]
        new = SourceFile(old.path, display, text, old.file_type)
        if old.file_type == "dockerfile":
            before_df, before_f = parse_dockerfile(old)
            after_df, after_f = parse_dockerfile(new)
            assert len(after_f) <= len(before_f), display
            names = [i.name for i in after_df.instructions if i.name != "SHELL"]
            old_names = [i.name for i in before_df.instructions if i.name != "SHELL"]
            assert len(names) == len(old_names), display
            for x, y in zip(old_names, names, strict=True):
                assert x == y or (x, y) in INSTRUCTIONS, (display, x, y)
            continue
        a, b = parse_yaml(old), parse_yaml(new)
        assert not [f for f in b.findings if f.rule != "duplicate-key"], display
        docs_a = [d.data for d in a.documents if d.data is not None]
        docs_b = [d.data for d in b.documents if d.data is not None]
        assert len(docs_a) == len(docs_b), display
        for x, y in zip(docs_a, docs_b, strict=True):
            for path in _diff_paths(x, y):
                assert FIELDS & {p for p in path if isinstance(p, str)}, (display, path)


def test_relint_finds_nothing_new(fixed):
    before, after = fixed
    old = Counter((f.file, f.rule) for f in before.findings)
    new = Counter((f.file, f.rule) for f in after.findings)
    grown = sorted(k for k in new if new[k] > old[k])
    assert grown == []
    fixed_rules = set(after.fixed)
    assert sum(new[k] for k in new if k[1] in fixed_rules) < sum(old[k] for k in old if k[1] in fixed_rules)


def test_fixing_again_changes_nothing(fixed, tmp_path):
    """Idempotence on the corpus: the fixed texts, linted and fixed again, stay as they are."""
    _, after = fixed
    from kubelint.pipeline import Text

    texts = [Text(t, d, after.originals[d].file_type) for d, t in sorted(after.fixed_texts.items())[:200]]
    again = lint(texts, Settings.load(isolated=True, select=["all"], fix=True, unsafe_fixes=True))
    assert again.fixed_texts == {}
