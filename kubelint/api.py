"""The older Python entry points, kept for compatibility: thin wrappers over kubelint.lint
(kubelint/pipeline.py), so they honour config files, severities, params and baselines too.
They return the shown findings only; kubelint.lint returns the whole Result.

As on the command line, `select=None` runs the recommended set (rules with `default-enabled:
true`, or the config file's select); `select=["all"]` runs every rule and `extend_select` adds
to the set in force."""

from __future__ import annotations

from kubelint.findings import Finding
from kubelint.pipeline import Settings, Text, lint
from kubelint.scan import Options


def lint_text(text: str, file_type: str = "yaml", name: str | None = None,
              options: Options | None = None, select=None, ignore=(), rules_dirs=(),
              extend_select=(), params: dict[str, dict] | None = None,
              settings: Settings | None = None) -> list[Finding]:
    """Findings for one file's text ('yaml' or 'dockerfile'), sorted by position."""
    name = name or ("Dockerfile" if file_type == "dockerfile" else "manifest.yaml")
    settings = _settings(settings, options, select, ignore, rules_dirs, extend_select, params)
    return lint([Text(text, name, file_type)], settings).findings


def lint_paths(paths: list[str], options: Options | None = None, select=None, ignore=(),
               rules_dirs=(), exclude=(), extend_select=(), params: dict[str, dict] | None = None,
               settings: Settings | None = None) -> list[Finding]:
    settings = _settings(settings, options, select, ignore, rules_dirs, extend_select, params)
    settings.extra_exclude = settings.extra_exclude + list(exclude)
    return lint(paths, settings).findings


def _settings(settings: Settings | None, options: Options | None, select, ignore, rules_dirs,
              extend_select, params: dict[str, dict] | None) -> Settings:
    """`settings` (default: the config file found from the current directory), with the
    keyword arguments over it like the command line's options."""
    settings = settings if settings is not None else Settings.load()
    if select is not None:
        settings.select, settings.extend_select, settings.ignore = list(select), [], []
    settings.extend_select = settings.extend_select + list(extend_select)
    settings.ignore = settings.ignore + list(ignore)
    settings.rules_dirs = settings.rules_dirs + list(rules_dirs)
    for rule, values in (params or {}).items():
        settings.params[rule] = {**settings.params.get(rule, {}), **values}
    if options is not None:
        for name in ("kubernetes_version", "namespace", "complete", "strict", "reject_unknown_kinds", "target"):
            setattr(settings, name, getattr(options, name))
        settings.schema_dirs = settings.schema_dirs + list(options.schema_dirs)
        if options.pod_security is not None:
            settings.pod_security = options.pod_security
    return settings
