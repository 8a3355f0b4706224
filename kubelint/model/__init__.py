"""Typed views the rules read: Kubernetes objects and pod specs, Dockerfile stages and instructions, quantities."""
