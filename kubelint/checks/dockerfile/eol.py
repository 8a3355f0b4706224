"""End-of-life dates of popular base images, by image and version (or distribution codename).

Dates are upstream end of support (security fixes) as published by each project; an image is
end-of-life when the date is on or before the day of the run (or the rule's `as-of` param).
Keep entries sorted by image; add rows, never guess: a missing version means "not known EOL".
"""

from __future__ import annotations

import re
from datetime import date

# image names (as Docker Hub spells them) → [(version prefix, EOL date, product label)]
# A version prefix matches the tag's leading version: "3.8" matches 3.8, 3.8.10, 3.8-slim.
VERSIONS: dict[tuple[str, ...], list[tuple[str, str, str]]] = {
    ("python", "pypy"): [
        ("2", "2020-01-01", "Python 2"),
        ("3.0", "2009-06-27", "Python 3.0"), ("3.1", "2012-04-09", "Python 3.1"),
        ("3.2", "2016-02-20", "Python 3.2"), ("3.3", "2017-09-29", "Python 3.3"),
        ("3.4", "2019-03-18", "Python 3.4"), ("3.5", "2020-09-30", "Python 3.5"),
        ("3.6", "2021-12-23", "Python 3.6"), ("3.7", "2023-06-27", "Python 3.7"),
        ("3.8", "2024-10-07", "Python 3.8"), ("3.9", "2025-10-31", "Python 3.9"),
        ("3.10", "2026-10-31", "Python 3.10"), ("3.11", "2027-10-31", "Python 3.11"),
        ("3.12", "2028-10-31", "Python 3.12"),
    ],
    ("node",): [
        (str(v), d, f"Node.js {v}") for v, d in (
            (0, "2016-12-31"), (4, "2018-04-30"), (5, "2016-06-30"), (6, "2019-04-30"),
            (7, "2017-06-30"), (8, "2019-12-31"), (9, "2018-06-30"), (10, "2021-04-30"),
            (11, "2019-06-01"), (12, "2022-04-30"), (13, "2020-06-01"), (14, "2023-04-30"),
            (15, "2021-06-01"), (16, "2023-09-11"), (17, "2022-06-01"), (18, "2025-04-30"),
            (19, "2023-06-01"), (20, "2026-04-30"), (21, "2024-06-01"), (22, "2027-04-30"),
            (23, "2025-06-01"), (24, "2028-04-30"))
    ],
    ("golang",): [
        (f"1.{m}", d, f"Go 1.{m}") for m, d in (
            (11, "2019-09-03"), (12, "2020-02-25"), (13, "2020-08-11"), (14, "2021-02-16"),
            (15, "2021-08-16"), (16, "2022-03-15"), (17, "2022-08-02"), (18, "2023-02-01"),
            (19, "2023-08-08"), (20, "2024-02-06"), (21, "2024-08-13"), (22, "2025-02-11"),
            (23, "2025-08-12"), (24, "2026-02-10"), (25, "2026-08-11"))
    ] + [(f"1.{m}", "2019-09-03", f"Go 1.{m}") for m in range(0, 11)],
    ("ubuntu",): [
        ("12.04", "2017-04-28", "Ubuntu 12.04"), ("14.04", "2019-04-25", "Ubuntu 14.04"),
        ("16.04", "2021-04-30", "Ubuntu 16.04"), ("18.04", "2023-05-31", "Ubuntu 18.04"),
        ("20.04", "2025-05-31", "Ubuntu 20.04"), ("22.04", "2027-06-01", "Ubuntu 22.04"),
        ("precise", "2017-04-28", "Ubuntu 12.04"), ("trusty", "2019-04-25", "Ubuntu 14.04"),
        ("xenial", "2021-04-30", "Ubuntu 16.04"), ("bionic", "2023-05-31", "Ubuntu 18.04"),
        ("focal", "2025-05-31", "Ubuntu 20.04"), ("jammy", "2027-06-01", "Ubuntu 22.04"),
    ],
    ("debian",): [
        ("7", "2018-05-31", "Debian 7"), ("8", "2020-06-30", "Debian 8"),
        ("9", "2022-06-30", "Debian 9"), ("10", "2024-06-30", "Debian 10"),
        ("11", "2026-08-31", "Debian 11"),
    ],
    ("centos",): [
        ("5", "2017-03-31", "CentOS 5"), ("6", "2020-11-30", "CentOS 6"),
        ("7", "2024-06-30", "CentOS 7"), ("8", "2021-12-31", "CentOS 8"),
        ("centos5", "2017-03-31", "CentOS 5"), ("centos6", "2020-11-30", "CentOS 6"),
        ("centos7", "2024-06-30", "CentOS 7"), ("centos8", "2021-12-31", "CentOS 8"),
        ("latest", "2021-12-31", "CentOS 8 (centos:latest)"), ("", "2021-12-31", "CentOS 8 (centos:latest)"),
    ],
    ("alpine",): [
        (f"3.{m}", d, f"Alpine 3.{m}") for m, d in (
            (7, "2019-11-01"), (8, "2020-05-01"), (9, "2020-11-01"), (10, "2021-05-01"),
            (11, "2021-11-01"), (12, "2022-05-01"), (13, "2022-11-01"), (14, "2023-05-01"),
            (15, "2023-11-01"), (16, "2024-05-23"), (17, "2024-11-22"), (18, "2025-05-09"),
            (19, "2025-11-01"), (20, "2026-04-01"), (21, "2026-11-01"), (22, "2027-05-01"))
    ] + [(f"3.{m}", "2019-05-01", f"Alpine 3.{m}") for m in range(0, 7)],
    ("php",): [
        ("5", "2018-12-31", "PHP 5"), ("7.0", "2019-01-10", "PHP 7.0"), ("7.1", "2019-12-01", "PHP 7.1"),
        ("7.2", "2020-11-30", "PHP 7.2"), ("7.3", "2021-12-06", "PHP 7.3"), ("7.4", "2022-11-28", "PHP 7.4"),
        ("8.0", "2023-11-26", "PHP 8.0"), ("8.1", "2025-12-31", "PHP 8.1"), ("8.2", "2026-12-31", "PHP 8.2"),
    ],
    ("ruby",): [
        ("1", "2015-02-23", "Ruby 1.x"), ("2", "2023-03-31", "Ruby 2.x"), ("3.0", "2024-04-23", "Ruby 3.0"),
        ("3.1", "2025-03-31", "Ruby 3.1"), ("3.2", "2026-03-31", "Ruby 3.2"),
    ],
    ("postgres",): [
        (str(v), d, f"PostgreSQL {v}") for v, d in (
            (9, "2021-11-11"), (10, "2022-11-10"), (11, "2023-11-09"), (12, "2024-11-21"),
            (13, "2025-11-13"), (14, "2026-11-12"))
    ],
    ("mysql",): [("5", "2023-10-31", "MySQL 5.7"), ("8.0", "2026-04-30", "MySQL 8.0")],
    ("fedora",): [(str(v), "2024-11-12", f"Fedora {v}") for v in range(20, 40)],
}

# Images whose whole repository is deprecated upstream (no more updates for any tag).
DEPRECATED = {
    "openjdk": ("2022-07-01", "the openjdk image is deprecated upstream (no GA updates since mid-2022); "
                              "use eclipse-temurin, amazoncorretto or another maintained JDK image"),
    "java": ("2016-12-31", "the java image was deprecated in 2016; use eclipse-temurin"),
    "centos": None,  # by version above; kept here so every centos tag is looked at
}

# Distribution codenames that can appear in any official image's tag (python:3.11-buster).
CODENAMES = {
    "wheezy": ("2018-05-31", "Debian 7 (wheezy)"), "jessie": ("2020-06-30", "Debian 8 (jessie)"),
    "stretch": ("2022-06-30", "Debian 9 (stretch)"), "buster": ("2024-06-30", "Debian 10 (buster)"),
    "bullseye": ("2026-08-31", "Debian 11 (bullseye)"),
    "trusty": ("2019-04-25", "Ubuntu 14.04 (trusty)"), "xenial": ("2021-04-30", "Ubuntu 16.04 (xenial)"),
    "bionic": ("2023-05-31", "Ubuntu 18.04 (bionic)"), "focal": ("2025-05-31", "Ubuntu 20.04 (focal)"),
}
_ALPINE_SUFFIX = re.compile(r"alpine(3\.\d+)")
_VERSION = re.compile(r"v?(\d+(?:\.\d+)*)")


def _matches(version: str, prefix: str) -> bool:
    return version == prefix or version.startswith(prefix + ".")


def eol_reason(name: str, tag: str | None, today: date) -> tuple[str, str] | None:
    """(product label, EOL date) when the image name:tag is end-of-life on `today`."""
    short = name[len("library/"):] if name.startswith("library/") else name
    short = short.rsplit("/library/", 1)[-1]
    tag = tag or ""
    deprecated = DEPRECATED.get(short)
    if deprecated is not None:
        when, label = deprecated
        return label, when
    for names, rows in VERSIONS.items():
        if short not in names:
            continue
        m = _VERSION.match(tag)
        version = m.group(1) if m else tag.split("-", 1)[0]
        best = None
        for prefix, when, label in rows:
            matches = (prefix == "" and tag == "") or bool(
                prefix and (_matches(version, prefix) or tag.split("-", 1)[0] == prefix))
            if matches and (best is None or len(prefix) > len(best[0])):
                best = (prefix, when, label)
        if best and date.fromisoformat(best[1]) <= today:
            return best[2], best[1]
    for part in re.split(r"[-_.]", tag):
        if part in CODENAMES and date.fromisoformat(CODENAMES[part][0]) <= today:
            return CODENAMES[part][1], CODENAMES[part][0]
    m = _ALPINE_SUFFIX.search(tag)
    if m and short != "alpine":
        found = eol_reason("alpine", m.group(1), today)
        if found:
            return found
    return None
