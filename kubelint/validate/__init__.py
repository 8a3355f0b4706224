"""Schema validation of Kubernetes objects: bundled schemas per Kubernetes minor, CRDs from the
scan, --schema-dir files, and the removed/deprecated API table.

The check entry point is `kubelint.checks.schema:run`; `version_note()` tells the CLI which
bundled schema version a run uses.
"""

from kubelint.validate.versions import VersionError, choose_version, version_note

__all__ = ["VersionError", "choose_version", "version_note"]
