"""Selectors across objects: workloads and their templates, Services, PDBs, NetworkPolicies,
HPAs, StatefulSet governing Services, Ingress backends, and workloads that fight over pods.

Rules: selector-mismatch, service-no-pods, service-target-port, pdb-no-pods,
networkpolicy-no-pods, networkpolicy-peer-no-pods, hpa-no-target, hpa-with-replicas, statefulset-service,
ingress-no-service, overlapping-selectors, servicemonitor-no-service, podmonitor-no-pods.
"""

from __future__ import annotations

import re
from typing import Any

from kubelint.index.common import (
    in_namespace,
    label,
    not_found,
    plural,
    related,
    should_report_missing,
    shown_name,
    where,
)
from kubelint.index.labels import (
    Selector,
    clean_labels,
    closeness,
    describe_labels,
    label_selector,
    plain_selector,
)
from kubelint.index.names import is_placeholder, text
from kubelint.index.objects import BUILTIN_GROUPS, ObjectIndex, PodTemplate, index_of
from kubelint.index.provided import CLUSTER_SERVICES
from kubelint.model.k8s import KubeObject
from kubelint.model.numbers import small_int
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

# Controllers that own pods through spec.selector, by the shape of that selector.
LABEL_SELECTOR_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Rollout@argoproj.io"}
PLAIN_SELECTOR_KINDS = {"ReplicationController", "DeploymentConfig@apps.openshift.io"}
APPS_V1_KINDS = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet"}


def controller_kind(index: ObjectIndex, obj: KubeObject) -> str:
    """The index's kind, with the custom controllers we know spelt kind@group."""
    kind = index.kind(obj)
    if kind in ("Rollout", "DeploymentConfig"):
        return f"{kind}@{obj.group}"
    return kind


@check("cross-selectors", rules=(
    "hpa-no-target",
    "hpa-with-replicas",
    "ingress-no-service",
    "networkpolicy-no-pods",
    "networkpolicy-peer-no-pods",
    "overlapping-selectors",
    "pdb-no-pods",
    "podmonitor-no-pods",
    "selector-mismatch",
    "service-no-pods",
    "service-target-port",
    "servicemonitor-no-service",
    "statefulset-service",
), fills=(
    "selector", "labels", "labels_at", "api_version", "scope", "searched", "closest", "other", "other_at",
    "target", "target_kind", "target_namespace", "target_at", "similar", "similar_at", "elsewhere_at", "pods",
    "declared", "replicas", "hpa", "hpa_at", "more", "port", "offered", "count", "others"))
def run(ctx: CheckContext):
    index = index_of(ctx)
    controllers = []
    scaled: dict = {}  # id(workload) -> (workload, [HPAs]) for hpa-with-replicas
    for obj in index.objects:
        ctx.in_file(obj.file)
        kind = controller_kind(index, obj)
        if kind in LABEL_SELECTOR_KINDS or kind in PLAIN_SELECTOR_KINDS:
            if obj.pod_spec is not None:
                selector = workload_selector(obj, kind)
                yield from _selector_mismatch(ctx, obj, kind, selector)
                if selector is not None and not selector.empty:
                    controllers.append((obj, selector))
        elif kind == "Service":
            yield from _service(ctx, index, obj)
        elif kind == "PodDisruptionBudget":
            yield from _selects_pods(ctx, index, obj, "pdb-no-pods", ("spec", "selector"))
        elif kind == "NetworkPolicy":
            yield from _selects_pods(ctx, index, obj, "networkpolicy-no-pods", ("spec", "podSelector"))
            for path in _peer_selectors(obj):
                yield from _selects_pods(ctx, index, obj, "networkpolicy-peer-no-pods", path)
        elif kind == "HorizontalPodAutoscaler":
            yield from _hpa(ctx, index, obj, scaled)
        elif kind == "Ingress":
            yield from _ingress(ctx, index, obj)
        elif kind == "ServiceMonitor" and obj.group == MONITORING_GROUP:
            yield from _service_monitor(ctx, index, obj)
        elif kind == "PodMonitor" and obj.group == MONITORING_GROUP:
            yield from _pod_monitor(ctx, index, obj)
        if kind == "StatefulSet":
            yield from _statefulset_service(ctx, index, obj)
    if ctx.enabled("overlapping-selectors"):
        yield from _overlapping(ctx, index, controllers)
    if ctx.enabled("hpa-with-replicas"):
        yield from _hpa_with_replicas(ctx, scaled.values())


def workload_selector(obj: KubeObject, kind: str) -> Selector | None:
    raw = obj.effective("spec", "selector")  # with the labels a Kustomization writes
    if kind in PLAIN_SELECTOR_KINDS:
        return plain_selector(raw)
    return label_selector(raw)


# selector-mismatch ----------------------------------------------------------------------------
def _selector_mismatch(ctx, obj: KubeObject, kind: str, selector: Selector | None):
    if not ctx.enabled("selector-mismatch"):
        return
    spec = obj.pod()
    labels_path = spec.template_metadata_path + ("labels",)
    raw = obj.effective("spec", "selector")
    if raw is None:
        # apps/v1 made the selector required; older versions and RCs default it to the labels.
        # Without template labels either, the file is a kustomize patch or relies on commonLabels.
        if kind in APPS_V1_KINDS and obj.api_version == "apps/v1" and spec.labels:
            yield ctx.finding(
                "selector-mismatch", obj, ("spec",), key=True, variant="no-selector", api_version=obj.api_version,
                labels=describe_labels(spec.labels), labels_at=where(obj, labels_path),
                related=[related(obj, labels_path, "pod template labels")])
        return
    if selector is None:
        return  # malformed: the schema rules say so
    if selector.empty:
        if kind in LABEL_SELECTOR_KINDS:
            yield ctx.finding(
                "selector-mismatch", obj, ("spec", "selector"), key=True, variant="empty",
                labels=describe_labels(spec.labels), labels_at=where(obj, labels_path),
                related=[related(obj, labels_path, "pod template labels")])
        return
    template_labels = clean_labels(spec.labels)
    if not selector.matches(template_labels):
        yield ctx.finding(
            "selector-mismatch", obj, ("spec", "selector"), key=True, selector=selector.describe(),
            labels=describe_labels(template_labels), labels_at=where(obj, labels_path),
            related=[related(obj, labels_path, "pod template labels")])


# Services -----------------------------------------------------------------------------------
def _service(ctx, index: ObjectIndex, svc: KubeObject):
    spec = svc.get("spec")
    if not isinstance(spec, dict) or spec.get("type") == "ExternalName":
        return
    selector = plain_selector(svc.effective("spec", "selector"))
    if selector is None or selector.empty:
        return  # no selector: endpoints are managed by hand or by a controller
    matched = index.matching(selector, svc.namespace, svc)
    if not matched:
        yield from _no_pods(ctx, index, svc, "service-no-pods", ("spec", "selector"), selector, (svc.namespace,))
        return
    if ctx.enabled("service-target-port"):
        yield from _target_ports(ctx, index, svc, matched)


def _no_pods(ctx, index: ObjectIndex, obj: KubeObject, rule: str, path: tuple, selector: Selector,
             namespaces: tuple | None):
    """A selector of pods that selects none in `namespaces` (None: every namespace)."""
    if not ctx.enabled(rule):
        return
    templates = index.pods_in(namespaces, obj)
    if not index.complete and not _holds_all(namespaces, templates, lambda ns: index.pods(ns, obj)):
        return  # the scan shows no pods of a searched namespace: they are deployed from elsewhere
    if index.operator_for_selector_in(selector, namespaces, obj):
        return  # an operator makes these pods from a custom resource of the scan
    scope = _scope(index, obj, namespaces)
    elsewhere = [t for ns in namespaces or () for t in index.matching_elsewhere(selector, ns, obj)]
    if elsewhere:
        t = elsewhere[0]
        yield ctx.finding(
            rule, obj, path, key=True, variant="elsewhere", selector=selector.describe(), scope=scope,
            other=label(t.obj), other_at=t.where,
            related=[related(t.obj, t.obj.pod().template_metadata_path, f"{label(t.obj)} in another directory")])
        return
    closest = _closest(selector, [(t, t.labels) for t in templates])
    # Each candidate shows its labels, which hold commas: candidates are separated by semicolons.
    shown = "; ".join(f"{label(t.obj)} ({describe_labels(t.labels)}) at {t.where}" for t in closest)
    yield ctx.finding(
        rule, obj, path, key=True, variant=None if closest else "none-close", selector=selector.describe(),
        scope=scope, searched=f"{len(templates)} {plural('pod template', len(templates))}", closest=shown or None,
        related=[related(t.obj, t.obj.pod().template_metadata_path, f"{label(t.obj)}: closest labels")
                 for t in closest])


def _holds_all(namespaces: tuple | None, found: list, in_one) -> bool:
    """Whether the scan shows objects of every searched namespace (of some namespace for None):
    a namespace it shows none of is deployed from elsewhere, and not this scan's business."""
    if namespaces is None or len(namespaces) == 1:
        return bool(found)
    return all(in_one(ns) for ns in namespaces)


def _scope(index: ObjectIndex, obj: KubeObject, namespaces: tuple | None) -> str:
    if namespaces is None:
        return "in any namespace"
    scope = in_namespace(namespaces[0]) if len(namespaces) == 1 else \
        "in namespaces " + ", ".join(f"'{ns}'" for ns in namespaces)
    directories = [d for d in (index.directory_scope(ns, obj) for ns in namespaces) if d is not None]
    if directories:
        scope += f" within {directories[0] or '.'}/"
    return scope


def _closest(selector: Selector, candidates: list[tuple[Any, dict]]) -> list:
    """The (up to) three candidates whose labels come nearest the selector, in scan order on ties."""
    scored = [(closeness(selector, labels), i, c) for i, (c, labels) in enumerate(candidates)]
    scored.sort(key=lambda s: (tuple(-x for x in s[0]), s[1]))
    return [c for score, _, c in scored if any(score[:3])][:3]


# prometheus-operator's ServiceMonitor and PodMonitor ------------------------------------------------
MONITORING_GROUP = "monitoring.coreos.com"


def monitor_namespaces(obj: KubeObject) -> tuple[bool, tuple | None]:
    """(judgeable, the namespaces a monitor discovers its targets in: None for every one).
    `namespaceSelector.any: true` wins over `matchNames`; neither means the monitor's own
    namespace. A name some tool fills in (`{{ .Release.Namespace }}`) cannot be judged."""
    raw = obj.get("spec", "namespaceSelector")
    raw = raw if isinstance(raw, dict) else {}
    if raw.get("any") is True:
        return True, None
    names = raw.get("matchNames")
    names = [text(n) for n in names] if isinstance(names, list) else []
    if not names:
        return True, (obj.namespace,)
    if any(n is None or is_placeholder(n) for n in names):
        return False, None
    return True, tuple(dict.fromkeys(names))


def _monitor_selector(obj: KubeObject) -> Selector | None:
    """The monitor's label selector; None when missing, malformed or empty (`{}` selects every
    target of its namespaces)."""
    selector = label_selector(obj.effective("spec", "selector"))
    return None if selector is None or selector.empty else selector


def _judged_monitor(ctx, index: ObjectIndex, monitor: KubeObject, rule: str) -> tuple[Selector, tuple | None] | None:
    """(selector, namespaces searched or None for all) of a monitor the rule can judge here;
    None when the rule is off, the selector is missing or selects everything, the namespaces
    cannot be told, or they are every namespace of the cluster and the scan is not --complete."""
    selector = _monitor_selector(monitor)
    judgeable, namespaces = monitor_namespaces(monitor)
    if not ctx.enabled(rule) or selector is None or not judgeable:
        return None
    if not index.complete and namespaces is None:
        return None  # any namespace of the cluster: only a --complete scan shows them all
    return selector, namespaces


def _service_monitor(ctx, index: ObjectIndex, monitor: KubeObject):
    rule = "servicemonitor-no-service"
    judged = _judged_monitor(ctx, index, monitor, rule)
    if judged is None:
        return
    selector, namespaces = judged
    if index.matching_services(selector, namespaces, monitor) or _cluster_service(selector, namespaces):
        return
    services = index.services_in(namespaces, monitor)
    if not index.complete and not _holds_all(namespaces, services,
                                             lambda ns: index.services_in((ns,), monitor)):
        return  # the scan shows no Services of a searched namespace: they are deployed from elsewhere
    if index.operator_for_selector_in(selector, namespaces, monitor) \
            or any(index.service_maker(ns, monitor) for ns in namespaces or ()):
        return  # an operator makes the Service at run time (from a custom resource, or as it may)
    path = ("spec", "selector")
    scope = _scope(index, monitor, namespaces)
    elsewhere = index.services_elsewhere(selector, namespaces, monitor) if namespaces is not None else []
    if elsewhere:
        svc = elsewhere[0]
        yield ctx.finding(
            rule, monitor, path, key=True, variant="elsewhere", selector=selector.describe(), scope=scope,
            other=label(svc), other_at=where(svc, ("metadata", "labels")),
            related=[related(svc, ("metadata", "labels"), f"{label(svc)} in another directory")])
        return
    closest = _closest(selector, services)
    shown = "; ".join(f"{label(s)} ({describe_labels(clean_labels(s.labels))}) at {where(s, ('metadata', 'labels'))}"
                      for s in closest)
    yield ctx.finding(
        rule, monitor, path, key=True, variant=None if closest else "none-close", selector=selector.describe(),
        scope=scope, searched=f"{len(services)} {plural('Service', len(services))}", closest=shown or None,
        related=[related(s, ("metadata", "labels"), f"{label(s)}: closest labels") for s in closest])


def _cluster_service(selector: Selector, namespaces: tuple | None) -> bool:
    """Whether the selector selects a Service every cluster has (`kubernetes`, kube-dns...)."""
    return any(selector.matches(labels) for ns, labels in CLUSTER_SERVICES
               if namespaces is None or ns in namespaces)


def _pod_monitor(ctx, index: ObjectIndex, monitor: KubeObject):
    rule = "podmonitor-no-pods"
    judged = _judged_monitor(ctx, index, monitor, rule)
    if judged is None:
        return
    selector, namespaces = judged
    if not index.selects_any_in(selector, namespaces, monitor):
        yield from _no_pods(ctx, index, monitor, rule, ("spec", "selector"), selector, namespaces)


def _target_ports(ctx, index: ObjectIndex, svc: KubeObject, matched: list[PodTemplate]):
    ports = svc.get("spec", "ports")
    if not isinstance(ports, list):
        return
    declared_names: dict = {}
    declared_numbers: dict = {}
    for t in matched:
        for c in t.obj.pod().containers:
            for p in c.ports():
                if text(p.get("name")):
                    declared_names.setdefault(str(p["name"]), (t, c))
                if isinstance(p.get("containerPort"), int):
                    declared_numbers.setdefault(p["containerPort"], (t, c))
    pods = [f"{label(t.obj)} at {t.where}" for t in matched[:3]]
    mentioned = None  # numbers the selected pods name in args, env or mounted ConfigMaps
    for i, port in enumerate(ports):
        if not isinstance(port, dict):
            continue
        field = "targetPort" if port.get("targetPort") is not None else "port"
        target = port.get(field)
        if isinstance(target, str) and small_int(target) is not None:
            target = small_int(target)
        if isinstance(target, str) and not PORT_NAME.match(target):
            continue  # not a valid port name: a placeholder, or the schema rules' business
        if isinstance(target, str) and target not in declared_names:
            yield ctx.finding(
                "service-target-port", svc, ("spec", "ports", i, field),
                variant="port-name" if declared_names else "port-name-none", target=target, pods=pods,
                declared=sorted(declared_names),
                related=[related(t.obj, t.obj.pod().template_metadata_path, f"selected pods of {label(t.obj)}")
                         for t in matched[:3]])
        elif isinstance(target, int) and not isinstance(target, bool) and declared_numbers \
                and target not in declared_numbers:
            # Declaring ports is optional: only judge pods that declare some, and whose command,
            # environment and ConfigMaps do not name the port either (`--port=8000`, `:5317`).
            if mentioned is None:
                mentioned = _mentioned_numbers(index, svc, matched)
            if target in mentioned:
                continue
            yield ctx.finding(
                "service-target-port", svc, ("spec", "ports", i, field), target=target, pods=pods,
                declared=sorted(declared_numbers),
                related=[related(t.obj, t.obj.pod().template_metadata_path, f"selected pods of {label(t.obj)}")
                         for t in matched[:3]])


PORT_NAME = re.compile(r"^(?=.*[a-z])[a-z0-9]([a-z0-9-]{0,13}[a-z0-9])?$")
_NUMBER = re.compile(r"(?<![0-9])([0-9]{2,5})(?![0-9])")


def _mentioned_numbers(index: ObjectIndex, svc: KubeObject, matched: list[PodTemplate]) -> set:
    texts: list[str] = []
    for t in matched:
        for c in t.obj.pod().containers:
            for field_name in ("command", "args"):
                value = c.data.get(field_name)
                texts.extend(str(v) for v in value if not isinstance(v, (dict, list))) if isinstance(value, list) else None
            for env in c.data.get("env") or [] if isinstance(c.data.get("env"), list) else []:
                if isinstance(env, dict) and env.get("value") is not None:
                    texts.append(str(env["value"]))
        for ref in index.config_refs(t.obj):
            if ref.kind == "ConfigMap":
                for cm in index.find("ConfigMap", t.obj.namespace, ref.name, t.obj):
                    data = cm.get("data")
                    if isinstance(data, dict):
                        texts.extend(str(v) for v in data.values())
    return {int(n) for text_ in texts for n in _NUMBER.findall(text_)}


# PDBs and NetworkPolicies ------------------------------------------------------------------------
def _selects_pods(ctx, index: ObjectIndex, obj: KubeObject, rule: str, path: tuple):
    if not ctx.enabled(rule):
        return
    selector = label_selector(obj.effective(*path))
    if selector is None or selector.empty:
        return  # an empty selector selects every pod of the namespace
    if not index.selects_any(selector, obj.namespace, obj):
        yield from _no_pods(ctx, index, obj, rule, path, selector, (obj.namespace,))


def _peer_selectors(policy: KubeObject):
    """Paths of the podSelectors of ingress/egress peers that select pods of the policy's own
    namespace (no namespaceSelector beside them)."""
    for direction, peers in (("ingress", "from"), ("egress", "to")):
        rules = policy.get("spec", direction)
        for i, rule in enumerate(rules if isinstance(rules, list) else ()):
            items = rule.get(peers) if isinstance(rule, dict) else None
            for j, peer in enumerate(items if isinstance(items, list) else ()):
                if isinstance(peer, dict) and peer.get("podSelector") is not None \
                        and peer.get("namespaceSelector") is None:
                    yield ("spec", direction, i, peers, j, "podSelector")


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


def _hpa(ctx, index: ObjectIndex, hpa: KubeObject, scaled: dict):
    ref = hpa.get("spec", "scaleTargetRef")
    if not isinstance(ref, dict):
        return
    kind, name = _target_kind(ref), text(ref.get("name"))
    if kind is None or name is None or is_placeholder(name):
        return
    short_kind = kind.split(".")[0]
    targets = index.find(kind, hpa.namespace, name, hpa)
    if not targets:
        if ctx.enabled("hpa-no-target") and should_report_missing(index, kind, hpa.namespace, hpa):
            missing = not_found(index, kind, hpa.namespace, name, hpa, shown_kind=short_kind)
            yield ctx.finding("hpa-no-target", hpa, ("spec", "scaleTargetRef", "name"), related=missing.related,
                              variant=missing.variant, target=name, target_kind=short_kind, **missing.values)
        return
    # The HPA's own file first: a copy of the workload elsewhere is another variant of the app.
    targets = [t for t in targets if t.file == hpa.file] or targets
    for target in targets:
        scaled.setdefault(id(target), (target, []))[1].append(hpa)


def _hpa_with_replicas(ctx, scaled):
    for target, hpas in scaled:
        replicas = target.get("spec", "replicas")
        if replicas is None or isinstance(replicas, (dict, list)):
            continue
        hpa = next((h for h in hpas if h.file == target.file), hpas[0])
        yield ctx.finding(
            "hpa-with-replicas", target, ("spec", "replicas"), variant="several" if len(hpas) > 1 else None,
            replicas=replicas, hpa=shown_name(hpa), hpa_at=where(hpa, ("spec", "scaleTargetRef")), more=len(hpas) - 1,
            related=[related(h, ("spec", "scaleTargetRef"), f"HorizontalPodAutoscaler '{h.name}'") for h in hpas[:3]])


# StatefulSets ---------------------------------------------------------------------------------
def _statefulset_service(ctx, index: ObjectIndex, sts: KubeObject):
    if not ctx.enabled("statefulset-service") or sts.pod_spec is None:
        return
    name = text(sts.get("spec", "serviceName"))
    if name is None:
        yield ctx.finding("statefulset-service", sts, ("spec",), key=True, variant="no-service-name")
        return
    services = index.find("Service", sts.namespace, name, sts)
    if not services:
        if should_report_missing(index, "Service", sts.namespace, sts) and not is_placeholder(name) \
                and not index.operator_for_name(name, sts.namespace, sts):
            missing = not_found(index, "Service", sts.namespace, name, sts)
            yield ctx.finding("statefulset-service", sts, ("spec", "serviceName"), related=missing.related,
                              variant=missing.variant, target=name, **missing.values)
        return
    if not any(text(s.get("spec", "clusterIP")) == "None" for s in services):
        svc = services[0]
        yield ctx.finding(
            "statefulset-service", sts, ("spec", "serviceName"), variant="not-headless", target=name,
            target_at=where(svc, ("metadata", "name")),
            related=[related(svc, ("metadata", "name"), f"Service '{name}' has a cluster IP")])


# Ingresses ------------------------------------------------------------------------------------
def _ingress_backends(ing: KubeObject):
    """(path to the backend, service name, port value, path to the port) for each backend."""
    spec = ing.get("spec")
    if not isinstance(spec, dict):
        return
    candidates: list[tuple[tuple, Any]] = [(("spec", "defaultBackend"), spec.get("defaultBackend")),
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
            raw_port = service.get("port")
            port: dict = raw_port if isinstance(raw_port, dict) else {}
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
        if name is None or is_placeholder(name):
            continue
        services = index.find("Service", ing.namespace, name, ing)
        if not services:
            if should_report_missing(index, "Service", ing.namespace, ing) \
                    and not index.operator_for_name(name, ing.namespace, ing):
                missing = not_found(index, "Service", ing.namespace, name, ing)
                yield ctx.finding("ingress-no-service", ing, name_path, related=missing.related,
                                  variant=missing.variant, target=name, **missing.values)
            continue
        if port is None or isinstance(port, (dict, list, bool)):
            continue
        if isinstance(port, str) and small_int(port) is not None:
            port = small_int(port)
        offered = [(p.get("port"), text(p.get("name"))) for s in services
                   for p in (s.get("spec", "ports") or []) if isinstance(p, dict)]
        if not offered:
            continue  # ExternalName or port-less Services
        if any(port == number or port == pname for number, pname in offered):
            continue
        svc = services[0]
        yield ctx.finding(
            "ingress-no-service", ing, port_path, variant="port", port=str(port), target=name,
            offered=[f"{n}" + (f" ({pn})" if pn else "") for n, pn in offered], target_at=where(svc, ("spec", "ports")),
            related=[related(svc, ("spec", "ports"), f"ports of Service '{name}'")])


# Workloads fighting over pods ---------------------------------------------------------------
SHOWN_OTHERS = 3  # workloads a finding names; the rest are counted
SCAN_LIMIT = 1000  # identities looked at to find those names (the count is exact regardless)


def _overlapping(ctx, index: ObjectIndex, controllers: list):
    """One finding per workload whose selector matches the pods of other workloads, naming the
    first few and counting all. The pods a selector matches are looked up once per distinct
    selector and visibility, and the count comes from tallies: a thousand Deployments sharing a
    selector cost a thousand lookups in one shared answer, not a million pairs."""
    is_controller = {id(obj) for obj, _ in controllers}
    answers: dict = {}
    for obj, selector in controllers:
        # A selector of matchExpressions only has empty (unhashable) matchLabels: key it as ().
        key = (tuple(sorted(selector.match_labels.items())), selector.expressions,
               index.visibility(obj.namespace, obj))
        selected = answers.get(key)
        if selected is None:
            selected = answers[key] = _Selected(
                index, [t.obj for t in index.matching(selector, obj.namespace, obj) if id(t.obj) in is_controller])
        count, others = selected.others_of(obj)
        if not count:
            continue
        first = others[0]
        variant = None if count == 1 else "several" if count == len(others) else "many"
        yield ctx.finding(
            "overlapping-selectors", obj, ("spec", "selector"), key=True, variant=variant,
            selector=selector.describe(), scope=in_namespace(obj.namespace),
            other=label(first), other_at=where(first, ("spec", "selector")), count=count,
            others=[f"{label(o)} ({where(o, ('spec', 'selector'))})" for o in others], more=count - len(others),
            related=[related(o, ("spec", "selector"), f"selector of {label(o)}") for o in others])


class _Selected:
    """The workloads one selector matches, once per identity (kind, namespace, name): copies of
    a workload in other files (variants of one example) add nothing. Each is represented by its
    first copy, and tallied by name and pod labels, with and without its file, so that the
    workloads a given one must not be compared with (`_variants`) are counted in constant time."""

    def __init__(self, index: ObjectIndex, objects: list[KubeObject]):
        self.index = index
        self.first: dict = {}  # identity -> first copy, in scan order
        for obj in objects:
            self.first.setdefault(_identity(index, obj), obj)
        self.tally: dict = {}
        for obj in self.first.values():
            for key in _tally_keys(obj):
                self.tally[key] = self.tally.get(key, 0) + 1

    def others_of(self, obj: KubeObject) -> tuple[int, list[KubeObject]]:
        """(how many other workloads it selects, the first few of them)."""
        own = _identity(self.index, obj)
        name, labels, file = obj.name, _labels_key(obj), obj.file
        get = self.tally.get
        # Variants: in another file with the same name or the same labels (inclusion-exclusion).
        variants = (get(("n", name), 0) - get(("fn", file, name), 0)
                    + get(("l", labels), 0) - get(("fl", file, labels), 0)
                    - get(("nl", name, labels), 0) + get(("fnl", file, name, labels), 0))
        mine = self.first.get(own)
        count = len(self.first) - variants - (mine is not None and mine.file == file)
        shown: list[KubeObject] = []
        for i, (identity, other) in enumerate(self.first.items()):
            if len(shown) == min(count, SHOWN_OTHERS) or i == SCAN_LIMIT:
                break
            if identity != own and not _variants(obj, other):
                shown.append(other)
        return count, shown


def _identity(index: ObjectIndex, obj: KubeObject) -> tuple:
    return (index.kind(obj), obj.namespace, obj.name) if obj.name is not None else (id(obj),)


def _labels_key(obj: KubeObject) -> frozenset:
    return frozenset(clean_labels(obj.pod().labels).items())


def _tally_keys(obj: KubeObject) -> tuple:
    name, labels, file = obj.name, _labels_key(obj), obj.file
    return (("n", name), ("fn", file, name), ("l", labels), ("fl", file, labels),
            ("nl", name, labels), ("fnl", file, name, labels))


def _variants(a: KubeObject, b: KubeObject) -> bool:
    """Two versions of one workload rather than two workloads: in different files, with the same
    name (a kustomize base and its overlay, a Deployment and a DaemonSet flavour of one install)
    or the very same pod labels (alternative examples of one app). Within a file both run."""
    if a.file == b.file:
        return False
    return a.name == b.name or clean_labels(a.pod().labels) == clean_labels(b.pod().labels)
