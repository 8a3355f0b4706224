"""Scan-wide knowledge, below every check: the object index (objects, pod templates, selectors),
label semantics, where pod specs reference other objects, what the cluster provides without a
manifest, and kustomize patches and kustomization membership."""
