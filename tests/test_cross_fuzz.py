"""Bad input never raises: the fixture apps and rule examples, with random fields replaced by
values of the wrong shape (null, numbers, strings, lists, mappings), through every cross-object
check, with and without --complete. Seeded, so a failure reproduces."""

import copy
import random
from pathlib import Path

import pytest
import yaml
from all_rules import lint_text

from kubelint.engine.loader import load_rules
from kubelint.scan import Options

RULES = load_rules()
CROSS = [r for r in RULES if RULES[r].category == "cross-object"]
FIXTURES = Path(__file__).parent / "fixtures" / "cross"
WRONG = [None, "x", 8080, 0.5, True, [], {}, [None], ["a", 1], {"a": None}, "0644", -1]


def seed_documents() -> list[dict]:
    docs = []
    for path in sorted(FIXTURES.rglob("*.yaml")):
        docs += [d for d in yaml.safe_load_all(path.read_text()) if isinstance(d, dict)]
    for rule in CROSS:
        for text in RULES[rule].examples.get("bad", []) + RULES[rule].examples.get("good", []):
            docs += [d for d in yaml.safe_load_all(text) if isinstance(d, dict)]
    return docs


def places(node, prefix=()):
    if prefix:
        yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from places(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from places(value, prefix + (i,))


def mutate(doc: dict, rng: random.Random) -> dict:
    doc = copy.deepcopy(doc)
    targets = list(places(doc))
    for path in rng.sample(targets, min(3, len(targets))):
        parent = doc
        try:
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = rng.choice(WRONG)
        except (KeyError, IndexError, TypeError):
            pass  # an earlier mutation replaced a parent
    return doc


@pytest.mark.parametrize("seed", range(4))
def test_wrong_shapes_never_raise(seed):
    rng = random.Random(seed)
    docs = seed_documents()
    for _ in range(60):
        text = "\n---\n".join(yaml.safe_dump(mutate(d, rng)) for d in rng.sample(docs, 4))
        lint_text(text, select=CROSS)
        lint_text(text, select=CROSS, options=Options(complete=True))
