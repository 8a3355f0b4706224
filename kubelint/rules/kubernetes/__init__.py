"""Python checks for Kubernetes per-object rules the condition language cannot express cleanly
(comparisons between two parts of one container, heuristics over values)."""
