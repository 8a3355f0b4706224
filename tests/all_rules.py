"""The Python API with every rule selected: tests of one rule judge it whether or not it is in
the recommended default set (tests/test_defaults.py tests that set)."""

from functools import partial

from kubelint import api

lint_text = partial(api.lint_text, select=["all"])
lint_paths = partial(api.lint_paths, select=["all"])
