"""kubelint.index has no import cycle (type-checking imports included), so its modules import
in any order: the graph is read from the sources, as import-linter would."""

import ast
import subprocess
import sys
from pathlib import Path

INDEX = Path(__file__).resolve().parents[1] / "kubelint" / "index"


def graph() -> dict[str, set[str]]:
    edges = {}
    for path in INDEX.glob("*.py"):
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kubelint.index."):
                found.add(node.module.rsplit(".", 1)[1])
            elif isinstance(node, ast.Import):
                found |= {a.name.rsplit(".", 1)[1] for a in node.names if a.name.startswith("kubelint.index.")}
        edges[path.stem] = found
    return edges


def cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}  # 1 on the stack, 2 done

    def visit(node, stack):
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack + [node, nxt]
            if nxt not in state and (found := visit(nxt, stack + [node])):
                return found
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (found := visit(node, [])):
            return found
    return None


def test_cycle_finder_finds_a_cycle():
    assert cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_index_has_no_import_cycle():
    edges = graph()
    assert {"common", "objects", "refs", "names"} <= set(edges)
    assert cycle(edges) is None


def test_index_modules_import_in_any_order():
    for first in ("common", "refs", "objects", "names", "patches", "workloads"):
        rest = ", ".join(f"kubelint.index.{m}" for m in ("objects", "refs", "common") if m != first)
        code = f"import kubelint.index.{first}, {rest}"
        done = subprocess.run([sys.executable, "-c", code], cwd=INDEX.parents[1], capture_output=True, text=True)
        assert done.returncode == 0, (code, done.stderr)
