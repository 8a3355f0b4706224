"""The read-only data beside the project (../shared): the real corpus and the SARIF schema.

Tests that need it skip on a developer's machine without it, and fail under CI (`CI` set), so a
green CI run means the corpus and schema tests really ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "k8s"
APPS = SHARED / "corpus" / "apps"  # two real applications: Dockerfiles, build configs, manifests
WHOLE_CORPUS = SHARED / "corpus"  # k8s/, dockerfiles/ and apps/
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"


def require(path: Path) -> Path:
    """`path` when it exists; otherwise fail under CI and skip elsewhere."""
    if path.exists():
        return path
    message = f"{path} is missing: ../shared must be beside the project"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)
