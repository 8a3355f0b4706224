"""Where a pod spec names other objects: Secrets and ConfigMaps (volumes, projected sources,
envFrom, env valueFrom, imagePullSecrets), its ServiceAccount and its PersistentVolumeClaims."""

from __future__ import annotations

from dataclasses import dataclass, field

from kubelint.index.names import text
from kubelint.model.k8s import PodSpec


@dataclass
class Ref:
    kind: str  # Secret | ConfigMap
    name: str
    path: tuple  # the field holding the name
    how: str  # "volume 'creds'", "env DB_PASSWORD of container 'api'", ...
    optional: bool = False
    keys: list = field(default_factory=list)  # [(key, path of the key field)]
    env: bool = False  # reaches the container as environment variables


def _items_keys(items, base: tuple) -> list:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else ()):
        if isinstance(item, dict) and text(item.get("key")) is not None:
            out.append((text(item.get("key")), base + ("items", i, "key")))
    return out


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _volume_source(kind: str, source: dict, base: tuple, how: str, name_field: str) -> Ref | None:
    name = text(source.get(name_field))
    if name is None:
        return None
    return Ref(kind, name, base + (name_field,), how, source.get("optional") is True,
               _items_keys(source.get("items"), base))


def config_refs(spec: PodSpec) -> list[Ref]:
    """Every Secret and ConfigMap a pod spec names, in document order."""
    refs = []
    for i, v in enumerate(_list(spec.data.get("volumes"))):
        if not isinstance(v, dict):
            continue
        base = spec.path + ("volumes", i)
        how = f"volume '{text(v.get('name')) or i}'"
        if isinstance(v.get("secret"), dict):
            refs.append(_volume_source("Secret", v["secret"], base + ("secret",), how, "secretName"))
        if isinstance(v.get("configMap"), dict):
            refs.append(_volume_source("ConfigMap", v["configMap"], base + ("configMap",), how, "name"))
        projected = v.get("projected")
        if isinstance(projected, dict):
            for j, source in enumerate(_list(projected.get("sources"))):
                if not isinstance(source, dict):
                    continue
                for field_name, kind in (("secret", "Secret"), ("configMap", "ConfigMap")):
                    if isinstance(source.get(field_name), dict):
                        refs.append(_volume_source(kind, source[field_name],
                                                   base + ("projected", "sources", j, field_name),
                                                   f"projected {how}", "name"))
    for c in spec.containers:
        for j, env_from in enumerate(_list(c.data.get("envFrom"))):
            if not isinstance(env_from, dict):
                continue
            for field_name, kind in (("secretRef", "Secret"), ("configMapRef", "ConfigMap")):
                source = env_from.get(field_name)
                if isinstance(source, dict) and (name := text(source.get("name"))) is not None:
                    refs.append(Ref(kind, name, c.path + ("envFrom", j, field_name, "name"),
                                    f"envFrom of container '{c.name}'", source.get("optional") is True, env=True))
        for j, env in enumerate(_list(c.data.get("env"))):
            value_from = env.get("valueFrom") if isinstance(env, dict) else None
            if not isinstance(value_from, dict):
                continue
            for field_name, kind in (("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")):
                source = value_from.get(field_name)
                if isinstance(source, dict) and (name := text(source.get("name"))) is not None:
                    base = c.path + ("env", j, "valueFrom", field_name)
                    key = text(source.get("key"))
                    keys = [(key, base + ("key",))] if key else []
                    refs.append(Ref(kind, name, base + ("name",),
                                    f"env {text(env.get('name')) or j} of container '{c.name}'",
                                    source.get("optional") is True, keys, env=True))
    for j, pull in enumerate(_list(spec.data.get("imagePullSecrets"))):
        if isinstance(pull, dict) and (name := text(pull.get("name"))) is not None:
            refs.append(Ref("Secret", name, spec.path + ("imagePullSecrets", j, "name"),
                            "imagePullSecrets"))
    return [r for r in refs if r is not None]


def service_account_ref(spec: PodSpec) -> tuple[str, tuple] | None:
    """(name, path) of the pod's ServiceAccount, when it names one."""
    for field_name in ("serviceAccountName", "serviceAccount"):
        name = text(spec.data.get(field_name))
        if name is not None:
            return name, spec.path + (field_name,)
    return None


def claim_refs(spec: PodSpec) -> list[tuple[str, tuple, str]]:
    """(claim name, path, volume name) for each persistentVolumeClaim volume."""
    out = []
    for i, v in enumerate(_list(spec.data.get("volumes"))):
        claim = v.get("persistentVolumeClaim") if isinstance(v, dict) else None
        if isinstance(claim, dict) and (claim_name := text(claim.get("claimName"))) is not None:
            out.append((claim_name, spec.path + ("volumes", i, "persistentVolumeClaim", "claimName"),
                        text(v.get("name")) or str(i)))
    return out
