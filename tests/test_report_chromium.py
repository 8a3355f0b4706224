"""Issue 17, the HTML report in a real browser: headless Chromium (Debian's `chromium`) loads the
report of examples/ and of three corpus applications, runs the report's own script, and a probe
script appended to a copy of the page writes what the rendered DOM shows (visible findings, graph
nodes and red edges, after clicking the filters) into the page, read back with --dump-dom.
Screenshots are taken too; KUBELINT_UPDATE_SCREENSHOTS=1 refreshes those in docs/images/.

Without Chromium the tests skip, with the reason; under CI (`CI` set) they fail instead, since
.ci/run installs it."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from kubelint.cli import main
from kubelint.index.graph import BROKEN_RULES

ROOT = Path(__file__).resolve().parents[1]
DOCS_IMAGES = ROOT / "docs" / "images"
APPS = {
    "microservices-demo": "/work/shared/corpus/apps/GoogleCloudPlatform__microservices-demo/kubernetes-manifests",
    "voting-app": "/work/shared/corpus/apps/dockersamples__example-voting-app",
    "argo-cd": "/work/shared/corpus/k8s/argoproj__argo-cd",
}


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    message = "Chromium is not installed (apt-get install chromium): the browser tests need it"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


def browse(binary: str, url: str, *flags: str, timeout: int = 90) -> str:
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([binary, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                               "--disable-extensions", f"--user-data-dir={profile}",
                               "--virtual-time-budget=5000", *flags, url],
                              capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


PROBE = """
<script>
(function(){
  function visible(el){ return el.getClientRects().length > 0; }
  function count(sel){ return [].filter.call(document.querySelectorAll(sel), visible).length; }
  function fire(el){ el.dispatchEvent(new Event('change')); }
  var out = {};
  out.nodes = count('#graph g.node.object');
  out.red = count('#graph path.edge.broken');
  out.redLinked = [].filter.call(document.querySelectorAll('#graph path.edge.broken'),
      function(p){ var a = p.parentNode; return a.tagName.toLowerCase() === 'a' &&
                   document.getElementById(a.getAttribute('href').slice(1)) !== null; }).length;
  out.findings = count('.finding');
  out.bySeverity = {};
  ['error','warning','info'].forEach(function(s){ out.bySeverity[s] = count('.finding[data-severity="'+s+'"]'); });
  // Only errors: untick warning and info.
  [].forEach.call(document.querySelectorAll('.f-sev'), function(c){ if (c.value !== 'error') { c.checked = false; fire(c); } });
  out.afterSeverity = count('.finding');
  out.afterSeverityNonErrors = count('.finding:not([data-severity="error"])');
  out.framesAfterSeverity = count('.frame');
  [].forEach.call(document.querySelectorAll('.f-sev'), function(c){ c.checked = true; fire(c); });
  // One rule.
  var rule = document.getElementById('f-rule');
  out.rule = rule.options.length > 1 ? rule.options[1].value : null;
  if (out.rule !== null) { rule.value = out.rule; fire(rule); }
  out.afterRule = count('.finding');
  out.afterRuleOther = count('.finding:not([data-rule="' + out.rule + '"])');
  rule.value = '*'; fire(rule);
  // A namespace no finding is in hides every graph group but its own.
  var ns = document.getElementById('f-namespace');
  out.groups = count('.graph-group');
  out.namespace = null;
  for (var i = 1; i < ns.options.length; i++) { if (ns.options[i].value) { out.namespace = ns.options[i].value; break; } }
  if (out.namespace !== null) { ns.value = out.namespace; fire(ns);
    out.groupsAfterNamespace = count('.graph-group');
    out.otherNamespaceFindings = count('.finding:not([data-namespace="' + out.namespace + '"])'); }
  ns.value = '*'; fire(ns);
  out.restored = count('.finding');
  var pre = document.createElement('pre'); pre.id = 'probe-result'; pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


def report(path: str, tmp_path: Path, capsys, name: str) -> tuple[Path, list[dict], dict]:
    html = tmp_path / f"{name}.html"
    main(["check", "--isolated", path, "--format", "json", "--format", "html", "-o", str(html)])
    doc = json.loads(capsys.readouterr().out)
    return html, doc["findings"], doc["summary"]


def probe(binary: str, html: Path) -> dict:
    page = html.read_text()
    probed = html.with_name("probed-" + html.name)
    probed.write_text(page.replace("</body>", PROBE + "</body>"))
    dom = browse(binary, probed.as_uri(), "--dump-dom")
    match = re.search(r'<pre id="probe-result">(.*?)</pre>', dom, re.S)
    assert match, "the probe did not run: " + dom[-500:]
    return json.loads(match.group(1).replace("&quot;", '"').replace("&amp;", "&"))


def check_dom(result: dict, findings: list[dict], summary: dict) -> None:
    assert result["nodes"] == summary["objects"]
    broken = [f for f in findings if f["rule"] in BROKEN_RULES]
    assert result["red"] == len(broken) == result["redLinked"]
    assert result["findings"] == len(findings)
    for s in ("error", "warning", "info"):
        assert result["bySeverity"][s] == summary["by_severity"][s]
    assert result["afterSeverity"] == summary["by_severity"]["error"]
    assert result["afterSeverityNonErrors"] == 0
    if result["rule"] is not None:
        assert result["afterRule"] == summary["by_rule"][result["rule"]] and result["afterRuleOther"] == 0
    if result["namespace"] is not None:
        assert result["groupsAfterNamespace"] == 1 and result["otherNamespaceFindings"] == 0
    assert result["restored"] == len(findings)


def test_examples_in_chromium(tmp_path, capsys, monkeypatch):
    binary = chromium()
    monkeypatch.chdir(ROOT)
    html, findings, summary = report("examples", tmp_path, capsys, "examples")
    result = probe(binary, html)
    check_dom(result, findings, summary)
    assert result["nodes"] == 4 and result["red"] == 1 and result["afterSeverity"] == summary["by_severity"]["error"] == 2
    shot = tmp_path / "examples.png"
    browse(binary, html.as_uri(), f"--screenshot={shot}", "--window-size=1280,1500", "--hide-scrollbars")
    assert shot.stat().st_size > 20_000
    monkeypatch.chdir(tmp_path)
    assert main(["graph", "--isolated", str(ROOT / "examples"), "-o", "graph.svg"]) == 0
    graph_shot = tmp_path / "graph.png"
    browse(binary, (tmp_path / "graph.svg").as_uri(), f"--screenshot={graph_shot}", "--window-size=860,170",
           "--hide-scrollbars")
    assert graph_shot.stat().st_size > 5_000
    if os.environ.get("KUBELINT_UPDATE_SCREENSHOTS"):
        DOCS_IMAGES.mkdir(exist_ok=True)
        shutil.copy(shot, DOCS_IMAGES / "report-examples.png")
        shutil.copy(graph_shot, DOCS_IMAGES / "graph-examples.png")
    assert (DOCS_IMAGES / "report-examples.png").exists() and (DOCS_IMAGES / "graph-examples.png").exists()


@pytest.mark.parametrize("name", sorted(APPS))
def test_corpus_apps_in_chromium(name, tmp_path, capsys, monkeypatch):
    from shared_data import require

    binary = chromium()
    require(Path(APPS[name]))
    monkeypatch.chdir(tmp_path)
    html, findings, summary = report(APPS[name], tmp_path, capsys, name)
    check_dom(probe(binary, html), findings, summary)
