"""Every built-in fixer, imported for its registration."""

from kubelint.fix.fixers import dockerfile, kubernetes  # noqa: F401
