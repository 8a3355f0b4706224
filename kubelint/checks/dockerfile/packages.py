"""Package managers in RUN: non-interactive installs, pinned versions, verified sources."""

from __future__ import annotations

import re

from kubelint.checks.dockerfile.base import STAGE_VALUES, at, at_word, dockerfiles, runs
from kubelint.checks.dockerfile.commands import (
    apk_add,
    apt_packages,
    apt_subcommand,
    expand_word,
    later_text,
    mounted,
    pip_args,
    positional_after,
    shell_variables,
    yum_like,
)
from kubelint.ruleapi.context import CheckContext
from kubelint.ruleapi.registry import check

_PIN = re.compile(r"(==|>=|<=|~=|!=|===|<|>|@)")
_PIP_NOT_PACKAGE = re.compile(r"(^[./~]|^\$|://|\.whl$|\.tar\.gz$|\.zip$)")
_PIP_VALUE_FLAGS = ("-r", "--requirement", "-c", "--constraint", "-e", "--editable", "-i", "--index-url",
                    "--extra-index-url", "--trusted-host", "-f", "--find-links", "--target", "-t",
                    "--prefix", "--root", "--platform", "--python-version", "--implementation", "--abi",
                    "--progress-bar", "--src", "--upgrade-strategy", "--cache-dir", "--log", "--timeout",
                    "--retries", "--proxy", "--cert", "--client-cert", "--only-binary", "--no-binary",
                    "--root-user-action", "--report", "--python", "-C", "--config-settings", "--global-option",
                    "--install-option", "--exists-action", "--keyring-provider", "--use-feature",
                    "--use-deprecated", "--log-file", "--index")
_APK_VALUE_FLAGS = ("-t", "--virtual", "-X", "--repository", "-p", "--root", "--arch")
_NPM_VALUE_FLAGS = ("--prefix", "--registry", "--cache", "-w", "--workspace", "--loglevel", "--omit", "--include",
                    "--userconfig", "--tag", "--install-strategy", "--location", "--before")
_GEM_VALUE_FLAGS = ("-v", "--version", "-i", "--install-dir", "-n", "--bindir", "--source", "-s", "-P",
                    "--trust-policy", "--platform", "-g", "--file", "--document")
_ZYPPER_VALUE_FLAGS = ("-t", "--type", "-r", "--repo", "--from", "-C", "--capability")
# A git reference that names a moving branch rather than a commit or tag.
_BRANCHES = frozenset({"main", "master", "develop", "dev", "head", "trunk"})
_YES = ("-y", "--yes", "--assume-yes")
_SIGNATURE_FLAGS = {
    "apt-get": ("--allow-unauthenticated", "--force-yes", "--allow-insecure-repositories"),
    "apt": ("--allow-unauthenticated", "--allow-insecure-repositories"),
    "apk": ("--allow-untrusted",),
    "yum": ("--nogpgcheck",), "dnf": ("--nogpgcheck",), "microdnf": ("--nogpgcheck",), "tdnf": ("--nogpgcheck",),
    "rpm": ("--nosignature", "--nodigest", "--noverify", "--nofiledigest"),
    "zypper": ("--no-gpg-checks",),
}


def _recommends_off(stage) -> bool:
    """An apt.conf snippet written earlier turns recommends off for every later install."""
    for s in reversed(stage.lineage()):
        for inst in runs(s):
            if "Install-Recommends" in inst.value or any("Install-Recommends" in d.body for d in inst.heredocs):
                return True
    return False


@check("dockerfile-packages", rules=(
    "apk-no-cache",
    "apk-unpinned",
    "apt-get-no-y",
    "apt-get-recommends",
    "apt-get-unpinned",
    "apt-get-update-alone",
    "apt-get-upgrade",
    "apt-not-apt-get",
    "gem-unpinned",
    "go-install-unpinned",
    "npm-unpinned",
    "package-signature-disabled",
    "pip-trusted-host",
    "pip-unpinned",
    "yum-no-y",
    "yum-unpinned",
), fills=(*STAGE_VALUES, "host", "program", "subcommand", "package", "flag", "setting"))
def run(ctx: CheckContext):
    for df in dockerfiles(ctx):
        for stage in df.stages:
            if ctx.enabled("pip-trusted-host"):
                for inst in stage.instructions:
                    if inst.name == "ENV":
                        for key, _, off in inst.pairs:
                            if key == "PIP_TRUSTED_HOST":
                                yield at(ctx, "pip-trusted-host", inst, inst.value_pos(off), len(key),
                                         variant="env")
            no_recommends = None
            for inst in runs(stage):
                for cmd in inst.commands:
                    yield from _signatures(ctx, inst, cmd)
                    sub = apt_subcommand(cmd)
                    if sub is not None:
                        if no_recommends is None and sub == "install":
                            no_recommends = _recommends_off(stage)
                        yield from _apt(ctx, inst, cmd, sub, no_recommends)
                        continue
                    args = pip_args(cmd)
                    if args is not None:
                        yield from _pip(ctx, inst, cmd, args)
                        continue
                    if apk_add(cmd):
                        yield from _apk(ctx, inst, cmd)
                    elif cmd.program == "apk" and cmd.subcommand == "update" and not any(
                            c.program == "apk" and c.subcommand in ("add", "upgrade") for c in inst.commands):
                        yield at_word(ctx, "apt-get-update-alone", inst, cmd.words[0], program="apk")
                    elif yum_like(cmd) or cmd.program == "zypper":
                        yield from _yum(ctx, inst, cmd)
                    elif cmd.program == "npm" and cmd.subcommand in ("install", "i", "add"):
                        for i, pkg in positional_after(cmd, cmd.subcommand, _NPM_VALUE_FLAGS):
                            if _npm_unpinned(pkg):
                                yield at_word(ctx, "npm-unpinned", inst, cmd.words[i],
                                              subcommand=cmd.subcommand, package=pkg)
                    elif cmd.program == "gem" and cmd.subcommand in ("install", "i"):
                        yield from _gem(ctx, inst, cmd)
                    elif cmd.program == "go" and cmd.subcommand in ("install", "get"):
                        yield from _go(ctx, inst, cmd)


def _apt(ctx, inst, cmd, sub, no_recommends):
    prog = cmd.program
    if prog == "apt":
        yield at_word(ctx, "apt-not-apt-get", inst, cmd.words[0])
    if sub in ("upgrade", "dist-upgrade", "full-upgrade"):
        yield at_word(ctx, "apt-get-upgrade", inst, cmd.words[0], program=prog, subcommand=sub)
    if sub == "update":
        later = [c for c in inst.commands if apt_subcommand(c) == "install"]
        if not later:
            yield at_word(ctx, "apt-get-update-alone", inst, cmd.words[0], program=prog)
    if sub != "install":
        return
    simulated = cmd.has_flag("-s", "--simulate", "--just-print", "--dry-run", "--recon", "--no-act")
    if not simulated and not cmd.has_flag(*_YES) and not cmd.has_flag("-qq") and not cmd.flag_value("-q") == "2" \
            and not any(a.startswith("-q=2") or a == "--quiet=2" for a in cmd.args):
        yield at_word(ctx, "apt-get-no-y", inst, cmd.words[0], program=prog)
    if not no_recommends and not cmd.has_flag("--no-install-recommends") \
            and not any("Install-Recommends=false" in a or "Install-Recommends=0" in a for a in cmd.args):
        yield at_word(ctx, "apt-get-recommends", inst, cmd.words[0], program=prog)
    variables = None
    for i, word in apt_packages(cmd):
        if word.startswith("$"):
            variables = shell_variables(inst, cmd) if variables is None else variables
        # A package list kept in a variable of the same script (`apt-get install $buildDeps`).
        for pkg in (expand_word(word, variables or {}) or [word]) if word.startswith("$") else [word]:
            if "=" not in pkg and not pkg.endswith(".deb") and not pkg.startswith(("$", "/", "./")):
                yield at_word(ctx, "apt-get-unpinned", inst, cmd.words[i], package=pkg)


def _pip(ctx, inst, cmd, args):
    for flag in ("--trusted-host",):
        for w in cmd.words[1:]:
            if w.text == flag or w.text.startswith(flag + "="):
                host = w.text.partition("=")[2] or cmd.flag_value(flag)
                yield at_word(ctx, "pip-trusted-host", inst, w, variant=None if host else "no-host", host=host)
    if "config" in args[:1] and any("trusted-host" in a for a in args):
        yield at_word(ctx, "pip-trusted-host", inst, cmd.words[0], variant="config")
    if not args or next((a for a in args if not a.startswith("-")), None) != "install":
        return
    if any(a in ("-c", "--constraint") or a.startswith("--constraint=") for a in args):
        return
    offset = len(cmd.words) - len(args)
    i, seen_install = 0, False
    while i < len(args):
        a = args[i]
        if a.startswith("-"):
            i += 2 if a in _PIP_VALUE_FLAGS else 1
            continue
        if not seen_install:
            seen_install = a == "install"
        elif i + 2 < len(args) and args[i + 1] == "@":  # `name @ git+https://...` (a direct reference)
            if _git_unpinned(args[i + 2]):
                yield at_word(ctx, "pip-unpinned", inst, cmd.words[offset + i + 2], package=args[i + 2])
            i += 3
            continue
        elif "git+" in a:
            if _git_unpinned(a[a.index("git+"):]):
                yield at_word(ctx, "pip-unpinned", inst, cmd.words[offset + i], package=a)
        elif not _PIN.search(a) and not _PIP_NOT_PACKAGE.search(a):
            yield at_word(ctx, "pip-unpinned", inst, cmd.words[offset + i], package=a)
        i += 1


def _git_unpinned(url: str) -> bool:
    """A git URL (`git+https://host/org/repo.git@ref`, `github:org/repo#ref`) that names no
    commit or tag: no ref, or a branch name."""
    rest = re.sub(r"^[a-z+]+://", "", url)
    host, _, path = rest.partition("/")
    ref = ""
    if "#" in path:
        path, ref = path.split("#", 1)
        ref = ref.removeprefix("commit=").removeprefix("semver:")
    elif "@" in path:
        ref = path.rsplit("@", 1)[1]
    ref = ref.split("#", 1)[0]
    return not ref or ref.lower() in _BRANCHES


def _npm_unpinned(pkg: str) -> bool:
    """An npm install spec that does not pin a version: `name`, `@scope/name`, a git repository
    without a commit; local folders, tarballs and tarball URLs are not registry packages."""
    if re.match(r"^([./~$]|file:)", pkg) or re.search(r"\.(tgz|tar\.gz)$", pkg):
        return False
    if re.match(r"^(git\+|git://|github:|gitlab:|bitbucket:|gist:)", pkg) or (
            "/" in pkg and not pkg.startswith("@") and "://" not in pkg):
        return _git_unpinned(pkg if "://" in pkg else "x/" + pkg.split(":", 1)[-1])
    if "://" in pkg:
        return False  # a URL to something other than a repository
    name = pkg[1:] if pkg.startswith("@") else pkg
    return "@" not in name


def _gem(ctx, inst, cmd):
    # `-v` pins every gem of the command; `gem install -g` installs from a Gemfile (or its lock).
    if cmd.has_flag("-v", "--version", "-g", "--file"):
        return
    for i, gem in positional_after(cmd, cmd.subcommand, _GEM_VALUE_FLAGS):
        if ":" not in gem and not gem.endswith(".gem") and not gem.startswith(("$", "/", "./")):
            yield at_word(ctx, "gem-unpinned", inst, cmd.words[i], package=gem)


def _go(ctx, inst, cmd):
    for i, pkg in positional_after(cmd, cmd.subcommand, ("-C", "-modfile", "-ldflags", "-tags", "-gcflags")):
        if pkg.startswith((".", "/", "$")):
            continue  # a package of the module being built
        _, at_sign, version = pkg.rpartition("@")
        if not at_sign or version in ("latest", "upgrade", "patch", ""):
            yield at_word(ctx, "go-install-unpinned", inst, cmd.words[i],
                          variant="latest" if at_sign else None, subcommand=cmd.subcommand, package=pkg)


def _apk(ctx, inst, cmd):
    # --no-network installs only from local files and the cache it does not fill.
    if not cmd.has_flag("--no-cache", "--no-network") and not mounted(inst, "/var/cache/apk", "/etc/apk/cache") \
            and not re.search(r"/var/cache/apk|/etc/apk/cache|apk cache (clean|purge)", later_text(inst, cmd)):
        yield at_word(ctx, "apk-no-cache", inst, cmd.words[0])
    variables = shell_variables(inst, cmd) if any(w.text.startswith("$") for w in cmd.words) else {}
    for i, word in positional_after(cmd, "add", _APK_VALUE_FLAGS):
        for pkg in expand_word(word, variables) or [word]:
            if "=" not in pkg and "~" not in pkg and not pkg.startswith(("$", "/", "./")) and not pkg.endswith(".apk"):
                yield at_word(ctx, "apk-unpinned", inst, cmd.words[i], package=pkg)


def _yum(ctx, inst, cmd):
    prog, sub = cmd.program, cmd.subcommand
    if prog == "zypper" and sub in ("dist-upgrade", "dup"):
        yield at_word(ctx, "apt-get-upgrade", inst, cmd.words[0], program=prog, subcommand=sub)
    if sub not in ("install", "in", "update", "upgrade", "groupinstall", "reinstall", "remove", "erase", "downgrade"):
        return
    if prog == "zypper":
        ok = cmd.has_flag("-n", "--non-interactive", "-y", "--no-confirm")
    else:
        ok = cmd.has_flag("-y", "--assumeyes") or prog == "microdnf"  # microdnf never asks
    if sub in ("install", "in") and prog != "zypper":
        for i, pkg in positional_after(cmd, sub, ("--setopt", "--enablerepo", "--disablerepo", "--releasever",
                                                   "--installroot", "-c", "--config")):
            # name-1.2.3 (or name-1.2.3-1.el9) is pinned; files, URLs, globs and @groups are not judged.
            if not re.search(r"-\d", pkg) and not re.search(r"[/*@$]|\.rpm$", pkg):
                yield at_word(ctx, "yum-unpinned", inst, cmd.words[i], program=prog, package=pkg)
    elif sub in ("install", "in"):
        for i, pkg in positional_after(cmd, sub, _ZYPPER_VALUE_FLAGS):
            # zypper pins with name=1.2 (or >=, <...); files, URLs and patterns are not judged.
            if not re.search(r"[=<>]", pkg) and not re.search(r"[/*$]|\.rpm$", pkg):
                yield at_word(ctx, "yum-unpinned", inst, cmd.words[i], variant="zypper", program=prog, package=pkg)
    if not ok:
        yield at_word(ctx, "yum-no-y", inst, cmd.words[0], variant="zypper" if prog == "zypper" else None,
                      program=prog, subcommand=sub)


_GPGCHECK_OFF = re.compile(r"gpgcheck\s*=\s*(0|false|no)\b", re.I)


def _signatures(ctx, inst, cmd):
    # Turning gpgcheck off in a repo or yum/dnf config (sed -i, echo >>, --setopt) counts too.
    for w in cmd.words[1:]:
        if _GPGCHECK_OFF.search(w.text):
            yield at_word(ctx, "package-signature-disabled", inst, w, variant="gpgcheck-off", setting=w.text)
            return
    flags = _SIGNATURE_FLAGS.get(cmd.program)
    if not flags:
        return
    for w in cmd.words[1:]:
        if w.text in flags:
            yield at_word(ctx, "package-signature-disabled", inst, w, program=cmd.program, flag=w.text)
