"""`control-plane-flag`: a control-plane component (kube-apiserver, etcd, kubelet) run in a
container — a static pod manifest, a hosted control plane — with a command-line flag whose value
opens the cluster. Driven by the table FLAGS: only values that are insecure whatever else the
cluster does, never a flag merely left at a safe default (that is a node audit's job).

The command line is the container's `command` then `args`, as the kubelet joins them; the
component is the first word's file name (`/usr/local/bin/kube-apiserver`), or the word after
`hyperkube`. A shell script (`sh -c "..."`) is not read. Flags are Go flags: `--name=value`,
`--name value` (not for booleans, where `--name` alone means true), one or two dashes; the last
one wins. etcd also reads each flag from an `ETCD_NAME` environment variable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Iterator
from urllib.parse import urlsplit

from kubelint.findings import Finding
from kubelint.model.k8s import Container
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

RULE = "control-plane-flag"


@dataclass(frozen=True)
class Flag:
    component: str
    name: str  # without dashes
    test: str  # set: any value is bad | is: a value in `values` | not: a value outside `values`
    #            | has: a comma-separated list holding one of `values`
    values: tuple[str, ...]
    reason: str
    boolean: bool = False
    absent_bad: bool = False  # the built-in default is the insecure value
    unless: tuple[str, ...] = ()  # flags that make absence fine (another way to configure it)
    exposed_by: str | None = None  # absence counts only when this flag names a non-loopback URL


_OPEN = "every request is allowed, anonymous ones included"
FLAGS: tuple[Flag, ...] = (
    Flag("kube-apiserver", "basic-auth-file", "set", (), "static passwords, sent with every request (removed in 1.19)"),
    Flag("kube-apiserver", "token-auth-file", "set", (),
         "static bearer tokens that never expire and are revoked only by a restart"),
    Flag("kube-apiserver", "kubelet-https", "is", ("false",), "the API server talks to kubelets in clear text",
         boolean=True),
    Flag("kube-apiserver", "authorization-mode", "has", ("AlwaysAllow",), _OPEN, absent_bad=True,
         unless=("authorization-config",)),
    Flag("kube-apiserver", "enable-admission-plugins", "has", ("AlwaysAdmit",),
         "every request passes admission, bypassing every admission policy"),
    Flag("kube-apiserver", "admission-control", "has", ("AlwaysAdmit",),
         "every request passes admission, bypassing every admission policy"),
    Flag("kube-apiserver", "insecure-bind-address", "set", (),
         "it serves the unauthenticated insecure port on that address"),
    Flag("kube-apiserver", "insecure-port", "not", ("0",),
         "a port with no authentication or authorization, so whoever reaches it is cluster admin"),
    Flag("kube-apiserver", "secure-port", "is", ("0",), "the API server serves no TLS port"),
    Flag("kube-apiserver", "service-account-lookup", "is", ("false",),
         "tokens of deleted ServiceAccounts stay valid", boolean=True),
    Flag("etcd", "client-cert-auth", "is", ("false",),
         "any client that reaches it reads and writes every key, all Secrets included",
         boolean=True, absent_bad=True, exposed_by="listen-client-urls"),
    Flag("etcd", "auto-tls", "is", ("true",), "a self-signed certificate that no client can verify", boolean=True),
    Flag("kubelet", "anonymous-auth", "is", ("true",), "unauthenticated requests reach the kubelet API",
         boolean=True),
    Flag("kubelet", "authorization-mode", "has", ("AlwaysAllow",),
         "every request to the kubelet API is allowed, exec into its pods included"),
    Flag("kubelet", "read-only-port", "not", ("0",),
         "an unauthenticated port that lists the node's pods and their settings"),
)

_COMPONENTS = {f.component for f in FLAGS}
_TRUE = {"1", "t", "true"}  # Go's strconv.ParseBool, case folded
_FALSE = {"0", "f", "false"}


@dataclass(frozen=True)
class Setting:
    value: str
    path: tuple  # where it is written, inside the object
    text: str  # as written (`--insecure-port=8080`), for the message


def _component(words: list[str]) -> tuple[str, int] | None:
    """The component and the index of its first flag, or None."""
    if not words:
        return None
    first = words[0].rsplit("/", 1)[-1]
    if first in _COMPONENTS:
        return first, 1
    if first == "hyperkube" and len(words) > 1:
        name = words[1] if words[1].startswith("kube") else "kube-" + words[1]  # `hyperkube apiserver`
        if name in _COMPONENTS:
            return name, 2
    return None


def _settings(c: Container, component: str, words: list[tuple[str, tuple]], start: int) -> dict[str, Setting]:
    """The last value of each flag on the command line, then etcd's ETCD_* variables beneath."""
    booleans = {f.name for f in FLAGS if f.component == component and f.boolean}
    out: dict[str, Setting] = {}
    i = start
    while i < len(words):
        word, path = words[i]
        i += 1
        if not word.startswith("-") or word in ("-", "--"):
            continue
        name, eq, value = word.lstrip("-").partition("=")
        if not eq:
            if name in booleans:
                value = "true"
            elif i < len(words) and not words[i][0].startswith("-"):
                value = words[i][0]
                i += 1
        out[name] = Setting(value, path, word if eq or name in booleans else f"{word} {value}")
    if component == "etcd":
        env = c.data.get("env")
        for j, var in enumerate(env if isinstance(env, list) else ()):
            if not isinstance(var, dict) or not isinstance(var.get("name"), str) or "value" not in var:
                continue
            name = var["name"]
            if name.startswith("ETCD_"):
                flag = name[5:].lower().replace("_", "-")
                if flag not in out:
                    out[flag] = Setting(str(var["value"]), c.path + ("env", j, "value"), f"{name}={var['value']}")
    return out


def _normal(flag: Flag, value: str) -> str:
    if flag.boolean:
        folded = value.strip().lower()
        return "true" if folded in _TRUE else "false" if folded in _FALSE else folded
    return value.strip()


def _bad(flag: Flag, value: str) -> bool:
    value = _normal(flag, value)
    if flag.test == "set":
        return True
    if flag.test == "is":
        return value in flag.values
    if flag.test == "not":
        return value not in flag.values
    return any(item.strip() in flag.values for item in value.split(","))  # has


def _exposed(urls: str) -> bool:
    """A URL list names an address other clients can reach (not loopback)."""
    for url in urls.split(","):
        host = (urlsplit(url.strip()).hostname or "").lower()
        if host and host not in ("localhost", "::1") and not host.startswith("127."):
            return True
    return False


def _words(c: Container) -> list[tuple[str, tuple]]:
    out = []
    for key in ("command", "args"):
        items = c.data.get(key)
        for i, item in enumerate(items if isinstance(items, list) else ()):
            if isinstance(item, (str, int, float)) and not isinstance(item, bool):
                out.append((str(item), c.path + (key, i)))
    return out


def findings(ctx: CheckContext, c: Container) -> Iterator[Finding | None]:
    words = _words(c)
    found = _component([w for w, _ in words])
    if found is None:
        return
    component, start = found
    settings = _settings(c, component, words, start)
    for flag in FLAGS:
        if flag.component != component:
            continue
        setting = settings.get(flag.name)
        if setting is not None:
            if _bad(flag, setting.value):
                yield ctx.finding(RULE, c.obj, setting.path, container=c.name, component=component,
                                  setting=setting.text, reason=flag.reason)
            continue
        if not flag.absent_bad or any(u in settings for u in flag.unless):
            continue
        if flag.exposed_by:
            urls = settings.get(flag.exposed_by)
            if urls is None or not _exposed(urls.value):
                continue
        where = words[start - 1][1] if start else c.path
        yield ctx.finding(RULE, c.obj, where, variant="absent", container=c.name, component=component,
                          setting=f"--{flag.name}", reason=flag.reason)


@check("k8s-control-plane", rules=(RULE,), fills=("container", "component", "setting", "reason"))
def run(ctx: CheckContext) -> Iterable[Finding | None]:
    for c in ctx.containers(ctx.kinds(RULE)):
        yield from findings(ctx, c)
