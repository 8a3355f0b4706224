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
        from kubelint import pipeline

        return getattr(pipeline, name)
    raise AttributeError(f"module 'kubelint' has no attribute '{name}'")
