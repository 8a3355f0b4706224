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


IDENTICAL, PORTS = "identical-probes", "probe-port-not-exposed"


@check("k8s-probes", rules=(IDENTICAL, PORTS),
       fills=("container", "handler", "liveness_seconds", "readiness_seconds", "probe", "port", "owner"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    identical = ctx.enabled(IDENTICAL)
    ports = ctx.enabled(PORTS)
    for obj in ctx.objects(ctx.kinds(IDENTICAL, PORTS)):
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
    number = small_int(value) if isinstance(value, str) else None
    return number if number is not None else default


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
    ready_pos = obj.locate(c.path + ("readinessProbe",), key=True)
    return ctx.finding(
        IDENTICAL, obj, c.path + ("livenessProbe",), key=True,
        related=[Related(obj.file, ready_pos.line, "the readinessProbe")],
        container=c.name, handler=next(iter(handler)),
        liveness_seconds=f"{live_s:g}", readiness_seconds=f"{ready_s:g}")


# --- probe-port-not-exposed ----------------------------------------------------------------------
def _declared(c: Container) -> tuple[set, set]:
    numbers, names = set(), set()
    for port in c.ports():
        number = port.get("containerPort")
        if isinstance(number, int) and not isinstance(number, bool):
            numbers.add(number)
        elif isinstance(number, str) and (parsed := small_int(number)) is not None:
            numbers.add(parsed)
        if isinstance(port.get("name"), str):
            names.add(port["name"])
    return numbers, names


def _undeclared_ports(ctx: CheckContext, obj: KubeObject, spec: PodSpec, c: Container):
    numbers, names = _declared(c)
    strict = bool(ctx.param(PORTS, "require-declared-ports", False))
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
                    # A patch's container declares the ports it changes; the rest are in the base.
                    yield ctx.finding(PORTS, obj, path, variant="port-name", container=c.name, absent=True,
                                      probe=probe_name, port=port)
                continue
            number = _number(port, -1)
            if number <= 0 or number in numbers:
                continue
            # A container that declares no ports at all documents none; a probe on a number is
            # then no sign of a typo (unless require-declared-ports asks for declarations).
            if not numbers and not names and not strict:
                continue
            owner = _owner(spec, c, number)
            yield ctx.finding(PORTS, obj, path, variant="other-container" if owner else None, absent=True,
                              container=c.name, probe=probe_name, port=f"{number:g}", owner=owner)


def _owner(spec: PodSpec, c: Container, number: float) -> str | None:
    """The other container of the pod that declares the port, if any."""
    for other in spec.containers:
        if other is not c and number in _declared(other)[0]:
            return other.name
    return None
