"""Python checks named by rule files (`check: NAME`), imported only when a rule needs them.

A check is `def run(ctx: CheckContext) -> Iterable[Finding]`; it builds findings with
`ctx.finding(...)`/`ctx.docker_finding(...)` so severities, params and docs come from the rule files.
"""

CHECKS = {
    # name: "module:function"
    "parse": "kubelint.rules.parse_check:run",
    "schema": "kubelint.validate.check:run",
}
