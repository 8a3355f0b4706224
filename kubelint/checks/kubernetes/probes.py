"""Probe checks within one container: `identical-probes` (liveness gives up no later than
readiness on the same check) and `probe-port-not-exposed` (the probe's port is not declared)."""

from __future__ import annotations

import re
from typing import Iterable

from kubelint.findings import Finding, Related
from kubelint.model.k8s import Container, KubeObject, PodSpec
from kubelint.model.numbers import small_int
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

PROBES = ("livenessProbe", "readinessProbe", "startupProbe")
HANDLERS = ("httpGet", "tcpSocket", "grpc", "exec")
PORT_HANDLERS = ("httpGet", "tcpSocket", "grpc")
_PORT_NAME = re.compile(r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")


@check("k8s-probes", rules=("identical-probes", "probe-port-not-exposed"), fills=("container",))
def run(ctx: CheckContext) -> Iterable[Finding]:
    identical = ctx.enabled("identical-probes")
    ports = ctx.enabled("probe-port-not-exposed")
    for obj in ctx.scan.objects:
        spec = obj.pod_spec
        if spec is None:
            continue
        for container in spec.containers:
            if identical:
                yield _identical(ctx, obj, container)
            if ports:
                yield from _undeclared_ports(ctx, obj, spec, container)


# --- identical-probes ----------------------------------------------------------------------------
def _number(value, default: int) -> float:
    if isinstance(value, bool):
        return default
    if isinstance(value, (int, float)):
        return value
    if isinstance(value, str) and small_int(value) is not None:
        return small_int(value)
    return default


def _handler(probe: dict) -> dict:
    return {k: probe[k] for k in HANDLERS if probe.get(k) is not None}


def _window(probe: dict) -> float:
    """Seconds of consecutive failures before the kubelet acts (defaults: 3 x 10s)."""
    return _number(probe.get("failureThreshold"), 3) * _number(probe.get("periodSeconds"), 10)


def _identical(ctx: CheckContext, obj: KubeObject, c: Container) -> Finding | None:
    live, ready = c.data.get("livenessProbe"), c.data.get("readinessProbe")
    if not isinstance(live, dict) or not isinstance(ready, dict):
        return None
    handler = _handler(live)
    if not handler or handler != _handler(ready):
        return None
    # The documented pattern is the same cheap check with a more tolerant liveness probe; the
    # outage pattern is a liveness probe that fails as soon as (or before) readiness does.
    live_s, ready_s = _window(live), _window(ready)
    if live_s > ready_s:
        return None
    kind = next(iter(handler))
    ready_pos = obj.locate(c.path + ("readinessProbe",), key=True)
    return ctx.finding(
        "identical-probes", obj, c.path + ("livenessProbe",), key=True,
        message=(f"container '{c.name}': livenessProbe runs the same {kind} check as readinessProbe "
                 f"and gives up no later ({live_s:g}s vs {ready_s:g}s of failures), so a busy "
                 f"container is restarted instead of only taken out of rotation"),
        related=[Related(obj.file, ready_pos.line, "the readinessProbe")])


# --- probe-port-not-exposed ----------------------------------------------------------------------
def _declared(c: Container) -> tuple[set, set]:
    numbers, names = set(), set()
    for port in c.ports():
        number = port.get("containerPort")
        if isinstance(number, int) and not isinstance(number, bool):
            numbers.add(number)
        elif isinstance(number, str) and small_int(number) is not None:
            numbers.add(small_int(number))
        if isinstance(port.get("name"), str):
            names.add(port["name"])
    return numbers, names


def _undeclared_ports(ctx: CheckContext, obj: KubeObject, spec: PodSpec, c: Container):
    numbers, names = _declared(c)
    strict = bool(ctx.param("probe-port-not-exposed", "require-declared-ports", False))
    for probe_name in PROBES:
        probe = c.data.get(probe_name)
        if not isinstance(probe, dict):
            continue
        for handler in PORT_HANDLERS:
            action = probe.get(handler)
            if not isinstance(action, dict):
                continue
            port = action.get("port")
            path = c.path + (probe_name, handler, "port")
            if isinstance(port, str) and not port.strip().isdigit():
                if _PORT_NAME.match(port) and port not in names:
                    yield ctx.finding(
                        "probe-port-not-exposed", obj, path,
                        f"container '{c.name}': {probe_name} uses port name '{port}', which the "
                        f"container does not declare; the kubelet cannot resolve it and the probe "
                        f"always fails")
                continue
            number = _number(port, -1)
            if number <= 0 or number in numbers:
                continue
            # A container that declares no ports at all documents none; a probe on a number is
            # then no sign of a typo (unless require-declared-ports asks for declarations).
            if not numbers and not names and not strict:
                continue
            yield ctx.finding(
                "probe-port-not-exposed", obj, path,
                f"container '{c.name}': {probe_name} checks port {number:g}, which the container "
                f"does not declare{_owner_note(spec, c, number)}")


def _owner_note(spec: PodSpec, c: Container, number: float) -> str:
    for other in spec.containers:
        if other is not c and number in _declared(other)[0]:
            return f" (container '{other.name}' declares it, so the probe checks that container)"
    return ""
