"""The bundled schemas: size, licence notice, contents, strict mode derived at load time, and
the generator reproducing them from kubernetes-validate (when installed)."""

import importlib.util
import json
import subprocess
import sys

import pytest

from kubelint.data import schemas_dir
from kubelint.validate.bundled import bundled
from schema_helpers import REPO

KUBERNETES = schemas_dir() / "kubernetes"


def test_all_versions_fit_in_six_megabytes():
    total = sum(p.stat().st_size for p in KUBERNETES.iterdir() if p.is_file())
    assert total <= 6 * 1024 * 1024


def test_licence_notice_names_the_origin():
    notice = (KUBERNETES / "NOTICE").read_text()
    assert "kubernetes-validate" in notice and "Apache License, Version 2.0" in notice
    assert "The Kubernetes Authors" in notice


def test_index_covers_every_version_and_common_kinds():
    index = json.loads((KUBERNETES / "index.json").read_text())
    assert list(index) == [f"1.{m}" for m in range(25, 38)]
    for minor, apis in index.items():
        assert apis["apps/v1"]["Deployment"] == "io.k8s.api.apps.v1.Deployment"
        assert apis["v1"]["ConfigMap"] == "io.k8s.api.core.v1.ConfigMap"
        assert apis["networking.k8s.io/v1"]["Ingress"] == "io.k8s.api.networking.v1.Ingress"
    assert "autoscaling/v2beta2" in index["1.25"] and "autoscaling/v2beta2" not in index["1.26"]


def test_descriptions_are_stripped_and_strict_mode_is_derived_at_load_time():
    raw = json.loads((KUBERNETES / "v1.37.json").read_text())["$defs"]
    container = raw["io.k8s.api.core.v1.Container"]
    assert "description" not in container and "additionalProperties" not in container
    assert raw["io.k8s.apimachinery.pkg.api.resource.Quantity"] == {"type": ["string", "number"], "format": "quantity"}
    assert raw["io.k8s.apimachinery.pkg.util.intstr.IntOrString"] == {"type": ["string", "integer"]}
    strict = bundled((1, 37), True).definition_schema("io.k8s.api.core.v1.Container")
    assert strict["additionalProperties"] is False
    assert "additionalProperties" not in bundled((1, 37), False).definition_schema("io.k8s.api.core.v1.Container")
    # Maps keep their own additionalProperties (labels are a string map, not closed).
    meta = bundled((1, 37), True).definition_schema("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta")
    assert meta["properties"]["labels"]["additionalProperties"] == {"type": "string"}


@pytest.mark.skipif(importlib.util.find_spec("kubernetes_validate") is None,
                    reason="kubernetes-validate (the generator's dev-only input) is not installed")
def test_generator_reproduces_the_committed_files():
    result = subprocess.run([sys.executable, str(REPO / "tools" / "gen_k8s_schemas.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
