"""Image metadata and structure: USER, HEALTHCHECK, EXPOSE, LABEL, stage names, instruction order."""

from __future__ import annotations

import re
from datetime import datetime

from kubelint.checks.dockerfile.base import STAGE_VALUES, at, dockerfiles, runtime_stages
from kubelint.model.dockerfile import expand
from kubelint.model.numbers import small_int
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

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


@check("dockerfile-metadata", rules=(
    "copy-relative-dest-no-workdir",
    "duplicate-stage-name",
    "env-self-reference",
    "exec-form-invalid-json",
    "instruction-before-from",
    "invalid-expose-port",
    "label-invalid",
    "missing-healthcheck",
    "onbuild-in-final",
    "root-user",
    "user-not-numeric",
), fills=(*STAGE_VALUES, "command", "port", "protocol", "first_line", "key", "value", "type", "final", "trigger",
          "user", "dest", "variable", "before"))
def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        has_from = any(i.name == "FROM" for i in df.instructions)
        for inst in df.instructions:
            if inst.name == "FROM":
                break
            if has_from and inst.name != "ARG":
                yield at(ctx, "instruction-before-from", inst)
        for inst in df.all_instructions():
            if inst.json_error:
                yield at(ctx, "exec-form-invalid-json", inst, command=inst.value)
            if inst.name == "EXPOSE":
                yield from _expose(ctx, inst)
            elif inst.name == "ENV" and len(inst.pairs) > 1:
                yield from _env_self_reference(ctx, inst)
        seen_alias: dict[str, int] = {}
        for stage in df.stages:
            if stage.alias and stage.from_instr is not None:
                inst = stage.from_instr
                if stage.alias in seen_alias:
                    yield at(ctx, "duplicate-stage-name", inst, inst.arg_pos(len(inst.args) - 1), len(stage.alias),
                             first_line=seen_alias[stage.alias])
                else:
                    seen_alias[stage.alias] = inst.line
            yield from _labels(ctx, stage)
            yield from _relative_copy(ctx, stage)
        final = df.final_stage
        if final is None or final.is_implicit or final.from_instr is None:
            continue  # an implicit stage has no FROM to report on
        yield from _root(ctx, final)
        for inst in final.instructions:  # a Python check, so that --target decides which stage is final
            if inst.name == "ONBUILD" and inst.inner is not None:
                yield at(ctx, "onbuild-in-final", inst, trigger=inst.inner.name)
        yield from _numeric_user(ctx, final)
        lineage = runtime_stages(df)
        if not any(s.find("HEALTHCHECK") for s in lineage):
            yield at(ctx, "missing-healthcheck", final.from_instr, final=final.label)
        yield from _required_labels(ctx, final, lineage)


def _root(ctx, final):
    user = final.last("USER")
    if user is None:
        if not _nonroot_image(final):
            yield at(ctx, "root-user", final.from_instr, final=final.label)
        return
    name, unknown = expand(user.value, user.vars)
    if unknown:
        return
    who = name.split(":", 1)[0].strip()
    if who in ("root", "0"):
        yield at(ctx, "root-user", user, variant="last-user-root", final=final.label, user=user.value)


def _numeric_user(ctx, final):
    user = final.last("USER")
    if user is None:
        return
    name, unknown = expand(user.value, user.vars)
    who = name.split(":", 1)[0].strip()
    if not unknown and who and not who.isdigit() and who != "root" and not final.root_image().is_windows:
        yield at(ctx, "user-not-numeric", user, user.arg_pos(0), len(user.value), user=user.value)


def _relative_copy(ctx, stage):
    """COPY/ADD to a relative destination before any WORKDIR (in the stage or its FROM chain)."""
    root = stage.root_image()
    if stage.is_implicit or (root is not None and root.is_scratch):
        return  # FROM scratch starts in /, so a relative destination is well defined
    workdir_seen = any(s.find("WORKDIR") for s in stage.lineage()[1:])
    for inst in stage.instructions:
        if inst.name == "WORKDIR":
            workdir_seen = True
        elif inst.name in ("COPY", "ADD") and len(inst.args) >= 2 and not workdir_seen:
            dest = inst.args[-1]
            if not dest.startswith(("/", "$", "\\")) and not re.match(r"[A-Za-z]:[\\/]", dest):
                yield at(ctx, "copy-relative-dest-no-workdir", inst, inst.arg_pos(len(inst.args) - 1), len(dest),
                         dest=dest)


_REFERENCE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)|([A-Za-z_][A-Za-z0-9_]*))")


def _env_self_reference(ctx, inst):
    """`ENV A=1 B=$A`: Docker substitutes every pair with the values from before the ENV."""
    defined: set[str] = set()
    for key, value, offset in inst.pairs:
        for m in _REFERENCE.finditer(value or ""):
            name = m.group(1) or m.group(2)
            if name in defined and name != key:
                before = inst.vars.get(name)
                yield at(ctx, "env-self-reference", inst, inst.value_pos(offset), len(key), key=key,
                         variable=name, before=f"'{before}'" if before is not None else "empty")
                break
        defined.add(key)


def _expose(ctx, inst):
    for i, arg in enumerate(inst.args):
        value, unknown = expand(arg, inst.vars)
        if unknown:
            continue
        problem = _port_problem(value)
        if problem:
            variant, protocol = problem
            yield at(ctx, "invalid-expose-port", inst, inst.arg_pos(i), len(arg),
                     variant=variant, port=arg, protocol=protocol)


def _port_problem(value: str) -> tuple[str | None, str | None] | None:
    """(message variant, protocol) when `value` is not a valid EXPOSE port; None when it is."""
    m = _PORT.match(value)
    if not m:
        return ("host-mapping" if ":" in value else None), None
    first, last = small_int(m.group(1)) or 0, small_int(m.group(2) or m.group(1)) or 0
    if not (1 <= first <= 65535 and 1 <= last <= 65535):
        return "out-of-range", None
    if last < first:
        return "empty-range", None
    if (m.group(3) or "tcp").lower() not in ("tcp", "udp", "sctp"):
        return "protocol", m.group(3)
    return None


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
                yield at(ctx, "label-invalid", inst, where, len(key), variant="no-value", key=key)
                continue
            if key.startswith(_RESERVED_LABELS):
                yield at(ctx, "label-invalid", inst, where, len(key), variant="reserved", key=key)
            elif not _LABEL_KEY.match(key):
                yield at(ctx, "label-invalid", inst, where, len(key), key=key)
            kind = schema.get(key)
            if kind is None:
                continue
            resolved, unknown = expand(value, inst.vars)
            if unknown:
                continue
            if not resolved:
                yield at(ctx, "label-invalid", inst, where, len(key), variant="empty", key=key)
            elif kind == "rfc3339" and not _is_rfc3339(resolved):
                yield at(ctx, "label-invalid", inst, where, len(key), variant="not-rfc3339", key=key, value=resolved)
            elif kind in _VALUE_TYPES and not _VALUE_TYPES[kind].match(resolved):
                yield at(ctx, "label-invalid", inst, where, len(key), variant="wrong-type",
                         key=key, type=kind, value=resolved)


def _required_labels(ctx, final, lineage):
    required = ctx.param("label-invalid", "required") or []
    if not required or not ctx.enabled("label-invalid"):
        return
    present = {k for s in lineage for i in s.find("LABEL") for k, _, _ in i.pairs}
    for key in required:
        if key not in present:
            yield at(ctx, "label-invalid", final.from_instr, variant="missing-required", final=final.label, key=key)
