"""Builds kubelint._yamlfast, the optional compiled fast path of YAML parsing (kubelint/_yamlfast.c).

It needs a C compiler and libyaml's headers (Debian: `libyaml-dev`). Without them the wheel is
built without it, pure Python, and kubelint parses with the Python builder: the same findings,
slower. Hatchling runs this as the wheel's build hook; for a checkout, `python hatch_build.py`
builds the module in place (kubelint/_yamlfast*.so, ignored by git).
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
SOURCE = ROOT / "kubelint" / "_yamlfast.c"
NAME = "_yamlfast"


def module_filename() -> str:
    return NAME + (sysconfig.get_config_var("EXT_SUFFIX") or ".so")


def build_extension(out_dir: Path, quiet: bool = True) -> tuple[Path | None, str]:
    """Compile the module into `out_dir`: (its path, "") or (None, why not)."""
    cc = sysconfig.get_config_var("CC")
    ldshared = sysconfig.get_config_var("LDSHARED")
    include = sysconfig.get_paths().get("include")
    if not cc or not ldshared or not include or os.name == "nt":
        return None, "no C compiler configured for this Python"
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / module_filename()
    # libyaml where a package manager puts it outside the compiler's own paths (Homebrew).
    prefixes = [p for p in ("/opt/homebrew", "/usr/local") if os.path.isfile(f"{p}/include/yaml.h")]
    with tempfile.TemporaryDirectory() as tmp:
        obj = Path(tmp) / f"{NAME}.o"
        compile_cmd = [*shlex.split(cc), *shlex.split(sysconfig.get_config_var("CCSHARED") or ""), "-O2",
                       "-I", include, *(f"-I{p}/include" for p in prefixes), "-c", str(SOURCE), "-o", str(obj)]
        link_cmd = [*shlex.split(ldshared), str(obj), "-o", str(target), *(f"-L{p}/lib" for p in prefixes), "-lyaml"]
        for cmd in (compile_cmd, link_cmd):
            try:
                done = subprocess.run(cmd, capture_output=True, text=True)
            except OSError as exc:
                return None, f"{cmd[0]}: {exc}"
            if done.returncode != 0:
                return None, (done.stderr or done.stdout).strip().splitlines()[-1] if (done.stderr or done.stdout) \
                    else f"{cmd[0]} exited {done.returncode}"
    return target, ""


Hook: Any = object  # run as a script, outside a build
try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface as Hook  # type: ignore[import-not-found,no-redef,unused-ignore]
except ImportError:
    pass


class YamlFastHook(Hook):
    """Adds the compiled module to a wheel when it builds, and tags the wheel for this platform."""

    def initialize(self, version: str, build_data: dict) -> None:
        self.scratch: str | None = None
        if self.target_name != "wheel" or version == "editable":
            return
        self.scratch = tempfile.mkdtemp(prefix="kubelint-yamlfast-")
        built, why = build_extension(Path(self.scratch))
        if built is None:
            print(f"kubelint: building without the compiled YAML fast path ({why})", file=sys.stderr)
            return
        build_data["force_include"][str(built)] = f"kubelint/{built.name}"
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        if self.scratch is not None:
            shutil.rmtree(self.scratch, ignore_errors=True)


if __name__ == "__main__":
    built, why = build_extension(ROOT / "kubelint")
    print(f"built {built}" if built else f"not built: {why}")
    raise SystemExit(0 if built else 1)
