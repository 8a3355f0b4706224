"""Dockerfile checks, one module per topic, each serving several rules: base images, the
entrypoint, layers, sources (COPY/ADD), package managers, shell scripts and metadata.
`base` holds what they share (the Dockerfiles of a scan, positions of instructions and words)."""

from kubelint.checks.dockerfile import entrypoint, images, layers, metadata, packages, scripts, shellcheck, sources

__all__ = ["entrypoint", "images", "layers", "metadata", "packages", "scripts", "shellcheck", "sources"]
