"""`--target` must name a stage: linting the last stage instead judges an image not built."""

from kubelint.cli import main

DOCKERFILE = "FROM golang:1.22 AS build\nRUN go build ./...\nFROM alpine:3.20\nCOPY --from=build /a /a\n"


def test_target_naming_no_stage_exits_2_listing_the_stages(tmp_path, capsys):
    path = tmp_path / "Dockerfile"
    path.write_text(DOCKERFILE)
    code = main(["check", "--isolated", "--format", "plain", "--target", "prod", str(path)])
    captured = capsys.readouterr()
    assert code == 2
    assert captured.out == ""
    assert captured.err.strip() == (f"kubelint: error: --target prod: no stage of that name "
                                    f"(stages: {path}: 'build', #1 (FROM alpine:3.20))")


def test_target_naming_a_stage_lints_that_stage(tmp_path, capsys):
    path = tmp_path / "Dockerfile"
    path.write_text(DOCKERFILE)
    code = main(["check", "--isolated", "--format", "plain", "--select", "root-user", "--target", "BUILD", str(path)])
    out = capsys.readouterr().out
    assert code == 1
    assert out.splitlines()[0] == (f"{path}:1:1: warning [root-user] the final stage 'build' "
                                   "has no USER instruction, so the container runs as root: add USER with a non-root user")
