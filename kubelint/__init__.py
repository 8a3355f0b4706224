"""kubelint: lint Kubernetes manifests and Dockerfiles with exact positions.

    import kubelint
    result = kubelint.lint(["deploy/"], kubelint.Settings.load())

`lint`, `Settings`, `Text` and `Result` come from kubelint.pipeline, imported on first use so
that `kubelint --version` stays cheap.
"""

__version__ = "0.1.0"

__all__ = ["Result", "Settings", "Text", "__version__", "lint"]


def __getattr__(name: str):
    if name in ("Result", "Settings", "Text", "lint"):
        # Imported by name, not `from kubelint import pipeline`: modules that only read
        # __version__ (reporters, the loader) do not depend on the pipeline, and the import
        # contracts in pyproject.toml should not see them as if they did.
        import importlib

        return getattr(importlib.import_module("kubelint.pipeline"), name)
    raise AttributeError(f"module 'kubelint' has no attribute '{name}'")
