"""`runAsNonRoot: true` without `runAsUser` against the image's USER: the kubelet refuses to start
a container whose image runs as root ("container has runAsNonRoot and image will run as root") or
names its user ("image has non-numeric user ..., cannot verify user is non-root")."""

from __future__ import annotations

from kubelint.checks.images.base import LINK_VALUES, at_from, at_line, link_related, linked_containers, where
from kubelint.model.dockerfile import expand
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "image-runs-as-root"


def _effective(item, key: str) -> tuple[object, tuple] | None:
    """(value, path) of a securityContext field, the container's over the pod's."""
    c = item.container
    own = c.data.get("securityContext")
    if isinstance(own, dict) and own.get(key) is not None:
        return own[key], c.path + ("securityContext", key)
    spec = item.obj.pod_spec
    pod = spec.data.get("securityContext") if spec is not None else None
    if isinstance(pod, dict) and pod.get(key) is not None:
        return pod[key], spec.path + ("securityContext", key)
    return None


@check("image-user", rules=(RULE,), fills=LINK_VALUES + ("user", "at"))
def run(ctx: CheckContext):
    for item in linked_containers(ctx, RULE):
        non_root = _effective(item, "runAsNonRoot")
        if non_root is None or non_root[0] is not True or _effective(item, "runAsUser") is not None:
            continue
        image, rel = item.image, link_related(item.link)
        inst = image.user
        if inst is None:
            if image.base_runs_as_root():
                bottom = image.stages[-1]
                # decided by runAsUser left out too (a patch's base may set one)
                yield ctx.finding(RULE, item.obj, non_root[1], variant="unset", user="", at="", absent=True,
                                  related=[at_from(bottom, "no USER here or below: the image runs as root"), *rel],
                                  **item.values())
            continue
        text, unknown = expand(inst.value.strip(), inst.vars)
        user = text.split(":", 1)[0].strip()
        if unknown or not user:
            continue
        if user in ("0", "root"):
            variant = None
        elif user.isdigit():
            continue
        else:
            variant = "name"
        yield ctx.finding(RULE, item.obj, non_root[1], variant=variant, user=user, at=where(inst), absent=True,
                          related=[at_line(inst, "the image's USER"), *rel], **item.values())
