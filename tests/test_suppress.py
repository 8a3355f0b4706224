"""Inline suppressions: annotations (object, pod template, one container), comments (end of
line, line before, whole file), hadolint pragmas, unused-suppression, --no-inline-ignores."""

import json
import re

import pytest

from kubelint.api import lint_text
from kubelint.cli import main

FIX = "tests/fixtures/suppress"


def run(capsys, *args):
    code = main(["check", "--isolated", "--format", "plain", *args])
    out, err = capsys.readouterr()
    return code, out, err


def lines(out: str) -> list[str]:
    return [line for line in out.splitlines() if line.startswith(FIX)]


@pytest.fixture(autouse=True)
def _in_project(monkeypatch, request):
    monkeypatch.chdir(request.config.rootpath)


def test_yaml_forms(capsys):
    code, out, _ = run(capsys, "--select", "latest-tag,unused-suppression", f"{FIX}/workloads.yaml")
    assert lines(out) == [
        # kubelint.io/ignore.sidecar on the pod template silences only that container
        f"{FIX}/workloads.yaml:34:18: warning [latest-tag] container 'web' uses image 'nginx:latest' "
        "with no tag or the 'latest' tag",
        # a `#` inside a quoted value is text, not a comment
        f"{FIX}/workloads.yaml:53:14: warning [latest-tag] container 'd' uses image "
        "'alpine # kubelint: ignore=latest-tag' with no tag or the 'latest' tag",
        # redis:7.2 is pinned: the comment silences nothing
        f"{FIX}/workloads.yaml:55:25: info [unused-suppression] comment kubelint: ignore: "
        "'latest-tag' suppressed nothing; remove it",
    ]
    assert out.splitlines()[-1] == "3 findings (2 warnings, 1 info) in 1 file, 3 objects; 5 suppressed"
    assert code == 1


def test_show_suppressed_names_the_suppression_and_reason(capsys):
    _, out, _ = run(capsys, "--select", "latest-tag", "--show-suppressed", f"{FIX}/workloads.yaml")
    shown = lines(out)
    assert (f"{FIX}/workloads.yaml:17:18: warning [latest-tag] container 'api' uses image 'example/api:latest' "
            "with no tag or the 'latest' tag (suppressed by annotation kubelint.io/ignore "
            f"({FIX}/workloads.yaml:6): tracks the nightly build)") in shown
    assert any(line.startswith(f"{FIX}/workloads.yaml:45:14:") and line.endswith(
        f"(suppressed by comment kubelint: ignore ({FIX}/workloads.yaml:45): pinned by the mirror)") for line in shown)
    # the comment above `- name: b` covers that whole list item, the one above `image:` its line
    assert any(line.startswith(f"{FIX}/workloads.yaml:48:14:") and "workloads.yaml:46))" in line for line in shown)
    assert any(line.startswith(f"{FIX}/workloads.yaml:51:14:") and "workloads.yaml:50))" in line for line in shown)
    assert len(shown) == 7


def test_no_inline_ignores_voids_every_form(capsys, tmp_path):
    _, out, _ = run(capsys, "--select", "latest-tag,unused-suppression", "--no-inline-ignores",
                    f"{FIX}/workloads.yaml")
    assert [line.split(": ")[0] for line in lines(out)] == [
        f"{FIX}/workloads.yaml:{n}" for n in ("17:18", "34:18", "36:18", "45:14", "48:14", "51:14", "53:14")]
    assert "suppressed" not in out.splitlines()[-1]

    config = tmp_path / "kubelint.yaml"
    config.write_text("allow-inline-ignores: false\n")
    code = main(["check", "--config", str(config), "--format", "plain", "--select", "latest-tag",
                 f"{FIX}/workloads.yaml"])
    out = capsys.readouterr().out
    assert code == 1 and len(lines(out)) == 7


def test_json_lists_suppressed_findings_with_their_suppression(capsys):
    main(["check", "--isolated", "--format", "json", "--select", "latest-tag", "--show-suppressed",
          f"{FIX}/workloads.yaml"])
    doc = json.loads(capsys.readouterr().out)
    assert doc["summary"]["suppressed"] == 5
    first = doc["suppressed_findings"][0]
    assert (first["line"], first["column"]) == (17, 18)
    assert first["suppressed_by"] == {"form": "annotation", "file": f"{FIX}/workloads.yaml", "line": 6,
                                      "reason": "tracks the nightly build"}


def test_dockerfile_forms(capsys):
    code, out, _ = run(capsys, "--select", "missing-healthcheck,apt-get-unpinned,apt-get-recommends,"
                       "unused-suppression", "--show-suppressed", f"{FIX}/Dockerfile")
    shown = lines(out)
    assert shown == [
        f"{FIX}/Dockerfile:2:1: info [missing-healthcheck] the final stage #0 (FROM ubuntu:24.04) has no HEALTHCHECK: Docker and "
        "Swarm cannot tell a hung container from a healthy one (suppressed by comment kubelint: ignore-file "
        f"({FIX}/Dockerfile:1): a batch image)",
        f"{FIX}/Dockerfile:4:23: info [apt-get-recommends] 'apt-get install' without --no-install-recommends "
        "also installs recommended packages, growing the image (suppressed by hadolint ignore "
        f"({FIX}/Dockerfile:3))",
        f"{FIX}/Dockerfile:4:42: info [apt-get-unpinned] package 'curl' is not pinned: write curl=<version> "
        f"so rebuilds install the same thing (suppressed by hadolint ignore ({FIX}/Dockerfile:3))",
        f"{FIX}/Dockerfile:7:66: info [apt-get-unpinned] package 'wget' is not pinned: write wget=<version> "
        "so rebuilds install the same thing (suppressed by comment kubelint: ignore "
        f"({FIX}/Dockerfile:6): pinned by the base image)",
        f"{FIX}/Dockerfile:9:66: info [apt-get-unpinned] package 'git' is not pinned: write git=<version> "
        "so rebuilds install the same thing",
    ]
    assert code == 0  # info only


def test_comment_before_an_instruction_covers_all_its_lines():
    text = ("FROM ubuntu:24.04\n"
            "# kubelint: ignore=apt-get-unpinned\n"
            "RUN apt-get update \\\n"
            "    && apt-get install -y --no-install-recommends curl \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n")
    assert [f.rule for f in lint_text(text, "dockerfile", select=["apt-get-unpinned"])] == []
    assert [(f.rule, f.line) for f in lint_text(text.replace("ignore=", "ignored="), "dockerfile",
                                                select=["apt-get-unpinned"])] == [("apt-get-unpinned", 4)]


POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: web{annotations}
spec:
  containers:
    - name: web
      image: nginx{comment}
"""


def _pod(annotations: str = "", comment: str = "") -> str:
    return POD.format(annotations=annotations, comment=comment)


@pytest.mark.parametrize("token", ["latest-tag", "images", "kube-linter:latest-tag", "CKV_K8S_14", "all"])
def test_ids_may_be_rule_ids_categories_peer_ids_or_all(token):
    found = lint_text(_pod(comment=f"  # kubelint: ignore={token}"), select=["latest-tag", "unused-suppression"])
    assert found == []


def test_unused_suppression_reports_unknown_ids_and_empty_ignores():
    found = lint_text(_pod(annotations='\n  annotations:\n    kubelint.io/ignore: "latest-tags, latest-tag"'),
                      select=["latest-tag", "unused-suppression"])
    assert [(f.rule, f.line, f.column, f.message) for f in found] == [
        ("unused-suppression", 6, 5,
         "annotation kubelint.io/ignore: 'latest-tags' is not a rule, category or peer id")]
    assert found[0].path == "metadata.annotations.kubelint.io/ignore"
    found = lint_text(_pod(comment="  # kubelint: ignore"), select=["latest-tag", "unused-suppression"])
    assert [(f.rule, f.line, f.column) for f in found] == [("latest-tag", 8, 14), ("unused-suppression", 8, 21)]
    assert "names no rules" in found[1].message


def test_ignores_of_rules_this_run_does_not_enable_are_not_unused():
    found = lint_text(_pod(comment="  # kubelint: ignore=latest-tag,privileged-container"),
                      select=["latest-tag", "unused-suppression"])
    assert found == []


def test_unused_suppression_can_itself_be_silenced_per_file():
    text = "# kubelint: ignore-file=unused-suppression\n" + _pod(comment=":1.27  # kubelint: ignore=latest-tag")
    assert lint_text(text, select=["latest-tag", "unused-suppression"]) == []


def test_hadolint_pragmas_are_never_called_unused():
    text = "FROM ubuntu:24.04\n# hadolint ignore=DL3008,DL9999\nUSER 10001\n"
    assert lint_text(text, "dockerfile", select=["unused-suppression", "apt-get-unpinned"]) == []


def test_hadolint_global_ignore_covers_the_file():
    text = ("# hadolint global ignore=DL3008\nFROM ubuntu:24.04\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends curl "
            "&& rm -rf /var/lib/apt/lists/*\n")
    assert lint_text(text, "dockerfile", select=["apt-get-unpinned"]) == []


def test_annotation_on_one_object_does_not_cover_the_next():
    text = _pod(annotations='\n  annotations:\n    kubelint.io/ignore: "latest-tag"') + "---\n" + _pod()
    found = lint_text(text, select=["latest-tag"])
    assert [(f.line, f.column) for f in found] == [(19, 14)]


def test_container_annotation_for_a_missing_container_is_unused():
    found = lint_text(_pod(annotations='\n  annotations:\n    kubelint.io/ignore.nope: "latest-tag"'),
                      select=["latest-tag", "unused-suppression"])
    assert [(f.rule, f.line) for f in found] == [("unused-suppression", 6), ("latest-tag", 10)]


def test_a_real_comment_after_a_quoted_hash_counts():
    text = _pod(comment='  # kubelint: ignore=latest-tag').replace("image: nginx", 'image: "nginx # kubelint: ignore=x"')
    assert lint_text(text, select=["latest-tag", "unused-suppression"]) == []


def test_rich_lists_suppressed_findings_in_their_own_section(capsys):
    main(["check", "--isolated", "--format", "rich", "--select", "latest-tag", "--show-suppressed",
          f"{FIX}/workloads.yaml"])
    out = capsys.readouterr().out
    section = out.split("\nsuppressed\n", 1)[1]
    assert section.splitlines()[0] == (
        f"  {FIX}/workloads.yaml:17:18 warning latest-tag container 'api' uses image 'example/api:latest' "
        "with no tag or the 'latest' tag (suppressed by annotation kubelint.io/ignore "
        f"({FIX}/workloads.yaml:6): tracks the nightly build)")
    assert re.search(r"\n2 findings \(2 warnings\) in 1 file, 3 objects; 5 suppressed \(\d+\.\d\ds\)\n$", out)
