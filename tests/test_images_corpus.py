"""The real applications of ../shared/corpus/apps: every image they build is linked to its
Dockerfile (`kubelint images`), every cross-artifact finding on them is one reviewed by hand in
tests/data/images_findings_review.txt, and nothing over the whole corpus crashes."""

import os
from collections import Counter
from pathlib import Path

from shared_data import APPS, WHOLE_CORPUS, require

from kubelint.api import lint_paths
from kubelint.commands.images import references
from kubelint.discover import discover
from kubelint.runner import build_scan
from kubelint.scan import Options

REVIEW = Path(__file__).parent / "data" / "images_findings_review.txt"
# Images the two applications run but do not build.
EXTERNAL = {"redis:alpine", "postgres:15-alpine", "busybox", "otel/opentelemetry-collector-contrib"}


def reviewed() -> set[tuple[str, str]]:
    out = set()
    for line in REVIEW.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            rule, where, verdict, reason = line.split("\t")
            assert verdict in ("TRUE", "FALSE", "NOISE") and reason.strip(), line
            out.add((rule, where))
    return out


def test_every_image_the_apps_build_is_linked():
    apps = require(APPS)
    refs = references(build_scan(discover([str(apps)]), Options()))
    containers = [r for r in refs if r.kind == "container"]
    unlinked = {r.image.split("@")[0].rsplit(":", 1)[0] if r.image.startswith(("busybox", "otel/")) else r.image
                for r in containers if r.link is None}
    assert unlinked == EXTERNAL
    linked = [r for r in containers if r.link is not None]
    assert Counter(r.link.via for r in linked) == {"skaffold": 34, "compose": 3}
    # Each image is linked to the Dockerfile of its own service.
    for r in linked:
        service = r.image.rsplit("/", 1)[-1].split(":")[0].replace("examplevotingapp_", "")
        assert f"/{service}/" in r.link.dockerfile.source.path.replace("cartservice/src", "cartservice"), r.text()
    # Every artifact of skaffold.yaml and every compose build is used by some manifest.
    built = {os.path.relpath(r.link.dockerfile.source.path, apps) for r in linked}
    assert len(built) == 15  # the 12 skaffold artifacts, and vote, result, worker (seed-data runs in no manifest)
    assert not [r for r in refs if r.kind == "from" and r.link is not None]  # no app image is FROM another


def test_every_cross_artifact_finding_on_the_apps_is_reviewed():
    apps = require(APPS)
    found = {(f.rule, f"{os.path.relpath(os.path.abspath(f.file), apps)}:{f.line}:{f.column}")
             for f in lint_paths([str(apps)], select=["cross-artifact"])}
    assert found == reviewed()


def test_whole_corpus_links_and_lints_without_a_crash():
    corpus = require(WHOLE_CORPUS)
    scan = build_scan(discover([str(corpus)]), Options())
    refs = references(scan)
    assert len(refs) > 1500
    assert sum(1 for r in refs if r.link is not None) == 37  # the apps' own links, nothing across repositories
    found = lint_paths([str(corpus)], select=["cross-artifact", "internal-error"])
    assert not [f for f in found if f.rule == "internal-error"]
    assert {f.rule for f in found} <= {"build-config-invalid"} | {r for r, _ in reviewed()}
