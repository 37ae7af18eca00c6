"""Caches written by scripts/idcode/extract-landmarks.mjs (+ embed.py) and the LFW / Yale protocols."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
CACHE = REPO / "artifacts/cache/idcode"
DATA = REPO.parent / "shared/data"
LFW = DATA / "lfw"

# Mesh vertices (same as packages/extractor/src/embed/face-alignment.ts).
RIGHT_EYE = [33, 160, 158, 133, 153, 144]  # subject's right = image left
LEFT_EYE = [362, 385, 387, 263, 373, 380]
NOSE_TIP = 1
MOUTH_RIGHT, MOUTH_LEFT = 61, 291


def image_key(source: str) -> str:
    parts = [p for p in source.replace("\\", "/").split("/") if p]
    return "/".join(parts[-2:])


class FaceSet:
    """One cached set (lfw | yale): mesh (N,478,2), face-api descriptors (N,128), keys, labels."""

    def __init__(self, name: str, cache: Path = CACHE):
        self.name = name
        self.cache = cache
        meta = json.loads((cache / f"{name}-rows.json").read_text())
        self.rows = meta["rows"]
        self.failures = meta["failures"]
        self.data_root = (REPO / meta["dataRoot"]).resolve()
        self.mesh = np.load(cache / f"{name}-mesh.npy").reshape(-1, 478, 2)
        self.keys = [image_key(r["source"]) for r in self.rows]
        self.labels = [r["label"] for r in self.rows]
        self.index = {k: i for i, k in enumerate(self.keys)}
        assert len(self.rows) == self.mesh.shape[0]

    def embeddings(self, recognizer: str) -> np.ndarray:
        x = np.load(self.cache / f"{self.name}-{recognizer}.npy").astype(np.float64)
        assert x.shape[0] == len(self.rows), (recognizer, x.shape)
        return x

    def image_path(self, i: int) -> Path:
        return self.data_root / self.rows[i]["source"]

    def five_points(self) -> np.ndarray:
        """(N,5,2): image-left eye, image-right eye, nose tip, image-left and image-right mouth corners."""
        m = self.mesh
        return np.stack([m[:, RIGHT_EYE].mean(1), m[:, LEFT_EYE].mean(1), m[:, NOSE_TIP],
                         m[:, MOUTH_RIGHT], m[:, MOUTH_LEFT]], axis=1)


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
            out.append((key(p[0], p[1]), key(p[0], p[2]), True, f) if k < n
                       else (key(p[0], p[1]), key(p[2], p[3]), False, f))
    return out


def read_people(path: Path) -> list[set[str]]:
    """people.txt (10 folds: "10", then per fold a count and names) / peopleDevTrain.txt (a count and names)."""
    lines = [l.split() for l in path.read_text().splitlines() if l.strip()]
    folds, i = (int(lines[0][0]), 1) if len(lines[1]) == 1 else (1, 0)
    out: list[set[str]] = []
    for _ in range(folds):
        n = int(lines[i][0])
        out.append({lines[i + 1 + k][0] for k in range(n)})
        i += 1 + n
    return out


def pair_index(fs: FaceSet, pairs) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    """Indices (a, b), labels and folds of the pairs both of whose images have a cached row."""
    a, b, y, f, missing = [], [], [], [], 0
    for ka, kb, same, fold in pairs:
        if ka in fs.index and kb in fs.index:
            a.append(fs.index[ka]); b.append(fs.index[kb]); y.append(same); f.append(fold)
        else:
            missing += 1
    return np.array(a), np.array(b), np.array(y, dtype=bool), np.array(f), missing


def best_threshold(scores: np.ndarray, same: np.ndarray) -> float:
    """Threshold maximising accuracy of (score >= t) == same (midpoint between sorted scores)."""
    order = np.argsort(scores)
    s, y = scores[order], same[order]
    # predict same for index >= k: correct = (#diff below k) + (#same at/after k)
    diff_below = np.concatenate([[0], np.cumsum(~y)])
    same_after = np.concatenate([np.cumsum(y[::-1])[::-1], [0]])
    k = int(np.argmax(diff_below + same_after))
    if k == 0:
        return float(s[0] - 1e-9)
    if k == len(s):
        return float(s[-1] + 1e-9)
    return float((s[k - 1] + s[k]) / 2)


def accuracy(scores: np.ndarray, same: np.ndarray, t: float) -> float:
    return float(np.mean((scores >= t) == same))
