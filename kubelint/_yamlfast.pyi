# The compiled fast path of kubelint.parse.yaml_docs (kubelint/_yamlfast.c; built by hatch_build.py).
from collections.abc import Callable
from typing import Any

def build(text: str, bits: int, words: dict[str, Any], number: Callable[[str], Any],
          max_depth: int, /) -> list[tuple[int, Any, Any]] | None: ...
