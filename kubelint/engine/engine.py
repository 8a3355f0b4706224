"""Running the enabled rules over a scan: conditions per object / pod / container /
Dockerfile instruction, and each named Python check once."""

from __future__ import annotations

import time
from collections import defaultdict
from functools import lru_cache, partial
from sys import intern
from typing import Any, Iterable, Mapping

from kubelint.engine.conditions import Condition, Verdict, compile_condition
from kubelint.engine.paths import lookup, parse_path
from kubelint.findings import Finding, ObjectRef, ObjectValues, internal_error
from kubelint.gcpause import paused_gc
from kubelint.index.kustomize_labels import apply_kustomize_labels
from kubelint.index.patches import apply_kustomize_namespaces, partial_objects
from kubelint.model.document import dotted as _dotted
from kubelint.model.k8s import UNNAMED, KubeObject
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.messages import PLACEHOLDER, MessageError, show
from kubelint.ruleapi.registry import CheckSpec, check_for_rule, registered_adjusters
from kubelint.ruleapi.rule import Rule
from kubelint.scan import Scan


class _Part:
    """One check's findings of those a forked child computed (kubelint.engine.aside)."""

    def __init__(self, child: Any, index: int):
        self.child, self.index = child, index

    def result(self) -> list[Finding] | None:
        found = self.child.result()
        return found[self.index] if found is not None else None


class CheckFailed(Exception):
    """A rule names a check that serves no rule of its id (the loader refuses such files)."""


def render(template: str, values: Mapping[str, Any]) -> str:
    """Condition rules' messages: a value a verdict does not have is left as written."""
    pieces = _pieces(template)
    out = [pieces[0]]
    for i in range(1, len(pieces), 2):
        value = values.get(pieces[i])
        out.append(value if type(value) is str else "{" + pieces[i] + "}" if value is None else show(value))
        out.append(pieces[i + 1])
    return "".join(out)


@lru_cache(maxsize=None)
def _pieces(template: str) -> list[str]:
    """A template split once into text and placeholder names, alternately (text first)."""
    return PLACEHOLDER.split(template)


# The values every condition finding on an object has (kubelint.findings.ObjectValues), in the
# order _finding passes them to _fill.
_SLOTS = ObjectValues.KEYS
_SLOT = {name: i for i, name in enumerate(_SLOTS)}


def _message_parts(template: str, params: Mapping[str, Any]) -> tuple:
    """A condition rule's message as render() fills it, prepared once per rule: text and the
    index in _SLOTS of each per-finding value, alternately (text first and last); its params
    (the same in every finding of the rule) are filled in already."""
    pieces = _pieces(template)
    parts: list = []
    text = pieces[0]
    for i in range(1, len(pieces), 2):
        name = pieces[i]
        if name in _SLOT:
            parts += [text, _SLOT[name]]
            text = pieces[i + 1]
        else:
            text += render("{" + name + "}", params) + pieces[i + 1]
    parts.append(text)
    return tuple(parts)


def _fill(parts: tuple, slots: tuple) -> str:
    """render(template, values) for a template prepared by _message_parts."""
    message = parts[0]
    for i in range(1, len(parts), 2):
        value = slots[parts[i]]
        message += (value if type(value) is str else "{" + _SLOTS[parts[i]] + "}" if value is None
                    else show(value)) + parts[i + 1]
    return message


class _Compiled:
    def __init__(self, rule: Rule):
        self.rule = rule
        self.condition: Condition = compile_condition(rule.condition, rule.params, detail=False)
        self.for_each = lookup(parse_path(rule.for_each)) if rule.for_each else None
        self.kinds = set(rule.kinds) if rule.kinds else None
        self.groups = set(rule.container_groups) if rule.container_groups else None
        self.instructions = set(rule.instructions) if rule.instructions else None


class _KindRules:
    """The condition rules that apply to objects of one kind, by scope, in rule order: each
    object meets only these, instead of testing every rule's kinds."""

    def __init__(self, compiled: list[_Compiled], kind: str):
        mine = [c for c in compiled if c.kinds is None or kind in c.kinds]
        self.objects = [c for c in mine if c.rule.applies_to == "objects"]
        self.pod_bearing = [c for c in mine if c.rule.applies_to == "pod-bearing"]
        self.containers = [c for c in mine if c.rule.applies_to == "containers"]


# The checks run beside the others with --jobs, once the scan has enough objects or Dockerfiles
# to pay for a fork (about 10 ms): on ../shared/corpus/k8s, schema (0.22 s) and pod-security (0.06 s) against
# the conditions (0.13 s) and the other checks (0.13 s) in the parent; on
# ../shared/corpus/dockerfiles, dockerfile-layers (0.34 s with the RUN scripts split) against the
# other Dockerfile checks (0.21 s, splitting them again).
ASIDE_CHECKS = ("schema", "pod-security", "dockerfile-layers")
ASIDE_MIN_OBJECTS = 500
ASIDE_MIN_DOCKERFILES = 100

_KUBERNETES_SCOPES = {"objects", "pod-bearing", "containers"}
_DOCKERFILE_SCOPES = {"dockerfile", "instructions"}


def _has_input(rules: list[Rule], scan: Scan) -> bool:
    """A check only about Kubernetes objects need not be imported for a Dockerfile, and vice versa."""
    scopes = {r.applies_to for r in rules}
    if scopes <= _KUBERNETES_SCOPES:
        return bool(scan.objects)
    if scopes <= _DOCKERFILE_SCOPES:
        return bool(scan.dockerfiles)
    return True


class Engine:
    def __init__(self, rules: dict[str, Rule]):
        self.rules = rules
        self.compiled = [_Compiled(r) for r in rules.values() if r.condition is not None]
        self._params: dict[str, dict] = {}
        self._messages: dict[str, tuple] = {}  # rule id -> _message_parts of its message
        # The rules of each Python check, by the `check:` their files name; the check's module
        # is imported when a scan has input for it (kubelint.checks.load_checks).
        self.by_check: dict[str, list[Rule]] = {}
        for r in rules.values():
            if r.check:
                self.by_check.setdefault(r.check, []).append(r)
        self.debug = False  # --debug: internal-error findings carry the traceback on stderr
        # --jobs: above 1, the heaviest checks run in a forked child beside the others (kubelint.engine.aside)
        self.jobs = 1
        # kubelint.findingcache.FindingCache: condition findings per file kept between runs
        self.condition_cache: Any = None
        self.timings: dict[str, float] = defaultdict(float)  # per rule family, for the benchmark

    def run(self, scan: Scan) -> list[Finding]:
        with paused_gc():
            return self._run(scan)

    def _run(self, scan: Scan) -> list[Finding]:
        apply_kustomize_namespaces(scan)  # before any rule or index reads a namespace
        apply_kustomize_labels(scan)  # before any rule or index reads labels or selectors
        findings: list[Finding] = []
        patches = partial_objects(scan)
        ctx = CheckContext(scan, self.rules)
        checks = self._checks(scan)
        aside = self._aside(checks, ctx, scan)
        t = time.perf_counter()
        by_kind: dict[str, _KindRules] = {}
        if self.condition_cache is None:
            for obj in scan.objects:
                self._object_rules(obj, self._kind_rules(by_kind, obj.kind), id(obj) in patches, findings)
        else:
            for source, objects in _by_file(scan.objects):
                if self.condition_cache.keeps(source):
                    findings.extend(self._cached_object_rules(source, objects, by_kind, patches))
                else:  # never stored: no context to compare, no list per object to keep
                    for obj in objects:
                        self._object_rules(obj, self._kind_rules(by_kind, obj.kind), id(obj) in patches, findings)
        instruction_rules = [c for c in self.compiled if c.rule.applies_to == "instructions"]
        for dockerfile in scan.dockerfiles:
            findings.extend(self._instruction_rules(dockerfile, instruction_rules))
        self.timings["conditions"] += time.perf_counter() - t
        # The checks here first, then what the child found (run here if it failed), in check order.
        by_check: dict[str, list[Finding]] = {}
        for name in sorted(sorted(checks), key=lambda n: n in aside):  # (a stable sort: by name within each)
            t = time.perf_counter()
            found = aside[name].result() if name in aside else None
            by_check[name] = found if found is not None else self._run_check(checks[name][0], ctx)
            self.timings[name] += time.perf_counter() - t
        for name in sorted(checks):
            findings.extend(by_check[name])
        # Adjusters see every finding at once and may change them in the light of other objects;
        # one that restates findings of some rules is imported when there are such findings.
        from kubelint.checks import load_adjusters

        load_adjusters({f.rule for f in findings})
        for adj in registered_adjusters():
            t = time.perf_counter()
            try:
                findings = list(adj.adjust(ctx, findings))
            except Exception as exc:  # noqa: BLE001 - reported, never fatal to the other rules
                findings.append(self._internal_error(f"adjuster '{adj.name}'", ctx, exc))
            self.timings[adj.name] += time.perf_counter() - t
        return findings

    def _aside(self, checks: dict, ctx: CheckContext, scan: Scan) -> dict[str, Any]:
        """The checks started in a forked child (kubelint.engine.aside): with --jobs above 1, on
        a scan big enough to pay for the fork."""
        from kubelint.engine import aside

        big = len(scan.objects) >= ASIDE_MIN_OBJECTS or len(scan.dockerfiles) >= ASIDE_MIN_DOCKERFILES
        if self.jobs < 2 or not big or not aside.can_fork():
            return {}
        names = [name for name in ASIDE_CHECKS if name in checks]
        if not names:
            return {}
        try:
            child = aside.Aside(partial(self._run_checks, [checks[n][0] for n in names], ctx))
        except OSError:  # no process to be had: the checks run here
            return {}
        return {name: _Part(child, i) for i, name in enumerate(names)}

    def _run_checks(self, specs: list[CheckSpec], ctx: CheckContext) -> list[list[Finding]]:
        return [self._run_check(spec, ctx) for spec in specs]

    def _checks(self, scan: Scan) -> dict[str, tuple[CheckSpec, list[Rule]]]:
        """The Python checks with input in this scan, their modules imported (the one upward
        import: kubelint.checks), with their rules."""
        from kubelint.checks import load_checks

        wanted = [rules for rules in self.by_check.values() if _has_input(rules, scan)]
        load_checks(rules[0].check for rules in wanted)
        checks: dict[str, tuple[CheckSpec, list[Rule]]] = {}
        for rules in wanted:
            for r in rules:
                spec = check_for_rule(r.id)
                if spec is None:  # the loader refuses such rules; a Rule built by hand may not
                    raise CheckFailed(f"{r.source}: rule '{r.id}' names check '{r.check}', "
                                      f"which serves no rule of that id")
                checks.setdefault(spec.name, (spec, []))[1].append(r)
        return checks

    def _run_check(self, spec: CheckSpec, ctx: CheckContext) -> list[Finding]:
        """The check's findings, each within its rule's declared scope; a check that raises
        yields the findings made so far and an internal-error finding."""
        out: list[Finding] = []
        ctx.current_file = None
        try:
            for f in spec.run(ctx):
                if f is not None and _in_scope(self.rules[f.rule], f):
                    out.append(f)
        except Exception as exc:  # noqa: BLE001
            served = ", ".join(sorted(r for r in spec.rules if r in self.rules))
            out.append(self._internal_error(f"check '{spec.name}' (rules {served})", ctx, exc))
        return out

    def _internal_error(self, what: str, ctx: CheckContext, exc: Exception) -> Finding:
        detail = "MessageError: " + str(exc) if isinstance(exc, MessageError) else f"{type(exc).__name__}: {exc}"
        return internal_error(what, ctx.current_file or "-", detail, self.debug)

    # --- conditions -------------------------------------------------------------------------
    def _kind_rules(self, by_kind: dict[str, "_KindRules"], kind: str) -> "_KindRules":
        rules = by_kind.get(kind)
        if rules is None:
            rules = by_kind[kind] = _KindRules(self.compiled, kind)
        return rules

    def _cached_object_rules(self, source, objects: list[KubeObject], by_kind: dict[str, "_KindRules"],
                             patches: set[int]) -> list[Finding]:
        """One file's condition findings: from the cache (kubelint.findingcache) when each of its
        objects has the namespace and partial-object status it had when they were stored."""
        cache = self.condition_cache
        assert cache is not None
        context = tuple((obj.namespace, id(obj) in patches) for obj in objects)
        per_object = cache.get(source, context)
        if per_object is None:
            per_object = []
            for obj in objects:
                out: list[Finding] = []
                self._object_rules(obj, self._kind_rules(by_kind, obj.kind), id(obj) in patches, out)
                per_object.append(out)
            cache.put(source, context, per_object)
        return [f for fs in per_object for f in fs]

    def _object_rules(self, obj: KubeObject, rules: "_KindRules", patch: bool, out: list[Finding]) -> None:
        spec = obj.pod_spec
        scope = {"$object": obj.data, "$pod": spec.data if spec else None,
                 "_pod_path": spec.path if spec else (), "_patch": patch}
        evaluate = self._evaluate
        data = obj.data
        for c in rules.objects:
            if c.for_each is None:  # the common case, without a call to _evaluate
                verdict = c.condition(data, scope)
                if verdict.broken:
                    evaluate(c, obj, data, (), scope, None, out, verdict)
            else:
                evaluate(c, obj, data, (), scope, None, out)
        if spec is None:
            return
        for c in rules.pod_bearing:
            if c.for_each is None:
                verdict = c.condition(spec.data, scope)
                if verdict.broken:
                    evaluate(c, obj, spec.data, spec.path, scope, None, out, verdict)
            else:
                evaluate(c, obj, spec.data, spec.path, scope, None, out)
        if rules.containers:
            for container in spec.containers:
                cdata = container.data
                for c in rules.containers:
                    if c.groups is not None and not _in_groups(container, c.groups):
                        continue
                    if c.for_each is None:
                        verdict = c.condition(cdata, scope)
                        if verdict.broken:
                            evaluate(c, obj, cdata, container.path, scope, container.name, out, verdict)
                    else:
                        evaluate(c, obj, cdata, container.path, scope, container.name, out)

    def _evaluate(self, c: _Compiled, obj: KubeObject, root: Any, base: tuple, scope: dict,
                  container: str | None, out: list[Finding], verdict: Verdict | None = None) -> None:
        """`verdict`: the condition's, when the caller has evaluated it already."""
        # A kustomize patch (or a pod spec without containers) carries only the fields it
        # changes: a missing field there says nothing about the finished object, while a value
        # it sets is real.
        skip_missing = scope["_patch"]
        if c.for_each is None:
            if verdict is None:
                verdict = c.condition(root, scope)
            if verdict.broken and not (skip_missing and (verdict.missing or verdict.absent_field)):
                out.append(self._finding(c.rule, obj, base, verdict, scope, container))
            return
        for path, item in c.for_each(root, None):
            verdict = c.condition(item, scope)
            if verdict.broken and not (skip_missing and (verdict.missing or verdict.absent_field)):
                out.append(self._finding(c.rule, obj, base + path, verdict, scope, container))

    def _finding(self, rule: Rule, obj: KubeObject, base: tuple, verdict: Verdict, scope: dict,
                 container: str | None) -> Finding:
        rel = verdict.path
        if not rel:
            path = base
        elif rel[0] == "$pod":
            path = scope["_pod_path"] + rel[1:]
        elif rel[0] == "$object":
            path = rel[1:]
        else:
            path = base + rel
        value = verdict.value
        pos = obj.locate(path, key=verdict.missing or verdict.key or isinstance(value, (dict, list)))
        # The same paths recur in every object of a kind: one shared string each, not a copy
        # per finding. (Not a cache keyed by path: a key `true:` equals the index 1.)
        dotted = intern(_dotted(path))
        name = obj.name
        slots = (value if type(value) is str else _show(value), dotted, container, obj.kind,
                 name if name is not None else UNNAMED, obj.namespace)
        message = self._messages.get(rule.id)
        if message is None:
            message = self._messages[rule.id] = _message_parts(rule.message, self._param_values(rule))
        line, column, end_line, end_column = pos
        # Messages repeat too (a container rule names the container, not the object): shared.
        return Finding(rule.id, rule.severity, intern(_fill(message, slots)), obj.doc.source.display,
                       line, column, end_line, end_column, obj.ref, dotted or None, rule.remediation,
                       rule.doc_url, values=ObjectValues(*slots, self._param_values(rule)))

    def _param_values(self, rule: Rule) -> dict:
        """`{param.NAME}` values, rendered once per rule rather than once per finding."""
        shown = self._params.get(rule.id)
        if shown is None:
            shown = self._params[rule.id] = {f"param.{k}": _show(v) for k, v in rule.params.items()}
        return shown

    def _instruction_rules(self, dockerfile, compiled) -> Iterable[Finding]:
        for instr in getattr(dockerfile, "instructions", ()):
            for c in compiled:
                if c.instructions is not None and instr.name not in c.instructions:
                    continue
                roots = [((), instr.data)] if c.for_each is None else c.for_each(instr.data, None)
                for _, root in roots:
                    verdict = c.condition(root, {"$object": instr.data})
                    if not verdict.broken:
                        continue
                    stage = getattr(instr, "stage", None)
                    stage_name = getattr(stage, "name", None) if stage is not None else None
                    values = {"value": _show(verdict.value), "instruction": instr.name,
                              "stage": stage_name}
                    values.update(self._param_values(c.rule))
                    yield Finding(
                        rule=c.rule.id, severity=c.rule.severity,
                        message=render(c.rule.message, values),
                        file=dockerfile.source.display, line=instr.line, column=instr.column,
                        end_line=getattr(instr, "end_line", None),
                        object=ObjectRef(None, "Stage", None, stage_name) if stage is not None else None,
                        path=stage_name, remediation=c.rule.remediation, doc_url=c.rule.doc_url)


def _by_file(objects: list[KubeObject]) -> Iterable[tuple[Any, list[KubeObject]]]:
    """The scan's objects in runs of one source file (a file's objects are merged together)."""
    run: list[KubeObject] = []
    for obj in objects:
        if run and obj.doc.source is not run[0].doc.source:
            yield run[0].doc.source, run
            run = []
        run.append(obj)
    if run:
        yield run[0].doc.source, run


def _in_groups(container, groups) -> bool:
    """`container-groups` narrowing; `sidecars` names the native sidecars (init containers with
    restartPolicy Always), which run beside the app containers for the pod's whole life."""
    if groups is None or container.group in groups:
        return True
    return "sidecars" in groups and container.is_sidecar


_KUBERNETES_FILES = {"objects", "pod-bearing", "containers"}


def _in_scope(rule: Rule, f: Finding) -> bool:
    """A Python check's finding honours its rule's `applies-to` and `kinds` like a condition's:
    the check need not (and must not) re-declare them."""
    kind = f.object.kind if f.object is not None else None
    if rule.applies_to in _KUBERNETES_FILES and kind in (None, "Stage"):
        return False
    if rule.applies_to in _DOCKERFILE_SCOPES and f.object is not None and kind != "Stage":
        return False
    if rule.kinds is not None and kind not in rule.kinds:
        return False
    if rule.instructions is not None and f.values and f.values.get("instruction") not in (None, *rule.instructions):
        return False
    return True


def _show(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return None
    return value
