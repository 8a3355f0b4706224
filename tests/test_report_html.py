"""Issue 17, the HTML report and `kubelint graph` without a browser: one self-contained file,
hostile values escaped, the wiring graph's nodes and edges as the scan and the findings say."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

from kubelint.cli import main
from kubelint.index.graph import BROKEN_RULES

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"


class Elements(HTMLParser):
    """Tags with their attributes, and the text, of an HTML document."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(text: str) -> Elements:
    p = Elements()
    p.feed(text)
    return p


def html_of(capsys, tmp_path, *args) -> str:
    out = tmp_path / "r.html"
    code = main(["check", "--isolated", *args, "--format", "html", "-o", str(out)])
    capsys.readouterr()
    assert code in (0, 1)
    return out.read_text()


def classes(el: dict) -> set:
    return set((el.get("class") or "").split())


def test_examples_report_is_self_contained(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = html_of(capsys, tmp_path, "examples")
    doc = parse(text)
    # No resource is fetched: no src, no stylesheet link, no url() or @import in CSS; the only
    # http(s) addresses are doc links a reader may click, and the SVG namespace.
    assert not [a for t, a in doc.tags if "src" in a]
    assert not [a for t, a in doc.tags if t == "link"]
    assert "url(http" not in text and "@import" not in text
    links = [a["href"] for t, a in doc.tags if t == "a" and a.get("href", "").startswith("http")]
    assert links and all(h.startswith("https://github.com/kubelint/kubelint/blob/main/docs/rules.md#") for h in links)
    assert set(re.findall(r"https?://[^\s\"'<>)]+", text)) - set(links) <= {"http://www.w3.org/2000/svg"}
    findings = [a for t, a in doc.tags if "finding" in classes(a)]
    assert len(findings) == 13
    assert {a["data-severity"] for a in findings} == {"error", "warning"}
    # Graph: one node per object, one red edge per broken-reference finding, linked to it.
    nodes = [a for t, a in doc.tags if t == "g" and "node" in classes(a)]
    assert sorted(a["data-id"] for a in nodes if a["data-state"] == "object") == [
        "Deployment/default/friendly-hello", "Deployment/default/nginx-deployment", "Secret/default/nginx-tls",
        "Service/default/nginx"]
    broken = [a for t, a in doc.tags if t == "path" and "edge" in classes(a) and a["data-state"] == "broken"]
    assert [a["data-rule"] for a in broken] == ["service-no-pods"]
    service = next(a for a in findings if a["data-rule"] == "service-no-pods")
    assert f'<a href="#{service["id"]}"><path class="edge broken"' in text
    # Related places link inside the report.
    assert 'note: <a href="#file-examples-k8s-deployment-yaml">examples/k8s/deployment.yaml:15</a>' in text


def test_hostile_values_are_escaped(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "evil.yaml").write_text(
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: "<script>alert(1)</script>"\nspec:\n'
        '  serviceAccountName: "x\\u001b[31m"\n  containers:\n'
        '    - name: "c</pre><img src=x onerror=alert(1)>"\n      image: "nginx:latest"\n'
        '---\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: other\n')
    text = html_of(capsys, tmp_path, "evil.yaml", "--select", "latest-tag,missing-service-account")
    assert "<script>alert" not in text and "<img" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "\x1b" not in text and "x\\x1b[31m" in text
    assert text.count("<script>") == 1  # the report's own


def test_graph_command_formats(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["graph", "examples", "--format", "json", "--isolated"]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert graph["groups"] == ["default"]
    assert [(e["source"], e["target"], e["state"]) for e in graph["edges"]] == [
        ("Deployment/default/nginx-deployment", "Secret/default/nginx-tls", "ok"),
        ("Service/default/nginx", "missing:pods/default/app=ngnix", "broken")]
    assert graph["edges"][0]["label"] == "tls.crt, tls.key"
    assert graph["edges"][1]["finding"] == {"file": "examples/k8s/service.yaml", "line": 7, "column": 3,
                                            "rule": "service-no-pods"}

    assert main(["graph", "examples", "--format", "svg", "--isolated"]) == 0
    svg = ET.fromstring(capsys.readouterr().out)
    ns = "{http://www.w3.org/2000/svg}"
    assert len([g for g in svg.iter(f"{ns}g") if "node" in g.get("class", "")]) == 5
    assert [p.get("data-state") for p in svg.iter(f"{ns}path") if "edge" in p.get("class", "")] == ["ok", "broken"]

    assert main(["graph", "examples", "--format", "dot", "--isolated"]) == 0
    dot = capsys.readouterr().out
    assert dot.startswith("digraph kubelint {\n  rankdir=LR;")
    assert ('"Service/default/nginx" -> "missing:pods/default/app=ngnix" [label="selects app=ngnix", '
            'color="#d93025", penwidth=2];') in dot


def test_graph_honours_the_configuration(capsys, monkeypatch, tmp_path):
    # With service-no-pods ignored, nothing reports the selector: no broken edge, and no edge.
    monkeypatch.chdir(ROOT)
    config = tmp_path / ".kubelint.yaml"
    config.write_text("ignore: [service-no-pods]\n")
    assert main(["graph", "examples", "--format", "json", "--config", str(config)]) == 0
    graph = json.loads(capsys.readouterr().out)
    assert [e["state"] for e in graph["edges"]] == ["ok"]


APPS = [
    "/work/shared/corpus/apps/GoogleCloudPlatform__microservices-demo/kubernetes-manifests",
    "/work/shared/corpus/apps/dockersamples__example-voting-app",
    "/work/shared/corpus/k8s/argoproj__argo-cd",
]


@pytest.mark.parametrize("path", APPS)
def test_red_edges_are_the_broken_reference_findings(path, capsys, monkeypatch, tmp_path):
    from shared_data import require

    require(Path(path))
    monkeypatch.chdir(tmp_path)
    for complete in ([], ["--complete"]):
        main(["check", "--isolated", path, "--format", "json", *complete])
        findings = json.loads(capsys.readouterr().out)["findings"]
        broken = sorted((f["file"], f["line"], f["rule"]) for f in findings if f["rule"] in BROKEN_RULES)
        main(["graph", "--isolated", path, "--format", "json", *complete])
        graph = json.loads(capsys.readouterr().out)
        red = sorted((e["finding"]["file"], e["finding"]["line"], e["rule"]) for e in graph["edges"]
                     if e["state"] == "broken")
        assert red == broken
        ids = {n["id"] for n in graph["nodes"]}
        assert all(e["source"] in ids and e["target"] in ids for e in graph["edges"])
