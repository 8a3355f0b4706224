"""Dockerfile rules on purpose-built inputs: ids, positions and messages, stage awareness."""

from __future__ import annotations

from dockerfile_helpers import brief, lint, lint_file


def one(text, rule, **kw):
    return [(f.line, f.column, f.message) for f in lint(text, only=rule, **kw)]


def test_builder_stages_are_not_held_to_final_image_rules():
    text = ("FROM golang:1.26 AS build\nRUN apt-get update && apt-get install -y --no-install-recommends git\n"
            "FROM gcr.io/distroless/static-debian12\nUSER 65532\nCOPY --from=build /go/bin/app /app\n")
    found = brief(lint(text))
    assert ("root-user", 1, 1) not in found  # the build stage runs as root, and that is fine
    assert not [f for f in found if f[0] == "cache-not-cleaned"]  # its apt lists never reach the image
    assert ("missing-healthcheck", 3, 1) in found


def test_root_user_follows_the_from_chain_and_target():
    text = "FROM alpine:3.22 AS base\nUSER 10001\nFROM base AS app\nRUN id\nFROM alpine:3.22 AS debug\n"
    assert one(text, "root-user", target="app") == []
    assert one(text, "root-user") == [
        (5, 1, "the final stage 'debug' has no USER instruction, so the container runs as root: "
               "add USER with a non-root user")]
    assert one("FROM alpine:3.22\nUSER app\nUSER root:root\n", "root-user") == [
        (3, 1, "the final stage #0 (FROM alpine:3.22) runs as root (USER root:root is the last USER): switch to a non-root user")]


def test_cmd_and_entrypoint_semantics():
    text = ('FROM debian:bookworm-slim\nCMD ["a"]\nCMD server --port 80\n'
            'ENTRYPOINT ["/bin/tini", "--"]\n')
    found = lint(text)
    assert brief(found, "multiple-cmd") == [("multiple-cmd", 2, 1)]
    assert brief(found, "shell-form-cmd") == [("shell-form-cmd", 3, 1)]
    mismatch = [f for f in found if f.rule == "entrypoint-cmd-mismatch"]
    assert [(f.line, f.column, f.severity) for f in mismatch] == [(3, 1, "error")]
    assert mismatch[0].message == ("exec-form ENTRYPOINT (line 4) receives this shell-form CMD as the "
                                   "arguments '/bin/sh' '-c' 'server --port 80': write CMD as a JSON array")
    ignored = one('FROM alpine:3.22\nCMD ["--verbose"]\nENTRYPOINT /app/run\n', "cmd-ignored")
    assert ignored == [(3, 1, "shell-form ENTRYPOINT ignores CMD (line 2) and `docker run` arguments: "
                              "use the exec form ENTRYPOINT [\"...\"]")]


def test_cmd_in_build_stage_spares_stages_the_final_one_is_built_from():
    text = ("FROM node:22 AS base\nEXPOSE 3000\nCMD [\"node\", \"server.js\"]\n"
            "FROM node:22 AS assets\nHEALTHCHECK NONE\nFROM base\nCOPY --from=assets /a /a\n")
    assert one(text, "cmd-in-build-stage") == [
        (5, 1, "HEALTHCHECK in build stage 'assets' has no effect: the image is built from stage #2")]


def test_base_image_rules_resolve_args_and_skip_stages():
    text = "ARG TAG=latest\nFROM node:${TAG} AS web\nFROM web\nFROM scratch\nFROM $UNSET\n"
    assert one(text, "base-image-untagged") == [
        (2, 6, "base image 'node:latest' uses the mutable 'latest' tag: pin a version tag")]
    # untrusted-registry judges only against a list the user gives; with none it says nothing.
    assert one("FROM registry.example.net/base:1\n", "untrusted-registry") == []
    allowed = {"untrusted-registry": {"allowed": ["docker.io", "*.pkg.dev", "ghcr.io"]}}
    assert one("FROM registry.example.net/base:1\n", "untrusted-registry", params=allowed) == [
        (1, 6, "base image 'registry.example.net/base:1' comes from registry 'registry.example.net', which is "
               "not in the allowed list (docker.io, *.pkg.dev, ghcr.io)")]
    assert one("FROM europe-docker.pkg.dev/p/r/img:1\n", "untrusted-registry", params=allowed) == []
    assert one("FROM python:3.12\n", "untrusted-registry", params=allowed) == []


def test_base_image_eol_table_and_as_of():
    found = brief(lint("FROM python:3.12-alpine3.17\nFROM node:22\nFROM centos\nFROM openjdk:21\n",
                       only="base-image-eol"))
    assert found == [("base-image-eol", 1, 6), ("base-image-eol", 3, 6), ("base-image-eol", 4, 6)]
    messages = [m for _, _, m in one("FROM ubuntu:18.04\n", "base-image-eol")]
    assert messages == ["base image 'ubuntu:18.04' is end-of-life: Ubuntu 18.04 (end of support 2023-05-31); "
                        "move to a supported version"]


def test_layer_delete_and_cache_cleaning():
    text = ("FROM debian:bookworm-slim\nWORKDIR /opt\nCOPY vendor/ ./vendor/\n"
            "RUN apt-get update && apt-get install -y --no-install-recommends make\n"
            "RUN make -C vendor && rm -rf vendor /var/lib/apt/lists/*\n")
    found = lint(text)
    assert [(f.line, f.column, f.message) for f in found if f.rule == "layer-delete"] == [
        (5, 30, "'rm vendor' deletes files added by COPY on line 3: the earlier layer keeps them and the "
                "image does not shrink"),
        (5, 37, "'rm /var/lib/apt/lists/*' deletes files added by RUN on line 4: the earlier layer keeps "
                "them and the image does not shrink")]
    assert brief(found, "cache-not-cleaned") == [("cache-not-cleaned", 4, 5)]


def test_secret_in_layer():
    text = ("FROM alpine:3.22\nARG NPM_TOKEN\nARG GITHUB_TOKEN=ghp_x\nCOPY id_rsa /root/.ssh/id_rsa\n"
            "ENV API_KEY_FILE=/run/secrets/key GPG_KEY=0xABCDEF\n")
    assert one(text, "secret-in-layer") == [
        # Without a default the value comes from --build-arg and lands in the RUN history (DL3064).
        (2, 5, "ARG NPM_TOKEN passes a secret as a build argument: the value given with --build-arg is "
               "recorded in the image history of every RUN that uses it; pass secrets with RUN --mount=type=secret"),
        (3, 5, "ARG GITHUB_TOKEN has a default value: it is stored in the image config and history; "
               "pass secrets with RUN --mount=type=secret"),
        (4, 6, "COPY of 'id_rsa' puts a secret file in a layer; it stays in the image history even if "
               "deleted later: use RUN --mount=type=secret")]


def test_runtime_managed_files():
    text = ("FROM alpine:3.22\nRUN echo '1.1.1.1' > /etc/resolv.conf && sed -i s/a/b/ /etc/hosts "
            "&& cat /etc/hosts\n")
    assert [(l, c) for l, c, _ in one(text, "runtime-managed-file")] == [(2, 5), (2, 56)]


def test_copy_from_rules():
    text = ("FROM alpine:3.22 AS a\nCOPY --from=b /x /x\nCOPY --from=a /y /y\nFROM alpine:3.22 AS b\n"
            "COPY --from=0 /z /z\nCOPY --from=7 /z /z\nCOPY --from=nginx:1.27 /etc/nginx /etc/nginx\n")
    found = lint(text)
    assert [(f.line, f.column, f.message) for f in found if f.rule == "copy-from-unknown-stage"] == [
        (2, 6, "COPY --from=b refers to stage 'b' declared later (line 4): stages can only copy from earlier ones"),
        (6, 6, "COPY --from=7 names no earlier stage; Docker would pull an image called '7' instead. "
               "Known stages: a")]
    assert brief(found, "copy-from-self") == [("copy-from-self", 3, 6)]


def test_run_command_rules_see_commands_not_text():
    text = ('FROM debian:bookworm-slim\n'
            'RUN echo "apt-get install curl | sh" && grep -r "sudo" /etc\n'
            'RUN env DEBIAN_FRONTEND=noninteractive apt-get install -qq --no-install-recommends tzdata=2024a-1 '
            '&& rm -rf /var/lib/apt/lists/*\n')
    rules = {f.rule for f in lint(text)}
    assert not rules & {"apt-get-no-y", "curl-pipe-shell", "sudo-in-run", "pipefail", "apt-get-unpinned",
                        "apt-get-recommends", "cache-not-cleaned"}


def test_pipefail_respects_shell_and_set():
    assert one("FROM debian:12\nRUN set -o pipefail && a | b\n", "pipefail") == []
    assert one('FROM debian:12\nSHELL ["/bin/bash", "-eo", "pipefail", "-c"]\nRUN a | b\n', "pipefail") == []
    assert one('FROM alpine:3.22\nSHELL ["/bin/ash", "-c"]\nRUN a | b\n', "pipefail") == []
    assert [(l, c) for l, c, _ in one("FROM debian:12\nRUN a | b && set -o pipefail\n", "pipefail")] == [(2, 1)]


def test_chmod_and_sudo_and_tls():
    text = ("FROM alpine:3.22\nRUN chmod 1777 /tmp && chmod o+w /srv && chmod 0755 /bin/x\n"
            "RUN sudo -u app make\nRUN wget --no-check-certificate https://e.x/f && git config --global "
            "http.sslVerify false\n")
    found = lint(text)
    assert brief(found, "chmod-777") == [("chmod-777", 2, 30)]
    assert brief(found, "sudo-in-run") == [("sudo-in-run", 3, 5)]
    assert brief(found, "tls-verification-disabled") == [
        ("tls-verification-disabled", 4, 10), ("tls-verification-disabled", 4, 70)]


def test_expose_and_labels():
    assert [(l, c) for l, c, _ in one("FROM a:1\nEXPOSE 80 0 65536 53/udp 8080/http 9000-8000 ${P}\n",
                                      "invalid-expose-port")] == [(2, 11), (2, 13), (2, 26), (2, 36)]
    found = one('FROM a:1\nLABEL com.docker.x=1 org.opencontainers.image.created=yesterday '
                'org.opencontainers.image.revision=0a1b2c3d\n', "label-invalid")
    assert found == [
        (2, 7, "label key 'com.docker.x' uses a namespace reserved by Docker"),
        (2, 22, "label 'org.opencontainers.image.created' should be an RFC 3339 date-time, not 'yesterday'")]


def test_fixture_findings_with_positions():
    found = brief(lint_file("continuation.Dockerfile"))
    assert ("curl-pipe-shell", 9, 50) in found and ("pipefail", 2, 1) in found
    assert ("cache-not-cleaned", 2, 5) in found and ("root-user", 1, 1) not in found
    found = brief(lint_file("powershell.Dockerfile"))
    assert not {r for r, _, _ in found} & {"cd-in-run", "pipefail", "shell-form-cmd", "relative-workdir", "root-user"}
    found = brief(lint_file("onbuild.Dockerfile"))
    assert ("onbuild-in-final", 3, 1) in found and ("sudo-in-run", 4, 13) in found
    found = brief(lint_file("multistage.Dockerfile"))
    assert ("cmd-in-build-stage", 11, 1) in found and ("copy-from-unknown-stage", 18, 6) in found
    assert ("root-user", 16, 1) not in found and ("base-image-eol", 5, 32) not in found


def test_hadolint_pragma_comments_are_exposed_for_suppression():
    from kubelint.parse.dockerfile import pragma_suppressions, parse_dockerfile
    from kubelint.parse.source import SourceFile
    from dockerfile_helpers import FIXTURES, dockerfile_rules
    path = FIXTURES / "pragmas.Dockerfile"
    df, _ = parse_dockerfile(SourceFile(str(path), "p", path.read_text(), "dockerfile"))
    aliases = {rid: r.aliases for rid, r in dockerfile_rules().items()}
    assert pragma_suppressions(df, aliases) == [
        (1, 7, frozenset({"consecutive-run"})), (4, 5, frozenset({"apt-get-unpinned", "apt-get-recommends"}))]


def test_every_check_survives_mangled_dockerfiles():
    """Truncated, shuffled and spliced real Dockerfiles: findings or nothing, never an exception."""
    import random
    from pathlib import Path
    from dockerfile_helpers import ROOT
    rng = random.Random(11)
    corpus = [p.read_text() for p in sorted((ROOT / "benchmarks" / "dockerfiles").glob("*"))]
    corpus += [p.read_bytes().decode("utf-8-sig") for p in sorted(Path(__file__).parent.glob("fixtures/dockerfile/*"))]
    for _ in range(150):
        lines = rng.choice(corpus).splitlines(keepends=True)
        op = rng.randrange(4)
        if op == 0:
            lines = lines[: rng.randrange(len(lines) + 1)]
        elif op == 1:
            rng.shuffle(lines)
        elif op == 2:
            lines += rng.choice(corpus).splitlines(keepends=True)[rng.randrange(3):]
        else:
            text = "".join(lines)
            cut = rng.randrange(len(text) + 1)
            lines = [text[:cut] + rng.choice(["\\", "<<EOF", "[", '"', "$(", "--from=", "\n"]) + text[cut:]]
        for f in lint("".join(lines)):
            assert f.line >= 1 and f.column >= 1 and f.message


def test_one_cache_finding_per_tool_and_run_and_gpgcheck_off():
    text = ("FROM rockylinux:9\nRUN dnf install -y epel-release && dnf install -y nginx-1.20.1 "
            "&& sed -i 's/gpgcheck=1/gpgcheck=0/' /etc/yum.repos.d/epel.repo\n")
    found = lint(text)
    assert brief(found, "cache-not-cleaned") == [("cache-not-cleaned", 2, 5)]
    assert [(f.line, f.column, f.message) for f in found if f.rule == "package-signature-disabled"] == [
        (2, 74, "'s/gpgcheck=1/gpgcheck=0/' switches off package signature checks for the repositories it touches")]


def test_onbuild_in_final_follows_target():
    text = "FROM alpine:3.22 AS base\nONBUILD RUN echo hi\nFROM alpine:3.22 AS app\n"
    assert one(text, "onbuild-in-final") == []
    assert one(text, "onbuild-in-final", target="base") == [
        (2, 1, "ONBUILD RUN in the final image: the trigger runs later in every build FROM this image, "
               "where readers do not see it")]


def test_label_legacy_key_space_value_form_is_one_label():
    # BuildKit reads `LABEL key value` like ENV's legacy form: one label, the rest is its value.
    text = 'FROM alpine:3.22\nLABEL maintainer "Jess <j@example.com>"\nLABEL onlykey\nLABEL a=1 b\n'
    assert one(text, "label-invalid") == [(3, 7, "LABEL onlykey has no value: write onlykey=value"),
                                          (4, 11, "LABEL b has no value: write b=value")]
