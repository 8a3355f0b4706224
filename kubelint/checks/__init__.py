"""Every Python rule implementation, by family. Importing this package registers each check
under the rule ids it serves (kubelint.ruleapi.registry); the rule files hold the metadata.

- syntax: findings made while reading files (YAML/Dockerfile syntax, duplicate keys, templates)
- schema: Kubernetes schema validation and API versions (the schema engine is kubelint.validate)
- kubernetes: per-object rules the condition language cannot express
- crossobject: rules over several objects, through kubelint.index
- dockerfile: Dockerfile rules over the stage model
- podsecurity: the Pod Security Standards, as the admission controller applies them
- images: a Dockerfile against the manifests that run its image (through kubelint.index.images)

Families never import each other.
"""

from kubelint.checks import crossobject, dockerfile, images, kubernetes, podsecurity, schema, syntax

__all__ = ["crossobject", "dockerfile", "images", "kubernetes", "podsecurity", "schema", "syntax"]
