"""kubelint: lint Kubernetes manifests and Dockerfiles with exact positions."""

__version__ = "0.1.0"
