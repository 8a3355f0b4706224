"""A layered layout of the wiring graph (plain data from kubelint.index.graph), per group.

Sugiyama-style, deterministic, no simulation: each node starts in the column of its kind's role
(routing, Services, workloads, what workloads use, cluster-wide objects), targets are pushed to
the right of their sources, then nodes are ordered within each column by the mean position of
their neighbours (a few sweeps right and left, which removes most crossings), and placed on a
grid. Same input, same picture.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

NODE_W, NODE_H = 210, 38
COL_GAP, ROW_GAP = 90, 12
PAD = 16
SWEEPS = 6

WORKLOADS = {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController", "Job",
             "CronJob", "Pod", "Rollout", "DeploymentConfig", "workload", "pods"}
RANK = {"Ingress": 0, "HorizontalPodAutoscaler": 0, "PodDisruptionBudget": 0, "NetworkPolicy": 0,
        "RoleBinding": 0, "ClusterRoleBinding": 0, "Service": 1,
        "Secret": 3, "ConfigMap": 3, "PersistentVolumeClaim": 3, "ServiceAccount": 3, "Role": 3,
        "ClusterRole": 3, "StorageClass": 4, "Namespace": 4}


@dataclass
class Box:
    x: int
    y: int
    w: int = NODE_W
    h: int = NODE_H


@dataclass
class GroupLayout:
    name: str
    boxes: dict  # node id -> Box
    width: int
    height: int


def rank_of(kind: str) -> int:
    if kind in WORKLOADS:
        return 2
    return RANK.get(kind, 2)


def layout(graph: dict) -> list[GroupLayout]:
    nodes_by_group: dict[str, list[dict]] = defaultdict(list)
    for node in graph["nodes"]:
        nodes_by_group[node["group"]].append(node)
    group_of = {n["id"]: n["group"] for n in graph["nodes"]}
    edges_by_group: dict[str, list[dict]] = defaultdict(list)
    for e in graph["edges"]:
        if group_of.get(e["source"]) == group_of.get(e["target"]):
            edges_by_group[group_of[e["source"]]].append(e)
    return [_group(g, nodes_by_group[g], edges_by_group[g]) for g in graph["groups"]]


def _group(name: str, nodes: list[dict], edges: list[dict]) -> GroupLayout:
    ids = [n["id"] for n in nodes]
    layer = {n["id"]: rank_of(n["kind"]) for n in nodes}
    pairs = [(e["source"], e["target"]) for e in edges if e["source"] != e["target"]]
    # Push targets right of their sources; a cycle stops after len(ids) rounds.
    for _ in range(len(ids)):
        changed = False
        for s, t in pairs:
            if layer[t] <= layer[s]:
                layer[t] = layer[s] + 1
                changed = True
        if not changed:
            break
    used = sorted(set(layer.values()))
    column = {value: i for i, value in enumerate(used)}  # no empty columns
    columns: list[list[str]] = [[] for _ in used]
    kind = {n["id"]: (n["state"] != "object", n["kind"], n["name"], n["id"]) for n in nodes}
    for nid in sorted(ids, key=lambda i: kind[i]):
        columns[column[layer[nid]]].append(nid)
    neighbours: dict[str, list[str]] = defaultdict(list)
    for s, t in pairs:
        neighbours[s].append(t)
        neighbours[t].append(s)
    _order(columns, neighbours, kind)
    boxes = {}
    for c, col in enumerate(columns):
        for r, nid in enumerate(col):
            boxes[nid] = Box(PAD + c * (NODE_W + COL_GAP), PAD + r * (NODE_H + ROW_GAP))
    rows = max((len(c) for c in columns), default=0)
    width = PAD * 2 + len(columns) * NODE_W + max(len(columns) - 1, 0) * COL_GAP
    height = PAD * 2 + rows * NODE_H + max(rows - 1, 0) * ROW_GAP
    return GroupLayout(name, boxes, width, height)


def _order(columns: list[list[str]], neighbours: dict, key: dict) -> None:
    """Barycentre sweeps: each column sorted by the mean row of its neighbours in the column
    before (left to right) or after (right to left); nodes without such neighbours keep their
    place relative to each other."""
    for sweep in range(SWEEPS):
        order = range(1, len(columns)) if sweep % 2 == 0 else range(len(columns) - 2, -1, -1)
        for c in order:
            ref = columns[c - 1] if sweep % 2 == 0 else columns[c + 1]
            pos = {nid: i for i, nid in enumerate(ref)}
            current = {nid: i for i, nid in enumerate(columns[c])}

            def bary(nid: str, pos=pos, current=current) -> tuple:
                near = [pos[m] for m in neighbours.get(nid, ()) if m in pos]
                return (sum(near) / len(near) if near else current[nid], current[nid])

            columns[c].sort(key=bary)
