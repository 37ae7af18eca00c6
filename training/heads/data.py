"""Descriptor caches (.npy + sidecar) and LFW lists."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

EXPRESSION_LABELS = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")


def image_key(source: str) -> str:
    """Last two path components (matches imageKey in packages/eval)."""
    parts = [p for p in source.replace("\\", "/").split("/") if p]
    return "/".join(parts[-2:])


def load_cache(npy: Path) -> tuple[np.ndarray, list[dict], dict]:
    x = np.load(npy).astype(np.float32)
    side = json.loads(npy.with_suffix(".json").read_text())
    rows = side["rows"]
    if len(rows) != x.shape[0]:
        raise ValueError(f"{npy}: {x.shape[0]} rows but sidecar has {len(rows)}")
    return x, rows, side["header"]


def expression_targets(rows: list[dict], header: dict) -> np.ndarray:
    """Class index in EXPRESSION_LABELS order per row (from the row label or the folder name)."""
    out = []
    for r in rows:
        label = r.get("label") or image_key(r["source"]).split("/")[0]
        out.append(EXPRESSION_LABELS.index(label))
    return np.asarray(out, dtype=np.int64)


def read_people_folds(path: Path) -> dict[str, int]:
    """LFW View 2 people.txt -> person -> fold."""
    lines = [l.strip() for l in path.read_text().splitlines() if l.strip()]
    folds = int(lines[0])
    out: dict[str, int] = {}
    i = 1
    for f in range(folds):
        n = int(lines[i])
        i += 1
        for _ in range(n):
            out[lines[i].split()[0]] = f
            i += 1
    return out


def read_pairs(path: Path) -> list[tuple[str, str, bool, int]]:
    """LFW pairs file -> (keyA, keyB, same, fold)."""
    lines = [l.split() for l in path.read_text().splitlines() if l.strip()]
    head = lines[0]
    folds, n = (int(head[0]), int(head[1])) if len(head) == 2 else (1, int(head[0]))
    key = lambda name, i: f"{name}/{name}_{int(i):04d}.jpg"  # noqa: E731
    out = []
    for f in range(folds):
        for k in range(2 * n):
            p = lines[1 + f * 2 * n + k]
            if k < n:
                out.append((key(p[0], p[1]), key(p[0], p[2]), True, f))
            else:
                out.append((key(p[0], p[1]), key(p[2], p[3]), False, f))
    return out
