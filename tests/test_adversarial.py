"""Resource cases (issue 11): each generator's input is linted and its findings counted; the
benchmark (benchmarks/adversarial.py) times the same generators. No timing is asserted here."""

from adversarial import generators as gen

from kubelint.api import lint_text
from kubelint.model.dockerfile import MAX_EXPANDED
from kubelint.parse.dockerfile import parse_dockerfile
from kubelint.parse.source import SourceFile


def found(text: str, file_type: str, rules: list[str]) -> list[tuple[str, int, int]]:
    return [(f.rule, f.line, f.column) for f in lint_text(text, file_type, select=rules)]


def test_env_expansion_bomb_is_capped_and_reported():
    text = gen.env_expansion_bomb(30)
    # A doubles per line from 1 byte: the 17th `ENV A=$A$A` (line 19) passes 64 KB
    assert found(text, "dockerfile", ["expansion-limit"]) == [("expansion-limit", 19, 1)]
    message = lint_text(text, "dockerfile", select=["expansion-limit"])[0].message
    assert message == "ENV A: its value would expand to more than 64 KB; kubelint treats the variable as unknown from here on"
    df, _ = parse_dockerfile(SourceFile("Dockerfile", "Dockerfile", text, "dockerfile"))
    sizes = [len(inst.vars.get("A", "")) for inst in df.instructions]
    assert max(sizes) == 65536 <= MAX_EXPANDED
    # the RUN after it sees A as unknown, not as a gigabyte string
    assert "A" not in df.instructions[-2].vars or len(df.instructions[-2].vars["A"]) < MAX_EXPANDED


def test_expansion_limit_applies_to_global_args_and_instruction_arguments():
    text = "ARG A=" + "x" * 40_000 + "\nARG B=$A$A\nFROM alpine:$B\nUSER 1000\n"
    assert found(text, "dockerfile", ["expansion-limit", "base-image-untagged"]) == [("expansion-limit", 2, 1)]


def test_long_heredoc_positions():
    text = gen.dockerfile_heredoc(140_000)
    assert found(text, "dockerfile", ["sudo-in-run"]) == [("sudo-in-run", 3 + 14_000, 1)]


def test_many_continuation_lines_positions():
    text = gen.dockerfile_continuations(10_000)
    assert found(text, "dockerfile", ["sudo-in-run"]) == [("sudo-in-run", 3 + 10_000, 8)]


def test_many_and_commands_positions():
    text = gen.dockerfile_and_commands(10_000)
    assert found(text, "dockerfile", ["sudo-in-run"]) == [("sudo-in-run", 2, 5 + 10 * 10_000)]


def test_aliases_under_the_node_limit_are_linted():
    text = gen.yaml_aliases(19_000)
    assert len(text) > 200_000
    findings = lint_text(text, select=["yaml-too-complex", "schema-invalid"])
    # each aliased list is a list where a string belongs: one finding per alias, none dropped
    assert len(findings) == 19_000
    assert {f.rule for f in findings} == {"schema-invalid"}
    assert (findings[0].line, findings[-1].line) == (11, 19_010)


def test_long_url_like_value_is_scanned_and_real_urls_still_found():
    text = gen.env_secret_url(200_000)
    assert found(text, "yaml", ["env-secret-literal"]) == []
    leaky = text.replace('value: "a.', 'value: "postgres://app:hunter2@db:5432/x a.')
    assert found(leaky, "yaml", ["env-secret-literal"]) == [("env-secret-literal", 11, 14)]


def test_overlapping_selectors_one_finding_per_workload_from_one_lookup(monkeypatch):
    from kubelint.index.objects import ObjectIndex

    lookups = []
    matching = ObjectIndex.matching
    monkeypatch.setattr(ObjectIndex, "matching", lambda self, *a: lookups.append(a[0]) or matching(self, *a))
    findings = lint_text(gen.overlapping_selectors(1_000), select=["overlapping-selectors"])
    # one finding per workload (not one per pair: 499,500), each naming three others and counting the rest
    assert len(findings) == 1_000
    assert {f.variant for f in findings} == {"many"}
    assert {(f.values["count"], len(f.values["others"]), f.values["more"]) for f in findings} == {(999, 3, 996)}
    first = findings[0]
    assert first.message == (
        "Deployment 'd0' selector app=shared also matches the pods of 999 other workloads in namespace "
        "'shop': Deployment 'd1' (manifest.yaml:27), Deployment 'd2' (manifest.yaml:46), Deployment 'd3' "
        "(manifest.yaml:65) and 996 more; their controllers adopt the same pods")
    assert len(first.related) == 3
    # the pods of the shared selector are looked up once, not once per workload
    assert len(lookups) == 1


def test_json_report_is_streamed_in_batches_of_findings():
    """The JSON report is written piece by piece: no write holds more than a batch of findings,
    so its memory does not grow with the number of findings (it once held ~4 KB per finding)."""
    import io
    import json

    from kubelint.report import Report
    from kubelint.report.json_report import BATCH, render_json

    class Recording(io.StringIO):
        largest = writes = 0

        def write(self, text):
            self.largest = max(self.largest, len(text))
            self.writes += 1
            return super().write(text)

    findings = lint_text(gen.many_findings(2_000))
    assert len(findings) == 2_000 * 5
    out = Recording()
    render_json(Report(findings=findings, files=1, documents=2_000, objects=2_000), out)
    assert out.largest < BATCH * 2_000  # a batch of findings per write, not the whole report
    assert out.writes >= 10_000 // BATCH
    assert len(out.getvalue()) > 1_000_000
    assert len(json.loads(out.getvalue())["findings"]) == 10_000


def test_findings_share_what_is_per_rule():
    """Per-finding memory of the 10 MB case (300,000 findings): a Finding has no instance dict,
    and what is the same for every finding of a rule (doc URL, rendered params) is one object."""
    findings = lint_text(gen.many_findings(200))
    assert len(findings) == 200 * 5
    assert not hasattr(findings[0], "__dict__")
    by_rule: dict = {}
    for f in findings:
        by_rule.setdefault(f.rule, set()).add(id(f.doc_url))
    assert sorted(by_rule) == ["host-network", "latest-tag", "missing-limits", "missing-requests",
                               "privileged-container"]
    assert all(len(ids) == 1 for ids in by_rule.values()), by_rule


def test_schema_errors_on_aliased_mappings_show_no_expanded_value():
    text = gen.schema_errors_on_aliases(45, 5_000)
    findings = lint_text(text, select=["schema-invalid", "yaml-too-complex"])
    # one finding per alias, each naming its place and the kind of value, never the value itself
    assert [(f.rule, f.line) for f in findings] == [("schema-invalid", 5011 + i) for i in range(45)]
    assert {f.message for f in findings} == {f"spec.containers[0].args[{i}]: expected string, got object"
                                             for i in range(45)}


def test_many_env_lines_share_one_history():
    from kubelint.model.dockerfile import VarsView

    text = gen.many_env_lines(10_000)
    assert found(text, "dockerfile", ["sudo-in-run"]) == [("sudo-in-run", 10_002, 24)]
    df, _ = parse_dockerfile(SourceFile("Dockerfile", "Dockerfile", text, "dockerfile"))
    envs = df.instructions[1:-2]
    # each ENV sees the variables set before it, through a view of one shared history (no copies)
    assert all(isinstance(i.vars, VarsView) for i in envs)
    assert len({id(i.vars.history) for i in envs}) == 1
    assert [len(envs[n].vars) for n in (0, 1, 5_000)] == [0, 1, 5_000]
    assert ("V4999" in envs[5_000].vars, "V5000" in envs[5_000].vars) == (True, False)
    run = df.instructions[-2]
    assert (run.vars["V0"], run.vars["V9999"], len(run.vars)) == ("x0", "x9999", 10_000)
    assert df.stages[0].vars["V9999"] == "x9999"


def test_later_text_slices_one_join_per_run():
    from kubelint.checks.dockerfile.commands import later_text

    df, _ = parse_dockerfile(SourceFile("Dockerfile", "Dockerfile", gen.dockerfile_and_commands(2_000), "dockerfile"))
    run = df.instructions[1]
    cmds = run.commands
    assert len(cmds) == 2_001
    # what each command is followed by, as the naive join gave it
    for i in (0, 1, 1_000, 1_999, 2_000):
        assert later_text(run, cmds[i]) == "\n".join(" ".join(w.raw for w in c.words) for c in cmds[i + 1:])
    joined = run.__dict__["_later_text"][1]
    later_text(run, cmds[5])
    assert run.__dict__["_later_text"][1] is joined  # joined once for the RUN, then sliced


def test_suppression_comments_in_thousands_of_documents(monkeypatch):
    """suppress.collect once looked each document up in a list of the file's documents
    (quadratic: 40,000 ConfigMaps took 36 s). Each comment still covers its own document, and
    documents are never compared with each other."""
    from kubelint.model.document import YamlDocument

    compared = []
    monkeypatch.setattr(YamlDocument, "__eq__", lambda self, other: compared.append(1) or self is other)
    pods = 3_000
    text = "---\n".join(
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p{i}\nspec:\n  containers:\n"
        f"  - name: c\n{'    # kubelint: ignore=latest-tag' + chr(10) if i % 2 else ''}    image: nginx\n"
        for i in range(pods))
    findings = lint_text(text, select=["latest-tag"])
    assert [f.line for f in findings][:3] == [8, 27, 46]  # the even-numbered pods only (19 lines a pair)
    assert len(findings) == pods // 2
    assert compared == []


def _deep_size(obj, seen: set) -> int:
    """Bytes of `obj` and of everything it holds (dataclasses, mappings, lists, tuples), each
    object counted once: what a scan keeps, independent of the allocator and of timing."""
    import dataclasses
    import sys
    from collections.abc import Mapping

    if id(obj) in seen:
        return 0
    seen.add(id(obj))
    size = sys.getsizeof(obj) + (sys.getsizeof(vars(obj)) if hasattr(obj, "__dict__") else 0)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return size + sum(_deep_size(getattr(obj, f.name), seen) for f in dataclasses.fields(obj)
                          if f.name != "source")  # the file's text: one per file, not per node
    if isinstance(obj, Mapping):
        return size + sum(_deep_size(k, seen) + _deep_size(v, seen) for k, v in obj.items())
    if isinstance(obj, (list, tuple)):
        return size + sum(_deep_size(x, seen) for x in obj)
    return size


def test_parsed_documents_and_findings_stay_small():
    """The 10 MB case (60,000 Pods, 300,000 findings) fits in 500 MB only if a parsed Pod and a
    finding stay small. They took 4,970 and 770 bytes; now about 3,100 and 540."""
    parsed = parse_yaml_text(gen.many_findings(2_000))
    assert len(parsed.documents) == 2_000
    seen: set = set()
    per_document = sum(_deep_size(d, seen) for d in parsed.documents) / 2_000
    assert per_document < 3_600, per_document
    findings = lint_text(gen.many_findings(2_000))
    assert len(findings) == 10_000
    seen = set()
    per_finding = sum(_deep_size(f, seen) for f in findings) / 10_000
    assert per_finding < 620, per_finding


def parse_yaml_text(text: str):
    from kubelint.parse.yaml_docs import parse_yaml

    return parse_yaml(SourceFile("pods.yaml", "pods.yaml", text, "yaml"))
