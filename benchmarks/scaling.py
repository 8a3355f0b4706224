"""Does kubelint's cost grow linearly with its input? A scaling table for four shapes.

    python benchmarks/scaling.py [--base 1] [--shape NAME ...] [--format json]

Each shape is generated at 1x, 4x and 10x its base size (`--base` multiplies every size) and
linted with all default rules (`--format json`) in a fresh process; the table prints the
findings, the run's wall and CPU time (imports and rule loading excluded: the child warms up on a
one-object file first), peak RSS, and the CPU time ratio against 1x (CPU, not wall, so that other
load on the machine does not count). Linear means 10x input costs at most 11x time. Runs use
`--jobs 1` and no cache: what is measured is the algorithms, in one process.

Shapes:
  docs-per-file   one YAML file of N small ConfigMaps and Deployments
  files-per-dir   N files of one Deployment each, in one directory
  objs-per-ns     N Deployments with Services, PDBs and NetworkPolicies in one namespace, one
                  file each (the cross-object index and selector matching)
  findings        one file of N Pods, each with a dozen findings (reporting, suppressions,
                  baseline matching: run with a baseline that holds half of them)
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FACTORS = (1, 4, 10)

DEPLOYMENT = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: app{i}
  namespace: team
spec:
  replicas: 2
  selector:
    matchLabels:
      app: app{i}
  template:
    metadata:
      labels:
        app: app{i}
        tier: web
    spec:
      containers:
      - name: web
        image: registry.example.com/app{i}:1.{i}
        resources:
          requests: {{cpu: 100m, memory: 64Mi}}
          limits: {{memory: 64Mi}}
        securityContext: {{runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true}}
"""
CONFIGMAP = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm{i}\n  namespace: team\ndata:\n  k: v{i}\n"
SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: app{i}
  namespace: team
spec:
  selector:
    app: app{i}
  ports:
  - port: 80
"""
PDB = """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: app{i}
  namespace: team
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: app{i}
"""
NETPOL = """apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: app{i}
  namespace: team
spec:
  podSelector:
    matchLabels:
      tier: web
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: app{i}
"""
BAD_POD = """apiVersion: v1
kind: Pod
metadata:
  name: pod{i}
spec:
  hostNetwork: true
  containers:
  - name: c
    image: nginx
    securityContext:
      privileged: true
"""

# name -> (base size, writer(directory, n) -> (path to lint, extra CLI args))
SHAPES: dict = {}


def shape(name: str, base: int):
    def register(fn):
        SHAPES[name] = (base, fn)
        return fn
    return register


@shape("docs-per-file", 2_000)
def docs_per_file(tmp: Path, n: int):
    path = tmp / "all.yaml"
    path.write_text("---\n".join((CONFIGMAP if i % 2 else DEPLOYMENT).format(i=i) for i in range(n)))
    return path, []


@shape("files-per-dir", 900)
def files_per_dir(tmp: Path, n: int):
    for i in range(n):
        (tmp / f"app{i:06d}.yaml").write_text(DEPLOYMENT.format(i=i))
    return tmp, []


@shape("objs-per-ns", 450)
def objs_per_ns(tmp: Path, n: int):
    for i in range(n):
        (tmp / f"app{i:06d}.yaml").write_text("---\n".join(t.format(i=i) for t in (DEPLOYMENT, SERVICE, PDB, NETPOL)))
    return tmp, []


@shape("findings", 900)
def findings(tmp: Path, n: int):
    path = tmp / "pods.yaml"
    path.write_text("---\n".join(BAD_POD.format(i=i) for i in range(n)))
    half = tmp / "half.yaml"
    half.write_text("---\n".join(BAD_POD.format(i=i) for i in range(0, n, 2)))
    baseline = tmp / "baseline.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-m", "kubelint", "check", str(half), "--write-baseline", str(baseline)],
                   env=env, check=False, capture_output=True)
    # The baseline names files as they were given: point its entries at pods.yaml.
    data = baseline.read_text().replace("half.yaml", "pods.yaml")
    baseline.write_text(data)
    return path, ["--baseline", str(baseline)]


CHILD = r"""
import json, resource, sys, time, io, contextlib
from kubelint.cli import main
warm, argv = sys.argv[1], sys.argv[2:]
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    main(["check", warm, "--format", "json", "-o", "/dev/null", "--no-progress"])
def cpu():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime
start, cpu0 = time.perf_counter(), cpu()
rc = main(argv)
wall, used = time.perf_counter() - start, cpu() - cpu0
print(json.dumps({"wall": wall, "cpu": used, "rc": rc,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), file=sys.stderr)
"""


def measure(target: Path, extra: list[str], warm: Path) -> dict:
    out = warm.parent / "report.json"
    # --jobs 1: the CPU time of one process is the cost of the algorithms (a pool would move part
    # of it into workers this measure does not see, and start only at the bigger sizes).
    argv = ["check", str(target), "--format", "json", "-o", str(out), "--no-progress", "--jobs", "1", *extra]
    env = {**os.environ, "PYTHONPATH": str(ROOT), "KUBELINT_NO_CACHE": "1"}
    proc = subprocess.run([sys.executable, "-c", CHILD, str(warm), *argv], env=env,
                          capture_output=True, text=True)
    last = proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "{}"
    try:
        result = json.loads(last)
    except json.JSONDecodeError:
        raise SystemExit(f"child failed:\n{proc.stderr[-2000:]}") from None
    report = json.loads(out.read_text())
    result["findings"] = len(report["findings"])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=float, default=1.0, help="multiply every base size")
    parser.add_argument("--shape", action="append", choices=sorted(SHAPES))
    args = parser.parse_args()
    print(f"{'shape':<15} {'factor':>6} {'size':>7} {'findings':>8} {'wall s':>8} {'cpu s':>7} "
          f"{'peak MiB':>9} {'cpu ratio':>10}")
    with tempfile.TemporaryDirectory(prefix="kubelint-scaling-") as tmp:
        warm = Path(tmp) / "warm.yaml"
        warm.write_text(DEPLOYMENT.format(i=0))
        worst = 0.0
        for name in args.shape or list(SHAPES):
            base, writer = SHAPES[name]
            first = None
            for factor in FACTORS:
                size = int(base * args.base * factor)
                case = Path(tmp) / f"{name}-{factor}"
                case.mkdir()
                target, extra = writer(case, size)
                result = measure(target, extra, warm)
                # CPU seconds, not wall: on a shared machine they are what the input costs.
                first = first or result["cpu"]
                ratio = result["cpu"] / first
                if factor == FACTORS[-1]:
                    worst = max(worst, ratio)
                print(f"{name:<15} {factor:>5}x {size:>7} {result['findings']:>8} {result['wall']:>8.2f} "
                      f"{result['cpu']:>7.2f} {result['rss']:>9.0f} {ratio:>9.1f}x", flush=True)
        print(f"worst 10x CPU time ratio: {worst:.1f}x (linear: at most 11x)")


if __name__ == "__main__":
    main()
