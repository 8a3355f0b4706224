"""Images built here, run there: linking image references to Dockerfiles (config, skaffold, compose,
Makefiles/scripts, directory names), stage inheritance through links, the cross-artifact rules on
fixture repositories with broken and fixed wiring, malformed build configs, and `kubelint images`."""

import json
import os
from pathlib import Path

import pytest

from kubelint.api import lint_paths
from kubelint.cli import main
from kubelint.discover import discover
from kubelint.index.images import Link, image_links, image_runtime
from kubelint.runner import build_scan
from kubelint.scan import Options

FIXTURES = Path(__file__).parent / "fixtures" / "images"


def rel(path: str, root: Path) -> str:
    return Path(os.path.relpath(os.path.abspath(path), root)).as_posix()


def cross_findings(root: Path, **options):
    found = lint_paths([str(root)], options=Options(**options), select=["cross-artifact"])
    return sorted((f.rule, rel(f.file, root), f.line, f.column, tuple((rel(r.file, root), r.line) for r in f.related))
                  for f in found)


def scan_of(root: Path, **options):
    return build_scan(discover([str(root)]), Options(**options))


def link_of(scan, image: str, used_in: Path):
    return image_links(scan).link(image, str(used_in))


# --- fixture repositories ----------------------------------------------------------------------

BROKEN = {
    "skaffold-app": [
        ("build-config-invalid", "skaffold.yaml", 12, 16, ()),
        ("image-entrypoint-replaced", "k8s/api.yaml", 17, 11, (("api/Dockerfile", 8), ("skaffold.yaml", 7))),
        ("image-runs-as-root", "k8s/api.yaml", 13, 23, (("api/Dockerfile", 7), ("skaffold.yaml", 7))),
    ],
    "compose-app": [
        ("build-config-invalid", "docker-compose.yml", 11, 19, ()),
        ("image-args-ignored", "deploy/worker.yaml", 15, 11, (("worker/Dockerfile", 5), ("docker-compose.yml", 4))),
        ("image-volume-unmounted", "deploy/worker.yaml", 13, 11,
         (("worker/Dockerfile", 4), ("docker-compose.yml", 4))),
    ],
    "make-app": [
        # Both come from the base image, which the app's Dockerfile is FROM (linked by the Makefile).
        ("image-healthcheck-ignored", "k8s/app.yaml", 7, 7, (("images/base/Dockerfile", 4), ("Makefile", 7))),
        ("image-volume-unmounted", "k8s/app.yaml", 7, 7, (("images/base/Dockerfile", 3), ("Makefile", 7))),
    ],
    "name-app": [
        ("image-missing-tool", "deploy/k8s/base/cartservice.yaml", 17, 25, (("services/cartservice/Dockerfile", 6),)),
        ("image-service-port-not-exposed", "deploy/k8s/base/cartservice.yaml", 27, 19,
         (("services/cartservice/Dockerfile", 8),)),
    ],
}


@pytest.mark.parametrize("app", sorted(BROKEN))
def test_broken_wiring_is_reported_at_the_pod_spec_with_the_dockerfile_line(app):
    assert cross_findings(FIXTURES / app / "broken") == BROKEN[app]


@pytest.mark.parametrize("app", sorted(BROKEN))
def test_fixed_wiring_is_clean(app):
    assert cross_findings(FIXTURES / app / "fixed") == []


@pytest.mark.parametrize("app,image,used_in,via,dockerfile,stage", [
    ("skaffold-app", "shop/api", "k8s/api.yaml", "skaffold", "api/Dockerfile", "runtime"),
    ("compose-app", "registry.example.com/shop/worker:1.8.0", "deploy/worker.yaml", "compose", "worker/Dockerfile", "0"),
    ("make-app", "registry.example.com/shop/app:2.3.1", "k8s/app.yaml", "script", "images/app/Dockerfile", "0"),
    ("name-app", "registry.example.com/shop/cartservice:1.2.0", "deploy/k8s/base/cartservice.yaml", "name",
     "services/cartservice/Dockerfile", "1"),
])
def test_each_way_of_linking(app, image, used_in, via, dockerfile, stage):
    root = FIXTURES / app / "fixed"
    link = link_of(scan_of(root), image, root / used_in)
    assert (link.via, rel(link.dockerfile.source.path, root), link.stage.name) == (via, dockerfile, stage)


def test_stage_inheritance_through_a_link():
    root = FIXTURES / "make-app" / "broken"
    scan = scan_of(root)
    link = link_of(scan, "registry.example.com/shop/app:2.3.1", root / "k8s" / "app.yaml")
    image = image_runtime(image_links(scan), link)
    assert [rel(s.dockerfile.source.path, root) for s in image.stages] == ["images/app/Dockerfile",
                                                                            "images/base/Dockerfile"]
    assert image.base.raw == "debian:12-slim"
    assert (image.entrypoint.line, image.healthcheck.line, [v.line for v in image.volumes]) == (3, 4, [3])
    assert rel(image.healthcheck.stage.dockerfile.source.path, root) == "images/base/Dockerfile"


def test_entrypoint_clears_an_inherited_cmd_but_not_its_own(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "app").mkdir()
    (tmp_path / "base" / "Dockerfile").write_text('FROM debian:12\nCMD ["bash"]\n')
    (tmp_path / "app" / "Dockerfile").write_text('FROM shop/base\nCMD ["--help"]\nENTRYPOINT ["/app"]\n'
                                                 'FROM shop/base AS other\nENTRYPOINT ["/other"]\n')
    (tmp_path / "pod.yaml").write_text("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"
                                       "spec: {containers: [{name: c, image: shop/app}]}\n")
    scan = scan_of(tmp_path, images={"shop/app*": (str(tmp_path / "app" / "Dockerfile"), None)})
    links = image_links(scan)
    link = links.link("shop/app:1", str(tmp_path / "pod.yaml"))
    assert link.via == "config" and link.stage.alias == "other"
    image = image_runtime(links, link)
    assert image.entrypoint.value == '["/other"]' and image.cmd is None  # the base's CMD is cleared
    first = image_runtime(links, Link(link.dockerfile, link.dockerfile.stages[0], "config", "x", 0))
    assert first.cmd.value == '["--help"]'  # set in the same stage as the ENTRYPOINT: kept


def test_config_mapping_wins_and_the_name_heuristic_can_be_switched_off():
    root = FIXTURES / "name-app" / "fixed"
    manifest = root / "deploy" / "k8s" / "base" / "cartservice.yaml"
    assert link_of(scan_of(root, link_images_by_name=False), "registry.example.com/shop/cartservice:1.2.0",
                   manifest) is None
    dockerfile = str(root / "services" / "cartservice" / "Dockerfile")
    scan = scan_of(root, link_images_by_name=False, images={"*/shop/cart*": (dockerfile, "build")})
    link = link_of(scan, "registry.example.com/shop/cartservice:1.2.0", manifest)
    assert (link.via, link.stage.alias) == ("config", "build")


def test_skaffold_names_match_under_any_registry_and_only_below_the_config(tmp_path):
    (tmp_path / "repo" / "svc").mkdir(parents=True)
    (tmp_path / "repo" / "svc" / "Dockerfile").write_text("FROM scratch\n")
    (tmp_path / "repo" / "skaffold.yaml").write_text(
        "apiVersion: skaffold/v3\nkind: Config\nbuild:\n  artifacts:\n  - image: cart\n    context: svc\n")
    (tmp_path / "elsewhere.yaml").write_text("a: 1\n")
    scan = scan_of(tmp_path, link_images_by_name=False)
    inside = tmp_path / "repo" / "k8s.yaml"
    assert link_of(scan, "gcr.io/project/cart:v1", inside).via == "skaffold"
    assert link_of(scan, "cart", inside).via == "skaffold"
    assert link_of(scan, "gcr.io/project/shopping-cart:v1", inside) is None
    assert link_of(scan, "cart", tmp_path / "elsewhere.yaml") is None


def test_compose_published_image_links_to_the_last_stage_not_the_dev_target(tmp_path):
    (tmp_path / "vote").mkdir()
    (tmp_path / "vote" / "Dockerfile").write_text("FROM python:3.12 AS base\nFROM base AS dev\nFROM base AS final\n")
    (tmp_path / "docker-compose.yml").write_text("services:\n  vote:\n    build: {context: ./vote, target: dev}\n")
    (tmp_path / "docker-compose.images.yml").write_text("services:\n  vote:\n    image: org/app_vote\n")
    scan = scan_of(tmp_path, link_images_by_name=False)
    used = tmp_path / "k8s.yaml"
    assert link_of(scan, "org/app_vote:latest", used).stage.alias == "final"
    assert link_of(scan, f"{tmp_path.name.lower()}-vote", used).stage.alias == "dev"  # compose's own name


def test_name_heuristic_is_ambiguous_with_two_candidates(tmp_path):
    for d in ("a/api", "b/api"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "Dockerfile").write_text("FROM scratch\n")
    scan = scan_of(tmp_path)
    assert link_of(scan, "shop/api", tmp_path / "k8s.yaml") is None
    assert link_of(scan, "shop/api", tmp_path / "a" / "k8s.yaml").dockerfile.source.path.endswith("a/api/Dockerfile")


# --- build configs are read, not linted; malformed ones are findings ---------------------------

def test_skaffold_config_is_not_a_kubernetes_object():
    root = FIXTURES / "skaffold-app" / "fixed"
    found = lint_paths([str(root)], select=["all"])
    assert not [f for f in found if f.file.endswith("skaffold.yaml")]
    scan = scan_of(root)
    assert [o.kind for o in scan.objects] == ["Deployment"]
    assert [kind for kind, _ in scan.build_documents] == ["skaffold"]


@pytest.mark.parametrize("name,text,expected", [
    ("skaffold.yaml", "apiVersion: skaffold/v3\nkind: Config\nbuild:\n  artifacts: {image: x}\n",
     [(4, 14, "build config: build.artifacts must be a list")]),
    ("skaffold.yaml", "apiVersion: skaffold/v3\nkind: Config\nbuild:\n  artifacts:\n  - context: x\n  - 7\n"
                      "  - image: [a]\n",
     [(5, 5, "build config: build.artifacts[0] names no image, so nothing can run what it builds"),
      (6, 5, "build config: build.artifacts[1] must be a mapping"),
      (7, 12, "build config: build.artifacts[2].image must be a non-empty string")]),
    ("docker-compose.yml", "services:\n  web:\n    build: 3\n  db: [x]\n",
     [(3, 12, "build config: services.web.build must be a context path or a mapping with context, dockerfile "
              "and target"),
      (4, 7, "build config: services.db must be a mapping")]),
    ("Makefile", "img:\n\tdocker build -t shop/x 'unclosed\n\tdocker build -t shop/y\n",
     [(2, 2, "'docker build' line cannot be split into words (an unclosed quote?)"),
      (3, 2, "'docker build' line names no build context")]),
    ("build.sh", "docker build -t shop/x -f nowhere/Dockerfile .\n",
     [(1, 1, "the build uses {root}/nowhere/Dockerfile, which does not exist")]),
    ("build.sh", "mkdir -p x\ndocker build --target prod -t shop/x .\n",
     [(2, 1, "the build targets stage 'prod', which {root}/Dockerfile does not define")]),
])
def test_malformed_build_configs_are_findings_at_their_position(tmp_path, name, text, expected, monkeypatch):
    (tmp_path / "Dockerfile").write_text("FROM scratch\nCMD [\"/x\"]\n")
    (tmp_path / name).write_text(text)
    monkeypatch.chdir(tmp_path.parent)
    found = lint_paths([str(tmp_path)], select=["build-config-invalid"])
    root = tmp_path.name
    assert [(f.line, f.column, f.message) for f in found] == [
        (line, column, message.format(root=root)) for line, column, message in expected]
    assert all(f.file.endswith(name) for f in found)


def test_unreadable_build_script_is_listed_as_skipped_not_an_error(tmp_path):
    (tmp_path / "build.sh").write_bytes(b"\x00\x01binary")
    scan = scan_of(tmp_path)
    assert scan.parse_findings == [] and scan.build_files == []
    assert [reason.split(":")[0] for _, reason in scan.skipped_files] == ["build script not read"]


# --- kubelint images ---------------------------------------------------------------------------

def test_images_command_text(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES / "make-app" / "broken")
    assert main(["images", "."]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == [
        "images/app/Dockerfile:1:1: registry.example.com/shop/base:1.0 (FROM of stage #0): built from "
        "images/base/Dockerfile, linked by script Makefile:6",
        "images/base/Dockerfile:1:1: debian:12-slim (FROM of stage #0): not built here",
        "k8s/app.yaml:8:14: registry.example.com/shop/app:2.3.1 (Pod/app container 'app'): built from "
        "images/app/Dockerfile, linked by script Makefile:7",
    ]
    assert err == "kubelint: 3 image references, 2 built here\n"


def test_images_command_json(capsys, monkeypatch):
    monkeypatch.chdir(FIXTURES / "skaffold-app" / "broken")
    assert main(["images", ".", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    api = [r for r in data["references"] if r["kind"] == "container"]
    assert api == [{"file": "k8s/api.yaml", "line": 16, "column": 18, "image": "shop/api", "kind": "container",
                    "where": "Deployment/api container 'api'", "built_here": True,
                    "dockerfile": "api/Dockerfile", "stage": "runtime", "via": "skaffold",
                    "declared_at": "skaffold.yaml:7"}]
    assert data["build_config_problems"] == [{"file": "skaffold.yaml", "line": 12, "column": 16,
                                              "variant": "dockerfile-missing", "dockerfile": "admin/Dockerfile"}]


def test_images_command_missing_path(capsys):
    assert main(["images", "/nonexistent/dir"]) == 2
    assert "no such file or directory" in capsys.readouterr().err


# --- rule details ------------------------------------------------------------------------------

def pod(container: str, pod_extra: str = "") -> str:
    return ("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + pod_extra
            + "  containers:\n  - name: c\n    image: registry.example.com/app:1\n" + container)


def run_pair(tmp_path, dockerfile: str, manifest: str, rule: str, severity=None):
    (tmp_path / "app").mkdir(exist_ok=True)
    (tmp_path / "app" / "Dockerfile").write_text(dockerfile)
    (tmp_path / "pod.yaml").write_text(manifest)
    found = lint_paths([str(tmp_path)], select=[rule])
    return [(f.line, f.column, f.severity, f.message.split(": ")[0] if severity is None else f.message) for f in found]


def test_command_repeating_the_entrypoint_program_is_info(tmp_path):
    found = run_pair(tmp_path, 'FROM debian:12\nENTRYPOINT ["/usr/bin/tini", "--"]\n',
                     pod('    command: ["tini", "--", "/app", "--debug"]\n'), "image-entrypoint-replaced", True)
    assert [(line, col, sev) for line, col, sev, _ in found] == [(8, 5, "info")]
    assert "with the same program" in found[0][3]


def test_user_set_severity_wins_over_the_info_variant(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text('FROM debian:12\nENTRYPOINT ["/usr/bin/tini", "--"]\n')
    (tmp_path / "pod.yaml").write_text(pod('    command: ["tini", "--", "/app"]\n'))
    (tmp_path / "cfg.yaml").write_text("severity: {image-entrypoint-replaced: error}\n")
    code = main(["check", str(tmp_path), "--config", str(tmp_path / "cfg.yaml"), "--select",
                 "image-entrypoint-replaced", "--format", "json", "-q"])
    assert code == 1


@pytest.mark.parametrize("dockerfile,manifest,expected", [
    ("FROM debian:12\nUSER 0\n", pod("", "  securityContext: {runAsNonRoot: true}\n"),
     [(5, 35, "container 'c' must run as non-root, but its image registry.example.com/app:1, built from "
              "app/Dockerfile, runs as 0 (USER at app/Dockerfile:2) and no runAsUser is set")]),
    ("FROM debian:12\nUSER 0\n", pod("    securityContext: {runAsNonRoot: false}\n",
                                     "  securityContext: {runAsNonRoot: true}\n"), []),
    ("FROM debian:12\nUSER app\n", pod("", "  securityContext: {runAsNonRoot: true, runAsUser: 1000}\n"), []),
    ("FROM debian:12\nUSER 1000:1000\n", pod("    securityContext: {runAsNonRoot: true}\n"), []),
    ("FROM gcr.io/distroless/static:nonroot\n", pod("    securityContext: {runAsNonRoot: true}\n"), []),
    ("FROM ghcr.io/org/base:1\n", pod("    securityContext: {runAsNonRoot: true}\n"), []),  # unknown base
    ("FROM debian:12\nARG UID\nUSER $UID\n", pod("    securityContext: {runAsNonRoot: true}\n"), []),
])
def test_run_as_non_root_against_user(tmp_path, monkeypatch, dockerfile, manifest, expected):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(dockerfile)
    (tmp_path / "pod.yaml").write_text(manifest)
    found = lint_paths(["."], select=["image-runs-as-root"])
    assert [(f.line, f.column, f.message.split(": the kubelet")[0]) for f in found] == expected


@pytest.mark.parametrize("dockerfile,mounts,expected", [
    ("FROM debian:12\nVOLUME /data/db\n", ["/data"], []),
    ("FROM debian:12\nVOLUME /data/db\n", ["/data/db/x"], ["/data/db"]),
    ('FROM debian:12\nVOLUME ["/a", "/b"]\n', ["/b/"], ["/a"]),
    ("FROM debian:12\nARG D=/srv\nVOLUME $D\n", [], ["/srv"]),
])
def test_volume_mounted_at_or_above(tmp_path, dockerfile, mounts, expected):
    container = "".join(f"    - {{name: v{i}, mountPath: {m}}}\n" for i, m in enumerate(mounts))
    manifest = pod("    volumeMounts:\n" + container if mounts else "")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(dockerfile)
    (tmp_path / "pod.yaml").write_text(manifest)
    found = lint_paths([str(tmp_path)], select=["image-volume-unmounted"])
    assert [f.values["volume"] for f in found] == expected


@pytest.mark.parametrize("dockerfile,container,expected", [
    ('FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n',
     '    livenessProbe: {exec: {command: [/bin/sh, -c, "true"]}}\n', ["sh"]),
    ('FROM scratch\nCOPY --from=busybox:1.36 /bin/busybox /bin/sh\nENTRYPOINT ["/app"]\n',
     '    livenessProbe: {exec: {command: [sh, -c, "true"]}}\n', []),
    ('FROM gcr.io/distroless/base:debug\nENTRYPOINT ["/app"]\n',
     '    lifecycle: {preStop: {exec: {command: [sh, -c, "sleep 5"]}}}\n', []),
    ('FROM gcr.io/distroless/base\nENTRYPOINT ["/app"]\n',
     '    lifecycle: {preStop: {exec: {command: [sleep, "5"]}}}\n', ["sleep"]),
    ('FROM scratch\nCOPY app /app\n', '    args: [curl, localhost]\n', ["curl"]),
    ('FROM scratch\nCOPY app /app\nENTRYPOINT ["/app"]\n', '    args: [curl, localhost]\n', []),
    ('FROM scratch\nCOPY server /server\n', '    command: [/server]\n', []),  # own programs: not judged
])
def test_tools_missing_in_scratch_and_distroless(tmp_path, dockerfile, container, expected):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(dockerfile)
    (tmp_path / "pod.yaml").write_text(pod(container))
    found = lint_paths([str(tmp_path)], select=["image-missing-tool"])
    assert [f.values["tool"] for f in found] == expected


def test_healthcheck_none_clears_an_inherited_healthcheck_and_probe_text(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "Dockerfile").write_text(
        "FROM debian:12\nHEALTHCHECK --interval=1m30s --timeout=5s --start-period=10s --retries=5 CMD [\"/hc\"]\n")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text("FROM shop/base\n")
    (tmp_path / "pod.yaml").write_text(pod(""))
    found = lint_paths([str(tmp_path)], select=["image-healthcheck-ignored"])
    assert [f.values["probe"] for f in found] == [
        'livenessProbe: {exec: {command: ["/hc"]}, periodSeconds: 90, timeoutSeconds: 5, initialDelaySeconds: 10, '
        'failureThreshold: 5}']
    (tmp_path / "app" / "Dockerfile").write_text("FROM shop/base\nHEALTHCHECK NONE\n")
    assert lint_paths([str(tmp_path)], select=["image-healthcheck-ignored"]) == []


def test_config_images_mapping_end_to_end(tmp_path, capsys):
    (tmp_path / "build").mkdir()
    (tmp_path / "build" / "api.Dockerfile").write_text("FROM debian:12\nVOLUME /cache\n")
    (tmp_path / "pod.yaml").write_text(pod(""))
    (tmp_path / ".kubelint.yaml").write_text('images:\n  "*/app": {dockerfile: build/api.Dockerfile}\n')
    code = main(["check", str(tmp_path), "--config", str(tmp_path / ".kubelint.yaml"), "--select",
                 "image-volume-unmounted", "--format", "json", "-q"])
    findings = json.loads(capsys.readouterr().out)["findings"]
    assert code == 1 and [(f["rule"], f["line"], f["related"][0]["line"]) for f in findings] == [
        ("image-volume-unmounted", 6, 2)]
    (tmp_path / ".kubelint.yaml").write_text('images:\n  "*/app": build/nope.Dockerfile\n')
    assert main(["check", str(tmp_path), "--config", str(tmp_path / ".kubelint.yaml")]) == 2
    err = capsys.readouterr().err
    assert ".kubelint.yaml:2:12: images.*/app: no Dockerfile at build/nope.Dockerfile" in err


def test_healthcheck_fix_adds_the_equivalent_liveness_probe_only_with_unsafe_fixes(tmp_path, capsys):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(
        "FROM debian:12\nHEALTHCHECK --interval=1m30s --retries=5 CMD curl -f http://localhost/ || exit 1\n")
    manifest = pod("    ports: [{containerPort: 80}]  # web\n")
    (tmp_path / "pod.yaml").write_text(manifest)
    args = ["check", "--isolated", "--select", "image-healthcheck-ignored", "--no-progress", str(tmp_path)]
    main([*args, "--fix"])  # unsafe: --fix alone leaves it
    assert "[image-healthcheck-ignored]" in capsys.readouterr().out
    assert (tmp_path / "pod.yaml").read_text() == manifest
    main([*args, "--fix", "--unsafe-fixes"])
    assert "[image-healthcheck-ignored]" not in capsys.readouterr().out
    assert (tmp_path / "pod.yaml").read_text() == manifest + (
        "    livenessProbe:\n"
        "      exec:\n"
        "        command:\n"
        "        - /bin/sh\n"
        '        - "-c"\n'
        '        - "curl -f http://localhost/ || exit 1"\n'
        "      periodSeconds: 90\n"
        "      timeoutSeconds: 30\n"
        "      failureThreshold: 5\n")
    # A readiness probe of the user's own: nothing is reported, nothing is added.
    (tmp_path / "pod.yaml").write_text(pod("    readinessProbe: {tcpSocket: {port: 80}}\n"))
    main([*args, "--fix", "--unsafe-fixes"])
    assert "nothing to fix" in capsys.readouterr().err
    assert "livenessProbe" not in (tmp_path / "pod.yaml").read_text()
