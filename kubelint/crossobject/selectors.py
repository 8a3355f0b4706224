"""Selectors across objects: workloads and their templates, Services, PDBs, NetworkPolicies,
HPAs, StatefulSet governing Services, Ingress backends, and workloads that fight over pods.

Rules: selector-mismatch, service-no-pods, service-target-port, pdb-no-pods,
networkpolicy-no-pods, hpa-no-target, hpa-with-replicas, statefulset-service,
ingress-no-service, overlapping-selectors.
"""

from __future__ import annotations

from kubelint.crossobject.common import (did_you_mean, in_namespace, label, related, searched,
                                         should_report_missing, text, where)
from kubelint.crossobject.index import BUILTIN_GROUPS, ObjectIndex, PodTemplate, index_of, kind_of
from kubelint.crossobject.labels import (Selector, clean_labels, closeness, describe_labels, label_selector,
                                         plain_selector)
from kubelint.model.k8s import KubeObject
from kubelint.rules.context import CheckContext

# Controllers that own pods through spec.selector, by the shape of that selector.
LABEL_SELECTOR_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Rollout@argoproj.io"}
PLAIN_SELECTOR_KINDS = {"ReplicationController", "DeploymentConfig@apps.openshift.io"}
APPS_V1_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}


def controller_kind(obj: KubeObject) -> str:
    """kind_of, with the custom controllers we know spelt kind@group."""
    if obj.kind in ("Rollout", "DeploymentConfig"):
        return f"{obj.kind}@{obj.group}"
    return kind_of(obj)


def run(ctx: CheckContext):
    index = index_of(ctx)
    controllers = []
    for obj in ctx.scan.objects:
        kind = controller_kind(obj)
        if kind in LABEL_SELECTOR_KINDS or kind in PLAIN_SELECTOR_KINDS:
            if obj.pod_spec is not None:
                selector = workload_selector(obj, kind)
                yield from _selector_mismatch(ctx, obj, kind, selector)
                if selector is not None and not selector.empty:
                    controllers.append((obj, selector))
        elif kind == "Service":
            yield from _service(ctx, index, obj)
        elif kind == "PodDisruptionBudget":
            yield from _selects_pods(ctx, index, obj, "pdb-no-pods", ("spec", "selector"), "PodDisruptionBudget")
        elif kind == "NetworkPolicy":
            yield from _selects_pods(ctx, index, obj, "networkpolicy-no-pods", ("spec", "podSelector"), "NetworkPolicy")
        elif kind == "HorizontalPodAutoscaler":
            yield from _hpa(ctx, index, obj)
        elif kind == "Ingress":
            yield from _ingress(ctx, index, obj)
        if kind == "StatefulSet":
            yield from _statefulset_service(ctx, index, obj)
    if ctx.enabled("overlapping-selectors"):
        yield from _overlapping(ctx, index, controllers)


def workload_selector(obj: KubeObject, kind: str) -> Selector | None:
    raw = obj.get("spec", "selector")
    if kind in PLAIN_SELECTOR_KINDS:
        return plain_selector(raw)
    return label_selector(raw)


# selector-mismatch ----------------------------------------------------------------------------
def _selector_mismatch(ctx, obj: KubeObject, kind: str, selector: Selector | None):
    if not ctx.enabled("selector-mismatch"):
        return
    spec = obj.pod_spec
    labels_path = spec.template_metadata_path + ("labels",)
    raw = obj.get("spec", "selector")
    if raw is None:
        # apps/v1 made the selector required; older versions and RCs default it to the labels.
        if kind in APPS_V1_KINDS and obj.api_version == "apps/v1":
            yield ctx.finding("selector-mismatch", obj, ("spec",), key=True, message=(
                f"{label(obj)} has no spec.selector, which {obj.api_version} requires; "
                f"its pod template labels are {describe_labels(spec.labels)} ({where(obj, labels_path)})"),
                related=[related(obj, labels_path, "pod template labels")])
        return
    if selector is None:
        return  # malformed: the schema rules say so
    if selector.empty:
        if kind in LABEL_SELECTOR_KINDS:
            yield ctx.finding("selector-mismatch", obj, ("spec", "selector"), key=True, message=(
                f"{label(obj)} has an empty selector, which the API server rejects; "
                f"select its pod template labels {describe_labels(spec.labels)} ({where(obj, labels_path)})"),
                related=[related(obj, labels_path, "pod template labels")])
        return
    template_labels = clean_labels(spec.labels)
    if not selector.matches(template_labels):
        yield ctx.finding("selector-mismatch", obj, ("spec", "selector"), key=True, message=(
            f"{label(obj)} selector {selector.describe()} does not match its pod template labels "
            f"{describe_labels(template_labels)} ({where(obj, labels_path)})"),
            related=[related(obj, labels_path, "pod template labels")])


# Services -----------------------------------------------------------------------------------
def _service(ctx, index: ObjectIndex, svc: KubeObject):
    spec = svc.get("spec")
    if not isinstance(spec, dict) or spec.get("type") == "ExternalName":
        return
    selector = plain_selector(spec.get("selector"))
    if selector is None or selector.empty:
        return  # no selector: endpoints are managed by hand or by a controller
    matched = index.matching(selector, svc.namespace, svc)
    if not matched:
        yield from _no_pods(ctx, index, svc, "service-no-pods", ("spec", "selector"), selector, "Service")
        return
    if ctx.enabled("service-target-port"):
        yield from _target_ports(ctx, svc, matched)


def _no_pods(ctx, index: ObjectIndex, obj: KubeObject, rule: str, path: tuple, selector: Selector, what: str):
    if not ctx.enabled(rule):
        return
    templates = index.pods(obj.namespace, obj)
    if not templates and not index.complete:
        return  # the scan shows no pods of this namespace: they are deployed from elsewhere
    closest = sorted(templates, key=lambda t: closeness(selector, t.labels), reverse=True)
    closest = [t for t in closest if closeness(selector, t.labels)[1] > 0][:3]
    hint = ""
    if closest:
        hint = "; closest: " + "; ".join(
            f"{label(t.obj)} ({describe_labels(t.labels)}) at {t.where}" for t in closest)
    yield ctx.finding(rule, obj, path, key=True, message=(
        f"{what} '{obj.name}' selects {selector.describe()} but no pod template "
        f"{in_namespace(obj.namespace)} matches (searched {len(templates)} "
        f"pod template{'' if len(templates) == 1 else 's'}){hint}"),
        related=[related(t.obj, t.obj.pod_spec.template_metadata_path, f"{label(t.obj)}: closest labels")
                 for t in closest])


def _target_ports(ctx, svc: KubeObject, matched: list[PodTemplate]):
    ports = svc.get("spec", "ports")
    if not isinstance(ports, list):
        return
    declared_names, declared_numbers = {}, {}
    for t in matched:
        for c in t.obj.pod_spec.containers:
            for p in c.ports():
                if text(p.get("name")):
                    declared_names.setdefault(str(p["name"]), (t, c))
                if isinstance(p.get("containerPort"), int):
                    declared_numbers.setdefault(p["containerPort"], (t, c))
    pods_text = ", ".join(f"{label(t.obj)} at {t.where}" for t in matched[:3])
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        field = "targetPort" if port.get("targetPort") is not None else "port"
        target = port.get(field)
        if isinstance(target, str) and target.isdigit():
            target = int(target)
        if isinstance(target, str) and target not in declared_names:
            yield ctx.finding("service-target-port", svc, ("spec", "ports", i, field), message=(
                f"Service '{svc.name}' targets port name '{target}', which no container of the selected "
                f"pods declares ({pods_text}; declared names: {', '.join(sorted(declared_names)) or 'none'})"),
                related=[related(t.obj, t.obj.pod_spec.template_metadata_path, f"selected pods of {label(t.obj)}")
                         for t in matched[:3]])
        elif isinstance(target, int) and not isinstance(target, bool) and declared_numbers \
                and target not in declared_numbers:
            # Containers need not declare ports; only judge pods that declare some.
            yield ctx.finding("service-target-port", svc, ("spec", "ports", i, field), message=(
                f"Service '{svc.name}' targets port {target}, which no container of the selected pods "
                f"declares ({pods_text}; declared: {', '.join(str(n) for n in sorted(declared_numbers))})"),
                related=[related(t.obj, t.obj.pod_spec.template_metadata_path, f"selected pods of {label(t.obj)}")
                         for t in matched[:3]])


# PDBs and NetworkPolicies ------------------------------------------------------------------------
def _selects_pods(ctx, index: ObjectIndex, obj: KubeObject, rule: str, path: tuple, what: str):
    if not ctx.enabled(rule):
        return
    selector = label_selector(obj.get(*path))
    if selector is None or selector.empty:
        return  # an empty selector selects every pod of the namespace
    if not index.matching(selector, obj.namespace, obj):
        yield from _no_pods(ctx, index, obj, rule, path, selector, what)


# HPAs ---------------------------------------------------------------------------------------
def _target_kind(ref: dict) -> str | None:
    kind = text(ref.get("kind"))
    if kind is None:
        return None
    api_version = text(ref.get("apiVersion")) or ""
    group = api_version.rpartition("/")[0] if "/" in api_version else ""
    groups = BUILTIN_GROUPS.get(kind)
    if not api_version or groups is None or group in groups:
        return kind
    return f"{kind}.{group}"


def _hpa(ctx, index: ObjectIndex, hpa: KubeObject):
    ref = hpa.get("spec", "scaleTargetRef")
    if not isinstance(ref, dict):
        return
    kind, name = _target_kind(ref), text(ref.get("name"))
    if kind is None or name is None:
        return
    short_kind = kind.split(".")[0]
    targets = index.find(kind, hpa.namespace, name, hpa)
    if not targets:
        if ctx.enabled("hpa-no-target") and should_report_missing(index, kind, hpa.namespace, hpa):
            hint, rel = did_you_mean(name, index, kind, hpa.namespace, hpa)
            yield ctx.finding("hpa-no-target", hpa, ("spec", "scaleTargetRef", "name"), message=(
                f"HorizontalPodAutoscaler '{hpa.name}' scales {short_kind} '{name}', which is not in the scan "
                f"({searched(index, kind, hpa.namespace, hpa).replace(kind + 's', short_kind + 's')}){hint}"),
                related=rel)
        return
    if not ctx.enabled("hpa-with-replicas"):
        return
    for target in targets:
        replicas = target.get("spec", "replicas")
        if replicas is not None and not isinstance(replicas, (dict, list)):
            yield ctx.finding("hpa-with-replicas", target, ("spec", "replicas"), message=(
                f"{label(target)} sets replicas: {replicas} while HorizontalPodAutoscaler '{hpa.name}' "
                f"({where(hpa, ('spec', 'scaleTargetRef'))}) scales it; each apply resets the replica count"),
                related=[related(hpa, ("spec", "scaleTargetRef"), f"HorizontalPodAutoscaler '{hpa.name}'")])


# StatefulSets ---------------------------------------------------------------------------------
def _statefulset_service(ctx, index: ObjectIndex, sts: KubeObject):
    if not ctx.enabled("statefulset-service") or sts.pod_spec is None:
        return
    name = text(sts.get("spec", "serviceName"))
    if name is None:
        yield ctx.finding("statefulset-service", sts, ("spec",), key=True, message=(
            f"StatefulSet '{sts.name}' names no serviceName: its pods get no stable DNS names"))
        return
    services = index.find("Service", sts.namespace, name, sts)
    if not services:
        if should_report_missing(index, "Service", sts.namespace, sts):
            hint, rel = did_you_mean(name, index, "Service", sts.namespace, sts)
            yield ctx.finding("statefulset-service", sts, ("spec", "serviceName"), message=(
                f"StatefulSet '{sts.name}' names serviceName '{name}', which is not in the scan "
                f"({searched(index, 'Service', sts.namespace, sts)}){hint}"), related=rel)
        return
    if not any(text(s.get("spec", "clusterIP")) == "None" for s in services):
        svc = services[0]
        yield ctx.finding("statefulset-service", sts, ("spec", "serviceName"), message=(
            f"StatefulSet '{sts.name}' names serviceName '{name}', but that Service "
            f"({where(svc, ('metadata', 'name'))}) is not headless (clusterIP: None)"),
            related=[related(svc, ("spec",), f"Service '{name}'")])


# Ingresses ------------------------------------------------------------------------------------
def _ingress_backends(ing: KubeObject):
    """(path to the backend, service name, port value, path to the port) for each backend."""
    spec = ing.get("spec")
    if not isinstance(spec, dict):
        return
    candidates = [(("spec", "defaultBackend"), spec.get("defaultBackend")),
                  (("spec", "backend"), spec.get("backend"))]
    rules = spec.get("rules")
    for i, rule in enumerate(rules if isinstance(rules, list) else ()):
        paths = rule.get("http", {}).get("paths") if isinstance(rule, dict) and isinstance(rule.get("http"), dict) else None
        for j, p in enumerate(paths if isinstance(paths, list) else ()):
            if isinstance(p, dict):
                candidates.append((("spec", "rules", i, "http", "paths", j, "backend"), p.get("backend")))
    for path, backend in candidates:
        if not isinstance(backend, dict):
            continue
        service = backend.get("service")
        if isinstance(service, dict):  # networking.k8s.io/v1
            port = service.get("port") if isinstance(service.get("port"), dict) else {}
            value = port.get("number") if port.get("number") is not None else port.get("name")
            port_field = "number" if port.get("number") is not None else "name"
            yield path + ("service", "name"), text(service.get("name")), value, path + ("service", "port", port_field)
        elif backend.get("serviceName") is not None:  # v1beta1
            yield path + ("serviceName",), text(backend.get("serviceName")), backend.get("servicePort"), \
                path + ("servicePort",)


def _ingress(ctx, index: ObjectIndex, ing: KubeObject):
    if not ctx.enabled("ingress-no-service"):
        return
    for name_path, name, port, port_path in _ingress_backends(ing):
        if name is None:
            continue
        services = index.find("Service", ing.namespace, name, ing)
        if not services:
            if should_report_missing(index, "Service", ing.namespace, ing):
                hint, rel = did_you_mean(name, index, "Service", ing.namespace, ing)
                yield ctx.finding("ingress-no-service", ing, name_path, message=(
                    f"Ingress '{ing.name}' routes to Service '{name}', which is not in the scan "
                    f"({searched(index, 'Service', ing.namespace, ing)}){hint}"), related=rel)
            continue
        if port is None or isinstance(port, (dict, list, bool)):
            continue
        if isinstance(port, str) and port.isdigit():
            port = int(port)
        offered = [(p.get("port"), text(p.get("name"))) for s in services
                   for p in (s.get("spec", "ports") or []) if isinstance(p, dict)]
        if not offered:
            continue  # ExternalName or port-less Services
        if any(port == number or port == pname for number, pname in offered):
            continue
        svc = services[0]
        shown = ", ".join(f"{n}" + (f" ({pn})" if pn else "") for n, pn in offered)
        yield ctx.finding("ingress-no-service", ing, port_path, message=(
            f"Ingress '{ing.name}' routes to port {port!s} of Service '{name}', which offers only "
            f"{shown} ({where(svc, ('spec', 'ports'))})"),
            related=[related(svc, ("spec", "ports"), f"ports of Service '{name}'")])


# Workloads fighting over pods ---------------------------------------------------------------
def _overlapping(ctx, index: ObjectIndex, controllers: list):
    order = {id(obj): i for i, obj in enumerate(ctx.scan.objects)}
    is_controller = {id(obj) for obj, _ in controllers}
    seen = set()
    for obj, selector in controllers:
        for template in index.matching(selector, obj.namespace, obj):
            other = template.obj
            if other is obj or id(other) not in is_controller or _same_identity(obj, other):
                continue
            pair = frozenset((id(obj), id(other)))
            if pair in seen:
                continue
            seen.add(pair)
            later, earlier = (obj, other) if order[id(obj)] > order[id(other)] else (other, obj)
            yield ctx.finding("overlapping-selectors", later, ("spec", "selector"), key=True, message=(
                f"{label(later)} and {label(earlier)} ({where(earlier, ('spec', 'selector'))}) "
                f"select each other's pods {in_namespace(later.namespace)}: "
                f"{label(obj)} selector {selector.describe()} matches the pod labels of {label(other)}"),
                related=[related(earlier, ("spec", "selector"), f"selector of {label(earlier)}")])


def _same_identity(a: KubeObject, b: KubeObject) -> bool:
    """Two copies of one object (a kustomize base and its overlay, two variants): not a conflict."""
    return kind_of(a) == kind_of(b) and a.name == b.name and a.namespace == b.namespace
