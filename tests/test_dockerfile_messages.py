"""Dockerfile rule messages come from the rule files: every placeholder is one the rule's check
fills, the loader refuses one it does not, and the variants render the texts users read."""

from __future__ import annotations

import dataclasses

import pytest
from dockerfile_helpers import RULES_DIR, dockerfile_rules, lint

from kubelint.engine.engine import Engine
from kubelint.engine.loader import RuleFileError, load_rule_file
from kubelint.findings import Finding
from kubelint.parse.dockerfile import parse_dockerfile
from kubelint.parse.source import SourceFile
from kubelint.ruleapi.messages import DOCKERFILE_VALUES, placeholders
from kubelint.ruleapi.registry import check_for_rule
from kubelint.scan import Options, Scan


def family_rules():
    return [r for r in dockerfile_rules().values() if (r.check or "").startswith("dockerfile-")]


def test_every_dockerfile_rule_has_its_own_message():
    rules = family_rules()
    assert len(rules) == 60  # 56 + gem-unpinned, go-install-unpinned, env-self-reference, shellcheck
    for rule in rules:
        assert "message" in rule.raw, f"{rule.id} falls back to its summary"


def test_every_placeholder_is_one_the_check_fills():
    for rule in family_rules():
        spec = check_for_rule(rule.id)
        assert spec is not None and spec.name == rule.check
        fillable = spec.fills | DOCKERFILE_VALUES | {f"param.{name}" for name in rule.params}
        for template in (rule.message, *rule.messages.values()):
            missing = placeholders(template) - fillable
            assert not missing, f"{rule.id}: {sorted(missing)} not in the fills of {spec.name}"


def test_loader_refuses_a_placeholder_the_check_does_not_fill(tmp_path):
    text = (RULES_DIR / "cache-not-cleaned.yaml").read_text()
    assert "  npm: \"'npm {subcommand}' keeps" in text
    broken = tmp_path / "cache-not-cleaned.yaml"
    broken.write_text(text.replace("  npm: \"'npm {subcommand}' keeps", "  npm: \"'npm {subcomand}' keeps"))
    line = next(i for i, row in enumerate(broken.read_text().splitlines(), 1) if row.startswith("  npm:"))
    with pytest.raises(RuleFileError) as err:
        load_rule_file(broken, builtin=False, validate=True)
    message = str(err.value)
    assert message.startswith(f"{broken}:{line}:")
    assert "message placeholder '{subcomand}' is not filled by this rule" in message
    # The unchanged copy loads.
    ok = tmp_path / "ok" / "cache-not-cleaned.yaml"
    ok.parent.mkdir()
    ok.write_text(text)
    assert load_rule_file(ok, builtin=False, validate=True).messages["npm"].startswith("'npm {subcommand}'")


def rendered(text: str, rule: str) -> list[tuple[int, int, str | None, str]]:
    return [(f.line, f.column, f.variant, f.message) for f in lint(text, only=rule)]


def test_cache_not_cleaned_names_each_package_manager():
    text = ("FROM ubuntu:22.04\n"
            "RUN apt-get update && yum install -y httpd && zypper install -n foo\n"
            "RUN npm ci && pip install flask==2\n")
    assert rendered(text, "cache-not-cleaned") == [
        (2, 5, "apt-lists", "'apt-get update' leaves the package lists in /var/lib/apt/lists: "
                            "add '&& rm -rf /var/lib/apt/lists/*' to the same RUN"),
        (2, 23, None, "'yum install' leaves its cache in the layer: add '&& yum clean all' to the same RUN"),
        (2, 47, "zypper", "'zypper install' leaves its cache in the layer: add '&& zypper clean' to the same RUN"),
        (3, 5, "npm", "'npm ci' keeps its cache in ~/.npm: add '&& npm cache clean --force' to the same RUN"),
        (3, 15, "pip", "'pip install' keeps downloaded packages in ~/.cache/pip: add --no-cache-dir"),
    ]


def test_invalid_expose_port_tells_the_problems_apart():
    text = "FROM alpine:3.22\nEXPOSE 80 99999 90-80 53/icmp 8080:80 abc\n"
    assert rendered(text, "invalid-expose-port") == [
        (2, 11, "out-of-range", "EXPOSE 99999 is outside 1-65535"),
        (2, 17, "empty-range", "EXPOSE 90-80 is an empty range"),
        (2, 23, "protocol", "EXPOSE 53/icmp has protocol 'icmp' (tcp, udp or sctp)"),
        (2, 31, "host-mapping", "EXPOSE 8080:80 is not PORT, PORT/PROTOCOL or FIRST-LAST (EXPOSE takes container "
                                "ports; host mappings belong to `docker run -p`)"),
        (2, 39, None, "EXPOSE abc is not PORT, PORT/PROTOCOL or FIRST-LAST"),
    ]


def test_label_invalid_variants():
    text = ('FROM alpine:3.22\n'
            'LABEL Foo=bar com.docker.x=1 novalue org.opencontainers.image.created="yesterday" '
            'org.opencontainers.image.url="nope" org.opencontainers.image.version=""\n')
    assert rendered(text, "label-invalid") == [
        (2, 7, None, "label key 'Foo' is not lower-case letters, digits, dots and dashes (reverse-DNS style, "
                     "e.g. org.opencontainers.image.title)"),
        (2, 15, "reserved", "label key 'com.docker.x' uses a namespace reserved by Docker"),
        (2, 30, "no-value", "LABEL novalue has no value: write novalue=value"),
        (2, 38, "not-rfc3339", "label 'org.opencontainers.image.created' should be an RFC 3339 date-time, "
                               "not 'yesterday'"),
        (2, 83, "wrong-type", "label 'org.opencontainers.image.url' should be a url, not 'nope'"),
        (2, 119, "empty", "label 'org.opencontainers.image.version' is empty"),
    ]


def test_secrets_runtime_files_and_root_user_variants():
    text = ("FROM alpine:3.22 AS app\nCOPY id_rsa /root/\nARG NPM_TOKEN=abc\nENV API_KEY=xyz\n"
            "COPY hosts /etc/hosts\nRUN echo 1 > /etc/resolv.conf\nUSER root\n")
    assert rendered(text, "secret-in-layer") == [
        (2, 6, "file", "COPY of 'id_rsa' puts a secret file in a layer; it stays in the image history even if "
                       "deleted later: use RUN --mount=type=secret"),
        (3, 5, "arg-default", "ARG NPM_TOKEN has a default value: it is stored in the image config and history; "
                              "pass secrets with RUN --mount=type=secret"),
        (4, 5, None, "ENV API_KEY has a value: it is stored in the image config and history; pass secrets with "
                     "RUN --mount=type=secret"),
    ]
    assert rendered(text, "runtime-managed-file") == [
        (5, 12, "copy", "COPY to /etc/hosts is lost: the container runtime mounts its own /etc/hosts at start"),
        (6, 5, None, "writing /etc/resolv.conf at build time has no effect: the container runtime replaces it at "
                     "start; use --add-host/--dns (Docker) or hostAliases/dnsConfig (Kubernetes)"),
    ]
    assert rendered(text, "root-user") == [
        (7, 1, "last-user-root", "the final stage 'app' runs as root (USER root is the last USER): "
                                 "switch to a non-root user")]


def test_entrypoint_and_stage_variants():
    assert rendered("FROM alpine:3.22\nCMD [\"a\"]\nENTRYPOINT start\n", "cmd-ignored") == [
        (3, 1, "with-cmd", "shell-form ENTRYPOINT ignores CMD (line 2) and `docker run` arguments: use the exec "
                           "form ENTRYPOINT [\"...\"]")]
    assert rendered("FROM alpine:3.22\nENTRYPOINT start\n", "cmd-ignored") == [
        (2, 1, None, "shell-form ENTRYPOINT ignores `docker run` arguments: use the exec form ENTRYPOINT [\"...\"]")]
    text = ("FROM alpine:3.22\nCOPY --from=nope /a /b\nFROM alpine:3.22 AS two\nCOPY --from=later /a /b\n"
            "COPY --from=nope /a /b\nFROM alpine:3.22 AS later\n")
    assert rendered(text, "copy-from-unknown-stage") == [
        (2, 6, "no-earlier-stage", "COPY --from=nope names no earlier stage; Docker would pull an image called "
                                   "'nope' instead. Known stages: none"),
        (4, 6, "declared-later", "COPY --from=later refers to stage 'later' declared later (line 6): stages can "
                                 "only copy from earlier ones"),
        (5, 6, None, "COPY --from=nope names no earlier stage; Docker would pull an image called 'nope' "
                     "instead. Known stages: 0"),
    ]


def test_copy_from_its_own_index_is_copy_from_self():
    # Was reported as "refers to stage #0 ... declared later (line 1)": the stage is this one.
    text = "FROM alpine:3.22\nCOPY --from=0 /a /b\n"
    assert rendered(text, "copy-from-self") == [
        (2, 6, None, "COPY --from=0 refers to the stage it is in (#0 (FROM alpine:3.22)): a stage cannot copy "
                     "from itself")]
    assert rendered(text, "copy-from-unknown-stage") == []
    assert rendered("FROM alpine:3.22 AS a\nCOPY --from=a /a /b\n", "copy-from-self") == [
        (2, 6, None, "COPY --from=a refers to the stage it is in ('a'): a stage cannot copy from itself")]


def test_packages_and_scripts_variants():
    text = ("FROM ubuntu:22.04\nENV PIP_TRUSTED_HOST=pypi.org\n"
            "RUN pip install --trusted-host=x.org y==1 && pip install --trusted-host\n"
            "RUN zypper install foo && sed -i s/gpgcheck=1/gpgcheck=0/ /etc/yum.conf\n"
            "RUN curl -k https://x | bash && bash -c \"$(wget -O- https://z)\"\n")
    assert rendered(text, "pip-trusted-host") == [
        (2, 5, "env", "PIP_TRUSTED_HOST switches off TLS verification for that index: packages can be swapped "
                      "in transit"),
        (3, 17, None, "pip --trusted-host x.org switches off TLS verification for that index: packages can be "
                      "swapped in transit"),
        (3, 58, "no-host", "pip --trusted-host switches off TLS verification for that index: packages can be "
                           "swapped in transit"),
    ]
    assert rendered(text, "yum-no-y") == [
        (4, 5, "zypper", "'zypper install' without -n waits for a confirmation and fails the build")]
    assert rendered(text, "package-signature-disabled") == [
        (4, 34, "gpgcheck-off", "'s/gpgcheck=1/gpgcheck=0/' switches off package signature checks for the "
                                "repositories it touches")]
    assert rendered(text, "curl-pipe-shell") == [
        (5, 25, None, "'curl ... | bash' runs a downloaded script without verifying it: download to a file, "
                      "check its sha256, then run it"),
        (5, 33, "substitution", "'bash' runs a script fetched with curl/wget without verifying it: download to a "
                                "file, check its sha256, then run it"),
    ]


def test_findings_carry_instruction_and_stage():
    [f] = lint("FROM alpine:3.22 AS app\nRUN cd /tmp\n", only="cd-in-run")
    assert f.values["instruction"] == "RUN"
    assert f.values["stage"] == "app"
    assert f.values["stage_label"] == "'app'"


def run_with(rule_id: str, text: str, **changes) -> list[Finding]:
    rule = dataclasses.replace(dockerfile_rules()[rule_id], **changes)
    source = SourceFile("Dockerfile", "Dockerfile", text, "dockerfile")
    df, _ = parse_dockerfile(source)
    scan = Scan(options=Options())
    scan.sources.append(source)
    scan.dockerfiles.append(df)
    return list(Engine({rule_id: rule}).run(scan))


def test_the_rule_files_instructions_decide_what_is_reported():
    text = "FROM alpine:3.22\nCMD serve\nENTRYPOINT start\n"
    assert dockerfile_rules()["shell-form-cmd"].instructions == ["CMD", "ENTRYPOINT"]
    assert [f.line for f in run_with("shell-form-cmd", text)] == [2, 3]
    assert [f.line for f in run_with("shell-form-cmd", text, instructions=["ENTRYPOINT"])] == [3]
    dup = "FROM alpine:3.22\nCMD [\"a\"]\nCMD [\"b\"]\nENTRYPOINT [\"x\"]\nENTRYPOINT [\"y\"]\n"
    assert [(f.line, f.message) for f in run_with("multiple-cmd", dup)] == [
        (2, "CMD on line 2 has no effect: only the last CMD of a stage counts (line 3)")]
    assert [(f.line, f.message) for f in run_with("multiple-cmd", dup, instructions=["ENTRYPOINT"])] == [
        (4, "ENTRYPOINT on line 4 has no effect: only the last ENTRYPOINT of a stage counts (line 5)")]
