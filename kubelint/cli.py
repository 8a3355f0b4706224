"""The command line: `kubelint check`, `kubelint graph`, `kubelint images`, `kubelint rules`, `kubelint init`,
`kubelint config`, `kubelint --version`.

Imports are lazy so that `kubelint --version` and small runs start fast: jsonschema and rich
are only imported when a run needs them.
"""

from __future__ import annotations

import argparse
import sys

from kubelint import __version__
from kubelint.errors import KubelintError

EXIT_OK, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("rich", "plain", "gnu", "json", "sarif", "junit", "github", "gitlab", "html")


class UsageError(KubelintError):
    """A problem with the command line: one line on stderr, exit 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        raise UsageError(message)


def _csv(value: str) -> list[str]:
    return [v.strip() for v in value.split(",") if v.strip()]


def _config_options(parser) -> None:
    g = parser.add_argument_group("configuration")
    g.add_argument("--config", metavar="FILE",
                   help="use this config file (.kubelint.yaml or pyproject.toml) instead of discovery")
    g.add_argument("--isolated", action="store_true", help="ignore all config files")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="kubelint", description="Lint Kubernetes manifests and Dockerfiles.")
    parser.add_argument("--version", action="version", version=f"kubelint {__version__}")
    sub = parser.add_subparsers(dest="command", parser_class=_Parser)

    check = sub.add_parser("check", help="lint files and directories")
    check.add_argument("paths", nargs="*", default=None, metavar="PATH",
                       help="files or directories (default: .); - reads standard input")
    _config_options(check)
    g = check.add_argument_group("input")
    g.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                   help="skip paths matching GLOB (repeatable; adds to the config's exclude)")
    g.add_argument("--force-exclude", action="store_true",
                   help="apply excludes to paths named on the command line too (for pre-commit)")
    g.add_argument("--follow-symlinks", action="store_true",
                   help="lint file symlinks that point outside the scanned directories, and "
                        "enter symlinked directories")
    g.add_argument("--stdin-filename", metavar="NAME", help="name (and classify) standard input")
    g.add_argument("--type", choices=("yaml", "dockerfile"), help="force the type of explicit files and stdin")
    g = check.add_argument_group("output")
    g.add_argument("--format", action="append", choices=FORMATS, default=None,
                   help="report format (repeatable; default: rich on a terminal, plain otherwise)")
    g.add_argument("--output", "-o", action="append", default=None, metavar="FILE",
                   help="write a report to FILE (repeatable: outputs pair with the last --formats, "
                        "the first format left over goes to standard output)")
    g.add_argument("--output-format", choices=("full", "concise"), default="full",
                   help="rich format: full (code frames, help, docs) or concise (one line per finding)")
    g.add_argument("--show-source", action=argparse.BooleanOptionalAction, default=True,
                   help="rich full format: quote the source lines (default: on)")
    g.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default=None,
                   help="lowest severity that makes the exit code 1 (default: warning)")
    g.add_argument("--statistics", action="store_true", help="print the number of findings per rule")
    g.add_argument("--show-suppressed", action="store_true", help="also list suppressed findings")
    g.add_argument("--quiet", "-q", action="store_true", help="findings only, no summary")
    g.add_argument("--no-color", action="store_true", help="no colours (also: NO_COLOR)")
    g.add_argument("--no-progress", action="store_true", help="no progress bar on stderr")
    g.add_argument("--jobs", "-j", type=_jobs, default=None, metavar="N",
                   help="parse in N processes (default: every CPU for a big scan, else 1)")
    g.add_argument("--no-cache", action="store_true",
                   help="neither read nor write the cache of parsed files (see cache-dir)")
    g.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    g = check.add_argument_group("fixes")
    g.add_argument("--fix", action="store_true",
                   help="apply safe fixes in place (standard input: print the fixed text), then report what is left")
    g.add_argument("--unsafe-fixes", action="store_true",
                   help="with --fix, --diff or --fix-only: also apply fixes that change behaviour (hardening)")
    g.add_argument("--diff", action="store_true",
                   help="print the fixes as a unified diff and change nothing (exit 1 when there is something to fix)")
    g.add_argument("--fix-only", action="store_true", help="apply fixes and report nothing else (exit 0)")
    g = check.add_argument_group("rules")
    g.add_argument("--select", type=_csv, action="extend", default=None, metavar="IDS",
                   help="only these rules, categories or peer ids, or all (comma-separated; replaces "
                        "the recommended set and the config's select, extend-select and ignore)")
    g.add_argument("--profile", default=None, metavar="NAME",
                   help="start from this rule set instead of the recommended one: recommended, all, kube-linter, "
                        "kube-score, polaris, hadolint, checkov, pss-baseline, pss-restricted")
    g.add_argument("--pod-security", choices=("privileged", "baseline", "restricted"), default=None,
                   help="also run the Pod Security Standards rules, at this level for pods whose Namespace "
                        "(in the scan) has no pod-security.kubernetes.io/enforce label")
    g.add_argument("--extend-select", type=_csv, action="extend", default=[], metavar="IDS",
                   help="also run these rules, categories or peer ids (adds to the selected set)")
    g.add_argument("--ignore", type=_csv, action="extend", default=[], metavar="IDS",
                   help="skip these rules, categories or peer ids (adds to the config's ignore)")
    g.add_argument("--severity", type=_csv, action="extend", default=[], metavar="ID=LEVEL",
                   help="override a rule's or category's severity (error, warning, info)")
    g.add_argument("--rules-dir", action="append", default=[], metavar="DIR",
                   help="load your own rule files from DIR (repeatable)")
    g = check.add_argument_group("suppressions and baseline")
    g.add_argument("--no-inline-ignores", action="store_true",
                   help="ignore kubelint.io/ignore annotations and kubelint/hadolint comments")
    g.add_argument("--baseline", metavar="FILE", default=None,
                   help="report only findings that are not in this baseline")
    g.add_argument("--write-baseline", metavar="FILE", help="record the current findings in FILE and exit 0")
    g = check.add_argument_group("kubernetes")
    g.add_argument("--kubernetes-version", metavar="X.Y", help="validate against this Kubernetes version")
    g.add_argument("--schema-dir", action="append", default=[], metavar="DIR",
                   help="extra JSON schemas for custom resources (repeatable)")
    g.add_argument("--strict", action=argparse.BooleanOptionalAction, default=None,
                   help="report fields the schema does not know (default: on)")
    g.add_argument("--reject-unknown-kinds", action=argparse.BooleanOptionalAction, default=None,
                   help="report objects with no schema as errors")
    g.add_argument("--namespace", default=None, metavar="NS",
                   help="namespace of objects that name none (default: default)")
    g.add_argument("--complete", action=argparse.BooleanOptionalAction, default=None,
                   help="the scan is the whole application: report every missing reference")
    g = check.add_argument_group("dockerfile")
    g.add_argument("--target", metavar="STAGE", help="the stage that is built (default: the last)")

    from kubelint.commands.graph import add_parser as add_graph_parser
    add_graph_parser(sub, _config_options)
    images = sub.add_parser("images", help="show which Dockerfile of the scan builds each image the manifests run")
    images.add_argument("paths", nargs="*", default=None, metavar="PATH", help="files or directories (default: .)")
    _config_options(images)
    images.add_argument("--exclude", action="append", default=[], metavar="GLOB",
                        help="skip paths matching GLOB (repeatable; adds to the config's exclude)")
    images.add_argument("--follow-symlinks", action="store_true", help="enter symlinked directories")
    images.add_argument("--format", choices=("text", "json"), default="text")

    init = sub.add_parser("init", help="write a commented starter config")
    init.add_argument("file", nargs="?", default=".kubelint.yaml", help="where (default: .kubelint.yaml; - for stdout)")
    init.add_argument("--force", action="store_true", help="overwrite an existing file")

    config = sub.add_parser("config", help="print the effective configuration, or import a peer's")
    config.add_argument("action", nargs="?", choices=("show", "import"), default="show",
                        help="show (default): the effective settings; import FILE: a .hadolint.yaml, "
                             ".kube-linter.yaml or Polaris config as the equivalent .kubelint.yaml")
    config.add_argument("file", nargs="?", help="the file to import")
    _config_options(config)
    config.add_argument("--format", choices=("yaml", "json"), default="yaml")
    config.add_argument("--write", action="store_true", help="import: write .kubelint.yaml instead of printing it")
    config.add_argument("--force", action="store_true", help="import --write: overwrite an existing .kubelint.yaml")

    rules = sub.add_parser("rules", help="list rules, or explain one")
    rules.add_argument("action", nargs="?", choices=("list", "explain"), default="list")
    rules.add_argument("rule", nargs="?", help="rule id or a peer's id (for explain)")
    rules.add_argument("--format", choices=("table", "json"), default="table")
    rules.add_argument("--rules-dir", action="append", default=[], metavar="DIR")
    cache = sub.add_parser("cache", help="manage kubelint's cache (cache-dir, default $XDG_CACHE_HOME/kubelint)")
    cache.add_argument("action", choices=("clean",), help="clean: remove every cache entry")
    _config_options(cache)
    return parser


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"write a number of processes, 1 or more (got '{text}')")
    return value


def run_cache(args) -> int:
    """`kubelint cache clean`: remove every entry, printing each path removed."""
    from pathlib import Path

    from kubelint.cache import Cache, cache_dir
    from kubelint.escape import escape_text
    from kubelint.filescan import files_cache
    from kubelint.pipeline import Settings

    settings = Settings.load(args.config, args.isolated)
    directory = Path(settings.cache_dir) if settings.cache_dir else cache_dir()
    if directory is None:
        print("kubelint: no cache directory (KUBELINT_NO_CACHE is set or there is no home)",
              file=sys.stderr)
        return EXIT_OK
    files = files_cache(directory)
    removed = files.clean() if files is not None else []
    if files is not None:
        try:
            files.directory.rmdir()  # emptied above: not an entry of its own
        except OSError:
            pass
    removed += Cache(directory).clean()
    for path in removed:
        print(f"removed {escape_text(path)}")
    left = Cache(directory).entries()
    print(f"kubelint: removed {len(removed)} entr{'y' if len(removed) == 1 else 'ies'} from "
          f"{escape_text(directory)}", file=sys.stderr)
    if left:
        raise KubelintError(f"could not remove {len(left)} entr{'y' if len(left) == 1 else 'ies'}, "
                            f"e.g. {left[0]}")
    return EXIT_OK


def _esc(message) -> str:
    # Error messages quote paths and values: no control characters on the terminal either.
    from kubelint.escape import escape_text
    return escape_text(message)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    debug = "--debug" in argv
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_ERROR
        if args.command == "check":
            from kubelint.commands.check import run_check
            return run_check(args)
        if args.command in ("init", "config"):
            from kubelint.commands import config_cmd
            if args.command == "init":
                return config_cmd.run_init(args)
            if args.action == "import":
                from kubelint.commands.config_import import run_import
                return run_import(args)
            return config_cmd.run_config(args)
        if args.command == "graph":
            from kubelint.commands.graph import run_graph
            return run_graph(args)
        if args.command == "images":
            from kubelint.commands.images import run_images
            return run_images(args)
        if args.command == "cache":
            return run_cache(args)
        if args.command == "rules":
            from kubelint.commands.rules import run_rules
            return run_rules(args)
        raise UsageError(f"unknown command {args.command}")
    except UsageError as exc:
        print(f"kubelint: error: {_esc(exc)}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kubelint: interrupted", file=sys.stderr)
        return EXIT_ERROR
    except BrokenPipeError:
        # The reader went away (`kubelint rules | head`): not an error of ours. (`check`
        # handles it itself, to keep its exit code.)
        from kubelint.pipes import silence_stdout
        silence_stdout()
        return EXIT_OK
    except Exception as exc:  # internal error: one line, traceback only with --debug
        from kubelint.errors import describe
        message = describe(exc)
        if debug:
            import traceback
            traceback.print_exc()
        print(f"kubelint: error: {_esc(message)}", file=sys.stderr)
        if not debug and not getattr(exc, "user_facing", False):
            print("kubelint: run with --debug for the traceback", file=sys.stderr)
        return EXIT_ERROR
