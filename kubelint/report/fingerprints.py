"""Fingerprints that CI services can track findings by, from one place.

A finding's fingerprint is the baseline's (kubelint.baseline.fingerprint: rule, file, object,
path, message; no line numbers, so it survives edits above it). GitLab keeps only the first issue
of a fingerprint and GitHub merges alerts that share one, so when several findings share a
fingerprint the second and later ones get `:2`, `:3`... in file order: the first stays equal to
the baseline's.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from kubelint.baseline import fingerprint


def unique_fingerprints(findings, root: Path) -> list[str]:
    seen: Counter = Counter()
    out = []
    for f in findings:
        fp = fingerprint(f, root)
        seen[fp] += 1
        out.append(fp if seen[fp] == 1 else f"{fp}:{seen[fp]}")
    return out
