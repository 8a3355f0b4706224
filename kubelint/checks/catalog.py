"""Which module registers each check and adjuster: what kubelint.checks.load_checks imports.

Generated: `python -m kubelint.checks.catalog > kubelint/checks/catalog.py`
(tests/test_check_catalog.py fails when it is stale).
"""

CHECKS: dict[str, str] = {
    "build-config": "kubelint.checks.images.buildconfig",
    "cross-coverage": "kubelint.checks.crossobject.coverage",
    "cross-identity": "kubelint.checks.crossobject.identity",
    "cross-rbac": "kubelint.checks.crossobject.rbac",
    "cross-secrets": "kubelint.checks.crossobject.secrets",
    "cross-selectors": "kubelint.checks.crossobject.selectors",
    "cross-volumes": "kubelint.checks.crossobject.volumes",
    "dockerfile-entrypoint": "kubelint.checks.dockerfile.entrypoint",
    "dockerfile-images": "kubelint.checks.dockerfile.images",
    "dockerfile-layers": "kubelint.checks.dockerfile.layers",
    "dockerfile-metadata": "kubelint.checks.dockerfile.metadata",
    "dockerfile-packages": "kubelint.checks.dockerfile.packages",
    "dockerfile-scripts": "kubelint.checks.dockerfile.scripts",
    "dockerfile-shellcheck": "kubelint.checks.dockerfile.shellcheck",
    "dockerfile-sources": "kubelint.checks.dockerfile.sources",
    "image-entrypoint": "kubelint.checks.images.entrypoint",
    "image-healthcheck": "kubelint.checks.images.healthcheck",
    "image-ports": "kubelint.checks.images.ports",
    "image-tools": "kubelint.checks.images.tools",
    "image-user": "kubelint.checks.images.user",
    "image-volumes": "kubelint.checks.images.volumes",
    "k8s-anti-affinity": "kubelint.checks.kubernetes.anti_affinity",
    "k8s-capabilities": "kubelint.checks.kubernetes.capabilities",
    "k8s-configmap-secrets": "kubelint.checks.kubernetes.configmap_secrets",
    "k8s-control-plane": "kubelint.checks.kubernetes.control_plane",
    "k8s-env-names": "kubelint.checks.kubernetes.env_names",
    "k8s-env-secrets": "kubelint.checks.kubernetes.env_secrets",
    "k8s-extended-resources": "kubelint.checks.kubernetes.extended_resources",
    "k8s-host-mounts": "kubelint.checks.kubernetes.host_mounts",
    "k8s-ingress-snippets": "kubelint.checks.kubernetes.ingress_snippets",
    "k8s-node-labels": "kubelint.checks.kubernetes.node_labels",
    "k8s-pdb": "kubelint.checks.kubernetes.pdb",
    "k8s-probes": "kubelint.checks.kubernetes.probes",
    "k8s-rbac-aggregation": "kubelint.checks.kubernetes.aggregation",
    "k8s-replicas": "kubelint.checks.kubernetes.replicas",
    "k8s-seccomp": "kubelint.checks.kubernetes.seccomp",
    "k8s-service-account": "kubelint.checks.kubernetes.service_account",
    "k8s-topology-spread": "kubelint.checks.kubernetes.topology_spread",
    "k8s-writable-host-mounts": "kubelint.checks.kubernetes.host_mounts",
    "parse": "kubelint.checks.syntax",
    "pod-security": "kubelint.checks.podsecurity.admission",
    "pod-security-labels": "kubelint.checks.podsecurity.namespaces",
    "schema": "kubelint.checks.schema",
}

ADJUSTERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "limitrange-defaults": ("kubelint.checks.crossobject.limitrange", ("missing-limits", "missing-requests",)),
}

def render() -> str:
    """This file's text, from the registry once every family is imported."""
    from kubelint.checks import load_all
    from kubelint.ruleapi.registry import registered_adjusters, registered_checks

    load_all()
    doc = __doc__ or ""
    lines = ['"""' + doc.strip("\n") + '\n"""', "", "CHECKS: dict[str, str] = {"]
    for name, spec in sorted(registered_checks().items()):
        lines.append(f'    "{name}": "{spec.run.__module__}",')
    lines += ["}", "", "ADJUSTERS: dict[str, tuple[str, tuple[str, ...]]] = {"]
    for adj in registered_adjusters():
        rules = "".join(f'"{r}", ' for r in sorted(adj.rules)).rstrip(" ")
        lines.append(f'    "{adj.name}": ("{adj.adjust.__module__}", ({rules})),')
    lines += ["}", ""]
    source = open(__file__, encoding="utf-8").read()
    lines.append(source[source.index("\n\ndef render") + 2:].rstrip("\n"))
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(render(), end="")
