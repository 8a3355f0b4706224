"""`env-secret-literal`: an environment variable whose literal `value` looks like a credential.

Two signals, each tuned against false positives seen in real manifests:
- the variable's *name* ends in a secret word (DB_PASSWORD, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY)
  and its value is a plain literal (not empty, not a `$(VAR)` reference, a path, a boolean, a
  template or a secret-manager reference);
- the *value* has the shape of a well-known credential (AWS key id, private key, JWT, GitHub or
  Slack token) or a URL with an inline password, whatever the name.
The message never repeats the value.
"""

from __future__ import annotations

import re
from typing import Iterable

from kubelint.findings import Finding
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "env-secret-literal"

# Last word(s) of the variable name, split on _ - . (case-insensitive).
_SECRET_WORDS = {"password", "passwd", "pass", "pwd", "secret", "token", "apikey", "credentials",
                 "credential", "passphrase"}
_KEY_QUALIFIERS = {"api", "access", "secret", "private", "encryption", "signing", "master",
                   "client", "auth", "license", "webhook"}

# Values that are not literals of a secret.
_NOT_A_SECRET = re.compile(
    r"""^(?:
        \$\(.*\)|\$\{.*\}|\{\{.*\}\}|<[^>]*>     # $(VAR), ${VAR}, templates, <placeholder>
      | /\S*|file://\S*                           # a path to a mounted file
      | (?i:true|false|yes|no|on|off|none|null|nil|enabled|disabled|required|optional)
      | (?:vault:|ref\+|arn:aws:secretsmanager:|arn:aws:ssm:|projects/[^/\s]+/secrets/|
         azurekeyvault:|awssm:|gcpsm:|sm://|secretsmanager:|op://)\S*   # secret-manager references
    )$""", re.VERBOSE)

_CREDENTIAL_SHAPES = [
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b")),
    ("a private key", re.compile(r"-----BEGIN (?:[A-Z]+ )?PRIVATE KEY-----")),
    # Bounded header and scheme lengths keep these linear: unbounded, each start in a long run
    # (`-eyJ-eyJ...`, `a.a.a...`) scanned to its end, quadratic in the value (200 KB: 27 s).
    ("a JSON Web Token", re.compile(r"\beyJ[A-Za-z0-9_-]{8,512}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{40,})\b")),
    ("a Slack token", re.compile(r"\bxox[abprs]-[A-Za-z0-9-]{10,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Stripe secret key", re.compile(r"\b[sr]k_live_[0-9A-Za-z]{16,}")),
    # scheme://user:password@host, unless the password is a $(VAR) / ${VAR} reference
    ("a URL with an inline password", re.compile(r"\b[a-z][a-z0-9+.-]{0,31}://[^\s:/@]*:(?![$<{*])[^\s/@]+@[^\s/]")),
]


def secret_name(name: str) -> bool:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)  # dbPassword -> db_Password
    words = [w for w in re.split(r"[_.\-]+", spaced.lower()) if w]
    if not words or name.upper() == "PWD":  # the shell's working directory
        return False
    # A version or index after the secret word still names the secret (API_SECRET_V2, TOKEN_1);
    # a word that names something else (DB_PASSWORD_FILE, a path) does not.
    while len(words) > 1 and re.fullmatch(r"v?\d+", words[-1]):
        words.pop()
    last = words[-1]
    if last in _SECRET_WORDS:
        return True
    return last == "key" and len(words) > 1 and words[-2] in _KEY_QUALIFIERS


def credential_shape(value: str) -> str | None:
    for what, rx in _CREDENTIAL_SHAPES:
        if rx.search(value):
            return what
    return None


def looks_literal(value: str) -> bool:
    value = value.strip()
    return bool(value) and not _NOT_A_SECRET.match(value)


@check("k8s-env-secrets", rules=(RULE,), fills=("container", "variable", "shape"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for c in ctx.containers(ctx.kinds(RULE)):
        env = c.data.get("env")
        if not isinstance(env, list):
            continue
        for i, var in enumerate(env):
            if not isinstance(var, dict) or not isinstance(var.get("name"), str):
                continue
            value = var.get("value")
            if not isinstance(value, str):  # numbers and booleans are not credentials
                continue
            name = var["name"]
            path = c.path + ("env", i, "value")
            shape = credential_shape(value)
            if shape:
                yield ctx.finding(RULE, c.obj, path, container=c.name, variable=name, shape=shape)
            elif secret_name(name) and looks_literal(value):
                yield ctx.finding(RULE, c.obj, path, variant="secret-name", container=c.name, variable=name)
