"""Which Dockerfile of the scan builds the image a container runs.

An image reference (tag and digest ignored) is linked, in this order, by:

1. `config`: the config's `images:` mapping of name patterns to a Dockerfile and target;
2. `skaffold`, `compose`, `script`: build configs of the scan (skaffold.yaml artifacts, compose
   services with `build`, `docker build -t NAME` lines in Makefiles and shell scripts), for
   manifests and Dockerfiles in the build config's directory or below it. A build config's name
   without a registry also matches that name under any registry (`cartservice` ↔
   `gcr.io/p/cartservice`), as skaffold's default-repo and a push under a prefix do. A compose
   service built without `image:` takes the image names that other compose files of the same
   directory give to that service, and compose's default names `<directory>-<service>`;
3. `name` (switch off with `link-images-by-name: false`): the image's last path component
   equals the name of a directory that holds exactly one Dockerfile, found from the manifest's
   directory up to three levels above it (not above a directory holding `.git`), that directory
   being at most three levels below the level searched; the nearest level wins, and two
   candidates at one level link nothing.

A link names the Dockerfile and the stage it builds (the target, else the last stage).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from fnmatch import fnmatch

from kubelint import probes
from kubelint.discover import display_path
from kubelint.model.dockerfile import Dockerfile, ImageRef, Stage
from kubelint.parse.buildconfig import BuildConfig, BuildEntry, BuildProblem, read_script, read_yaml_config
from kubelint.scan import Scan

NAME_LEVELS = 3  # how far above a manifest the directory-name heuristic looks


@dataclass(frozen=True)
class Link:
    dockerfile: Dockerfile
    stage: Stage
    via: str  # config | skaffold | compose | script | name
    file: str  # where the link is declared (the build config, the config file, the directory)
    line: int  # 0 when the link has no line (name heuristic, config)

    @property
    def why(self) -> str:
        return f"{self.via} {self.file}:{self.line}" if self.line else f"{self.via} {self.file}"


def repository(image: str) -> tuple[str | None, str] | None:
    """(registry, name) with Docker Hub spelled None, tag and digest dropped; None for a
    reference that holds a variable or a template."""
    if not image or any(c in image for c in "${}<> \t"):
        return None
    ref = ImageRef.parse(image.strip())
    registry = ref.registry.lower() if ref.registry else None
    if registry in ("docker.io", "index.docker.io", "registry-1.docker.io"):
        registry = None
    return (registry, ref.name) if ref.name else None


def _matches(built: tuple[str | None, str], used: tuple[str | None, str]) -> bool:
    if built == used:
        return True
    # A name without a registry, pushed under one (skaffold's default-repo, a registry prefix).
    return built[0] is None and (used[1] == built[1] or used[1].endswith("/" + built[1]))


def _under(path: str, directory: str) -> bool:
    return path == directory or path.startswith(directory.rstrip(os.sep) + os.sep)


def _depth(path: str, directory: str) -> int:
    """How many directories `path` is below `directory`."""
    rel = os.path.relpath(path, directory)
    return 0 if rel == "." else rel.count(os.sep) + 1


def _abs(path: str) -> str:
    return os.path.normpath(os.path.abspath(path)) if path != "-" else os.getcwd()


@dataclass
class _Entry:
    images: list[tuple[str | None, str]]
    entry: BuildEntry


@dataclass
class ImageLinks:
    """Every link the scan allows; build it once per scan with `image_links(scan)`."""

    scan: Scan
    problems: list[BuildProblem] = field(default_factory=list)
    _entries: list[_Entry] = field(default_factory=list)
    _by_path: dict[str, Dockerfile] = field(default_factory=dict)
    _by_dirname: dict[str, list[Dockerfile]] = field(default_factory=dict)
    _per_dir: dict[str, int] = field(default_factory=dict)
    _cache: dict[tuple[str, str], Link | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for df in self.scan.dockerfiles:
            path = _abs(df.source.path)
            self._by_path[path] = df
            self._by_path.setdefault(os.path.realpath(path), df)
            directory = os.path.dirname(path)
            self._per_dir[directory] = self._per_dir.get(directory, 0) + 1
            self._by_dirname.setdefault(os.path.basename(directory).lower(), []).append(df)
        config = BuildConfig()
        for kind, doc in self.scan.build_documents:
            read_yaml_config(kind, doc, config)
        for source in self.scan.build_files:
            read_script(source, config)
        self.problems = list(config.problems)
        for entry in config.entries:
            names = list(entry.images)
            if entry.via == "compose" and entry.service:
                project = os.path.basename(entry.base_dir).lower()
                names += [f"{project}-{entry.service}", f"{project}_{entry.service}"]
                # Other compose files of the directory that name the service's image: a published
                # image, built for production, so from the last stage rather than this file's
                # (often development) target.
                published = [image for image, file, _ in config.service_images.get((entry.base_dir, entry.service), ())
                             if file != entry.file]
                if published:
                    self._entries.append(_Entry([r for r in map(repository, published) if r is not None],
                                                replace(entry, target=None)))
            repos = [r for r in (repository(n) for n in names) if r is not None]
            built = self._dockerfile(entry.dockerfile)
            if built is None:
                if not probes.exists(entry.dockerfile):
                    self.problems.append(BuildProblem(
                        entry.file, entry.dockerfile_line or entry.line, entry.dockerfile_column or entry.column,
                        "dockerfile-missing", {"dockerfile": _show(entry.dockerfile)}))
                continue
            if entry.target and self._stage(built, entry.target) is None:
                self.problems.append(BuildProblem(
                    entry.file, entry.line, entry.column, "target-missing",
                    {"dockerfile": _show(entry.dockerfile), "target": entry.target}))
                continue
            self._entries.append(_Entry(repos, entry))

    # --- lookups ---------------------------------------------------------------------------
    @property
    def empty(self) -> bool:
        """No Dockerfile in the scan: every link() is None (each lookup resolves to one)."""
        return not self._by_path

    def _dockerfile(self, path: str) -> Dockerfile | None:
        path = os.path.normpath(path)
        return self._by_path.get(path) or self._by_path.get(os.path.realpath(path))

    @staticmethod
    def _stage(df: Dockerfile, target: str | None) -> Stage | None:
        if not df.stages:
            return None
        if target is None:
            return df.stages[-1]
        for stage in df.stages:
            if stage.alias == target.lower():
                return stage
        return None

    def link(self, image: str | None, used_in: str) -> Link | None:
        """The Dockerfile stage that builds `image`, for a reference in the file `used_in`
        (a path on disk): None when the scan does not build it."""
        if image is None:
            return None
        key = (image, used_in)
        if key not in self._cache:
            self._cache[key] = self._find(image, _abs(used_in))
        return self._cache[key]

    def _find(self, image: str, used_in: str) -> Link | None:
        repo = repository(image)
        if repo is None:
            return None
        for pattern, (path, target) in self.scan.options.images.items():
            if fnmatch(_spell(repo), pattern.lower()) or fnmatch(repo[1], pattern.lower()):
                df = self._dockerfile(path)
                stage = self._stage(df, target) if df is not None else None
                return Link(df, stage, "config", _show(path), 0) if df and stage else None
        for item in self._entries:
            entry = item.entry
            if _under(used_in, entry.base_dir) and any(_matches(built, repo) for built in item.images):
                df = self._dockerfile(entry.dockerfile)
                stage = self._stage(df, entry.target) if df is not None else None
                if df is not None and stage is not None:
                    return Link(df, stage, entry.via, entry.file, entry.line)
        if self.scan.options.link_images_by_name:
            return self._by_name(repo, used_in)
        return None

    def _by_name(self, repo: tuple[str | None, str], used_in: str) -> Link | None:
        short = repo[1].rsplit("/", 1)[-1]
        candidates = [df for df in self._by_dirname.get(short, ())
                      if self._per_dir.get(os.path.dirname(_abs(df.source.path))) == 1]
        if not candidates:
            return None
        directory = os.path.dirname(used_in)
        for _ in range(NAME_LEVELS + 1):
            here = [df for df in candidates if _under(_abs(df.source.path), directory)
                    and _depth(os.path.dirname(_abs(df.source.path)), directory) <= NAME_LEVELS]
            if len(here) == 1:
                df = here[0]
                stage = self._stage(df, None)
                folder = os.path.dirname(df.source.display) or "."
                return Link(df, stage, "name", f"directory {folder}/", 0) if stage is not None else None
            if here or probes.isdir(os.path.join(directory, ".git")):
                return None
            parent = os.path.dirname(directory)
            if parent == directory:
                return None
            directory = parent
        return None

    def base_link(self, stage: Stage) -> Link | None:
        """The stage of the scan that builds the external image `stage` is FROM, if any."""
        base = stage.base
        if base is None or base.unresolved or base.is_scratch or stage.dockerfile is None:
            return None
        link = self.link(base.raw, stage.dockerfile.source.path)
        return link if link is not None and link.stage is not stage else None


def _spell(repo: tuple[str | None, str]) -> str:
    return f"{repo[0]}/{repo[1]}" if repo[0] else repo[1]


def _show(path: str) -> str:
    return display_path(path)


def image_links(scan: Scan) -> ImageLinks:
    return scan.cached("image-links", ImageLinks)
