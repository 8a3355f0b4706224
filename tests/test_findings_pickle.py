"""Findings are pickled as constructor calls (Finding.__reduce__, ObjectRef.__reduce__): the
memo of a run unpickles every finding it reports. Every field must come back, those left out of
== included, so a field added to Finding without its place in __reduce__ fails here."""

import dataclasses
import pickle

from kubelint.findings import Finding, ObjectRef, ObjectValues, Related


def _every_field_set() -> Finding:
    return Finding(
        rule="latest-tag", severity="warning", message="m", file="a.yaml", line=3, column=5,
        end_line=3, end_column=9, object=ObjectRef("apps/v1", "Deployment", "shop", "web"),
        path="spec.template.spec.containers[0].image", remediation="pin it", doc_url="https://d",
        related=(Related("b.yaml", 1, "here"),), suppressed=True, variant="short",
        values=ObjectValues("nginx", "p", "c", "Deployment", "web", "shop", {"param.x": 1}),
        fix={"applicability": "safe", "edits": [{"line": 3, "column": 5, "text": "x"}]})


def test_every_field_of_a_finding_survives_pickling():
    finding = _every_field_set()
    defaults = Finding(rule="r", severity="info", message="", file="f", line=1, column=1)
    for field in dataclasses.fields(Finding):  # each set away from its default, so a lost one shows
        assert getattr(finding, field.name) != getattr(defaults, field.name), field.name
    again = pickle.loads(pickle.dumps(finding, protocol=pickle.HIGHEST_PROTOCOL))
    for field in dataclasses.fields(Finding):
        assert getattr(again, field.name) == getattr(finding, field.name), field.name
    assert dict(again.values) == dict(finding.values)


def test_shared_findings_stay_shared():
    """The memo relates suppressions to findings by identity within one pickle."""
    finding = _every_field_set()
    a, b = pickle.loads(pickle.dumps([finding, finding], protocol=pickle.HIGHEST_PROTOCOL))
    assert a is b
    ref = ObjectRef(None, "Stage", None, "build")
    assert pickle.loads(pickle.dumps(ref)) == ref
