"""The whole real-world corpus through the CLI, every rule on: no crash, no traceback, and the
files that trip other YAML loaders come out right."""

import json
import subprocess
import sys


def test_whole_corpus_runs_clean(corpus):
    proc = subprocess.run([sys.executable, "-m", "kubelint", "check", str(corpus), "--format", "json"],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    report = json.loads(proc.stdout)
    summary = report["summary"]
    assert summary["files"] == 1698
    assert summary["objects"] >= 3384
    by_rule = summary["by_rule"]
    # Every file of the corpus is valid YAML (the `=` keys of the AlertmanagerConfig CRDs included).
    assert "yaml-syntax" not in by_rule and "file-unreadable" not in by_rule
    duplicates = sorted((f["file"].rsplit("/", 1)[-1], f["line"], f["column"], f["message"].split(" (")[0])
                        for f in report["findings"] if f["rule"] == "duplicate-key")
    assert duplicates == [
        ("_archived__openshift-origin__etcd-controller.yaml", 12, 3, "duplicate key 'selector'"),
        ("_archived__openshift-origin__etcd-discovery-controller.yaml", 12, 3, "duplicate key 'selector'"),
        ("_archived__openshift-origin__openshift-controller.yaml", 12, 3, "duplicate key 'selector'"),
        ("_archived__persistent-volume-provisioning__quobyte__quobyte-admin-secret.yaml", 9, 1, "duplicate key 'type'"),
        ("_archived__volumes__scaleio__sc-pvc.yaml", 12, 3, "duplicate key 'storageClassName'"),
    ]
