"""Build configurations read beside manifests and Dockerfiles: skaffold.yaml, docker-compose
files, and `docker build` lines in Makefiles and shell scripts.

Only what ties an image name to a Dockerfile is read: each build becomes a `BuildEntry` (image
names, build context, Dockerfile, target stage, and where it is written). Anything malformed in
those parts becomes a `BuildProblem` with its position and a variant name of the
`build-config-invalid` rule's message; nothing here raises on bad input.
"""

from __future__ import annotations

import os
import re
import shlex
from dataclasses import dataclass, field
from typing import Any

from kubelint.parse.source import SourceFile
from kubelint.parse.yaml_docs import YamlDocument

_COMPOSE_NAME = re.compile(r"^(?:docker-)?compose(?:[._-].*)?\.ya?ml$|^docker-stack(?:[._-].*)?\.ya?ml$", re.I)


def yaml_build_kind(display: str, data: Any) -> str | None:
    """'skaffold' or 'compose' for a YAML document that is a build config, else None.

    skaffold: `apiVersion: skaffold/vN` (its `kind: Config` is not a Kubernetes kind). compose:
    a top-level `services` mapping and no apiVersion, in a file named like a compose or stack
    file, or (any name) with at least one service that has a `build`."""
    if not isinstance(data, dict):
        return None
    api = data.get("apiVersion")
    if isinstance(api, str) and api.startswith("skaffold/"):
        return "skaffold"
    services = data.get("services")
    if "apiVersion" in data or "kind" in data or not isinstance(services, dict):
        return None
    if _COMPOSE_NAME.match(os.path.basename(display)):
        return "compose"
    if any(isinstance(s, dict) and "build" in s for s in services.values()):
        return "compose"
    return None


@dataclass
class BuildEntry:
    """One image built from a Dockerfile, as a build config says."""

    via: str  # skaffold | compose | script
    images: list[str]  # image names as written (tags allowed); may be empty for compose
    dockerfile: str  # absolute path (not checked to exist)
    target: str | None
    file: str  # the build config, as findings show it
    line: int
    column: int
    base_dir: str  # the build config's directory (absolute): where its images are used
    service: str | None = None  # compose: the service name (images of other files may name it)
    dockerfile_line: int = 0  # where the Dockerfile (or the context) is written, for problems
    dockerfile_column: int = 0


@dataclass
class BuildProblem:
    """A malformed part of a build config: where, which message variant, and its values."""

    file: str
    line: int
    column: int
    variant: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class BuildConfig:
    entries: list[BuildEntry] = field(default_factory=list)
    problems: list[BuildProblem] = field(default_factory=list)
    # compose: image names per service (services without `build` name published images).
    service_images: dict[tuple[str, str], list[tuple[str, str, int]]] = field(default_factory=dict)


# --- YAML build configs ---------------------------------------------------------------------


def _pos(doc: YamlDocument, path: tuple) -> tuple[int, int]:
    while path:
        pos = doc.value_pos(path) or doc.key_pos(path)
        if pos is not None:
            return pos.line, pos.column
        path = path[:-1]
    return doc.start_line, 1


def _directory(source: SourceFile) -> str:
    return os.path.dirname(os.path.abspath(source.path)) if source.path != "-" else os.getcwd()


def read_yaml_config(kind: str, doc: YamlDocument, out: BuildConfig) -> None:
    if kind == "skaffold":
        _skaffold(doc, out)
    else:
        _compose(doc, out)


def _problem(out: BuildConfig, doc: YamlDocument, path: tuple, variant: str, **values: Any) -> None:
    line, column = _pos(doc, path)
    out.problems.append(BuildProblem(doc.source.display, line, column, variant, values))


def _string(out: BuildConfig, doc: YamlDocument, data: dict, key: str, path: tuple) -> str | None:
    """data[key] when it is a non-empty string; a problem when it is there but something else."""
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, str) and value.strip():
        return value.strip()
    _problem(out, doc, path + (key,), "not-string", field=_dotted(path + (key,)))
    return None


def _dotted(path: tuple) -> str:
    """("build", "artifacts", 2, "image") -> build.artifacts[2].image"""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _skaffold(doc: YamlDocument, out: BuildConfig) -> None:
    data, base = doc.data, _directory(doc.source)
    build = data.get("build")
    if build is None:
        return
    if not isinstance(build, dict):
        _problem(out, doc, ("build",), "not-mapping", field="build")
        return
    artifacts = build.get("artifacts")
    if artifacts is None:
        return
    if not isinstance(artifacts, list):
        _problem(out, doc, ("build", "artifacts"), "not-list", field="build.artifacts")
        return
    for i, art in enumerate(artifacts):
        path = ("build", "artifacts", i)
        if not isinstance(art, dict):
            _problem(out, doc, path, "not-mapping", field=f"build.artifacts[{i}]")
            continue
        image = _string(out, doc, art, "image", path)
        if image is None:
            if "image" not in art:
                _problem(out, doc, path, "no-image", field=f"build.artifacts[{i}]")
            continue
        context = _string(out, doc, art, "context", path) or "."
        docker = art.get("docker")
        dockerfile, target = "Dockerfile", None
        where: tuple = path + (("context",) if "context" in art else ("image",))
        if docker is not None and not isinstance(docker, dict):
            _problem(out, doc, path + ("docker",), "not-mapping", field=f"build.artifacts[{i}].docker")
        elif isinstance(docker, dict):
            dockerfile = _string(out, doc, docker, "dockerfile", path + ("docker",)) or dockerfile
            target = _string(out, doc, docker, "target", path + ("docker",))
            if "dockerfile" in docker:
                where = path + ("docker", "dockerfile")
        if any(k in art for k in ("jib", "bazel", "ko", "buildpacks", "custom")):
            continue  # not built from a Dockerfile
        line, column = _pos(doc, path + ("image",))
        dline, dcol = _pos(doc, where)
        out.entries.append(BuildEntry(
            "skaffold", [image], os.path.normpath(os.path.join(base, context, dockerfile)), target,
            doc.source.display, line, column, base, dockerfile_line=dline, dockerfile_column=dcol))


def _compose(doc: YamlDocument, out: BuildConfig) -> None:
    data, base = doc.data, _directory(doc.source)
    for name, service in data["services"].items():
        path = ("services", name)
        where: tuple
        if service is None:
            continue
        if not isinstance(service, dict):
            _problem(out, doc, path, "not-mapping", field=f"services.{name}")
            continue
        image = _string(out, doc, service, "image", path)
        if image is not None:
            line, column = _pos(doc, path + ("image",))
            out.service_images.setdefault((base, str(name)), []).append((image, doc.source.display, line))
        build = service.get("build")
        if build is None:
            continue
        if isinstance(build, str) and build.strip():
            context, dockerfile, target, where = build.strip(), "Dockerfile", None, path + ("build",)
        elif isinstance(build, dict):
            context = _string(out, doc, build, "context", path + ("build",)) or "."
            dockerfile = _string(out, doc, build, "dockerfile", path + ("build",)) or "Dockerfile"
            target = _string(out, doc, build, "target", path + ("build",))
            where = path + ("build", "dockerfile" if "dockerfile" in build else "context")
        else:
            _problem(out, doc, path + ("build",), "not-string-or-mapping", field=f"services.{name}.build")
            continue
        if "://" in context or context.startswith("git@"):
            continue  # a remote context: its Dockerfile is not in this repository
        line, column = _pos(doc, path + ("build",))
        dline, dcol = _pos(doc, where)
        out.entries.append(BuildEntry(
            "compose", [image] if image else [], os.path.normpath(os.path.join(base, context, dockerfile)),
            target, doc.source.display, line, column, base, service=str(name),
            dockerfile_line=dline, dockerfile_column=dcol))


# --- Makefiles and shell scripts ---------------------------------------------------------------

_ASSIGN = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*(?:\?=|:=|::=|\+=|=)\s*(.*?)\s*$")
_DOCKER_BUILD = re.compile(r"\b(?:docker|podman)\s+(?:image\s+build|buildx\s+build|build)\b")
_VAR = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)"  # $(MAKE_VAR)
                  r"|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}"  # ${VAR} ${VAR:-default}
                  r"|\$([A-Za-z_][A-Za-z0-9_]*)")  # $VAR
# Flags of `docker build` that take a value, so their value is not taken for the context.
_VALUE_FLAGS = {"-t", "--tag", "-f", "--file", "--target", "--build-arg", "--platform", "--label",
                "--cache-from", "--cache-to", "--secret", "--ssh", "--network", "--progress",
                "--output", "-o", "--iidfile", "--add-host", "--build-context", "--builder",
                "--shm-size", "--ulimit", "--cgroup-parent", "--isolation", "-m", "--memory",
                "--metadata-file", "--attest", "--annotation", "--allow", "--cpu-shares", "--cpuset-cpus"}


def _logical_lines(text: str) -> list[tuple[int, str]]:
    """(first line number, text) with backslash-newline continuations joined."""
    out: list[tuple[int, str]] = []
    buf, start = "", 0
    for number, line in enumerate(text.splitlines(), 1):
        if not buf:
            start = number
        if line.endswith("\\"):
            buf += line[:-1] + " "
            continue
        out.append((start, buf + line))
        buf = ""
    if buf:
        out.append((start, buf))
    return out


def _expand(word: str, variables: dict[str, str]) -> str | None:
    """Make/shell variables defined in the same file; None when one stays unknown."""
    unknown = False

    def sub(m: re.Match) -> str:
        nonlocal unknown
        name = m.group(1) or m.group(2) or m.group(4)
        if name in variables:
            return variables[name]
        if m.group(3) is not None:
            return m.group(3)
        unknown = True
        return ""

    for _ in range(5):  # variables defined through other variables
        if "$" not in word:
            break
        word = _VAR.sub(sub, word)
    return None if unknown or "$" in word else word


def read_script(source: SourceFile, out: BuildConfig) -> None:
    base = _directory(source)
    variables: dict[str, str] = {}
    for line, text in _logical_lines(source.text):
        stripped = text.strip()
        if stripped.startswith("#"):
            continue
        m = _ASSIGN.match(text)
        if m and not _DOCKER_BUILD.search(text):
            value = m.group(2).strip().strip("\"'")
            variables.setdefault(m.group(1), value)
            continue
        for found in _DOCKER_BUILD.finditer(text):
            _docker_build(source, out, base, variables, line, text, found)


def _docker_build(source: SourceFile, out: BuildConfig, base: str, variables: dict[str, str],
                  line: int, text: str, found: re.Match) -> None:
    first = source.line(line)
    column = found.start() + 1 if found.start() < len(first) else 1
    rest = re.split(r"&&|\|\||;|\|", text[found.end():])[0]
    try:
        words = shlex.split(rest, comments=True)
    except ValueError:
        out.problems.append(BuildProblem(source.display, line, column, "unparsable", {"command": found.group(0)}))
        return
    cwd = base
    cd = re.search(r"(?:^|&&|;)\s*cd\s+(\S+)\s*&&[^&;]*$", text[:found.start()])
    if cd:
        where = _expand(cd.group(1).strip("\"'"), variables)
        if where is None:
            return
        cwd = os.path.join(base, where)
    tags: list[str] = []
    dockerfile = target = context = None
    i = 0
    while i < len(words):
        word = words[i]
        name, eq, value = word.partition("=")
        if word.startswith("-") and name in _VALUE_FLAGS:
            if not eq:
                i += 1
                value = words[i] if i < len(words) else ""
            if name in ("-t", "--tag"):
                tags.append(value)
            elif name in ("-f", "--file"):
                dockerfile = value
            elif name == "--target":
                target = value
        elif not word.startswith("-") and context is None:
            context = word
        i += 1
    if context is None:
        out.problems.append(BuildProblem(source.display, line, column, "no-context", {"command": found.group(0)}))
        return
    if not tags:
        return  # an image without a name cannot be run by name
    context_dir = _expand(context, variables)
    if context_dir is None or "://" in context_dir or context_dir == "-":
        return
    context_dir = os.path.join(cwd, context_dir)
    if dockerfile is not None:
        expanded = _expand(dockerfile, variables)
        if expanded is None or expanded == "-":
            return
        path = os.path.join(cwd, expanded)
    else:
        path = os.path.join(context_dir, "Dockerfile")
    images = [t for t in (_image_name(t, variables) for t in tags) if t]
    if not images:
        return
    out.entries.append(BuildEntry(
        "script", images, os.path.normpath(path), _expand(target, variables) if target else None,
        source.display, line, column, base, dockerfile_line=line, dockerfile_column=column))


def _image_name(tag: str, variables: dict[str, str]) -> str | None:
    """`-t` value with its variables filled; when only the tag part is unknown (`:$(GIT_SHA)`),
    the name without it (links ignore tags anyway)."""
    full = _expand(tag, variables)
    if full is not None:
        return full
    colon = tag.rfind(":")
    return _expand(tag[:colon], variables) if colon > tag.rfind("/") else None
