"""Write a synthetic but realistic corpus of Kubernetes manifests (default 20,000 documents):
apps made of Deployments, StatefulSets, CronJobs, Services, ConfigMaps, Secrets, Ingresses,
HPAs, PDBs and RBAC, with the usual mix of good and sloppy settings. Deterministic (seeded).

    python benchmarks/generate_corpus.py OUT_DIR [--documents 20000]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

IMAGES = ["nginx:1.27.3", "redis:7.4", "postgres:16.4", "ghcr.io/acme/api:2.3.1", "busybox",
          "quay.io/prometheus/node-exporter:v1.8.2", "python:3.12-slim", "acme/worker:latest"]


def container(rng: random.Random, name: str, app: str) -> str:
    image = rng.choice(IMAGES)
    port = rng.choice([80, 8080, 9090, 5432, 6379])
    lines = [f"        - name: {name}", f"          image: {image}",
             "          ports:", f"            - name: http", f"              containerPort: {port}"]
    if rng.random() < 0.7:
        lines += ["          resources:", "            requests:", f"              cpu: {rng.choice(['100m', '250m', '1'])}",
                  f"              memory: {rng.choice(['128Mi', '512Mi', '1Gi'])}"]
        if rng.random() < 0.6:
            lines += ["            limits:", "              cpu: '2'", "              memory: 2Gi"]
    if rng.random() < 0.6:
        lines += ["          readinessProbe:", "            httpGet:", "              path: /healthz",
                  "              port: http", "            periodSeconds: 10"]
    if rng.random() < 0.5:
        lines += ["          livenessProbe:", "            tcpSocket:", f"              port: {port}"]
    if rng.random() < 0.5:
        lines += ["          securityContext:", "            runAsNonRoot: true",
                  "            allowPrivilegeEscalation: false", "            readOnlyRootFilesystem: true",
                  "            capabilities:", "              drop: [ALL]"]
    lines += ["          env:", "            - name: LOG_LEVEL", "              value: info",
              "            - name: DB_PASSWORD", "              valueFrom:", "                secretKeyRef:",
              # One reference in fifty has a typo, as in real repositories.
              f"                  name: {app}-{'bd' if rng.random() < 0.02 else 'db'}",
              "                  key: password"]
    lines += ["          volumeMounts:", "            - name: config", "              mountPath: /etc/app"]
    return "\n".join(lines)


def workload(rng, kind: str, app: str, ns: str) -> str:
    head = "apps/v1" if kind in ("Deployment", "StatefulSet") else "batch/v1"
    containers = "\n".join(container(rng, f"{app}-{i}" if i else app, app) for i in range(rng.randint(1, 3)))
    pod = (f"      metadata:\n        labels:\n          app: {app}\n      spec:\n"
           f"        serviceAccountName: {app}\n        containers:\n{containers}\n"
           f"        volumes:\n          - name: config\n            configMap:\n              name: {app}-config\n")
    if kind == "CronJob":
        pod = pod.replace("\n      ", "\n          ").replace("      metadata:", "          metadata:", 1)
        body = (f"  schedule: '*/15 * * * *'\n  jobTemplate:\n    spec:\n      template:\n"
                + "\n".join("    " + line if line else line for line in pod.splitlines()) + "\n")
    else:
        extra = f"  serviceName: {app}\n" if kind == "StatefulSet" else ""
        body = (f"  replicas: {rng.choice([1, 2, 3])}\n{extra}  selector:\n    matchLabels:\n      app: {app}\n"
                f"  template:\n{pod}")
    return (f"apiVersion: {head}\nkind: {kind}\nmetadata:\n  name: {app}\n  namespace: {ns}\n"
            f"  labels:\n    app.kubernetes.io/name: {app}\nspec:\n{body}")


def service(app, ns):
    return (f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {app}\n  namespace: {ns}\nspec:\n"
            f"  selector:\n    app: {app}\n  ports:\n    - port: 80\n      targetPort: http\n")


def configmap(app, ns):
    return (f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: {app}-config\n  namespace: {ns}\n"
            f"data:\n  LOG_FORMAT: json\n  MAX_CONNECTIONS: \"100\"\n")


def secret(app, ns):
    return (f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {app}-db\n  namespace: {ns}\n"
            f"type: Opaque\ndata:\n  password: c2VjcmV0\n")


def ingress(app, ns):
    return (f"apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {app}\n  namespace: {ns}\n"
            f"spec:\n  rules:\n    - host: {app}.example.com\n      http:\n        paths:\n          - path: /\n"
            f"            pathType: Prefix\n            backend:\n              service:\n"
            f"                name: {app}\n                port:\n                  number: 80\n")


def hpa(app, ns):
    return (f"apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata:\n  name: {app}\n"
            f"  namespace: {ns}\nspec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n"
            f"    name: {app}\n  minReplicas: 2\n  maxReplicas: 10\n")


def pdb(app, ns):
    return (f"apiVersion: policy/v1\nkind: PodDisruptionBudget\nmetadata:\n  name: {app}\n  namespace: {ns}\n"
            f"spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: {app}\n")


def rbac(app, ns):
    return (f"apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {app}\n  namespace: {ns}\n---\n"
            f"apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: {app}\n  namespace: {ns}\n"
            f"rules:\n  - apiGroups: ['']\n    resources: [configmaps]\n    verbs: [get, list, watch]\n---\n"
            f"apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: {app}\n"
            f"  namespace: {ns}\nroleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {app}\n"
            f"subjects:\n  - kind: ServiceAccount\n    name: {app}\n    namespace: {ns}\n")


def app_documents(rng: random.Random, index: int) -> list[str]:
    app, ns = f"app{index}", f"team{index % 17}"
    kind = rng.choices(["Deployment", "StatefulSet", "CronJob"], [8, 1, 1])[0]
    docs = [workload(rng, kind, app, ns), configmap(app, ns), secret(app, ns)]
    if kind != "CronJob":
        docs += [service(app, ns), pdb(app, ns)]
        if rng.random() < 0.5:
            docs.append(ingress(app, ns))
        if kind == "Deployment" and rng.random() < 0.4:
            docs.append(hpa(app, ns))
    docs.append(rbac(app, ns))
    return docs


def generate(out: Path, documents: int, seed: int = 7) -> int:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    written = 0
    index = 0
    while written < documents:
        docs = app_documents(rng, index)
        text = "---\n".join(docs)
        count = text.count("\nkind: ") + text.startswith("kind: ")
        (out / f"app{index:05d}.yaml").write_text(text)
        written += count
        index += 1
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--documents", type=int, default=20_000)
    args = parser.parse_args()
    n = generate(args.out, args.documents)
    print(f"wrote {n} documents to {args.out}")
