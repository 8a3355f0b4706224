"""hadolint's verdicts (issue 13), case by case: ONBUILD triggers, package managers, words,
layers, secrets and the smaller gaps. Each case asserts the rule id and the line (and column where
the place matters); the must-not-fire cases are next to the must-fire ones."""

from __future__ import annotations

import pytest
from dockerfile_helpers import brief, lint


def lines(text, rule, **kw):
    return [f.line for f in lint(text, only=rule, **kw)]


# -- ONBUILD ---------------------------------------------------------------------------------
def test_onbuild_run_is_checked_like_a_run_in_the_stage_that_declares_it():
    text = ("FROM python:3.12-slim\nONBUILD RUN pip install -r requirements.txt\n"
            "ONBUILD RUN apk add curl\nONBUILD ARG NPM_TOKEN\nONBUILD ADD app.py /app/\n")
    found = brief(lint(text, only=("cache-not-cleaned", "apk-no-cache", "secret-in-layer", "add-instead-of-copy")))
    assert found == [("cache-not-cleaned", 2, 13), ("apk-no-cache", 3, 13), ("secret-in-layer", 4, 13),
                     ("add-instead-of-copy", 5, 9)]


# -- package managers ------------------------------------------------------------------------
@pytest.mark.parametrize("run, expected", [
    ("apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*", []),
    # a cleanup before the install does not clean what the install downloads
    ("rm -rf /var/lib/apt/lists/* && apt-get update && apt-get install -y --no-install-recommends curl", [2]),
    ("dnf in -y httpd", [2]),
    ("dnf clean all && dnf in -y httpd", [2]),
    ("dnf in -y httpd && dnf clean all", []),
    ("zypper in -y curl && zypper clean -a", []),
    ("zypper in -y curl", [2]),
])
def test_cache_cleanup_counts_only_after_the_install(run, expected):
    assert lines(f"FROM debian:bookworm-slim\nRUN {run}\n", "cache-not-cleaned") == expected


@pytest.mark.parametrize("flags, expected", [
    ("--mount=type=cache,target=/root/.cache/pip", []),
    ("--mount=type=tmpfs,target=/root/.cache", []),
    ("--mount=type=cache,target=/var/cache/apt", [2]),  # some other manager's cache
    ("--mount=type=bind,target=/root/.cache/pip", [2]),  # a bind mount is no cache
])
def test_cache_mounts_count_only_on_the_managers_directory(flags, expected):
    text = f"FROM python:3.12-slim\nRUN {flags} pip install -r requirements.txt\n"
    assert lines(text, "cache-not-cleaned") == expected


def test_pip_no_cache_dir_from_env_and_export():
    assert lines("FROM python:3.12-slim\nENV PIP_NO_CACHE_DIR=1\nRUN pip install flask==3.0.0\n",
                 "cache-not-cleaned") == []
    assert lines("FROM python:3.12-slim\nRUN export PIP_NO_CACHE_DIR=1 && pip install flask==3.0.0\n",
                 "cache-not-cleaned") == []
    assert lines("FROM python:3.12-slim\nRUN pip install flask==3.0.0 && export PIP_NO_CACHE_DIR=1\n",
                 "cache-not-cleaned") == [2]


def test_option_values_are_not_packages():
    assert lines("FROM node:22\nRUN npm install --loglevel verbose express@4.19.2\n", "npm-unpinned") == []
    assert lines("FROM python:3.12\nRUN pip install --root-user-action ignore flask==3.0.0\n", "pip-unpinned") == []
    assert brief(lint("FROM node:22\nRUN npm install --loglevel verbose express\n", only="npm-unpinned")) == [
        ("npm-unpinned", 2, 36)]


@pytest.mark.parametrize("spec, unpinned", [
    ("./vendor/lib", False), ("/tmp/pkg.tgz", False), ("https://example.com/pkg-1.0.tgz", False),
    ("file:../lib", False), ("git+https://github.com/org/repo.git", True),
    ("git+https://github.com/org/repo.git#4f2a9c1", False), ("github:org/repo", True),
    ("org/repo#v1.2.0", False), ("org/repo#main", True), ("@scope/pkg", True), ("@scope/pkg@1.2.3", False),
])
def test_npm_local_paths_tarballs_and_git_refs(spec, unpinned):
    found = lines(f"FROM node:22\nRUN npm install {spec}\n", "npm-unpinned")
    assert found == ([2] if unpinned else [])


@pytest.mark.parametrize("spec, unpinned", [
    ("./src", False), ("dist/app-1.0-py3-none-any.whl", False), ("https://example.com/app-1.0.tar.gz", False),
    ("git+https://github.com/org/repo.git", True), ("git+https://github.com/org/repo.git@v1.4.2", False),
    ("git+ssh://git@github.com/org/repo.git", True), ("git+ssh://git@github.com/org/repo.git@9fceb02", False),
    ("app @ git+https://github.com/org/repo.git", True),
])
def test_pip_local_paths_tarballs_and_git_refs(spec, unpinned):
    found = lines(f"FROM python:3.12\nRUN pip install --no-cache-dir {spec}\n", "pip-unpinned")
    assert found == ([2] if unpinned else [])


def test_go_gem_and_zypper_pinning():
    text = ("FROM golang:1.26\nRUN go install example.com/tool@latest\nRUN go install example.com/tool@v1.2.3\n"
            "RUN go install example.com/other\nRUN go install ./cmd/...\n")
    assert brief(lint(text, only="go-install-unpinned")) == [("go-install-unpinned", 2, 16),
                                                             ("go-install-unpinned", 4, 16)]
    text = ("FROM ruby:3.3\nRUN gem install bundler:2.5.6 rake\nRUN gem install rails -v 7.1.3\n"
            "RUN gem install ./vendor/x.gem\n")
    assert brief(lint(text, only="gem-unpinned")) == [("gem-unpinned", 2, 31)]
    text = "FROM opensuse/leap:15.6\nRUN zypper in -y curl vim=9.1 && zypper clean -a\n"
    found = lint(text, only="yum-unpinned")
    assert [(f.line, f.column, f.message) for f in found] == [
        (2, 18, "'zypper install curl' is not pinned: write curl=<version> so rebuilds install the same thing")]
    assert brief(lint("FROM opensuse/leap:15.6\nRUN zypper dup -y\n", only="apt-get-upgrade")) == [
        ("apt-get-upgrade", 2, 5)]


def test_apk_update_alone_and_no_network():
    assert lines("FROM alpine:3.22\nRUN apk update\nRUN apk add --no-cache curl\n", "apt-get-update-alone") == [2]
    assert lines("FROM alpine:3.22\nRUN apk update && apk add curl\n", "apt-get-update-alone") == []
    assert lines("FROM alpine:3.22\nRUN apk add --no-network /tmp/pkg.apk\n", "apk-no-cache") == []
    assert lines("FROM alpine:3.22\nRUN --mount=type=cache,target=/var/cache/apk apk add curl\n",
                 "apk-no-cache") == []
    assert lines("FROM alpine:3.22\nRUN rm -rf /var/cache/apk/* && apk add curl\n", "apk-no-cache") == [2]


# -- words -----------------------------------------------------------------------------------
def test_quoted_and_windows_paths_are_absolute():
    assert lines('FROM alpine:3.22\nWORKDIR "/src"\nWORKDIR \'/srv\'\nWORKDIR "src"\n', "relative-workdir") == [4]
    assert lines("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nWORKDIR C:\\\\app\n", "relative-workdir") == []


def test_scratch_starts_in_root_and_dot_is_a_directory():
    assert lines("FROM scratch\nCOPY app app\n", "copy-relative-dest-no-workdir") == []
    assert lines("FROM alpine:3.22\nCOPY app app\n", "copy-relative-dest-no-workdir") == [2]
    text = "FROM alpine:3.22\nWORKDIR /app\nCOPY a b .\nCOPY a b ./\nCOPY a b ..\nCOPY a b dest\n"
    assert lines(text, "copy-dest-not-dir") == [6]


def test_shell_test_command_is_not_a_broken_exec_form():
    text = "FROM alpine:3.22\nRUN [ -z \"$X\" ] || echo set\nRUN [[ -f /etc/os-release ]]\nCMD ['sh', 'x']\n"
    assert lines(text, "exec-form-invalid-json") == [4]


def test_escaped_backslash_at_line_end_does_not_continue():
    text = ("# escape=\\\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN mkdir C:\\\\app\\\\\n"
            "WORKDIR C:\\\\app\nRUN echo a \\\n    b\n")
    found = lint(text)
    assert not [f for f in found if f.rule == "dockerfile-syntax"]
    assert lines(text, "relative-workdir") == []
    from kubelint.parse.dockerfile import parse_dockerfile
    from kubelint.parse.source import SourceFile
    df, _ = parse_dockerfile(SourceFile("Dockerfile", "Dockerfile", text, "dockerfile"))
    assert [(i.name, i.line, i.end_line) for i in df.instructions] == [
        ("FROM", 2, 2), ("RUN", 3, 3), ("WORKDIR", 4, 4), ("RUN", 5, 6)]
    assert df.instructions[1].value == "mkdir C:\\\\app\\\\"


# -- layers ----------------------------------------------------------------------------------
def test_combined_short_options_name_the_downloaded_file():
    text = ("FROM debian:bookworm-slim\nRUN curl -fsSLo /tmp/x.tgz https://example.com/x.tgz\n"
            "RUN wget -qO /tmp/y.tgz https://example.com/y.tgz\nRUN rm /tmp/x.tgz /tmp/y.tgz\n")
    assert brief(lint(text, only="layer-delete")) == [("layer-delete", 4, 8), ("layer-delete", 4, 19)]


def test_a_run_that_removes_what_it_created_itself_is_not_a_layer_delete():
    run = "RUN apt-get update && apt-get install -y --no-install-recommends {} && rm -rf /var/lib/apt/lists/*\n"
    text = "FROM debian:bookworm-slim\n" + run.format("curl") + run.format("git")
    assert lines(text, "layer-delete") == []
    # ... but one that removes what an earlier RUN left behind is
    text = ("FROM debian:bookworm-slim\nRUN apt-get update && apt-get install -y curl\n"
            + run.format("git"))
    assert lines(text, "layer-delete") == [3]


# -- secrets ---------------------------------------------------------------------------------
def test_downloaded_public_keys_are_not_secrets_and_credential_args_are():
    text = ("FROM debian:bookworm-slim\nADD https://example.com/release.key /etc/apt/keyrings/release.asc\n"
            "COPY signing.key /etc/keys/\nARG AWS_SECRET_ACCESS_KEY\nARG AWS_SECRET_ACCESS_KEY_FILE\n")
    assert brief(lint(text, only="secret-in-layer")) == [("secret-in-layer", 3, 6), ("secret-in-layer", 4, 5)]


# -- misc ------------------------------------------------------------------------------------
def test_dockerignore_is_searched_up_to_the_repository_root(tmp_path):
    repo = tmp_path / "repo"
    app = repo / "services" / "api"
    app.mkdir(parents=True)
    (repo / ".git").mkdir()
    dockerfile = app / "Dockerfile"
    dockerfile.write_text("FROM node:22\nWORKDIR /app\nCOPY . .\n")
    text = dockerfile.read_text()
    found = lint(text, path=str(dockerfile), only="copy-all-no-dockerignore")
    assert [f.line for f in found] == [3]
    assert str(app) in found[0].message and str(repo) in found[0].message
    (repo / ".dockerignore").write_text(".git\n")  # `docker build -f services/api/Dockerfile .`
    assert lint(text, path=str(dockerfile), only="copy-all-no-dockerignore") == []


def test_env_legacy_form_and_self_reference():
    text = "FROM alpine:3.22\nENV A /opt\nENV B=/srv C=$B/bin\nENV PATH=$PATH:/x D=1\nLABEL x y\n"
    assert lines(text, "env-legacy-format") == [2, 5]
    found = lint(text, only="env-self-reference")
    assert [(f.line, f.column, f.message) for f in found] == [
        (3, 12, "ENV C uses $B, which this same ENV sets: every substitution in one ENV sees the values "
                "from before it, so $B is empty here")]


def test_copy_from_an_image_must_be_pinned():
    text = ("FROM alpine:3.22 AS build\nFROM alpine:3.22\nCOPY --from=build /a /a\n"
            "COPY --from=gcr.io/distroless/base /b /b\nCOPY --from=nginx:latest /c /c\n"
            "COPY --from=nginx:1.27 /d /d\n")
    found = lint(text, only="base-image-untagged")
    assert [(f.line, f.column) for f in found] == [(4, 6), (5, 6)]
    assert found[1].message == ("COPY --from image 'nginx:latest' uses the mutable 'latest' tag: "
                                "pin a version tag or digest")


def test_tls_checks_cover_goinsecure_and_repo_sslverify():
    text = ("FROM rockylinux:9\nENV GOINSECURE=example.com\n"
            "RUN dnf config-manager --setopt=*.sslverify=0 --save\n")
    assert brief(lint(text, only="tls-verification-disabled")) == [
        ("tls-verification-disabled", 2, 5), ("tls-verification-disabled", 3, 24)]


# -- found on the corpus (benchmarks/dockerfile_vs_hadolint.py) ------------------------------
def test_apt_dist_clean_and_yarn_version_and_go_get():
    text = ("FROM debian:trixie-slim\n"
            "RUN apt-get update; apt-get install -y --no-install-recommends gnupg; apt-get dist-clean\n")
    assert lines(text, "cache-not-cleaned") == []
    assert lines("FROM node:22\nRUN curl -fsSLO https://x/yarn.tgz && yarn --version\n", "cache-not-cleaned") == []
    assert lines("FROM golang:1.26\nRUN go get golang.org/x/lint/golint\n", "go-install-unpinned") == [2]


def test_package_lists_in_a_variable_of_the_same_script():
    text = ("FROM debian:bookworm-slim\nRUN buildDeps='ca-certificates git=1:2.39.5-0+deb12u1' set -x \\\n"
            "    && apt-get update && apt-get install -y --no-install-recommends $buildDeps \\\n"
            "    && rm -rf /var/lib/apt/lists/*\n")
    found = lint(text, only="apt-get-unpinned")
    assert [(f.line, f.column, f.message.split(":")[0]) for f in found] == [
        (3, 69, "package 'ca-certificates' is not pinned")]
    assert lines("FROM alpine:3.22\nRUN DEPS='curl jq=1.7.1-r0' && apk add --no-cache $DEPS\n", "apk-unpinned") == [2]


def test_case_patterns_are_no_pipes_and_substitutions_are():
    text = ("FROM debian:bookworm-slim\nRUN case \"$(uname -m)\" in x86_64|aarch64) echo ok ;; *) exit 1 ;; esac\n"
            "RUN deps=\"$(scanelf --needed /usr/local/bin/x | tr ',' '\\n' | sort -u)\" && echo \"$deps\"\n"
            "RUN cd `ls -1F | grep '^php5-.*/$'` && make\n")
    assert brief(lint(text, only="pipefail")) == [("pipefail", 3, 1), ("pipefail", 4, 1)]


# -- found in the corpus review (tests/data/dockerfile_findings_review.txt) -------------------
def test_simulated_installs_background_jobs_and_temporary_directories():
    text = "FROM debian:bookworm-slim\nRUN if apt-get install -s postgresql-jit > /dev/null 2>&1; then echo y; fi\n"
    assert lines(text, "apt-get-no-y") == []
    assert lines("FROM debian:bookworm-slim\nRUN apt-get -f install\n", "apt-get-no-y") == [2]
    text = "FROM debian:bookworm-slim\nRUN browsh & pid=$!; sleep 10; kill $pid || true\nRUN kill 1\n"
    assert lines(text, "run-pointless-command") == [3]
    text = ("FROM debian:bookworm-slim\nRUN tmp=\"$(mktemp -d)\" && chmod 777 \"$tmp\" && make -C \"$tmp\" "
            "&& rm -rf \"$tmp\"\nRUN chmod 777 /data\n")
    assert lines(text, "chmod-777") == [3]
