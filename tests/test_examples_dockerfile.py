"""The notes' Dockerfile (examples/Dockerfile): the findings the project promises for it."""

from __future__ import annotations

from dockerfile_helpers import lint

NOTES_DOCKERFILE = """\
FROM python:2.7-slim
WORKDIR /app
ADD . /app
RUN pip install --trusted-host pypi.python.org -r requirements.txt
EXPOSE 80
ENV NAME World
CMD ["python", "app.py"]
"""


def test_notes_dockerfile(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(NOTES_DOCKERFILE)
    findings = {(f.rule, f.line, f.column): f for f in lint(NOTES_DOCKERFILE, path=str(path))}
    assert findings[("base-image-eol", 1, 6)].message == (
        "base image 'python:2.7-slim' is end-of-life: Python 2 (end of support 2020-01-01); "
        "move to a supported version")
    assert findings[("add-instead-of-copy", 3, 1)].message.startswith("ADD of local files (.): use COPY")
    assert findings[("pip-trusted-host", 4, 17)].message == (
        "pip --trusted-host pypi.python.org switches off TLS verification for that index: "
        "packages can be swapped in transit")
    assert findings[("cache-not-cleaned", 4, 5)].message == (
        "'pip install' keeps downloaded packages in ~/.cache/pip: add --no-cache-dir")
    assert findings[("root-user", 1, 1)].message == (
        "the final stage #0 (FROM python:2.7-slim) has no USER instruction, so the container runs as root: "
        "add USER with a non-root user")
    assert findings[("copy-all-no-dockerignore", 3, 5)].severity == "info"
    assert findings[("pip-trusted-host", 4, 17)].severity == "warning"
    # Nothing about the parts that are fine: exec-form CMD, absolute WORKDIR, valid EXPOSE.
    rules = {r for r, _, _ in findings}
    assert not rules & {"shell-form-cmd", "relative-workdir", "invalid-expose-port", "dockerfile-syntax"}


def test_dockerignore_beside_the_dockerfile_silences_copy_all(tmp_path):
    path = tmp_path / "Dockerfile"
    path.write_text(NOTES_DOCKERFILE)
    (tmp_path / ".dockerignore").write_text(".git\n")
    assert "copy-all-no-dockerignore" not in {f.rule for f in lint(NOTES_DOCKERFILE, path=str(path))}
