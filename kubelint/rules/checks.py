"""Python checks named by rule files (`check: NAME`), imported only when a rule needs them.

A check is `def run(ctx: CheckContext) -> Iterable[Finding]`; it builds findings with
`ctx.finding(...)`/`ctx.docker_finding(...)` so severities, params and docs come from the rule files.
"""

CHECKS = {
    # name: "module:function"
    "parse": "kubelint.rules.parse_check:run",
    "schema": "kubelint.validate.check:run",
    # Dockerfile checks (kubelint/rules/dockerfile/): one per topic, several rules each
    "dockerfile-entrypoint": "kubelint.rules.dockerfile.entrypoint:run",
    "dockerfile-images": "kubelint.rules.dockerfile.images:run",
    "dockerfile-layers": "kubelint.rules.dockerfile.layers:run",
    "dockerfile-sources": "kubelint.rules.dockerfile.sources:run",
    "dockerfile-packages": "kubelint.rules.dockerfile.packages:run",
    "dockerfile-scripts": "kubelint.rules.dockerfile.scripts:run",
    "dockerfile-metadata": "kubelint.rules.dockerfile.metadata:run",
    # Kubernetes per-object checks (kubelint/rules/kubernetes/)
    "k8s-probes": "kubelint.rules.kubernetes.probes:run",
    "k8s-env-secrets": "kubelint.rules.kubernetes.env_secrets:run",
    "k8s-replicas": "kubelint.rules.kubernetes.replicas:run",
    "k8s-pdb": "kubelint.rules.kubernetes.pdb:run",
    "k8s-service-account": "kubelint.rules.kubernetes.service_account:run",
    "k8s-seccomp": "kubelint.rules.kubernetes.seccomp:run",
    "k8s-extended-resources": "kubelint.rules.kubernetes.extended_resources:run",
    # Cross-object checks (kubelint/crossobject/): one per rule family, over one index of the scan
    "cross-selectors": "kubelint.crossobject.selectors:run",
    "cross-volumes": "kubelint.crossobject.volumes:run",
    "cross-secrets": "kubelint.crossobject.secrets:run",
    "cross-identity": "kubelint.crossobject.identity:run",
}

# Finding adjusters: `def adjust(ctx: CheckContext, findings: list[Finding]) -> list[Finding]`,
# run by the engine after every rule and check, in name order. They may change a finding in the
# light of other objects (its severity, its message) or drop it.
ADJUSTERS = {
    # LimitRange defaults make missing requests/limits harmless: those findings become info.
    "limitrange-defaults": "kubelint.crossobject.limitrange:adjust",
}
