"""Huge integers and NaN are findings on their value, never an aborted run (exit 2)."""

import json

import pytest

from kubelint.api import lint_text
from kubelint.cli import main
from kubelint.model.numbers import small_int
from kubelint.model.quantity import parse_quantity

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: d
spec:
  replicas: {replicas}
  selector: {{matchLabels: {{app: d}}}}
  template:
    metadata: {{labels: {{app: d}}}}
    spec:
      containers:
      - name: c
        image: nginx:1.27
        ports: [{{containerPort: {port}}}]
        resources: {{limits: {{memory: {memory}}}}}
"""
HEX = "0x" + "f" * 5000
DIGITS = "9" * 5000


def manifest(replicas="2", port="80", memory="64Mi") -> str:
    return DEPLOYMENT.format(replicas=replicas, port=port, memory=memory)


CASES = {
    "hex containerPort": (dict(port=HEX), ("schema-invalid", 14, 33, "expected integer, got string '0xfff")),
    "5,000-digit replicas": (dict(replicas=DIGITS), ("schema-invalid", 6, 13, "a number of 5,000 digits is out of range")),
    "nan replicas": (dict(replicas=".nan"), ("schema-invalid", 6, 13, "expected integer, got number nan")),
    "nan memory": (dict(memory=".nan"), ("invalid-quantity", 15, 38, "nan is not a valid Kubernetes quantity")),
    "inf memory": (dict(memory="-.inf"), ("invalid-quantity", 15, 38, "-inf is not a valid Kubernetes quantity")),
    "hex memory": (dict(memory=HEX), ("invalid-quantity", 15, 38, "'0xfff")),
    "quoted 5,000-digit replicas": (dict(replicas=f'"{DIGITS}"'), ("schema-invalid", 6, 13, "5,000 digits")),
}


@pytest.mark.parametrize("name", CASES)
def test_a_huge_or_nan_value_is_a_finding_on_it(name, tmp_path, capsys):
    fields, (rule, line, column, text) = CASES[name]
    path = tmp_path / "d.yaml"
    path.write_text(manifest(**fields))
    code = main(["check", "--isolated", "--format", "json", "--select", "schema", str(path)])
    out = capsys.readouterr().out

    def no_constants(token):
        raise AssertionError(f"invalid JSON constant {token}")
    findings = json.loads(out, parse_constant=no_constants)["findings"]
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in findings] == [(rule, line, column)]
    assert text in findings[0]["message"] and len(findings[0]["message"]) < 300


def test_every_rule_runs_on_huge_and_odd_numbers():
    # quoted, unquoted, non-ASCII digits: every rule (replicas, probes, ports, selectors) copes
    text = manifest(replicas=f'"{DIGITS}"', port='"²"', memory="'²'") + f"""\
---
apiVersion: v1
kind: Service
metadata: {{name: s}}
spec:
  selector: {{app: d}}
  ports: [{{port: 80, targetPort: "{DIGITS}"}}, {{port: 81, targetPort: "²"}}]
"""
    rules = {f.rule for f in lint_text(text)}
    assert {"schema-invalid", "invalid-quantity", "invalid-target-port"} <= rules


def test_huge_numbers_in_a_dockerfile():
    text = (f"FROM alpine:3.20 AS a\nRUN useradd -u {DIGITS} x\nEXPOSE {DIGITS}\nFROM alpine:3.20\n"
            f"COPY --from={DIGITS} /a /b\nCOPY --from=² /a /b\n")
    found = [(f.rule, f.line, f.column) for f in lint_text(
        text, "dockerfile", select=["invalid-expose-port", "copy-from-unknown-stage", "useradd-no-l"])]
    assert found == [("invalid-expose-port", 3, 8), ("copy-from-unknown-stage", 5, 6),
                     ("copy-from-unknown-stage", 6, 6)]


@pytest.mark.parametrize("value, reason", [
    (float("nan"), "NaN and infinities"), (float("inf"), "NaN and infinities"), (10 ** 5000, "too large"),
    ("1e9999999", "out of range"), ("1e" + "9" * 5000, "out of range"), ("1" + "0" * 5000 + "e99999999", "out of range"),
], ids=["nan", "inf", "huge-int", "big-exponent", "long-exponent", "long-number"])
def test_parse_quantity_raises_only_value_error(value, reason):
    with pytest.raises(ValueError, match=reason):
        parse_quantity(value)


def test_small_int():
    assert [small_int(t) for t in ("80", " 80 ", "²", "٣", "", "8a", "9" * 4000)] == [
        80, 80, None, None, None, None, int("9" * 4000)]
    assert small_int("9" * 4001) is None
