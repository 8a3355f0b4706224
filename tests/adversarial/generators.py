"""Deterministic generators of hostile inputs, one function per case, each returning the text of
one file. The regression tests lint them and assert counts and caps; benchmarks/adversarial.py
times them and reports peak memory. Each takes a size parameter so the benchmark can scale it.

Import with tests/ on sys.path: `from adversarial.generators import env_expansion_bomb`.
"""

from __future__ import annotations

POD_HEAD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: nginx:1.27\n"


def env_expansion_bomb(lines: int = 30) -> str:
    """Dockerfile: `ENV A=$A$A` repeated `lines` times doubles A each line (2**lines bytes
    if fully expanded: 1 GB at 30 lines)."""
    return "FROM alpine:3.20\nENV A=x\n" + "ENV A=$A$A\n" * lines + "RUN echo $A\nUSER 1000\n"


def dockerfile_heredoc(size: int = 140_000) -> str:
    """Dockerfile: one RUN heredoc whose body is about `size` bytes of short lines, with a
    finding (`sudo`) on its last body line."""
    body = "echo line\n" * (size // 10)
    return f"FROM alpine:3.20\nRUN <<EOF\n{body}sudo true\nEOF\nUSER 1000\n"


def dockerfile_continuations(lines: int = 10_000) -> str:
    """Dockerfile: one RUN spread over `lines` continuation lines, with a finding (`sudo`) on
    the last one."""
    return ("FROM alpine:3.20\nRUN true \\\n" + "    && echo x \\\n" * lines + "    && sudo true\nUSER 1000\n")


def dockerfile_and_commands(commands: int = 10_000) -> str:
    """Dockerfile: one RUN line chaining `commands` commands with &&, the last one a finding
    (`sudo`)."""
    return "FROM alpine:3.20\nRUN " + "echo x && " * commands + "sudo true\nUSER 1000\n"


def yaml_aliases(aliases: int = 19_000, anchor_size: int = 24) -> str:
    """YAML: a Pod whose args list anchors `anchor_size` scalars, then `aliases` aliases of it
    in another list: (aliases + 1) * anchor_size nodes once expanded, kept under the parser's
    node limit (500,000) by the defaults; about 200 KB of text."""
    anchored = ", ".join(f"a{i}" for i in range(anchor_size))
    refs = "".join("      - *x\n" for _ in range(aliases))
    return (POD_HEAD + f"    args: &x [{anchored}]\n    command:\n" + refs)


def env_secret_url(size: int = 200_000) -> str:
    """YAML: a Pod with an env value of `size` characters `a.a.a...` (a URL-like shape that
    once made the credential-in-URL regex backtrack)."""
    value = ("a." * (size // 2))[:size]
    return POD_HEAD + f"    env:\n    - name: DATABASE_URL\n      value: \"{value}\"\n"


def overlapping_selectors(workloads: int = 1_000) -> str:
    """YAML: `workloads` Deployments of one namespace sharing the selector app=shared (their
    pods differ by another label): every pair overlaps, once a finding per pair."""
    return "---\n".join(
        f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: d{i}\n  namespace: shop\nspec:\n"
        f"  selector:\n    matchLabels:\n      app: shared\n  template:\n    metadata:\n"
        f"      labels:\n        app: shared\n        unit: u{i}\n    spec:\n      containers:\n"
        f"      - name: c\n        image: nginx:1.27\n" for i in range(workloads))


def many_findings(pods: int = 60_000) -> str:
    """YAML: `pods` small Pods with five default findings each (hostNetwork, a privileged
    container, an untagged image): about 170 bytes per Pod, 10 MB at the default."""
    return "---\n".join(
        f"apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod{i}\nspec:\n  hostNetwork: true\n"
        f"  containers:\n  - name: c\n    image: nginx\n    securityContext:\n      privileged: true\n"
        for i in range(pods))


def schema_errors_on_aliases(aliases: int = 45, keys: int = 5_000) -> str:
    """YAML: a Pod whose annotations mapping (`keys` entries) is anchored, then aliased
    `aliases` times where strings belong (container args): each alias is a schema error whose
    value, fully expanded, is the whole mapping. Kept under the parser's node limit by default."""
    annotations = "".join(f"    k{i}: v{i}\n" for i in range(keys))
    refs = "".join("      - *big\n" for _ in range(aliases))
    return ("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations: &big\n" + annotations
            + "spec:\n  containers:\n  - name: c\n    image: nginx:1.27\n    args:\n" + refs)


def many_env_lines(lines: int = 10_000) -> str:
    """Dockerfile: `lines` ENV instructions each setting a new variable, then a RUN using the
    first and the last (each instruction once got its own copy of all variables: quadratic)."""
    return ("FROM alpine:3.20\n" + "".join(f"ENV V{i}=x{i}\n" for i in range(lines))
            + f"RUN echo $V0 $V{lines - 1} && sudo true\nUSER 1000\n")


def backtracking_regex_rule() -> str:
    """A custom rule file (YAML) whose condition is the classic catastrophic regex `(a+)+$`."""
    return """id: no-aaa-names
severity: warning
category: custom
summary: Container names made of a's only
applies-to: objects
kinds: [Pod]
condition:
  {path: 'spec.containers[*].name', regex: '^(a+)+$'}
message: "a container has a name of a's only"
"""


def long_a_value(size: int = 100_000) -> str:
    """YAML: a Pod whose one container's name is `size` a's followed by a b, the input that
    makes `(a+)+$` backtrack exponentially on a backtracking engine."""
    return POD_HEAD.replace("  - name: c\n", f"  - name: {'a' * size}b\n")
