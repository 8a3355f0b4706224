"""Cross-object analysis: rules no single object can decide (selectors, a pod's shared volumes and
ports, Secret/ConfigMap wiring, identities and storage), over the scan-wide index in
kubelint.index. See docs/cross-object.md. Each module is one rule family and one check;
limitrange is a finding adjuster."""

from kubelint.checks.crossobject import coverage, identity, limitrange, rbac, secrets, selectors, volumes

__all__ = ["coverage", "identity", "limitrange", "rbac", "secrets", "selectors", "volumes"]
