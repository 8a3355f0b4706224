"""JUnit XML for CI test reports: one testsuite per file, one testcase per Kubernetes object or
Dockerfile stage (objects without findings pass), a failure per finding. A finding that names no
object goes to the object whose lines hold it, or to a testcase named "(file)" before the first."""

from __future__ import annotations

import re
from collections import defaultdict

# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
FILE_CASE = "(file)"


def unit_name(ref) -> str:
    if ref is None or not ref.kind:
        return FILE_CASE
    if ref.kind == "Stage":
        return f"stage {ref.name}"
    return ref.label()


def _unit_at(units, line: int) -> str:
    """A finding made outside the objects (a duplicate key, say): the object whose lines hold it."""
    name = FILE_CASE
    for unit, start in sorted(units, key=lambda u: u[1]):
        if start > line:
            break
        name = unit
    return name


def _clean(text) -> str:
    return _NOT_XML.sub("\ufffd", str(text))


def render(report, stream) -> None:
    import xml.etree.ElementTree as ET

    cases: dict[str, dict[str, list]] = defaultdict(dict)  # file -> unit -> findings
    for file, units in report.units.items():
        for unit, _ in units:
            cases[file].setdefault(unit, [])
    for f in report.findings:
        name = unit_name(f.object) if f.object is not None else _unit_at(report.units.get(f.file, ()), f.line)
        cases[f.file].setdefault(name, []).append(f)

    root = ET.Element("testsuites", name="kubelint")
    total_tests = total_failures = 0
    for file in sorted(cases):
        units = cases[file]
        failures = sum(len(v) for v in units.values())
        suite = ET.SubElement(root, "testsuite", name=_clean(file), tests=str(len(units)),
                              failures=str(failures), errors="0", skipped="0", time="0")
        total_tests += len(units)
        total_failures += failures
        for unit in sorted(units, key=lambda u: (u != FILE_CASE, min((f.line for f in units[u]), default=0), u)):
            case = ET.SubElement(suite, "testcase", name=_clean(unit), classname=_clean(file),
                                 file=_clean(file), time="0")
            for f in units[unit]:
                body = f"{f.file}:{f.line}:{f.column}: {f.severity} [{f.rule}] {f.message}"
                if f.remediation:
                    body += f"\nremediation: {f.remediation}"
                if f.doc_url:
                    body += f"\ndocs: {f.doc_url}"
                failure = ET.SubElement(case, "failure", message=_clean(f"[{f.rule}] {f.message}"),
                                        type=f.severity)
                failure.text = _clean(body)
    root.set("tests", str(total_tests))
    root.set("failures", str(total_failures))
    root.set("errors", "0")
    ET.indent(root)
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(ET.tostring(root, encoding="unicode"))
    stream.write("\n")
