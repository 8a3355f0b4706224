"""`kubelint images PATH...`: every image reference of the scan (containers of pod specs, and
Dockerfile FROM lines), the Dockerfile and stage that builds it and why, or "not built here"."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass

from kubelint.config import Settings, resolve_config
from kubelint.discover import discover
from kubelint.errors import KubelintError
from kubelint.escape import escape_text
from kubelint.index.images import Link, image_links
from kubelint.runner import build_scan
from kubelint.scan import Options, Scan

EXIT_OK = 0


@dataclass
class Reference:
    file: str
    line: int
    column: int
    image: str
    where: str  # "Deployment/cartservice container 'server'" or "FROM in stage 'build'"
    kind: str  # container | from
    link: Link | None

    def to_json(self) -> dict:
        link = self.link
        return {
            "file": self.file, "line": self.line, "column": self.column, "image": self.image,
            "kind": self.kind, "where": self.where, "built_here": link is not None,
            "dockerfile": link.dockerfile.file if link else None,
            "stage": link.stage.name if link else None,
            "via": link.via if link else None,
            "declared_at": (f"{link.file}:{link.line}" if link.line else link.file) if link else None,
        }

    def text(self) -> str:
        head = f"{self.file}:{self.line}:{self.column}: {self.image} ({self.where})"
        link = self.link
        if link is None:
            return f"{head}: not built here"
        stage = link.stage
        shown = f" stage '{stage.alias}'" if stage.alias else f" stage #{stage.index}"
        if len(link.dockerfile.stages) == 1:
            shown = ""
        return f"{head}: built from {link.dockerfile.file}{shown}, linked by {link.why}"


def references(scan: Scan) -> list[Reference]:
    links = image_links(scan)
    out: list[Reference] = []
    for obj in scan.objects:
        spec = obj.pod_spec
        for container in spec.containers if spec is not None else ():
            image = container.image
            if image is None:
                continue
            pos = obj.locate(container.path + ("image",))
            out.append(Reference(obj.file, pos.line, pos.column, image,
                                 f"{obj.kind}/{obj.name} container '{container.name}'", "container",
                                 links.link(image, obj.doc.source.path)))
    for df in scan.dockerfiles:
        for stage in df.stages:
            if stage.from_instr is None or stage.base is None or stage.base_stage is not None \
                    or stage.base.is_scratch:
                continue  # FROM an earlier stage or scratch: not an image
            where = f"FROM of stage '{stage.alias}'" if stage.alias else f"FROM of stage #{stage.index}"
            out.append(Reference(df.file, stage.from_instr.line, stage.from_instr.column, stage.base.raw,
                                 where, "from", links.base_link(stage)))
    return sorted(out, key=lambda r: (r.file, r.line, r.column))


def run_images(args) -> int:
    config = resolve_config(args.config, args.isolated)
    settings = Settings.from_config(config)
    paths = args.paths or ["."]
    if "-" in paths:
        raise KubelintError("kubelint images reads files and directories, not standard input")
    discovered = discover(paths, list(args.exclude), excluded=settings.excluded,
                          follow_symlinks=args.follow_symlinks)
    if discovered.missing:
        raise KubelintError(f"no such file or directory: {discovered.missing[0]}")
    options = Options(namespace=settings.namespace, images=dict(settings.images),
                      link_images_by_name=settings.link_images_by_name)
    scan = build_scan(discovered, options)
    found = references(scan)
    problems = image_links(scan).problems
    if args.format == "json":
        print(json.dumps({
            "references": [r.to_json() for r in found],
            "build_config_problems": [{"file": p.file, "line": p.line, "column": p.column, "variant": p.variant,
                                       **p.values} for p in problems],
        }, indent=2))
        return EXIT_OK
    for ref in found:
        print(escape_text(ref.text()))
    linked = sum(1 for r in found if r.link is not None)
    print(f"kubelint: {len(found)} image reference{'s' if len(found) != 1 else ''}, {linked} built here"
          + (f"; {len(problems)} build config problem{'s' if len(problems) != 1 else ''} "
             f"(kubelint check reports them as build-config-invalid)" if problems else ""), file=sys.stderr)
    return EXIT_OK
