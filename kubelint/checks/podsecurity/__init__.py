"""The Pod Security Standards as the Pod Security Admission controller applies them: the controls
(controls.py), the level and version a Namespace's labels choose (policy.py), the check over every
pod-bearing object (admission.py) and the check of the labels themselves (namespaces.py)."""

from kubelint.checks.podsecurity import admission, namespaces

__all__ = ["admission", "namespaces"]
