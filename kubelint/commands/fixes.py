"""`kubelint check --fix / --diff / --fix-only`: what happens to the fixed texts.

The fixing itself is kubelint.pipeline's (Settings.fix): it returns the fixed text of each
changed file. Here they are written back (in the file's own encoding: UTF-8 with or without BOM,
UTF-16 with its BOM), printed as a unified diff, or, for standard input, printed whole.
"""

from __future__ import annotations

import difflib
import os
import sys

from kubelint.errors import KubelintError
from kubelint.safe_write import replace_with_bytes

EXIT_OK, EXIT_FINDINGS = 0, 1


def handle_fixes(args, result) -> int | None:
    """An exit code when the run ends here (--diff, --fix-only), else None (report as usual)."""
    if args.diff:
        for display, text in sorted(result.fixed_texts.items()):
            sys.stdout.write(unified_diff(display, result.originals[display].text, text))
        sys.stdout.flush()
        _summary(result, "would fix")
        return EXIT_FINDINGS if result.fixed_texts else EXIT_OK
    for display, text in sorted(result.fixed_texts.items()):
        source = result.originals[display]
        if source.path == "-":
            continue
        write_fixed(source.path, text)
    if "-" in result.paths:
        stdin = next((s for s in result.sources.values() if s.path == "-"), None)
        if stdin is not None:
            sys.stdout.write(result.fixed_texts.get(stdin.display, stdin.text))
            sys.stdout.flush()
    if not args.quiet or args.fix_only:
        _summary(result, "fixed")
    if args.fix_only:
        return 2 if result.internal_errors else EXIT_OK
    return None


def _summary(result, verb: str) -> None:
    total = sum(result.fixed.values())
    if not total:
        print("kubelint: nothing to fix", file=sys.stderr)
        return
    files = len(result.fixed_texts)
    rules = ", ".join(f"{n} {rule}" for rule, n in result.fixed.items())
    print(f"kubelint: {verb} {total} finding{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''} "
          f"({rules})", file=sys.stderr)


def unified_diff(display: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=f"a/{display}", tofile=f"b/{display}")
    out = []
    for line in lines:
        out.append(line if line.endswith(("\n", "\r")) else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def encode_like(path: str, text: str) -> bytes:
    """The text in the encoding the file was read in (kubelint.parse.source.decode)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4)
    except OSError as exc:
        raise KubelintError(f"cannot read {path}: {exc.strerror or exc}") from None
    if head.startswith(b"\xef\xbb\xbf"):
        return b"\xef\xbb\xbf" + text.encode("utf-8")
    if head.startswith(b"\xff\xfe"):
        return b"\xff\xfe" + text.encode("utf-16-le")
    if head.startswith(b"\xfe\xff"):
        return b"\xfe\xff" + text.encode("utf-16-be")
    return text.encode("utf-8")


def write_fixed(path: str, text: str) -> None:
    """Replace the file atomically, keeping its permissions; a symlink's target is written."""
    data = encode_like(path, text)
    real = os.path.realpath(path)
    try:
        replace_with_bytes(real, data, mode=os.stat(real).st_mode & 0o7777)
    except OSError as exc:
        raise KubelintError(f"cannot write the fixed {path}: {exc.strerror or exc}") from None
