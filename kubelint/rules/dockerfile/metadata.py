"""Image metadata and structure: USER, HEALTHCHECK, EXPOSE, LABEL, stage names, instruction order."""

from __future__ import annotations

import re
from datetime import datetime

from kubelint.model.dockerfile import expand
from kubelint.model.numbers import small_int
from kubelint.rules.context import CheckContext
from kubelint.rules.dockerfile import at, dockerfiles, runtime_stages

_PORT = re.compile(r"^(\d+)(?:-(\d+))?(?:/([A-Za-z]+))?$")
_LABEL_KEY = re.compile(r"^[a-z0-9]+(?:[.-][a-z0-9]+)*$")
_RESERVED_LABELS = ("com.docker.", "io.docker.", "org.dockerproject.")
_VALUE_TYPES = {
    "url": re.compile(r"^[a-z][a-z0-9+.-]*://[^\s/]+\S*$", re.I),
    "semver": re.compile(r"^v?\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$"),
    "hash": re.compile(r"^[0-9a-f]{7,64}$"),
    "email": re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$"),
    "spdx": re.compile(r"^\(?[A-Za-z0-9.+-]+(?:\s+(?:AND|OR|WITH)\s+\(?[A-Za-z0-9.+-]+\)?)*\)?$"),
}


def _is_rfc3339(value: str) -> bool:
    try:
        datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return False
    return "T" in value or " " in value or len(value) == 10


def _nonroot_image(stage) -> bool:
    image = stage.root_image()
    return image is not None and ("nonroot" in (image.tag or "") or image.is_windows)


def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        has_from = any(i.name == "FROM" for i in df.instructions)
        for inst in df.instructions:
            if inst.name == "FROM":
                break
            if has_from and inst.name != "ARG":
                yield at(ctx, "instruction-before-from", inst,
                         f"{inst.name} before the first FROM: only ARG (and comments) may come before FROM")
        for inst in df.all_instructions():
            if inst.json_error:
                yield at(ctx, "exec-form-invalid-json", inst,
                         f"{inst.name} looks like the exec form but is not a JSON array of double-quoted "
                         f"strings, so Docker runs it as a shell command: '/bin/sh -c {inst.value}'")
            if inst.name == "EXPOSE":
                yield from _expose(ctx, inst)
        seen_alias: dict[str, int] = {}
        for stage in df.stages:
            if stage.alias and stage.from_instr is not None:
                inst = stage.from_instr
                if stage.alias in seen_alias:
                    yield at(ctx, "duplicate-stage-name", inst,
                             f"stage name '{stage.alias}' is already used by the FROM on line "
                             f"{seen_alias[stage.alias]}: COPY --from and --target become ambiguous",
                             inst.arg_pos(len(inst.args) - 1), len(stage.alias))
                else:
                    seen_alias[stage.alias] = inst.line
            yield from _labels(ctx, stage)
            yield from _relative_copy(ctx, stage)
        final = df.final_stage
        if final is None or final.is_implicit:
            continue
        yield from _root(ctx, final)
        for inst in final.instructions:  # a Python check, so that --target decides which stage is final
            if inst.name == "ONBUILD" and inst.inner is not None:
                yield at(ctx, "onbuild-in-final", inst,
                         f"ONBUILD {inst.inner.name} in the final image: the trigger runs later in every "
                         f"build FROM this image, where readers do not see it")
        yield from _numeric_user(ctx, final)
        lineage = runtime_stages(df)
        if not any(s.find("HEALTHCHECK") for s in lineage):
            yield at(ctx, "missing-healthcheck", final.from_instr,
                     f"the final stage {final.label} has no HEALTHCHECK: Docker and Swarm cannot tell a "
                     f"hung container from a healthy one")
        yield from _required_labels(ctx, final, lineage)


def _root(ctx, final):
    user = final.last("USER")
    if user is None:
        if not _nonroot_image(final):
            yield at(ctx, "root-user", final.from_instr,
                     f"the final stage {final.label} has no USER instruction, so the container runs as "
                     f"root: add USER with a non-root user")
        return
    name, unknown = expand(user.value, user.vars)
    if unknown:
        return
    who = name.split(":", 1)[0].strip()
    if who in ("root", "0"):
        yield at(ctx, "root-user", user,
                 f"the final stage {final.label} runs as root (USER {user.value} is the last USER): "
                 f"switch to a non-root user")


def _numeric_user(ctx, final):
    user = final.last("USER")
    if user is None:
        return
    name, unknown = expand(user.value, user.vars)
    who = name.split(":", 1)[0].strip()
    if not unknown and who and not who.isdigit() and who != "root" and not final.root_image().is_windows:
        yield at(ctx, "user-not-numeric", user,
                 f"USER {user.value} is a name: Kubernetes runAsNonRoot cannot verify a name and refuses "
                 f"to start the container; use the numeric UID (USER 10001)", user.arg_pos(0), len(user.value))


def _relative_copy(ctx, stage):
    """COPY/ADD to a relative destination before any WORKDIR (in the stage or its FROM chain)."""
    if stage.is_implicit:
        return
    workdir_seen = any(s.find("WORKDIR") for s in stage.lineage()[1:])
    for inst in stage.instructions:
        if inst.name == "WORKDIR":
            workdir_seen = True
        elif inst.name in ("COPY", "ADD") and len(inst.args) >= 2 and not workdir_seen:
            dest = inst.args[-1]
            if not dest.startswith(("/", "$", "\\")) and not re.match(r"[A-Za-z]:[\\/]", dest):
                yield at(ctx, "copy-relative-dest-no-workdir", inst,
                         f"{inst.name} to the relative path '{dest}' with no WORKDIR set: it lands in the base "
                         f"image's working directory, which can change; set WORKDIR or use an absolute path",
                         inst.arg_pos(len(inst.args) - 1), len(dest))


def _expose(ctx, inst):
    for i, arg in enumerate(inst.args):
        value, unknown = expand(arg, inst.vars)
        if unknown:
            continue
        m = _PORT.match(value)
        problem = None
        if not m:
            problem = "is not PORT, PORT/PROTOCOL or FIRST-LAST" + (
                " (EXPOSE takes container ports; host mappings belong to `docker run -p`)" if ":" in value else "")
        else:
            first, last = small_int(m.group(1)) or 0, small_int(m.group(2) or m.group(1)) or 0
            proto = (m.group(3) or "tcp").lower()
            if not (1 <= first <= 65535 and 1 <= last <= 65535):
                problem = "is outside 1-65535"
            elif last < first:
                problem = "is an empty range"
            elif proto not in ("tcp", "udp", "sctp"):
                problem = f"has protocol '{m.group(3)}' (tcp, udp or sctp)"
        if problem:
            yield at(ctx, "invalid-expose-port", inst, f"EXPOSE {arg} {problem}", inst.arg_pos(i), len(arg))


def _labels(ctx, stage):
    if not ctx.enabled("label-invalid"):
        return
    schema = ctx.param("label-invalid", "schema") or {}
    for inst in stage.instructions:
        if inst.name != "LABEL":
            continue
        for key, value, offset in inst.pairs:
            where = inst.value_pos(offset)
            if value is None:
                yield at(ctx, "label-invalid", inst, f"LABEL {key} has no value: write {key}=value", where, len(key))
                continue
            if key.startswith(_RESERVED_LABELS):
                yield at(ctx, "label-invalid", inst,
                         f"label key '{key}' uses a namespace reserved by Docker", where, len(key))
            elif not _LABEL_KEY.match(key):
                yield at(ctx, "label-invalid", inst,
                         f"label key '{key}' is not lower-case letters, digits, dots and dashes "
                         f"(reverse-DNS style, e.g. org.opencontainers.image.title)", where, len(key))
            kind = schema.get(key)
            if kind is None:
                continue
            resolved, unknown = expand(value, inst.vars)
            if unknown:
                continue
            if not resolved:
                yield at(ctx, "label-invalid", inst, f"label '{key}' is empty", where, len(key))
            elif kind == "rfc3339" and not _is_rfc3339(resolved):
                yield at(ctx, "label-invalid", inst,
                         f"label '{key}' should be an RFC 3339 date-time, not '{resolved}'", where, len(key))
            elif kind in _VALUE_TYPES and not _VALUE_TYPES[kind].match(resolved):
                yield at(ctx, "label-invalid", inst,
                         f"label '{key}' should be a {kind}, not '{resolved}'", where, len(key))


def _required_labels(ctx, final, lineage):
    required = ctx.param("label-invalid", "required") or []
    if not required or not ctx.enabled("label-invalid"):
        return
    present = {k for s in lineage for i in s.find("LABEL") for k, _, _ in i.pairs}
    for key in required:
        if key not in present:
            yield at(ctx, "label-invalid", final.from_instr,
                     f"the final stage {final.label} has no label '{key}', which the label schema requires")
