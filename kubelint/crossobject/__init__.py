"""Cross-object analysis: rules no single object can decide (selectors, a pod's shared volumes and
ports, Secret/ConfigMap wiring, identities and storage), over one index of the whole scan.

See docs/cross-object.md. Each module is one rule family and one Python check:
selectors, volumes, secrets, identity. index builds the shared index (labels: selector semantics,
refs: where a pod spec names other objects, provided: objects without a manifest of their own);
limitrange is a finding adjuster; bench measures the share of a run.
"""
