"""`kubelint init` (a commented starter config) and `kubelint config` (the effective one)."""

from __future__ import annotations

import json
import os
import sys

from kubelint.errors import KubelintError

STARTER = """\
# kubelint configuration. Every key is optional; see docs/configuration.md.
# Command-line options override these settings.

# Rules to run and to skip: rule ids, categories (security, images, schema, ...),
# peer ids (DL3006, kube-linter:latest-tag) or `all`. `kubelint rules` lists them and marks
# the recommended set that runs by default. `select` replaces that set (`select: [all]` runs
# every rule); `extend-select` adds to it.
# select: [all]
# profile: recommended   # or all, kube-linter, kube-score, polaris, hadolint, checkov, pss-baseline, pss-restricted
# pod-security: baseline # also check the Pod Security Standards (see docs/pod-security.md)
extend-select: []
ignore: []

# Severity per rule or category: error, warning or info.
severity: {}
#   latest-tag: error
#   best-practice: info

# Parameters per rule (`kubelint rules explain RULE` lists a rule's params).
params: {}

# Paths to skip, relative to this file. A glob without `/` matches a name anywhere.
exclude: []
#  - charts/**/templates
#  - "*.tmpl.yaml"

# Rules switched off for some files only.
per-file-ignores: {}
#   "test/**": [resources, reliability]

# kubernetes-version: "1.31"     # validate against this version (default: the newest bundled)
# namespace: default             # namespace of objects that name none
# complete: false                # the files are the whole application: report missing references
# strict: true                   # report fields the schema does not know
# rules-dirs: [policies/]        # your own rule files
# schema-dirs: [schemas/crds/]   # JSON schemas for custom resources
# baseline: .kubelint-baseline.json

# Lowest severity that fails the run (exit code 1): error, warning, info or never.
fail-on: warning

# Whether `kubelint.io/ignore` annotations and `# kubelint: ignore=...` comments count.
allow-inline-ignores: true
"""


def run_init(args) -> int:
    if args.file == "-":
        sys.stdout.write(STARTER)
        return 0
    # lexists: a dangling symlink counts as existing, so that we never create its target.
    if os.path.lexists(args.file) and not args.force:
        if os.path.islink(args.file):
            raise KubelintError(f"{args.file} is a symlink (use --force to replace the link)")
        raise KubelintError(f"{args.file} already exists (use --force to overwrite it)")
    from kubelint.safe_write import atomic_write_text

    try:
        atomic_write_text(args.file, STARTER)  # replaces a link itself, never writes through it
    except OSError as exc:
        raise KubelintError(f"cannot write {args.file}: {exc.strerror}") from None
    print(f"kubelint: wrote {args.file}", file=sys.stderr)
    return 0


def run_config(args) -> int:
    from kubelint.config import Settings, check_rule_ids, resolve_config, to_yaml
    from kubelint.discover import display_path
    from kubelint.engine.loader import load_rules

    config = resolve_config(args.config, args.isolated)
    settings = Settings.from_config(config)
    check_rule_ids(config, load_rules(settings.rules_dirs))
    data = settings.as_dict()
    source = display_path(str(config.path)) if config.path else None
    if args.format == "json":
        json.dump({"source": source, "settings": data}, sys.stdout, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"# effective settings from {source or 'the defaults (no config file found)'}\n")
        sys.stdout.write(to_yaml(data))
    return 0
