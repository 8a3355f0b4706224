"""Cross-object analysis: rules no single object can decide (selectors, a pod's shared volumes and
ports, Secret/ConfigMap wiring, identities and storage), over one index of the whole scan.

See docs/cross-object.md. Each module is one rule family and one Python check:
selectors, volumes, secrets, identity; limitrange is a finding adjuster.
"""
