"""Checks across a Dockerfile and the manifests that run its image: the container's command and
args against ENTRYPOINT/CMD, runAsNonRoot against USER, VOLUME against mounts, ports against
EXPOSE, tools a probe or command calls against what the image holds, HEALTHCHECK against probes,
and malformed build configs. Links come from kubelint.index.images; `base` holds what they share."""

from kubelint.checks.images import buildconfig, entrypoint, healthcheck, ports, tools, user, volumes

__all__ = ["buildconfig", "entrypoint", "healthcheck", "ports", "tools", "user", "volumes"]
